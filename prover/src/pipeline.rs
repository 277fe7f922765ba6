//! From a program to a checked proof, for either ISA: run with a trace, lower, prove, serialize,
//! verify — and the metrics of each step. The command line and the comparison use this.

use std::time::{Duration, Instant};

use ark_bn254::Fr;
use serde::Serialize;

use crate::lower::{self, LowerError, Witness};
use crate::machine::lookup::table_log_size;
use crate::machine::Machine;
use crate::pcs::{DoryPcs, DorySetup, Pcs, PcsError};
use crate::proof::{self, ProofError, VmProof};

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

/// What proving (and verifying) cost, for `zkvm prove --stats` and `zkvm compare`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// `"zasm"` or `"rv32im"`.
    pub isa: String,
    /// Cycles executed (rows before padding; RISC-V syscalls may add rows).
    pub cycles: u64,
    /// Rows after padding to a power of two.
    pub padded_cycles: u64,
    /// Witness columns per row.
    pub columns_per_cycle: usize,
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
    /// Verifier time in seconds, when verified (the commitment setup is loaded from its cache
    /// beforehand and not counted).
    pub verify_seconds: Option<f64>,
}

/// The Dory setup large enough for `machine` on `log_rows` rows (cached on disk by the PCS).
pub fn setup_for(machine: &Machine, log_rows: usize) -> Result<DorySetup, PcsError> {
    let mut n = log_rows.max(machine.memory.log_size);
    for table in lower::tables_used(machine) {
        n = n.max(table_log_size(table, machine.bytecode.len()));
    }
    DoryPcs::setup(n)
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

/// Prove a lowered run; fills the report's proving fields.
fn prove_lowered(
    machine: &Machine,
    witness: Witness,
    report: &mut Report,
) -> Result<Vec<u8>, PipelineError> {
    let rows = witness.columns.first().map_or(0, |c| c.len());
    if rows > 1 << MAX_LOG_SIZE || machine.memory.log_size > MAX_LOG_SIZE as usize {
        return Err(LowerError::Unprovable(format!(
            "{rows} rows and 2^{} memory cells exceed this prover's limit of 2^{MAX_LOG_SIZE}",
            machine.memory.log_size
        ))
        .into());
    }
    let setup = setup_for(machine, rows.trailing_zeros() as usize)?;
    let (proof, stats) = proof::prove(machine, witness, &setup)?;
    let start = Instant::now();
    let bytes = proof.to_bytes();
    report.padded_cycles = rows as u64;
    report.columns_per_cycle = machine.column_names.len();
    report.committed_elements = stats.committed_elements;
    report.committed_small_elements = stats.committed_small_elements;
    report.constraints_per_cycle = machine.r1cs.constraints.len();
    report.lookups_per_cycle = machine.lookups.len();
    report.memory_ops_per_cycle = machine.slots.len();
    report.memory_cells = 1 << machine.memory.log_size;
    report
        .phases
        .extend(stats.phases.iter().map(|(p, d)| (p.to_string(), secs(*d))));
    report
        .phases
        .push(("serialize".into(), secs(start.elapsed())));
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
    validate_zasm(program)?;
    let mut report = Report {
        isa: "zasm".into(),
        ..Report::default()
    };
    let start = Instant::now();
    let config = zkvm_vm::RunConfig {
        max_cycles,
        record_trace: true,
        ..Default::default()
    };
    let exec = zkvm_vm::run(program, inputs, &config)?;
    let trace = exec.trace.unwrap_or_default();
    report.phases.push(("trace".into(), secs(start.elapsed())));
    report.cycles = trace.len() as u64;
    let start = Instant::now();
    let (machine, witness) = lower::zasm::lower(program, &trace, &exec.output)?;
    drop(trace);
    report
        .phases
        .push(("witness generation".into(), secs(start.elapsed())));
    let bytes = prove_lowered(&machine, witness, &mut report)?;
    Ok((exec.output, bytes, report))
}

/// Verify a zasm proof for `program`; returns the proven public output and the verifier time.
pub fn verify_zasm(
    program: &zkvm_isa::Program,
    proof_bytes: &[u8],
) -> Result<(Vec<Fr>, Duration), PipelineError> {
    validate_zasm(program)?;
    let proof = VmProof::from_bytes(proof_bytes)?;
    let (machine, _) =
        lower::zasm::machine(program, &proof.public_output, proof.mem_log_size as usize);
    let time = verify_machine(&machine, &proof)?;
    Ok((proof.public_output, time))
}

/// Check the proof's sizes, load the setup, and verify; returns the time of verification proper
/// (the setup is loaded from the on-disk cache before the clock starts).
fn verify_machine(machine: &Machine, proof: &VmProof) -> Result<Duration, PipelineError> {
    if proof.log_rows > MAX_LOG_SIZE || proof.mem_log_size > MAX_LOG_SIZE {
        return Err(ProofError::Shape(format!(
            "2^{} rows and 2^{} memory cells: this verifier accepts at most 2^{MAX_LOG_SIZE} of each",
            proof.log_rows, proof.mem_log_size
        ))
        .into());
    }
    let setup = setup_for(machine, proof.log_rows as usize)?;
    let start = Instant::now();
    proof::verify(machine, proof, &setup)?;
    Ok(start.elapsed())
}

/// What an RV32IM guest's proven run showed: its public output bytes and exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuestOutcome {
    /// Bytes the guest wrote to fd 1 (whole 32-bit words).
    pub stdout: Vec<u8>,
    /// Bytes the guest wrote to fd 2 (debug text; not part of the statement).
    pub stderr: Vec<u8>,
    /// The exit code.
    pub exit_code: u32,
}

