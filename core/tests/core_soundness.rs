//! Adversarial tests of the proof-system core: each tampering must be rejected.

use ark_bn254::Fr;
use ark_ff::{One, UniformRand};
use ark_serialize::CanonicalSerialize;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkvm_core::pcs::{DoryPcs, DorySetup};
use zkvm_core::poly::DenseMle;
use zkvm_core::r1cs::{LinComb, R1csError, UniformR1cs, Var};
use zkvm_core::spartan::{self, SpartanError, UniformProof};
use zkvm_core::sumcheck::{self, SumcheckError};
use zkvm_core::transcript::Transcript;

// ---------------------------------------------------------------------------------------------
// Sumcheck

struct Instance {
    polys: Vec<DenseMle>,
    claim: Fr,
}

fn product_instance(n: usize, seed: u64) -> Instance {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let polys: Vec<DenseMle> = (0..3)
        .map(|_| DenseMle::new((0..1 << n).map(|_| Fr::rand(&mut rng)).collect()))
        .collect();
    let claim = (0..1 << n)
        .map(|x| polys[0].evals()[x] * polys[1].evals()[x] * polys[2].evals()[x])
        .sum();
    Instance { polys, claim }
}

fn prod(v: &[Fr]) -> Fr {
    v[0] * v[1] * v[2]
}

/// Runs the verifier and the final oracle check (the polynomials' true values at the point).
fn verify_fully(
    inst: &Instance,
    claim: Fr,
    proof: &sumcheck::SumcheckProof,
) -> Result<(), SumcheckError> {
    let n = inst.polys[0].num_vars();
    let sub = sumcheck::verify(claim, n, 3, proof, &mut Transcript::new(b"sc"))?;
    let values: Vec<Fr> = inst.polys.iter().map(|p| p.evaluate(&sub.point)).collect();
    let got = prod(&values);
    if got == sub.expected {
        Ok(())
    } else {
        Err(SumcheckError::FinalEvaluationMismatch {
            expected: sub.expected,
            got,
        })
    }
}

#[test]
fn sumcheck_rejects_a_wrong_claimed_sum() {
    let inst = product_instance(6, 1);
    let wrong = inst.claim + Fr::one();
    // An honest proof checked against a wrong claim fails in the first round.
    let (proof, _, _) = sumcheck::prove(
        inst.claim,
        inst.polys.clone(),
        3,
        prod,
        &mut Transcript::new(b"sc"),
    );
    assert!(verify_fully(&inst, inst.claim, &proof).is_ok());
    assert!(matches!(
        verify_fully(&inst, wrong, &proof),
        Err(SumcheckError::RoundCheckFailed { round: 0, .. })
    ));
    // A prover that argues for the wrong claim gets through the rounds but not the final check.
    let (proof, _, _) = sumcheck::prove(
        wrong,
        inst.polys.clone(),
        3,
        prod,
        &mut Transcript::new(b"sc"),
    );
    assert!(verify_fully(&inst, wrong, &proof).is_err());
}

#[test]
fn sumcheck_rejects_a_modified_round_polynomial() {
    let inst = product_instance(5, 2);
    let (proof, _, _) = sumcheck::prove(
        inst.claim,
        inst.polys.clone(),
        3,
        prod,
        &mut Transcript::new(b"sc"),
    );
    for round in 0..proof.rounds.len() {
        for k in 0..4 {
            let mut bad = proof.clone();
            bad.rounds[round][k] += Fr::one();
            assert!(
                verify_fully(&inst, inst.claim, &bad).is_err(),
                "round {round} value {k} modified but accepted"
            );
            // Keeping s(0) + s(1) consistent does not help: the challenge or final value moves.
            if k < 2 {
                bad.rounds[round][1 - k] -= Fr::one();
                assert!(verify_fully(&inst, inst.claim, &bad).is_err());
            }
        }
    }
}

