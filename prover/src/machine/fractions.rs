//! Families of LogUp fractions, turned into GKR leaves (prover) and checked at the GKR's leaf
//! point (verifier).
//!
//! Memory checking, lookups and the public output all say: a multiset of tuples produced on the
//! cycles equals a multiset produced by tables. With challenges `α, γ` a tuple `(c_0, …, c_m)`
//! becomes the fingerprint `φ = Σ_i γ^i c_i` (component 0 is a constant tag that keeps the
//! multisets apart) and the multiset equality becomes the rational identity
//! `Σ_rows ± n/(α − φ) = 0` (Haböck, "Multivariate lookups based on logarithmic derivatives",
//! eprint 2022/1530). The sum is proven with LogUp-GKR ([`crate::gkr`]); its leaves are built here.

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, One, Zero};
use rayon::prelude::*;

use super::Col;
use crate::poly::{eq_eval, DenseMle};
use crate::r1cs::LinComb;

/// Fractions contributed by every row: `numerator / (α − φ(tuple))`.
#[derive(Clone, Debug)]
pub struct CycleFamily {
    /// For diagnostics.
    pub name: String,
    /// The numerator, with its sign (e.g. `−active` for a memory read).
    pub numerator: LinComb,
    /// The tuple; component 0 is the tag.
    pub tuple: Vec<LinComb>,
}

/// An expression over a table's rows `j ∈ 0..2^log_size`.
#[derive(Clone, Debug)]
pub enum TableExpr {
    /// A committed table column (index into the witness's table columns).
    Committed(usize),
    /// The row index `j` itself.
    Index,
    /// Values the verifier knows (padded with zeros).
    Public(Vec<Fr>),
    /// A constant.
    Const(Fr),
    /// A column of a bitwise table, whose extension the verifier evaluates in closed form.
    Bitwise(super::tables::BitwiseTable, super::tables::BitwiseColumn),
    /// `value` on the rows `[start, end)` of each range, 0 elsewhere (disjoint ranges), whose
    /// extension the verifier evaluates in `O(n)` per range.
    Ranges(Vec<(u64, u64, u64)>),
}

/// Fractions contributed by every row of a table.
#[derive(Clone, Debug)]
pub struct TableFamily {
    /// For diagnostics.
    pub name: String,
    /// `log2` of the number of rows.
    pub log_size: usize,
    /// The numerator: a sign times an expression (e.g. `−multiplicity`).
    pub sign: Fr,
    /// The numerator's expression.
    pub numerator: TableExpr,
    /// The tuple; component 0 is the tag.
    pub tuple: Vec<TableExpr>,
}

/// The fingerprint challenges: `α` and the powers of `γ`.
#[derive(Clone, Debug)]
pub struct Challenges {
    /// The shift `α`.
    pub alpha: Fr,
    /// `γ^0, γ^1, …` (as many as the longest tuple).
    pub gamma_powers: Vec<Fr>,
}

impl Challenges {
    /// Powers of `gamma` up to `len` terms.
    pub fn new(alpha: Fr, gamma: Fr, len: usize) -> Self {
        let mut gamma_powers = Vec::with_capacity(len);
        let mut g = Fr::one();
        for _ in 0..len {
            gamma_powers.push(g);
            g *= gamma;
        }
        Self {
            alpha,
            gamma_powers,
        }
    }

    /// `α − Σ γ^i c_i`.
    pub fn denominator(&self, tuple: impl Iterator<Item = Fr>) -> Fr {
        self.alpha
            - tuple
                .zip(&self.gamma_powers)
                .map(|(c, g)| c * g)
                .sum::<Fr>()
    }
}

/// Number of top variables that select the family in the stacked cycle-side leaves.
pub fn family_vars(num_families: usize) -> usize {
    num_families.next_power_of_two().trailing_zeros() as usize
}

/// The GKR leaves of the cycle side: families stacked on top variables (`index = k·T + t`),
/// padding families contribute `0/1`.
pub fn cycle_leaves<C: AsRef<[Fr]> + Sync>(
    families: &[CycleFamily],
    columns: &[C],
    log_rows: usize,
    ch: &Challenges,
) -> (DenseMle, DenseMle) {
    let rows = 1usize << log_rows;
    let k_vars = family_vars(families.len());
    let total = rows << k_vars;
    let mut p = vec![Fr::zero(); total];
    let mut q = vec![Fr::one(); total];
    p.par_chunks_mut(rows)
        .zip(q.par_chunks_mut(rows))
        .zip(families.par_iter())
        .for_each(|((p_k, q_k), fam)| {
            for t in 0..rows {
                p_k[t] = fam.numerator.eval_row(columns, t);
                q_k[t] = ch.denominator(fam.tuple.iter().map(|e| e.eval_row(columns, t)));
            }
        });
    (DenseMle::new(p), DenseMle::new(q))
}

