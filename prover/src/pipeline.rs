//! From a program to a checked proof, for either ISA: run with a trace, lower, prove, serialize,
//! verify — and the metrics of each step. The command line and the comparison use this.

use std::time::{Duration, Instant};

use ark_bn254::Fr;
use serde::{Deserialize, Serialize};

use crate::lower::{self, LowerError, Witness};
use crate::machine::fetch::{self, FetchArgument};
use crate::machine::logup::table_log_size;
use crate::machine::split_tables::{self, LookupTables};
use crate::machine::twist_memory::{self, MemoryArgument};
use crate::machine::{Machine, PublicValues};
use crate::pcs::{DoryPcs, DorySetup, PcsError};
use crate::proof::{self, ProofError, VmProof};
use crate::shards::{RunStatement, ShardPlan, ShardSelection, ShardedProof, MIN_SHARD_LOG_ROWS};

/// Why a program could not be proven or a proof not verified.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// The zasm program failed.
    #[error("the program failed")]
    Zasm(#[from] zkvm_vm::VmError),
    /// The guest failed.
    #[error("the guest failed")]
    Riscv(#[from] zkvm_riscv::RunError),
    /// The run cannot be lowered (or the lowering found an inconsistency).
    #[error(transparent)]
    Lower(#[from] LowerError),
    /// Proving, reading or verifying the proof failed.
    #[error(transparent)]
    Proof(#[from] ProofError),
    /// The commitment setup failed.
    #[error(transparent)]
    Setup(#[from] PcsError),
    /// The proof would need more memory than the machine has available.
    #[error(
        "proving 2^{rows_log} rows ({isa}) needs about {need:.1} GiB, but {available:.1} GiB is \
         available; the largest run that fits is about 2^{fits_log} rows ({fits_cycles} cycles). \
         Shorten the run, free memory, or pass --no-memory-check to try anyway"
    )]
    OutOfMemory {
        /// The ISA.
        isa: &'static str,
        /// log2 of the padded rows.
        rows_log: u32,
        /// Estimated peak, GiB.
        need: f64,
        /// Available, GiB.
        available: f64,
        /// log2 of the largest padded trace that fits.
        fits_log: u32,
        /// Its cycles.
        fits_cycles: u64,
    },
    /// Shards that do not make up a proof of the run ([`crate::shards`]).
    #[error(transparent)]
    Shards(#[from] crate::shards::ShardError),
    /// The program is not one the interpreter runs (a hand-built program with an invalid
    /// instruction, or overlapping segments): no proof is about it.
    #[error("invalid program: {0}")]
    InvalidProgram(String),
}

/// The checks the zasm VM's decoder makes on every instruction (`Instruction::validate`), and
/// an entry point inside the program: the constraints give an invalid instruction's fields a
/// meaning the VM does not, so neither the prover nor the verifier accepts one.
fn validate_zasm(program: &zkvm_isa::Program) -> Result<(), PipelineError> {
    for (pc, i) in program.instructions.iter().enumerate() {
        i.validate()
            .map_err(|e| PipelineError::InvalidProgram(format!("instruction {pc}: {e}")))?;
    }
    if program.entry as usize >= program.instructions.len() {
        return Err(PipelineError::InvalidProgram(format!(
            "entry point {} is outside the program",
            program.entry
        )));
    }
    Ok(())
}

/// The checks the RV32IM interpreter makes on a program before running it.
fn validate_rv32im(program: &zkvm_riscv::Program) -> Result<(), PipelineError> {
    zkvm_riscv::validate(program).map_err(|e| PipelineError::InvalidProgram(e.to_string()))
}

/// Largest trace and memory (log2) the pipeline proves or verifies, so that a proof file cannot
/// make the verifier generate an enormous commitment setup.
pub const MAX_LOG_SIZE: u32 = 24;

/// What proving (and verifying) cost, for `zkvm prove --stats` and `zkvm compare` (which reads
/// it back from a child's JSON).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Report {
    /// `"zasm"` or `"rv32im"`.
    pub isa: String,
    /// Cycles executed (rows before padding; RISC-V syscalls may add rows).
    pub cycles: u64,
    /// Rows after padding to a power of two.
    pub padded_cycles: u64,
    /// How the memory was checked (`offline` or `twist`).
    #[serde(default)]
    pub memory_checking: String,
    /// How instruction fetch was proven (`logup` or `shout`).
    #[serde(default)]
    pub fetch: String,
    /// The range and bitwise tables (`full`, or `split` for a short run).
    #[serde(default)]
    pub tables: String,
    /// Witness columns per row.
    pub columns_per_cycle: usize,
    /// Of which committed (a Shout fetch's fields are virtual).
    #[serde(default)]
    pub committed_columns_per_cycle: usize,
    /// Field elements committed in all (columns and tables).
    pub committed_elements: u64,
    /// Of which through the small-value path.
    pub committed_small_elements: u64,
    /// R1CS constraints per row.
    pub constraints_per_cycle: usize,
    /// Lookups per row.
    pub lookups_per_cycle: usize,
    /// Memory accesses per row (slots).
    pub memory_ops_per_cycle: usize,
    /// Memory cells in the memory-checking table.
    pub memory_cells: u64,
    /// `(phase, seconds)`.
    pub phases: Vec<(String, f64)>,
    /// Total prover time, trace to serialized proof, in seconds (setup excluded).
    pub prove_seconds: f64,
    /// Peak resident memory of this process so far, in bytes (Linux; 0 elsewhere).
    pub peak_memory_bytes: u64,
    /// Serialized proof size in bytes.
    pub proof_bytes: usize,
    /// Shards proven (0 for one proof of the whole run).
    #[serde(default)]
    pub shards: u64,
    /// Each shard's rows (log2), for a run proven in shards.
    #[serde(default)]
    pub shard_log_rows: Option<u32>,
    /// Verifier time in seconds, when verified (the commitment setup is loaded from its cache
    /// beforehand and not counted).
    pub verify_seconds: Option<f64>,
}

/// How a proof is made: the memory-checking and instruction-fetch arguments (the lookup tables
/// follow from the run's length), and whether the run is proven in shards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProofOptions {
    /// How the memory is checked.
    pub memory: MemoryArgument,
    /// How instruction fetch is proven.
    pub fetch: FetchArgument,
    /// One proof, or shards ([`crate::shards`]).
    pub sharding: Sharding,
    /// With shards: the shards to prove (the others before them are executed, not proven),
    /// for a part that [`crate::shards::ShardedProof::combine`] joins to the others. Other than
    /// all, it needs [`Sharding::Rows`], so that every process splits the run alike.
    pub select: ShardSelection,
}

/// Whether a run is proven as one proof or in shards ([`crate::shards`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sharding {
    /// One proof when the run fits the memory available (estimated before proving), shards of
    /// the largest size that fits otherwise; always one proof with the memory check off
    /// ([`set_memory_check`]).
    #[default]
    Auto,
    /// As `Auto`, with a budget of this many bytes of peak memory instead of the memory
    /// available.
    Budget(u64),
    /// Shards of `2^k` rows, whatever the run's length.
    Rows(u32),
}

