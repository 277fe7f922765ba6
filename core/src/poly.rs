//! Multilinear polynomials in evaluation form over the BN254 scalar field.
//!
//! Convention used everywhere in this crate: a polynomial in `n` variables is stored as its
//! `2^n` values on the Boolean hypercube, and the index `i` of a value spells the point
//! `(x_0, …, x_{n-1})` in **big-endian** bits (`x_0` is the most significant bit). Binding a
//! variable always binds `x_0`, the top one, so a sumcheck's challenges `(r_0, …, r_{n-1})` are
//! directly the evaluation point.

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use rayon::prelude::*;

/// Below this many values the parallel paths are slower than the serial ones.
const PARALLEL_THRESHOLD: usize = 1 << 12;

/// A dense multilinear polynomial given by its values on the hypercube.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DenseMle {
    evals: Vec<Fr>,
    num_vars: usize,
}

impl AsRef<[Fr]> for DenseMle {
    fn as_ref(&self) -> &[Fr] {
        &self.evals
    }
}

impl DenseMle {
    /// The polynomial with these hypercube values; the length must be a power of two.
    pub fn new(evals: Vec<Fr>) -> Self {
        assert!(
            evals.len().is_power_of_two(),
            "length must be a power of two"
        );
        let num_vars = evals.len().trailing_zeros() as usize;
        Self { evals, num_vars }
    }

    /// The polynomial whose values are `evals` padded with zeros to `2^num_vars`.
    pub fn padded(mut evals: Vec<Fr>, num_vars: usize) -> Self {
        assert!(
            evals.len() <= 1 << num_vars,
            "too many values for {num_vars} variables"
        );
        evals.resize(1 << num_vars, Fr::zero());
        Self { evals, num_vars }
    }

    /// Number of variables.
    pub fn num_vars(&self) -> usize {
        self.num_vars
    }

    /// The hypercube values.
    pub fn evals(&self) -> &[Fr] {
        &self.evals
    }

    /// Consume into the hypercube values.
    pub fn into_evals(self) -> Vec<Fr> {
        self.evals
    }

    /// Fix the top variable `x_0 = r`, halving the table.
    pub fn bind_top(&mut self, r: Fr) {
        let half = self.evals.len() / 2;
        let (lo, hi) = self.evals.split_at_mut(half);
        if half >= PARALLEL_THRESHOLD {
            lo.par_iter_mut()
                .zip(hi.par_iter())
                .for_each(|(a, b)| *a += r * (*b - *a));
        } else {
            for (a, b) in lo.iter_mut().zip(hi.iter()) {
                *a += r * (*b - *a);
            }
        }
        self.evals.truncate(half);
        self.num_vars -= 1;
    }

    /// The polynomial with its top variable fixed to `r` (a new table of half the size; `self`
    /// is left as it is).
    pub fn bound_top(&self, r: Fr) -> DenseMle {
        let half = self.evals.len() / 2;
        let (lo, hi) = self.evals.split_at(half);
        let evals: Vec<Fr> = if half >= PARALLEL_THRESHOLD {
            lo.par_iter()
                .zip(hi.par_iter())
                .map(|(a, b)| *a + r * (*b - *a))
                .collect()
        } else {
            lo.iter().zip(hi).map(|(a, b)| *a + r * (*b - *a)).collect()
        };
        DenseMle {
            evals,
            num_vars: self.num_vars - 1,
        }
    }

    /// Evaluate at `point` (length `num_vars`).
    pub fn evaluate(&self, point: &[Fr]) -> Fr {
        assert_eq!(point.len(), self.num_vars, "point has the wrong dimension");
        inner_product(&self.evals, &eq_table(point))
    }
}

/// `⟨a, b⟩`, in parallel for long vectors.
pub fn inner_product(a: &[Fr], b: &[Fr]) -> Fr {
    if a.len() >= PARALLEL_THRESHOLD {
        a.par_iter().zip(b.par_iter()).map(|(x, y)| *x * y).sum()
    } else {
        a.iter().zip(b).map(|(x, y)| *x * y).sum()
    }
}

