//! Spartan + Dory prove and verify for the synthetic uniform circuit of 49 constraints over 20
//! columns per row ([`zkvm_core::spartan::example`]) at 2^16, 2^18, 2^20 rows.
//!
//! `ZKVM_BENCH_MAX_LOG=20 cargo bench -p zkvm-prover --bench spartan` (default 18: the 2^20 run is
//! reported from `examples/uniform_proof.rs`, which also gives proof size and, under
//! `/usr/bin/time -v`, peak memory).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use zkvm_core::pcs::DoryPcs;
use zkvm_core::spartan::{self, example};
use zkvm_core::transcript::Transcript;

fn bench(c: &mut Criterion) {
    let hi: usize = std::env::var("ZKVM_BENCH_MAX_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(18);
    let r1cs = example::circuit(9);
    let mut g = c.benchmark_group("spartan_uniform");
    g.sample_size(10);
    for n in (16..=hi).step_by(2) {
        let setup = DoryPcs::setup(n).expect("setup");
        let columns = example::witness(9, n);
        g.bench_with_input(BenchmarkId::new("prove", n), &n, |b, _| {
            b.iter(|| {
                spartan::prove_uniform(&setup, &r1cs, &columns, &mut Transcript::new(b"bench"))
                    .expect("prove")
            })
        });
        let proof = spartan::prove_uniform(&setup, &r1cs, &columns, &mut Transcript::new(b"bench"))
            .expect("prove");
        eprintln!(
            "spartan_uniform/{n}: proof size {} bytes",
            proof.to_bytes().expect("serialize").len()
        );
        g.bench_with_input(BenchmarkId::new("verify", n), &n, |b, _| {
            b.iter(|| {
                spartan::verify_uniform(&setup, &r1cs, &proof, &mut Transcript::new(b"bench"))
                    .expect("verify")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
