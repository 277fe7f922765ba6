//! The matrix-multiplication baseline `C = A·B` over the field, `n × n` (see [`super`] for the
//! circuit): one row per multiply-accumulate, the output bound by a digest.

use ark_bn254::Fr;
use ark_ff::{Field, One, Zero};

use super::{activity, activity_columns, Witness};
use crate::r1cs::{LinComb, UniformR1cs, Var};
use crate::transcript::Transcript;

/// Transcript domain of the matrix-multiplication output digest.
const MATMUL_DIGEST_DOMAIN: &[u8] = b"zkvm-baseline-matmul-digest";
/// Label of the digest's inputs.
const MATMUL_DIGEST_LABEL: &[u8] = b"matmul-output";

/// The entry `A[i][l] = −(i + l + 1)` of the left matrix.
fn matmul_a(i: usize, l: usize) -> Fr {
    -Fr::from((i + l + 1) as u64)
}

/// The entry `B[l][j] = l·j + 1` of the right matrix.
fn matmul_b(l: usize, j: usize) -> Fr {
    Fr::from((l * j + 1) as u64)
}

/// `C = A·B` over the field with `A[i][l] = −(i + l + 1)`, `B[l][j] = l·j + 1`, row-major.
pub fn matmul_reference(n: usize) -> Vec<Fr> {
    let mut c = Vec::with_capacity(n * n);
    for i in 0..n {
        for j in 0..n {
            let mut acc = Fr::zero();
            for l in 0..n {
                acc += matmul_a(i, l) * matmul_b(l, j);
            }
            c.push(acc);
        }
    }
    c
}

/// The digest challenge `w` and the digest `Σ C_k w^{n²−1−k}` of a claimed output.
fn matmul_digest(n: usize, output: &[Fr]) -> (Fr, Fr) {
    let mut t = Transcript::new(MATMUL_DIGEST_DOMAIN);
    t.absorb_u64(MATMUL_DIGEST_LABEL, n as u64);
    t.absorb_fields(MATMUL_DIGEST_LABEL, output);
    let w = t.challenge();
    let d = output.iter().fold(Fr::zero(), |h, c| h * w + c);
    (w, d)
}

/// Column indices of the matrix-multiplication circuit.
mod mm {
    pub const ACT: usize = 0;
    pub const CNT: usize = 1;
    pub const L: usize = 2;
    pub const J: usize = 3;
    pub const I: usize = 4;
    pub const EL: usize = 5;
    pub const IL: usize = 6;
    pub const EJ: usize = 7;
    pub const IJ: usize = 8;
    pub const EJL: usize = 9;
    pub const A: usize = 10;
    pub const B: usize = 11;
    pub const P: usize = 12;
    pub const ACC: usize = 13;
    pub const CARRY: usize = 14;
    pub const G: usize = 15;
    pub const HM: usize = 16;
    pub const H: usize = 17;
    pub const NAMES: [&str; 18] = [
        "act", "cnt", "l", "j", "i", "l_end", "l_inv", "j_end", "j_inv", "jl_end", "a", "b", "p",
        "acc", "carry", "absorb", "h_delta", "h",
    ];
}