#[test]
fn sumcheck_rejects_a_wrong_final_evaluation() {
    let inst = product_instance(7, 3);
    let (proof, point, evals) = sumcheck::prove(
        inst.claim,
        inst.polys.clone(),
        3,
        prod,
        &mut Transcript::new(b"sc"),
    );
    let sub = sumcheck::verify(inst.claim, 7, 3, &proof, &mut Transcript::new(b"sc")).unwrap();
    assert_eq!(sub.point, point);
    assert_eq!(sub.expected, prod(&evals));
    for j in 0..3 {
        let mut wrong = evals.clone();
        wrong[j] += Fr::one();
        assert_ne!(
            sub.expected,
            prod(&wrong),
            "a wrong p_{j}(r) matched the sub-claim"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Openings

fn opening_setup() -> (DorySetup, Vec<DenseMle>, Vec<Fr>, Vec<Fr>) {
    let setup = DoryPcs::setup(8).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let polys: Vec<DenseMle> = [8usize, 5]
        .iter()
        .map(|n| DenseMle::new((0..1 << n).map(|_| Fr::rand(&mut rng)).collect()))
        .collect();
    let point: Vec<Fr> = (0..8).map(|_| Fr::rand(&mut rng)).collect();
    let evals = polys
        .iter()
        .map(|p| p.evaluate(&point[8 - p.num_vars()..]))
        .collect();
    (setup, polys, point, evals)
}

fn open_and_verify(point_for_verifier: &[Fr], evals_for_verifier: &[Fr]) -> bool {
    let (setup, polys, point, _) = opening_setup();
    let committed: Vec<_> = polys
        .iter()
        .map(|p| DoryPcs::commit(&setup, p).unwrap())
        .collect();
    let refs: Vec<&DenseMle> = polys.iter().collect();
    let data: Vec<_> = committed.iter().map(|(_, d)| d).collect();
    let proof =
        DoryPcs::open_batch(&setup, &refs, &data, &point, &mut Transcript::new(b"o")).unwrap();
    let comms: Vec<_> = committed.iter().map(|(c, _)| c).collect();
    DoryPcs::verify_batch(
        &setup,
        &comms,
        point_for_verifier,
        evals_for_verifier,
        &proof,
        &mut Transcript::new(b"o"),
    )
    .is_ok()
}

#[test]
fn opening_rejects_another_point() {
    let (_, polys, point, evals) = opening_setup();
    assert!(open_and_verify(&point, &evals), "honest opening rejected");
    let mut other = point.clone();
    other[3] += Fr::one();
    // Even with the true values at the other point.
    let other_evals: Vec<Fr> = polys
        .iter()
        .map(|p| p.evaluate(&other[8 - p.num_vars()..]))
        .collect();
    assert!(!open_and_verify(&other, &other_evals));
    assert!(!open_and_verify(&other, &evals));
}

#[test]
fn opening_rejects_another_value() {
    let (_, _, point, evals) = opening_setup();
    for j in 0..evals.len() {
        let mut wrong = evals.clone();
        wrong[j] += Fr::one();
        assert!(
            !open_and_verify(&point, &wrong),
            "value {j} changed but accepted"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Spartan

/// `z = x · y` (z is used by nothing else), `x` counts up from 0 (a link between cycles), `y`
/// is a bit.
fn circuit() -> UniformR1cs {
    let (x, y, z) = (Var::Cur(0), Var::Cur(1), Var::Cur(2));
    let mut r = UniformR1cs::new(vec!["x".into(), "y".into(), "z".into()]);
    r.add("mul", x, y, z);
    r.add(
        "x.step",
        Var::One - Var::Last,
        Var::Next(0) - x - 1,
        LinComb::zero(),
    );
    r.add("x.init", Var::First, x, LinComb::zero());
    r.add("y.bit", y, y - 1, LinComb::zero());
    r
}

const N: usize = 4;

fn witness() -> Vec<Vec<Fr>> {
    let rows = 1 << N;
    let x: Vec<Fr> = (0..rows as u64).map(Fr::from).collect();
    let y: Vec<Fr> = (0..rows as u64)
        .map(|t| Fr::from((t * 7 + 3) % 2))
        .collect();
    let z = x.iter().zip(&y).map(|(a, b)| *a * b).collect();
    vec![x, y, z]
}

fn prove_then_verify(cols: &[Vec<Fr>]) -> Result<(), SpartanError> {
    let setup = DoryPcs::setup(N).unwrap();
    let r1cs = circuit();
    let mles: Vec<DenseMle> = cols.iter().cloned().map(DenseMle::new).collect();
    let proof = spartan::prove_uniform(&setup, &r1cs, &mles, &mut Transcript::new(b"s"))?;
    spartan::verify_uniform(&setup, &r1cs, &proof, &mut Transcript::new(b"s"))
}

fn break_mul_at(row: usize) {
    let mut cols = witness();
    assert!(prove_then_verify(&cols).is_ok(), "honest witness rejected");
    cols[2][row] += Fr::one();
    assert_eq!(
        circuit().check(&cols),
        Err(R1csError::Unsatisfied {
            constraint: "mul".into(),
            index: 0,
            row
        })
    );
    let err = prove_then_verify(&cols).expect_err("unsatisfied witness accepted");
    assert!(
        matches!(err, SpartanError::OuterMismatch { .. }),
        "unexpected error {err}"
    );
}

#[test]
fn spartan_rejects_an_unsatisfied_constraint_in_the_first_cycle() {
    break_mul_at(0);
}

#[test]
fn spartan_rejects_an_unsatisfied_constraint_in_a_middle_cycle() {
    break_mul_at((1 << N) / 2 - 1);
}

#[test]
fn spartan_rejects_an_unsatisfied_constraint_in_the_last_cycle() {
    break_mul_at((1 << N) - 1);
}

#[test]
fn spartan_rejects_a_broken_link_between_two_cycles() {
    // Rows 0..=5 count 0..5, rows 6.. jump by 10: every row is fine on its own, only the link
    // from row 5 to row 6 is broken.
    let mut cols = witness();
    let (x, rest) = cols.split_at_mut(1);
    let (y, z) = rest.split_at_mut(1);
    for ((x, y), z) in x[0].iter_mut().zip(&y[0]).zip(&mut z[0]).skip(6) {
        *x += Fr::from(10u64);
        *z = *x * y;
    }
    assert_eq!(
        circuit().check(&cols),
        Err(R1csError::Unsatisfied {
            constraint: "x.step".into(),
            index: 1,
            row: 5
        })
    );
    assert!(matches!(
        prove_then_verify(&cols),
        Err(SpartanError::OuterMismatch { .. })
    ));
    // The wrap-around from the last row to the first is not a link: a trace ending anywhere is
    // fine, which the honest witness (ending at 15, starting at 0) shows.
    assert!(prove_then_verify(&witness()).is_ok());
}

#[test]
fn a_flipped_byte_anywhere_in_a_serialized_proof_is_rejected() {
    let setup = DoryPcs::setup(2).unwrap();
    let r1cs = circuit();
    let cols: Vec<DenseMle> = witness()
        .into_iter()
        .map(|c| DenseMle::new(c[..4].to_vec()))
        .collect();
    let proof = spartan::prove_uniform(&setup, &r1cs, &cols, &mut Transcript::new(b"f")).unwrap();
    let bytes = proof.to_bytes().unwrap();
    let verify = |b: &[u8]| -> bool {
        match UniformProof::from_bytes(b) {
            Ok(p) => spartan::verify_uniform(&setup, &r1cs, &p, &mut Transcript::new(b"f")).is_ok(),
            Err(_) => false,
        }
    };
    assert!(verify(&bytes), "honest proof rejected");
    // Each verification costs ~40 ms (GT subgroup checks, pairings), so instead of all 8 bits of
    // all ~5400 bytes: every byte of the header, of the Spartan proof, of the Dory proof's
    // header and of both ends inverted, every fifth byte everywhere (each group element is
    // 32–384 bytes) inverted, and single bits at a spread of positions.
    use rayon::prelude::*;
    let len = bytes.len();
    // The Spartan proof (field elements and lengths) and the Dory proof's small header fields.
    let spartan_start = 16 + 4 + proof.commitments.compressed_size() + 8;
    let dory_start = len - proof.opening.compressed_size();
    let mut cases: Vec<(usize, u8)> = (0..len)
        .filter(|p| {
            *p < 160 || *p + 160 >= len || p % 5 == 0 || (spartan_start..dory_start + 8).contains(p)
        })
        .map(|pos| (pos, 0xff))
        .collect();
    cases.extend((0..len).step_by(37).map(|pos| (pos, 1u8 << (pos % 8))));
    let accepted: Vec<(usize, u8)> = cases
        .into_par_iter()
        .filter(|(pos, mask)| {
            let mut bad = bytes.clone();
            bad[*pos] ^= mask;
            verify(&bad)
        })
        .collect();
    assert!(
        accepted.is_empty(),
        "flipped bytes accepted (position, mask) of {}: {accepted:?}",
        bytes.len()
    );
    assert!(!verify(&bytes[..bytes.len() - 1]));
}
