//! Sumcheck prover time by number of variables (degree-3 product of three polynomials, and the
//! degree-2 `eq · p` instance).
//!
//! `cargo bench -p zkvm-prover --bench sumcheck` (sizes up to `$ZKVM_BENCH_MAX_LOG`, default 20).

use ark_bn254::Fr;
use ark_ff::UniformRand;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkvm_core::poly::DenseMle;
use zkvm_core::sumcheck;
use zkvm_core::transcript::Transcript;

fn max_log(default: usize) -> usize {
    std::env::var("ZKVM_BENCH_MAX_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("sumcheck_prove");
    g.sample_size(10);
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    for n in (12..=max_log(20)).step_by(2) {
        let polys: Vec<DenseMle> = (0..3)
            .map(|_| DenseMle::new((0..1 << n).map(|_| Fr::rand(&mut rng)).collect()))
            .collect();
        g.bench_with_input(BenchmarkId::new("product3", n), &n, |b, _| {
            b.iter_batched(
                || polys.clone(),
                |p| {
                    sumcheck::prove(
                        Fr::from(0u64),
                        p,
                        3,
                        |v| v[0] * v[1] * v[2],
                        &mut Transcript::new(b"bench"),
                    )
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