/// The circuit of `n × n` matrix multiplication whose claimed output is `output` (`n²` values,
/// row-major), bound by the digest.
pub(super) fn matmul_circuit(n: usize, output: &[Fr]) -> UniformR1cs {
    let (w, digest) = matmul_digest(n, output);
    let mut r = UniformR1cs::new(mm::NAMES.iter().map(|s| s.to_string()).collect());
    let c = Var::Cur;
    let not_last = || Var::One - Var::Last;
    let nn = n as i64;
    activity(&mut r, mm::ACT, mm::CNT, (n as u64).pow(3));
    // Loop counters: l counts 0..n-1, j steps when l ends, i when both end.
    for (name, v, e, inv) in [("l", mm::L, mm::EL, mm::IL), ("j", mm::J, mm::EJ, mm::IJ)] {
        r.add(format!("{name}_end.bool"), c(e), c(e) - 1, LinComb::zero());
        r.add(
            format!("{name}_end.at_end"),
            c(e),
            c(v) - (nn - 1),
            LinComb::zero(),
        );
        r.add(
            format!("{name}_end.only_at_end"),
            c(v) - (nn - 1),
            c(inv),
            Var::One - c(e),
        );
        r.add(format!("{name}.init"), Var::First, c(v), LinComb::zero());
    }
    r.add("jl_end.def", c(mm::EL), c(mm::EJ), c(mm::EJL));
    r.add(
        "l.step",
        not_last(),
        Var::Next(mm::L) - c(mm::L) - 1 + c(mm::EL) * nn,
        LinComb::zero(),
    );
    r.add(
        "j.step",
        not_last(),
        Var::Next(mm::J) - c(mm::J) - c(mm::EL) + c(mm::EJL) * nn,
        LinComb::zero(),
    );
    r.add(
        "i.step",
        not_last(),
        Var::Next(mm::I) - c(mm::I) - c(mm::EJL),
        LinComb::zero(),
    );
    r.add("i.init", Var::First, c(mm::I), LinComb::zero());
    // The matrix entries and the multiply-accumulate.
    r.add(
        "a.def",
        Var::One,
        c(mm::A) + c(mm::I) + c(mm::L) + 1,
        LinComb::zero(),
    );
    r.add("b.def", c(mm::L), c(mm::J), c(mm::B) - 1);
    r.add("p.def", c(mm::A), c(mm::B), c(mm::P));
    r.add("carry.def", c(mm::ACC), Var::One - c(mm::EL), c(mm::CARRY));
    r.add(
        "acc.step",
        not_last(),
        Var::Next(mm::ACC) - Var::Next(mm::P) - c(mm::CARRY),
        LinComb::zero(),
    );
    r.add(
        "acc.init",
        Var::First,
        c(mm::ACC) - c(mm::P),
        LinComb::zero(),
    );
    // The output digest.
    r.add("absorb.def", c(mm::ACT), c(mm::EL), c(mm::G));
    r.add(
        "h_delta.def",
        c(mm::G),
        c(mm::H) * (w - Fr::one()) + c(mm::ACC),
        c(mm::HM),
    );
    r.add(
        "h.step",
        not_last(),
        Var::Next(mm::H) - c(mm::H) - c(mm::HM),
        LinComb::zero(),
    );
    r.add("h.init", Var::First, c(mm::H), LinComb::zero());
    r.add(
        "h.final",
        Var::Last,
        c(mm::H) - LinComb::from(digest),
        LinComb::zero(),
    );
    r
}

/// The satisfying witness on `rows` rows (a power of two above `n³`) and the output.
pub(super) fn matmul_witness(n: usize, rows: usize) -> Witness {
    let output = matmul_reference(n);
    let (w, _) = matmul_digest(n, &output);
    let work = n * n * n;
    let mut cols = vec![Vec::with_capacity(rows); mm::NAMES.len()];
    let (act, cnt) = activity_columns(rows, work);
    let last = Fr::from((n - 1) as u64);
    let (mut acc_prev_carry, mut h) = (Fr::zero(), Fr::zero());
    for t in 0..rows {
        let (l, j, i) = (t % n, (t / n) % n, t / (n * n));
        let (lf, jf, ifr) = (Fr::from(l as u64), Fr::from(j as u64), Fr::from(i as u64));
        let el = Fr::from(u64::from(l == n - 1));
        let ej = Fr::from(u64::from(j == n - 1));
        let il = (lf - last).inverse().unwrap_or_default();
        let ij = (jf - last).inverse().unwrap_or_default();
        let a = matmul_a(i, l);
        let b = matmul_b(l, j);
        let p = a * b;
        let acc = p + acc_prev_carry;
        let carry = acc * (Fr::one() - el);
        let g = act[t] * el;
        let hm = g * (h * (w - Fr::one()) + acc);
        let row = [
            act[t],
            cnt[t],
            lf,
            jf,
            ifr,
            el,
            il,
            ej,
            ij,
            el * ej,
            a,
            b,
            p,
            acc,
            carry,
            g,
            hm,
            h,
        ];
        for (col, v) in cols.iter_mut().zip(row) {
            col.push(v);
        }
        acc_prev_carry = carry;
        h += hm;
    }
    Witness {
        columns: cols,
        output,
        rows: work,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_values_by_hand() {
        // A = [[-1,-2],[-2,-3]], B = [[1,1],[1,2]]: C = [[-3,-5],[-5,-8]].
        let c: Vec<Fr> = [3u64, 5, 5, 8].map(|v| -Fr::from(v)).to_vec();
        assert_eq!(matmul_reference(2), c);
    }
}
