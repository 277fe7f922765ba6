//! Shout over addresses committed as bits: the instruction-fetch argument.
//!
//! Shout with `d` chunks (Setty and Thaler, "Twist and Shout", ePrint 2025/105: the read-checking
//! sumcheck of Figure 5 with `ra(k, j) = Π_i ra_i(k_i, j)`, each `ra_i` one-hot over `K^{1/d}`
//! addresses) taken to `d = log K`: every chunk is one address bit, and a one-hot vector of
//! length two is `(1 − b, b)` for a boolean `b`, so chunk `i` is committed as the boolean column
//! `b_i` — `log K` small columns per cycle, opened at one point with the dense columns.
//! *Hamming weight one* holds by construction (`Σ_{k_i} ra_i = 1`); *Booleanity* is checked here.
//!
//! **Statement.** A public table of `len` rows and `width` columns, padded with zero rows to
//! `K = 2^log_k`; committed bit columns (most significant first) giving every cycle's row
//! `a_j < len`; and claims that the virtual column `c` — `j ↦ table[a_j][c]`, never committed —
//! has the value `v` at a point `r_p`, for a few points. A padding row is never read: the table
//! carries a *valid* column (1 on the `len` rows, 0 on padding) whose virtual column is claimed to
//! be the constant 1 at every point.
//!
//! **Protocol.** After the statement, the verifier draws one weight `z` per claim (and per
//! point's validity), `r_bool ∈ F^log_t` and `γ`. With `V_p(k) = Σ_c z_{p,c} table_c(k) +
//! z_{p,valid} valid(k)`, one sumcheck over `(k, j)`, address variables first, proves
//!
//! ```text
//! Σ_p (Σ_c z_{p,c} v_{p,c} + z_{p,valid}) = Σ_{k,j} Σ_p eq(r_p, j) · ra(k, j) · V_p(k),
//! ra(k, j) = Π_i (k_i b_i(j) + (1 − k_i)(1 − b_i(j)))
//! ```
//!
//! - *Address rounds* (degree 2): `Σ_j eq(r_p, j) ra(k, j) = F_p(k)`, the weight of the cycles
//!   reading row `k` (one pass over the trace), so they run over the `K` rows: `Σ_k Σ_p F_p V_p`.
//! - *Cycle rounds* (degree `log_k + 1`): at the address point `r_k`, the summand is
//!   `W(j) · Π_i ẽ_i(j)` with `W(j) = Σ_p V_p(r_k) eq(r_p, j)` and `ẽ_i = b_i (2 r_{k,i} − 1) +
//!   1 − r_{k,i}`. A fresh `β`, drawn once the address rounds have fixed this claim, batches
//!   Booleanity into the same rounds: `Σ_j eq(r_bool, j) Σ_i γ^i (b_i² − b_i)(j) = 0`.
//!
//! The verifier evaluates `V_p(r_k)` itself from the public table (`O(K · width)`), takes the bits'
//! values at the final cycle point `r_j` from the proof and returns them as a [`BitsOpening`] for
//! the caller to check against the bit columns' commitments. The commitments and the claims'
//! points must come before this protocol.
//!
//! **Why bits are enough.** With boolean `b_i`, `ra(·, j)` is the one-hot vector of row `a_j`, so
//! the identity is Shout's read checking for every claimed column and the validity column at
//! once (the weights `z` are drawn after the claims). A non-boolean bit would read an affine
//! combination of rows (two "hot" entries, or weights such as `½, ½`), which Booleanity rules
//! out.

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use rayon::prelude::*;

use super::{weights_per_address, ShoutError};
use crate::poly::{eq_eval, eq_table, DenseMle};
use crate::sumcheck::{self, SumcheckProof};
use crate::transcript::Transcript;

/// Transcript labels of Shout over bits.
pub mod labels {
    /// The table's shape and the run's length.
    pub const SHAPE: &[u8] = b"shout-bits-shape";
    /// The table's entries, row by row.
    pub const TABLE: &[u8] = b"shout-bits-table";
    /// A claim's point.
    pub const POINT: &[u8] = b"shout-bits-point";
    /// A claim's columns and values.
    pub const CLAIMS: &[u8] = b"shout-bits-claims";
    /// The bit columns' values at the final cycle point.
    pub const BIT_EVALS: &[u8] = b"shout-bits-bit-evals";
}

/// Most rows a table may have (addresses are `u32`).
const MAX_LOG_K: usize = 32;

