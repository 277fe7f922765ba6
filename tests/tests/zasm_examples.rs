//! Known-answer tests for every zasm example and standard-library routine (a golden table),
//! and the round trip asm -> disasm -> asm over all of them.

use std::path::{Path, PathBuf};

use ark_ff::{Field, PrimeField};
use zkvm_assembler::{assemble_file, assemble_str};
use zkvm_isa::{Fr, Program};
use zkvm_vm::{run, RunConfig};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fr(s: &str) -> Fr {
    let (neg, d) = s.strip_prefix('-').map_or((false, s), |d| (true, d));
    let v = zkvm_assembler::parse_number(d);
    if neg {
        -v
    } else {
        v
    }
}

/// A decimal value of any size, possibly negative.
fn big(s: &str) -> Fr {
    match s.strip_prefix('-') {
        Some(digits) => -big(digits),
        None => Fr::from_be_bytes_mod_order(&num_bytes(s)),
    }
}

/// Decimal string to big-endian bytes (for values beyond u64).
fn num_bytes(s: &str) -> Vec<u8> {
    let mut bytes = vec![0u8; 40];
    for c in s.chars() {
        let mut carry = c.to_digit(10).expect("decimal digit");
        for b in bytes.iter_mut().rev() {
            let v = u32::from(*b) * 10 + carry;
            *b = (v & 0xff) as u8;
            carry = v >> 8;
        }
    }
    bytes
}

fn assemble(rel: &str) -> Program {
    assemble_file(&root().join(rel)).unwrap_or_else(|d| panic!("{rel}:\n{}", d.render_plain()))
}

fn run_outputs(rel: &str, inputs: &[&str]) -> Vec<Fr> {
    let program = assemble(rel);
    let inputs: Vec<Fr> = inputs.iter().map(|s| fr(s)).collect();
    let cfg = RunConfig {
        record_trace: true,
        ..RunConfig::default()
    };
    let ex = run(&program, &inputs, &cfg).unwrap_or_else(|e| panic!("{rel}: {e}"));
    // The trace has one step per cycle and ends with the halt.
    let trace = ex.trace.expect("trace requested");
    assert_eq!(trace.len() as u64, ex.summary.cycles, "{rel}");
    // The fast path gives the same output and cycle count.
    let fast = run(&program, &inputs, &RunConfig::default()).expect("fast run");
    assert_eq!(fast.output, ex.output, "{rel}");
    assert_eq!(fast.summary, ex.summary, "{rel}");
    ex.output
}

