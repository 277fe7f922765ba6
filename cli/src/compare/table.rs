//! The comparison table: its rows (with each value's ratio to the first column), the text
//! table, the JSON table, and the "outputs agree" and verdict lines.

use std::fmt::Write as _;

use ark_bn254::Fr;
use serde_json::{json, Value};
use zkvm_prover::pipeline::Report;

use super::{Column, Measured, Source};
use crate::zasm_cmd;

/// How a row's numbers print.
#[derive(Clone, Copy)]
enum Unit {
    /// A whole number.
    Count,
    /// A number with two decimals.
    Ratio,
    /// Seconds, three decimals.
    Seconds,
    /// Microseconds, two decimals.
    Micros,
    /// Bytes, whole.
    Bytes,
    /// MiB, one decimal.
    Mib,
}

/// One row of the table: a measure for every column (`None` where it has none).
pub(super) struct Row {
    /// The measure (indented for a prover phase).
    name: String,
    /// How its values print.
    unit: Unit,
    /// One per column.
    values: Vec<Option<f64>>,
}

/// A row whose values the report gives: its name, unit, and value from a column's report.
type ReportMeasure = (&'static str, Unit, fn(&Report) -> f64);

/// A value as its unit prints it.
fn fmt_value(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Count | Unit::Bytes => format!("{}", v.round() as u64),
        Unit::Ratio => format!("{v:.2}"),
        Unit::Seconds => format!("{v:.3}"),
        Unit::Micros => format!("{v:.2}"),
        Unit::Mib => format!("{v:.1}"),
    }
}

/// `v / first`, when both exist and `first` is not zero.
fn ratio(v: Option<f64>, first: Option<f64>) -> Option<f64> {
    match (v, first) {
        (Some(v), Some(f)) if f != 0.0 => Some(v / f),
        _ => None,
    }
}

/// The table's rows: cycles and the instruction mix when only executing, else every
/// proving measure.
pub(super) fn rows(cols: &[Column], execute_only: bool) -> Vec<Row> {
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
    // The report's measures of the trace and its cost per cycle, before the phases' times.
    let shape: [ReportMeasure; 8] = [
        ("padded cycles", Unit::Count, |r| r.padded_cycles as f64),
        ("columns/cycle", Unit::Count, |r| r.columns_per_cycle as f64),
        ("committed columns/cycle", Unit::Count, |r| {
            r.committed_columns_per_cycle as f64
        }),
        ("committed elements", Unit::Count, |r| {
            r.committed_elements as f64
        }),
        ("committed elements/cycle", Unit::Ratio, |r| {
            r.committed_elements as f64 / r.cycles.max(1) as f64
        }),
        ("R1CS constraints/cycle", Unit::Count, |r| {
            r.constraints_per_cycle as f64
        }),
        ("lookups/cycle", Unit::Count, |r| r.lookups_per_cycle as f64),
        ("memory ops/cycle", Unit::Count, |r| {
            r.memory_ops_per_cycle as f64
        }),
    ];
    for (name, unit, f) in shape {
        row(name, unit, &rep(f));
    }
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
    // The report's times and sizes, after the phases' times.
    let costs: [ReportMeasure; 6] = [
        ("prove time (s)", Unit::Seconds, |r| r.prove_seconds),
        ("prove time/cycle (us)", Unit::Micros, |r| {
            r.prove_seconds * 1e6 / r.cycles.max(1) as f64
        }),
        (
            "fixed cost: tables, openings (s)",
            Unit::Seconds,
            fixed_seconds,
        ),
        (
            "per padded row, other phases (us)",
            Unit::Micros,
            per_padded_row_micros,
        ),
        ("peak memory (MiB)", Unit::Mib, |r| {
            r.peak_memory_bytes as f64 / f64::from(1u32 << 20)
        }),
        ("proof size (bytes)", Unit::Bytes, |r| r.proof_bytes as f64),
    ];
    for (name, unit, f) in costs {
        row(name, unit, &rep(f));
    }
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
pub(super) fn verdict(cols: &[Column]) -> Vec<String> {
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
pub(super) fn outputs_agree(cols: &[Column]) -> Option<bool> {
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

/// The first `n` characters of `s` (ending in `...` when cut).
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

/// The text table: names, ISA, status and output, then the rows, with ratios to the first
/// column.
pub(super) fn render_table(cols: &[Column], rows: &[Row]) -> String {
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

/// The table as JSON (`--json`): every column with its report, the rows with their ratios,
/// and the outputs-agree and verdict lines.
pub(super) fn table_json(cols: &[Column], rows: &[Row], execute_only: bool) -> Value {
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
