//! Shout: read-only memory checking by one-hot addressing (Setty and Thaler, "Twist and Shout",
//! ePrint 2025/105; the core Shout PIOP for `d = 1`, Figure 5, with the one-hotness checks of the
//! same section).
//!
//! **Statement.** A public table `Val` of `K = 2^log_k` entries, a committed one-hot matrix
//! `ra(k, j) = [a_j = k]` for `T = 2^log_t` cycles ([`OneHotMle`]), a point `r_cycle ∈ F^log_t`
//! and a claimed value `rv` of the multilinear extension of the values read:
//! `rv = Σ_j eq(r_cycle, j) · Val(a_j)`. This is how a lookup argument hands a verifier the
//! evaluation of a "virtual" column (the values read) that is never committed.
//!
//! **Protocol.** After the table and `rv` are bound, the verifier draws `β, γ` and a point `r_bool ∈ F^log_k`,
//! and one sumcheck over `(k, j) ∈ {0,1}^{log_k + log_t}` proves
//!
//! ```text
//! Σ_{k,j} eq(r_cycle, j) · ra(k, j) · [Val(k) + β + γ · eq(r_bool, k) · (ra(k, j) − 1)] = rv + β
//! ```
//!
//! which batches three statements with the random `β, γ`:
//! - *read checking*: `Σ_{k,j} eq(r_cycle, j) ra(k, j) Val(k) = rv`;
//! - *Hamming weight one*: `Σ_{k,j} eq(r_cycle, j) ra(k, j) = 1`, the multilinear extension at a
//!   random point of the column sums `Σ_k ra(k, j)`, which are therefore all 1;
//! - *Booleanity*: `Σ_{k,j} eq((r_bool, r_cycle), (k, j)) (ra² − ra)(k, j) = 0`, so every entry
//!   is 0 or 1 (with the column sums, exactly one 1 per cycle).
//!
//! The sumcheck ends at `(r_k, r_j)`: the verifier evaluates `Val` there itself (`O(K)`, the
//! table is public), takes `ra(r_k, r_j)` from the proof, and returns it as an [`RaClaim`] for the
//! caller to check against `ra`'s commitment ([`crate::pcs::DoryPcs::open_one_hot_batch`]). The
//! commitment to `ra` (which the caller checks has `log_k + log_t` variables) and `r_cycle` must
//! come before this protocol's challenges.
//!
//! **Prover.** The address variables are bound first. After binding `i` of them,
//! `ra(r_1..r_i, k', j) = E(a_j) · [a_j's low bits = k']` with `E(a) = eq(r_1..r_i, a's high
//! bits)`, so every cycle reading address `a` contributes the same factors but its weight
//! `eq(r_cycle, j)`: one pass over the trace sums the weights per address, `F(k)`, and the address
//! rounds run over the `K` addresses (`O(T + K log K)` in all, never `K · T`). Then
//! `ra(r_k, j) = E(a_j)` is a dense vector of `T` values and the cycle variables are bound by the
//! dense prover.

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use rayon::prelude::*;

use crate::one_hot::OneHotMle;
use crate::poly::{eq_eval, eq_table, DenseMle};
use crate::sumcheck::{self, interpolate, SumcheckError, SumcheckProof};
use crate::transcript::Transcript;

pub mod bits;

/// Transcript labels of Shout.
pub mod labels {
    /// The claimed evaluation of the values read.
    pub const CLAIM: &[u8] = b"shout-claim";
    /// The table's size and the run's length.
    pub const SHAPE: &[u8] = b"shout-shape";
    /// The table's entries.
    pub const TABLE: &[u8] = b"shout-table";
    /// `ra`'s value at the sumcheck's final point.
    pub const RA_EVAL: &[u8] = b"shout-ra-eval";
}

/// A Shout proof: the sumcheck and `ra`'s value at its final point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShoutProof {
    /// The batched sumcheck over `(k, j)`, degree 3.
    pub sumcheck: SumcheckProof,
    /// `ra(r_k, r_j)`.
    pub ra_eval: Fr,
}

crate::impl_serialization!(ShoutProof {
    sumcheck: one,
    ra_eval: one,
});

/// What the caller must check with the commitment scheme: `ra(point) = value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RaClaim {
    /// `(r_k, r_j)`, address variables first.
    pub point: Vec<Fr>,
    /// `ra`'s claimed value there.
    pub value: Fr,
}

/// Why a Shout proof was rejected, or could not be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShoutError {
    /// The table, the addresses and the point do not fit together.
    #[error("shout: {0}")]
    Shape(String),
    /// A sumcheck round does not match the claim.
    #[error("shout: {0}")]
    Sumcheck(#[from] SumcheckError),
    /// The sumcheck's final value is not what `Val`, `ra(r_k, r_j)` and the points give.
    #[error("shout: the final check failed (a wrong value read, or an address not one-hot)")]
    FinalCheck,
}

