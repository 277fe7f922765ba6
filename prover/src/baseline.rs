//! Direct-circuit baselines: arithmetic kernels written straight as uniform R1CS, with **no VM**
//! (no fetch, decode, register file or memory checking), proven with the same Spartan + Dory
//! backend as the zkVM ([`crate::spartan`], [`crate::pcs`]). `zkvm compare --baseline` puts one
//! beside the VM columns, so the VM's overhead over a hand-written circuit is measured.
//!
//! Two kernels ([`Kernel`]):
//!
//! - **Matrix multiplication** `C = A·B` over the field, `n × n`, with the matrices of the example
//!   programs (`examples/zasm/matmul.zasm`, `examples/guests/matmul`): `A[i][l] = −(i + l + 1)`,
//!   `B[l][j] = l·j + 1`. One row per multiply-accumulate (`n³` rows, `i, j, l` loops with `l`
//!   innermost): counters `i, j, l` with end-of-loop flags, `a`, `b`, `p = a·b`, the running sum
//!   `acc`. The inputs are fixed functions of the counters, so they need no memory argument. The
//!   public output (all of `C`) is bound by a digest: `h ← h·w + acc` at the end of each dot
//!   product, and `h` on the last row must equal `Σ C_k w^{n²−1−k}`, where `w` is hashed from `n`
//!   and the claimed `C` (Keccak, [`Transcript`]); a false claim passes only if `w` is a root of
//!   a nonzero polynomial of degree `< n²` (Schwartz–Zippel, probability `n²/|F|`).
//! - **MiMC-7** (Albrecht–Grassi–Rechberger–Roy–Tiessen 2016, "MiMC: Efficient encryption and
//!   cryptographic hashing with minimal multiplicative complexity"), as circomlib's `mimc7.hash`:
//!   `x ← (x + k + c_i)⁷` for 91 rounds, output `x + k`, with circomlib's constants
//!   ([`mimc_round_constants`]), chained `n` times as in `examples/zasm/mimc.zasm` and
//!   `examples/guests/mimc`: `h_0 = x`, `h_{i+1} = mimc7.hash(h_i, k)`, output `h_n`. One row
//!   per round (`91·n` rows): `t², t⁴, t⁶, t⁷` with `t = x + k + c` (four multiplications, as in
//!   the zasm program), and `x ← t⁷ + k·e` where the flag `e` is 1 on the last round of each
//!   hash (the feed-forward `+ k`). The round constants `c` and the flags `e` are **fixed
//!   columns**: the prover commits to them like any column, and the verifier recomputes those
//!   commitments from the public constants (Dory commitments are deterministic) and rejects a
//!   proof whose commitments differ — preprocessed columns, as a verifying key would hold them.
//!   The input `x` and key `k` are public constants of the circuit.
//!
//! Rows are padded to a power of two. An `act` flag (Boolean, 1 on the first row, never rising
//! again) and a counter `cnt` of active rows (`cnt` on the last row = the number of real rows)
//! switch the kernel off on the padding rows, which keep satisfying every constraint.
//! Public values (inputs, outputs, the digest) are constants in the constraints, so they enter
//! the transcript with the constraint system's digest.

use std::time::{Duration, Instant};

use ark_bn254::Fr;
use ark_ff::{Field, One, PrimeField, Zero};

use crate::format::FormatError;
use crate::pcs::{DoryPcs, DoryProverData, Pcs, PcsError};
use crate::pipeline::{peak_memory_bytes, Report};
use crate::poly::DenseMle;
use crate::r1cs::{LinComb, R1csError, UniformR1cs, Var};
use crate::spartan::{self, labels, SpartanError, UniformProof};
use crate::transcript::Transcript;

/// The largest number of rows (log) a baseline may use.
pub const MAX_LOG_ROWS: usize = 24;

/// Transcript domain of the proofs.
const DOMAIN: &[u8] = b"zkvm-baseline";
/// Transcript domain of the matrix-multiplication output digest.
const MATMUL_DIGEST_DOMAIN: &[u8] = b"zkvm-baseline-matmul-digest";
/// Label of the digest's inputs.
const MATMUL_DIGEST_LABEL: &[u8] = b"matmul-output";

