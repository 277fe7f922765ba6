//! A run proven in shards from the command line: in one process (`--shard-rows`, or a memory
//! budget the run exceeds), and in separate processes, each proving some shards
//! (`--shards A..B`), whose parts `zkvm combine` joins into one proof for `zkvm verify`.

mod common;
use common::zkvm;

/// fib(60) = 1548008755920: 311 cycles, five shards of 2^6 rows.
const FIB_60: &str = "1548008755920";

fn temp(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("zkvm-shards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir.join(name).to_string_lossy().into_owned()
}

fn prove_part(selection: [&str; 2], path: &str) {
    let (code, out, err) = zkvm(&[
        "prove",
        "examples/zasm/fib.zasm",
        "--input",
        "60",
        "--shard-rows",
        "6",
        selection[0],
        selection[1],
        "-o",
        path,
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.contains("zkvm combine"), "{err}");
}

#[test]
fn shards_proven_in_separate_processes_combine_into_one_proof() {
    let (a, b, c, whole) = (
        temp("a.part"),
        temp("b.part"),
        temp("c.part"),
        temp("fib.proof"),
    );
    // Two processes (as two array jobs would), each proving its part of the five shards:
    // shards 0..2 and 2..5.
    prove_part(["--part", "0/2"], &a);
    prove_part(["--part", "1/2"], &b);
    // Alone, a part is not a proof of the run.
    let (code, _, err) = zkvm(&["verify", "examples/zasm/fib.zasm", &a]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("only the last shard ends the run"), "{err}");
    let (code, _, err) = zkvm(&["combine", &b, &a, "-o", &whole]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("5 shards"), "{err}");
    let (code, out, err) = zkvm(&["verify", "examples/zasm/fib.zasm", &whole]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), FIB_60);
    // The same part twice does not combine; a missing shard does not verify.
    let (code, _, err) = zkvm(&["combine", &a, &a, "-o", &whole]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("two parts hold shard 0"), "{err}");
    prove_part(["--shards", "2..5"], &c);
    let (code, _, err) = zkvm(&["combine", &c, "-o", &whole]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = zkvm(&["verify", "examples/zasm/fib.zasm", &whole]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("shard 0: the proof is shard 2's"), "{err}");
}

#[test]
fn a_run_beyond_the_memory_budget_is_proven_in_shards_that_fit() {
    // fib(3000) runs 15,011 cycles: over a 0.3 GiB budget as one proof (the estimate is
    // 256 MiB plus 6.7 KB a row, so at most 8,012 rows fit), so it is proven in shards of
    // 2^12 rows.
    let proof = temp("budget.proof");
    let (code, out, err) = zkvm(&[
        "prove",
        "examples/zasm/fib.zasm",
        "--input",
        "3000",
        "--memory-budget",
        "0.3",
        "--stats",
        "-o",
        &proof,
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.contains("shards            4 of 2^12 rows"), "{err}");
    let (code, _, err) = zkvm(&["verify", "examples/zasm/fib.zasm", &proof]);
    assert_eq!(code, 0, "{err}");
    // Bad shard options are refused with their reason (status 2: usage; 1: the run's).
    let fib = ["prove", "examples/zasm/fib.zasm", "--input", "5"];
    for (options, status, reason) in [
        (
            &["--shard-rows", "40"][..],
            1,
            "the shard size must be 2^3 to 2^24",
        ),
        (&["--shards", "0..2"], 2, "--shard-rows"),
        (&["--shard-rows", "6", "--shards", "3..1"], 2, "empty range"),
        (&["--shard-rows", "6", "--part", "2/2"], 2, "does not exist"),
        (
            &["--shard-rows", "6", "--memory-checking", "twist"],
            1,
            "checks its memory offline",
        ),
    ] {
        let args: Vec<&str> = fib.iter().chain(options).copied().collect();
        let (code, _, err) = zkvm(&args);
        assert_eq!(code, status, "{options:?}: {err}");
        assert!(err.contains(reason), "{options:?}: {err}");
    }
}
