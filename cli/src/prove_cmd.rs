//! `zkvm prove` and `zkvm verify`, for zasm programs and RV32IM ELF guests.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use ark_bn254::Fr;
use clap::Args;
use zkvm_prover::lower;
use zkvm_prover::machine::ProgramDigest;
use zkvm_prover::pipeline::{self, Report};

use crate::program::{detect, Kind};
use crate::zasm_cmd;

/// Arguments of `zkvm prove`.
#[derive(Args)]
pub struct ProveArgs {
    /// A .zasm source, a .zbin program, or an RV32IM ELF executable.
    pub program: PathBuf,
    /// Private input values for a zasm program (decimal or 0x-hex; `@FILE` reads the values in
    /// FILE, separated by whitespace or commas). An ELF guest reads its private input from stdin.
    #[arg(long = "input", num_args = 1.., allow_negative_numbers = true)]
    pub input: Vec<String>,
    /// An ELF guest's private input (its stdin) from FILE instead of our stdin.
    #[arg(long = "stdin", value_name = "FILE")]
    pub stdin: Option<PathBuf>,
    /// Stop with an error after this many cycles.
    #[arg(long, default_value_t = 1 << 24)]
    pub max_cycles: u64,
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
    /// A .zasm source, a .zbin program, or an RV32IM ELF executable.
    pub program: PathBuf,
    /// Print the digest as JSON.
    #[arg(long)]
    pub json: bool,
}

/// What a verified proof states.
pub struct Verified {
    /// The public output (zasm field elements, or a guest's stdout as words).
    pub output: Vec<Fr>,
    /// The exit code (0 for zasm).
    pub exit_code: u32,
    /// The program the proof is for.
    pub program: ProgramDigest,
    /// The verifier's time.
    pub time: std::time::Duration,
}

/// The public output as text lines: one field element per line in decimal.
pub fn output_lines(output: &[Fr]) -> String {
    output
        .iter()
        .map(|v| format!("{}\n", zkvm_isa::fmt_fr(v)))
        .collect()
}

fn load_zasm(path: &Path) -> anyhow::Result<zkvm_isa::Program> {
    zasm_cmd::load(path)?.ok_or_else(|| anyhow::anyhow!("{}: assembly failed", path.display()))
}

fn load_elf(path: &Path) -> anyhow::Result<zkvm_riscv::Program> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    zkvm_riscv::load_elf(&bytes).with_context(|| format!("{}: cannot load the ELF", path.display()))
}

/// A guest's stdout as the field elements the proof binds (little-endian u32 words).
fn words(stdout: &[u8]) -> Vec<Fr> {
    stdout
        .chunks(4)
        .map(|c| {
            let mut w = [0u8; 4];
            w[..c.len()].copy_from_slice(c);
            Fr::from(u32::from_le_bytes(w))
        })
        .collect()
}

/// The bytes of a guest's public output words.
fn word_bytes(words: &[Fr]) -> Vec<u8> {
    words
        .iter()
        .flat_map(|w| (zkvm_isa::fr_to_u64(w).unwrap_or(0) as u32).to_le_bytes())
        .collect()
}

