//! What `zkvm verify` states and refuses: the program digest (also printed by `zkvm id`), the
//! exit code (a failing run is refused unless `--exit-code` names its code), and a proof made
//! for another program.

use std::path::Path;

mod common;
use common::zkvm;

/// A minimal static RV32 ELF whose code (at 0x1000) is `words`.
fn elf(path: &Path, words: &[u32]) {
    let code: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    let mut out = Vec::new();
    out.extend_from_slice(&[0x7f, b'E', b'L', b'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    for v in [2u16, 243] {
        out.extend_from_slice(&v.to_le_bytes()); // ET_EXEC, EM_RISCV
    }
    for v in [1u32, 0x1000, 52, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes()); // version, entry, phoff, shoff, flags
    }
    for v in [52u16, 32, 1, 40, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let len = code.len() as u32;
    for v in [1u32, 84, 0x1000, 0x1000, len, len, 5, 4] {
        out.extend_from_slice(&v.to_le_bytes()); // PT_LOAD, offset, vaddr, paddr, sizes, R+X
    }
    out.extend_from_slice(&code);
    std::fs::write(path, out).expect("write the ELF");
}

/// `li a0, code; li a7, 93; ecall`: exit with `code`.
fn exit_with(code: u32) -> Vec<u32> {
    vec![0x0000_0513 | (code << 20), 0x05d0_0893, 0x0000_0073]
}

fn digest_of(stderr: &str) -> String {
    let at = stderr.find("program ").expect("a program digest") + "program ".len();
    stderr[at..at + 64].to_string()
}

#[test]
fn a_failing_run_is_proven_but_refused_unless_its_exit_code_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let guest = dir.path().join("fails");
    elf(&guest, &exit_with(3));
    let proof = dir.path().join("fails.proof");
    let (g, p) = (guest.to_str().unwrap(), proof.to_str().unwrap());
    let (code, _, err) = zkvm(&["prove", g, "-o", p]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("the run FAILED (exit code 3)"), "{err}");
    let (code, _, err) = zkvm(&["verify", g, p]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("exit code 3 (expected 0)"), "{err}");
    let (code, out, err) = zkvm(&["verify", g, p, "--exit-code", "3"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let (code, out, _) = zkvm(&["verify", g, p, "--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["exit_code"], 3);
    assert_eq!(v["valid"], false);
    assert_eq!(v["proof_valid"], true);
    // The digest that verify reports is the program's, as `zkvm id` prints it.
    let (_, id, _) = zkvm(&["id", g]);
    assert_eq!(v["program_digest"], id.trim());
    assert_eq!(
        digest_of(&err_of(&["verify", g, p, "--exit-code", "3"])),
        id.trim()
    );
}

fn err_of(args: &[&str]) -> String {
    zkvm(args).2
}

#[test]
fn a_proof_for_another_program_is_refused_in_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    elf(&a, &exit_with(0));
    elf(&b, &exit_with(1));
    let proof = dir.path().join("a.proof");
    let p = proof.to_str().unwrap();
    let (code, _, err) = zkvm(&["prove", a.to_str().unwrap(), "-o", p]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = zkvm(&["verify", b.to_str().unwrap(), p]);
    assert_eq!(code, 1);
    assert!(err.contains("this proof is for another program"), "{err}");
    let (_, id_a, _) = zkvm(&["id", a.to_str().unwrap()]);
    let (_, id_b, _) = zkvm(&["id", b.to_str().unwrap()]);
    assert_ne!(id_a, id_b);
    assert_eq!(id_a.trim().len(), 64);
}

#[test]
fn zasm_proofs_report_their_program_and_exit_code_zero() {
    let dir = tempfile::tempdir().expect("temp dir");
    let proof = dir.path().join("fib.proof");
    let p = proof.to_str().unwrap();
    let (code, _, err) = zkvm(&["prove", "examples/zasm/fib.zasm", "--input", "10", "-o", p]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = zkvm(&["verify", "examples/zasm/fib.zasm", p, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["exit_code"], 0);
    assert_eq!(v["public_output"]["values"][0], "55");
    let (_, id, _) = zkvm(&["id", "examples/zasm/fib.zasm"]);
    assert_eq!(v["program_digest"], id.trim());
}

#[test]
fn run_prove_and_verify_print_one_output_format() {
    // -1 is printed as -1 (not as p − 1, nor in hex) by all three, and JSON carries the same
    // keys for both ISAs.
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("neg.zasm");
    std::fs::write(
        &src,
        "main:\n [ap] = -1, ap++;\n output [ap - 1];\n halt;\n",
    )
    .expect("write");
    let src = src.to_str().unwrap();
    let proof = dir.path().join("neg.proof");
    let p = proof.to_str().unwrap();
    let (code, run, err) = zkvm(&["run", src]);
    assert_eq!((code, run.as_str()), (0, "-1\n"), "{err}");
    let (code, proved, err) = zkvm(&["prove", src, "-o", p]);
    assert_eq!((code, proved.as_str()), (0, "-1\n"), "{err}");
    let (code, verified, err) = zkvm(&["verify", src, p]);
    assert_eq!((code, verified.as_str()), (0, "-1\n"), "{err}");
    for args in [vec!["run", src, "--json"], vec!["verify", src, p, "--json"]] {
        let (code, out, err) = zkvm(&args);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
        assert_eq!(v["public_output"]["values"][0], "-1", "{args:?}");
        assert_eq!(v["exit_code"], 0, "{args:?}");
    }
}

#[test]
fn run_warns_when_prove_would_refuse_the_run() {
    // 34 M cycles: the VM runs them in well under a second, the prover's limit is 2^24 rows.
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("long.zasm");
    std::fs::write(
        &src,
        "main:\n    [ap] = 17000000;\nloop:\n    [ap] = [ap] + -1;\n    jmp loop if [ap] != 0;\n    halt;\n",
    )
    .expect("write");
    let (code, _, err) = zkvm(&["run", src.to_str().unwrap(), "--max-cycles", "100000000"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: 34000002 cycles exceed the prover's limit of 2^24 rows"),
        "{err}"
    );
    // A short run gets no warning.
    let (_, _, err) = zkvm(&["run", "examples/zasm/fib.zasm", "--input", "10"]);
    assert!(!err.contains("warning"), "{err}");
}
