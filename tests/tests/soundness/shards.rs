//! Runs proven in shards ([`zkvm_prover::shards`]): a malicious prover reorders, drops,
//! duplicates or splices shards, changes the memory or the state at a boundary, moves output
//! between shards, or reuses a shard's proof under another statement; the verifier that `zkvm
//! verify` runs rejects each, and the tests assert which check did.
//!
//! The shards are proven here by [`prove_shards_with`], which does what
//! [`zkvm_prover::shards::prove_shards`] does but lets the test change each shard's statement,
//! starting memory or columns before it is proven with the real prover.

use std::path::Path;

use ark_bn254::Fr;
use ark_ff::One;
use zkvm_prover::lower::finish_shard_witness;
use zkvm_prover::lower::zasm::shards::ZasmShards;
use zkvm_prover::machine::offline_memory::MemoryState;
use zkvm_prover::machine::{Machine, PublicValues, ShardBoundary};
use zkvm_prover::pipeline::{self, machine_for_proof, setup_for, PipelineError, ProofOptions};
use zkvm_prover::proof::{self, ProofError, VmProof};
use zkvm_prover::shards::{shard_machine, take_exit, ShardError, ShardSource, ShardedProof};

/// zasm fib (`examples/zasm/fib.zasm`): `5n + 11` cycles.
fn fib() -> zkvm_isa::Program {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/zasm/fib.zasm");
    zkvm_assembler::assemble_file(Path::new(path)).expect("fib assembles")
}

/// Shards of 2^6 rows: fib(60) runs 311 cycles, five shards.
const LOG_ROWS: u32 = 6;

/// The verifier stage of memory checking, lookups and the public output (LogUp-GKR).
const GKR: &str = "memory checking and lookups";

/// One shard as the prover is about to prove it.
struct Shard {
    /// The statement.
    public: PublicValues,
    /// The memory it starts from.
    memory: MemoryState,
    /// Its columns (before memory checking and lookups).
    columns: Vec<Vec<Fr>>,
}

/// Prove fib(`n`) in shards of 2^[`LOG_ROWS`] rows with the real prover, letting `tamper`
/// change each shard before it is proven (the next shard starts from the memory the honest
/// rows leave, unless `tamper` changes that too).
fn prove_shards_with(n: u64, tamper: impl FnMut(u32, &mut Shard)) -> Vec<VmProof> {
    prove_shards_as(n, |_| ProofOptions::default(), tamper)
}

/// [`prove_shards_with`], each shard proven with the arguments `options(index)` names.
fn prove_shards_as(
    n: u64,
    options: impl Fn(u32) -> ProofOptions,
    mut tamper: impl FnMut(u32, &mut Shard),
) -> Vec<VmProof> {
    let program = fib();
    let inputs = [Fr::from(n)];
    let survey = ZasmShards::new(&program, &inputs, 1 << 20)
        .expect("a valid program")
        .survey()
        .expect("the run halts");
    let (machine, _) = zkvm_prover::lower::zasm::machine(&program, survey.mem_log_size);
    let mut source = ZasmShards::new(&program, &inputs, 1 << 20).expect("a valid program");
    let rows = 1usize << LOG_ROWS;
    let carried = machine.r1cs.next_columns();
    let mut memory = MemoryState::initial(&machine.memory);
    let (mut first_cycle, mut offset, mut entry) = (0u64, 0u64, None);
    let mut proofs = Vec::new();
    for index in 0u32.. {
        let in_shard = shard_machine(&machine, index);
        let lowered = source
            .next_shard(&in_shard, rows, first_cycle)
            .expect("the shard lowers");
        let mut columns = lowered.columns;
        let exit = (!lowered.ends_run).then(|| take_exit(&mut columns, &carried, rows));
        let end = offset + lowered.outputs;
        let mut shard = Shard {
            public: PublicValues {
                output: survey.output[offset as usize..end as usize].to_vec(),
                exit_code: 0,
                shard: Some(ShardBoundary {
                    index,
                    output_offset: offset,
                    entry: entry.take(),
                    exit: exit.clone(),
                }),
            },
            memory: memory.clone(),
            columns,
        };
        // The honest memory this shard leaves, whatever the tampering.
        let honest = finish_shard_witness(
            &in_shard,
            &shard.public,
            shard.columns.clone(),
            memory.clone(),
            first_cycle,
        )
        .expect("the honest witness")
        .1;
        tamper(index, &mut shard);
        proofs.push(prove_one(&in_shard, shard, first_cycle, options(index)));
        memory = honest;
        first_cycle += rows as u64;
        offset = end;
        entry = exit;
        if lowered.ends_run {
            break;
        }
    }
    proofs
}

