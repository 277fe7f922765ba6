//! LogUp-GKR soundness: each class of tampering is rejected, malformed proofs are errors (never
//! panics), and a lookup of a value missing from its table is caught by the caller's check.

use ark_bn254::Fr;
use ark_ff::{One, UniformRand, Zero};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkvm_core::gkr::{self, FractionalSumProof, GkrError, LeafClaim, RootFraction};
use zkvm_core::poly::DenseMle;
use zkvm_core::sumcheck::SumcheckError;
use zkvm_core::transcript::Transcript;

const DOMAIN: &[u8] = b"gkr-soundness";
const N: usize = 6;

fn random_mle(n: usize, rng: &mut ChaCha20Rng) -> DenseMle {
    DenseMle::new((0..1 << n).map(|_| Fr::rand(rng)).collect())
}

fn honest() -> (DenseMle, DenseMle, FractionalSumProof) {
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    let (p, q) = (random_mle(N, &mut rng), random_mle(N, &mut rng));
    let (proof, _, _) = gkr::prove(p.clone(), q.clone(), &mut Transcript::new(DOMAIN));
    (p, q, proof)
}

fn verify(proof: &FractionalSumProof) -> Result<(RootFraction, LeafClaim), GkrError> {
    gkr::verify(N, proof, &mut Transcript::new(DOMAIN))
}

#[test]
fn the_honest_proof_verifies() {
    let (p, q, proof) = honest();
    let (_, leaf) = verify(&proof).unwrap();
    assert_eq!(p.evaluate(&leaf.point), leaf.p_eval);
    assert_eq!(q.evaluate(&leaf.point), leaf.q_eval);
}

#[test]
fn a_changed_root_numerator_is_rejected() {
    let (_, _, mut proof) = honest();
    proof.roots[0].numerator += Fr::one();
    assert!(matches!(
        verify(&proof),
        Err(GkrError::LayerCheckFailed { layer: 0, .. })
    ));
}

#[test]
fn a_changed_root_denominator_is_rejected() {
    let (_, _, mut proof) = honest();
    proof.roots[0].denominator += Fr::one();
    assert!(matches!(
        verify(&proof),
        Err(GkrError::LayerCheckFailed { layer: 0, .. })
    ));
    proof.roots[0].denominator = Fr::zero();
    assert_eq!(
        verify(&proof),
        Err(GkrError::ZeroDenominator { instance: 0 })
    );
}

#[test]
fn a_tampered_layer_sumcheck_round_is_rejected() {
    let (_, _, proof) = honest();
    // Changing s(0) breaks s(0) + s(1) = claim in that very round.
    let mut bad = proof.clone();
    bad.layers[3].sumcheck.rounds[1][0] += Fr::one();
    assert!(matches!(
        verify(&bad),
        Err(GkrError::Sumcheck {
            layer: 3,
            error: SumcheckError::RoundCheckFailed { round: 1, .. }
        })
    ));
    // Changing s(2) keeps that round's check but moves s(r): a later round or the layer's final
    // check fails.
    let mut bad = proof.clone();
    bad.layers[4].sumcheck.rounds[2][2] += Fr::one();
    assert!(matches!(
        verify(&bad),
        Err(GkrError::Sumcheck { layer: 4, .. } | GkrError::LayerCheckFailed { layer: 4, .. })
    ));
    // The last round of the last layer: only the final check can see it.
    let mut bad = proof;
    let last = bad.layers.last_mut().unwrap();
    let round = last.sumcheck.rounds.last_mut().unwrap();
    round[3] += Fr::one();
    assert!(matches!(
        verify(&bad),
        Err(GkrError::LayerCheckFailed { layer, .. }) if layer == N - 1
    ));
}

#[test]
fn tampered_child_values_are_rejected() {
    let (_, _, proof) = honest();
    for layer in 0..N {
        for which in 0..4 {
            let mut bad = proof.clone();
            let c = &mut bad.layers[layer].children[0];
            let slot = [&mut c.p_left, &mut c.p_right, &mut c.q_left, &mut c.q_right];
            *slot.into_iter().nth(which).unwrap() += Fr::one();
            assert_eq!(
                verify(&bad).err().map(
                    |e| matches!(e, GkrError::LayerCheckFailed { layer: l, .. } if l == layer)
                ),
                Some(true),
                "layer {layer}, value {which}"
            );
        }
    }
}

