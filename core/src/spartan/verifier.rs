//! The Spartan verifier for uniform R1CS. Never panics on adversarial proofs.

use super::{
    absorb_instance, labels, powers, OpeningClaim, OuterSummand, SpartanError, SpartanProof,
    UniformProof,
};
use crate::pcs::{DoryCommitment, DoryPcs, DorySetup};
use crate::poly::{eq_eval, next_eval};
use crate::r1cs::UniformR1cs;
use crate::sumcheck;
use crate::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{One, Zero};

/// The most rows (log) a proof may claim; far above anything provable.
const MAX_NUM_ROWS_LOG: usize = 48;

fn check_len(what: &str, got: usize, expected: usize) -> Result<(), SpartanError> {
    if got == expected {
        Ok(())
    } else {
        Err(SpartanError::Malformed(format!(
            "{what}: {got} values, expected {expected}"
        )))
    }
}

/// Verifies a Spartan proof that committed columns (absorbed by the caller) of `2^num_rows_log`
/// rows satisfy `r1cs`. Returns the column evaluations left to check with the commitment scheme.
pub fn verify(
    r1cs: &UniformR1cs,
    num_rows_log: usize,
    proof: &SpartanProof,
    transcript: &mut Transcript,
) -> Result<Vec<OpeningClaim>, SpartanError> {
    let n = num_rows_log;
    if n > MAX_NUM_ROWS_LOG {
        return Err(SpartanError::Malformed(format!("2^{n} rows")));
    }
    let m = r1cs.num_columns();
    absorb_instance(r1cs, n, transcript);
    let tau = transcript.challenges(n);
    let rho = transcript.challenge();
    let summand = OuterSummand::new(r1cs, rho)?;
    check_len("outer evaluations", proof.outer_evals.len(), m)?;
    check_len(
        "outer next evaluations",
        proof.outer_next_evals.len(),
        summand.next_cols.len(),
    )?;
    check_len("inner evaluations", proof.inner_evals.len(), m)?;

    // Outer sumcheck: the constraints on the claimed values at r_x.
    let sub = sumcheck::verify(Fr::zero(), n, 3, &proof.outer, transcript).map_err(|error| {
        SpartanError::Sumcheck {
            phase: "outer",
            error,
        }
    })?;
    let r_x = sub.point;
    let mut vals = vec![Fr::zero(); summand.num_inputs];
    if let Some(v) = vals.first_mut() {
        *v = eq_eval(&tau, &r_x);
    }
    for (dst, src) in vals
        .iter_mut()
        .skip(1)
        .zip(proof.outer_evals.iter().chain(&proof.outer_next_evals))
    {
        *dst = *src;
    }
    if let Some(v) = summand.first.and_then(|i| vals.get_mut(i)) {
        *v = r_x.iter().map(|r| Fr::one() - r).product();
    }
    if let Some(v) = summand.last.and_then(|i| vals.get_mut(i)) {
        *v = r_x.iter().product();
    }
    let got = summand.eval(&vals);
    if got != sub.expected {
        return Err(SpartanError::OuterMismatch {
            expected: sub.expected,
            got,
        });
    }
    transcript.absorb_fields(labels::OUTER_EVALS, &proof.outer_evals);
    transcript.absorb_fields(labels::OUTER_NEXT_EVALS, &proof.outer_next_evals);

    // Inner sumcheck: everything at r_x to the columns at r_y.
    let gamma = transcript.challenge();
    let g = powers(gamma, m + summand.next_cols.len());
    let claim: Fr = g
        .iter()
        .zip(proof.outer_evals.iter().chain(&proof.outer_next_evals))
        .map(|(a, b)| *a * b)
        .sum();
    let sub = sumcheck::verify(claim, n, 2, &proof.inner, transcript).map_err(|error| {
        SpartanError::Sumcheck {
            phase: "inner",
            error,
        }
    })?;
    let r_y = sub.point;
    let w1: Fr = g.iter().zip(&proof.inner_evals).map(|(a, b)| *a * b).sum();
    let w2: Fr = g
        .iter()
        .skip(m)
        .zip(&summand.next_cols)
        .map(|(a, j)| *a * proof.inner_evals.get(*j).copied().unwrap_or_default())
        .sum();
    let got = eq_eval(&r_x, &r_y) * w1 + next_eval(&r_x, &r_y) * w2;
    if got != sub.expected {
        return Err(SpartanError::InnerMismatch {
            expected: sub.expected,
            got,
        });
    }
    transcript.absorb_fields(labels::INNER_EVALS, &proof.inner_evals);
    Ok(vec![OpeningClaim {
        point: r_y,
        evals: proof.inner_evals.iter().copied().enumerate().collect(),
    }])
}

/// Verifies a [`UniformProof`] made by [`super::prove_uniform`] for `r1cs`.
pub fn verify_uniform(
    setup: &DorySetup,
    r1cs: &UniformR1cs,
    proof: &UniformProof,
    transcript: &mut Transcript,
) -> Result<(), SpartanError> {
    let n = proof.num_rows_log as usize;
    if n > setup.max_num_vars() {
        return Err(SpartanError::Malformed(format!(
            "2^{n} rows exceed the setup's 2^{}",
            setup.max_num_vars()
        )));
    }
    check_len("commitments", proof.commitments.len(), r1cs.num_columns())?;
    if let Some(c) = proof.commitments.iter().find(|c| c.num_vars as usize != n) {
        return Err(SpartanError::Malformed(format!(
            "a column commitment has {} variables, expected {n}",
            c.num_vars
        )));
    }
    transcript.absorb_u64(labels::INSTANCE, n as u64);
    for c in &proof.commitments {
        transcript.absorb_serializable(labels::COLUMN_COMMITMENT, c);
    }
    let claims = verify(r1cs, n, &proof.spartan, transcript)?;
    for claim in &claims {
        let comms: Vec<&DoryCommitment> = claim
            .evals
            .iter()
            .filter_map(|(j, _)| proof.commitments.get(*j))
            .collect();
        let evals: Vec<Fr> = claim.evals.iter().map(|(_, v)| *v).collect();
        DoryPcs::verify_batch(
            setup,
            &comms,
            &claim.point,
            &evals,
            &proof.opening,
            transcript,
        )?;
    }
    Ok(())
}