/// Prove one shard as given, with the real prover (no constraint is checked in release builds).
fn prove_one(machine: &Machine, shard: Shard, first_cycle: u64, options: ProofOptions) -> VmProof {
    let (mut witness, _) = finish_shard_witness(
        machine,
        &shard.public,
        shard.columns,
        shard.memory,
        first_cycle,
    )
    .expect("the memory columns fill");
    let machine =
        machine_for_proof(machine.clone(), &mut witness, options).expect("a provable machine");
    let log_rows = witness.columns[0].len().trailing_zeros() as usize;
    let setup = setup_for(&machine, log_rows).expect("setup");
    proof::prove(&machine, &shard.public, witness, &setup)
        .expect("the prover runs")
        .0
}

fn verify(shards: &[VmProof]) -> Result<Vec<Fr>, PipelineError> {
    let bytes = ShardedProof {
        shards: shards.to_vec(),
    }
    .to_bytes();
    pipeline::verify_zasm(&fib(), &bytes).map(|(output, _)| output)
}

fn honest(n: u64) -> Vec<VmProof> {
    prove_shards_with(n, |_, _| {})
}

/// The error of a rejected sharded proof.
fn rejected(shards: &[VmProof]) -> ShardError {
    match verify(shards) {
        Err(PipelineError::Shards(e)) => e,
        other => panic!("expected a shard error, got {other:?}"),
    }
}

/// The verifier stage that rejected shard `index`'s own proof.
fn shard_stage(error: &ShardError) -> (u32, String) {
    match error {
        ShardError::Shard { index, source } => {
            let stage = match source {
                ProofError::Rejected { stage, .. } => stage.to_string(),
                ProofError::Shape(_) => "shape".into(),
                other => format!("{other:?}"),
            };
            (*index, stage)
        }
        other => panic!("expected a shard's own proof to fail, got {other}"),
    }
}

fn position(error: &ShardError) -> usize {
    match error {
        ShardError::Position { position, .. } => *position,
        other => panic!("expected a misplaced shard, got {other}"),
    }
}

#[test]
fn honest_shards_verify_with_the_run_s_output() {
    let shards = honest(60);
    assert_eq!(shards.len(), 5);
    // fib(60) = 1548008755920.
    assert_eq!(
        verify(&shards).expect("honest"),
        vec![Fr::from(1_548_008_755_920u64)]
    );
    // The prover this test drives is the pipeline's: the same statements.
    let options = ProofOptions {
        sharding: pipeline::Sharding::Rows(LOG_ROWS),
        ..ProofOptions::default()
    };
    let (_, bytes, _) =
        pipeline::prove_zasm_with(&fib(), &[Fr::from(60u64)], 1 << 20, options).expect("proves");
    let piped = ShardedProof::from_bytes(&bytes).expect("shards");
    let statements = |s: &[VmProof]| s.iter().map(|p| p.public.clone()).collect::<Vec<_>>();
    assert_eq!(statements(&piped.shards), statements(&shards));
}

#[test]
fn reordered_dropped_or_duplicated_shards_are_rejected() {
    let shards = honest(60);
    let mut swapped = shards.clone();
    swapped.swap(1, 2);
    assert_eq!(position(&rejected(&swapped)), 1);
    let mut dropped = shards.clone();
    dropped.remove(2);
    assert_eq!(position(&rejected(&dropped)), 2);
    // Without its last shard the run never halts (nor outputs).
    let truncated = &shards[..4];
    assert_eq!(position(&rejected(truncated)), 3);
    let mut duplicated = shards.clone();
    duplicated.insert(2, shards[2].clone());
    assert_eq!(position(&rejected(&duplicated)), 3);
    assert!(matches!(rejected(&[]), ShardError::Empty));
    // Two parts holding one shard do not combine.
    let part = |s: &[VmProof]| ShardedProof { shards: s.to_vec() };
    assert!(matches!(
        ShardedProof::combine(vec![part(&shards[..3]), part(&shards[2..])]),
        Err(ShardError::Duplicate { index: 2 })
    ));
    let combined = ShardedProof::combine(vec![part(&shards[3..]), part(&shards[..3])]).unwrap();
    assert!(verify(&combined.shards).is_ok());
}