/// A public table of `len` rows, all of the same width.
#[derive(Clone, Copy, Debug)]
pub struct Table<'a> {
    rows: &'a [Vec<Fr>],
    width: usize,
    log_k: usize,
}

impl<'a> Table<'a> {
    /// The table of `rows`; refuses an empty table, rows of different widths and more than
    /// `2^32` rows.
    pub fn new(rows: &'a [Vec<Fr>]) -> Result<Self, ShoutError> {
        let width = rows
            .first()
            .ok_or_else(|| ShoutError::Shape("an empty table".into()))?
            .len();
        if let Some(k) = rows.iter().position(|r| r.len() != width) {
            return Err(ShoutError::Shape(format!(
                "row {k} has {} columns, row 0 has {width}",
                rows[k].len()
            )));
        }
        let log_k = rows.len().next_power_of_two().trailing_zeros() as usize;
        if log_k > MAX_LOG_K {
            return Err(ShoutError::Shape(format!("a table of 2^{log_k} rows")));
        }
        Ok(Self { rows, width, log_k })
    }

    /// `log2` of the padded number of rows: the number of address bits.
    pub fn log_k(&self) -> usize {
        self.log_k
    }

    /// `V(k) = Σ_c z_c table_c(k) + z_valid · valid(k)` on the `K` padded rows.
    fn combined(&self, weights: &[(usize, Fr)], z_valid: Fr) -> Vec<Fr> {
        let mut v: Vec<Fr> = self
            .rows
            .par_iter()
            .map(|row| z_valid + weights.iter().map(|(c, z)| row[*c] * z).sum::<Fr>())
            .collect();
        v.resize(1 << self.log_k, Fr::zero());
        v
    }

    /// `V(r_k)`, the multilinear extension of [`Table::combined`] at `r_k`, in `O(K · width)`.
    fn combined_at(&self, weights: &[(usize, Fr)], z_valid: Fr, r_k: &[Fr]) -> Fr {
        let eq = eq_table(r_k);
        self.rows
            .par_iter()
            .zip(eq.par_iter())
            .map(|(row, e)| (z_valid + weights.iter().map(|(c, z)| row[*c] * z).sum::<Fr>()) * e)
            .sum()
    }
}

/// Claims about the virtual columns at one point: `(column, value)` pairs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointClaims {
    /// The point, `log_t` coordinates, `x_0` first.
    pub point: Vec<Fr>,
    /// The virtual column `c` takes `value` at `point`.
    pub values: Vec<(usize, Fr)>,
}

/// A proof of [`PointClaims`]: the two phases of the sumcheck and the bits at its final point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitsProof {
    /// The address rounds (degree 2).
    pub address: SumcheckProof,
    /// The cycle rounds (degree `max(log_k + 1, 3)`).
    pub cycle: SumcheckProof,
    /// `b_i(r_j)` for every bit column, most significant first.
    pub bit_evals: Vec<Fr>,
}

crate::impl_serialization!(BitsProof {
    address: one,
    cycle: one,
    bit_evals: vec,
});

/// What the caller must check with the commitment scheme: bit column `i` takes `values[i]` at
/// `point`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitsOpening {
    /// The final cycle point.
    pub point: Vec<Fr>,
    /// One value per bit column, most significant first.
    pub values: Vec<Fr>,
}

/// The bit columns of `addresses`: column `i` holds bit `log_k − 1 − i` (most significant first,
/// the order of the table's variables).
pub fn bit_columns(log_k: usize, addresses: &[u32]) -> Vec<Vec<Fr>> {
    (0..log_k)
        .map(|i| {
            let shift = log_k - 1 - i;
            addresses
                .par_iter()
                .map(|a| Fr::from(u64::from((a >> shift) & 1)))
                .collect()
        })
        .collect()
}

/// The addresses of `rows` cycles that bit columns (most significant first) encode, or `None`
/// if a bit is not 0 or 1. The inverse of [`bit_columns`].
pub fn addresses(bits: &[&[Fr]], rows: usize) -> Option<Vec<u32>> {
    (0..rows)
        .into_par_iter()
        .map(|j| {
            bits.iter().try_fold(0u32, |a, b| {
                let bit = b[j];
                if bit.is_zero() {
                    Some(a << 1)
                } else if bit.is_one() {
                    Some(a << 1 | 1)
                } else {
                    None
                }
            })
        })
        .collect()
}

