//! VM throughput on tight loops, without and with trace recording (steps per second).
//!
//! `cargo bench -p zkvm-vm --bench vm -- --warm-up-time 1 --measurement-time 3`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use zkvm_isa::{Fr, Program};
use zkvm_vm::{run, RunConfig};

/// Countdown: two instructions per iteration (add, jnz), one cell rewritten in place.
const COUNTDOWN: &str = "main:
    [fp] = input;
loop:
    [fp] = [fp] + -1;
    jmp loop if [fp] != 0;
    halt;
";

/// Fibonacci in the field: four instructions per iteration (copy, add, add, jnz).
const FIB: &str = "main:
    [fp] = 0;
    [fp + 1] = 1;
    [fp + 2] = input;
loop:
    [fp + 3] = [fp + 1];
    [fp + 1] = [fp] + [fp + 1];
    [fp] = [fp + 3];
    [fp + 2] = [fp + 2] + -1;
    jmp loop if [fp + 2] != 0;
    halt;
";

fn program(src: &str) -> Program {
    zkvm_assembler::assemble_str("bench.zasm", src).expect("bench program assembles")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("zasm_vm");
    for (name, src, per_iter, setup) in [("countdown", COUNTDOWN, 2u64, 1u64), ("fib", FIB, 5, 3)] {
        let p = program(src);
        for iters in [1u64 << 16, 1u64 << 20] {
            let steps = iters * per_iter + setup + 1;
            let input = [Fr::from(iters)];
            let check = run(&p, &input, &RunConfig::default()).expect("runs");
            assert_eq!(check.summary.cycles, steps);
            g.throughput(Throughput::Elements(steps));
            g.bench_with_input(
                BenchmarkId::new(format!("{name}/no_trace"), steps),
                &input,
                |b, i| b.iter(|| run(&p, i, &RunConfig::default()).expect("runs")),
            );
            let traced = RunConfig {
                record_trace: true,
                ..RunConfig::default()
            };
            g.bench_with_input(
                BenchmarkId::new(format!("{name}/trace"), steps),
                &input,
                |b, i| b.iter(|| run(&p, i, &traced).expect("runs")),
            );
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
