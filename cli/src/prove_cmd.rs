//! `zkvm prove` and `zkvm verify`, for zasm programs and RV32IM ELF guests.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use zkvm_host::{
    FetchArgument, MemoryArgument, Output, Program, ProofOptions, Report, ShardSelection, Sharding,
};

use crate::zasm_cmd;

/// Arguments of `zkvm prove`.
#[derive(Args)]
pub struct ProveArgs {
    /// A .zasm source, a .zbin program, an RV32IM ELF executable, or a Rust guest crate (built
    /// first).
    pub program: PathBuf,
    /// Private input values for a zasm program (decimal or 0x-hex; `@FILE` reads the values in
    /// FILE, separated by whitespace or commas). An ELF guest reads its private input from stdin.
    #[arg(long = "input", num_args = 1.., allow_negative_numbers = true)]
    pub input: Vec<String>,
    /// An ELF guest's private input (its stdin) from FILE instead of our stdin.
    #[arg(long = "stdin", value_name = "FILE")]
    pub stdin: Option<PathBuf>,
    /// Stop with an error after this many cycles.
    #[arg(long, default_value_t = 1 << 28)]
    pub max_cycles: u64,
    /// How instruction fetch is proven: `logup` (every bytecode field a committed column, one
    /// lookup into the bytecode table) or `shout` (the fields virtual, read through the table by
    /// the committed bits of the row's index). The proof records it; `zkvm verify` reads it.
    #[arg(long, default_value_t = FetchArgument::default())]
    pub fetch: FetchArgument,
    /// How the memory is checked: `offline` (timestamps, 16-bit range checks and a LogUp
    /// multiset equality; the faster today) or `twist` (Twist over the committed bits of every
    /// access's address: no timestamps and no final memory). The proof records it; `zkvm verify`
    /// reads it.
    #[arg(long, default_value_t = MemoryArgument::default())]
    pub memory_checking: MemoryArgument,
    /// Prove the run as one proof even when the estimated peak memory exceeds the memory
    /// available (by default such a run is proven in shards that fit).
    #[arg(long)]
    pub no_memory_check: bool,
    /// Prove the run in shards of 2^LOG rows (3 to 24), whatever its length: peak memory then
    /// depends on the shard size, not the run's length. `zkvm verify` checks the shards as one
    /// proof.
    #[arg(long, value_name = "LOG")]
    pub shard_rows: Option<u32>,
    /// Peak memory to stay within, in GiB: a run whose estimated peak exceeds it is proven in
    /// the largest shards that fit (default: the memory available).
    #[arg(long, value_name = "GIB", conflicts_with = "shard_rows")]
    pub memory_budget: Option<f64>,
    /// Prove only shards START..END (END excluded) of a run split by --shard-rows, into a part
    /// for `zkvm combine`: several processes or machines then prove one run. The other shards
    /// are executed (for the memory they leave) but not proven.
    #[arg(long, value_name = "START..END", requires = "shard_rows", value_parser = parse_range)]
    pub shards: Option<(u32, u32)>,
    /// Prove part I of N (from 0) of a run split by --shard-rows: an equal share of
    /// consecutive shards, into a part for `zkvm combine` (for array jobs: Slurm's
    /// `--part $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`).
    #[arg(long, value_name = "I/N", requires = "shard_rows", conflicts_with = "shards", value_parser = parse_part)]
    pub part: Option<(u32, u32)>,
    /// Where to write the proof (default: PROGRAM.proof).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Print the prover's metrics (cycles, constraints, commitments, time per phase, memory).
    #[arg(long)]
    pub stats: bool,
    /// Print the public output and the metrics as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `START..END` as a pair of shard indices.
fn parse_range(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{s:?} is not a range START..END of shard indices (e.g. 0..4)");
    let (start, end) = s.split_once("..").ok_or_else(bad)?;
    let (start, end): (u32, u32) = (
        start.parse().map_err(|_| bad())?,
        end.parse().map_err(|_| bad())?,
    );
    if start >= end {
        return Err(format!("{s:?} is an empty range of shards"));
    }
    Ok((start, end))
}

/// `I/N` as a part index and count.
fn parse_part(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{s:?} is not a part I/N (e.g. 0/4)");
    let (index, count) = s.split_once('/').ok_or_else(bad)?;
    let (index, count): (u32, u32) = (
        index.parse().map_err(|_| bad())?,
        count.parse().map_err(|_| bad())?,
    );
    if index >= count {
        return Err(format!(
            "{s:?}: part {index} of {count} does not exist (parts count from 0)"
        ));
    }
    Ok((index, count))
}

/// Arguments of `zkvm combine`.
#[derive(Args)]
pub struct CombineArgs {
    /// The parts (`zkvm prove --shard-rows K --shards A..B` each), in any order.
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    /// Where to write the proof.
    #[arg(short, long)]
    pub output: PathBuf,
}

/// `zkvm combine`: join parts of a sharded proof into one proof file.
pub fn combine(args: &CombineArgs) -> anyhow::Result<u8> {
    let mut parts = Vec::new();
    for path in &args.parts {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let part = zkvm_host::ShardedProof::from_bytes(&bytes)
            .with_context(|| format!("{} is not a part of a sharded proof", path.display()))?;
        parts.push(part);
    }
    let proof = zkvm_host::ShardedProof::combine(parts)?;
    let bytes = proof.to_bytes();
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!(
        "zkvm combine: {} shards, {} bytes -> {} (check it with `zkvm verify`)",
        proof.shards.len(),
        bytes.len(),
        args.output.display()
    );
    Ok(0)
}

/// Arguments of `zkvm verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// The program the proof is about (.zasm, .zbin or ELF).
    pub program: PathBuf,
    /// The proof file.
    pub proof: PathBuf,
    /// The exit code the run must have ended with (a zasm run always ends with 0). A proof of
    /// any other exit code is refused with status 1, even though the proof itself is valid:
    /// by default, a proof of a failing run (a panic, a failed test) is not accepted.
    #[arg(long, default_value_t = 0)]
    pub exit_code: u32,
    /// Print the verdict, the public output, the exit code and the program digest as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `zkvm id`.
#[derive(Args)]
pub struct IdArgs {
    /// A .zasm source, a .zbin program, an RV32IM ELF executable, or a Rust guest crate (built
    /// first).
    pub program: PathBuf,
    /// Print the digest as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Load the program at `path` (zasm assembly errors are printed with their locations).
pub fn load(path: &Path) -> anyhow::Result<Program> {
    Ok(Program::load(path)?)
}

/// The public output as JSON, the same keys for both ISAs: `values` (zasm field elements in
/// decimal) or `hex` and `text` (a guest's bytes, and the text when they are UTF-8).
pub fn output_json(output: &Output) -> serde_json::Value {
    match output {
        Output::Fields(v) => {
            let values: Vec<String> = v.iter().map(zkvm_host::fmt_field).collect();
            serde_json::json!({ "values": values })
        }
        Output::Bytes(b) => serde_json::json!({ "hex": zkvm_host::hex(b), "text": output.text() }),
    }
}

/// Print the public output on stdout: decimal lines for zasm; a guest's bytes as they are when
/// stdout is a file or a pipe, and as text or hex on a terminal.
pub fn print_output(output: &Output) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let mut out = std::io::stdout().lock();
    match output.bytes() {
        Some(b) if !out.is_terminal() => out.write_all(b)?,
        _ => write!(out, "{output}")?,
    }
    out.flush()?;
    Ok(())
}

/// Print a report on stderr in a readable form.
pub fn print_report(r: &Report) {
    eprintln!("isa               {}", r.isa);
    eprintln!(
        "cycles            {} (padded to {})",
        r.cycles, r.padded_cycles
    );
    if let Some(k) = r.shard_log_rows {
        eprintln!("shards            {} of 2^{k} rows", r.shards);
    }
    eprintln!("memory checking   {}", r.memory_checking);
    eprintln!("fetch             {}", r.fetch);
    eprintln!("lookup tables     {}", r.tables);
    eprintln!(
        "columns/cycle     {} ({} committed)",
        r.columns_per_cycle, r.committed_columns_per_cycle
    );
    eprintln!("constraints/cycle {}", r.constraints_per_cycle);
    eprintln!("lookups/cycle     {}", r.lookups_per_cycle);
    eprintln!("memory ops/cycle  {}", r.memory_ops_per_cycle);
    eprintln!(
        "committed         {} elements ({} small)",
        r.committed_elements, r.committed_small_elements
    );
    for (phase, s) in &r.phases {
        eprintln!("  {phase:<34} {:>9.3} s", s);
    }
    eprintln!("prove time        {:.3} s", r.prove_seconds);
    eprintln!(
        "peak memory       {:.1} MiB",
        r.peak_memory_bytes as f64 / (1 << 20) as f64
    );
    eprintln!("proof size        {} bytes", r.proof_bytes);
    if let Some(v) = r.verify_seconds {
        eprintln!("verify time       {:.3} s", v);
    }
}

/// `zkvm id`: print the program's digest, which `zkvm verify` reports for every proof it
/// accepts, so a verifier can check which program a proof is about without reading it.
pub fn id(args: &IdArgs) -> anyhow::Result<u8> {
    let digest = load(&args.program)?.digest();
    if args.json {
        let json =
            serde_json::json!({ "program": args.program, "program_digest": digest.to_string() });
        println!("{json}");
    } else {
        println!("{digest}");
    }
    Ok(0)
}

/// `zkvm prove`.
pub fn prove(args: &ProveArgs) -> anyhow::Result<u8> {
    eprintln!(
        "zkvm prove: running and proving {} ...",
        args.program.display()
    );
    zkvm_prover::pipeline::set_memory_check(!args.no_memory_check);
    let program = load(&args.program)?;
    let sharding = match (args.shard_rows, args.memory_budget) {
        (Some(log_rows), _) => Sharding::Rows(log_rows),
        (None, Some(gib)) => {
            crate::usage_ensure!(
                gib.is_finite() && gib > 0.0,
                "--memory-budget takes a positive number of GiB, not {gib}"
            );
            Sharding::Budget((gib * f64::from(1u32 << 30)) as u64)
        }
        (None, None) => Sharding::Auto,
    };
    let options = ProofOptions {
        memory: args.memory_checking,
        fetch: args.fetch,
        sharding,
        select: match (args.shards, args.part) {
            (Some((start, end)), _) => ShardSelection::Range(start, end),
            (None, Some((index, count))) => ShardSelection::Part { index, count },
            (None, None) => ShardSelection::All,
        },
    };
    let proof = match &program {
        Program::Zasm(_) => {
            crate::usage_ensure!(
                args.stdin.is_none(),
                "--stdin is for ELF guests; a zasm program takes its private input with --input"
            );
            let fields = zasm_cmd::parse_inputs(&args.input)?;
            program.prove_with(&fields, None, args.max_cycles, options)
        }
        Program::Rv32im(_) => {
            crate::usage_ensure!(
                args.input.is_empty(),
                "--input is for zasm programs; an ELF guest reads its private input from stdin"
            );
            let stdin = crate::program::guest_input(args.stdin.as_deref())?;
            program.prove_with(&[], Some(stdin), args.max_cycles, options)
        }
    }
    .with_context(|| format!("{}: cannot prove", args.program.display()))?;
    let (bytes, exit_code, mut report) = (proof.bytes, proof.exit_code, proof.report);
    let path = args.output.clone().unwrap_or_else(|| {
        let mut p = args.program.clone().into_os_string();
        p.push(".proof");
        PathBuf::from(p)
    });
    std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    if args.shards.is_some() || args.part.is_some() {
        eprintln!(
            "zkvm prove: {} shards of a run of {} cycles in shards of 2^{} rows, {} bytes -> {} \
             (join the parts with `zkvm combine`)",
            report.shards,
            report.cycles,
            args.shard_rows.unwrap_or_default(),
            bytes.len(),
            path.display()
        );
        return Ok(0);
    }
    let verified = program
        .verify(&bytes)
        .context("the proof just produced does not verify (a prover bug)")?;
    report.verify_seconds = Some(verified.time.as_secs_f64());
    if args.json {
        let json = serde_json::json!({
            "public_output": output_json(&proof.output),
            "exit_code": exit_code,
            "program_digest": verified.program.to_string(),
            "proof": path,
            "report": report,
        });
        println!("{json}");
    } else {
        print_output(&proof.output)?;
    }
    if args.stats {
        print_report(&report);
    }
    eprintln!(
        "zkvm prove: {} cycles, proved in {:.2} s, proof {} bytes -> {}",
        report.cycles,
        report.prove_seconds,
        report.proof_bytes,
        path.display()
    );
    eprintln!(
        "zkvm prove: program {}, exit code {exit_code}",
        verified.program
    );
    if exit_code != 0 {
        eprintln!(
            "zkvm prove: warning: the run FAILED (exit code {exit_code}); the proof proves that \
             failure, and `zkvm verify` refuses it unless given `--exit-code {exit_code}`"
        );
    }
    Ok(0)
}

/// `zkvm verify`.
pub fn verify(args: &VerifyArgs) -> anyhow::Result<u8> {
    let bytes = std::fs::read(&args.proof)
        .with_context(|| format!("cannot read {}", args.proof.display()))?;
    let v = load(&args.program)?.verify(&bytes).with_context(|| {
        format!(
            "{} is not a valid proof for {}",
            args.proof.display(),
            args.program.display()
        )
    })?;
    let accepted = v.exit_code == args.exit_code;
    if args.json {
        let json = serde_json::json!({
            "valid": accepted,
            "proof_valid": true,
            "exit_code": v.exit_code,
            "expected_exit_code": args.exit_code,
            "program_digest": v.program.to_string(),
            "public_output": output_json(&v.output),
        });
        println!("{json}");
    } else {
        print_output(&v.output)?;
    }
    eprintln!(
        "zkvm verify: proof valid ({:.1} ms); program {}; exit code {}",
        v.time.as_secs_f64() * 1e3,
        v.program,
        v.exit_code
    );
    if !accepted {
        eprintln!(
            "error: the proof is valid, but it proves a run that ended with exit code {} \
             (expected {}): the program failed. Pass `--exit-code {}` to accept that outcome.",
            v.exit_code, args.exit_code, v.exit_code
        );
        return Ok(1);
    }
    Ok(0)
}