/// `(file, inputs, expected public output)`.
const GOLDEN: &[(&str, &[&str], &[&str])] = &[
    ("examples/zasm/fib.zasm", &["0"], &["0"]),
    ("examples/zasm/fib.zasm", &["1"], &["1"]),
    ("examples/zasm/fib.zasm", &["10"], &["55"]),
    ("examples/zasm/fib.zasm", &["90"], &["2880067194370816120"]),
    ("examples/zasm/factorial.zasm", &["0"], &["1"]),
    ("examples/zasm/factorial.zasm", &["5"], &["120"]),
    (
        "examples/zasm/factorial.zasm",
        &["20"],
        &["2432902008176640000"],
    ),
    ("examples/zasm/sum.zasm", &["0"], &["0"]),
    (
        "examples/zasm/sum.zasm",
        &["4", "1", "2", "3", "-1"],
        &["5"],
    ),
    // A[i][l] = -(i + l + 1), B[l][j] = l·j + 1; C = A·B row-major.
    ("examples/zasm/matmul.zasm", &["0"], &[]),
    ("examples/zasm/matmul.zasm", &["1"], &["-1"]),
    // A = [[-1, -2], [-2, -3]], B = [[1, 1], [1, 2]]
    (
        "examples/zasm/matmul.zasm",
        &["2"],
        &["-3", "-5", "-5", "-8"],
    ),
    // A = [[-1, -2, -3], [-2, -3, -4], [-3, -4, -5]], B = [[1, 1, 1], [1, 2, 3], [1, 3, 5]]
    (
        "examples/zasm/matmul.zasm",
        &["3"],
        &["-6", "-14", "-22", "-9", "-20", "-31", "-12", "-26", "-40"],
    ),
    // inv(5), 5 * inv(5), 10 / 3, (10 / 3) * 3, 5^13
    (
        "stdlib/zasm/tests/field.zasm",
        &["5", "10", "3", "13"],
        &[
            "8755297148735710088898562298102910035419345760166413737479281674630323398247",
            "1",
            "14592161914559516814830937163504850059032242933610689562465469457717205663748",
            "10",
            "1220703125",
        ],
    ),
    (
        "stdlib/zasm/tests/field.zasm",
        &["2", "0", "1", "0"],
        &[
            "10944121435919637611123202872628637544274182200208017171849102093287904247809",
            "1",
            "0",
            "0",
            "1",
        ],
    ),
    // bits of 11 (5 bits, little-endian), then 11 after range_check(11, 5)
    (
        "stdlib/zasm/tests/bits.zasm",
        &["11", "5"],
        &["1", "1", "0", "1", "0", "11"],
    ),
    (
        "stdlib/zasm/tests/bits.zasm",
        &["31", "5"],
        &["1", "1", "1", "1", "1", "31"],
    ),
    // add, mul, and, xor, or, shl, shr
    (
        "stdlib/zasm/tests/u32.zasm",
        &["4000000000", "3000000000", "4"],
        &[
            "2705032704",
            "3635412992",
            "2722105344",
            "1555789312",
            "4277894656",
            "3870457856",
            "250000000",
        ],
    ),
    (
        "stdlib/zasm/tests/u32.zasm",
        &["4294967295", "1", "31"],
        &[
            "0",
            "4294967295",
            "1",
            "4294967294",
            "4294967295",
            "2147483648",
            "1",
        ],
    ),
    (
        "stdlib/zasm/tests/mem.zasm",
        &["7"],
        &["7", "7", "99", "7", "7", "7", "99", "7"],
    ),
    // range.check(x, n) passes for x < 2^n (the program outputs x)
    ("stdlib/zasm/tests/range.zasm", &["0", "0"], &["0"]),
    ("stdlib/zasm/tests/range.zasm", &["3", "2"], &["3"]),
    ("stdlib/zasm/tests/range.zasm", &["12345", "14"], &["12345"]),
    (
        "stdlib/zasm/tests/range.zasm",
        &["0xffffffff", "32"],
        &["4294967295"],
    ),
    (
        "stdlib/zasm/tests/range.zasm",
        &["0xfffffffffffffffff", "68"],
        &["295147905179352825855"],
    ),
    (
        "stdlib/zasm/tests/range.zasm",
        &["0xffffffffffffffffffffffffffffffff", "128"],
        &["340282366920938463463374607431768211455"],
    ),
];

#[test]
fn golden_outputs() {
    for (file, inputs, expected) in GOLDEN {
        let got = run_outputs(file, inputs);
        let want: Vec<Fr> = expected.iter().map(|s| big(s)).collect();
        assert_eq!(got, want, "{file} on {inputs:?}");
    }
}

#[test]
fn mimc_matches_circomlib_test_vector() {
    // circomlib: mimc7.hash(1, 2) = 0x176c6eef...1a08 (x = 1, k = 2, one hash).
    let got = run_outputs("examples/zasm/mimc.zasm", &["1", "2", "1"]);
    let want = fr("0x176c6eefc3fdf8d6136002d8e6f7a885bbd1c4e3957b93ddc1ec3ae7859f1a08");
    assert_eq!(got, vec![want]);
    // And against a direct evaluation of the same permutation in Rust, on other inputs.
    let src = std::fs::read_to_string(root().join("examples/zasm/mimc.zasm")).expect("read");
    let consts: Vec<Fr> = src
        .lines()
        .filter_map(|l| l.trim().strip_prefix("round(")?.strip_suffix(");"))
        .map(fr)
        .collect();
    assert_eq!(consts.len(), 91);
    let hash = |x: Fr, k: Fr| {
        let mut r = x;
        for (i, c) in consts.iter().enumerate() {
            let t = if i == 0 { x + k } else { r + k + c };
            r = t.pow([7u64]);
        }
        r + k
    };
    let (x, k) = (Fr::from(3u64), Fr::from(4u64));
    assert_eq!(
        run_outputs("examples/zasm/mimc.zasm", &["3", "4", "1"]),
        vec![hash(x, k)]
    );
    // The chain h_0 = x, h_{i+1} = hash(h_i, k), output h_n.
    assert_eq!(
        run_outputs("examples/zasm/mimc.zasm", &["3", "4", "0"]),
        vec![x]
    );
    assert_eq!(
        run_outputs("examples/zasm/mimc.zasm", &["3", "4", "3"]),
        vec![hash(hash(hash(x, k), k), k)]
    );
}

