//! The Spartan prover for uniform R1CS (see the module doc for the protocol).

use super::{
    absorb_instance, labels, powers, OpeningClaim, OuterSummand, SpartanError, SpartanProof,
    UniformProof,
};
use crate::pcs::{DoryPcs, DoryProverData, DorySetup};
use crate::poly::{eq_table, inner_product, next_table, small_value, DenseMle};
use crate::r1cs::UniformR1cs;
use crate::sumcheck;
use crate::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{One, Zero};
use rayon::prelude::*;
use std::borrow::Cow;

fn check_shape(r1cs: &UniformR1cs, columns: &[DenseMle]) -> Result<usize, SpartanError> {
    r1cs.validate()?;
    if columns.len() != r1cs.num_columns() || columns.is_empty() {
        return Err(SpartanError::Witness(format!(
            "{} columns for {} column names",
            columns.len(),
            r1cs.num_columns()
        )));
    }
    let n = columns.first().map_or(0, DenseMle::num_vars);
    if let Some(j) = columns.iter().position(|c| c.num_vars() != n) {
        return Err(SpartanError::Witness(format!(
            "column {j} has {} variables, column 0 has {n}",
            columns.get(j).map_or(0, DenseMle::num_vars)
        )));
    }
    Ok(n)
}

/// `Σ_i coeffs[i] · columns[idx[i]]`, in parallel over chunks of rows.
fn combine_columns(columns: &[DenseMle], idx: &[usize], coeffs: &[Fr], len: usize) -> Vec<Fr> {
    let mut out = vec![Fr::zero(); len];
    const CHUNK: usize = 1 << 11;
    out.par_chunks_mut(CHUNK).enumerate().for_each(|(c, dst)| {
        let start = c * CHUNK;
        for (j, g) in idx.iter().zip(coeffs) {
            if let Some(col) = columns.get(*j) {
                for (o, v) in dst.iter_mut().zip(&col.evals()[start..]) {
                    *o += *g * v;
                }
            }
        }
    });
    out
}

/// Proves that `columns` (already committed and absorbed by the caller) satisfy `r1cs` on every
/// row. Returns the proof and the evaluations left to open with the commitment scheme.
pub fn prove(
    r1cs: &UniformR1cs,
    columns: &[DenseMle],
    transcript: &mut Transcript,
) -> Result<(SpartanProof, Vec<OpeningClaim>), SpartanError> {
    let n = check_shape(r1cs, columns)?;
    let _span =
        tracing::info_span!(target: "zkvm::prover", "spartan::prove", num_vars = n).entered();
    let m = columns.len();
    let rows = 1usize << n;
    absorb_instance(r1cs, n, transcript);
    let tau = transcript.challenges(n);
    let rho = transcript.challenge();
    let summand = OuterSummand::new(r1cs, rho)?;

    // Outer sumcheck over [eq(τ, ·), w_0.., w^→_{N}.., first?, last?].
    let (outer, r_x, outer_evals, outer_next_evals) = {
        let _s = tracing::info_span!(target: "zkvm::prover", "outer sumcheck").entered();
        // The columns are borrowed: the sumcheck reads them in its first round and keeps only
        // their half-size bindings.
        let mut polys: Vec<Cow<'_, DenseMle>> = Vec::with_capacity(summand.num_inputs);
        polys.push(Cow::Owned(DenseMle::new(eq_table(&tau))));
        polys.extend(columns.iter().map(Cow::Borrowed));
        for j in &summand.next_cols {
            let col = columns.get(*j).map(DenseMle::evals).unwrap_or(&[]);
            let mut shifted = Vec::with_capacity(rows);
            shifted.extend_from_slice(col.get(1..).unwrap_or(&[]));
            shifted.push(Fr::zero());
            polys.push(Cow::Owned(DenseMle::new(shifted)));
        }
        if summand.first.is_some() {
            let mut t = vec![Fr::zero(); rows];
            t[0] = Fr::one();
            polys.push(Cow::Owned(DenseMle::new(t)));
        }
        if summand.last.is_some() {
            let mut t = vec![Fr::zero(); rows];
            t[rows - 1] = Fr::one();
            polys.push(Cow::Owned(DenseMle::new(t)));
        }
        let (proof, r_x, evals) =
            sumcheck::prove_zero_check(polys, 3, |v| summand.eval(v), transcript);
        let outer_evals = evals.get(1..1 + m).unwrap_or(&[]).to_vec();
        let outer_next_evals = evals
            .get(1 + m..1 + m + summand.next_cols.len())
            .unwrap_or(&[])
            .to_vec();
        (proof, r_x, outer_evals, outer_next_evals)
    };
    transcript.absorb_fields(labels::OUTER_EVALS, &outer_evals);
    transcript.absorb_fields(labels::OUTER_NEXT_EVALS, &outer_next_evals);

    // Inner sumcheck: all claims at r_x to one point r_y.
    let gamma = transcript.challenge();
    let g = powers(gamma, m + summand.next_cols.len());
    let claim: Fr = g
        .iter()
        .zip(outer_evals.iter().chain(&outer_next_evals))
        .map(|(a, b)| *a * b)
        .sum();
    let (inner, r_y) = {
        let _s = tracing::info_span!(target: "zkvm::prover", "inner sumcheck").entered();
        let all: Vec<usize> = (0..m).collect();
        let w1 = combine_columns(columns, &all, &g[..m], rows);
        let w2 = combine_columns(columns, &summand.next_cols, &g[m..], rows);
        let polys = vec![
            DenseMle::new(eq_table(&r_x)),
            DenseMle::new(next_table(&r_x)),
            DenseMle::new(w1),
            DenseMle::new(w2),
        ];
        let (proof, r_y, _) =
            sumcheck::prove(claim, polys, 2, |v| v[0] * v[2] + v[1] * v[3], transcript);
        (proof, r_y)
    };
    let eq_y = eq_table(&r_y);
    let inner_evals: Vec<Fr> = columns
        .iter()
        .map(|c| inner_product(c.evals(), &eq_y))
        .collect();
    transcript.absorb_fields(labels::INNER_EVALS, &inner_evals);
    let claims = vec![OpeningClaim {
        point: r_y,
        evals: inner_evals.iter().copied().enumerate().collect(),
    }];
    Ok((
        SpartanProof {
            outer,
            outer_evals,
            outer_next_evals,
            inner,
            inner_evals,
        },
        claims,
    ))
}