fn words_to_bytes(words: &[Fr]) -> Vec<u8> {
    words
        .iter()
        .flat_map(|w| {
            let v = crate::machine::memory::small_value(*w).unwrap_or(0) as u32;
            v.to_le_bytes()
        })
        .collect()
}

/// Run an RV32IM guest on its private input (stdin: bytes, or a reader pulled from as the guest
/// reads) and prove the run.
pub fn prove_rv32im<'a>(
    program: &zkvm_riscv::Program,
    input: impl Into<zkvm_riscv::Input<'a>>,
    max_cycles: u64,
) -> Result<(GuestOutcome, Vec<u8>, Report), PipelineError> {
    validate_rv32im(program)?;
    let mut report = Report {
        isa: "rv32im".into(),
        ..Report::default()
    };
    let start = Instant::now();
    let config = zkvm_riscv::RunConfig {
        max_cycles,
        record_trace: true,
    };
    let exec = zkvm_riscv::run(program, input, &config)?;
    report.phases.push(("trace".into(), secs(start.elapsed())));
    let trace = exec.trace.unwrap_or_default();
    report.cycles = trace.len() as u64;
    let output = lower::riscv::public_output_words(&exec.stdout).ok_or_else(|| {
        LowerError::Unprovable(format!(
            "the guest wrote {} bytes to stdout; the prover binds whole 32-bit words",
            exec.stdout.len()
        ))
    })?;
    let start = Instant::now();
    let (machine, witness) = lower::riscv::lower(program, &trace, &output, exec.exit_code)?;
    drop(trace);
    report
        .phases
        .push(("witness generation".into(), secs(start.elapsed())));
    let bytes = prove_lowered(&machine, witness, &mut report)?;
    let outcome = GuestOutcome {
        stdout: exec.stdout,
        stderr: exec.stderr,
        exit_code: exec.exit_code,
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
    let proof = VmProof::from_bytes(proof_bytes)?;
    let machine = lower::riscv::machine(
        program,
        &proof.public_output,
        proof.exit_code,
        proof.mem_log_size as usize,
    );
    let time = verify_machine(&machine, &proof)?;
    let outcome = GuestOutcome {
        stdout: words_to_bytes(&proof.public_output),
        stderr: Vec::new(),
        exit_code: proof.exit_code,
    };
    Ok((outcome, time))
}
