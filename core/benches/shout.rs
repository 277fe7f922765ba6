//! Shout by run length: committing the one-hot addresses (random ones, the worst case, and a
//! loop of 8), the Shout sumcheck, and opening the
//! one-hot matrix, beside committing the same addresses as one dense `u32` column (what a
//! committed column costs today).
//!
//! `ZKVM_BENCH_LOG_K=8 ZKVM_BENCH_MIN_LOG=16 ZKVM_BENCH_MAX_LOG=20 cargo bench -p zkvm-core --bench shout`
//! (defaults 8, 16 and 20: a table of 256 entries, 2^16 to 2^20 cycles).

use ark_bn254::Fr;
use ark_ff::UniformRand;
mod common;

use common::env;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkvm_core::one_hot::OneHotMle;
use zkvm_core::pcs::DoryPcs;
use zkvm_core::shout;
use zkvm_core::transcript::Transcript;

fn bench(c: &mut Criterion) {
    let log_k = env("ZKVM_BENCH_LOG_K", 8);
    let (lo, hi) = (env("ZKVM_BENCH_MIN_LOG", 16), env("ZKVM_BENCH_MAX_LOG", 20));
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let table: Vec<Fr> = (0..1 << log_k).map(|_| Fr::rand(&mut rng)).collect();
    let mut g = c.benchmark_group("shout");
    g.sample_size(10);
    for log_t in (lo..=hi).step_by(2) {
        let setup = DoryPcs::setup(log_k + log_t).expect("setup");
        let addresses: Vec<u32> = (0..1 << log_t)
            .map(|_| rng.gen_range(0..1u32 << log_k))
            .collect();
        let words: Vec<u64> = addresses.iter().map(|a| u64::from(*a)).collect();
        let ra = OneHotMle::new(log_k, addresses).expect("one-hot");
        g.bench_with_input(BenchmarkId::new("commit_one_hot", log_t), &log_t, |b, _| {
            b.iter(|| DoryPcs::commit_one_hot(&setup, &ra).expect("commit"))
        });
        // A loop of 8 instructions: most rows of the matrix are zero, and cost nothing.
        let looped =
            OneHotMle::new(log_k, (0..1u32 << log_t).map(|j| j % 8).collect()).expect("one-hot");
        g.bench_with_input(
            BenchmarkId::new("commit_one_hot_loop8", log_t),
            &log_t,
            |b, _| b.iter(|| DoryPcs::commit_one_hot(&setup, &looped).expect("commit")),
        );
        g.bench_with_input(
            BenchmarkId::new("commit_address_column", log_t),
            &log_t,
            |b, _| b.iter(|| DoryPcs::commit_small(&setup, &words, log_t).expect("commit")),
        );
        let r_cycle: Vec<Fr> = (0..log_t).map(|_| Fr::rand(&mut rng)).collect();
        g.bench_with_input(BenchmarkId::new("prove", log_t), &log_t, |b, _| {
            b.iter(|| {
                shout::prove(&table, &ra, &r_cycle, &mut Transcript::new(b"bench")).expect("prove")
            })
        });
        let (_, data) = DoryPcs::commit_one_hot(&setup, &ra).expect("commit");
        let point: Vec<Fr> = (0..log_k + log_t).map(|_| Fr::rand(&mut rng)).collect();
        let eval = ra.evaluate(&point);
        g.bench_with_input(BenchmarkId::new("open_one_hot", log_t), &log_t, |b, _| {
            b.iter(|| {
                DoryPcs::open_one_hot_batch(
                    &setup,
                    &[&ra],
                    &[&data],
                    &point,
                    &[eval],
                    &mut Transcript::new(b"bench"),
                )
                .expect("open")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