/// All `2^n` values `eq(r, x)` for `x` in the hypercube, in the big-endian index order.
///
/// `eq(r, x) = Π_j (r_j x_j + (1 - r_j)(1 - x_j))` is the multilinear extension of equality.
pub fn eq_table(r: &[Fr]) -> Vec<Fr> {
    let mut table = Vec::with_capacity(1 << r.len());
    table.push(Fr::one());
    for r_j in r {
        // Appending the next (less significant) bit doubles the table: index 2i + b.
        let prev = std::mem::take(&mut table);
        table = vec![Fr::zero(); prev.len() * 2];
        let fill = |(i, pair): (usize, &mut [Fr])| {
            let hi = prev[i] * r_j;
            pair[1] = hi;
            pair[0] = prev[i] - hi;
        };
        if prev.len() >= PARALLEL_THRESHOLD {
            table.par_chunks_mut(2).enumerate().for_each(fill);
        } else {
            table.chunks_mut(2).enumerate().for_each(fill);
        }
    }
    table
}

/// `eq(a, b)` for two points of the same dimension.
pub fn eq_eval(a: &[Fr], b: &[Fr]) -> Fr {
    assert_eq!(a.len(), b.len(), "points differ in dimension");
    a.iter()
        .zip(b)
        .map(|(x, y)| *x * y + (Fr::one() - x) * (Fr::one() - y))
        .product()
}

/// The multilinear extension of the successor relation, `next(x, y) = 1` iff `int(y) = int(x) + 1`
/// (big-endian integers over `n` bits, no wrap-around), evaluated at arbitrary points.
///
/// Writing bits from the least significant end, `y = x + 1` holds exactly when for some `k` the
/// `k` lowest bits of `x` are 1 and of `y` are 0, bit `k` goes from 0 to 1, and all higher bits
/// agree. Summing that product over `k` gives an `O(n)` formula with running prefix products.
pub fn next_eval(x: &[Fr], y: &[Fr]) -> Fr {
    assert_eq!(x.len(), y.len(), "points differ in dimension");
    let n = x.len();
    let one = Fr::one();
    // suffix_eq[k] = Π_{i > k (more significant)} eq(x_i, y_i); in big-endian order bit k from
    // the bottom is at position n - 1 - k.
    let mut result = Fr::zero();
    let mut low_carry = one; // Π over lower bits of x_i (1 - y_i)
    let mut high_eq = vec![one; n + 1]; // high_eq[p] = Π_{q < p} eq(x_q, y_q) (positions above p)
    for p in 0..n {
        high_eq[p + 1] = high_eq[p] * (x[p] * y[p] + (one - x[p]) * (one - y[p]));
    }
    for p in (0..n).rev() {
        // Bit at position p flips 0 -> 1, lower positions (p+1..n) carry, higher (0..p) agree.
        result += high_eq[p] * (one - x[p]) * y[p] * low_carry;
        low_carry *= x[p] * (one - y[p]);
    }
    result
}

/// The values `next(r, y)` for all `y` on the hypercube: `1` at `y = x + 1` when `r = x` is Boolean.
pub fn next_table(r: &[Fr]) -> Vec<Fr> {
    // next(r, y) = Σ_x eq(r, x) [y = x + 1]: shift the eq table up by one.
    let eq = eq_table(r);
    let mut table = vec![Fr::zero(); eq.len()];
    table[1..].copy_from_slice(&eq[..eq.len() - 1]);
    table
}

