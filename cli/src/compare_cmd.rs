//! `zkvm compare`: run, prove and verify several programs (and direct-circuit baselines) under
//! the same prover, and print what each cost side by side, with ratios to the first column.
//!
//! Each program is proven in a child process (`zkvm prove --json`, this same executable), so the
//! peak memory of a column is that program's own; the proof it wrote is then verified here.
//! Baselines are proven the same way through a hidden `compare --prove-baseline SPEC`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context;
use ark_bn254::Fr;
use clap::Args;
use serde_json::{json, Value};
use zkvm_prover::baseline::{self, Kernel};
use zkvm_prover::pipeline::Report;

use crate::chart::{svg, Bar, BarValue, Panel, Segments};
use crate::program::{detect, resolve, Kind};
use crate::prove_cmd;
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
    /// Internal: prove one baseline and print its report as JSON (used in a child process).
    #[arg(long, hide = true, value_name = "KERNEL")]
    pub prove_baseline: Option<String>,
    /// Internal: where `--prove-baseline` writes its proof.
    #[arg(long, hide = true, value_name = "FILE")]
    pub proof_out: Option<PathBuf>,
}

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

/// What one column stands for.
#[derive(Clone, Debug)]
enum Source {
    /// A zasm program with its inputs.
    Zasm { path: PathBuf, inputs: Vec<String> },
    /// An ELF guest with its stdin.
    Elf { path: PathBuf, stdin: Vec<u8> },
    /// A direct circuit.
    Baseline(Kernel),
    /// A program that could not even be prepared (bad file, failed build).
    Broken { path: PathBuf },
}

/// A measured column.
#[derive(Clone, Debug, Default)]
struct Measured {
    /// Public output, as text.
    output: String,
    /// Cycles (rows of work for a baseline).
    cycles: u64,
    /// `(group, instruction or class, count)`; execute-only.
    mix: Vec<(String, u64)>,
    /// The proving report (with `verify_seconds` measured here).
    report: Option<Report>,
}

struct Column {
    name: String,
    kind: &'static str,
    source: Source,
    result: Result<Measured, String>,
}

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

fn short_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |f| f.to_string_lossy().into(),
    )
}