#[test]
fn truncated_and_malformed_proofs_are_errors_not_panics() {
    let (_, _, proof) = honest();

    let mut bad = proof.clone();
    bad.layers.pop();
    assert_eq!(
        verify(&bad),
        Err(GkrError::WrongNumberOfLayers {
            expected: N,
            got: N - 1
        })
    );

    let mut bad = proof.clone();
    bad.layers.clear();
    assert!(matches!(
        verify(&bad),
        Err(GkrError::WrongNumberOfLayers { .. })
    ));

    let mut bad = proof.clone();
    bad.roots.clear();
    assert!(matches!(
        verify(&bad),
        Err(GkrError::WrongNumberOfRoots { .. })
    ));

    let mut bad = proof.clone();
    bad.layers[2].children.clear();
    assert!(matches!(
        verify(&bad),
        Err(GkrError::WrongNumberOfChildren {
            layer: 2,
            expected: 1,
            got: 0
        })
    ));

    let mut bad = proof.clone();
    bad.layers[5].sumcheck.rounds.pop();
    assert!(matches!(
        verify(&bad),
        Err(GkrError::Sumcheck {
            layer: 5,
            error: SumcheckError::WrongNumberOfRounds { .. }
        })
    ));

    let mut bad = proof.clone();
    bad.layers[5].sumcheck.rounds[3].pop();
    assert!(matches!(
        verify(&bad),
        Err(GkrError::Sumcheck {
            layer: 5,
            error: SumcheckError::WrongDegree { round: 3, .. }
        })
    ));

    let mut bad = proof.clone();
    bad.layers[1].sumcheck.rounds[0].clear();
    assert!(matches!(
        verify(&bad),
        Err(GkrError::Sumcheck { layer: 1, .. })
    ));

    // Asking for another size, or none, or an absurd one.
    assert!(gkr::verify(N + 1, &proof, &mut Transcript::new(DOMAIN)).is_err());
    assert!(gkr::verify_batch(&[], &proof, &mut Transcript::new(DOMAIN)).is_err());
    assert!(gkr::verify(usize::MAX, &proof, &mut Transcript::new(DOMAIN)).is_err());
    assert!(gkr::verify_batch(&[N, N], &proof, &mut Transcript::new(DOMAIN)).is_err());

    // Every truncation of the serialized proof fails to decode.
    let mut bytes = Vec::new();
    proof.serialize_compressed(&mut bytes).unwrap();
    for len in (0..bytes.len()).step_by(7) {
        assert!(
            FractionalSumProof::deserialize_compressed(&bytes[..len]).is_err(),
            "{len}"
        );
    }
    // A length prefix claiming a huge vector is refused without allocating it.
    let mut huge = bytes.clone();
    huge[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(FractionalSumProof::deserialize_compressed(&huge[..]).is_err());
}

#[test]
fn a_proof_about_other_leaves_fails_the_callers_leaf_check() {
    let (p, q, _) = honest();
    // The prover swaps in a different numerator with the same sum... or any other: the leaf
    // claim then disagrees with the committed p.
    let mut other = p.evals().to_vec();
    other.swap(0, 1);
    let other = DenseMle::new(other);
    let (proof, _, _) = gkr::prove(other, q.clone(), &mut Transcript::new(DOMAIN));
    let (_, leaf) = verify(&proof).expect("the GKR itself is consistent");
    assert_ne!(p.evaluate(&leaf.point), leaf.p_eval);
    assert_eq!(q.evaluate(&leaf.point), leaf.q_eval);
}

/// LogUp: `Σ_i 1/(α − f_i) − Σ_j m_j/(α − t_j)`, through one batched GKR proof, with the leaf
/// claims checked against the leaves. Returns `a·d − c·b` for the roots `a/b`, `c/d`.
fn logup_difference(looked_up: &[u64], table: &[u64], multiplicities: &[u64]) -> Fr {
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    let alpha = Fr::rand(&mut rng);
    let n_f = looked_up.len().next_power_of_two().trailing_zeros() as usize;
    let n_t = table.len().next_power_of_two().trailing_zeros() as usize;
    // Padding: numerator 0, denominator 1 adds nothing.
    let pad = |v: Vec<Fr>, n: usize, fill: Fr| {
        let mut v = v;
        v.resize(1 << n, fill);
        DenseMle::new(v)
    };
    let f_p = pad(vec![Fr::one(); looked_up.len()], n_f, Fr::zero());
    let f_q = pad(
        looked_up.iter().map(|f| alpha - Fr::from(*f)).collect(),
        n_f,
        Fr::one(),
    );
    let t_p = pad(
        multiplicities.iter().map(|m| Fr::from(*m)).collect(),
        n_t,
        Fr::zero(),
    );
    let t_q = pad(
        table.iter().map(|t| alpha - Fr::from(*t)).collect(),
        n_t,
        Fr::one(),
    );
    let instances = vec![(f_p.clone(), f_q.clone()), (t_p.clone(), t_q.clone())];
    let (proof, _, _) = gkr::prove_batch(instances, &mut Transcript::new(DOMAIN));
    let (roots, leaves) =
        gkr::verify_batch(&[n_f, n_t], &proof, &mut Transcript::new(DOMAIN)).unwrap();
    for ((p, q), leaf) in [(&f_p, &f_q), (&t_p, &t_q)].into_iter().zip(&leaves) {
        assert_eq!(p.evaluate(&leaf.point), leaf.p_eval);
        assert_eq!(q.evaluate(&leaf.point), leaf.q_eval);
    }
    roots[0].numerator * roots[1].denominator - roots[1].numerator * roots[0].denominator
}

#[test]
fn an_honest_lookup_balances() {
    let table: Vec<u64> = (0..16).collect();
    let looked_up = [3u64, 3, 15, 0, 7, 7, 7, 9, 1, 2, 3, 4, 5, 6, 11];
    let mut m = vec![0u64; 16];
    for f in looked_up {
        m[f as usize] += 1;
    }
    assert_eq!(logup_difference(&looked_up, &table, &m), Fr::zero());
}

#[test]
fn a_looked_up_value_missing_from_the_table_unbalances_the_sum() {
    let table: Vec<u64> = (0..16).collect();
    // 99 is not in the table; the prover still claims it with multiplicity on a neighbour.
    let looked_up = [3u64, 3, 15, 0, 7, 99, 7, 9];
    let mut m = vec![0u64; 16];
    for f in looked_up {
        m[f.min(15) as usize] += 1;
    }
    assert_ne!(logup_difference(&looked_up, &table, &m), Fr::zero());
}

#[test]
fn tampering_with_a_late_joining_instance_of_a_batch_is_rejected() {
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    let sizes = [6usize, 3];
    let instances: Vec<_> = sizes
        .iter()
        .map(|&n| (random_mle(n, &mut rng), random_mle(n, &mut rng)))
        .collect();
    let (proof, _, _) = gkr::prove_batch(instances, &mut Transcript::new(DOMAIN));
    let check = |p: &FractionalSumProof| gkr::verify_batch(&sizes, p, &mut Transcript::new(DOMAIN));
    assert!(check(&proof).is_ok());
    // The 3-variable instance joins at layer 6 − 3 = 3: before it, layers carry one child set.
    assert_eq!(proof.layers[2].children.len(), 1);
    assert_eq!(proof.layers[3].children.len(), 2);

    // Its root (absorbed before every challenge, so the first check to fail may come earlier
    // than layer 3, where the root enters the claim).
    let mut bad = proof.clone();
    bad.roots[1].numerator += Fr::one();
    assert!(check(&bad).is_err());
    // Its child values at layer 4.
    let mut bad = proof.clone();
    bad.layers[4].children[1].q_right += Fr::one();
    assert!(matches!(
        check(&bad),
        Err(GkrError::LayerCheckFailed { layer: 4, .. })
    ));
    // Swapping the two instances' roots.
    let mut bad = proof.clone();
    bad.roots.swap(0, 1);
    assert!(check(&bad).is_err());
    // Claiming the instances have other sizes.
    assert!(gkr::verify_batch(&[6, 4], &proof, &mut Transcript::new(DOMAIN)).is_err());
    assert!(gkr::verify_batch(&[3, 6], &proof, &mut Transcript::new(DOMAIN)).is_err());
}
