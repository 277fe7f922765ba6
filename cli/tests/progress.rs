//! `zkvm prove` says what it is doing: one line per proving phase on a non-terminal stderr,
//! and the prover's spans with `RUST_LOG`.

// This test sets RUST_LOG itself, so it uses only the shared `root()`.
#[allow(dead_code)]
mod common;

use std::process::Command;

fn prove(rust_log: Option<&str>) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let proof = dir.path().join("fib.proof");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zkvm"));
    cmd.args(["prove", "examples/zasm/fib.zasm", "--input", "10", "-o"])
        .arg(&proof)
        .current_dir(common::root())
        .env_remove("RUST_LOG");
    if let Some(filter) = rust_log {
        cmd.env("RUST_LOG", filter);
    }
    let out = cmd.output().expect("zkvm runs");
    assert!(out.status.success());
    String::from_utf8(out.stderr).expect("UTF-8")
}

#[test]
fn every_proving_phase_is_reported_in_order() {
    let err = prove(None);
    let phases: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("zkvm prove: ")?.split_once(" done in "))
        .map(|(phase, _)| phase)
        .collect();
    assert_eq!(
        phases,
        [
            "trace",
            "witness generation",
            "commit columns",
            "commit tables",
            "spartan",
            "memory checking and lookups (gkr)",
            "openings",
            "serialize"
        ],
        "{err}"
    );
    // Without RUST_LOG, no tracing output.
    assert!(!err.contains("INFO"), "{err}");
}

#[test]
fn rust_log_shows_the_provers_spans_without_colour() {
    let err = prove(Some("zkvm=info"));
    assert!(err.contains("spartan::prove"), "{err}");
    assert!(
        err.contains("outer sumcheck") && err.contains("time.busy"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "escape codes in a pipe: {err}");
}