/// The shards to split a run of `cycles` cycles into, or `None` for one proof.
fn shard_plan(
    isa: &'static str,
    cycles: u64,
    options: ProofOptions,
) -> Result<Option<ShardPlan>, PipelineError> {
    let select = options.select;
    let budget = match options.sharding {
        Sharding::Rows(log_rows) => return Ok(Some(ShardPlan { log_rows, select })),
        _ if select != ShardSelection::All => {
            return Err(LowerError::Unprovable(
                "proving some of a run's shards needs a fixed shard size (--shard-rows)".into(),
            )
            .into())
        }
        Sharding::Budget(bytes) => bytes,
        Sharding::Auto if !MEMORY_CHECK.load(std::sync::atomic::Ordering::Relaxed) => {
            return Ok(None)
        }
        Sharding::Auto => match available_memory() {
            Some(bytes) => bytes,
            None => return Ok(None),
        },
    };
    if estimate_peak_memory(isa, cycles.next_power_of_two().max(2)) <= budget {
        return Ok(None);
    }
    let fits = (MIN_SHARD_LOG_ROWS..=MAX_LOG_SIZE)
        .rev()
        .find(|k| estimate_peak_memory(isa, 1 << k) <= budget);
    match fits {
        Some(log_rows) => Ok(Some(ShardPlan { log_rows, select })),
        None => Err(LowerError::Unprovable(format!(
            "a memory budget of {:.2} GiB is too small for even the smallest shard",
            budget as f64 / f64::from(1u32 << 30)
        ))
        .into()),
    }
}