/// Turns the arguments into columns (building guest directories on the way).
fn columns(args: &CompareArgs) -> anyhow::Result<Vec<Column>> {
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
    let mut cols = Vec::new();
    for (i, path) in args.programs.iter().enumerate() {
        let name = format!("{}:{}", i + 1, short_name(path));
        let prepared = prepare(path);
        let (kind, source, result) = match prepared {
            Ok((Kind::Elf, elf)) => {
                crate::usage_ensure!(
                    inputs[i].is_empty(),
                    "--input {}=...: program {} is an RV32IM guest; give its input with --stdin",
                    i + 1,
                    i + 1
                );
                let stdin = std::mem::take(&mut stdins[i]);
                (
                    "rv32im",
                    Source::Elf { path: elf, stdin },
                    Ok(Measured::default()),
                )
            }
            Ok((_, p)) => {
                crate::usage_ensure!(
                    stdins[i].is_empty(),
                    "--stdin {}=...: program {} is a zasm program; give its input with --input",
                    i + 1,
                    i + 1
                );
                let inputs = std::mem::take(&mut inputs[i]);
                (
                    "zasm",
                    Source::Zasm { path: p, inputs },
                    Ok(Measured::default()),
                )
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

fn fmt_outputs(values: &[Fr]) -> String {
    values
        .iter()
        .map(zkvm_host::fmt_field)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A guest's output for the table: its words when it is text, else hex (never raw bytes).
fn fmt_bytes_output(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.split_whitespace().collect::<Vec<_>>().join(" "),
        Err(_) => format!("0x{}", zkvm_host::hex(bytes)),
    }
}

// ------------------------------------------------------------------------- execute only

fn execute(source: &Source, max_cycles: u64) -> anyhow::Result<Measured> {
    match source {
        Source::Zasm { path, inputs } => {
            let program = zasm_cmd::load(path)?
                .with_context(|| format!("{}: assembly failed", path.display()))?;
            let inputs: Vec<Fr> = inputs
                .iter()
                .map(|s| zasm_cmd::parse_input(s))
                .collect::<anyhow::Result<_>>()?;
            let config = zkvm_vm::RunConfig {
                max_cycles,
                ..Default::default()
            };
            let ex = zkvm_vm::run(&program, &inputs, &config)
                .with_context(|| format!("{} failed", path.display()))?;
            Ok(Measured {
                output: fmt_outputs(&ex.output),
                cycles: ex.summary.cycles,
                mix: ex
                    .summary
                    .opcode_counts
                    .iter()
                    .map(|(o, n)| (format!("zasm {}", o.name()), *n))
                    .collect(),
                report: None,
            })
        }
        Source::Elf { path, stdin } => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let program = zkvm_riscv::load_elf(&bytes)
                .with_context(|| format!("{}: cannot load the ELF", path.display()))?;
            let config = zkvm_riscv::RunConfig {
                max_cycles,
                record_trace: false,
            };
            let ex = zkvm_riscv::run(&program, stdin, &config)
                .with_context(|| format!("{}: the guest failed", path.display()))?;
            anyhow::ensure!(
                ex.exit_code == 0,
                "{}: the guest exited with code {}",
                path.display(),
                ex.exit_code
            );
            Ok(Measured {
                output: fmt_bytes_output(&ex.stdout),
                cycles: ex.summary.cycles,
                mix: ex
                    .summary
                    .per_class()
                    .into_iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(c, n)| (format!("rv32im {}", c.name()), n))
                    .collect(),
                report: None,
            })
        }
        Source::Baseline(k) => {
            let w = k.witness()?;
            Ok(Measured {
                output: fmt_outputs(&w.output),
                cycles: w.rows as u64,
                mix: Vec::new(),
                report: None,
            })
        }
        Source::Broken { path } => anyhow::bail!("{}: cannot be run", path.display()),
    }
}

// ------------------------------------------------------------------------- proving

fn temp_proof(i: usize) -> PathBuf {
    std::env::temp_dir().join(format!("zkvm-compare-{}-{i}.proof", std::process::id()))
}

/// Runs this executable with `args` (stdin bytes piped), returning its stdout's JSON.
fn child(args: &[String], stdin: &[u8]) -> anyhow::Result<Value> {
    let exe = std::env::current_exe().context("cannot find the zkvm executable")?;
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut proc = cmd.spawn().context("cannot start a child zkvm")?;
    if let Some(mut pipe) = proc.stdin.take() {
        // A program that reads no input may exit before this; that is fine.
        let _ = pipe.write_all(stdin);
    }
    let out = proc.wait_with_output().context("the child zkvm failed")?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let msg: Vec<&str> = err
            .lines()
            .filter(|l| l.starts_with("error"))
            .map(|l| l.trim_start_matches("error: "))
            .collect();
        anyhow::bail!(
            "{}",
            if msg.is_empty() {
                format!("exited with {}", out.status)
            } else {
                msg.join("; ")
            }
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .context("the child zkvm printed no JSON")?;
    serde_json::from_str(line).context("the child zkvm printed bad JSON")
}

fn report_from_json(v: &Value) -> anyhow::Result<Report> {
    let u = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
    let f = |k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    anyhow::ensure!(v.get("cycles").is_some(), "the report has no cycles");
    Ok(Report {
        isa: v
            .get("isa")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        cycles: u("cycles"),
        padded_cycles: u("padded_cycles"),
        columns_per_cycle: u("columns_per_cycle") as usize,
        committed_elements: u("committed_elements"),
        committed_small_elements: u("committed_small_elements"),
        constraints_per_cycle: u("constraints_per_cycle") as usize,
        lookups_per_cycle: u("lookups_per_cycle") as usize,
        memory_ops_per_cycle: u("memory_ops_per_cycle") as usize,
        memory_cells: u("memory_cells"),
        phases: v
            .get("phases")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|p| Some((p.get(0)?.as_str()?.to_string(), p.get(1)?.as_f64()?)))
                    .collect()
            })
            .unwrap_or_default(),
        prove_seconds: f("prove_seconds"),
        peak_memory_bytes: u("peak_memory_bytes"),
        proof_bytes: u("proof_bytes") as usize,
        verify_seconds: v.get("verify_seconds").and_then(Value::as_f64),
    })
}

fn output_values(v: &Value) -> anyhow::Result<Vec<Fr>> {
    v.get("values")
        .and_then(Value::as_array)
        .context("no public output values")?
        .iter()
        .map(|s| zasm_cmd::parse_input(s.as_str().unwrap_or_default()))
        .collect()
}

fn prove(source: &Source, i: usize, max_cycles: u64) -> anyhow::Result<Measured> {
    let proof_path = temp_proof(i);
    let result = prove_in_child(source, &proof_path, max_cycles);
    // The proof is only needed until it is verified.
    let _ = std::fs::remove_file(&proof_path);
    result
}

