//! Running and proving each column: `--execute-only` runs the program here; otherwise each
//! column is proven in a child process (this same executable: `zkvm prove --json`, or the hidden
//! `compare --prove-baseline SPEC` for a baseline) and its proof verified here.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context;
use ark_bn254::Fr;
use serde::Deserialize;
use serde_json::json;
use zkvm_prover::baseline::{self, Kernel};
use zkvm_prover::pipeline::Report;

use super::{Measured, Source};
use crate::prove_cmd;
use crate::zasm_cmd;

/// Field elements for the table, in decimal, space-separated.
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

/// Runs a column without proving (`--execute-only`): its output, cycles and instruction mix.
pub(super) fn execute(source: &Source, max_cycles: u64) -> anyhow::Result<Measured> {
    match source {
        Source::Zasm { path, inputs, .. } => {
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
        Source::Elf { path, stdin, .. } => {
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

/// Where column `i`'s child writes its proof.
fn temp_proof(i: usize) -> PathBuf {
    std::env::temp_dir().join(format!("zkvm-compare-{}-{i}.proof", std::process::id()))
}

/// What a child prints as its last JSON line (`zkvm prove --json`, `compare --prove-baseline`),
/// as far as it is read here (other keys are ignored).
#[derive(Deserialize)]
struct ChildJson {
    /// The proving report.
    report: Report,
    /// The public output ([`prove_cmd::output_json`]).
    public_output: ChildOutput,
}

/// A child's public output, as far as it is read here.
#[derive(Deserialize)]
struct ChildOutput {
    /// Field elements in decimal (zasm programs and baselines; a guest's bytes come as `hex` and
    /// `text` instead, and are taken from the verified proof).
    values: Option<Vec<String>>,
}

/// Runs this executable with `args` (stdin bytes piped), returning what its stdout's JSON says.
fn child(args: &[String], stdin: &[u8]) -> anyhow::Result<ChildJson> {
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

/// Proves column `i` in a child process and verifies the proof here.
pub(super) fn prove(
    source: &Source,
    i: usize,
    max_cycles: u64,
    memory_budget: Option<f64>,
) -> anyhow::Result<Measured> {
    let proof_path = temp_proof(i);
    let result = prove_in_child(source, &proof_path, max_cycles, memory_budget);
    // The proof is only needed until it is verified.
    let _ = std::fs::remove_file(&proof_path);
    result
}

/// [`prove`], the proof going through `proof_path`.
fn prove_in_child(
    source: &Source,
    proof_path: &Path,
    max_cycles: u64,
    memory_budget: Option<f64>,
) -> anyhow::Result<Measured> {
    let proof_arg = proof_path.display().to_string();
    match source {
        Source::Zasm { path, options, .. } | Source::Elf { path, options, .. } => {
            let mut args = vec![
                "prove".to_string(),
                path.display().to_string(),
                "--json".into(),
                "-o".into(),
                proof_arg,
                format!("--max-cycles={max_cycles}"),
                format!("--fetch={}", options.fetch),
                format!("--memory-checking={}", options.memory),
            ];
            args.extend(memory_budget.map(|gib| format!("--memory-budget={gib}")));
            let mut stdin: &[u8] = &[];
            match source {
                Source::Zasm { inputs, .. } => {
                    args.extend(inputs.iter().map(|v| format!("--input={v}")));
                }
                Source::Elf { stdin: s, .. } => stdin = s,
                _ => {}
            }
            let mut report = child(&args, stdin)?.report;
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
            let ChildJson {
                mut report,
                public_output,
            } = child(&args, &[])?;
            let output = public_output
                .values
                .context("no public output values")?
                .iter()
                .map(|s| zasm_cmd::parse_input(s))
                .collect::<anyhow::Result<Vec<Fr>>>()?;
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
pub(super) fn prove_baseline(spec: &str, out: Option<&Path>) -> anyhow::Result<u8> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use zkvm_host::Output;

    #[test]
    fn a_childs_json_reads_back() {
        let report = Report {
            isa: "zasm".into(),
            cycles: 7,
            padded_cycles: 8,
            phases: vec![("spartan".into(), 0.25), ("openings".into(), 1.5)],
            prove_seconds: 1.75,
            verify_seconds: Some(0.5),
            ..Report::default()
        };
        let fields = prove_cmd::output_json(&Output::Fields(vec![Fr::from(3u64)]));
        let line = json!({ "public_output": fields, "exit_code": 0, "report": report });
        let back: ChildJson = serde_json::from_str(&line.to_string()).unwrap();
        assert_eq!(back.public_output.values, Some(vec!["3".to_string()]));
        assert_eq!(
            serde_json::to_value(&back.report).unwrap(),
            serde_json::to_value(&report).unwrap()
        );
        let bytes = prove_cmd::output_json(&Output::Bytes(b"hi".to_vec()));
        let line = json!({ "public_output": bytes, "report": report });
        let back: ChildJson = serde_json::from_str(&line.to_string()).unwrap();
        assert_eq!(back.public_output.values, None);
        assert!(serde_json::from_str::<ChildJson>(r#"{"public_output": {}}"#).is_err());
    }
}