impl From<FetchArgument> for ProofOptions {
    fn from(fetch: FetchArgument) -> Self {
        ProofOptions {
            fetch,
            ..ProofOptions::default()
        }
    }
}

impl From<MemoryArgument> for ProofOptions {
    fn from(memory: MemoryArgument) -> Self {
        ProofOptions {
            memory,
            ..ProofOptions::default()
        }
    }
}

/// The Dory setup large enough for `machine` on `log_rows` rows (cached on disk by the PCS).
/// Only offline memory checking commits a column per memory cell.
pub fn setup_for(machine: &Machine, log_rows: usize) -> Result<DorySetup, PcsError> {
    DoryPcs::setup(setup_size(machine, log_rows))
}

/// The variables of the largest polynomial `machine` commits on `log_rows` rows: the size of
/// [`setup_for`]'s setup.
pub fn setup_size(machine: &Machine, log_rows: usize) -> usize {
    let mut n = match machine.twist_memory {
        Some(_) => log_rows,
        None => log_rows.max(machine.memory.log_size),
    };
    for table in lower::tables_used(machine) {
        n = n.max(table_log_size(table, machine.bytecode.len()));
    }
    n
}

/// Peak resident set size of this process (`VmHWM`), in bytes.
pub fn peak_memory_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Whether [`check_memory`] refuses runs that would not fit (on by default).
static MEMORY_CHECK: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Turn the memory check before proving on or off for this process (`--no-memory-check`).
pub fn set_memory_check(on: bool) {
    MEMORY_CHECK.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// The prover's estimated peak memory for `rows` padded rows, in bytes: a fixed part (setup,
/// lookup tables) and a part per row, measured on traces of 2^16 to 2^20 rows (BENCHMARKS.md;
/// RV32IM's 13 KB a row is session 12's 2^18- and 2^20-row runs under offline checking).
pub fn estimate_peak_memory(isa: &str, rows: u64) -> u64 {
    const FIXED: u64 = 256 << 20;
    let per_row: u64 = if isa == "zasm" { 6_700 } else { 13_000 };
    FIXED + per_row * rows
}

/// `MemAvailable` from `/proc/meminfo`, in bytes (Linux; `None` elsewhere).
pub fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
}

/// Refuse a run of `cycles` rows (before padding) whose proof would not fit in the available
/// memory, naming both figures and the largest run that fits; unless turned off.
pub fn check_memory(isa: &'static str, cycles: u64) -> Result<(), PipelineError> {
    let Some(available) = available_memory() else {
        return Ok(());
    };
    let rows = cycles.next_power_of_two().max(2);
    let need = estimate_peak_memory(isa, rows);
    if need <= available || !MEMORY_CHECK.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(());
    }
    let mut fits_log = 1;
    while estimate_peak_memory(isa, 2 << fits_log) <= available {
        fits_log += 1;
    }
    let gib = |b: u64| b as f64 / f64::from(1u32 << 30);
    Err(PipelineError::OutOfMemory {
        isa,
        rows_log: rows.trailing_zeros(),
        need: gib(need),
        available: gib(available),
        fits_log,
        fits_cycles: 1 << fits_log,
    })
}

