//! The MiMC-7 baseline (circomlib's `mimc7.hash`, chained; see [`super`] for the circuit): one
//! row per round, the round constants and end-of-hash flags as fixed columns.

use ark_bn254::Fr;
use ark_ff::{Field, PrimeField, Zero};

use super::{activity, activity_columns, BaselineError, Witness};
use crate::pcs::{DoryCommitment, DorySetup};
use crate::poly::DenseMle;
use crate::r1cs::{LinComb, UniformR1cs, Var};
use crate::spartan::commit_column;

/// Rounds of one circomlib MiMC-7 hash.
pub const MIMC_ROUNDS: usize = 91;

/// circomlib's MiMC-7 round constants (`mimc7.js`, `getConstants("mimc", 91)`): `c_0 = 0`;
/// with `h_0 = keccak256("mimc")` and `h_i = keccak256(h_{i-1})` (the 32-byte digests),
/// `c_i = h_i mod p` for `1 ≤ i < 91`.
pub fn mimc_round_constants() -> Vec<Fr> {
    use sha3::{Digest, Keccak256};
    let mut h: [u8; 32] = Keccak256::digest(b"mimc").into();
    (0..MIMC_ROUNDS)
        .map(|i| {
            if i == 0 {
                return Fr::zero();
            }
            h = Keccak256::digest(h).into();
            Fr::from_be_bytes_mod_order(&h)
        })
        .collect()
}

/// The MiMC chain in plain Rust: `h_0 = x`, `h_{i+1} = mimc7.hash(h_i, key)`, returns
/// `h_hashes`; `mimc7.hash(x, key)` is `x ← (x + key + c_i)⁷` for each round, then `x + key`.
pub fn mimc_reference(hashes: usize, x: Fr, key: Fr) -> Fr {
    let constants = mimc_round_constants();
    (0..hashes).fold(x, |h, _| {
        let t = constants.iter().fold(h, |t, c| {
            let u = t + key + c;
            let u2 = u.square();
            u2.square() * u2 * u
        });
        t + key
    })
}

/// Column indices of the MiMC circuit.
pub(super) mod mi {
    pub const ACT: usize = 0;
    pub const CNT: usize = 1;
    pub const X: usize = 2;
    /// The fixed round-constant column.
    pub const C: usize = 3;
    /// The fixed end-of-hash column (1 on the last round of each hash).
    pub const E: usize = 4;
    pub const T2: usize = 5;
    pub const T4: usize = 6;
    pub const T6: usize = 7;
    pub const T7: usize = 8;
    pub const D: usize = 9;
    pub const NAMES: [&str; 10] = [
        "act", "cnt", "x", "c", "hash_end", "t2", "t4", "t6", "t7", "x_delta",
    ];
}

/// The fixed columns of a chain of `hashes` hashes on `rows` rows (zero on padding rows): the
/// round constant `c` and the end-of-hash flag `e` of each row.
fn mimc_fixed_columns(hashes: usize, rows: usize) -> (Vec<Fr>, Vec<Fr>) {
    let constants = mimc_round_constants();
    let work = hashes * MIMC_ROUNDS;
    let c = (0..rows)
        .map(|t| {
            if t < work {
                constants[t % MIMC_ROUNDS]
            } else {
                Fr::zero()
            }
        })
        .collect();
    let e = (0..rows)
        .map(|t| Fr::from(u64::from(t < work && t % MIMC_ROUNDS == MIMC_ROUNDS - 1)))
        .collect();
    (c, e)
}

/// The circuit of a chain of `hashes` hashes from `x0` with `key` whose claimed output is `out`.
pub(super) fn mimc_circuit(hashes: usize, x0: Fr, key: Fr, out: Fr) -> UniformR1cs {
    let mut r = UniformR1cs::new(mi::NAMES.iter().map(|s| s.to_string()).collect());
    let c = Var::Cur;
    let not_last = || Var::One - Var::Last;
    activity(&mut r, mi::ACT, mi::CNT, (hashes * MIMC_ROUNDS) as u64);
    let t = || c(mi::X) + c(mi::C) + LinComb::from(key);
    r.add("t2", t(), t(), c(mi::T2));
    r.add("t4", c(mi::T2), c(mi::T2), c(mi::T4));
    r.add("t6", c(mi::T4), c(mi::T2), c(mi::T6));
    r.add("t7", c(mi::T6), t(), c(mi::T7));
    // x ← t⁷, plus the feed-forward k after the last round of a hash.
    r.add(
        "x_delta.def",
        c(mi::ACT),
        c(mi::T7) + c(mi::E) * key - c(mi::X),
        c(mi::D),
    );
    r.add(
        "x.step",
        not_last(),
        Var::Next(mi::X) - c(mi::X) - c(mi::D),
        LinComb::zero(),
    );
    r.add(
        "x.init",
        Var::First,
        c(mi::X) - LinComb::from(x0),
        LinComb::zero(),
    );
    r.add(
        "output",
        Var::Last,
        c(mi::X) - LinComb::from(out),
        LinComb::zero(),
    );
    r
}

