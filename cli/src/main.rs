//! `zkvm`: assemble, run, prove, verify and compare programs for the zasm and RV32IM ISAs.
//!
//! Exit status: 0 on success, 1 on bad input or a failed program or check (with a message on
//! stderr), 2 on usage errors (clap's own, and [`UsageError`]s: flags that do not fit the
//! program or each other). `run` passes a guest's non-zero exit code through.

mod compare;
mod demo;
mod new_cmd;
mod program;
mod progress;
mod prove_cmd;
mod riscv_cmd;
mod zasm_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "zkvm", version, about = "A zero-knowledge VM for zasm and RV32IM", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Assemble a .zasm file into a .zbin program.
    Asm(zasm_cmd::AsmArgs),
    /// Disassemble a .zbin program or an RV32IM ELF.
    Disasm {
        /// A .zbin, .zasm or ELF file, or a Rust guest crate (built first).
        program: PathBuf,
    },
    /// Run a program (.zasm, .zbin or RV32IM ELF) without proving.
    Run(RunArgs),
    /// Create a Rust guest project that builds, runs and proves at once.
    New(new_cmd::NewArgs),
    /// Build a Rust guest crate to an RV32IM ELF.
    Build(riscv_cmd::BuildArgs),
    /// Run a program and prove the run; writes the proof and prints the public output.
    ///
    /// The commitment scheme's transparent setup is generated on first use and cached in
    /// $ZKVM_CACHE_DIR (default ~/.cache/zkvm); a missing or corrupt cache is regenerated.
    Prove(prove_cmd::ProveArgs),
    /// Verify a proof for a program; prints the proven public output, and reports the program
    /// digest and the exit code (a non-zero exit code is refused unless `--exit-code` names it).
    Verify(prove_cmd::VerifyArgs),
    /// Join the parts of a proof made in shards by several processes (`zkvm prove --shard-rows K
    /// --shards A..B`) into one proof file for `zkvm verify`.
    Combine(prove_cmd::CombineArgs),
    /// Print the digest that identifies a program: `zkvm verify` reports it for every proof.
    Id(prove_cmd::IdArgs),
    /// Run, prove and verify several programs (and direct circuits) and print their costs side
    /// by side, with ratios to the first.
    Compare(compare::CompareArgs),
    /// Run, prove and verify a built-in example, then show tampered proofs rejected.
    Demo,
}

/// Builds the command's PROGRAM first when it names a Rust guest crate.
fn resolve_program(command: &mut Command) -> anyhow::Result<()> {
    let program = match command {
        Command::Disasm { program } => program,
        Command::Run(args) => &mut args.program,
        Command::Prove(args) => &mut args.program,
        Command::Verify(args) => &mut args.program,
        Command::Id(args) => &mut args.program,
        _ => return Ok(()),
    };
    *program = program::resolve(program)?;
    Ok(())
}

/// Arguments shared by every command that executes a program.
#[derive(Args, Clone, Debug)]
pub struct RunArgs {
    /// A .zasm source, a .zbin program, an RV32IM ELF executable, or a Rust guest crate (built
    /// first).
    pub program: PathBuf,
    /// Private input values for a zasm program (decimal or 0x-hex field elements; `@FILE` reads
    /// the values in FILE, separated by whitespace or commas). An ELF guest reads its private
    /// input from stdin instead.
    #[arg(long = "input", num_args = 1.., allow_negative_numbers = true)]
    pub input: Vec<String>,
    /// An ELF guest's private input (its stdin) from FILE instead of our stdin.
    #[arg(long = "stdin", value_name = "FILE")]
    pub stdin: Option<PathBuf>,
    /// Stop with an error after this many cycles.
    #[arg(long, default_value_t = 1 << 26)]
    pub max_cycles: u64,
    /// Print cycle counts and the instruction mix on stderr.
    #[arg(long)]
    pub stats: bool,
    /// Print the step trace on stderr.
    #[arg(long)]
    pub trace: bool,
    /// Print the public output, exit code and statistics as one JSON object on stdout (instead
    /// of the output itself).
    #[arg(long)]
    pub json: bool,
}

/// A command line that cannot mean anything (exit status 2, as clap's own usage errors).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Return a [`UsageError`] unless `ok`.
#[macro_export]
macro_rules! usage_ensure {
    ($ok:expr, $($fmt:tt)*) => {
        if !$ok {
            return Err($crate::UsageError(format!($($fmt)*)).into());
        }
    };
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Prove(args) => progress::init("prove", !args.json),
        Command::Demo => progress::init("demo", true),
        _ => progress::init("", false),
    }
    let mut command = cli.command;
    let result = resolve_program(&mut command).and_then(|()| match command {
        Command::Asm(args) => zasm_cmd::asm(&args),
        Command::Disasm { program } => match program::detect(&program) {
            Ok(program::Kind::Elf) => riscv_cmd::disasm(&program),
            Ok(_) => zasm_cmd::disasm(&program),
            Err(e) => Err(e),
        },
        Command::Run(args) => match program::detect(&args.program) {
            Ok(program::Kind::Elf) => riscv_cmd::run(&args),
            Ok(_) => zasm_cmd::run(&args),
            Err(e) => Err(e),
        },
        Command::New(args) => new_cmd::new(&args),
        Command::Build(args) => riscv_cmd::build(&args),
        Command::Prove(args) => prove_cmd::prove(&args),
        Command::Verify(args) => prove_cmd::verify(&args),
        Command::Combine(args) => prove_cmd::combine(&args),
        Command::Id(args) => prove_cmd::id(&args),
        Command::Compare(args) => compare::compare(&args),
        Command::Demo => demo::demo(),
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.downcast_ref::<UsageError>().is_some() => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
