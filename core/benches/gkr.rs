//! LogUp-GKR prover and verifier time for 2^16, 2^18 and 2^20 leaves.
//!
//! `cargo bench -p zkvm-prover --bench gkr`; CI smoke-runs it with `-- --test`.

use ark_bn254::Fr;
use ark_ff::{One, UniformRand};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkvm_core::gkr;
use zkvm_core::poly::DenseMle;
use zkvm_core::transcript::Transcript;

const DOMAIN: &[u8] = b"gkr-bench";

/// A lookup-shaped instance: numerators 1, random denominators.
fn instance(n: usize) -> (DenseMle, DenseMle) {
    let mut rng = ChaCha20Rng::seed_from_u64(n as u64);
    let p = DenseMle::new(vec![Fr::one(); 1 << n]);
    let q = DenseMle::new((0..1 << n).map(|_| Fr::rand(&mut rng)).collect());
    (p, q)
}

fn bench_gkr(c: &mut Criterion) {
    let mut group = c.benchmark_group("gkr");
    group.sample_size(10);
    for n in [16usize, 18, 20] {
        let (p, q) = instance(n);
        group.bench_with_input(BenchmarkId::new("prove", n), &n, |b, _| {
            b.iter_batched(
                || (p.clone(), q.clone()),
                |(p, q)| gkr::prove(p, q, &mut Transcript::new(DOMAIN)),
                criterion::BatchSize::LargeInput,
            )
        });
        let (proof, _, _) = gkr::prove(p.clone(), q.clone(), &mut Transcript::new(DOMAIN));
        group.bench_with_input(BenchmarkId::new("verify", n), &n, |b, &n| {
            b.iter(|| gkr::verify(n, &proof, &mut Transcript::new(DOMAIN)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_gkr);
criterion_main!(benches);