#[test]
fn a_shard_spliced_in_from_another_run_is_rejected() {
    // fib(60) and fib(70) agree on pc, ap, fp, the cycle and output counts at every boundary of
    // their first shards; their loop counters in memory differ.
    let ours = honest(60);
    let theirs = honest(70);
    assert_eq!(ours[0].public.shard, theirs[0].public.shard);
    let mut spliced = ours.clone();
    spliced[1] = theirs[1].clone();
    assert!(matches!(
        rejected(&spliced),
        ShardError::Memory { index: 1 }
    ));
}

#[test]
fn a_shard_starting_from_other_memory_is_rejected() {
    // Shard 2 is proven, correctly, from a memory with one cell changed: its proof holds, but
    // its initial memory is not the one shard 1 left.
    let shards = prove_shards_with(60, |index, shard| {
        if index == 2 {
            shard.memory.value[16] += Fr::one();
        }
    });
    assert!(matches!(rejected(&shards), ShardError::Memory { index: 2 }));
    // The flags too.
    let shards = prove_shards_with(60, |index, shard| {
        if index == 2 {
            let cell = shard.memory.flag.len() - 1;
            shard.memory.flag[cell] = Fr::one();
        }
    });
    assert!(matches!(rejected(&shards), ShardError::Memory { index: 2 }));
}

#[test]
fn a_shard_leaving_other_memory_than_its_rows_wrote_is_rejected() {
    // Shard 1's committed final memory (and so shard 2's initial memory) has one cell changed:
    // the boundary commitments match, and shard 1's own memory check fails.
    let program = fib();
    let survey = ZasmShards::new(&program, &[Fr::from(60u64)], 1 << 20)
        .unwrap()
        .survey()
        .unwrap();
    let mut shards = honest(60);
    let cell = 16;
    // Re-prove shards 1 and 2 with the changed cell: shard 2 from it, shard 1 "leaving" it.
    let tampered = prove_shards_with(60, |index, shard| {
        if index == 2 {
            shard.memory.value[cell] += Fr::one();
        }
    });
    shards[2] = tampered[2].clone();
    let (machine, _) = zkvm_prover::lower::zasm::machine(&program, survey.mem_log_size);
    shards[1] = prove_with_final_cell_changed(&machine, cell);
    let error = rejected(&shards);
    assert_eq!(shard_stage(&error), (1, GKR.into()), "{error}");
}

/// Shard 1 of fib(60), whose committed final memory has `cell` increased by one.
fn prove_with_final_cell_changed(machine: &Machine, cell: usize) -> VmProof {
    let program = fib();
    let inputs = [Fr::from(60u64)];
    let mut source = ZasmShards::new(&program, &inputs, 1 << 20).unwrap();
    let rows = 1usize << LOG_ROWS;
    let carried = machine.r1cs.next_columns();
    let mut memory = MemoryState::initial(&machine.memory);
    let mut entry = None;
    for index in 0..2u32 {
        let in_shard = shard_machine(machine, index);
        let first_cycle = u64::from(index) * rows as u64;
        let mut columns = source
            .next_shard(&in_shard, rows, first_cycle)
            .unwrap()
            .columns;
        let exit = take_exit(&mut columns, &carried, rows);
        let public = PublicValues {
            output: Vec::new(),
            exit_code: 0,
            shard: Some(ShardBoundary {
                index,
                output_offset: 0,
                entry: entry.take(),
                exit: Some(exit.clone()),
            }),
        };
        let (mut witness, left) =
            finish_shard_witness(&in_shard, &public, columns, memory, first_cycle).unwrap();
        if index == 1 {
            use zkvm_prover::machine::table_cols;
            witness.table_columns[table_cols::MEM_FINAL_VALUE][cell] += Fr::one();
            let m = machine_for_proof(in_shard, &mut witness, ProofOptions::default()).unwrap();
            let setup = setup_for(&m, LOG_ROWS as usize).unwrap();
            return proof::prove(&m, &public, witness, &setup).unwrap().0;
        }
        memory = left;
        entry = Some(exit);
    }
    unreachable!()
}

