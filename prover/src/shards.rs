//! Continuations: a run of any length proven in shards of `2^k` rows, in memory bounded by the
//! shard size rather than the run's length.
//!
//! **The statement of one shard.** Shard `i` is an ordinary proof ([`VmProof`]) of the
//! machine's constraints on rows `i·2^k .. (i+1)·2^k` of the run, with a [`ShardBoundary`] in its
//! public values:
//! - **the state at its ends** — the values of the *carried columns*, those some constraint
//!   reads on the next row ([`crate::r1cs::UniformR1cs::next_columns`]): pc, the cycle counter, the output
//!   count, zasm's `ap`/`fp`, a system call's registers and counts in the middle of its rows.
//!   [`crate::r1cs::UniformR1cs::bind_segment`] pins the shard's first row to its entry and makes its last row's
//!   transitions read its exit, so every transition constraint holds across a boundary as it
//!   does inside a shard. Only the first shard is held to the run's first-row constraints (pc at
//!   the entry point, cycle 0, …) and only the last to the last-row ones (halted, all output
//!   emitted).
//! - **the memory at its ends.** Memory is checked offline inside each shard, with timestamps
//!   that count the run's cycles. A later shard's initial memory (values and flags) is committed
//!   ([`crate::machine::MemoryLayout::committed_init`]) instead of public, and its tuples enter
//!   the multiset at timestamp 0. The verifier requires the commitments to a shard's initial
//!   memory to *be* the commitments to the shard before's final memory: Dory commitments are
//!   deterministic and binding, so the two are the same table.
//! - **its part of the public output** (`output_offset` onwards), which its output lanes must
//!   emit exactly.
//!
//! Each shard has its own Fiat–Shamir transcript, which absorbs the whole boundary statement,
//! before any commitment; no challenge is shared between shards, and none needs to be, since no
//! argument spans two shards: what joins them is equality of public values and of commitments.
//!
//! **The verifier** ([`verify_shards`]) checks the shards' order and positions, that each exit is
//! the next entry, that the memory commitments chain, that the output parts tile the output, and
//! verifies every shard. Proof size and verification time grow linearly with the number of
//! shards (no recursion or aggregation).
//!
//! **The prover** ([`prove_shards`]) executes the run a piece at a time ([`ShardSource`]) and
//! keeps only one shard's trace, witness and the memory table, so its peak memory depends on the
//! shard size and the memory size, not the run's length. A first pass (executing without
//! proving) finds the run's memory size, which every shard shares. Shards can be proven in
//! separate processes ([`ShardSelection`]) and their proofs combined ([`ShardedProof::combine`]).

use std::ops::Range;
use std::time::{Duration, Instant};

use ark_bn254::Fr;

use crate::format::{from_bytes, to_bytes, ProofKind};
use crate::lower::{finish_shard_witness, LowerError};
use crate::machine::offline_memory::MemoryState;
use crate::machine::split_tables::LookupTables;
use crate::machine::twist_memory::MemoryArgument;
use crate::machine::{table_cols, Machine, PublicValues, ShardBoundary};
use crate::pcs::DorySetup;
use crate::pipeline::{
    describe, machine_for_proof, peak_memory_bytes, proof_machine, setup_size, verify_machine_with,
    PipelineError, ProofOptions, Report, MAX_LOG_SIZE,
};
use crate::proof::{self, committed_table_columns, ProofError, VmProof, MAX_LOG_ROWS};

/// A run executed a piece at a time and lowered one shard at a time.
pub trait ShardSource {
    /// The next shard's witness columns (before memory checking and lookups): `rows` rows from
    /// cycle `first_cycle`, and when the run goes on, one more, the next shard's first (whose
    /// carried columns are this shard's exit). `machine` is the run's machine.
    fn next_shard(
        &mut self,
        machine: &Machine,
        rows: usize,
        first_cycle: u64,
    ) -> Result<ShardColumns, PipelineError>;
}

