//! Twist by run length, beside what offline memory checking pays for the same accesses.
//!
//! Twist: committing the one-hot addresses, the prover (read checking and Val evaluation) and
//! the verifier. Offline memory checking (`prover/src/machine/offline_memory.rs`): committing
//! its three extra columns per access (the read timestamp and its two 16-bit range limbs) and
//! the LogUp-GKR over its `2T + 2K` fractions (reads, writes, initial and final memory). Both
//! also commit the values read and written, and offline checking range-checks the limbs and
//! commits the final memory on top; neither is counted here.
//!
//! `ZKVM_BENCH_LOG_K=10 ZKVM_BENCH_MIN_LOG=16 ZKVM_BENCH_MAX_LOG=20 cargo bench -p zkvm-core --bench twist`
//! (defaults 10, 16 and 20: a memory of 1024 cells, 2^16 to 2^20 accesses).

use ark_bn254::Fr;
use ark_ff::{One, UniformRand};
mod common;

use common::env;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkvm_core::gkr;
use zkvm_core::one_hot::OneHotMle;
use zkvm_core::pcs::DoryPcs;
use zkvm_core::poly::DenseMle;
use zkvm_core::transcript::Transcript;
use zkvm_core::twist;

fn bench(c: &mut Criterion) {
    let log_k = env("ZKVM_BENCH_LOG_K", 10);
    let (lo, hi) = (env("ZKVM_BENCH_MIN_LOG", 16), env("ZKVM_BENCH_MAX_LOG", 20));
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let init: Vec<Fr> = (0..1 << log_k).map(|_| Fr::rand(&mut rng)).collect();
    let mut g = c.benchmark_group("twist");
    g.sample_size(10);
    for log_t in (lo..=hi).step_by(2) {
        // A consistent run: random cells, a new value written every other access.
        let mut memory = init.clone();
        let (mut addresses, mut reads, mut writes) = (vec![], vec![], vec![]);
        for j in 0..1u32 << log_t {
            let a = rng.gen_range(0..1u32 << log_k);
            reads.push(memory[a as usize]);
            if j % 2 == 0 {
                memory[a as usize] = Fr::from(u64::from(j));
            }
            writes.push(memory[a as usize]);
            addresses.push(a);
        }
        let ra = OneHotMle::new(log_k, addresses).expect("one-hot");
        let r_cycle: Vec<Fr> = (0..log_t).map(|_| Fr::rand(&mut rng)).collect();
        let setup = DoryPcs::setup(log_k + log_t).expect("setup");
        g.bench_with_input(BenchmarkId::new("commit_one_hot", log_t), &log_t, |b, _| {
            b.iter(|| DoryPcs::commit_one_hot(&setup, &ra).expect("commit"))
        });
        let prove = || {
            twist::prove(
                &init,
                &ra,
                &reads,
                &writes,
                &r_cycle,
                &mut Transcript::new(b"bench"),
            )
            .expect("prove")
        };
        g.bench_with_input(BenchmarkId::new("prove", log_t), &log_t, |b, _| {
            b.iter(prove)
        });
        let (proof, rv) = prove();
        g.bench_with_input(BenchmarkId::new("verify", log_t), &log_t, |b, _| {
            b.iter(|| {
                twist::verify(
                    &init,
                    log_t,
                    &r_cycle,
                    rv,
                    &proof,
                    &mut Transcript::new(b"bench"),
                )
                .expect("verify")
            })
        });

        // Offline memory checking of the same accesses.
        let timestamps: Vec<u64> = (0..1u64 << log_t).map(|j| j * 3 % (1 << 16)).collect();
        g.bench_with_input(
            BenchmarkId::new("offline_commit_timestamps", log_t),
            &log_t,
            |b, _| {
                b.iter(|| {
                    for _ in 0..3 {
                        DoryPcs::commit_small(&setup, &timestamps, log_t).expect("commit");
                    }
                })
            },
        );
        let leaves = ((2usize << log_t) + (2usize << log_k)).next_power_of_two();
        let p = DenseMle::new(vec![Fr::one(); leaves]);
        let q = DenseMle::new((0..leaves).map(|_| Fr::rand(&mut rng)).collect());
        g.bench_with_input(BenchmarkId::new("offline_gkr", log_t), &log_t, |b, _| {
            b.iter_batched(
                || (p.clone(), q.clone()),
                |(p, q)| gkr::prove(p, q, &mut Transcript::new(b"bench")),
                criterion::BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
