//! The arguments of `zkvm compare` and their parsing: programs with their `--input N=…` and
//! `--stdin N=…`, `--baseline` kernels, and the usage errors ([`crate::UsageError`]) when they do
//! not fit together. [`columns`] turns them into the table's columns.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use zkvm_prover::baseline::Kernel;
use zkvm_prover::machine::fetch::FetchArgument;
use zkvm_prover::machine::twist_memory::MemoryArgument;
use zkvm_prover::pipeline::ProofOptions;

use super::{Column, Measured, Source};
use crate::program::{detect, resolve, Kind};
use crate::zasm_cmd;

/// Arguments of `zkvm compare`.
#[derive(Args)]
#[command(after_long_help = COMPARE_HELP)]
pub struct CompareArgs {
    /// Programs, numbered 1, 2, … in this order: .zasm or .zbin files, RV32IM ELF executables,
    /// or Rust guest crate directories (built first, as `zkvm build` does).
    pub programs: Vec<PathBuf>,
    /// Private zasm input of program N: `N=V[,V...]` (decimal or 0x-hex field elements; a value
    /// `@FILE` stands for the values in FILE). Repeatable; values accumulate in order.
    #[arg(long = "input", value_name = "N=V[,V...]", allow_hyphen_values = true)]
    pub input: Vec<String>,
    /// Private input bytes (stdin) of guest N: `N=FILE`, `N=@text:STRING` or `N=@hex:HEX`.
    /// Repeatable; the bytes accumulate in order.
    #[arg(long = "stdin", value_name = "N=SOURCE")]
    pub stdin: Vec<String>,
    /// Add a direct-circuit column (no VM): `matmul:N` (n×n matrix product over the field,
    /// A[i][l] = −(i + l + 1), B[l][j] = l·j + 1, as examples/zasm/matmul.zasm and
    /// examples/guests/matmul build them) or `mimc[:N[:X:K]]` (N chained circomlib MiMC-7 hashes,
    /// h_0 = X, h_{i+1} = mimc7.hash(h_i, K), as examples/zasm/mimc.zasm and examples/guests/mimc
    /// compute them; N = 1, X = 1, K = 2 by default). Repeatable.
    #[arg(long = "baseline", value_name = "KERNEL")]
    pub baseline: Vec<String>,
    /// Prove every program with each of these instruction-fetch arguments, one column each:
    /// `--fetch logup,shout` puts LogUp and Shout side by side on the same run.
    #[arg(long, value_delimiter = ',', default_value = "logup")]
    pub fetch: Vec<FetchArgument>,
    /// Prove every program with each of these memory-checking arguments, one column each (and
    /// one per fetch argument): `--memory-checking offline,twist` puts offline memory checking
    /// and Twist side by side on the same run.
    #[arg(long, value_delimiter = ',', default_value = "offline")]
    pub memory_checking: Vec<MemoryArgument>,
    /// Only run the programs: cycles and instruction mix, no proving.
    #[arg(long)]
    pub execute_only: bool,
    /// Print the table as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Write an SVG bar chart: prover time by phase and cost per cycle, one bar per column.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Stop a program with an error after this many cycles.
    #[arg(long, default_value_t = 1 << 24)]
    pub max_cycles: u64,
    /// Prove each program within this peak memory, in GiB: a run whose estimated peak exceeds
    /// it is proven in shards that fit (`zkvm prove --memory-budget`; default: the memory
    /// available).
    #[arg(long, value_name = "GIB")]
    pub memory_budget: Option<f64>,
    /// Internal: prove one baseline and print its report as JSON (used in a child process).
    #[arg(long, hide = true, value_name = "KERNEL")]
    pub prove_baseline: Option<String>,
    /// Internal: where `--prove-baseline` writes its proof.
    #[arg(long, hide = true, value_name = "FILE")]
    pub proof_out: Option<PathBuf>,
}

/// The long help's closing section (`zkvm compare --help`).
const COMPARE_HELP: &str = "\
Inputs: programs are numbered from 1 in the order given. A zasm program's private input is
given with --input N=V[,V...] (a value @FILE stands for the whitespace- or comma-separated
values in FILE); a guest's stdin with --stdin N=FILE, --stdin N=@text:STRING or
--stdin N=@hex:HEX. Both may be repeated and mixed in one command.

Examples:
  zkvm compare examples/zasm/fib.zasm examples/guests/fib --input 1=30 --stdin 2=@text:30
  zkvm compare examples/zasm/mimc.zasm examples/guests/mimc --input 1=1,2,1 \\
      --stdin '2=@text:1 2 1' --baseline mimc:1:1:2 --plot mimc.svg
  zkvm compare examples/zasm/matmul.zasm examples/guests/matmul --input 1=4 \\
      --stdin 2=@text:4 --baseline matmul:4
  zkvm compare a.zasm b.zasm --execute-only

Every value is followed by its ratio to the first column (1.00x). Each program is proven in a
child process so that its peak memory is its own; every proof is verified before it is counted.
Exit status 1 when a column failed (its error is shown in the table and below it).";

/// Splits `N=REST` for `--{flag}`: the 0-based program index and `REST` (a usage error unless
/// `N` is a program number).
fn index_arg(spec: &str, flag: &str, count: usize) -> anyhow::Result<(usize, String)> {
    let Some((n, rest)) = spec.split_once('=') else {
        return Err(crate::UsageError(format!(
            "--{flag} `{spec}`: expected N=..., N a program number"
        ))
        .into());
    };
    let Some(n) = n
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=count).contains(n))
    else {
        return Err(crate::UsageError(format!(
            "--{flag} `{spec}`: `{n}` is not a program number (1 to {count})"
        ))
        .into());
    };
    Ok((n - 1, rest.to_string()))
}

