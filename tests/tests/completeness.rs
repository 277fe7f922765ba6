//! Completeness: every example of both ISAs is proven, the proof verifies, and the verified public
//! output is the run's — and, where a known answer exists (fib, factorial, a sum, SHA-256's FIPS
//! 180-4 vector), that answer, which no part of zkvm computed — under both memory-checking
//! arguments (offline, Twist) and both instruction-fetch arguments (LogUp, Shout), in every
//! combination. (Soundness is `soundness/`.)

use std::path::{Path, PathBuf};

use ark_bn254::Fr;
use zkvm_prover::machine::fetch::FetchArgument;
use zkvm_prover::machine::twist_memory::MemoryArgument;
use zkvm_prover::pipeline::{self, ProofOptions};

/// Every combination of the arguments, with its name in messages.
fn all_options() -> Vec<(ProofOptions, String)> {
    MemoryArgument::ALL
        .into_iter()
        .flat_map(|memory| {
            FetchArgument::ALL.into_iter().map(move |fetch| {
                (
                    ProofOptions {
                        memory,
                        fetch,
                        ..ProofOptions::default()
                    },
                    format!("{memory} memory, {fetch} fetch"),
                )
            })
        })
        .collect()
}

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

/// Prove and verify a zasm example; `known` is the expected output, when known independently.
fn prove_zasm(file: &str, inputs: &[&str], known: Option<&[u64]>) {
    let program = zkvm_assembler::assemble_file(&root().join(file))
        .unwrap_or_else(|d| panic!("{file}: {}", d.render()));
    let inputs: Vec<Fr> = inputs.iter().map(|s| fr(s)).collect();
    for (options, fetch) in all_options() {
        let (output, proof, report) =
            pipeline::prove_zasm_with(&program, &inputs, 1 << 20, options)
                .unwrap_or_else(|e| panic!("{file} ({fetch}): {e}"));
        let (verified, _) = pipeline::verify_zasm(&program, &proof)
            .unwrap_or_else(|e| panic!("{file} ({fetch}): {e}"));
        assert_eq!(verified, output, "{file} ({fetch})");
        if let Some(known) = known {
            let known: Vec<Fr> = known.iter().map(|v| Fr::from(*v)).collect();
            assert_eq!(
                verified, known,
                "{file} ({fetch}): the proven output is not the known answer"
            );
        }
        assert!(report.proof_bytes > 0 && report.cycles > 0);
        assert_eq!(report.fetch, options.fetch.name());
        assert_eq!(report.memory_checking, options.memory.name());
    }
}

/// Prove and verify a guest; its proven stdout must be its run's, and `known` byte for byte
/// where given.
fn prove_guest(name: &str, input: &[u8], known: Option<&[u8]>) {
    let dir = root().join("examples/guests").join(name);
    let elf = zkvm_riscv::build_guest(&dir, &mut |m| eprintln!("{m}"))
        .unwrap_or_else(|e| panic!("building {name}: {e}"));
    let program = zkvm_riscv::load_elf(&std::fs::read(&elf).expect("read the ELF")).expect("ELF");
    for (options, fetch) in all_options() {
        let (outcome, proof, _) = pipeline::prove_rv32im_with(&program, input, 1 << 22, options)
            .unwrap_or_else(|e| panic!("{name} ({fetch}): {e}"));
        let (verified, _) = pipeline::verify_rv32im(&program, &proof)
            .unwrap_or_else(|e| panic!("{name} ({fetch}): {e}"));
        assert_eq!(verified.stdout, outcome.stdout, "{name} ({fetch})");
        if let Some(known) = known {
            assert_eq!(
                verified.stdout, known,
                "{name} ({fetch}): the proven output is not the known answer"
            );
        }
        assert_eq!(verified.exit_code, 0, "{name} ({fetch})");
        assert!(!outcome.stdout.is_empty(), "{name} printed nothing");
    }
}

#[test]
fn zasm_examples_prove_and_verify() {
    prove_zasm("examples/zasm/fib.zasm", &["10"], Some(&[55]));
    prove_zasm("examples/zasm/factorial.zasm", &["5"], Some(&[120]));
    // Four values: 1 + 2 + 3 − 1.
    prove_zasm(
        "examples/zasm/sum.zasm",
        &["4", "1", "2", "3", "-1"],
        Some(&[5]),
    );
    prove_zasm("examples/zasm/matmul.zasm", &["2"], None);
    prove_zasm("examples/zasm/mimc.zasm", &["1", "2", "1"], None);
}

#[test]
fn zasm_suite_examples_prove_and_verify() {
    prove_zasm("examples/zasm/matmul_u32.zasm", &["2"], None);
    prove_zasm(
        "examples/zasm/sort.zasm",
        &["4", "9", "4294967295", "0", "9"],
        None,
    );
    prove_zasm("examples/zasm/u256mul.zasm", &["1"], None);
    // SHA-256("abc"), FIPS 180-4 appendix B.1, as eight big-endian words.
    let abc = [
        0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223, 0xb00361a3, 0x96177a9c, 0xb410ff61,
        0xf20015ad,
    ];
    prove_zasm(
        "examples/zasm/sha256.zasm",
        &["3", "97", "98", "99"],
        Some(&abc),
    );
}

#[test]
fn guest_fib_and_factorial_prove_and_verify() {
    prove_guest("fib", b"10", Some(b"55\n"));
    // 5! as a 256-bit field element in hex, as the guest prints it.
    prove_guest(
        "factorial",
        b"5",
        Some(format!("{:#066x}\n", 120).as_bytes()),
    );
}

#[test]
fn guest_matmul_and_sort_prove_and_verify() {
    prove_guest("matmul_u32", b"2", None);
    let words: Vec<u8> = [5u32, 3, 9, 3, 1]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    // Sorted, then the number of distinct values.
    let sorted: Vec<u8> = [1u32, 3, 3, 5, 9, 4]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    prove_guest("sort", &words, Some(&sorted));
}

#[test]
fn guest_sha256_proves_and_verifies() {
    prove_guest(
        "sha256",
        b"abc",
        Some(b"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"),
    );
}

#[test]
fn guest_field_matmul_and_u256mul_prove_and_verify() {
    prove_guest("matmul", b"1", None);
    prove_guest("u256mul", b"1", None);
}
