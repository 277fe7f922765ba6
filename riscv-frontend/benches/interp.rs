//! Interpreter throughput on a tight loop, with and without trace recording.
//!
//! The loop body mixes ALU, M-extension, load/store and branch instructions (8 instructions
//! per iteration). Throughput is reported in instructions per second (criterion's
//! `Throughput::Elements`).
//!
//! Run: `cargo bench -p zkvm-riscv --bench interp`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use zkvm_riscv::{run, Instruction as I, Program, RunConfig};

const CODE: u32 = 0x1_0000;
const DATA: u32 = 0x2_0000;

/// A loop of `iters` iterations, then exit(0).
fn tight_loop(iters: u32) -> (Program, u64) {
    let hi = (iters.wrapping_add(0x800)) & !0xfff;
    let lo = iters.wrapping_sub(hi) as i32;
    let code = vec![
        I::Lui {
            rd: 5,
            imm: hi as i32,
        }, // t0 = iters
        I::Addi {
            rd: 5,
            rs1: 5,
            imm: lo,
        },
        I::Lui {
            rd: 10,
            imm: DATA as i32,
        }, // a0 = DATA
        I::Addi {
            rd: 6,
            rs1: 0,
            imm: 1,
        }, // t1 = 1
        // loop:
        I::Add {
            rd: 7,
            rs1: 7,
            rs2: 6,
        }, // t2 += t1
        I::Xor {
            rd: 6,
            rs1: 6,
            rs2: 7,
        }, // t1 ^= t2
        I::Slli {
            rd: 28,
            rs1: 6,
            imm: 3,
        }, // t3 = t1 << 3
        I::Mul {
            rd: 29,
            rs1: 28,
            rs2: 7,
        }, // t4 = t3 * t2
        I::Sw {
            rs1: 10,
            rs2: 29,
            imm: 0,
        }, // mem[a0] = t4
        I::Lw {
            rd: 30,
            rs1: 10,
            imm: 0,
        }, // t5 = mem[a0]
        I::Addi {
            rd: 5,
            rs1: 5,
            imm: -1,
        }, // t0 -= 1
        I::Bne {
            rs1: 5,
            rs2: 0,
            imm: -28,
        }, // loop while t0 != 0
        I::Addi {
            rd: 10,
            rs1: 0,
            imm: 0,
        },
        I::Addi {
            rd: 17,
            rs1: 0,
            imm: 93,
        },
        I::Ecall,
    ];
    let program = Program::from_instructions(CODE, &code, Some((DATA, vec![0; 64], 0x1000)));
    (program, 4 + 8 * u64::from(iters) + 3)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("rv32im_interpreter");
    group.sample_size(10);
    for &iters in &[100_000u32, 1_000_000] {
        let (program, cycles) = tight_loop(iters);
        group.throughput(Throughput::Elements(cycles));
        for (name, record_trace) in [("no_trace", false), ("trace", true)] {
            let config = RunConfig {
                max_cycles: u64::MAX,
                record_trace,
            };
            group.bench_with_input(BenchmarkId::new(name, cycles), &program, |b, p| {
                b.iter(|| {
                    let e = run(p, &[], &config).expect("the loop exits");
                    assert_eq!(e.summary.cycles, cycles);
                    e.exit_code
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