/// The phases of proving, in order: [`phase_done`] reports each as it ends (as a `tracing`
/// event with target `zkvm::progress`), so a front end can show which one runs now. The memory
/// phase runs only with Twist memory checking, the fetch phase only with Shout fetch.
pub const PHASES: [&str; 10] = [
    "trace",
    "witness generation",
    crate::proof::prover::PHASE_COMMIT_COLUMNS,
    crate::proof::prover::PHASE_COMMIT_TABLES,
    crate::proof::prover::PHASE_SPARTAN,
    crate::proof::prover::PHASE_GKR,
    crate::proof::prover::PHASE_MEMORY,
    crate::proof::prover::PHASE_FETCH,
    crate::proof::prover::PHASE_OPENINGS,
    "serialize",
];

/// Record that `phase` took `time`, and say so to the `zkvm::progress` tracing target.
fn phase_done(report: &mut Report, phase: &str, time: Duration) {
    crate::proof::prover::progress(phase, time);
    report.phases.push((phase.into(), secs(time)));
}

/// The machine a proof with `options` is made for, from the lowering's machine, and the witness
/// extended to it (Twist's address bits, Shout's fetch bits, split tables' high halves).
pub fn machine_for_proof(
    machine: Machine,
    witness: &mut Witness,
    options: ProofOptions,
) -> Result<Machine, PipelineError> {
    let ProofOptions { memory, fetch, .. } = options;
    let rows = witness.columns.first().map_or(0, |c| c.len());
    let tables = LookupTables::for_run(&machine, rows.trailing_zeros() as usize);
    let machine = machine
        .for_proof(memory, fetch, tables)
        .map_err(LowerError::Unprovable)?;
    twist_memory::extend_witness(&machine, witness).map_err(LowerError::Unprovable)?;
    fetch::extend_witness(&machine, witness).map_err(LowerError::Unprovable)?;
    split_tables::extend_witness(&machine, witness).map_err(LowerError::Unprovable)?;
    if rows > 1 << MAX_LOG_SIZE || machine.memory.log_size > MAX_LOG_SIZE as usize {
        return Err(LowerError::Unprovable(format!(
            "{rows} rows and 2^{} memory cells exceed this prover's limit of 2^{MAX_LOG_SIZE}",
            machine.memory.log_size
        ))
        .into());
    }
    Ok(machine)
}

/// Fill the report's description of a proof's machine and costs (the times are added by the
/// caller).
pub(crate) fn describe(
    report: &mut Report,
    machine: &Machine,
    proof: &VmProof,
    stats: &proof::ProveStats,
) {
    report.padded_cycles += 1 << proof.log_rows;
    report.memory_checking = machine.memory_argument().name().into();
    report.fetch = machine.fetch_argument().name().into();
    report.tables = machine.lookup_tables().name().into();
    report.columns_per_cycle = machine.column_names.len();
    report.committed_columns_per_cycle = proof.column_commitments.len();
    report.committed_elements += stats.committed_elements;
    report.committed_small_elements += stats.committed_small_elements;
    report.constraints_per_cycle = machine.r1cs.constraints.len();
    report.lookups_per_cycle = machine.lookups.len();
    report.memory_ops_per_cycle = machine.slots.len();
    report.memory_cells = 1 << machine.memory.log_size;
}