/// `ra(k, j) = Π_i (k_i b_i(j) + (1 − k_i)(1 − b_i(j)))` for any bit columns `bits` (most
/// significant first), boolean or not: 1 at `a_j` and 0 elsewhere when the bits are boolean.
pub fn ra(bits: &[Vec<Fr>], k: usize, j: usize) -> Fr {
    let log_k = bits.len();
    bits.iter()
        .enumerate()
        .map(|(i, b)| {
            if k >> (log_k - 1 - i) & 1 == 1 {
                b[j]
            } else {
                Fr::one() - b[j]
            }
        })
        .product()
}

/// The verifier's weights: per point, `(column, z)` pairs and the validity weight.
struct Weights {
    per_point: Vec<(Vec<(usize, Fr)>, Fr)>,
    r_bool: Vec<Fr>,
    gamma: Fr,
}

/// Binds the statement and draws the weights; also returns the claimed sum.
fn begin(
    table: &Table,
    log_t: usize,
    claims: &[PointClaims],
    transcript: &mut Transcript,
) -> Result<(Weights, Fr), ShoutError> {
    for (p, claim) in claims.iter().enumerate() {
        if claim.point.len() != log_t {
            return Err(ShoutError::Shape(format!(
                "claim {p}: a point of {} coordinates for 2^{log_t} cycles",
                claim.point.len()
            )));
        }
        if let Some((c, _)) = claim.values.iter().find(|(c, _)| *c >= table.width) {
            return Err(ShoutError::Shape(format!(
                "claim {p}: column {c} of a table of {} columns",
                table.width
            )));
        }
    }
    for v in [
        table.log_k,
        log_t,
        table.width,
        table.rows.len(),
        claims.len(),
    ] {
        transcript.absorb_u64(labels::SHAPE, v as u64);
    }
    for row in table.rows {
        transcript.absorb_fields(labels::TABLE, row);
    }
    for claim in claims {
        transcript.absorb_fields(labels::POINT, &claim.point);
        for (c, v) in &claim.values {
            transcript.absorb_u64(labels::CLAIMS, *c as u64);
            transcript.absorb_field(labels::CLAIMS, v);
        }
    }
    let mut sum = Fr::zero();
    let per_point = claims
        .iter()
        .map(|claim| {
            let weights: Vec<(usize, Fr)> = claim
                .values
                .iter()
                .map(|(c, v)| {
                    let z = transcript.challenge();
                    sum += z * v;
                    (*c, z)
                })
                .collect();
            let z_valid = transcript.challenge();
            sum += z_valid;
            (weights, z_valid)
        })
        .collect();
    let weights = Weights {
        per_point,
        r_bool: transcript.challenges(log_t),
        gamma: transcript.challenge(),
    };
    Ok((weights, sum))
}

/// The cycle rounds' summand from `W(j)`, `eq(r_bool, j)` and the bits `b_i(j)`:
/// `W · Π_i ẽ_i + β · eq_bool · Σ_i γ^i (b_i² − b_i)`.
fn cycle_summand(w: Fr, eq_bool: Fr, bits: &[Fr], r_k: &[Fr], beta: Fr, gamma: Fr) -> Fr {
    let mut product = w;
    let mut booleanity = Fr::zero();
    let mut gamma_i = Fr::one();
    for (b, r) in bits.iter().zip(r_k) {
        product *= *b * (*r + r - Fr::one()) + Fr::one() - r;
        booleanity += gamma_i * (*b * b - b);
        gamma_i *= gamma;
    }
    product + beta * eq_bool * booleanity
}

/// The cycle rounds' degree: `log_k + 1` for the product, 3 for Booleanity.
fn cycle_degree(log_k: usize) -> usize {
    (log_k + 1).max(3)
}

/// Proves `claims` about the rows that `addresses` read from `table` (`2^log_t` cycles, each
/// below the table's length). The bit columns ([`bit_columns`]) must already be committed and
/// the claims' points drawn after that.
pub fn prove(
    table: &Table,
    addresses: &[u32],
    claims: &[PointClaims],
    transcript: &mut Transcript,
) -> Result<(BitsProof, BitsOpening), ShoutError> {
    if let Some((j, a)) = addresses
        .iter()
        .enumerate()
        .find(|(_, a)| **a as usize >= table.rows.len())
    {
        return Err(ShoutError::Shape(format!(
            "cycle {j} reads row {a} of a table of {} rows",
            table.rows.len()
        )));
    }
    if !addresses.len().is_power_of_two() {
        return Err(ShoutError::Shape(format!(
            "{} cycles is not a power of two",
            addresses.len()
        )));
    }
    let log_t = addresses.len().trailing_zeros() as usize;
    let weights = |w: &[Fr]| weights_per_address(addresses, w, 1 << table.log_k);
    let bits = bit_columns(table.log_k, addresses);
    prove_with(table, log_t, bits, &weights, claims, transcript)
}

