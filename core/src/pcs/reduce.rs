//! Claims about committed polynomials at several points, reduced to one point by a sumcheck and
//! discharged by one batched Dory opening.
//!
//! A Dory opening costs a fixed `O(2^σ)` pairings however few polynomials it opens (`σ` is the
//! setup's row width), so a proof whose claims sit at four points — Spartan's, the GKR leaves',
//! a table's, Shout's — paid four times that. The standard reduction (Thaler, "Proofs,
//! Arguments, and Zero-Knowledge", §4.5.2, batched over points as in Spartan's and Jolt's
//! opening accumulators) makes it one:
//!
//! ```text
//! Σ_c ρ_c · v_c = Σ_{x ∈ {0,1}^n} Σ_p eq(P_p, x) · G_p(x),   G_p = Σ_{c at p} ρ_c · f'_{poly(c)}
//! ```
//!
//! over the common space of `n` variables, the largest point. A polynomial with `m ≤ n`
//! variables is its zero-padding `f'(x) = [x_0 = … = x_{n−m−1} = 0] · f(x_{n−m..})` (the
//! [`super`] convention), and a claim `f(r) = v` at a point of `m` coordinates is the claim
//! `f'((0, …, 0, r)) = v` at the lifted point `P_p`. The sumcheck (degree 2) ends at `r*`; the
//! prover sends every polynomial's value at the tail of `r*`, the verifier checks the final
//! value from them, and one batched Dory opening at `r*` proves them all. The weights `ρ` are
//! drawn after every claim is absorbed, so a false claim survives with probability
//! `≤ (2n + 1) / |F|`.

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use rayon::prelude::*;

use super::{
    evaluate_batch, DoryCommitment, DoryPcs, DoryProof, DoryProverData, DorySetup, PcsError,
};
use crate::poly::{eq_eval, eq_table, DenseMle};
use crate::sumcheck::{self, SumcheckProof};
use crate::transcript::Transcript;

/// Transcript labels of the reduction.
pub mod labels {
    /// The common number of variables and the claims' shape.
    pub const SHAPE: &[u8] = b"reduce-shape";
    /// A point.
    pub const POINT: &[u8] = b"reduce-point";
    /// A claim: polynomial, point, value.
    pub const CLAIM: &[u8] = b"reduce-claim";
    /// The polynomials' values at the reduced point.
    pub const EVALS: &[u8] = b"reduce-evals";
}

/// Polynomial `poly` takes `value` at point `point` (indices into the caller's lists; the point
/// has as many coordinates as the polynomial has variables).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvalClaim {
    /// The polynomial.
    pub poly: usize,
    /// The point.
    pub point: usize,
    /// Its claimed value there.
    pub value: Fr,
}

/// The reduction's sumcheck, every polynomial's value at the reduced point, and its opening.
#[derive(Clone, Debug)]
pub struct ReducedOpening {
    /// The sumcheck over the common space (degree 2).
    pub sumcheck: SumcheckProof,
    /// Every polynomial's value at the tail of the reduced point that fits it.
    pub evals: Vec<Fr>,
    /// The batched Dory opening of every polynomial there.
    pub opening: DoryProof,
}

crate::impl_serialization!(ReducedOpening {
    sumcheck: one,
    evals: vec,
    opening: one,
});

/// Checks the claims against the polynomials' sizes; returns the common number of variables.
fn check_claims(
    sizes: &[usize],
    points: &[Vec<Fr>],
    claims: &[EvalClaim],
) -> Result<usize, PcsError> {
    if sizes.is_empty() || claims.is_empty() {
        return Err(PcsError::InvalidBatch("nothing to open".into()));
    }
    let n = sizes.iter().copied().max().unwrap_or(0);
    if let Some(p) = points.iter().find(|p| p.len() > n) {
        return Err(PcsError::InvalidBatch(format!(
            "a point of {} coordinates beyond the largest polynomial's {n} variables",
            p.len()
        )));
    }
    for (i, c) in claims.iter().enumerate() {
        let (Some(m), Some(p)) = (sizes.get(c.poly), points.get(c.point)) else {
            return Err(PcsError::InvalidBatch(format!(
                "claim {i} names polynomial {} and point {}",
                c.poly, c.point
            )));
        };
        if *m != p.len() {
            return Err(PcsError::InvalidBatch(format!(
                "claim {i}: a polynomial of {m} variables at a point of {} coordinates",
                p.len()
            )));
        }
    }
    Ok(n)
}

