//! `zkvm compare`, run as a user runs it: the built binary on the example programs.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

fn zkvm(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zkvm"))
        .args(args)
        .current_dir(root())
        .env(
            "ZKVM_CACHE_DIR",
            std::env::temp_dir().join("zkvm-compare-test-cache"),
        )
        .output()
        .expect("zkvm runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The cells of the table row named `name` (split on runs of two or more spaces).
fn row<'a>(table: &'a str, name: &str) -> Vec<&'a str> {
    let line = table
        .lines()
        .find(|l| l.starts_with(name))
        .unwrap_or_else(|| panic!("no row `{name}` in\n{table}"));
    line[name.len()..]
        .split("  ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn execute_only_prints_cycles_mix_and_ratios() {
    let (code, out, err) = zkvm(&[
        "compare",
        "examples/zasm/fib.zasm",
        "examples/zasm/sum.zasm",
        "--input",
        "1=10",
        "--input",
        "2=3,5,7,9",
        "--execute-only",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.contains("[1/2] running"), "{err}");
    let cycles = row(&out, "cycles");
    assert_eq!(cycles.len(), 2, "{out}");
    assert!(cycles[0].ends_with("(1.00x)"), "{out}");
    // The ratio printed is the second value over the first.
    let value = |c: &str| c.split(' ').next().unwrap().parse::<f64>().unwrap();
    let (a, b) = (value(cycles[0]), value(cycles[1]));
    assert!(a > 0.0 && b > 0.0);
    assert!(cycles[1].ends_with(&format!("({:.2}x)", b / a)), "{out}");
    // Public outputs: fib(10) = 55 and 5 + 7 + 9 = 21.
    assert_eq!(row(&out, "public output"), ["55", "21"], "{out}");
    // The instruction mix has a row per opcode, with counts that add up to the cycles.
    let mix: f64 = out
        .lines()
        .filter(|l| l.starts_with("zasm "))
        .filter_map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .nth(1)
        })
        .map(|c| c.split(' ').next().unwrap().parse::<f64>().unwrap_or(0.0))
        .sum();
    assert_eq!(mix, a, "{out}");

    // The same as JSON.
    let (code, out, _) = zkvm(&[
        "compare",
        "examples/zasm/fib.zasm",
        "examples/zasm/sum.zasm",
        "--input=1=10",
        "--input=2=3,5,7,9",
        "--execute-only",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["mode"], "execute");
    assert_eq!(v["columns"][1]["public_output"], "21");
    assert_eq!(v["rows"][0]["name"], "cycles");
    assert_eq!(v["rows"][0]["ratios"][0], 1.0);
}

#[test]
fn bad_inputs_are_errors() {
    // Usage errors (exit 2) and a bad value (exit 1).
    for (args, status) in [
        (
            &["compare", "examples/zasm/fib.zasm", "--input", "2=1"][..],
            2,
        ),
        (&["compare", "examples/zasm/fib.zasm", "--input", "x"], 2),
        (
            &["compare", "examples/zasm/fib.zasm", "--stdin", "1=@text:5"],
            2,
        ),
        (&["compare", "--execute-only"], 2),
        (&["compare"], 2),
        (
            &[
                "compare",
                "examples/zasm/fib.zasm",
                "--baseline",
                "matmul:0",
            ],
            1,
        ),
    ] {
        let (code, _, err) = zkvm(args);
        assert_eq!(code, status, "{args:?}: {err}");
        assert!(err.starts_with("error:"), "{args:?}: {err}");
    }
    // A program that fails is a failed column, not an abort.
    let (code, out, _) = zkvm(&[
        "compare",
        "examples/zasm/fib.zasm",
        "examples/zasm/sum.zasm",
        "--input",
        "1=10",
        "--execute-only",
    ]);
    assert_eq!(code, 1);
    assert!(row(&out, "status")[1].starts_with("FAILED"), "{out}");
    assert!(!row(&out, "cycles")[0].starts_with('-'), "{out}");
}

#[test]
fn proving_compare_has_every_row_and_a_baseline_column() {
    let dir = std::env::temp_dir().join(format!("zkvm-compare-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("chart.svg");
    let svg_arg = svg.display().to_string();
    // One VM proof (a few seconds, mostly fixed costs) and two direct circuits.
    let (code, out, err) = zkvm(&[
        "compare",
        "examples/zasm/mimc.zasm",
        "--input",
        "1=1,2,1",
        "--baseline",
        "mimc",
        "--baseline",
        "matmul:2",
        "--plot",
        &svg_arg,
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    for name in [
        "cycles",
        "padded cycles",
        "columns/cycle",
        "committed elements",
        "committed elements/cycle",
        "R1CS constraints/cycle",
        "lookups/cycle",
        "memory ops/cycle",
        "  commit columns (s)",
        "  spartan (s)",
        "  openings (s)",
        "prove time (s)",
        "prove time/cycle (us)",
        "fixed cost: tables, openings (s)",
        "per padded row, other phases (us)",
        "peak memory (MiB)",
        "proof size (bytes)",
        "verify time (s)",
    ] {
        let cells = row(&out, name);
        assert_eq!(cells.len(), 3, "{name}: {out}");
        assert!(cells[0].ends_with("(1.00x)"), "{name}: {out}");
    }
    assert_eq!(row(&out, "status"), ["verified"; 3], "{out}");
    // The zasm MiMC-7 and the direct circuit agree on circomlib's mimc7.hash(1, 2) (the table
    // shows the first digits).
    let outputs = row(&out, "public output");
    let shown = outputs[0].trim_end_matches("...");
    assert!(shown.len() > 20, "{out}");
    assert!(
        "10594780656576967754230020536574539122676596303354946869887184401991294982664"
            .starts_with(shown),
        "{out}"
    );
    assert_eq!(outputs[0], outputs[1], "{out}");
    // A = [[-1, -2], [-2, -3]], B = [[1, 1], [1, 2]].
    assert_eq!(outputs[2], "-3 -5 -5 -8");
    // The direct circuit has one row per round; no lookups, no memory.
    assert!(row(&out, "cycles")[1].starts_with("91 "), "{out}");
    assert!(row(&out, "cycles")[2].starts_with("8 "), "{out}");
    assert!(row(&out, "lookups/cycle")[1].starts_with('0'), "{out}");
    // Two programs of three compute MiMC: the outputs do not all agree; each column after the
    // first gets a verdict.
    assert!(out.contains("\noutputs agree: NO\n"), "{out}");
    let verdicts: Vec<&str> = out.lines().filter(|l| l.starts_with("verdict: ")).collect();
    assert_eq!(verdicts.len(), 2, "{out}");
    assert!(
        verdicts[0].contains("the cycles") && verdicts[0].contains("per padded row it costs"),
        "{out}"
    );
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(chart.starts_with("<svg") && chart.contains("prover time by phase"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn both_fetch_arguments_side_by_side() {
    let (code, out, err) = zkvm(&[
        "compare",
        "examples/zasm/fib.zasm",
        "--input",
        "1=30",
        "--fetch",
        "logup,shout",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(row(&out, "status"), ["verified"; 2], "{out}");
    // Shout commits the index bits instead of the bytecode fields.
    let committed = row(&out, "committed columns/cycle");
    let count = |cell: &str| -> u64 { cell.split_whitespace().next().unwrap().parse().unwrap() };
    assert!(count(committed[1]) < count(committed[0]), "{out}");
    assert_eq!(row(&out, "cycles"), ["161 (1.00x)"; 2], "{out}");
    let (code, _, err) = zkvm(&["prove", "examples/zasm/fib.zasm", "--fetch", "lookup"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown fetch argument `lookup`"), "{err}");
}

#[test]
fn both_memory_arguments_side_by_side() {
    let (code, out, err) = zkvm(&[
        "compare",
        "examples/zasm/fib.zasm",
        "--input",
        "1=30",
        "--memory-checking",
        "offline,twist",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(row(&out, "status"), ["verified"; 2], "{out}");
    assert_eq!(row(&out, "public output"), ["832040"; 2], "{out}");
    // Twist drops the timestamps' range checks and runs a phase of its own.
    let count = |cell: &str| -> u64 { cell.split_whitespace().next().unwrap().parse().unwrap() };
    let lookups = row(&out, "lookups/cycle");
    assert!(count(lookups[1]) < count(lookups[0]), "{out}");
    let twist_phase = row(&out, "  memory checking (twist) (s)");
    assert_eq!(twist_phase[0], "-", "{out}");
    assert!(twist_phase[1].parse::<f64>().is_ok(), "{out}");
    let (code, _, err) = zkvm(&[
        "prove",
        "examples/zasm/fib.zasm",
        "--memory-checking",
        "spice",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("unknown memory-checking argument `spice`"),
        "{err}"
    );
}
