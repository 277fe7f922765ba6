//! The sumcheck verifier: checks the rounds and returns the sub-claim. Never panics.

use super::{labels, SubClaim, SumcheckError, SumcheckProof};
use crate::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{Field, One, Zero};

/// The value at `x` of the polynomial of degree `< values.len()` taking `values[i]` at `i`
/// (Lagrange interpolation over the nodes `0, 1, …, d`).
pub fn interpolate(values: &[Fr], x: Fr) -> Fr {
    let d = values.len();
    // If x is a node, return its value directly (the barycentric formula divides by zero there).
    for (i, v) in values.iter().enumerate() {
        if x == Fr::from(i as u64) {
            return *v;
        }
    }
    // L_i(x) = Π_{j≠i} (x - j) / (i - j).
    let diffs: Vec<Fr> = (0..d).map(|j| x - Fr::from(j as u64)).collect();
    let full: Fr = diffs.iter().product();
    let mut result = Fr::zero();
    for (i, v) in values.iter().enumerate() {
        // denominator Π_{j≠i} (i - j) = i! (d-1-i)! (-1)^(d-1-i)
        let mut denom = Fr::one();
        for j in 0..d {
            if j != i {
                denom *= Fr::from(i as u64) - Fr::from(j as u64);
            }
        }
        let term = full * (diffs[i] * denom).inverse().unwrap_or_default();
        result += *v * term;
    }
    result
}

/// Verifies the rounds of a sumcheck proof of `Σ_{x∈{0,1}^num_vars} g(x) = claim`, `g` of degree
/// `≤ degree`, and returns the sub-claim `g(r) = expected` that the caller must check.
pub fn verify(
    claim: Fr,
    num_vars: usize,
    degree: usize,
    proof: &SumcheckProof,
    transcript: &mut Transcript,
) -> Result<SubClaim, SumcheckError> {
    if proof.rounds.len() != num_vars {
        return Err(SumcheckError::WrongNumberOfRounds {
            expected: num_vars,
            got: proof.rounds.len(),
        });
    }
    let mut current = claim;
    let mut point = Vec::with_capacity(num_vars);
    for (round, s) in proof.rounds.iter().enumerate() {
        if s.len() != degree + 1 {
            return Err(SumcheckError::WrongDegree {
                round,
                expected: degree + 1,
                got: s.len(),
            });
        }
        let (s0, s1) = match (s.first(), s.get(1)) {
            (Some(a), Some(b)) => (*a, *b),
            // degree 0: s is a constant c, and s(0) + s(1) = 2c.
            (Some(a), None) => (*a, *a),
            _ => {
                return Err(SumcheckError::WrongDegree {
                    round,
                    expected: degree + 1,
                    got: s.len(),
                })
            }
        };
        if s0 + s1 != current {
            return Err(SumcheckError::RoundCheckFailed {
                round,
                expected: current,
                got: s0 + s1,
            });
        }
        transcript.absorb_fields(labels::ROUND_POLY, s);
        let r = transcript.challenge();
        current = interpolate(s, r);
        point.push(r);
    }
    Ok(SubClaim {
        point,
        expected: current,
    })
}

/// The sub-claim of a batched sumcheck.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchSubClaim {
    /// The full point `r` (length `max n_i`).
    pub point: Vec<Fr>,
    /// The value `Σ_i coefficients[i] · g_i(r[n - n_i..])` must take.
    pub expected: Fr,
    /// The random coefficient of each instance.
    pub coefficients: Vec<Fr>,
    /// The number of variables of each instance.
    pub num_vars: Vec<usize>,
}

impl BatchSubClaim {
    /// The point at which instance `i` is evaluated: the last `n_i` coordinates of `r`.
    pub fn instance_point(&self, i: usize) -> Option<&[Fr]> {
        let ni = *self.num_vars.get(i)?;
        self.point.get(self.point.len().checked_sub(ni)?..)
    }

    /// Checks the sub-claim given each instance's `g_i` at its point.
    pub fn check(&self, instance_values: &[Fr]) -> Result<(), SumcheckError> {
        if instance_values.len() != self.coefficients.len() {
            return Err(SumcheckError::InvalidBatch(format!(
                "{} instance values for {} instances",
                instance_values.len(),
                self.coefficients.len()
            )));
        }
        let got: Fr = self
            .coefficients
            .iter()
            .zip(instance_values)
            .map(|(c, v)| *c * v)
            .sum();
        if got == self.expected {
            Ok(())
        } else {
            Err(SumcheckError::FinalEvaluationMismatch {
                expected: self.expected,
                got,
            })
        }
    }
}

/// Verifies a batched sumcheck proof (see [`super::prove_batch`]) of instances with these claims,
/// numbers of variables, and maximal degree `degree`.
pub fn verify_batch(
    claims: &[Fr],
    num_vars: &[usize],
    degree: usize,
    proof: &SumcheckProof,
    transcript: &mut Transcript,
) -> Result<BatchSubClaim, SumcheckError> {
    if claims.is_empty() || claims.len() != num_vars.len() {
        return Err(SumcheckError::InvalidBatch(format!(
            "{} claims for {} instances",
            claims.len(),
            num_vars.len()
        )));
    }
    let n = num_vars.iter().copied().max().unwrap_or(0);
    if n > 64 {
        return Err(SumcheckError::InvalidBatch(format!("{n} variables")));
    }
    transcript.absorb_fields(labels::BATCH_CLAIMS, claims);
    let nv_bytes: Vec<u8> = num_vars
        .iter()
        .flat_map(|v| (*v as u64).to_le_bytes())
        .collect();
    transcript.absorb_bytes(labels::BATCH_NUM_VARS, &nv_bytes);
    let coefficients = transcript.challenges(claims.len());
    let claim: Fr = claims
        .iter()
        .zip(num_vars)
        .zip(&coefficients)
        .map(|((c, ni), rho)| *rho * c * Fr::from(2u64).pow([(n - ni) as u64]))
        .sum();
    let sub = verify(claim, n, degree, proof, transcript)?;
    Ok(BatchSubClaim {
        point: sub.point,
        expected: sub.expected,
        coefficients,
        num_vars: num_vars.to_vec(),
    })
}