/// Prove a lowered run as `options` say; fills the report's proving fields.
fn prove_lowered(
    machine: Machine,
    public: &PublicValues,
    mut witness: Witness,
    options: ProofOptions,
    report: &mut Report,
) -> Result<Vec<u8>, PipelineError> {
    let machine = &machine_for_proof(machine, &mut witness, options)?;
    let rows = witness.columns.first().map_or(0, |c| c.len());
    let setup = setup_for(machine, rows.trailing_zeros() as usize)?;
    let (proof, stats) = proof::prove(machine, public, witness, &setup)?;
    let start = Instant::now();
    let bytes = proof.to_bytes();
    describe(report, machine, &proof, &stats);
    report
        .phases
        .extend(stats.phases.iter().map(|(p, d)| (p.to_string(), secs(*d))));
    phase_done(report, "serialize", start.elapsed());
    report.proof_bytes = bytes.len();
    report.prove_seconds = report.phases.iter().map(|(_, s)| s).sum();
    report.peak_memory_bytes = peak_memory_bytes();
    Ok(bytes)
}

/// Run a zasm program with its private input and prove the run. Returns the public output,
/// the proof file's bytes and the report.
pub fn prove_zasm(
    program: &zkvm_isa::Program,
    inputs: &[Fr],
    max_cycles: u64,
) -> Result<(Vec<Fr>, Vec<u8>, Report), PipelineError> {
    prove_zasm_with(program, inputs, max_cycles, ProofOptions::default())
}

/// [`prove_zasm`] with the arguments `options` names (a [`ProofOptions`], or one argument).
pub fn prove_zasm_with(
    program: &zkvm_isa::Program,
    inputs: &[Fr],
    max_cycles: u64,
    options: impl Into<ProofOptions>,
) -> Result<(Vec<Fr>, Vec<u8>, Report), PipelineError> {
    validate_zasm(program)?;
    let options = options.into();
    let mut report = Report {
        isa: "zasm".into(),
        ..Report::default()
    };
    let start = Instant::now();
    let cycles = match options.sharding {
        Sharding::Rows(_) => 0,
        // A first run without a trace decides between one proof and shards.
        _ => {
            zkvm_vm::run(
                program,
                inputs,
                &zkvm_vm::RunConfig {
                    max_cycles,
                    ..Default::default()
                },
            )?
            .summary
            .cycles
        }
    };
    if let Some(plan) = shard_plan("zasm", cycles, options)? {
        return prove_zasm_shards(program, inputs, max_cycles, options, &plan, report);
    }
    let config = zkvm_vm::RunConfig {
        max_cycles,
        record_trace: true,
        ..Default::default()
    };
    let exec = zkvm_vm::run(program, inputs, &config)?;
    let trace = exec.trace.unwrap_or_default();
    phase_done(&mut report, "trace", start.elapsed());
    report.cycles = trace.len() as u64;
    check_memory("zasm", report.cycles)?;
    let start = Instant::now();
    let public = PublicValues {
        output: exec.output,
        exit_code: 0,
        shard: None,
    };
    let (machine, witness) = lower::zasm::lower(program, &trace, &public)?;
    drop(trace);
    phase_done(&mut report, "witness generation", start.elapsed());
    let bytes = prove_lowered(machine, &public, witness, options, &mut report)?;
    Ok((public.output, bytes, report))
}

/// [`prove_zasm_with`] in shards: a first pass finds the run's memory size and output, then
/// the run is executed again and proven shard by shard.
fn prove_zasm_shards(
    program: &zkvm_isa::Program,
    inputs: &[Fr],
    max_cycles: u64,
    options: ProofOptions,
    plan: &ShardPlan,
    mut report: Report,
) -> Result<(Vec<Fr>, Vec<u8>, Report), PipelineError> {
    use lower::zasm::shards::ZasmShards;
    let start = Instant::now();
    let survey = ZasmShards::new(program, inputs, max_cycles)?.survey()?;
    phase_done(&mut report, "trace", start.elapsed());
    report.cycles = survey.rows;
    let (machine, _) = lower::zasm::machine(program, survey.mem_log_size);
    let mut source = ZasmShards::new(program, inputs, max_cycles)?;
    let run = RunStatement {
        output: &survey.output,
        exit_code: 0,
        rows: survey.rows,
    };
    let proofs =
        crate::shards::prove_shards(&machine, &mut source, run, plan, options, &mut report)?;
    let bytes = finish_shards(proofs, plan, &mut report);
    Ok((survey.output, bytes, report))
}

