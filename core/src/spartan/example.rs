//! A synthetic uniform circuit with small witness values, for tests and benchmarks.
//!
//! Columns: a counter `t`, an alternating bit, and for `j < q` the words
//! `a_j = (j + 1) · t + bit` and their squares `s_j = a_j²`. Constraints (`5q + 4` of them, so
//! `q = 9` gives 49): the counter and the bit step from row to row (`Next`, not after `Last`) and
//! start at zero (`First`), the bit is Boolean, each `a_j` is defined, squared, steps by
//! `j + 1` plus the bit's change, and differs from `a_{j-1}` by `t`. All values stay below
//! `2^48` for up to `2^20` rows, as in a real trace where most columns are small.

use crate::poly::DenseMle;
use crate::r1cs::{LinComb, UniformR1cs, Var};
use ark_bn254::Fr;

/// The constraint system for `q` word columns.
pub fn circuit(q: usize) -> UniformR1cs {
    let mut names = vec!["t".to_string(), "bit".to_string()];
    for j in 0..q {
        names.push(format!("a{j}"));
    }
    for j in 0..q {
        names.push(format!("s{j}"));
    }
    let (t, bit) = (Var::Cur(0), Var::Cur(1));
    let a = |j: usize| Var::Cur(2 + j);
    let s = |j: usize| Var::Cur(2 + q + j);
    let not_last = || Var::One - Var::Last;
    let mut r = UniformR1cs::new(names);
    r.add("t.step", not_last(), Var::Next(0) - t - 1, LinComb::zero());
    r.add("t.init", Var::First, t, LinComb::zero());
    r.add("bit.bool", bit, bit - 1, LinComb::zero());
    r.add(
        "bit.step",
        not_last(),
        Var::Next(1) + bit - 1,
        LinComb::zero(),
    );
    r.add("bit.init", Var::First, bit, LinComb::zero());
    for j in 0..q {
        let k = (j + 1) as i64;
        r.add(
            format!("a{j}.def"),
            Var::One,
            a(j) - t * k - bit,
            LinComb::zero(),
        );
        r.add(format!("s{j}.square"), a(j), a(j), s(j));
        r.add(
            format!("a{j}.step"),
            not_last(),
            Var::Next(2 + j) - a(j) - k - Var::Next(1) + bit,
            LinComb::zero(),
        );
        r.add(format!("s{j}.init"), Var::First, s(j), LinComb::zero());
        if j > 0 {
            r.add(
                format!("a{j}.diff"),
                Var::One,
                a(j) - a(j - 1) - t,
                LinComb::zero(),
            );
        }
    }
    r
}

/// A satisfying witness with `rows` rows (any positive number) for [`circuit`]`(q)`, as plain
/// columns.
pub fn witness_rows(q: usize, rows: usize) -> Vec<Vec<u64>> {
    let mut cols = vec![Vec::with_capacity(rows); 2 + 2 * q];
    for row in 0..rows as u64 {
        let bit = row & 1;
        cols[0].push(row);
        cols[1].push(bit);
        for j in 0..q {
            let a = (j as u64 + 1) * row + bit;
            cols[2 + j].push(a);
            cols[2 + q + j].push(a * a);
        }
    }
    cols
}

/// The witness for `2^num_vars` rows as multilinear polynomials.
pub fn witness(q: usize, num_vars: usize) -> Vec<DenseMle> {
    witness_rows(q, 1 << num_vars)
        .into_iter()
        .map(|c| DenseMle::new(c.into_iter().map(Fr::from).collect()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_witness_satisfies_the_example_circuit() {
        let r = circuit(9);
        assert_eq!(r.constraints.len(), 49);
        for rows in [1usize, 2, 7, 16] {
            let cols: Vec<Vec<Fr>> = witness_rows(9, rows)
                .into_iter()
                .map(|c| c.into_iter().map(Fr::from).collect())
                .collect();
            r.check(&cols).unwrap();
        }
    }
}
