//! Dory commit / open / verify by size and by kind of values (random field elements, `u32`
//! words, bits).
//!
//! `ZKVM_BENCH_MIN_LOG=16 ZKVM_BENCH_MAX_LOG=22 cargo bench -p zkvm-prover --bench pcs`
//! (defaults 16 and 22; each 2^22 random commit takes tens of seconds on 2 cores).

use ark_bn254::Fr;
use ark_ff::UniformRand;
mod common;

use common::env;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkvm_core::pcs::DoryPcs;
use zkvm_core::poly::DenseMle;
use zkvm_core::transcript::Transcript;

fn bench(c: &mut Criterion) {
    let (lo, hi) = (env("ZKVM_BENCH_MIN_LOG", 16), env("ZKVM_BENCH_MAX_LOG", 22));
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let mut g = c.benchmark_group("dory");
    g.sample_size(10);
    for n in (lo..=hi).step_by(2) {
        let setup = DoryPcs::setup(n).expect("setup");
        let random = DenseMle::new((0..1 << n).map(|_| Fr::rand(&mut rng)).collect());
        let words: Vec<u64> = (0..1 << n).map(|_| u64::from(rng.gen::<u32>())).collect();
        let bits: Vec<u64> = (0..1 << n).map(|_| rng.gen::<u64>() & 1).collect();
        g.bench_with_input(BenchmarkId::new("commit_random", n), &n, |b, _| {
            b.iter(|| DoryPcs::commit(&setup, &random).expect("commit"))
        });
        g.bench_with_input(BenchmarkId::new("commit_u32", n), &n, |b, _| {
            b.iter(|| DoryPcs::commit_small(&setup, &words, n).expect("commit"))
        });
        g.bench_with_input(BenchmarkId::new("commit_bits", n), &n, |b, _| {
            b.iter(|| DoryPcs::commit_small(&setup, &bits, n).expect("commit"))
        });
        let (comm, data) = DoryPcs::commit(&setup, &random).expect("commit");
        let point: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
        let eval = random.evaluate(&point);
        let open = || {
            DoryPcs::open_batch_with_evals(
                &setup,
                &[&random],
                &[&data],
                &point,
                &[eval],
                &mut Transcript::new(b"bench"),
            )
            .expect("open")
        };
        g.bench_with_input(BenchmarkId::new("open", n), &n, |b, _| b.iter(open));
        let proof = open();
        g.bench_with_input(BenchmarkId::new("verify", n), &n, |b, _| {
            b.iter(|| {
                DoryPcs::verify_batch(
                    &setup,
                    &[&comm],
                    &point,
                    &[eval],
                    &proof,
                    &mut Transcript::new(b"bench"),
                )
                .expect("verify")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