#[test]
fn every_carried_column_is_held_across_a_boundary() {
    // For each carried column (pc, ap, fp, the cycle and output counts), shard 1 claims to end
    // and shard 2 to start one higher than the run: the boundary values agree, so the chain
    // holds, and shard 1's last transition fails its constraint (as would shard 2's entry).
    let (machine, _) = zkvm_prover::lower::zasm::machine(&fib(), 4);
    let carried = machine.r1cs.next_columns();
    let names: Vec<&str> = carried
        .iter()
        .map(|&c| machine.column_names[c].as_str())
        .collect();
    assert!(names.len() >= 5, "{names:?}");
    for (k, name) in names.iter().enumerate() {
        let shards = prove_shards_with(60, |index, shard| {
            let boundary = shard.public.shard.as_mut().unwrap();
            if index == 1 {
                boundary.exit.as_mut().unwrap()[k] += Fr::one();
            }
            if index == 2 {
                boundary.entry.as_mut().unwrap()[k] += Fr::one();
            }
        });
        let error = rejected(&shards);
        assert_eq!(
            shard_stage(&error),
            (1, "spartan".into()),
            "{name}: {error}"
        );
    }
}

#[test]
fn a_shard_that_does_not_start_where_the_last_ended_is_rejected() {
    // Shard 2 claims (and its rows start from) a pc one higher than shard 1 ended with.
    let shards = prove_shards_with(60, |index, shard| {
        if index == 2 {
            shard.public.shard.as_mut().unwrap().entry.as_mut().unwrap()[0] += Fr::one();
        }
    });
    assert!(matches!(
        rejected(&shards),
        ShardError::Discontinuity { index: 2 }
    ));
    // A first row that is not the shard's entry (its cycle count one higher; the memory's
    // timestamps do not read that column): the entry constraint fails.
    let shards = prove_shards_with(60, |index, shard| {
        if index == 2 {
            let (machine, _) = zkvm_prover::lower::zasm::machine(&fib(), 4);
            let cycle = machine
                .column_names
                .iter()
                .position(|n| n == "cycle")
                .unwrap();
            shard.columns[cycle][0] += Fr::one();
        }
    });
    let error = rejected(&shards);
    assert_eq!(shard_stage(&error), (2, "spartan".into()), "{error}");
}

#[test]
fn output_moved_between_shards_or_dropped_is_rejected() {
    // fib outputs once, in its last shard. Claimed in shard 3 instead:
    let shards = prove_shards_with(60, |index, shard| {
        let boundary = shard.public.shard.as_mut().unwrap();
        match index {
            3 => shard.public.output = vec![Fr::from(1_548_008_755_920u64)],
            4 => {
                shard.public.output.clear();
                boundary.output_offset = 1;
            }
            _ => {}
        }
    });
    let error = rejected(&shards);
    assert_eq!(shard_stage(&error), (3, GKR.into()), "{error}");
    // A last shard that claims no output: its output count ends short.
    let shards = prove_shards_with(60, |index, shard| {
        if index == 4 {
            shard.public.output.clear();
        }
    });
    let error = rejected(&shards);
    assert!(matches!(shard_stage(&error), (4, _)), "{error}");
    // An offset that does not follow the shards before.
    let shards = prove_shards_with(60, |index, shard| {
        if index == 4 {
            shard.public.shard.as_mut().unwrap().output_offset = 7;
        }
    });
    assert!(matches!(
        rejected(&shards),
        ShardError::Statement { index: 4, .. }
    ));
}

