//! Completeness of the Dory commitment layer: random, small and mixed-size batches.

use ark_bn254::Fr;
use ark_ff::UniformRand;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkvm_core::pcs::DoryPcs;
use zkvm_core::poly::DenseMle;
use zkvm_core::transcript::Transcript;

fn random_mle(n: usize, rng: &mut ChaCha20Rng) -> DenseMle {
    DenseMle::new((0..1 << n).map(|_| Fr::rand(rng)).collect())
}

#[test]
fn batch_of_mixed_sizes_opens_and_verifies() {
    let setup = DoryPcs::setup(10).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    for sizes in [
        vec![0usize],
        vec![1],
        vec![5, 5],
        vec![9, 4, 9, 0, 6],
        vec![10, 3],
    ] {
        let polys: Vec<DenseMle> = sizes.iter().map(|n| random_mle(*n, &mut rng)).collect();
        let committed: Vec<_> = polys
            .iter()
            .map(|p| DoryPcs::commit(&setup, p).unwrap())
            .collect();
        let n = *sizes.iter().max().unwrap();
        let point: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
        let refs: Vec<&DenseMle> = polys.iter().collect();
        let data: Vec<_> = committed.iter().map(|(_, d)| d).collect();
        let mut tp = Transcript::new(b"pcs");
        let proof = DoryPcs::open_batch(&setup, &refs, &data, &point, &mut tp).unwrap();
        let evals: Vec<Fr> = polys
            .iter()
            .map(|p| p.evaluate(&point[n - p.num_vars()..]))
            .collect();
        let comms: Vec<_> = committed.iter().map(|(c, _)| c).collect();
        let mut tv = Transcript::new(b"pcs");
        DoryPcs::verify_batch(&setup, &comms, &point, &evals, &proof, &mut tv)
            .unwrap_or_else(|e| panic!("sizes {sizes:?}: {e}"));
        assert_eq!(tp.state(), tv.state(), "transcripts diverged");
    }
}

#[test]
fn small_commitments_equal_field_commitments() {
    let setup = DoryPcs::setup(10).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    for (n, len, bits) in [
        (6usize, 64usize, 1u32),
        (9, 300, 8),
        (10, 1024, 32),
        (3, 8, 64),
    ] {
        let values: Vec<u64> = (0..len)
            .map(|_| {
                let x: u64 = rng.gen();
                if bits == 64 {
                    x
                } else {
                    x & ((1 << bits) - 1)
                }
            })
            .collect();
        let mle = DenseMle::padded(values.iter().map(|v| Fr::from(*v)).collect(), n);
        let (c1, _) = DoryPcs::commit(&setup, &mle).unwrap();
        let (c2, d2) = DoryPcs::commit_small(&setup, &values, n).unwrap();
        assert_eq!(c1, c2, "n = {n}, {bits} bits");
        // The small prover data opens like any other.
        let point: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
        let proof =
            DoryPcs::open_batch(&setup, &[&mle], &[&d2], &point, &mut Transcript::new(b"s"))
                .unwrap();
        DoryPcs::verify_batch(
            &setup,
            &[&c2],
            &point,
            &[mle.evaluate(&point)],
            &proof,
            &mut Transcript::new(b"s"),
        )
        .unwrap();
    }
}

#[test]
fn too_large_polynomials_are_errors() {
    let setup = DoryPcs::setup(4).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    assert!(DoryPcs::commit(&setup, &random_mle(5, &mut rng)).is_err());
    assert!(DoryPcs::commit_small(&setup, &[1, 2, 3], 1).is_err());
}