/// The columns the cycle families read, sorted and deduplicated: the verifier needs their
/// evaluations at the GKR leaf point.
pub fn cycle_columns(families: &[CycleFamily]) -> Vec<Col> {
    let mut cols: Vec<Col> = families
        .iter()
        .flat_map(|f| {
            f.numerator
                .cur_columns()
                .chain(f.tuple.iter().flat_map(|e| e.cur_columns()))
        })
        .collect();
    cols.sort_unstable();
    cols.dedup();
    cols
}

/// The values `p(r)`, `q(r)` of the stacked cycle leaves at `r = (r_family, r_rows)`, given the
/// evaluations of the columns at `r_rows` (`column_evals[c]`, zero for unused columns).
pub fn cycle_leaf_values(
    families: &[CycleFamily],
    column_evals: &[Fr],
    point: &[Fr],
    ch: &Challenges,
) -> Option<(Fr, Fr)> {
    let k_vars = family_vars(families.len());
    if point.len() < k_vars {
        return None;
    }
    let (r_k, _) = point.split_at(k_vars);
    let mut p = Fr::zero();
    let mut q = Fr::zero();
    for k in 0..(1usize << k_vars) {
        let bits: Vec<Fr> = (0..k_vars)
            .map(|j| Fr::from(((k >> (k_vars - 1 - j)) & 1) as u64))
            .collect();
        let w = eq_eval(r_k, &bits);
        match families.get(k) {
            Some(fam) => {
                p += w * fam.numerator.eval_at(column_evals);
                q += w * ch.denominator(fam.tuple.iter().map(|e| e.eval_at(column_evals)));
            }
            None => q += w,
        }
    }
    Some((p, q))
}

/// Values of a table expression on all rows (prover side).
pub fn table_values(expr: &TableExpr, log_size: usize, table_columns: &[Vec<Fr>]) -> Vec<Fr> {
    let n = 1usize << log_size;
    match expr {
        TableExpr::Committed(i) => table_columns[*i].clone(),
        TableExpr::Index => (0..n as u64).map(Fr::from).collect(),
        TableExpr::Public(v) => {
            let mut v = v.clone();
            v.resize(n, Fr::zero());
            v
        }
        TableExpr::Const(c) => vec![*c; n],
        TableExpr::Bitwise(table, col) => (0..n).map(|j| Fr::from(table.value(*col, j))).collect(),
        TableExpr::Ranges(ranges) => {
            let mut v = vec![Fr::zero(); n];
            for &(start, end, value) in ranges {
                let (start, end) = ((start as usize).min(n), (end as usize).min(n));
                v[start..end.max(start)]
                    .iter_mut()
                    .for_each(|x| *x = Fr::from(value));
            }
            v
        }
    }
}

/// The GKR leaves of one table family.
pub fn table_leaves(
    fam: &TableFamily,
    table_columns: &[Vec<Fr>],
    ch: &Challenges,
) -> (DenseMle, DenseMle) {
    let num = table_values(&fam.numerator, fam.log_size, table_columns);
    let comps: Vec<Vec<Fr>> = fam
        .tuple
        .iter()
        .map(|e| table_values(e, fam.log_size, table_columns))
        .collect();
    let n = 1usize << fam.log_size;
    let p: Vec<Fr> = num.into_par_iter().map(|v| fam.sign * v).collect();
    let q: Vec<Fr> = (0..n)
        .into_par_iter()
        .map(|j| ch.denominator(comps.iter().map(|c| c[j])))
        .collect();
    (DenseMle::new(p), DenseMle::new(q))
}

/// The multilinear extension of the row index `j` at `point`: `Σ_i 2^{n−1−i} r_i`.
pub fn index_mle(point: &[Fr]) -> Fr {
    point.iter().fold(Fr::zero(), |acc, r| acc.double() + r)
}

/// The multilinear extension of public `values` (padded with zeros) at `point`, in
/// `O(len · n)` without building a table of size `2^n`.
pub fn public_mle(values: &[Fr], point: &[Fr]) -> Fr {
    let n = point.len();
    let one = Fr::one();
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_zero())
        .map(|(j, v)| {
            let w: Fr = (0..n)
                .map(|i| {
                    if (j >> (n - 1 - i)) & 1 == 1 {
                        point[i]
                    } else {
                        one - point[i]
                    }
                })
                .product();
            w * v
        })
        .sum()
}

/// `Σ_{x < bound} eq(point, x)`: the extension of the indicator of `[0, bound)` over
/// `point.len()` big-endian bits, in `O(n)`: for each bit where `bound` has a 1, the rows that
/// agree with `bound` above it and have a 0 there.
pub fn below_mle(bound: u64, point: &[Fr]) -> Fr {
    let n = point.len();
    if n < 64 && bound >= 1u64 << n {
        return Fr::one();
    }
    let mut prefix = Fr::one();
    let mut total = Fr::zero();
    for (i, r) in point.iter().enumerate() {
        let bit = (bound >> (n - 1 - i)) & 1;
        if bit == 1 {
            total += prefix * (Fr::one() - r);
            prefix *= r;
        } else {
            prefix *= Fr::one() - r;
        }
    }
    total
}

