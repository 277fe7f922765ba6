//! Runs a tight countdown loop for `N` iterations (2 steps each, default 2^24) without trace and
//! prints steps per second of wall time; run it under `time` to relate it to CPU time on a busy
//! machine: `cargo run --release -p zkvm-vm --example steps -- 16777216`.

use zkvm_isa::Fr;
use zkvm_vm::{run, RunConfig};

fn main() {
    let iters: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1 << 24);
    let src = "main:\n    [fp] = input;\nloop:\n    [fp] = [fp] + -1;\n    jmp loop if [fp] != 0;\n    halt;\n";
    let program = match zkvm_assembler::assemble_str("steps.zasm", src) {
        Ok(p) => p,
        Err(d) => {
            eprint!("{}", d.render());
            std::process::exit(1);
        }
    };
    let config = RunConfig {
        max_cycles: u64::MAX,
        ..RunConfig::default()
    };
    let start = std::time::Instant::now();
    match run(&program, &[Fr::from(iters)], &config) {
        Ok(ex) => {
            let s = start.elapsed().as_secs_f64();
            let steps = ex.summary.cycles;
            println!(
                "{steps} steps in {s:.3} s wall: {:.1} M steps/s",
                steps as f64 / s / 1e6
            );
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
