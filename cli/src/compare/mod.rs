//! `zkvm compare`: run, prove and verify several programs (and direct-circuit baselines) under
//! the same prover, and print what each cost side by side, with ratios to the first column.
//!
//! Each program is proven in a child process (`zkvm prove --json`, this same executable), so the
//! peak memory of a column is that program's own; the proof it wrote is then verified here.
//! Baselines are proven the same way through a hidden `compare --prove-baseline SPEC`.
//!
//! [`args`] parses the command line into columns, [`run`] executes or proves each, [`table`]
//! prints the results and [`chart`] draws them.

mod args;
mod chart;
mod run;
mod table;

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use zkvm_prover::baseline::Kernel;
use zkvm_prover::pipeline::ProofOptions;
use zkvm_prover::pipeline::Report;

use args::columns;
pub use args::CompareArgs;
use chart::{svg, Bar, BarValue, Panel, Segments};
use run::{execute, prove, prove_baseline};
use table::{outputs_agree, render_table, rows, table_json, verdict};

/// What one column stands for.
#[derive(Clone, Debug)]
enum Source {
    /// A zasm program with its inputs, proven with a memory-checking and a fetch argument.
    Zasm {
        path: PathBuf,
        inputs: Vec<String>,
        options: ProofOptions,
    },
    /// An ELF guest with its stdin, proven with a memory-checking and a fetch argument.
    Elf {
        path: PathBuf,
        stdin: Vec<u8>,
        options: ProofOptions,
    },
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

/// One column of the table.
struct Column {
    /// `N:file` for program N, `circuit:KERNEL` for a baseline.
    name: String,
    /// `"zasm"`, `"rv32im"`, `"circuit"`, or `"?"` for a program that could not be prepared.
    kind: &'static str,
    /// What it runs.
    source: Source,
    /// What was measured, or why it failed.
    result: Result<Measured, String>,
}

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
            prove(&c.source, i, args.max_cycles, args.memory_budget)
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