/// Binds the claims and draws one weight per claim.
fn weights(
    n: usize,
    sizes: &[usize],
    points: &[Vec<Fr>],
    claims: &[EvalClaim],
    transcript: &mut Transcript,
) -> Vec<Fr> {
    transcript.absorb_u64(labels::SHAPE, n as u64);
    transcript.absorb_u64(labels::SHAPE, sizes.len() as u64);
    for m in sizes {
        transcript.absorb_u64(labels::SHAPE, *m as u64);
    }
    for p in points {
        transcript.absorb_fields(labels::POINT, p);
    }
    for c in claims {
        transcript.absorb_u64(labels::CLAIM, c.poly as u64);
        transcript.absorb_u64(labels::CLAIM, c.point as u64);
        transcript.absorb_field(labels::CLAIM, &c.value);
    }
    transcript.challenges(claims.len())
}

/// `P_p`: `point` lifted to `n` coordinates with leading zeros.
fn lifted(point: &[Fr], n: usize) -> Vec<Fr> {
    let mut p = vec![Fr::zero(); n - point.len()];
    p.extend_from_slice(point);
    p
}

/// Proves `claims` about `polys` (committed, with prover data `data`) at `points`.
pub fn prove(
    setup: &DorySetup,
    polys: &[&DenseMle],
    data: &[&DoryProverData],
    points: &[Vec<Fr>],
    claims: &[EvalClaim],
    transcript: &mut Transcript,
) -> Result<ReducedOpening, PcsError> {
    let sizes: Vec<usize> = polys.iter().map(|p| p.num_vars()).collect();
    let n = check_claims(&sizes, points, claims)?;
    let _span = tracing::debug_span!(target: "zkvm::prover", "pcs::reduce", num_vars = n,
        polys = polys.len(), points = points.len())
    .entered();
    let rho = weights(n, &sizes, points, claims, transcript);
    let claim: Fr = claims.iter().zip(&rho).map(|(c, r)| *r * c.value).sum();

    // G_p = Σ_{c at p} ρ_c f'_c, beside eq(P_p, ·), for every point that has claims.
    let mut instance = Vec::new();
    for (p, point) in points.iter().enumerate() {
        let at_p: Vec<(&DenseMle, Fr)> = claims
            .iter()
            .zip(&rho)
            .filter(|(c, _)| c.point == p)
            .map(|(c, r)| (polys[c.poly], *r))
            .collect();
        if at_p.is_empty() {
            continue;
        }
        let m = point.len();
        let mut g = vec![Fr::zero(); 1 << n];
        g[..1 << m].par_iter_mut().enumerate().for_each(|(x, out)| {
            *out = at_p.iter().map(|(f, r)| *r * f.evals()[x]).sum();
        });
        instance.push(DenseMle::new(eq_table(&lifted(point, n))));
        instance.push(DenseMle::new(g));
    }
    let combine = |v: &[Fr]| v.chunks(2).map(|eg| eg[0] * eg[1]).sum();
    let (sumcheck, r_star, _) = if n == 0 {
        (SumcheckProof { rounds: vec![] }, vec![], vec![])
    } else {
        sumcheck::prove(claim, instance, 2, combine, transcript)
    };
    let evals = evaluate_batch(polys, &r_star)?;
    transcript.absorb_fields(labels::EVALS, &evals);
    let opening = DoryPcs::open_batch_with_evals(setup, polys, data, &r_star, &evals, transcript)?;
    Ok(ReducedOpening {
        sumcheck,
        evals,
        opening,
    })
}