/// The sharded proof file, and the report's totals.
fn finish_shards(proofs: Vec<VmProof>, plan: &ShardPlan, report: &mut Report) -> Vec<u8> {
    let start = Instant::now();
    report.shards = proofs.len() as u64;
    report.shard_log_rows = Some(plan.log_rows);
    let bytes = ShardedProof { shards: proofs }.to_bytes();
    phase_done(report, "serialize", start.elapsed());
    report.proof_bytes = bytes.len();
    report.prove_seconds = report.phases.iter().map(|(_, s)| s).sum();
    report.peak_memory_bytes = peak_memory_bytes();
    bytes
}

/// Verify a zasm proof for `program`; returns the proven public output and the verifier time.
pub fn verify_zasm(
    program: &zkvm_isa::Program,
    proof_bytes: &[u8],
) -> Result<(Vec<Fr>, Duration), PipelineError> {
    validate_zasm(program)?;
    if ShardedProof::is_sharded(proof_bytes) {
        let proof = ShardedProof::from_bytes(proof_bytes)?;
        let (machine, _) = lower::zasm::machine(program, shards_memory_size(&proof)?);
        let (public, time) = crate::shards::verify_shards(&machine, &proof.shards)?;
        return Ok((public.output, time));
    }
    let proof = VmProof::from_bytes(proof_bytes)?;
    whole_run(&proof)?;
    let (machine, _) = lower::zasm::machine(program, proof.mem_log_size as usize);
    let time = verify_machine(&machine, &proof)?;
    Ok((proof.public.output, time))
}

/// The memory size (log2) of a sharded proof's first shard, within this verifier's limit.
fn shards_memory_size(proof: &ShardedProof) -> Result<usize, PipelineError> {
    let size = proof.shards.first().map_or(0, |s| s.mem_log_size);
    if size > MAX_LOG_SIZE {
        return Err(ProofError::Shape(format!(
            "2^{size} memory cells: this verifier accepts at most 2^{MAX_LOG_SIZE}"
        ))
        .into());
    }
    Ok(size as usize)
}

/// A proof file of one proof must prove a whole run: a shard's proof (a [`crate::shards`]
/// boundary in its statement) proves only a segment, which need not start at the entry point,
/// halt, or emit the output, and is verified only among its shards.
fn whole_run(proof: &VmProof) -> Result<(), PipelineError> {
    match proof.public.shard {
        None => Ok(()),
        Some(_) => Err(ProofError::Shape(
            "the proof is one shard of a run, not a proof of the whole run".into(),
        )
        .into()),
    }
}

/// Check the proof's sizes, load the setup, and verify; returns the time of verification proper
/// (the setup is loaded from the on-disk cache before the clock starts).
fn verify_machine(machine: &Machine, proof: &VmProof) -> Result<Duration, PipelineError> {
    verify_machine_with(machine, proof, None)
}

/// The machine a proof is for, from the lowering's machine, within this verifier's sizes: a
/// Shout-fetch machine commits no bytecode multiplicities, a split-table one no 2^16 or 2^18
/// table, so its largest polynomial may be smaller than the lowering's machine's.
pub(crate) fn proof_machine(machine: &Machine, proof: &VmProof) -> Result<Machine, PipelineError> {
    if proof.log_rows > MAX_LOG_SIZE || proof.mem_log_size > MAX_LOG_SIZE {
        return Err(ProofError::Shape(format!(
            "2^{} rows and 2^{} memory cells: this verifier accepts at most 2^{MAX_LOG_SIZE} of each",
            proof.log_rows, proof.mem_log_size
        ))
        .into());
    }
    Ok(machine
        .clone()
        .for_proof(
            proof.memory.argument(),
            proof.fetch.argument(),
            proof.tables,
        )
        .map_err(ProofError::Shape)?)
}

