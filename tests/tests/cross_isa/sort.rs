//! Sorting u32 values: zasm and the RV32IM guest agree.

use ark_bn254::Fr;
use rand::{Rng, SeedableRng};

use crate::{guest_bytes, root, zasm};

const SORT: &str = "examples/zasm/sort.zasm";

/// Runs `source` (a variant of sort.zasm) on `inputs`: its output, or the fault.
fn run_source(source: &str, inputs: &[Fr]) -> Result<Vec<Fr>, zkvm_vm::Fault> {
    let program = zkvm_assembler::assemble_str("sort.zasm", source)
        .unwrap_or_else(|d| panic!("{}", d.render_plain()));
    zkvm_vm::run(&program, inputs, &zkvm_vm::RunConfig::default())
        .map(|e| e.output)
        .map_err(|e| e.fault)
}

fn source() -> String {
    std::fs::read_to_string(root().join(SORT)).expect("read sort.zasm")
}

/// The zasm program's input: n, then the values.
fn inputs(values: &[u64]) -> Vec<u64> {
    let mut inputs = vec![values.len() as u64];
    inputs.extend_from_slice(values);
    inputs
}

fn cases() -> Vec<Vec<u32>> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20240601);
    // A mix of small values (so there are duplicates), values near 2^32 and arbitrary ones.
    let random: Vec<u32> = (0..100)
        .map(|i| match i % 4 {
            0 => rng.gen_range(0..40),
            1 => rng.gen_range(u32::MAX - 40..=u32::MAX),
            _ => rng.gen(),
        })
        .collect();
    vec![
        vec![],
        vec![7],
        vec![u32::MAX],
        vec![5, 3, 9, 3, 1],
        vec![4, 4, 4, 4, 4, 4, 4],
        (0..20).collect(),
        (0..33).rev().collect(),
        vec![u32::MAX, 0, u32::MAX, 1, u32::MAX - 1, 0],
        random,
    ]
}

#[test]
fn sort_agrees() {
    for values in cases() {
        // The expectation, from the standard library's sort.
        let mut sorted = values.clone();
        sorted.sort();
        let mut distinct = sorted.clone();
        distinct.dedup();
        let mut want: Vec<u64> = sorted.iter().map(|&v| u64::from(v)).collect();
        want.push(distinct.len() as u64);

        let input: Vec<u64> = values.iter().map(|&v| u64::from(v)).collect();
        let field = zasm(SORT, &inputs(&input));
        let want_fr: Vec<Fr> = want.iter().map(|&v| Fr::from(v)).collect();
        assert_eq!(field, want_fr, "zasm, {} values", values.len());

        let words: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        let out = guest_bytes("sort", &words);
        let numbers: Vec<u64> = out
            .chunks_exact(4)
            .map(|w| u64::from(u32::from_le_bytes([w[0], w[1], w[2], w[3]])))
            .collect();
        assert_eq!(numbers, want, "guest, {} values", values.len());
    }
}

#[test]
fn sort_rejects_values_beyond_u32() {
    let src = source();
    for values in [
        vec![1u64 << 32],
        vec![3, 1 << 32, 1],
        vec![u64::from(u32::MAX), 1 << 32],
        vec![1 << 40, 0, 5],
        vec![u64::MAX, 2],
    ] {
        let fr: Vec<Fr> = inputs(&values).into_iter().map(Fr::from).collect();
        assert!(
            matches!(
                run_source(&src, &fr),
                Err(zkvm_vm::Fault::AssertFailed { .. })
            ),
            "{values:?}"
        );
    }
    // A field element near p (= -1) is no u32 either; it fails the comparison advice (division
    // by -1 + 1 = 0) or a range check.
    let fr = vec![Fr::from(2u64), Fr::from(5u64), -Fr::from(1u64)];
    assert!(run_source(&src, &fr).is_err());
}

/// How a prover answers comparison number i: 0 takes the left value, anything else the right.
type Answers = fn(usize) -> u64;

/// The merge's comparisons are advice that the program does not check: a prover may answer
/// them as it likes. Here the answers come from the input instead; wrong answers that would
/// produce an unsorted list must make the run fail, and right ones still sort.
#[test]
fn lying_comparisons_cannot_unsort() {
    let honest = source();
    let compare = "advice div([fp + A], [fp + B1])";
    assert_eq!(honest.matches(compare).count(), 1);
    let lying = honest.replace(compare, "input");

    // Inputs n, the values, then the answers to the comparisons (more than the merges ask for:
    // at most n per pass).
    let with_answers = |values: &[u64], answer: Answers| -> Vec<Fr> {
        let mut all: Vec<Fr> = inputs(values).into_iter().map(Fr::from).collect();
        all.extend((0..100).map(|i| Fr::from(answer(i))));
        all
    };
    // Always "take the left value" (0), always "take the right value" (1), and alternating:
    // each is wrong somewhere for this input.
    let values = [5, 3, 9, 3, 1, 8, 2, 7, 6, 0];
    let answers: [(&str, Answers); 3] = [
        ("left", |_| 0),
        ("right", |_| 1),
        ("alternating", |i| (i % 2) as u64),
    ];
    for (name, answer) in answers {
        let result = run_source(&lying, &with_answers(&values, answer));
        assert!(
            matches!(result, Err(zkvm_vm::Fault::AssertFailed { .. })),
            "{name}: {result:?}"
        );
    }
    // On already sorted input, "always left" is the truth: the run succeeds and sorts.
    let sorted: Vec<u64> = (0..10).collect();
    let mut want: Vec<Fr> = sorted.iter().map(|&v| Fr::from(v)).collect();
    want.push(Fr::from(10u64));
    assert_eq!(run_source(&lying, &with_answers(&sorted, |_| 0)), Ok(want));
}