/// One shard's columns ([`ShardSource::next_shard`]).
pub struct ShardColumns {
    /// The columns: the shard's rows, padded to a power of two when it ends the run, and one
    /// more row otherwise.
    pub columns: Vec<Vec<Fr>>,
    /// The shard ends the run.
    pub ends_run: bool,
    /// Public output elements its rows emit.
    pub outputs: u64,
}

/// How a run is split, and which of its shards this process proves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardPlan {
    /// Each shard's rows (log2); the last shard may be shorter.
    pub log_rows: u32,
    /// The shards to prove. The others before them are executed and their witness built (for
    /// the memory they leave), but not proven; the run stops after the last one selected.
    pub select: ShardSelection,
}

/// Which of a run's shards a process proves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ShardSelection {
    /// Every shard.
    #[default]
    All,
    /// Shards `start..end`.
    Range(u32, u32),
    /// Part `index` of `count` (from 0): an equal share of consecutive shards, as an array job
    /// of a batch engine gets it (Slurm's `$SLURM_ARRAY_TASK_ID`, a Kubernetes indexed Job's
    /// `$JOB_COMPLETION_INDEX`).
    Part {
        /// This part.
        index: u32,
        /// The number of parts.
        count: u32,
    },
}

impl ShardSelection {
    /// The shards selected of a run of `shards` shards.
    pub fn range(self, shards: u32) -> Range<u32> {
        match self {
            ShardSelection::All => 0..shards,
            ShardSelection::Range(start, end) => start..end,
            ShardSelection::Part { index, count } => {
                let at =
                    |i: u32| (u64::from(i) * u64::from(shards) / u64::from(count.max(1))) as u32;
                at(index)..at(index + 1)
            }
        }
    }
}

/// Smallest shard (log2 rows) accepted.
pub const MIN_SHARD_LOG_ROWS: u32 = 3;

/// The run's machine as shard `index` uses it: a later shard commits its initial memory.
pub fn shard_machine(machine: &Machine, index: u32) -> Machine {
    let mut m = machine.clone();
    m.memory.committed_init = index > 0;
    m
}

/// The carried columns' values on the row after a shard's `rows` rows (the next shard's first,
/// which [`ShardSource::next_shard`] lowers with them): the shard's exit; the columns are cut
/// to the shard's rows.
pub fn take_exit(columns: &mut [Vec<Fr>], carried: &[usize], rows: usize) -> Vec<Fr> {
    let exit = carried.iter().map(|&c| columns[c][rows]).collect();
    columns.iter_mut().for_each(|c| c.truncate(rows));
    exit
}

/// A run proven in shards, or some of its shards (one file, [`ProofKind::ZkvmShards`]).
#[derive(Clone, Debug)]
pub struct ShardedProof {
    /// The shards' proofs, in order.
    pub shards: Vec<VmProof>,
}

zkvm_core::impl_serialization!(ShardedProof { shards: vec });

impl ShardedProof {
    /// The proof in the versioned binary format.
    pub fn to_bytes(&self) -> Vec<u8> {
        to_bytes(ProofKind::ZkvmShards, self).expect("writing into a Vec cannot fail")
    }

    /// Reads [`ShardedProof::to_bytes`]; malformed input is an error, never a panic.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofError> {
        Ok(from_bytes(ProofKind::ZkvmShards, bytes)?)
    }

    /// Whether `bytes` hold shards rather than one proof (by the format's header).
    pub fn is_sharded(bytes: &[u8]) -> bool {
        bytes.get(6..8) == Some(&(ProofKind::ZkvmShards as u16).to_le_bytes()[..])
    }

    /// The shards of several parts (each proven by some process), in order of their index.
    /// Two parts that hold the same shard are an error; a missing shard is found by
    /// [`verify_shards`].
    pub fn combine(parts: Vec<ShardedProof>) -> Result<ShardedProof, ShardError> {
        let mut shards: Vec<VmProof> = parts.into_iter().flat_map(|p| p.shards).collect();
        let index = |p: &VmProof| p.public.shard.as_ref().map_or(u32::MAX, |s| s.index);
        shards.sort_by_key(index);
        for w in shards.windows(2) {
            if index(&w[0]) == index(&w[1]) {
                return Err(ShardError::Duplicate {
                    index: index(&w[0]),
                });
            }
        }
        Ok(ShardedProof { shards })
    }
}