/// Verifies [`prove`]'s proof of `claims` about the committed polynomials `commitments`.
pub fn verify(
    setup: &DorySetup,
    commitments: &[&DoryCommitment],
    points: &[Vec<Fr>],
    claims: &[EvalClaim],
    proof: &ReducedOpening,
    transcript: &mut Transcript,
) -> Result<(), PcsError> {
    let sizes: Vec<usize> = commitments.iter().map(|c| c.num_vars as usize).collect();
    let n = check_claims(&sizes, points, claims)?;
    if proof.evals.len() != commitments.len() {
        return Err(PcsError::MalformedProof(format!(
            "{} values for {} polynomials",
            proof.evals.len(),
            commitments.len()
        )));
    }
    let rho = weights(n, &sizes, points, claims, transcript);
    let claim: Fr = claims.iter().zip(&rho).map(|(c, r)| *r * c.value).sum();
    let sub = sumcheck::verify(claim, n, 2, &proof.sumcheck, transcript)
        .map_err(|e| PcsError::Rejected(format!("reduction: {e}")))?;
    let r_star = sub.point;
    // Σ_p eq(P_p, r*) Σ_{c at p} ρ_c f'_c(r*), with f'(r*) = padding · f(r* tail).
    let padding = |m: usize| -> Fr { r_star[..n - m].iter().map(|r| Fr::one() - r).product() };
    let eqs: Vec<Fr> = points
        .iter()
        .map(|p| eq_eval(&lifted(p, n), &r_star))
        .collect();
    let expected: Fr = claims
        .iter()
        .zip(&rho)
        .map(|(c, r)| *r * eqs[c.point] * padding(sizes[c.poly]) * proof.evals[c.poly])
        .sum();
    if expected != sub.expected {
        return Err(PcsError::Rejected(
            "reduction: the values at the reduced point do not meet the claims".into(),
        ));
    }
    transcript.absorb_fields(labels::EVALS, &proof.evals);
    DoryPcs::verify_batch(
        setup,
        commitments,
        &r_star,
        &proof.evals,
        &proof.opening,
        transcript,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;

    /// Polynomials of 3, 5 and 5 variables, claims at three points (two about one polynomial):
    /// accepted; any wrong value, and a claim at a point of the wrong size, rejected.
    #[test]
    fn claims_at_several_points_reduce_to_one_opening() {
        let mut rng = ark_std::test_rng();
        let setup = DoryPcs::setup(5).unwrap();
        let polys: Vec<DenseMle> = [3usize, 5, 5]
            .iter()
            .map(|m| DenseMle::new((0..1 << m).map(|_| Fr::rand(&mut rng)).collect()))
            .collect();
        let (comms, data): (Vec<_>, Vec<_>) = polys
            .iter()
            .map(|p| DoryPcs::commit(&setup, p).unwrap())
            .unzip();
        let points: Vec<Vec<Fr>> = [3usize, 5, 5]
            .iter()
            .map(|m| (0..*m).map(|_| Fr::rand(&mut rng)).collect())
            .collect();
        let claim = |poly: usize, point: usize| EvalClaim {
            poly,
            point,
            value: polys[poly].evaluate(&points[point]),
        };
        let claims = vec![claim(0, 0), claim(1, 1), claim(2, 1), claim(1, 2)];
        let refs: Vec<&DenseMle> = polys.iter().collect();
        let drefs: Vec<&DoryProverData> = data.iter().collect();
        let crefs: Vec<&DoryCommitment> = comms.iter().collect();
        let run = |claims: &[EvalClaim]| {
            let proof = prove(
                &setup,
                &refs,
                &drefs,
                &points,
                claims,
                &mut Transcript::new(b"r"),
            )
            .unwrap();
            let ok = verify(
                &setup,
                &crefs,
                &points,
                claims,
                &proof,
                &mut Transcript::new(b"r"),
            );
            (proof, ok)
        };
        let (proof, ok) = run(&claims);
        ok.unwrap();
        // The serialized size is what is written.
        use ark_serialize::{CanonicalSerialize, Compress};
        let mut bytes = Vec::new();
        proof.serialize_compressed(&mut bytes).unwrap();
        assert_eq!(proof.serialized_size(Compress::Yes), bytes.len());
        // A point with no claim, longer than every polynomial, is refused, not a panic.
        let mut long = points.clone();
        long.push(vec![Fr::one(); 6]);
        assert!(matches!(
            verify(
                &setup,
                &crefs,
                &long,
                &claims,
                &proof,
                &mut Transcript::new(b"r")
            ),
            Err(PcsError::InvalidBatch(_))
        ));
        for i in 0..claims.len() {
            let mut wrong = claims.clone();
            wrong[i].value += Fr::one();
            // The honest prover's proof for the right claims does not fit the wrong ones…
            let v = verify(
                &setup,
                &crefs,
                &points,
                &wrong,
                &proof,
                &mut Transcript::new(b"r"),
            );
            assert!(v.is_err(), "claim {i}");
            // …and a prover that follows the protocol for them fails at the final check or the
            // opening.
            assert!(run(&wrong).1.is_err(), "claim {i}");
        }
        let mut bad_eval = proof.clone();
        bad_eval.evals[1] += Fr::one();
        assert!(verify(
            &setup,
            &crefs,
            &points,
            &claims,
            &bad_eval,
            &mut Transcript::new(b"r")
        )
        .is_err());
        let misplaced = [EvalClaim {
            poly: 0,
            point: 1,
            value: Fr::zero(),
        }];
        assert!(matches!(
            verify(
                &setup,
                &crefs,
                &points,
                &misplaced,
                &proof,
                &mut Transcript::new(b"r")
            ),
            Err(PcsError::InvalidBatch(_))
        ));
    }
}
