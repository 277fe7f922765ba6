//! LogUp-GKR completeness: honest proofs verify, the verifier's leaf claims are the true
//! evaluations of the leaves, and proofs survive serialization.

use ark_bn254::Fr;
use ark_ff::{Field, UniformRand};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkvm_core::gkr::{self, FractionalSumProof};
use zkvm_core::poly::DenseMle;
use zkvm_core::transcript::Transcript;

const DOMAIN: &[u8] = b"gkr-completeness";

fn random_mle(n: usize, rng: &mut ChaCha20Rng) -> DenseMle {
    DenseMle::new((0..1 << n).map(|_| Fr::rand(rng)).collect())
}

/// `Σ p(x)/q(x)`, computed directly with field inversions.
fn direct_sum(p: &DenseMle, q: &DenseMle) -> Fr {
    p.evals()
        .iter()
        .zip(q.evals())
        .map(|(a, b)| *a * b.inverse().expect("random denominators are nonzero"))
        .sum()
}

#[test]
fn single_instance_is_complete_for_every_size_up_to_12() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    for n in 0..=12 {
        let p = random_mle(n, &mut rng);
        let q = random_mle(n, &mut rng);
        let mut tp = Transcript::new(DOMAIN);
        let (proof, root, prover_claim) = gkr::prove(p.clone(), q.clone(), &mut tp);
        assert_eq!(proof.layers.len(), n);

        // The root is the sum of the fractions, and its denominator the product of the q's.
        assert_eq!(
            root.denominator,
            q.evals().iter().product::<Fr>(),
            "n = {n}"
        );
        assert_eq!(
            root.numerator,
            direct_sum(&p, &q) * root.denominator,
            "n = {n}"
        );

        let mut tv = Transcript::new(DOMAIN);
        let (v_root, leaf) = gkr::verify(n, &proof, &mut tv).expect("honest proof verifies");
        assert_eq!(v_root, root);
        assert_eq!(leaf, prover_claim);
        assert_eq!(leaf.point.len(), n);
        assert_eq!(p.evaluate(&leaf.point), leaf.p_eval, "n = {n}");
        assert_eq!(q.evaluate(&leaf.point), leaf.q_eval, "n = {n}");
        // Prover and verifier end in the same transcript state.
        assert_eq!(tp.state(), tv.state(), "n = {n}");
    }
}

#[test]
fn a_single_leaf_is_its_own_root() {
    let p = DenseMle::new(vec![Fr::from(3u64)]);
    let q = DenseMle::new(vec![Fr::from(7u64)]);
    let (proof, root, claim) = gkr::prove(p, q, &mut Transcript::new(DOMAIN));
    assert!(proof.layers.is_empty());
    assert_eq!(
        (root.numerator, root.denominator),
        (Fr::from(3u64), Fr::from(7u64))
    );
    assert!(claim.point.is_empty());
    let (_, leaf) = gkr::verify(0, &proof, &mut Transcript::new(DOMAIN)).unwrap();
    assert_eq!((leaf.p_eval, leaf.q_eval), (Fr::from(3u64), Fr::from(7u64)));
}

#[test]
fn batches_of_mixed_sizes_are_complete() {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    for sizes in [
        vec![4, 4],
        vec![10, 3],
        vec![0, 6, 2, 6],
        vec![1, 0],
        vec![0, 0],
    ] {
        let instances: Vec<(DenseMle, DenseMle)> = sizes
            .iter()
            .map(|&n| (random_mle(n, &mut rng), random_mle(n, &mut rng)))
            .collect();
        let (proof, roots, claims) =
            gkr::prove_batch(instances.clone(), &mut Transcript::new(DOMAIN));
        let (v_roots, leaves) = gkr::verify_batch(&sizes, &proof, &mut Transcript::new(DOMAIN))
            .expect("honest batch verifies");
        assert_eq!(v_roots, roots);
        assert_eq!(leaves, claims);
        let depth = *sizes.iter().max().unwrap();
        for (((p, q), leaf), root) in instances.iter().zip(&leaves).zip(&roots) {
            assert_eq!(leaf.point.len(), p.num_vars());
            assert_eq!(p.evaluate(&leaf.point), leaf.p_eval, "sizes {sizes:?}");
            assert_eq!(q.evaluate(&leaf.point), leaf.q_eval, "sizes {sizes:?}");
            assert_eq!(root.numerator, direct_sum(p, q) * root.denominator);
        }
        // Every instance's point is a suffix of the longest one's.
        let longest = leaves
            .iter()
            .map(|l| &l.point)
            .max_by_key(|p| p.len())
            .unwrap();
        assert_eq!(longest.len(), depth);
        for leaf in &leaves {
            assert_eq!(leaf.point[..], longest[depth - leaf.point.len()..]);
        }
    }
}

#[test]
fn proofs_round_trip_through_serialization() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let instances = vec![
        (random_mle(7, &mut rng), random_mle(7, &mut rng)),
        (random_mle(4, &mut rng), random_mle(4, &mut rng)),
    ];
    let (proof, _, _) = gkr::prove_batch(instances, &mut Transcript::new(DOMAIN));
    let mut bytes = Vec::new();
    proof.serialize_compressed(&mut bytes).unwrap();
    assert_eq!(bytes.len(), proof.compressed_size());
    let back = FractionalSumProof::deserialize_compressed(&bytes[..]).unwrap();
    assert_eq!(back, proof);
    assert!(gkr::verify_batch(&[7, 4], &back, &mut Transcript::new(DOMAIN)).is_ok());
}

#[test]
fn the_proof_binds_to_the_transcript_it_was_made_in() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let (p, q) = (random_mle(5, &mut rng), random_mle(5, &mut rng));
    let (proof, _, _) = gkr::prove(p, q, &mut Transcript::new(DOMAIN));
    let mut other = Transcript::new(b"another context");
    assert!(gkr::verify(5, &proof, &mut other).is_err());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// For any small leaves (zero numerators and repeated values included) and any sizes,
        /// the batch verifies, each root is the sum of its fractions, and the leaf claims are
        /// the leaves' evaluations.
        #[test]
        fn any_batch_verifies_with_true_roots_and_leaf_claims(
            sizes in proptest::collection::vec(0usize..6, 1..4),
            seed in any::<u64>(),
            small in any::<bool>(),
        ) {
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            let instances: Vec<(DenseMle, DenseMle)> = sizes
                .iter()
                .map(|&n| {
                    let value = |rng: &mut ChaCha20Rng| {
                        if small { Fr::from(rand::Rng::gen_range(rng, 0u64..3)) } else { Fr::rand(rng) }
                    };
                    let p = DenseMle::new((0..1 << n).map(|_| value(&mut rng)).collect());
                    // Denominators must be nonzero: shift small ones by one.
                    let q = DenseMle::new((0..1 << n).map(|_| value(&mut rng) + Fr::from(1u64)).collect());
                    (p, q)
                })
                .collect();
            let (proof, roots, _) = gkr::prove_batch(instances.clone(), &mut Transcript::new(DOMAIN));
            let (v_roots, leaves) = gkr::verify_batch(&sizes, &proof, &mut Transcript::new(DOMAIN))
                .expect("honest batch verifies");
            prop_assert_eq!(&v_roots, &roots);
            for (((p, q), leaf), root) in instances.iter().zip(&leaves).zip(&roots) {
                prop_assert_eq!(root.numerator, direct_sum(p, q) * root.denominator);
                prop_assert_eq!(p.evaluate(&leaf.point), leaf.p_eval);
                prop_assert_eq!(q.evaluate(&leaf.point), leaf.q_eval);
            }
        }
    }
}