/// The column's values as `u64`s if they all fit (then committing is much cheaper).
fn small_values(col: &DenseMle) -> Option<Vec<u64>> {
    col.evals().par_iter().map(|v| small_value(*v)).collect()
}

/// Commits to one column, through the small-value path when its values fit in a `u64` (the
/// `bool`: whether they did). Both paths give the same commitment.
pub fn commit_column(
    setup: &DorySetup,
    col: &DenseMle,
) -> Result<(crate::pcs::DoryCommitment, DoryProverData, bool), SpartanError> {
    Ok(match small_values(col) {
        Some(values) => {
            let (c, d) = DoryPcs::commit_small(setup, &values, col.num_vars())?;
            (c, d, true)
        }
        None => {
            let (c, d) = DoryPcs::commit(setup, col)?;
            (c, d, false)
        }
    })
}

/// Commits to the columns, absorbs the commitments, proves `r1cs` with Spartan and opens every
/// column with one batched Dory opening: the whole proof of a uniform R1CS instance.
pub fn prove_uniform(
    setup: &DorySetup,
    r1cs: &UniformR1cs,
    columns: &[DenseMle],
    transcript: &mut Transcript,
) -> Result<UniformProof, SpartanError> {
    prove_uniform_timed(setup, r1cs, columns, transcript).map(|(p, _)| p)
}

/// Wall-clock time of each phase of [`prove_uniform`], and what went through the small-value
/// commitment path.
#[derive(Clone, Copy, Debug, Default)]
pub struct PhaseTimes {
    /// Committing to the columns.
    pub commit: std::time::Duration,
    /// The Spartan sumchecks and evaluations.
    pub spartan: std::time::Duration,
    /// The batched opening.
    pub open: std::time::Duration,
    /// Elements (rows × columns) of the columns committed through the small-value path
    /// ([`crate::pcs::DoryPcs::commit_small`]): those whose values all fit in a `u64`.
    pub small_elements: u64,
}

/// [`prove_uniform`], also reporting the time of each phase.
pub fn prove_uniform_timed(
    setup: &DorySetup,
    r1cs: &UniformR1cs,
    columns: &[DenseMle],
    transcript: &mut Transcript,
) -> Result<(UniformProof, PhaseTimes), SpartanError> {
    let mut times = PhaseTimes::default();
    let clock = std::time::Instant::now();
    let n = check_shape(r1cs, columns)?;
    let committed = {
        let _s =
            tracing::info_span!(target: "zkvm::prover", "commit columns", count = columns.len())
                .entered();
        columns
            .iter()
            .map(|c| commit_column(setup, c))
            .collect::<Result<Vec<_>, _>>()?
    };
    times.commit = clock.elapsed();
    times.small_elements = (committed.iter().filter(|(_, _, small)| *small).count() as u64) << n;
    let clock = std::time::Instant::now();
    transcript.absorb_u64(labels::INSTANCE, n as u64);
    for (c, _, _) in &committed {
        transcript.absorb_serializable(labels::COLUMN_COMMITMENT, c);
    }
    let (spartan, claims) = prove(r1cs, columns, transcript)?;
    times.spartan = clock.elapsed();
    let clock = std::time::Instant::now();
    let claim = claims
        .first()
        .ok_or_else(|| SpartanError::Witness("no opening claim".into()))?;
    let polys: Vec<&DenseMle> = columns.iter().collect();
    let data: Vec<&DoryProverData> = committed.iter().map(|(_, d, _)| d).collect();
    let evals: Vec<Fr> = claim.evals.iter().map(|(_, v)| *v).collect();
    let opening = {
        let _s = tracing::info_span!(target: "zkvm::prover", "open columns").entered();
        DoryPcs::open_batch_with_evals(setup, &polys, &data, &claim.point, &evals, transcript)?
    };
    times.open = clock.elapsed();
    Ok((
        UniformProof {
            num_rows_log: n as u32,
            commitments: committed.into_iter().map(|(c, _, _)| c).collect(),
            spartan,
            opening,
        },
        times,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn small_value_detection() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let small = DenseMle::new(vec![Fr::from(3u64), Fr::from(u64::MAX)]);
        assert_eq!(small_values(&small), Some(vec![3, u64::MAX]));
        let big = DenseMle::new(vec![Fr::from(3u64), Fr::rand(&mut rng)]);
        assert_eq!(small_values(&big), None);
        let neg = DenseMle::new(vec![-Fr::from(1u64), Fr::from(1u64)]);
        assert_eq!(small_values(&neg), None);
    }
}