fn check_shape(table_len: usize, log_t: usize, r_cycle: &[Fr]) -> Result<usize, ShoutError> {
    if !table_len.is_power_of_two() {
        return Err(ShoutError::Shape(format!(
            "a table of {table_len} entries is not a power of two"
        )));
    }
    if r_cycle.len() != log_t {
        return Err(ShoutError::Shape(format!(
            "a point of {} coordinates for 2^{log_t} cycles",
            r_cycle.len()
        )));
    }
    Ok(table_len.trailing_zeros() as usize)
}

/// The verifier's challenges of one Shout instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenges {
    /// Batches the Hamming-weight check.
    pub beta: Fr,
    /// Batches the Booleanity check.
    pub gamma: Fr,
    /// The address part of the Booleanity check's point.
    pub r_bool: Vec<Fr>,
}

/// Binds the statement — the table's size and entries, the run's length and the claim `rv` —
/// and draws the challenges. The table is absorbed whole: were it not, a prover could choose
/// an entry after seeing `r_k` and meet the final check with any `rv`.
pub fn challenges(table: &[Fr], log_t: usize, rv: Fr, transcript: &mut Transcript) -> Challenges {
    let log_k = table.len().trailing_zeros() as usize;
    transcript.absorb_u64(labels::SHAPE, ((log_k as u64) << 32) | log_t as u64);
    transcript.absorb_fields(labels::TABLE, table);
    transcript.absorb_field(labels::CLAIM, &rv);
    let beta = transcript.challenge();
    let gamma = transcript.challenge();
    Challenges {
        beta,
        gamma,
        r_bool: transcript.challenges(log_k),
    }
}

/// The summand once every address variable is bound: `ra`, `Val(r_k)` and `eq(r_bool, r_k)`
/// give `eq(r_cycle, j) · ra · (val + β + γ · eq_bool · (ra − 1))`.
fn final_summand(eq_cycle: Fr, ra: Fr, val: Fr, eq_bool: Fr, beta: Fr, gamma: Fr) -> Fr {
    eq_cycle * ra * (val + beta + gamma * eq_bool * (ra - Fr::one()))
}

/// `F(k) = Σ_{j: a_j = k} w_j`: the cycles' weights summed per address, in one parallel pass.
pub(crate) fn weights_per_address(addresses: &[u32], weights: &[Fr], k_len: usize) -> Vec<Fr> {
    addresses
        .par_iter()
        .zip(weights.par_iter())
        .fold(
            || vec![Fr::zero(); k_len],
            |mut f, (a, w)| {
                f[*a as usize] += w;
                f
            },
        )
        .reduce(
            || vec![Fr::zero(); k_len],
            |mut f, g| {
                for (x, y) in f.iter_mut().zip(g) {
                    *x += y;
                }
                f
            },
        )
}

/// Proves `rv = Σ_j eq(r_cycle, j) · table[ra's address on cycle j]` and returns the proof and
/// `rv`. `ra` must already be committed and `r_cycle` drawn after that.
pub fn prove(
    table: &[Fr],
    ra: &OneHotMle,
    r_cycle: &[Fr],
    transcript: &mut Transcript,
) -> Result<(ShoutProof, Fr), ShoutError> {
    let log_k = check_shape(table.len(), ra.log_t(), r_cycle)?;
    if log_k != ra.log_k() {
        return Err(ShoutError::Shape(format!(
            "a table of 2^{log_k} entries for addresses of {} bits",
            ra.log_k()
        )));
    }
    let _span =
        tracing::debug_span!(target: "zkvm::prover", "shout::prove", log_k, log_t = ra.log_t())
            .entered();
    let eq_cycle = eq_table(r_cycle);
    let addresses = ra.addresses();
    let rv: Fr = addresses
        .par_iter()
        .zip(eq_cycle.par_iter())
        .map(|(a, e)| table[*a as usize] * e)
        .sum();
    let Challenges {
        beta,
        gamma,
        r_bool,
    } = challenges(table, ra.log_t(), rv, transcript);

    // Address rounds. Every cycle reading address k contributes the same factors but its
    // weight eq(r_cycle, j), so the rounds run over the K addresses with the weights
    // F(k) = Σ_{j: a_j = k} eq(r_cycle, j) (one pass over the trace), E(k) = eq(r_1..r_i, k's
    // high bits), and the tables of Val and eq(r_bool, ·) bound on the top variables.
    let k_len = table.len();
    let weight = weights_per_address(addresses, &eq_cycle, k_len);
    let mut claim = rv + beta;
    let mut rounds = Vec::with_capacity(ra.num_vars());
    let mut e = vec![Fr::one(); k_len];
    let mut val = DenseMle::new(table.to_vec());
    let mut eq_bool = DenseMle::new(eq_table(&r_bool));
    for i in 0..log_k {
        let half = 1usize << (log_k - 1 - i);
        let (v, b) = (val.evals(), eq_bool.evals());
        // s(X) at X = 0, 2, 3; s(1) follows from the claim.
        let mut sums = [Fr::zero(); 3];
        for (k, (w, e_k)) in weight.iter().zip(&e).enumerate() {
            if w.is_zero() {
                continue;
            }
            let bit = k & half != 0;
            let rest = k & (half - 1);
            for (slot, x) in sums.iter_mut().zip([0u64, 2, 3]) {
                let x = Fr::from(x);
                let ra_x = if bit {
                    *e_k * x
                } else {
                    *e_k * (Fr::one() - x)
                };
                let val_x = v[rest] + x * (v[rest + half] - v[rest]);
                let b_x = b[rest] + x * (b[rest + half] - b[rest]);
                *slot += final_summand(*w, ra_x, val_x, b_x, beta, gamma);
            }
        }
        let round = vec![sums[0], claim - sums[0], sums[1], sums[2]];
        transcript.absorb_fields(sumcheck::labels::ROUND_POLY, &round);
        let r = transcript.challenge();
        claim = interpolate(&round, r);
        rounds.push(round);
        for (k, e_k) in e.iter_mut().enumerate() {
            *e_k *= if k & half != 0 { r } else { Fr::one() - r };
        }
        val.bind_top(r);
        eq_bool.bind_top(r);
    }

    // Cycle rounds: ra(r_k, j) = E(a_j), dense.
    let (val_k, eq_bool_k) = (val.evals()[0], eq_bool.evals()[0]);
    let ra_cycle: Vec<Fr> = addresses.par_iter().map(|a| e[*a as usize]).collect();
    let ra_eval = if ra.log_t() == 0 {
        ra_cycle[0]
    } else {
        let combine = |p: &[Fr]| final_summand(p[0], p[1], val_k, eq_bool_k, beta, gamma);
        let polys = vec![DenseMle::new(eq_cycle), DenseMle::new(ra_cycle)];
        let (cycle_rounds, _, evals) = sumcheck::prove(claim, polys, 3, combine, transcript);
        rounds.extend(cycle_rounds.rounds);
        evals[1]
    };
    transcript.absorb_field(labels::RA_EVAL, &ra_eval);
    Ok((
        ShoutProof {
            sumcheck: SumcheckProof { rounds },
            ra_eval,
        },
        rv,
    ))
}