/// Print the public output: decimal lines for zasm, raw bytes for a guest.
fn print_output(program: &Path, output: &[Fr]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if detect(program)? == Kind::Elf {
        out.write_all(&word_bytes(output))?;
    } else {
        out.write_all(output_lines(output).as_bytes())?;
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
    eprintln!("columns/cycle     {}", r.columns_per_cycle);
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

/// The digest that identifies the program at `path` (what `zkvm id` prints).
pub fn program_digest(path: &Path) -> anyhow::Result<ProgramDigest> {
    Ok(match detect(path)? {
        Kind::Elf => lower::riscv::program_digest(&load_elf(path)?),
        _ => lower::zasm::program_digest(&load_zasm(path)?),
    })
}

/// `zkvm id`: print the program's digest, which `zkvm verify` reports for every proof it
/// accepts, so a verifier can check which program a proof is about without reading it.
pub fn id(args: &IdArgs) -> anyhow::Result<u8> {
    let digest = program_digest(&args.program)?;
    if args.json {
        let json =
            serde_json::json!({ "program": args.program, "program_digest": digest.to_string() });
        println!("{json}");
    } else {
        println!("{digest}");
    }
    Ok(0)
}

/// Prove the program named by the arguments; returns the public output (as printed), the exit
/// code, the proof bytes and the report.
pub fn prove_program(
    program: &Path,
    input: &[String],
    stdin: Option<&Path>,
    max_cycles: u64,
) -> anyhow::Result<(Vec<Fr>, u32, Vec<u8>, Report)> {
    match detect(program)? {
        Kind::Elf => {
            anyhow::ensure!(
                input.is_empty(),
                "--input is for zasm programs; an ELF guest reads its private input from stdin"
            );
            let p = load_elf(program)?;
            let input = crate::program::guest_input(stdin)?;
            let (outcome, bytes, report) = pipeline::prove_rv32im(&p, input, max_cycles)
                .with_context(|| format!("{}: cannot prove", program.display()))?;
            Ok((words(&outcome.stdout), outcome.exit_code, bytes, report))
        }
        _ => {
            anyhow::ensure!(
                stdin.is_none(),
                "--stdin is for ELF guests; a zasm program takes its private input with --input"
            );
            let p = load_zasm(program)?;
            let inputs = zasm_cmd::parse_inputs(input)?;
            let (output, bytes, report) = pipeline::prove_zasm(&p, &inputs, max_cycles)
                .with_context(|| format!("{}: cannot prove", program.display()))?;
            Ok((output, 0, bytes, report))
        }
    }
}

/// Verify `proof_bytes` for the program; returns what the proof states.
pub fn verify_program(program: &Path, proof_bytes: &[u8]) -> anyhow::Result<Verified> {
    match detect(program)? {
        Kind::Elf => {
            let p = load_elf(program)?;
            let (outcome, time) = pipeline::verify_rv32im(&p, proof_bytes)?;
            Ok(Verified {
                output: words(&outcome.stdout),
                exit_code: outcome.exit_code,
                program: lower::riscv::program_digest(&p),
                time,
            })
        }
        _ => {
            let p = load_zasm(program)?;
            let (output, time) = pipeline::verify_zasm(&p, proof_bytes)?;
            Ok(Verified {
                output,
                exit_code: 0,
                program: lower::zasm::program_digest(&p),
                time,
            })
        }
    }
}

/// `zkvm prove`.
pub fn prove(args: &ProveArgs) -> anyhow::Result<u8> {
    eprintln!(
        "zkvm prove: running and proving {} ...",
        args.program.display()
    );
    let (output, exit_code, bytes, mut report) = prove_program(
        &args.program,
        &args.input,
        args.stdin.as_deref(),
        args.max_cycles,
    )?;
    let path = args.output.clone().unwrap_or_else(|| {
        let mut p = args.program.clone().into_os_string();
        p.push(".proof");
        PathBuf::from(p)
    });
    std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    let verified = verify_program(&args.program, &bytes)
        .context("the proof just produced does not verify (a prover bug)")?;
    report.verify_seconds = Some(verified.time.as_secs_f64());
    if args.json {
        let out: Vec<String> = output.iter().map(zkvm_isa::fmt_fr).collect();
        let json = serde_json::json!({
            "public_output": out,
            "exit_code": exit_code,
            "program_digest": verified.program.to_string(),
            "proof": path,
            "report": report,
        });
        println!("{json}");
    } else {
        print_output(&args.program, &output)?;
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
    let v = verify_program(&args.program, &bytes).with_context(|| {
        format!(
            "{} is not a valid proof for {}",
            args.proof.display(),
            args.program.display()
        )
    })?;
    let accepted = v.exit_code == args.exit_code;
    if args.json {
        let out: Vec<String> = v.output.iter().map(zkvm_isa::fmt_fr).collect();
        let json = serde_json::json!({
            "valid": accepted,
            "proof_valid": true,
            "exit_code": v.exit_code,
            "expected_exit_code": args.exit_code,
            "program_digest": v.program.to_string(),
            "public_output": out,
        });
        println!("{json}");
    } else {
        print_output(&args.program, &v.output)?;
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