/// [`prove`] from any bit columns, boolean or not, with the weights `F_p(k)` computed densely
/// (`O(K · T · log K)`): a malicious prover for the verifier's tests.
pub fn prove_dense(
    table: &Table,
    log_t: usize,
    bits: Vec<Vec<Fr>>,
    claims: &[PointClaims],
    transcript: &mut Transcript,
) -> Result<(BitsProof, BitsOpening), ShoutError> {
    let log_k = table.log_k;
    let columns = bits.clone();
    let weights = move |w: &[Fr]| -> Vec<Fr> {
        (0..1usize << log_k)
            .map(|k| {
                w.iter()
                    .enumerate()
                    .map(|(j, wj)| ra(&columns, k, j) * wj)
                    .sum()
            })
            .collect()
    };
    prove_with(table, log_t, bits, &weights, claims, transcript)
}

fn prove_with(
    table: &Table,
    log_t: usize,
    bits: Vec<Vec<Fr>>,
    weights_of: &(dyn Fn(&[Fr]) -> Vec<Fr> + Sync),
    claims: &[PointClaims],
    transcript: &mut Transcript,
) -> Result<(BitsProof, BitsOpening), ShoutError> {
    if bits.len() != table.log_k || bits.iter().any(|b| b.len() != 1 << log_t) {
        return Err(ShoutError::Shape(format!(
            "{} bit columns for a table of 2^{} rows",
            bits.len(),
            table.log_k
        )));
    }
    let _span = tracing::debug_span!(target: "zkvm::prover", "shout::bits::prove",
        log_k = table.log_k, log_t)
    .entered();
    let (w, claim) = begin(table, log_t, claims, transcript)?;
    let eqs: Vec<Vec<Fr>> = claims.iter().map(|c| eq_table(&c.point)).collect();

    // Address rounds: Σ_k Σ_p F_p(k) V_p(k).
    let vals: Vec<Vec<Fr>> = w
        .per_point
        .iter()
        .map(|(zs, z_valid)| table.combined(zs, *z_valid))
        .collect();
    let (address, r_k, val_at_rk, cycle_claim) = if table.log_k == 0 {
        let v: Vec<Fr> = vals.iter().map(|v| v[0]).collect();
        (SumcheckProof { rounds: vec![] }, vec![], v, claim)
    } else {
        let mut polys = Vec::with_capacity(2 * claims.len());
        for (eq, val) in eqs.iter().zip(&vals) {
            polys.push(DenseMle::new(weights_of(eq)));
            polys.push(DenseMle::new(val.clone()));
        }
        let combine = |p: &[Fr]| p.chunks(2).map(|fv| fv[0] * fv[1]).sum();
        let (proof, r_k, evals) = sumcheck::prove(claim, polys, 2, combine, transcript);
        let next_claim = combine(&evals);
        let v = evals.chunks(2).map(|fv| fv[1]).collect();
        (proof, r_k, v, next_claim)
    };

    // Cycle rounds: W · Π_i ẽ_i, batched with Booleanity by β.
    let beta = transcript.challenge();
    let cycle_weight: Vec<Fr> = (0..1usize << log_t)
        .into_par_iter()
        .map(|j| eqs.iter().zip(&val_at_rk).map(|(eq, v)| eq[j] * v).sum())
        .collect();
    let mut polys = vec![
        DenseMle::new(cycle_weight),
        DenseMle::new(eq_table(&w.r_bool)),
    ];
    polys.extend(bits.into_iter().map(DenseMle::new));
    let gamma = w.gamma;
    let combine = |p: &[Fr]| cycle_summand(p[0], p[1], &p[2..], &r_k, beta, gamma);
    let (cycle, r_j, bit_evals) = if log_t == 0 {
        let evals: Vec<Fr> = polys.iter().map(|p| p.evals()[0]).collect();
        (
            SumcheckProof { rounds: vec![] },
            vec![],
            evals[2..].to_vec(),
        )
    } else {
        let degree = cycle_degree(table.log_k);
        let (proof, r_j, evals) = sumcheck::prove(cycle_claim, polys, degree, combine, transcript);
        (proof, r_j, evals[2..].to_vec())
    };
    transcript.absorb_fields(labels::BIT_EVALS, &bit_evals);
    Ok((
        BitsProof {
            address,
            cycle,
            bit_evals: bit_evals.clone(),
        },
        BitsOpening {
            point: r_j,
            values: bit_evals,
        },
    ))
}