#[test]
fn u32_range_checks_reject_out_of_range() {
    let program = assemble("stdlib/zasm/tests/u32.zasm");
    let too_big = [Fr::from(1u64 << 32), Fr::from(1u64), Fr::from(1u64)];
    let err = run(&program, &too_big, &RunConfig::default()).unwrap_err();
    assert!(
        matches!(err.fault, zkvm_vm::Fault::AssertFailed { .. }),
        "{err}"
    );
    let program = assemble("stdlib/zasm/tests/bits.zasm");
    let err = run(
        &program,
        &[Fr::from(32u64), Fr::from(5u64)],
        &RunConfig::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err.fault, zkvm_vm::Fault::AssertFailed { .. }),
        "{err}"
    );
    assert!(
        err.location
            .as_deref()
            .is_some_and(|l| l.starts_with("std/bits.zasm:")),
        "{err}"
    );
}

#[test]
fn fast_range_check_rejects_out_of_range() {
    let program = assemble("stdlib/zasm/tests/range.zasm");
    let p_minus_1 = "21888242871839275222246405745257275088548364400416034343698204186575808495616";
    for (x, n) in [
        ("1", "0"),
        ("4", "2"),
        ("16384", "14"),
        ("0x100000000", "32"),
        ("0x1ffffffff", "32"),
        ("0x100000000000000000", "68"),
        ("0x100000000000000000000000000000000", "128"),
        (p_minus_1, "128"),
    ] {
        let x = if x.starts_with("0x") { fr(x) } else { big(x) };
        let err = run(&program, &[x, fr(n)], &RunConfig::default()).unwrap_err();
        assert!(
            matches!(err.fault, zkvm_vm::Fault::AssertFailed { .. }),
            "{x} < 2^{n}: {err}"
        );
        assert!(
            err.location
                .as_deref()
                .is_some_and(|l| l.starts_with("std/range.zasm:")),
            "{err}"
        );
    }
    // An odd width is a programming error: the computed jump leaves the program.
    let err = run(&program, &[fr("1"), fr("3")], &RunConfig::default()).unwrap_err();
    assert!(
        matches!(err.fault, zkvm_vm::Fault::JumpOutside { .. }),
        "{err}"
    );
}

fn zasm_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            zasm_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "zasm") {
            out.push(p);
        }
    }
}

fn round_trip(name: &str, program: &Program) {
    let text = program.disassemble();
    let again =
        assemble_str(name, &text).unwrap_or_else(|d| panic!("{name}:\n{}", d.render_plain()));
    assert_eq!(again.words(), program.words(), "{name}");
    assert_eq!(again.entry, program.entry, "{name}");
    assert_eq!(again.instructions, program.instructions, "{name}");
    let bin = Program::from_zbin(&program.to_zbin()).expect("zbin");
    assert_eq!(bin, *program, "{name}");
}

#[test]
fn asm_disasm_asm_round_trip() {
    let mut files = Vec::new();
    zasm_files(&root().join("examples/zasm"), &mut files);
    zasm_files(&root().join("stdlib/zasm/tests"), &mut files);
    let mut n = 0;
    for f in &files {
        if f.file_name().is_some_and(|n| n == "macros.zasm") {
            continue; // macro definitions only
        }
        round_trip(
            &f.display().to_string(),
            &assemble_file(f).unwrap_or_else(|d| panic!("{}", d.render_plain())),
        );
        n += 1;
    }
    assert!(n >= 9, "found only {n} programs");
    // Every standard-library file on its own.
    let mut std_files: Vec<PathBuf> = std::fs::read_dir(root().join("stdlib/zasm"))
        .expect("stdlib dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "zasm"))
        .collect();
    std_files.sort();
    assert!(std_files.len() >= 4);
    for file in &std_files {
        let name = file.file_name().expect("name").to_string_lossy();
        let path = format!("std/{name}");
        let src = format!("include \"{path}\";\nmain:\n    halt;\n");
        let p = assemble_str("lib.zasm", &src).unwrap_or_else(|d| panic!("{}", d.render_plain()));
        assert!(p.instructions.len() > 2, "{path}");
        round_trip(&path, &p);
    }
}