fn prove_in_child(source: &Source, proof_path: &Path, max_cycles: u64) -> anyhow::Result<Measured> {
    let proof_arg = proof_path.display().to_string();
    match source {
        Source::Zasm { path, .. } | Source::Elf { path, .. } => {
            let mut args = vec![
                "prove".to_string(),
                path.display().to_string(),
                "--json".into(),
                "-o".into(),
                proof_arg,
                format!("--max-cycles={max_cycles}"),
            ];
            let mut stdin: &[u8] = &[];
            match source {
                Source::Zasm { inputs, .. } => {
                    args.extend(inputs.iter().map(|v| format!("--input={v}")));
                }
                Source::Elf { stdin: s, .. } => stdin = s,
                _ => {}
            }
            let v = child(&args, stdin)?;
            let mut report = report_from_json(v.get("report").context("no report")?)?;
            let bytes = std::fs::read(proof_path)
                .with_context(|| format!("cannot read {}", proof_path.display()))?;
            let verified = prove_cmd::load(path)?
                .verify(&bytes)
                .context("the proof does not verify")?;
            report.verify_seconds = Some(verified.time.as_secs_f64());
            Ok(Measured {
                output: match &verified.output {
                    zkvm_host::Output::Bytes(b) => fmt_bytes_output(b),
                    zkvm_host::Output::Fields(v) => fmt_outputs(v),
                },
                cycles: report.cycles,
                mix: Vec::new(),
                report: Some(report),
            })
        }
        Source::Baseline(k) => {
            let args = vec![
                "compare".to_string(),
                format!("--prove-baseline={}", k.spec()),
                format!("--proof-out={proof_arg}"),
            ];
            let v = child(&args, &[])?;
            let mut report = report_from_json(v.get("report").context("no report")?)?;
            let output = output_values(v.get("public_output").context("no public output")?)?;
            let bytes = std::fs::read(proof_path)
                .with_context(|| format!("cannot read {}", proof_path.display()))?;
            let time = baseline::verify(k, &output, &bytes).context("the proof does not verify")?;
            report.verify_seconds = Some(time.as_secs_f64());
            Ok(Measured {
                output: fmt_outputs(&output),
                cycles: report.cycles,
                mix: Vec::new(),
                report: Some(report),
            })
        }
        Source::Broken { path } => anyhow::bail!("{}: cannot be proven", path.display()),
    }
}