/// The bytes of a `--stdin` source: `@text:STRING`, `@hex:HEX` or a file.
fn stdin_bytes(spec: &str, src: &str) -> anyhow::Result<Vec<u8>> {
    if let Some(text) = src.strip_prefix("@text:") {
        return Ok(text.as_bytes().to_vec());
    }
    if let Some(hex) = src.strip_prefix("@hex:") {
        let hex: String = hex.chars().filter(|c| !c.is_whitespace()).collect();
        anyhow::ensure!(
            hex.len() % 2 == 0 && hex.chars().all(|c| c.is_ascii_hexdigit()),
            "--stdin `{spec}`: @hex: needs an even number of hex digits"
        );
        return (0..hex.len())
            .step_by(2)
            .map(|i| {
                u8::from_str_radix(hex.get(i..i + 2).unwrap_or_default(), 16)
                    .with_context(|| format!("--stdin `{spec}`: bad hex"))
            })
            .collect();
    }
    std::fs::read(src).with_context(|| format!("--stdin `{spec}`: cannot read `{src}`"))
}

/// A path's file name, for a column's name.
fn short_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |f| f.to_string_lossy().into(),
    )
}

/// Turns the arguments into columns (building guest directories on the way).
pub(super) fn columns(args: &CompareArgs) -> anyhow::Result<Vec<Column>> {
    let count = args.programs.len();
    let mut inputs = vec![Vec::new(); count];
    let mut stdins = vec![Vec::new(); count];
    for spec in &args.input {
        let (i, values) = index_arg(spec, "input", count)?;
        let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
        inputs[i]
            .extend(zasm_cmd::expand_inputs(&values).with_context(|| format!("--input `{spec}`"))?);
    }
    for spec in &args.stdin {
        let (i, src) = index_arg(spec, "stdin", count)?;
        stdins[i].extend(stdin_bytes(spec, &src)?);
    }
    // One column per program and combination of arguments (one per program when only
    // executing).
    let mut fetches = args.fetch.clone();
    fetches.dedup();
    let mut memories = args.memory_checking.clone();
    memories.dedup();
    let mut combinations: Vec<ProofOptions> = memories
        .iter()
        .flat_map(|&memory| {
            fetches.iter().map(move |&fetch| ProofOptions {
                memory,
                fetch,
                ..ProofOptions::default()
            })
        })
        .collect();
    if args.execute_only || combinations.is_empty() {
        combinations = vec![combinations.first().copied().unwrap_or_default()];
    }
    let mut cols = Vec::new();
    for (i, path) in args.programs.iter().enumerate() {
        let base = format!("{}:{}", i + 1, short_name(path));
        let prepared = prepare(path);
        let inputs = std::mem::take(&mut inputs[i]);
        let stdin = std::mem::take(&mut stdins[i]);
        for &options in &combinations {
            let name = match (memories.len() > 1, fetches.len() > 1) {
                (true, true) => format!("{base} [{}, {}]", options.memory, options.fetch),
                (true, false) => format!("{base} [{}]", options.memory),
                (false, true) => format!("{base} [{}]", options.fetch),
                (false, false) => base.clone(),
            };
            let (kind, source, result) = match &prepared {
                Ok((Kind::Elf, elf)) => {
                    crate::usage_ensure!(
                        inputs.is_empty(),
                        "--input {}=...: program {} is an RV32IM guest; give its input with --stdin",
                        i + 1,
                        i + 1
                    );
                    let source = Source::Elf {
                        path: elf.clone(),
                        stdin: stdin.clone(),
                        options,
                    };
                    ("rv32im", source, Ok(Measured::default()))
                }
                Ok((_, p)) => {
                    crate::usage_ensure!(
                        stdin.is_empty(),
                        "--stdin {}=...: program {} is a zasm program; give its input with --input",
                        i + 1,
                        i + 1
                    );
                    let source = Source::Zasm {
                        path: p.clone(),
                        inputs: inputs.clone(),
                        options,
                    };
                    ("zasm", source, Ok(Measured::default()))
                }
                Err(e) => (
                    "?",
                    Source::Broken { path: path.clone() },
                    Err(format!("{e:#}")),
                ),
            };
            cols.push(Column {
                name,
                kind,
                source,
                result,
            });
        }
    }
    for spec in &args.baseline {
        let k = Kernel::parse(spec)?;
        cols.push(Column {
            name: format!("circuit:{}", k.name()),
            kind: "circuit",
            source: Source::Baseline(k),
            result: Ok(Measured::default()),
        });
    }
    crate::usage_ensure!(
        !cols.is_empty(),
        "nothing to compare: give programs and/or --baseline kernels"
    );
    Ok(cols)
}

/// A program argument as a file to run: guest directories are built first.
fn prepare(path: &Path) -> anyhow::Result<(Kind, PathBuf)> {
    let file = resolve(path)?;
    Ok((detect(&file)?, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdin_sources_parse() {
        assert_eq!(stdin_bytes("1=@text:30", "@text:30").unwrap(), b"30");
        assert_eq!(stdin_bytes("1=@hex:0aff", "@hex:0aff").unwrap(), [10, 255]);
        assert!(stdin_bytes("1=@hex:0", "@hex:0").is_err());
        assert!(stdin_bytes("1=@hex:zz", "@hex:zz").is_err());
        assert!(index_arg("3=1", "input", 2).is_err());
        assert!(index_arg("0=1", "input", 2).is_err());
        assert!(index_arg("x", "input", 2).is_err());
        assert_eq!(index_arg("2=1,2", "input", 2).unwrap(), (1, "1,2".into()));
    }
}