/// Verifies a [`BitsProof`] of `claims` about `table` read on `2^log_t` cycles; returns the bits'
/// claimed values for the commitment scheme.
pub fn verify(
    table: &Table,
    log_t: usize,
    claims: &[PointClaims],
    proof: &BitsProof,
    transcript: &mut Transcript,
) -> Result<BitsOpening, ShoutError> {
    let (w, claim) = begin(table, log_t, claims, transcript)?;
    if proof.bit_evals.len() != table.log_k {
        return Err(ShoutError::Shape(format!(
            "{} bit values for a table of 2^{} rows",
            proof.bit_evals.len(),
            table.log_k
        )));
    }
    let address = sumcheck::verify(claim, table.log_k, 2, &proof.address, transcript)?;
    let r_k = address.point;
    let beta = transcript.challenge();
    let cycle = sumcheck::verify(
        address.expected,
        log_t,
        cycle_degree(table.log_k),
        &proof.cycle,
        transcript,
    )?;
    let r_j = cycle.point;
    let weight: Fr = claims
        .iter()
        .zip(&w.per_point)
        .map(|(c, (zs, z_valid))| table.combined_at(zs, *z_valid, &r_k) * eq_eval(&c.point, &r_j))
        .sum();
    let expected = cycle_summand(
        weight,
        eq_eval(&w.r_bool, &r_j),
        &proof.bit_evals,
        &r_k,
        beta,
        w.gamma,
    );
    if expected != cycle.expected {
        return Err(ShoutError::FinalCheck);
    }
    transcript.absorb_fields(labels::BIT_EVALS, &proof.bit_evals);
    Ok(BitsOpening {
        point: r_j,
        values: proof.bit_evals.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;

    fn random_table(len: usize, width: usize, rng: &mut impl rand::RngCore) -> Vec<Vec<Fr>> {
        (0..len)
            .map(|_| (0..width).map(|_| Fr::rand(rng)).collect())
            .collect()
    }

    /// The virtual column `c` of the rows `addresses` reads, at `point`.
    fn read_at(rows: &[Vec<Fr>], addresses: &[u32], c: usize, point: &[Fr]) -> Fr {
        let col: Vec<Fr> = addresses.iter().map(|a| rows[*a as usize][c]).collect();
        DenseMle::new(col).evaluate(point)
    }

    /// Every shape, including a one-row table and one cycle: the verifier accepts, and its
    /// opening claims are the bit columns' values.
    #[test]
    fn honest_proofs_of_every_shape_verify() {
        let mut rng = ark_std::test_rng();
        for (len, log_t) in [(1, 0), (1, 3), (2, 1), (5, 0), (5, 4), (8, 3), (13, 5)] {
            let rows = random_table(len, 3, &mut rng);
            let table = Table::new(&rows).unwrap();
            let addresses: Vec<u32> = (0..1u32 << log_t)
                .map(|j| (j * 7 + 2) % len as u32)
                .collect();
            let claims: Vec<PointClaims> = (0..2)
                .map(|p| {
                    let point: Vec<Fr> = (0..log_t).map(|_| Fr::rand(&mut rng)).collect();
                    let values = (p..3)
                        .map(|c| (c, read_at(&rows, &addresses, c, &point)))
                        .collect();
                    PointClaims { point, values }
                })
                .collect();
            let (proof, opening) =
                prove(&table, &addresses, &claims, &mut Transcript::new(b"t")).unwrap();
            let checked = verify(&table, log_t, &claims, &proof, &mut Transcript::new(b"t"))
                .unwrap_or_else(|e| panic!("({len}, {log_t}): {e}"));
            assert_eq!(checked, opening);
            for (col, v) in bit_columns(table.log_k(), &addresses)
                .into_iter()
                .zip(&opening.values)
            {
                assert_eq!(DenseMle::new(col).evaluate(&opening.point), *v);
            }
            let mut wrong = claims.clone();
            wrong[1].values[0].1 += Fr::one();
            let rejected = verify(&table, log_t, &wrong, &proof, &mut Transcript::new(b"t"));
            assert!(rejected.is_err(), "({len}, {log_t})");
        }
    }

    #[test]
    fn a_row_beyond_the_table_is_refused() {
        let rows = vec![vec![Fr::one()]; 3];
        let table = Table::new(&rows).unwrap();
        let err = prove(&table, &[0, 3], &[], &mut Transcript::new(b"t")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "shout: cycle 1 reads row 3 of a table of 3 rows"
        );
    }
}