/// Why shards do not make up a proof of the run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShardError {
    /// No shards.
    #[error("the proof holds no shards")]
    Empty,
    /// A proof that is not the shard its position says (a shard missing, repeated, moved, or
    /// first or last where it should not be).
    #[error("shard {position}: {what}")]
    Position {
        /// The position in the proof.
        position: usize,
        /// What is wrong.
        what: String,
    },
    /// Two parts hold the same shard ([`ShardedProof::combine`]).
    #[error("two parts hold shard {index}")]
    Duplicate {
        /// The shard.
        index: u32,
    },
    /// A shard does not start in the state the shard before ended in.
    #[error("shard {index} does not start where shard {} ended (pc, registers or counters)", index - 1)]
    Discontinuity {
        /// The later shard.
        index: u32,
    },
    /// A shard's initial memory is not the memory the shard before left.
    #[error("shard {index}'s initial memory is not the memory shard {} left", index - 1)]
    Memory {
        /// The later shard.
        index: u32,
    },
    /// A shard's part of the output, exit code, or sizes disagree with the others'.
    #[error("shard {index}: {what}")]
    Statement {
        /// The shard.
        index: u32,
        /// What disagrees.
        what: String,
    },
    /// A shard's own proof is invalid.
    #[error("shard {index}: {source}")]
    Shard {
        /// The shard.
        index: u32,
        /// Why.
        source: ProofError,
    },
}

/// The commitments to the memory a shard starts from (`init`) or leaves (`final`), values then
/// flags; `None` when the proof does not commit them.
fn memory_commitments(
    machine: &Machine,
    proof: &VmProof,
    init: bool,
) -> Option<[crate::pcs::DoryCommitment; 2]> {
    let ids = committed_table_columns(machine);
    let (value, flag) = if init {
        (table_cols::MEM_INIT_VALUE, table_cols::MEM_INIT_FLAG)
    } else {
        (table_cols::MEM_FINAL_VALUE, table_cols::MEM_FINAL_FLAG)
    };
    let at = |col| {
        let k = ids.iter().position(|&i| i == col)?;
        proof.table_commitments.get(k).cloned()
    };
    Some([at(value)?, at(flag)?])
}

/// A run's public values and length, from a first run.
pub struct RunStatement<'a> {
    /// The public output.
    pub output: &'a [Fr],
    /// The exit code.
    pub exit_code: u32,
    /// Its rows.
    pub rows: u64,
}

/// The log2 rows of the shards of a run of `rows` rows in shards of 2^`log_rows`: the full
/// shards' (when there are any), and the last one's (padded to a power of two).
fn shard_sizes(log_rows: u32, rows: u64) -> Vec<usize> {
    let full = 1u64 << log_rows;
    let last = rows - (rows.max(1) - 1) / full * full;
    let last = last.next_power_of_two().max(2).trailing_zeros() as usize;
    if rows <= full {
        vec![last]
    } else {
        vec![log_rows as usize, last]
    }
}

/// The one setup every shard of a run is proven and verified with: the largest any of its
/// shards needs (a short last shard may use split tables and a smaller setup of its own). The
/// setup's generators depend on its size, so shards proven with setups of two sizes would
/// commit one memory to two different commitments.
fn shared_setup(
    machine: &Machine,
    options: ProofOptions,
    log_rows: u32,
    rows: u64,
) -> Result<DorySetup, PipelineError> {
    let mut n = 0;
    for log in shard_sizes(log_rows, rows) {
        let tables = LookupTables::for_run(machine, log);
        let m = machine
            .clone()
            .for_proof(options.memory, options.fetch, tables)
            .map_err(LowerError::Unprovable)?;
        n = n.max(setup_size(&m, log));
    }
    Ok(crate::pcs::DoryPcs::setup(n)?)
}