/// Verifies a Shout proof that the values read from `table` on `2^log_t` cycles have the
/// evaluation `rv` at `r_cycle`; returns the claim about `ra` left for the commitment scheme.
pub fn verify(
    table: &[Fr],
    log_t: usize,
    r_cycle: &[Fr],
    rv: Fr,
    proof: &ShoutProof,
    transcript: &mut Transcript,
) -> Result<RaClaim, ShoutError> {
    let log_k = check_shape(table.len(), log_t, r_cycle)?;
    let Challenges {
        beta,
        gamma,
        r_bool,
    } = challenges(table, log_t, rv, transcript);
    let sub = sumcheck::verify(rv + beta, log_k + log_t, 3, &proof.sumcheck, transcript)?;
    transcript.absorb_field(labels::RA_EVAL, &proof.ra_eval);
    let (r_k, r_j) = sub.point.split_at(log_k);
    let val = DenseMle::new(table.to_vec()).evaluate(r_k);
    let expected = final_summand(
        eq_eval(r_cycle, r_j),
        proof.ra_eval,
        val,
        eq_eval(&r_bool, r_k),
        beta,
        gamma,
    );
    if expected != sub.expected {
        return Err(ShoutError::FinalCheck);
    }
    Ok(RaClaim {
        point: sub.point,
        value: proof.ra_eval,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;

    /// Every shape, including one address or one cycle: the verifier accepts the honest proof
    /// and its claim about `ra` is `ra`'s value.
    #[test]
    fn honest_proofs_of_every_shape_verify() {
        let mut rng = ark_std::test_rng();
        for (log_k, log_t) in [(0, 0), (0, 3), (3, 0), (2, 5), (5, 2)] {
            let table: Vec<Fr> = (0..1 << log_k).map(|_| Fr::rand(&mut rng)).collect();
            let addresses = (0..1u32 << log_t)
                .map(|j| (j * 7 + 1) % (1 << log_k))
                .collect();
            let ra = OneHotMle::new(log_k, addresses).unwrap();
            let r_cycle: Vec<Fr> = (0..log_t).map(|_| Fr::rand(&mut rng)).collect();
            let (proof, rv) = prove(&table, &ra, &r_cycle, &mut Transcript::new(b"t")).unwrap();
            let claim = verify(
                &table,
                log_t,
                &r_cycle,
                rv,
                &proof,
                &mut Transcript::new(b"t"),
            )
            .unwrap_or_else(|e| panic!("({log_k}, {log_t}): {e}"));
            assert_eq!(claim.value, ra.evaluate(&claim.point), "({log_k}, {log_t})");
            // A different claim is rejected.
            let wrong = verify(
                &table,
                log_t,
                &r_cycle,
                rv + Fr::one(),
                &proof,
                &mut Transcript::new(b"t"),
            );
            assert!(wrong.is_err(), "({log_k}, {log_t})");
        }
    }
}