/// Why a baseline could not be built, proven or verified.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BaselineError {
    /// The kernel specification is malformed.
    #[error("bad baseline `{spec}`: {reason}")]
    BadSpec {
        /// The text given.
        spec: String,
        /// What is wrong.
        reason: String,
    },
    /// The kernel needs more rows than [`MAX_LOG_ROWS`] allows.
    #[error("{kernel} needs {rows} rows, more than 2^{MAX_LOG_ROWS}")]
    TooLarge {
        /// The kernel.
        kernel: String,
        /// Rows needed.
        rows: u64,
    },
    /// The claimed output has the wrong length for the kernel.
    #[error("{kernel}: {got} output values, expected {expected}")]
    OutputLength {
        /// The kernel.
        kernel: String,
        /// Values expected.
        expected: usize,
        /// Values given.
        got: usize,
    },
    /// The witness does not satisfy the circuit (a bug in the witness generator).
    #[error("witness: {0}")]
    Witness(#[from] R1csError),
    /// Proving or verifying failed.
    #[error(transparent)]
    Spartan(#[from] SpartanError),
    /// The commitment scheme failed.
    #[error(transparent)]
    Pcs(#[from] PcsError),
    /// The proof bytes are malformed.
    #[error(transparent)]
    Format(#[from] FormatError),
}

/// A kernel with its size parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// `n × n` matrix multiplication over the field.
    MatMul {
        /// The dimension.
        n: usize,
    },
    /// The chain of `hashes` MiMC-7 hashes (circomlib's `mimc7.hash`) from public `x` with the
    /// public `key`.
    Mimc {
        /// Hashes of 91 rounds each (at least 1).
        hashes: usize,
        /// The input.
        x: Fr,
        /// The key.
        key: Fr,
    },
}

/// A kernel's satisfying witness.
#[derive(Clone, Debug)]
pub struct Witness {
    /// The columns, each `padded_rows` long.
    pub columns: Vec<Vec<Fr>>,
    /// The public output.
    pub output: Vec<Fr>,
    /// Rows doing real work (before padding).
    pub rows: usize,
}

fn bad(spec: &str, reason: impl Into<String>) -> BaselineError {
    BaselineError::BadSpec {
        spec: spec.to_string(),
        reason: reason.into(),
    }
}

fn parse_usize(spec: &str, s: &str, what: &str) -> Result<usize, BaselineError> {
    s.parse::<usize>()
        .map_err(|_| bad(spec, format!("{what} `{s}` is not a non-negative integer")))
}

fn parse_fr(spec: &str, s: &str) -> Result<Fr, BaselineError> {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        s.parse::<Fr>()
            .map_err(|()| bad(spec, format!("`{s}` is not a field element")))
    } else {
        Err(bad(spec, format!("`{s}` is not a decimal number")))
    }
}

fn rows_log(kernel: &Kernel, rows: u64) -> Result<usize, BaselineError> {
    // One more row than the work, so that the last row is never an active one.
    let total = rows.saturating_add(1);
    let log = total.next_power_of_two().trailing_zeros() as usize;
    if total > 1 << MAX_LOG_ROWS {
        return Err(BaselineError::TooLarge {
            kernel: kernel.name(),
            rows,
        });
    }
    Ok(log)
}

impl Kernel {
    /// Parses `matmul:N`, or `mimc[:N[:X:KEY]]`: `N` chained MiMC-7 hashes (default 1) from `X`
    /// with key `KEY` (decimal field elements, default 1 and 2).
    pub fn parse(spec: &str) -> Result<Self, BaselineError> {
        let parts: Vec<&str> = spec.split(':').collect();
        match parts.as_slice() {
            ["matmul", n] => {
                let n = parse_usize(spec, n, "the dimension")?;
                if n == 0 {
                    return Err(bad(spec, "the dimension must be at least 1"));
                }
                Ok(Kernel::MatMul { n })
            }
            ["mimc"] => Ok(Kernel::Mimc {
                hashes: 1,
                x: Fr::one(),
                key: Fr::from(2u64),
            }),
            ["mimc", n, rest @ ..] => {
                let hashes = parse_usize(spec, n, "the number of hashes")?;
                if hashes == 0 {
                    return Err(bad(spec, "at least one hash"));
                }
                let (x, key) = match rest {
                    [] => (Fr::one(), Fr::from(2u64)),
                    [x, k] => (parse_fr(spec, x)?, parse_fr(spec, k)?),
                    _ => return Err(bad(spec, "expected mimc:N or mimc:N:X:KEY")),
                };
                Ok(Kernel::Mimc { hashes, x, key })
            }
            _ => Err(bad(spec, "expected matmul:N or mimc[:N[:X:KEY]]")),
        }
    }

    /// A short name (`matmul:4`, `mimc:10`).
    pub fn name(&self) -> String {
        match self {
            Kernel::MatMul { n } => format!("matmul:{n}"),
            Kernel::Mimc { hashes, .. } => format!("mimc:{hashes}"),
        }
    }

    /// The full specification, every parameter included: [`Kernel::parse`] reads it back.
    pub fn spec(&self) -> String {
        match self {
            Kernel::MatMul { n } => format!("matmul:{n}"),
            Kernel::Mimc { hashes, x, key } => {
                format!("mimc:{hashes}:{}:{}", x.into_bigint(), key.into_bigint())
            }
        }
    }

    /// Rows doing real work: `n³` multiply-accumulates, or one per round (91 per hash).
    pub fn work_rows(&self) -> u64 {
        match self {
            Kernel::MatMul { n } => (*n as u64).saturating_pow(3),
            Kernel::Mimc { hashes, .. } => (*hashes as u64).saturating_mul(MIMC_ROUNDS as u64),
        }
    }

    /// The output computed in plain Rust, with no circuit.
    pub fn reference_output(&self) -> Vec<Fr> {
        match self {
            Kernel::MatMul { n } => matmul_reference(*n),
            Kernel::Mimc { hashes, x, key } => vec![mimc_reference(*hashes, *x, *key)],
        }
    }

    /// The constraint system for the claimed public `output`.
    pub fn circuit(&self, output: &[Fr]) -> Result<UniformR1cs, BaselineError> {
        rows_log(self, self.work_rows())?;
        let expected = match self {
            Kernel::MatMul { n } => n * n,
            Kernel::Mimc { .. } => 1,
        };
        if output.len() != expected {
            return Err(BaselineError::OutputLength {
                kernel: self.name(),
                expected,
                got: output.len(),
            });
        }
        Ok(match self {
            Kernel::MatMul { n } => matmul_circuit(*n, output),
            Kernel::Mimc { hashes, x, key } => mimc_circuit(*hashes, *x, *key, output[0]),
        })
    }

    /// The satisfying witness and the output.
    pub fn witness(&self) -> Result<Witness, BaselineError> {
        let log = rows_log(self, self.work_rows())?;
        Ok(match self {
            Kernel::MatMul { n } => matmul_witness(*n, 1 << log),
            Kernel::Mimc { hashes, x, key } => mimc_witness(*hashes, *x, *key, 1 << log),
        })
    }
}

/// The shared `act`/`cnt` constraints: `act` Boolean, 1 on the first row, never 0 → 1; `cnt`
/// counts the active rows and equals `work` on the last row.
fn activity(r: &mut UniformR1cs, act: usize, cnt: usize, work: u64) {
    let not_last = || Var::One - Var::Last;
    let (a, c) = (Var::Cur(act), Var::Cur(cnt));
    r.add("act.bool", a, a - 1, LinComb::zero());
    r.add(
        "act.monotone",
        Var::One - a,
        Var::Next(act),
        LinComb::zero(),
    );
    r.add("act.init", Var::First, a - 1, LinComb::zero());
    r.add(
        "cnt.step",
        not_last(),
        Var::Next(cnt) - c - a,
        LinComb::zero(),
    );
    r.add("cnt.init", Var::First, c, LinComb::zero());
    r.add(
        "cnt.final",
        Var::Last,
        c - LinComb::from(Fr::from(work)),
        LinComb::zero(),
    );
}

fn activity_columns(rows: usize, work: usize) -> (Vec<Fr>, Vec<Fr>) {
    let act = (0..rows).map(|t| Fr::from(u64::from(t < work))).collect();
    let cnt = (0..rows).map(|t| Fr::from(t.min(work) as u64)).collect();
    (act, cnt)
}

// ---------------------------------------------------------------- matrix multiplication

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

fn matmul_circuit(n: usize, output: &[Fr]) -> UniformR1cs {
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

fn matmul_witness(n: usize, rows: usize) -> Witness {
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

// ---------------------------------------------------------------- MiMC

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
mod mi {
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

fn mimc_circuit(hashes: usize, x0: Fr, key: Fr, out: Fr) -> UniformR1cs {
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

fn mimc_witness(hashes: usize, x0: Fr, key: Fr, rows: usize) -> Witness {
    let work = hashes * MIMC_ROUNDS;
    let (c, e) = mimc_fixed_columns(hashes, rows);
    let (columns, _) = mimc_columns(x0, key, work, &c, &e);
    Witness {
        columns,
        output: vec![mimc_reference(hashes, x0, key)],
        rows: work,
    }
}

// ---------------------------------------------------------------- proving

fn small(values: &[Fr]) -> Option<Vec<u64>> {
    values
        .iter()
        .map(|v| {
            let b = v.into_bigint();
            let limbs = b.as_ref();
            match limbs {
                [lo, rest @ ..] if rest.iter().all(|l| *l == 0) && *lo < 1 << 32 => Some(*lo),
                _ => None,
            }
        })
        .collect()
}

/// Proves a kernel: the public output, the proof bytes (the versioned [`UniformProof`] format)
/// and a [`Report`] (`cycles` = rows doing work, `padded_cycles` = rows; no lookups or memory).
/// The phases mirror the zkVM prover's: witness generation, commit columns, spartan, openings,
/// serialize. Setup (cached on disk) is excluded from the time, as in the pipeline.
pub fn prove(kernel: &Kernel) -> Result<(Vec<Fr>, Vec<u8>, Report), BaselineError> {
    let mut report = Report {
        isa: format!("circuit ({})", kernel.name()),
        ..Report::default()
    };
    let mut clock = Instant::now();
    let phase = |report: &mut Report, name: &str, clock: &mut Instant| {
        report
            .phases
            .push((name.to_string(), clock.elapsed().as_secs_f64()));
        *clock = Instant::now();
    };
    let witness = kernel.witness()?;
    let r1cs = kernel.circuit(&witness.output)?;
    let rows = witness.columns.first().map_or(0, Vec::len);
    let n = rows.trailing_zeros() as usize;
    let mles: Vec<DenseMle> = witness
        .columns
        .iter()
        .map(|c| DenseMle::new(c.clone()))
        .collect();
    phase(&mut report, "witness generation", &mut clock);
    let setup = DoryPcs::setup(n)?;
    clock = Instant::now();
    // The steps of `spartan::prove_uniform`, timed one by one (same transcript order, so
    // `spartan::verify_uniform` checks the result).
    let mut transcript = Transcript::new(DOMAIN);
    let mut committed = Vec::with_capacity(mles.len());
    for col in &witness.columns {
        report.committed_elements += col.len() as u64;
        let (c, d, was_small) = commit_column(&setup, col, n)?;
        if was_small {
            report.committed_small_elements += col.len() as u64;
        }
        committed.push((c, d));
    }
    transcript.absorb_u64(labels::INSTANCE, n as u64);
    for (c, _) in &committed {
        transcript.absorb_serializable(labels::COLUMN_COMMITMENT, c);
    }
    phase(&mut report, "commit columns", &mut clock);
    let (spartan_proof, claims) = spartan::prove(&r1cs, &mles, &mut transcript)?;
    phase(&mut report, "spartan", &mut clock);
    let claim = claims
        .first()
        .ok_or_else(|| SpartanError::Witness("no opening claim".into()))?;
    let polys: Vec<&DenseMle> = mles.iter().collect();
    let data: Vec<&DoryProverData> = committed.iter().map(|(_, d)| d).collect();
    let evals: Vec<Fr> = claim.evals.iter().map(|(_, v)| *v).collect();
    let opening = DoryPcs::open_batch_with_evals(
        &setup,
        &polys,
        &data,
        &claim.point,
        &evals,
        &mut transcript,
    )?;
    phase(&mut report, "openings", &mut clock);
    let proof = UniformProof {
        num_rows_log: n as u32,
        commitments: committed.into_iter().map(|(c, _)| c).collect(),
        spartan: spartan_proof,
        opening,
    };
    let bytes = proof.to_bytes()?;
    phase(&mut report, "serialize", &mut clock);
    report.cycles = witness.rows as u64;
    report.padded_cycles = rows as u64;
    report.columns_per_cycle = r1cs.num_columns();
    report.constraints_per_cycle = r1cs.constraints.len();
    report.prove_seconds = report.phases.iter().map(|(_, s)| s).sum();
    report.proof_bytes = bytes.len();
    report.peak_memory_bytes = peak_memory_bytes();
    Ok((witness.output, bytes, report))
}

/// Commits to a column the way the prover does (small values through the small path).
fn commit_column(
    setup: &crate::pcs::DorySetup,
    col: &[Fr],
    n: usize,
) -> Result<(crate::pcs::DoryCommitment, DoryProverData, bool), PcsError> {
    Ok(match small(col) {
        Some(values) => {
            let (c, d) = DoryPcs::commit_small(setup, &values, n)?;
            (c, d, true)
        }
        None => {
            let (c, d) = DoryPcs::commit(setup, &DenseMle::new(col.to_vec()))?;
            (c, d, false)
        }
    })
}

/// The kernel's fixed (public) columns and their commitments.
fn fixed_commitments(
    kernel: &Kernel,
    setup: &crate::pcs::DorySetup,
    n: usize,
) -> Result<Vec<(usize, crate::pcs::DoryCommitment)>, BaselineError> {
    match kernel {
        Kernel::MatMul { .. } => Ok(Vec::new()),
        Kernel::Mimc { hashes, .. } => {
            let (c, e) = mimc_fixed_columns(*hashes, 1 << n);
            let (c, _, _) = commit_column(setup, &c, n)?;
            let (e, _, _) = commit_column(setup, &e, n)?;
            Ok(vec![(mi::C, c), (mi::E, e)])
        }
    }
}

/// Verifies a proof that `kernel` outputs `output`; returns the verifier time (setup excluded).
pub fn verify(
    kernel: &Kernel,
    output: &[Fr],
    proof_bytes: &[u8],
) -> Result<Duration, BaselineError> {
    let r1cs = kernel.circuit(output)?;
    let proof = UniformProof::from_bytes(proof_bytes)?;
    let n = proof.num_rows_log as usize;
    let expected = rows_log(kernel, kernel.work_rows())?;
    if n != expected {
        return Err(
            SpartanError::Malformed(format!("2^{n} rows, the kernel has 2^{expected}")).into(),
        );
    }
    let setup = DoryPcs::setup(n)?;
    // Preprocessing (a verifying key would hold it): the fixed columns' commitments.
    let fixed = fixed_commitments(kernel, &setup, n)?;
    let start = Instant::now();
    for (j, expected) in &fixed {
        if proof.commitments.get(*j) != Some(expected) {
            return Err(SpartanError::Malformed(format!(
                "the commitment to the fixed column {j} is not the public one"
            ))
            .into());
        }
    }
    spartan::verify_uniform(&setup, &r1cs, &proof, &mut Transcript::new(DOMAIN))?;
    Ok(start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kernels() -> Vec<Kernel> {
        vec![
            Kernel::MatMul { n: 1 },
            Kernel::MatMul { n: 2 },
            Kernel::MatMul { n: 3 },
            Kernel::MatMul { n: 4 },
            Kernel::Mimc {
                hashes: 1,
                x: Fr::from(5u64),
                key: Fr::from(9u64),
            },
            Kernel::parse("mimc:2").unwrap(),
            Kernel::parse("mimc:3:3:4").unwrap(),
        ]
    }

    fn hex(h: &str) -> Fr {
        let bytes: Vec<u8> = (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect();
        Fr::from_be_bytes_mod_order(&bytes)
    }

    #[test]
    fn reference_values_by_hand() {
        // A = [[-1,-2],[-2,-3]], B = [[1,1],[1,2]]: C = [[-3,-5],[-5,-8]].
        let c: Vec<Fr> = [3u64, 5, 5, 8].map(|v| -Fr::from(v)).to_vec();
        assert_eq!(matmul_reference(2), c);
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
    fn circuits_are_satisfied_and_outputs_match_plain_rust() {
        for k in kernels() {
            let w = k.witness().unwrap();
            assert_eq!(w.output, k.reference_output(), "{}", k.name());
            let r1cs = k.circuit(&w.output).unwrap();
            r1cs.check(&w.columns)
                .unwrap_or_else(|e| panic!("{}: {e}", k.name()));
            assert!(w.columns[0].len().is_power_of_two());
            assert!(w.columns[0].len() > w.rows);
            assert_eq!(w.rows as u64, k.work_rows());
        }
    }

    #[test]
    fn a_wrong_output_or_tampered_cell_is_caught_by_the_checker() {
        for k in kernels() {
            let w = k.witness().unwrap();
            let mut wrong = w.output.clone();
            wrong[0] += Fr::one();
            assert!(k.circuit(&wrong).unwrap().check(&w.columns).is_err());
            let r1cs = k.circuit(&w.output).unwrap();
            // Every cell of the first two rows, of a middle row and (for MiMC) of the last
            // round of the first hash (where the feed-forward happens) matters.
            let rows = w.columns[0].len();
            for row in [0, 1, rows / 2, MIMC_ROUNDS - 1] {
                if row >= rows {
                    continue;
                }
                for j in 0..w.columns.len() {
                    // The fixed columns are checked by commitment, not by the constraints.
                    if matches!(k, Kernel::Mimc { .. }) && (j == mi::C || j == mi::E) {
                        continue;
                    }
                    // The inverse advice is free where the counter is at its end.
                    if r1cs.column_names[j].ends_with("_inv") {
                        continue;
                    }
                    let mut cols = w.columns.clone();
                    cols[j][row] += Fr::one();
                    assert!(
                        r1cs.check(&cols).is_err(),
                        "{}: column {} row {row} is unconstrained",
                        k.name(),
                        r1cs.column_names[j]
                    );
                }
            }
        }
    }

    #[test]
    fn proofs_verify_and_a_false_output_or_tampered_proof_is_rejected() {
        for k in [Kernel::MatMul { n: 3 }, Kernel::parse("mimc:2").unwrap()] {
            let (out, bytes, report) = prove(&k).unwrap();
            assert_eq!(out, k.reference_output());
            assert_eq!(report.proof_bytes, bytes.len());
            assert_eq!(report.cycles, k.work_rows());
            verify(&k, &out, &bytes).unwrap();
            let mut wrong = out.clone();
            wrong[0] += Fr::one();
            assert!(verify(&k, &wrong, &bytes).is_err(), "{}", k.name());
            let mut tampered = bytes.clone();
            let i = tampered.len() / 2;
            tampered[i] ^= 1;
            assert!(verify(&k, &out, &tampered).is_err(), "{}", k.name());
        }
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

    #[test]
    fn specs_parse_and_bad_ones_are_errors() {
        assert_eq!(Kernel::parse("matmul:5").unwrap(), Kernel::MatMul { n: 5 });
        assert_eq!(Kernel::parse("mimc:3").unwrap().name(), "mimc:3");
        assert_eq!(
            Kernel::parse("mimc").unwrap(),
            Kernel::Mimc {
                hashes: 1,
                x: Fr::one(),
                key: Fr::from(2u64)
            }
        );
        assert_eq!(Kernel::parse("mimc:10").unwrap().work_rows(), 910);
        for k in kernels() {
            assert_eq!(Kernel::parse(&k.spec()).unwrap(), k);
        }
        for bad in [
            "",
            "matmul",
            "matmul:0",
            "matmul:x",
            "mimc:0",
            "mimc:2:1",
            "mimc:1:x:2",
            "sha:3",
        ] {
            assert!(Kernel::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            Kernel::MatMul { n: 1000 }.witness(),
            Err(BaselineError::TooLarge { .. })
        ));
    }
}