/// [`verify_machine`] with the given setup instead of one of the proof's own size (the shards
/// of a run share one setup, so that their memory commitments compare).
pub(crate) fn verify_machine_with(
    machine: &Machine,
    proof: &VmProof,
    setup: Option<&DorySetup>,
) -> Result<Duration, PipelineError> {
    let for_proof = proof_machine(machine, proof)?;
    let own;
    let setup = match setup {
        Some(setup) => setup,
        None => {
            own = setup_for(&for_proof, proof.log_rows as usize)?;
            &own
        }
    };
    let start = Instant::now();
    // Already the proof's machine: `proof::verify`'s own `for_proof` keeps it as it is.
    proof::verify(&for_proof, proof, setup)?;
    Ok(start.elapsed())
}

/// What an RV32IM guest's proven run showed: its public output bytes and exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuestOutcome {
    /// Bytes the guest wrote to fd 1.
    pub stdout: Vec<u8>,
    /// Bytes the guest wrote to fd 2 (debug text; not part of the statement).
    pub stderr: Vec<u8>,
    /// The exit code.
    pub exit_code: u32,
}

/// Run an RV32IM guest on its private input (stdin: bytes, or a reader pulled from as the guest
/// reads) and prove the run.
pub fn prove_rv32im<'a>(
    program: &zkvm_riscv::Program,
    input: impl Into<zkvm_riscv::Input<'a>>,
    max_cycles: u64,
) -> Result<(GuestOutcome, Vec<u8>, Report), PipelineError> {
    prove_rv32im_with(program, input, max_cycles, ProofOptions::default())
}

/// [`prove_rv32im`] with the arguments `options` names (a [`ProofOptions`], or one argument).
pub fn prove_rv32im_with<'a>(
    program: &zkvm_riscv::Program,
    input: impl Into<zkvm_riscv::Input<'a>>,
    max_cycles: u64,
    options: impl Into<ProofOptions>,
) -> Result<(GuestOutcome, Vec<u8>, Report), PipelineError> {
    validate_rv32im(program)?;
    let options = options.into();
    let mut report = Report {
        isa: "rv32im".into(),
        ..Report::default()
    };
    let start = Instant::now();
    // A first run without a trace: the output and exit code, the cycles (to decide between one
    // proof and shards), and the input the guest read, which the proving runs replay.
    let mut emulator = zkvm_riscv::Emulator::new(program, input)?;
    let code = emulator.run(&zkvm_riscv::RunConfig {
        max_cycles,
        record_trace: false,
    })?;
    let stdin = emulator.input_consumed().to_vec();
    let first = emulator.into_execution(code);
    if let Some(plan) = shard_plan("rv32im", first.summary.cycles, options)? {
        return prove_rv32im_shards(program, &stdin, max_cycles, first, options, &plan, report);
    }
    let config = zkvm_riscv::RunConfig {
        max_cycles,
        record_trace: true,
    };
    let exec = zkvm_riscv::run(program, &stdin[..], &config)?;
    phase_done(&mut report, "trace", start.elapsed());
    let trace = exec.trace.unwrap_or_default();
    report.cycles = trace.len() as u64;
    // Each system call adds a row, and one per word its buffer touches.
    let io_rows: u64 = trace
        .iter()
        .filter_map(|s| s.syscall.as_deref())
        .map(|s| match s {
            zkvm_riscv::SyscallRecord::Read { bytes, .. }
            | zkvm_riscv::SyscallRecord::Write { bytes, .. } => 2 + bytes.len() as u64 / 4,
            _ => 1,
        })
        .sum();
    check_memory("rv32im", report.cycles + io_rows)?;
    let public = PublicValues {
        output: lower::riscv::public_output_bytes(&exec.stdout),
        exit_code: exec.exit_code,
        shard: None,
    };
    let start = Instant::now();
    let (machine, witness) = lower::riscv::lower(program, &trace, &public)?;
    drop(trace);
    phase_done(&mut report, "witness generation", start.elapsed());
    let bytes = prove_lowered(machine, &public, witness, options, &mut report)?;
    let outcome = GuestOutcome {
        stdout: exec.stdout,
        stderr: exec.stderr,
        exit_code: exec.exit_code,
    };
    Ok((outcome, bytes, report))
}

