//! Completeness: every example of both ISAs is proven, the proof verifies, and the verified public
//! output is the run's. (Soundness is `soundness.rs`.)

use std::path::{Path, PathBuf};

use ark_bn254::Fr;
use zkvm_prover::pipeline;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fr(s: &str) -> Fr {
    let v: i64 = s.parse().expect("small integer input");
    if v < 0 {
        -Fr::from(v.unsigned_abs())
    } else {
        Fr::from(v as u64)
    }
}

fn prove_zasm(file: &str, inputs: &[&str]) {
    let program = zkvm_assembler::assemble_file(&root().join(file))
        .unwrap_or_else(|d| panic!("{file}: {}", d.render()));
    let inputs: Vec<Fr> = inputs.iter().map(|s| fr(s)).collect();
    let (output, proof, report) =
        pipeline::prove_zasm(&program, &inputs, 1 << 20).unwrap_or_else(|e| panic!("{file}: {e}"));
    let (verified, _) =
        pipeline::verify_zasm(&program, &proof).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(verified, output, "{file}");
    assert!(report.proof_bytes > 0 && report.cycles > 0);
}

fn prove_guest(name: &str, input: &[u8]) {
    let dir = root().join("examples/guests").join(name);
    let elf = zkvm_riscv::build_guest(&dir, &mut |m| eprintln!("{m}"))
        .unwrap_or_else(|e| panic!("building {name}: {e}"));
    let program = zkvm_riscv::load_elf(&std::fs::read(&elf).expect("read the ELF")).expect("ELF");
    let (outcome, proof, _) =
        pipeline::prove_rv32im(&program, input, 1 << 22).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (verified, _) =
        pipeline::verify_rv32im(&program, &proof).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(verified.stdout, outcome.stdout, "{name}");
    assert_eq!(verified.exit_code, 0, "{name}");
    assert!(!outcome.stdout.is_empty(), "{name} printed nothing");
}

#[test]
fn zasm_examples_prove_and_verify() {
    prove_zasm("examples/zasm/fib.zasm", &["10"]);
    prove_zasm("examples/zasm/factorial.zasm", &["5"]);
    prove_zasm("examples/zasm/sum.zasm", &["4", "1", "2", "3", "-1"]);
    prove_zasm("examples/zasm/matmul.zasm", &["2"]);
    prove_zasm("examples/zasm/mimc.zasm", &["1", "2", "1"]);
}

#[test]
fn zasm_suite_examples_prove_and_verify() {
    prove_zasm("examples/zasm/matmul_u32.zasm", &["2"]);
    prove_zasm(
        "examples/zasm/sort.zasm",
        &["4", "9", "4294967295", "0", "9"],
    );
    prove_zasm("examples/zasm/u256mul.zasm", &["1"]);
    prove_zasm("examples/zasm/sha256.zasm", &["3", "97", "98", "99"]);
}

#[test]
fn guest_fib_and_factorial_prove_and_verify() {
    prove_guest("fib", b"10");
    prove_guest("factorial", b"5");
}

#[test]
fn guest_matmul_and_sort_prove_and_verify() {
    prove_guest("matmul_u32", b"2");
    let words: Vec<u8> = [5u32, 3, 9, 3, 1]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    prove_guest("sort", &words);
}

#[test]
fn guest_sha256_proves_and_verifies() {
    prove_guest("sha256", b"abc");
}

#[test]
fn guest_field_matmul_and_u256mul_prove_and_verify() {
    prove_guest("matmul", b"1");
    prove_guest("u256mul", b"1");
}