/// `compare --prove-baseline SPEC --proof-out FILE` (child mode).
fn prove_baseline(spec: &str, out: Option<&Path>) -> anyhow::Result<u8> {
    let k = Kernel::parse(spec)?;
    let (output, bytes, report) =
        baseline::prove(&k).with_context(|| format!("cannot prove {}", k.name()))?;
    if let Some(path) = out {
        std::fs::write(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let out = prove_cmd::output_json(&zkvm_host::Output::Fields(output));
    println!("{}", json!({ "public_output": out, "report": report }));
    Ok(0)
}

// ------------------------------------------------------------------------- the table

/// How a row's numbers print.
#[derive(Clone, Copy)]
enum Unit {
    Count,
    Ratio,
    Seconds,
    Micros,
    Bytes,
    Mib,
}

struct Row {
    name: String,
    unit: Unit,
    values: Vec<Option<f64>>,
}

fn fmt_value(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Count | Unit::Bytes => format!("{}", v.round() as u64),
        Unit::Ratio => format!("{v:.2}"),
        Unit::Seconds => format!("{v:.3}"),
        Unit::Micros => format!("{v:.2}"),
        Unit::Mib => format!("{v:.1}"),
    }
}

fn ratio(v: Option<f64>, first: Option<f64>) -> Option<f64> {
    match (v, first) {
        (Some(v), Some(f)) if f != 0.0 => Some(v / f),
        _ => None,
    }
}

fn rows(cols: &[Column], execute_only: bool) -> Vec<Row> {
    let measured: Vec<Option<&Measured>> = cols.iter().map(|c| c.result.as_ref().ok()).collect();
    let mut rows = Vec::new();
    let mut row = |name: &str, unit: Unit, f: &dyn Fn(&Measured) -> Option<f64>| {
        rows.push(Row {
            name: name.to_string(),
            unit,
            values: measured.iter().map(|m| m.and_then(f)).collect(),
        });
    };
    row("cycles", Unit::Count, &|m| Some(m.cycles as f64));
    if execute_only {
        let mut names: Vec<String> = Vec::new();
        for m in measured.iter().flatten() {
            for (n, _) in &m.mix {
                if !names.contains(n) {
                    names.push(n.clone());
                }
            }
        }
        for n in &names {
            row(n, Unit::Count, &|m| {
                m.mix.iter().find(|(x, _)| x == n).map(|(_, c)| *c as f64)
            });
        }
        return rows;
    }
    let rep = |f: fn(&Report) -> f64| move |m: &Measured| m.report.as_ref().map(f);
    row(
        "padded cycles",
        Unit::Count,
        &rep(|r| r.padded_cycles as f64),
    );
    row(
        "columns/cycle",
        Unit::Count,
        &rep(|r| r.columns_per_cycle as f64),
    );
    row(
        "committed elements",
        Unit::Count,
        &rep(|r| r.committed_elements as f64),
    );
    row(
        "committed elements/cycle",
        Unit::Ratio,
        &rep(|r| r.committed_elements as f64 / r.cycles.max(1) as f64),
    );
    row(
        "R1CS constraints/cycle",
        Unit::Count,
        &rep(|r| r.constraints_per_cycle as f64),
    );
    row(
        "lookups/cycle",
        Unit::Count,
        &rep(|r| r.lookups_per_cycle as f64),
    );
    row(
        "memory ops/cycle",
        Unit::Count,
        &rep(|r| r.memory_ops_per_cycle as f64),
    );
    for phase in phase_names(cols) {
        let name = format!("  {phase} (s)");
        row(&name, Unit::Seconds, &|m| {
            let r = m.report.as_ref()?;
            let mut times = r
                .phases
                .iter()
                .filter(|(p, _)| *p == phase)
                .map(|(_, s)| *s);
            let first = times.next()?;
            Some(first + times.sum::<f64>())
        });
    }
    row("prove time (s)", Unit::Seconds, &rep(|r| r.prove_seconds));
    row(
        "prove time/cycle (us)",
        Unit::Micros,
        &rep(|r| r.prove_seconds * 1e6 / r.cycles.max(1) as f64),
    );
    row(
        "fixed cost: tables, openings (s)",
        Unit::Seconds,
        &rep(fixed_seconds),
    );
    row(
        "per padded row, other phases (us)",
        Unit::Micros,
        &rep(per_padded_row_micros),
    );
    row(
        "peak memory (MiB)",
        Unit::Mib,
        &rep(|r| r.peak_memory_bytes as f64 / f64::from(1u32 << 20)),
    );
    row(
        "proof size (bytes)",
        Unit::Bytes,
        &rep(|r| r.proof_bytes as f64),
    );
    row("verify time (s)", Unit::Seconds, &|m| {
        m.report.as_ref().and_then(|r| r.verify_seconds)
    });
    rows
}

/// The phases whose cost hardly depends on the trace at these sizes: committing the lookup
/// tables and the openings (dominated by the tables' openings), in seconds.
fn fixed_seconds(r: &Report) -> f64 {
    r.phases
        .iter()
        .filter(|(p, _)| p == "commit tables" || p == "openings")
        .map(|(_, s)| s)
        .sum()
}

/// The other phases' time per padded row, in microseconds.
fn per_padded_row_micros(r: &Report) -> f64 {
    (r.prove_seconds - fixed_seconds(r)) * 1e6 / r.padded_cycles.max(1) as f64
}

/// One line per column after the first: how many times the first column's cycles and prove
/// time it needs, and what a padded row costs it (outside the fixed phases).
fn verdict(cols: &[Column]) -> Vec<String> {
    let proven = |c: &Column| -> Option<(u64, Report)> {
        let m = c.result.as_ref().ok()?;
        Some((m.cycles, m.report.clone()?))
    };
    let Some((base_cycles, base)) = cols.first().and_then(proven) else {
        return Vec::new();
    };
    cols.iter()
        .skip(1)
        .filter_map(|c| {
            let (cycles, r) = proven(c)?;
            Some(format!(
                "verdict: {} ({}) needs {:.2}x the cycles and {:.2}x the prove time of {} ({}); \
                 per padded row it costs {:.2}x, beside a fixed cost of {:.2} s against {:.2} s",
                c.name,
                c.kind,
                cycles as f64 / base_cycles.max(1) as f64,
                r.prove_seconds / base.prove_seconds.max(1e-9),
                cols[0].name,
                cols[0].kind,
                per_padded_row_micros(&r) / per_padded_row_micros(&base).max(1e-9),
                fixed_seconds(&r),
                fixed_seconds(&base),
            ))
        })
        .collect()
}

/// Whether the columns that ran print the same output: numbers are compared as field elements
/// (decimal or hex), anything else as text. `None` with fewer than two outputs.
fn outputs_agree(cols: &[Column]) -> Option<bool> {
    let outputs: Vec<&str> = cols
        .iter()
        .filter_map(|c| c.result.as_ref().ok().map(|m| m.output.as_str()))
        .collect();
    if outputs.len() < 2 {
        return None;
    }
    let numbers = |s: &str| -> Option<Vec<Fr>> {
        s.split_whitespace()
            .map(|t| zasm_cmd::parse_input(t).ok())
            .collect()
    };
    let parsed: Option<Vec<Vec<Fr>>> = outputs.iter().map(|s| numbers(s)).collect();
    Some(match parsed {
        Some(p) => p.windows(2).all(|w| w[0] == w[1]),
        None => outputs.windows(2).all(|w| w[0] == w[1]),
    })
}

/// Every phase name, in order of first appearance.
fn phase_names(cols: &[Column]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for c in cols {
        if let Ok(Measured {
            report: Some(r), ..
        }) = &c.result
        {
            for (p, _) in &r.phases {
                if !names.contains(p) {
                    names.push(p.clone());
                }
            }
        }
    }
    names
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let t: String = s.chars().take(n.saturating_sub(3)).collect();
        format!("{t}...")
    }
}