/// Prove a run shard by shard: `source` executes it, `machine` is its machine (with the run's
/// memory size), `run` its public values and length. Returns the proofs of the selected shards
/// and adds the costs to `report`.
pub fn prove_shards(
    machine: &Machine,
    source: &mut dyn ShardSource,
    run: RunStatement,
    plan: &ShardPlan,
    options: ProofOptions,
    report: &mut Report,
) -> Result<Vec<VmProof>, PipelineError> {
    if options.memory != MemoryArgument::Offline {
        return Err(LowerError::Unprovable(
            "a run proven in shards checks its memory offline: Twist keeps no final memory to \
             hand from one shard to the next (use --memory-checking offline)"
                .into(),
        )
        .into());
    }
    if !(MIN_SHARD_LOG_ROWS..=MAX_LOG_SIZE).contains(&plan.log_rows) {
        return Err(LowerError::Unprovable(format!(
            "shards of 2^{} rows: the shard size must be 2^{MIN_SHARD_LOG_ROWS} to 2^{MAX_LOG_SIZE}",
            plan.log_rows
        ))
        .into());
    }
    let rows = 1usize << plan.log_rows;
    let RunStatement {
        output, exit_code, ..
    } = run;
    let shards = run.rows.div_ceil(rows as u64).max(1);
    let selected = plan.select.range(u32::try_from(shards).unwrap_or(u32::MAX));
    let setup = shared_setup(machine, options, plan.log_rows, run.rows)?;
    let carried = machine.r1cs.next_columns();
    let mut memory = MemoryState::initial(&machine.memory);
    let (mut first_cycle, mut offset, mut entry) = (0u64, 0u64, None);
    let mut times: Vec<(String, f64)> = Vec::new();
    let mut add_time = |phase: &str, seconds: f64| match times.iter_mut().find(|(p, _)| p == phase)
    {
        Some((_, s)) => *s += seconds,
        None => times.push((phase.to_string(), seconds)),
    };
    let mut proofs = Vec::new();
    for index in 0u32.. {
        if first_cycle + rows as u64 > 1 << MAX_LOG_ROWS {
            return Err(LowerError::Unprovable(format!(
                "the run is longer than 2^{MAX_LOG_ROWS} rows, the most a sharded proof covers \
                 (its timestamps count the run's cycles)"
            ))
            .into());
        }
        let start = Instant::now();
        let in_shard = shard_machine(machine, index);
        let shard = source.next_shard(&in_shard, rows, first_cycle)?;
        let mut columns = shard.columns;
        let exit = (!shard.ends_run).then(|| take_exit(&mut columns, &carried, rows));
        let end = offset + shard.outputs;
        let part = output.get(offset as usize..end as usize).ok_or_else(|| {
            LowerError::Unprovable("the shards emit more output than the run".into())
        })?;
        let public = PublicValues {
            output: part.to_vec(),
            exit_code,
            shard: Some(ShardBoundary {
                index,
                output_offset: offset,
                entry: entry.take(),
                exit: exit.clone(),
            }),
        };
        let (mut witness, left) =
            finish_shard_witness(&in_shard, &public, columns, memory, first_cycle)?;
        add_time("witness generation", start.elapsed().as_secs_f64());
        if selected.contains(&index) {
            let for_proof = machine_for_proof(in_shard, &mut witness, options)?;
            let (proof, stats) = proof::prove(&for_proof, &public, witness, &setup)?;
            for (phase, time) in &stats.phases {
                add_time(phase, time.as_secs_f64());
            }
            describe(report, &for_proof, &proof, &stats);
            proofs.push(proof);
        }
        memory = left;
        first_cycle += rows as u64;
        offset = end;
        entry = exit;
        if shard.ends_run {
            break;
        }
        if index + 1 >= selected.end {
            // The shards after the selected ones are another process's.
            report.peak_memory_bytes = peak_memory_bytes();
            report.phases.extend(times);
            return Ok(proofs);
        }
    }
    if offset != output.len() as u64 {
        return Err(
            LowerError::Unprovable("the shards emit less output than the run".into()).into(),
        );
    }
    report.phases.extend(times);
    report.prove_seconds = report.phases.iter().map(|(_, s)| s).sum();
    report.peak_memory_bytes = peak_memory_bytes();
    Ok(proofs)
}