/// [`prove_rv32im_with`] in shards, replaying the input `stdin` of the first run `first`.
fn prove_rv32im_shards(
    program: &zkvm_riscv::Program,
    stdin: &[u8],
    max_cycles: u64,
    first: zkvm_riscv::Execution,
    options: ProofOptions,
    plan: &ShardPlan,
    mut report: Report,
) -> Result<(GuestOutcome, Vec<u8>, Report), PipelineError> {
    use lower::riscv::shards::RvShards;
    let output = lower::riscv::public_output_bytes(&first.stdout);
    let code = first.exit_code;
    let start = Instant::now();
    let (rows, mem_log_size) =
        RvShards::new(program, stdin, max_cycles, output.clone(), code)?.survey()?;
    phase_done(&mut report, "trace", start.elapsed());
    report.cycles = first.summary.cycles;
    let machine = lower::riscv::machine(program, mem_log_size);
    let mut source = RvShards::new(program, stdin, max_cycles, output.clone(), code)?;
    let run = RunStatement {
        output: &output,
        exit_code: code,
        rows,
    };
    let proofs =
        crate::shards::prove_shards(&machine, &mut source, run, plan, options, &mut report)?;
    let bytes = finish_shards(proofs, plan, &mut report);
    let outcome = GuestOutcome {
        stdout: first.stdout,
        stderr: first.stderr,
        exit_code: code,
    };
    Ok((outcome, bytes, report))
}

/// Verify an RV32IM proof for `program`; returns the proven stdout and exit code, and the
/// verifier time.
pub fn verify_rv32im(
    program: &zkvm_riscv::Program,
    proof_bytes: &[u8],
) -> Result<(GuestOutcome, Duration), PipelineError> {
    validate_rv32im(program)?;
    let (public, time) = if ShardedProof::is_sharded(proof_bytes) {
        let proof = ShardedProof::from_bytes(proof_bytes)?;
        let machine = lower::riscv::machine(program, shards_memory_size(&proof)?);
        crate::shards::verify_shards(&machine, &proof.shards)?
    } else {
        let proof = VmProof::from_bytes(proof_bytes)?;
        whole_run(&proof)?;
        let machine = lower::riscv::machine(program, proof.mem_log_size as usize);
        (proof.public.clone(), verify_machine(&machine, &proof)?)
    };
    let outcome = GuestOutcome {
        stdout: lower::riscv::output_bytes(&public.output).ok_or_else(|| {
            ProofError::Shape("an RV32IM public output element is not a byte".into())
        })?,
        stderr: Vec::new(),
        exit_code: public.exit_code,
    };
    Ok((outcome, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_too_large_for_memory_is_refused_with_the_numbers() {
        if available_memory().is_none() {
            return; // not Linux
        }
        // 2^40 rows need petabytes.
        let err = check_memory("rv32im", 1 << 40).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("proving 2^40 rows (rv32im)"), "{message}");
        assert!(message.contains("GiB is available") && message.contains("--no-memory-check"));
        let PipelineError::OutOfMemory {
            fits_log,
            available,
            ..
        } = err
        else {
            panic!("{message}")
        };
        // The largest run named fits, and twice that does not.
        let gib = |b: u64| b as f64 / f64::from(1u32 << 30);
        assert!(gib(estimate_peak_memory("rv32im", 1 << fits_log)) <= available + 1e-9);
        assert!(gib(estimate_peak_memory("rv32im", 2 << fits_log)) > available - 1e-9);
        assert!(check_memory("zasm", 1 << 10).is_ok());
    }
}