/// The committed table columns a table family reads.
pub fn table_committed(fam: &TableFamily) -> Vec<usize> {
    let mut out: Vec<usize> = std::iter::once(&fam.numerator)
        .chain(fam.tuple.iter())
        .filter_map(|e| match e {
            TableExpr::Committed(i) => Some(*i),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// `p(r)`, `q(r)` of a table family's leaves at `point`, given the claimed evaluations of the
/// committed table columns it reads (`committed(i)`).
pub fn table_leaf_values(
    fam: &TableFamily,
    point: &[Fr],
    committed: &dyn Fn(usize) -> Option<Fr>,
    ch: &Challenges,
) -> Option<(Fr, Fr)> {
    let eval = |e: &TableExpr| -> Option<Fr> {
        Some(match e {
            TableExpr::Committed(i) => committed(*i)?,
            TableExpr::Index => index_mle(point),
            TableExpr::Public(v) => public_mle(v, point),
            TableExpr::Const(c) => *c,
            TableExpr::Bitwise(table, col) => table.mle(*col, point)?,
            TableExpr::Ranges(ranges) => ranges
                .iter()
                .map(|&(start, end, value)| {
                    Fr::from(value) * (below_mle(end, point) - below_mle(start, point))
                })
                .sum(),
        })
    };
    let p = fam.sign * eval(&fam.numerator)?;
    let comps: Option<Vec<Fr>> = fam.tuple.iter().map(eval).collect();
    Some((p, ch.denominator(comps?.into_iter())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn public_and_index_mles_agree_with_dense_evaluation() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let values: Vec<Fr> = (0..11).map(|_| Fr::rand(&mut rng)).collect();
        let point: Vec<Fr> = (0..4).map(|_| Fr::rand(&mut rng)).collect();
        let dense = DenseMle::padded(values.clone(), 4);
        assert_eq!(public_mle(&values, &point), dense.evaluate(&point));
        let index = DenseMle::new((0..16u64).map(Fr::from).collect());
        assert_eq!(index_mle(&point), index.evaluate(&point));
    }

    #[test]
    fn range_mles_agree_with_dense_evaluation() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let point: Vec<Fr> = (0..5).map(|_| Fr::rand(&mut rng)).collect();
        let ranges = vec![(0, 3, 2), (3, 9, 1), (20, 32, 2)];
        let dense = DenseMle::new(table_values(&TableExpr::Ranges(ranges.clone()), 5, &[]));
        let fam = TableFamily {
            name: "ranges".into(),
            log_size: 5,
            sign: Fr::one(),
            numerator: TableExpr::Ranges(ranges),
            tuple: vec![],
        };
        let ch = Challenges::new(Fr::one(), Fr::one(), 1);
        let (p, _) = table_leaf_values(&fam, &point, &|_| None, &ch).unwrap();
        assert_eq!(p, dense.evaluate(&point));
        for bound in [0u64, 1, 7, 31, 32, 40] {
            let ind = DenseMle::new((0..32u64).map(|x| Fr::from((x < bound) as u64)).collect());
            assert_eq!(
                below_mle(bound, &point),
                ind.evaluate(&point),
                "bound {bound}"
            );
        }
    }

    #[test]
    fn stacked_cycle_leaves_match_the_verifier_formula() {
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let columns: Vec<Vec<Fr>> = (0..3)
            .map(|_| (0..8).map(|_| Fr::rand(&mut rng)).collect())
            .collect();
        let families: Vec<CycleFamily> = (0..3)
            .map(|k| CycleFamily {
                name: format!("f{k}"),
                numerator: crate::machine::cur(k),
                tuple: vec![
                    LinComb::from(Fr::from(k as u64 + 1)),
                    crate::machine::cur((k + 1) % 3) + crate::machine::cur(k) * 5,
                ],
            })
            .collect();
        let ch = Challenges::new(Fr::rand(&mut rng), Fr::rand(&mut rng), 2);
        let (p, q) = cycle_leaves(&families, &columns, 3, &ch);
        let point: Vec<Fr> = (0..5).map(|_| Fr::rand(&mut rng)).collect();
        let evals: Vec<Fr> = columns
            .iter()
            .map(|c| DenseMle::new(c.clone()).evaluate(&point[2..]))
            .collect();
        let (pv, qv) = cycle_leaf_values(&families, &evals, &point, &ch).unwrap();
        assert_eq!(pv, p.evaluate(&point));
        assert_eq!(qv, q.evaluate(&point));
    }
}
