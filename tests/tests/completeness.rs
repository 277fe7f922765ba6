//! Completeness: every example of both ISAs is proven, the proof verifies, and the verified public
//! output is the run's — and, where a known answer exists (fib, factorial, a sum, SHA-256's FIPS
//! 180-4 vector), that answer, which no part of zkvm computed — under both memory-checking
//! arguments (offline, Twist) and both instruction-fetch arguments (LogUp, Shout), in every
//! combination. (Soundness is `soundness/`.)

use std::path::{Path, PathBuf};

use ark_bn254::Fr;
use zkvm_prover::machine::fetch::FetchArgument;
use zkvm_prover::machine::twist_memory::MemoryArgument;
use zkvm_prover::pipeline::{self, ProofOptions, Sharding};

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

#[test]
fn zasm_runs_prove_in_shards() {
    // fib(300) runs 1,511 cycles: 24 shards of 2^6 rows, the last one padded.
    let program = zkvm_assembler::assemble_file(&root().join("examples/zasm/fib.zasm")).unwrap();
    let options = ProofOptions {
        sharding: Sharding::Rows(6),
        ..ProofOptions::default()
    };
    let (output, proof, report) =
        pipeline::prove_zasm_with(&program, &[Fr::from(300u64)], 1 << 20, options).unwrap();
    assert_eq!((report.shards, report.shard_log_rows), (24, Some(6)));
    let (verified, _) = pipeline::verify_zasm(&program, &proof).unwrap();
    assert_eq!(verified, output);
    let one = pipeline::prove_zasm(&program, &[Fr::from(300u64)], 1 << 20).unwrap();
    assert_eq!(one.0, output, "the same output as one proof of the run");
    // fib(1637) runs 8,196 cycles: a shard of 2^13 rows with the full tables, then one of 4
    // rows with split tables (a smaller setup of its own). The shards share one setup, so
    // that their memory commitments compare.
    let options = ProofOptions {
        sharding: Sharding::Rows(13),
        ..ProofOptions::default()
    };
    let (_, proof, _) =
        pipeline::prove_zasm_with(&program, &[Fr::from(1637u64)], 1 << 20, options).unwrap();
    pipeline::verify_zasm(&program, &proof).expect("shards with other tables verify");
    // A run shorter than one shard of 2^14 rows: one short shard, with its own setup.
    let options = ProofOptions {
        sharding: Sharding::Rows(14),
        ..ProofOptions::default()
    };
    let (_, proof, _) =
        pipeline::prove_zasm_with(&program, &[Fr::from(10u64)], 1 << 20, options).unwrap();
    pipeline::verify_zasm(&program, &proof).expect("a run shorter than a shard verifies");
}

#[test]
fn a_guest_proves_in_shards_cut_inside_its_system_calls() {
    use zkvm_prover::lower::riscv::shards::RvShards;
    use zkvm_prover::shards::{shard_machine, ShardSource};
    let dir = root().join("examples/guests/fib");
    let elf = zkvm_riscv::build_guest(&dir, &mut |m| eprintln!("{m}")).expect("builds");
    let program = zkvm_riscv::load_elf(&std::fs::read(&elf).unwrap()).unwrap();
    let input = b"10";
    let run = zkvm_riscv::run(&program, &input[..], &Default::default()).unwrap();
    let output = zkvm_prover::lower::riscv::public_output_bytes(&run.stdout);
    let source = || RvShards::new(&program, input, 1 << 22, output.clone(), run.exit_code);
    let (_, mem_log_size) = source().unwrap().survey().unwrap();
    let machine = zkvm_prover::lower::riscv::machine(&program, mem_log_size);
    let column = |name: &str| machine.column_names.iter().position(|n| n == name).unwrap();
    let (sub, done) = (column("sub"), column("done"));
    // The largest shard size at which some shard starts inside a system call's rows: on its
    // second row (`sub`), or between two chunk rows of a read or write (`done` > 0).
    let cuts_a_call = |log_rows: u32| {
        let rows = 1usize << log_rows;
        let mut s = source().unwrap();
        for index in 0u32.. {
            let m = shard_machine(&machine, index);
            let shard = s
                .next_shard(&m, rows, u64::from(index) * rows as u64)
                .unwrap();
            if shard.ends_run {
                return false;
            }
            let next = |c: usize| shard.columns[c][rows];
            if next(sub) == Fr::from(1u64) || next(done) != Fr::from(0u64) {
                return true;
            }
        }
        unreachable!()
    };
    let log_rows = (4..=8)
        .rev()
        .find(|&k| cuts_a_call(k))
        .expect("a cut inside a call");
    let options = ProofOptions {
        sharding: Sharding::Rows(log_rows),
        ..ProofOptions::default()
    };
    let (outcome, proof, _) = pipeline::prove_rv32im_with(&program, &input[..], 1 << 22, options)
        .unwrap_or_else(|e| panic!("shards of 2^{log_rows} rows: {e}"));
    let (verified, _) = pipeline::verify_rv32im(&program, &proof).unwrap();
    eprintln!("shards of 2^{log_rows} rows");
    assert_eq!(verified.stdout, b"55\n");
    assert_eq!(verified.stdout, outcome.stdout);
}