/// Verify a run's shards against `machine` (built from the program with the proofs' memory
/// size): returns the run's public values and the verification time (setups loaded before the
/// clock starts).
pub fn verify_shards(
    machine: &Machine,
    shards: &[VmProof],
) -> Result<(PublicValues, Duration), PipelineError> {
    let first = shards.first().ok_or(ShardError::Empty)?;
    let exit_code = first.public.exit_code;
    let last = shards.len() - 1;
    let mut output = Vec::new();
    let mut rows = 0u64;
    let mut time = Duration::ZERO;
    // Every shard is checked with the one setup the prover used (see `shared_setup`): the
    // larger of the first shard's (the full size) and the last one's. A middle shard that
    // needs a larger setup fails its own opening; one of another size within it is still a
    // true statement about its rows (the chain fixes where it starts and ends), and is accepted.
    let mut setup = 0;
    for index in [0, last] {
        let m = proof_machine(&shard_machine(machine, index as u32), &shards[index])?;
        setup = setup.max(setup_size(&m, shards[index].log_rows as usize));
    }
    let setup = crate::pcs::DoryPcs::setup(setup)?;
    let mut previous: Option<(&ShardBoundary, Machine, &VmProof)> = None;
    for (position, proof) in shards.iter().enumerate() {
        let index = position as u32;
        let place = |what: &str| ShardError::Position {
            position,
            what: what.into(),
        };
        let statement = |what: String| ShardError::Statement { index, what };
        let boundary = proof
            .public
            .shard
            .as_ref()
            .ok_or_else(|| place("not a shard's proof"))?;
        if boundary.index != index {
            return Err(place(&format!("the proof is shard {}'s", boundary.index)).into());
        }
        if boundary.is_first() != (position == 0) {
            return Err(place("only the first shard starts the run").into());
        }
        if boundary.is_last() != (position == last) {
            return Err(place("only the last shard ends the run").into());
        }
        if proof.public.exit_code != exit_code || proof.mem_log_size != first.mem_log_size {
            return Err(statement("exit code or memory size differs from shard 0's".into()).into());
        }
        if proof.memory.argument() != MemoryArgument::Offline {
            return Err(statement("a shard must check its memory offline".into()).into());
        }
        if boundary.output_offset != output.len() as u64 {
            return Err(statement("its output does not follow the shard before's".into()).into());
        }
        rows += 1u64 << proof.log_rows.min(MAX_LOG_ROWS);
        if rows > 1 << MAX_LOG_ROWS {
            return Err(statement(format!("the run exceeds 2^{MAX_LOG_ROWS} rows")).into());
        }
        let in_shard = shard_machine(machine, index);
        if let Some((before, before_machine, before_proof)) = &previous {
            if before.exit != boundary.entry {
                return Err(ShardError::Discontinuity { index }.into());
            }
            let left = memory_commitments(before_machine, before_proof, false);
            let found = memory_commitments(&in_shard, proof, true);
            if left.is_none() || left != found {
                return Err(ShardError::Memory { index }.into());
            }
        }
        time += verify_machine_with(&in_shard, proof, Some(&setup)).map_err(|e| match e {
            PipelineError::Proof(source) => ShardError::Shard { index, source }.into(),
            e => e,
        })?;
        output.extend_from_slice(&proof.public.output);
        previous = Some((boundary, in_shard, proof));
    }
    let public = PublicValues {
        output,
        exit_code,
        shard: None,
    };
    Ok((public, time))
}