/// The multilinear extension of "less than", `lt(x, y) = 1` iff `int(x) < int(y)` (big-endian
/// integers over `n` bits), at arbitrary points: the first bit (from the most significant) in
/// which they differ is 0 in `x` and 1 in `y`, so
/// `lt(x, y) = Σ_i (1 − x_i) y_i Π_{l < i} eq(x_l, y_l)`, multilinear in each argument.
/// Twist's Val-evaluation sumcheck sums the increments of the earlier cycles with it.
pub fn lt_eval(x: &[Fr], y: &[Fr]) -> Fr {
    assert_eq!(x.len(), y.len(), "points differ in dimension");
    let one = Fr::one();
    let (mut result, mut prefix_eq) = (Fr::zero(), one);
    for (x_i, y_i) in x.iter().zip(y) {
        result += prefix_eq * (one - x_i) * y_i;
        prefix_eq *= *x_i * y_i + (one - x_i) * (one - y_i);
    }
    result
}

/// The values `lt(x, r)` for all `x` on the hypercube (in the big-endian index order).
pub fn lt_table(r: &[Fr]) -> Vec<Fr> {
    // Appending bit b of x to a prefix with (eq, lt) values: eq picks up eq(b, r_i); lt gains
    // eq · r_i when b = 0 (x's first differing bit is 0, r's is r_i).
    let mut eq = vec![Fr::one()];
    let mut lt = vec![Fr::zero()];
    for r_i in r {
        let (mut eq2, mut lt2) = (
            Vec::with_capacity(2 * eq.len()),
            Vec::with_capacity(2 * eq.len()),
        );
        for (e, l) in eq.iter().zip(&lt) {
            eq2.extend([*e * (Fr::one() - r_i), *e * r_i]);
            lt2.extend([*l + *e * r_i, *l]);
        }
        (eq, lt) = (eq2, lt2);
    }
    lt
}

/// The field element as a u64, if it is one.
pub fn small_value(v: Fr) -> Option<u64> {
    use ark_ff::PrimeField;
    let b = v.into_bigint();
    let limbs = b.as_ref();
    limbs[1..].iter().all(|w| *w == 0).then_some(limbs[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn bits(i: usize, n: usize) -> Vec<Fr> {
        (0..n)
            .map(|j| Fr::from(((i >> (n - 1 - j)) & 1) as u64))
            .collect()
    }

    #[test]
    fn evaluate_on_hypercube_returns_the_table() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let p = DenseMle::new((0..16).map(|_| Fr::rand(&mut rng)).collect());
        for i in 0..16 {
            assert_eq!(p.evaluate(&bits(i, 4)), p.evals()[i]);
        }
    }

    #[test]
    fn binding_agrees_with_evaluation() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let p = DenseMle::new((0..32).map(|_| Fr::rand(&mut rng)).collect());
        let point: Vec<Fr> = (0..5).map(|_| Fr::rand(&mut rng)).collect();
        let mut q = p.clone();
        for r in &point {
            q.bind_top(*r);
        }
        assert_eq!(q.evals()[0], p.evaluate(&point));
    }

    #[test]
    fn next_matches_the_successor_relation_and_its_table() {
        let n = 4;
        for i in 0..16 {
            for j in 0..16 {
                let expect = if j == i + 1 { Fr::one() } else { Fr::zero() };
                assert_eq!(next_eval(&bits(i, n), &bits(j, n)), expect, "next({i},{j})");
            }
        }
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let r: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
        let s: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
        let table = DenseMle::new(next_table(&r));
        assert_eq!(table.evaluate(&s), next_eval(&r, &s));
    }

    #[test]
    fn lt_matches_less_than_and_its_table() {
        let n = 4;
        for i in 0..16 {
            for j in 0..16 {
                let expect = if i < j { Fr::one() } else { Fr::zero() };
                assert_eq!(lt_eval(&bits(i, n), &bits(j, n)), expect, "lt({i},{j})");
            }
        }
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let r: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
        let s: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
        let table = DenseMle::new(lt_table(&r));
        assert_eq!(table.evaluate(&s), lt_eval(&s, &r));
    }
}