/// The columns of the MiMC circuit over the fixed columns `c` and `e` (which set the row count),
/// with `work` active rows, from `x0`; and the final `x`, the chain's output.
fn mimc_columns(x0: Fr, key: Fr, work: usize, c: &[Fr], e: &[Fr]) -> (Vec<Vec<Fr>>, Fr) {
    let rows = c.len();
    let mut cols = vec![Vec::with_capacity(rows); mi::NAMES.len()];
    let (act, cnt) = activity_columns(rows, work);
    let mut x = x0;
    for t in 0..rows {
        let u = x + key + c[t];
        let u2 = u.square();
        let u4 = u2.square();
        let u6 = u4 * u2;
        let u7 = u6 * u;
        let d = act[t] * (u7 + key * e[t] - x);
        let row = [act[t], cnt[t], x, c[t], e[t], u2, u4, u6, u7, d];
        for (col, v) in cols.iter_mut().zip(row) {
            col.push(v);
        }
        x += d;
    }
    (cols, x)
}

/// The satisfying witness on `rows` rows (a power of two above the rounds) and the output.
pub(super) fn mimc_witness(hashes: usize, x0: Fr, key: Fr, rows: usize) -> Witness {
    let work = hashes * MIMC_ROUNDS;
    let (c, e) = mimc_fixed_columns(hashes, rows);
    let (columns, _) = mimc_columns(x0, key, work, &c, &e);
    Witness {
        columns,
        output: vec![mimc_reference(hashes, x0, key)],
        rows: work,
    }
}

/// The commitments to the fixed columns of a chain of `hashes` hashes on `2^n` rows, by column
/// index: the verifier checks the proof's against them.
pub(super) fn mimc_fixed_commitments(
    setup: &DorySetup,
    hashes: usize,
    n: usize,
) -> Result<Vec<(usize, DoryCommitment)>, BaselineError> {
    let (c, e) = mimc_fixed_columns(hashes, 1 << n);
    let (c, _, _) = commit_column(setup, &DenseMle::new(c))?;
    let (e, _, _) = commit_column(setup, &DenseMle::new(e))?;
    Ok(vec![(mi::C, c), (mi::E, e)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baseline::{verify, Kernel, DOMAIN};
    use crate::pcs::DoryPcs;
    use crate::r1cs::R1csError;
    use crate::spartan;
    use crate::transcript::Transcript;
    use ark_ff::One;

    fn hex(h: &str) -> Fr {
        let bytes: Vec<u8> = (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect();
        Fr::from_be_bytes_mod_order(&bytes)
    }

    #[test]
    fn reference_values_by_hand() {
        // circomlib's constants and its test vector mimc7.hash(1, 2) (as in mimc.zasm).
        let cs = mimc_round_constants();
        assert_eq!(cs.len(), 91);
        assert_eq!(cs[0], Fr::zero());
        assert_eq!(
            cs[1],
            hex("2e2ebbb178296b63d88ec198f0976ad98bc1d4eb0d921ddd2eb86cb7e70a98e5")
        );
        let h1 = hex("176c6eefc3fdf8d6136002d8e6f7a885bbd1c4e3957b93ddc1ec3ae7859f1a08");
        assert_eq!(mimc_reference(1, Fr::one(), Fr::from(2u64)), h1);
        // The chain: no hash is the input; two hashes hash the first hash again.
        assert_eq!(mimc_reference(0, Fr::one(), Fr::from(2u64)), Fr::one());
        assert_eq!(
            mimc_reference(2, Fr::one(), Fr::from(2u64)),
            mimc_reference(1, h1, Fr::from(2u64))
        );
    }

    #[test]
    fn a_proof_over_other_fixed_columns_is_rejected() {
        // A prover that picks its own round constants, or leaves out the feed-forward, satisfies
        // the constraints for its own output; only the fixed columns' commitments catch it.
        let k = Kernel::parse("mimc:2:3:4").unwrap();
        let Kernel::Mimc { hashes, x, key } = k else {
            unreachable!()
        };
        let w = k.witness().unwrap();
        let rows = w.columns[0].len();
        let n = rows.trailing_zeros() as usize;
        let setup = DoryPcs::setup(n).unwrap();
        let (c, e) = mimc_fixed_columns(hashes, rows);
        let mut other_c = c.clone();
        other_c[1] += Fr::one();
        let no_feed_forward = vec![Fr::zero(); rows];
        for (c, e) in [(&other_c, &e), (&c, &no_feed_forward)] {
            let (cols, forged_out) = mimc_columns(x, key, w.rows, c, e);
            assert_ne!(forged_out, w.output[0]);
            let r1cs = k.circuit(&[forged_out]).unwrap();
            r1cs.check(&cols)
                .expect("the forged witness satisfies the constraints");
            let mles: Vec<DenseMle> = cols.into_iter().map(DenseMle::new).collect();
            let forged =
                spartan::prove_uniform(&setup, &r1cs, &mles, &mut Transcript::new(DOMAIN)).unwrap();
            let err = verify(&k, &[forged_out], &forged.to_bytes().unwrap()).unwrap_err();
            assert!(err.to_string().contains("fixed column"), "{err}");
        }
    }

    #[test]
    fn a_satisfying_witness_for_a_false_statement_does_not_exist_in_padding() {
        // A prover that stops counting early (act = 0 one row too soon) fails `cnt.final`.
        let k = Kernel::parse("mimc:1").unwrap();
        let mut w = k.witness().unwrap();
        let last = w.rows - 1;
        w.columns[mi::ACT][last] = Fr::zero();
        w.columns[mi::D][last] = Fr::zero();
        for t in last + 1..w.columns[0].len() {
            w.columns[mi::CNT][t] = Fr::from(last as u64);
        }
        let err = k.circuit(&w.output).unwrap().check(&w.columns).unwrap_err();
        assert!(matches!(err, R1csError::Unsatisfied { .. }), "{err}");
    }
}