/// The last `n` characters of `s` (the most specific part of an error chain).
fn truncate_front(s: &str, n: usize) -> String {
    let len = s.chars().count();
    if len <= n {
        s.to_string()
    } else {
        let t: String = s.chars().skip(len + 3 - n).collect();
        format!("...{t}")
    }
}

fn render_table(cols: &[Column], rows: &[Row]) -> String {
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut header = vec![String::new()];
    header.extend(cols.iter().map(|c| c.name.clone()));
    grid.push(header);
    let mut kind = vec!["isa".to_string()];
    kind.extend(cols.iter().map(|c| c.kind.to_string()));
    grid.push(kind);
    let mut status = vec!["status".to_string()];
    status.extend(cols.iter().map(|c| match &c.result {
        Ok(m) if m.report.is_some() => "verified".to_string(),
        Ok(_) => "ran".to_string(),
        Err(e) => format!("FAILED: {}", truncate_front(e, 48)),
    }));
    grid.push(status);
    let mut output = vec!["public output".to_string()];
    output.extend(cols.iter().map(|c| match &c.result {
        Ok(m) => truncate(&m.output, 30),
        Err(_) => "-".into(),
    }));
    grid.push(output);
    for r in rows {
        let first = r.values.first().copied().flatten();
        let mut line = vec![r.name.clone()];
        line.extend(r.values.iter().map(|v| match v {
            None => "-".to_string(),
            Some(v) => match ratio(Some(*v), first) {
                Some(x) => format!("{} ({x:.2}x)", fmt_value(*v, r.unit)),
                None => fmt_value(*v, r.unit),
            },
        }));
        grid.push(line);
    }
    let ncols = cols.len() + 1;
    let widths: Vec<usize> = (0..ncols)
        .map(|j| {
            grid.iter()
                .filter_map(|l| l.get(j))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (k, line) in grid.iter().enumerate() {
        for (j, cell) in line.iter().enumerate() {
            let w = widths.get(j).copied().unwrap_or(0);
            if j == 0 {
                let _ = write!(out, "{cell:<w$}");
            } else {
                let _ = write!(out, "  {cell:>w$}");
            }
        }
        out.push('\n');
        if k == 0 {
            let total: usize = widths.iter().sum::<usize>() + 2 * (ncols - 1);
            out.push_str(&"-".repeat(total));
            out.push('\n');
        }
    }
    out
}

fn table_json(cols: &[Column], rows: &[Row], execute_only: bool) -> Value {
    let columns: Vec<Value> = cols
        .iter()
        .map(|c| {
            let path = match &c.source {
                Source::Zasm { path, .. } | Source::Elf { path, .. } | Source::Broken { path } => {
                    Some(path.display().to_string())
                }
                Source::Baseline(_) => None,
            };
            match &c.result {
                Ok(m) => json!({
                    "name": c.name, "isa": c.kind, "path": path,
                    "status": if m.report.is_some() { "verified" } else { "ran" },
                    "public_output": m.output, "cycles": m.cycles,
                    "mix": m.mix.iter().map(|(n, k)| json!([n, k])).collect::<Vec<_>>(),
                    "report": m.report,
                }),
                Err(e) => json!({
                    "name": c.name, "isa": c.kind, "path": path,
                    "status": "failed", "error": e,
                }),
            }
        })
        .collect();
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            let first = r.values.first().copied().flatten();
            json!({
                "name": r.name.trim(),
                "values": r.values,
                "ratios": r.values.iter().map(|v| ratio(*v, first)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "mode": if execute_only { "execute" } else { "prove" },
        "columns": columns,
        "rows": rows,
        "outputs_agree": outputs_agree(cols),
        "verdict": verdict(cols),
    })
}

// ------------------------------------------------------------------------- the chart

/// The chart's panels: cycles, then (when proving) prover time by phase, time per cycle and
/// committed elements per cycle. Every column has a bar in every panel; a failed one is drawn
/// as failed.
fn panels(cols: &[Column], execute_only: bool) -> Vec<Panel> {
    let panel = |title: &str, value: &dyn Fn(&Measured) -> Option<Segments>| Panel {
        title: title.into(),
        bars: cols
            .iter()
            .map(|c| Bar {
                label: c.name.clone(),
                value: match &c.result {
                    Err(e) => BarValue::Failed(e.clone()),
                    Ok(m) => value(m).map_or_else(
                        || BarValue::Failed("no proving report".into()),
                        BarValue::Stack,
                    ),
                },
            })
            .collect(),
    };
    let plain = |v: f64| Some(vec![(String::new(), v)]);
    let cycles = panel("cycles", &|m| plain(m.cycles as f64));
    if execute_only {
        return vec![cycles];
    }
    let per_cycle = |f: fn(&Report) -> f64| {
        move |m: &Measured| {
            m.report
                .as_ref()
                .and_then(|r| plain(f(r) / r.cycles.max(1) as f64))
        }
    };
    vec![
        cycles,
        panel("prover time by phase (s)", &|m| {
            m.report.as_ref().map(|r| r.phases.clone())
        }),
        panel(
            "prover time per cycle (us)",
            &per_cycle(|r| r.prove_seconds * 1e6),
        ),
        panel(
            "committed elements per cycle",
            &per_cycle(|r| r.committed_elements as f64),
        ),
    ]
}

// ------------------------------------------------------------------------- the command

/// `zkvm compare`.
pub fn compare(args: &CompareArgs) -> anyhow::Result<u8> {
    if let Some(spec) = &args.prove_baseline {
        return prove_baseline(spec, args.proof_out.as_deref());
    }
    let mut cols = columns(args)?;
    let total = cols.len();
    for (i, c) in cols.iter_mut().enumerate() {
        if c.result.is_err() {
            continue;
        }
        let verb = if args.execute_only {
            "running"
        } else {
            "proving"
        };
        eprintln!("zkvm compare: [{}/{total}] {verb} {} ...", i + 1, c.name);
        let start = std::time::Instant::now();
        let r = if args.execute_only {
            execute(&c.source, args.max_cycles)
        } else {
            prove(&c.source, i, args.max_cycles)
        };
        match &r {
            Ok(m) => eprintln!(
                "zkvm compare: [{}/{total}] {} cycles, done in {:.2} s",
                i + 1,
                m.cycles,
                start.elapsed().as_secs_f64()
            ),
            Err(e) => eprintln!("zkvm compare: [{}/{total}] failed: {e:#}", i + 1),
        }
        c.result = r.map_err(|e| format!("{e:#}"));
    }
    let rows = rows(&cols, args.execute_only);
    if args.json {
        println!("{}", table_json(&cols, &rows, args.execute_only));
    } else {
        print!("{}", render_table(&cols, &rows));
        if let Some(agree) = outputs_agree(&cols) {
            println!("outputs agree: {}", if agree { "yes" } else { "NO" });
        }
        for line in verdict(&cols) {
            println!("{line}");
        }
        for c in &cols {
            if let Err(e) = &c.result {
                println!("{}: {e}", c.name);
            }
        }
    }
    std::io::stdout().flush()?;
    if let Some(path) = &args.plot {
        std::fs::write(path, svg(&panels(&cols, args.execute_only)))
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("zkvm compare: chart written to {}", path.display());
    }
    Ok(u8::from(cols.iter().any(|c| c.result.is_err())))
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