#[test]
fn a_shard_proof_under_another_statement_is_rejected() {
    // Each shard's transcript absorbs its boundary before any commitment: shard 3's proof,
    // checked under another index, entry or exit, fails (the verifier `verify_shards` runs on
    // each shard). No challenge carries over from one statement to another.
    let shards = honest(60);
    let program = fib();
    let (machine, _) = zkvm_prover::lower::zasm::machine(&program, shards[3].mem_log_size as usize);
    let p = &shards[3];
    let in_shard = shard_machine(&machine, 3)
        .for_proof(p.memory.argument(), p.fetch.argument(), p.tables)
        .unwrap();
    let setup = setup_for(&in_shard, LOG_ROWS as usize).unwrap();
    assert!(proof::verify(&in_shard, &shards[3], &setup).is_ok());
    for change in [
        |b: &mut ShardBoundary| b.index = 2,
        |b: &mut ShardBoundary| b.entry.as_mut().unwrap()[0] += Fr::one(),
        |b: &mut ShardBoundary| b.exit.as_mut().unwrap()[1] += Fr::one(),
    ] {
        let mut other = shards[3].clone();
        change(other.public.shard.as_mut().unwrap());
        let error = proof::verify(&in_shard, &other, &setup).expect_err("another statement");
        assert!(
            matches!(
                error,
                ProofError::Rejected {
                    stage: "spartan",
                    ..
                }
            ),
            "{error}"
        );
    }
    // In the sharded proof, shard 1's proof in shard 3's place fails the memory chain first.
    let mut reused = shards.clone();
    reused[3] = shards[1].clone();
    reused[3].public.shard = shards[3].public.shard.clone();
    assert!(matches!(rejected(&reused), ShardError::Memory { index: 3 }));
    // Only the index changed (shards 2 and 3 swapped, their labels kept in order).
    let mut swapped = shards.clone();
    swapped.swap(2, 3);
    for (k, proof) in swapped.iter_mut().enumerate().skip(2).take(2) {
        let boundary = proof.public.shard.as_mut().unwrap();
        boundary.index = k as u32;
    }
    let error = rejected(&swapped);
    assert!(
        matches!(error, ShardError::Discontinuity { index: 2 }),
        "{error}"
    );
}

#[test]
fn a_whole_run_s_proof_is_not_a_shard_and_a_shard_not_a_proof() {
    let (_, bytes, _) = pipeline::prove_zasm(&fib(), &[Fr::from(60u64)], 1 << 20).unwrap();
    let whole = VmProof::from_bytes(&bytes).unwrap();
    assert_eq!(position(&rejected(&[whole])), 0);
    // A lone shard 0 of a longer run as a proof file of its own: as a shard, it need not halt
    // or emit the output, so it proves nothing about the run, and is refused as it is...
    let mut first = honest(60).remove(0);
    let error = pipeline::verify_zasm(&fib(), &first.to_bytes()).expect_err("not a whole run");
    assert!(
        matches!(error, PipelineError::Proof(ProofError::Shape(_))),
        "{error}"
    );
    // ... and relabelled as a whole run's proof (its transcript then differs).
    first.public.shard = None;
    let error = pipeline::verify_zasm(&fib(), &first.to_bytes()).expect_err("not a whole run");
    assert!(matches!(error, PipelineError::Proof(_)), "{error}");
}

#[test]
fn a_shard_checking_its_memory_by_twist_or_with_another_exit_code_is_rejected() {
    // Twist reads a shard's initial memory from the program, not from the shard before: a
    // later shard under Twist would start from the program's initial memory.
    let twist = |index| ProofOptions {
        memory: if index == 2 {
            zkvm_prover::machine::twist_memory::MemoryArgument::Twist
        } else {
            Default::default()
        },
        ..ProofOptions::default()
    };
    let shards = prove_shards_as(60, twist, |_, _| {});
    assert!(matches!(
        rejected(&shards),
        ShardError::Statement { index: 2, .. }
    ));
    // Every shard states the run's exit code.
    let shards = prove_shards_with(60, |index, shard| {
        if index == 1 {
            shard.public.exit_code = 3;
        }
    });
    assert!(matches!(
        rejected(&shards),
        ShardError::Statement { index: 1, .. }
    ));
}
