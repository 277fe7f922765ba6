//! Spartan (Setty 2019, "Spartan: Efficient and general-purpose zkSNARKs without trusted
//! setup", CRYPTO 2020) for **uniform** R1CS: one small constraint set repeated on every row of
//! a trace, plus constraints linking a row to the next (the uniform variant Jolt proves its CPU
//! with: Arun–Setty–Thaler 2023, "Jolt", §A; Jolt's `r1cs/spartan.rs`).
//!
//! # Statement
//!
//! Witness columns `w_0, …, w_{m-1}`, each a multilinear polynomial in `n` variables (its `T = 2^n`
//! rows), already committed and absorbed by the caller. For every row `t` and every constraint
//! `k` of a [`UniformR1cs`]: `A_k(z_t) · B_k(z_t) = C_k(z_t)` where `z_t` holds the row's columns,
//! the next row's columns (`Next(j)`, zero past the last row), the selectors `First`/`Last`, and 1.
//!
//! # Protocol
//!
//! 1. The transcript absorbs `n` and a digest of the constraint system; the verifier sends
//!    `τ ∈ F^n` and `ρ ∈ F`.
//! 2. **Outer sumcheck** (Spartan §4, degree 3):
//!    `0 = Σ_{t∈{0,1}^n} eq(τ, t) · Σ_k ρ^k (A_k(z(t)) · B_k(z(t)) − C_k(z(t)))`,
//!    where `z(t)` is the vector of multilinear extensions — `w_j(t)`, the shifted columns
//!    `w_j^→(t) = Σ_y next(t, y) w_j(y)`, `first(t) = eq(t, 0)`, `last(t) = eq(t, 1…1)`. A random
//!    linear combination over the constraints (instead of Spartan's `Az, Bz, Cz` vectors) keeps the
//!    prover's memory at the size of the columns: the summand is evaluated from the column values
//!    directly. It is zero on the hypercube exactly when every constraint holds on every row (up
//!    to the Schwartz–Zippel error of `τ, ρ`), so a satisfied witness sums to zero.
//!    It ends at a point `r_x`; the prover sends `w_j(r_x)` for every column and `w_j^→(r_x)` for
//!    every column used as `Next`. The verifier computes `eq(τ, r_x)`, `first(r_x) = Π(1 − r_i)`,
//!    `last(r_x) = Π r_i`, and evaluates the small matrices `A_k, B_k, C_k` on the claimed values
//!    **itself** — its work is `O(|constraints| + n)`, independent of `T` beyond the logarithm.
//! 3. **Inner sumcheck** (degree 2), reducing all claims at `r_x` to one point `r_y`: with a fresh
//!    `γ`, `Σ_j γ^j w_j(r_x) + Σ_{j∈N} γ^{m+j} w_j^→(r_x)
//!     = Σ_y [eq(r_x, y) · Σ_j γ^j w_j(y) + next(r_x, y) · Σ_{j∈N} γ^{m+j} w_j(y)]`
//!    (`next` is the multilinear extension of the successor relation, [`crate::poly::next_eval`],
//!    evaluated by the verifier in `O(n)`). The prover sends `w_j(r_y)` for every column.
//! 4. What remains is one [`OpeningClaim`]: every column at `r_y`, discharged by the commitment
//!    scheme ([`crate::pcs`]). [`prove_uniform`] / [`verify_uniform`] do the whole thing: commit,
//!    Spartan, one batched Dory opening.
//!
//! Soundness of each sumcheck is `deg · n / |F|`; the random linear combinations add
//! `|constraints| / |F|` and `2m / |F|`.

pub mod example;
mod prover;
mod verifier;

pub use prover::commit_column;
pub use prover::{prove, prove_uniform, prove_uniform_timed, PhaseTimes};
pub use verifier::{verify, verify_uniform};

use crate::pcs::{DoryCommitment, DoryProof, PcsError};
use crate::r1cs::{LinComb, R1csError, UniformR1cs, Var};
use crate::sumcheck::{SumcheckError, SumcheckProof};
use crate::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{One, Zero};
use ark_serialize::CanonicalSerialize;

/// Transcript labels of Spartan.
pub mod labels {
    /// The number of rows (log) and the constraint system's digest.
    pub const INSTANCE: &[u8] = b"spartan-instance";
    /// The column values at the outer sumcheck's point.
    pub const OUTER_EVALS: &[u8] = b"spartan-outer-evals";
    /// The shifted column values at the outer sumcheck's point.
    pub const OUTER_NEXT_EVALS: &[u8] = b"spartan-outer-next-evals";
    /// The column values at the inner sumcheck's point.
    pub const INNER_EVALS: &[u8] = b"spartan-inner-evals";
    /// A column commitment (in [`super::prove_uniform`]).
    pub const COLUMN_COMMITMENT: &[u8] = b"spartan-column-commitment";
}

/// A Spartan proof for a uniform R1CS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpartanProof {
    /// The outer sumcheck (degree 3).
    pub outer: SumcheckProof,
    /// `w_j(r_x)` for every column.
    pub outer_evals: Vec<Fr>,
    /// `w_j^→(r_x)` for every column in [`UniformR1cs::next_columns`], in that order.
    pub outer_next_evals: Vec<Fr>,
    /// The inner sumcheck (degree 2).
    pub inner: SumcheckProof,
    /// `w_j(r_y)` for every column.
    pub inner_evals: Vec<Fr>,
}

/// Evaluations of committed columns that remain to be proven with the commitment scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpeningClaim {
    /// The point (length `n`, `x_0` first).
    pub point: Vec<Fr>,
    /// `(column, value)` pairs.
    pub evals: Vec<(usize, Fr)>,
}

/// A complete proof of a uniform R1CS over committed columns ([`prove_uniform`]).
#[derive(Clone, Debug, PartialEq)]
pub struct UniformProof {
    /// `log2` of the number of rows.
    pub num_rows_log: u32,
    /// One commitment per column.
    pub commitments: Vec<DoryCommitment>,
    /// The Spartan proof.
    pub spartan: SpartanProof,
    /// The batched opening of every column at the inner sumcheck's point.
    pub opening: DoryProof,
}

crate::impl_serialization!(SpartanProof {
    outer: one,
    outer_evals: vec,
    outer_next_evals: vec,
    inner: one,
    inner_evals: vec,
});

crate::impl_serialization!(UniformProof {
    num_rows_log: one,
    commitments: vec,
    spartan: one,
    opening: one,
});

impl UniformProof {
    /// The proof in the versioned binary format ([`crate::format`]).
    pub fn to_bytes(&self) -> Result<Vec<u8>, crate::format::FormatError> {
        crate::format::to_bytes(crate::format::ProofKind::Uniform, self)
    }

    /// Reads a proof written by [`UniformProof::to_bytes`]; garbage is an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, crate::format::FormatError> {
        crate::format::from_bytes(crate::format::ProofKind::Uniform, bytes)
    }
}

/// Why a Spartan proof was rejected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpartanError {
    /// The constraint system refers to missing columns.
    #[error(transparent)]
    R1cs(#[from] R1csError),
    /// The proof's vectors have the wrong lengths.
    #[error("malformed proof: {0}")]
    Malformed(String),
    /// A sumcheck failed.
    #[error("{phase} sumcheck: {error}")]
    Sumcheck {
        /// `"outer"` or `"inner"`.
        phase: &'static str,
        /// The failure.
        error: SumcheckError,
    },
    /// The outer sumcheck's final value does not match the constraints on the claimed values.
    #[error(
        "outer sumcheck: constraints evaluate to {got} at r_x, the sumcheck claims {expected}"
    )]
    OuterMismatch {
        /// The sumcheck's sub-claim.
        expected: Fr,
        /// The constraints evaluated on the claimed column values.
        got: Fr,
    },
    /// The inner sumcheck's final value does not match the claimed column values.
    #[error("inner sumcheck: claimed columns give {got} at r_y, the sumcheck claims {expected}")]
    InnerMismatch {
        /// The sumcheck's sub-claim.
        expected: Fr,
        /// The value from the claimed column values.
        got: Fr,
    },
    /// The commitment scheme failed or rejected the opening.
    #[error("opening: {0}")]
    Pcs(#[from] PcsError),
    /// The witness does not match the constraint system (prover side).
    #[error("witness: {0}")]
    Witness(String),
}

/// Absorbs the instance: the number of rows and a digest of the constraint system.
pub(crate) fn absorb_instance(r1cs: &UniformR1cs, num_rows_log: usize, t: &mut Transcript) {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&(num_rows_log as u64).to_le_bytes());
    bytes.extend_from_slice(&(r1cs.num_columns() as u64).to_le_bytes());
    bytes.extend_from_slice(&(r1cs.constraints.len() as u64).to_le_bytes());
    for c in &r1cs.constraints {
        for l in [&c.a, &c.b, &c.c] {
            bytes.extend_from_slice(&(l.terms.len() as u64).to_le_bytes());
            for (v, coeff) in &l.terms {
                let (tag, idx) = v.encoding();
                bytes.push(tag);
                bytes.extend_from_slice(&(idx as u64).to_le_bytes());
                // Serializing a field element into a Vec cannot fail.
                let _ = coeff.serialize_compressed(&mut bytes);
            }
        }
    }
    t.absorb_bytes(labels::INSTANCE, &bytes);
}

/// A coefficient, with the common ±1 cases kept as additions.
#[derive(Clone, Copy, Debug)]
enum Coeff {
    One,
    MinusOne,
    Other(Fr),
}

impl Coeff {
    fn new(c: Fr) -> Self {
        if c.is_one() {
            Coeff::One
        } else if c == -Fr::one() {
            Coeff::MinusOne
        } else {
            Coeff::Other(c)
        }
    }
}

/// A linear combination compiled against the layout of the outer sumcheck's inputs.
#[derive(Clone, Debug, Default)]
struct Compiled {
    terms: Vec<(usize, Coeff)>,
    constant: Fr,
}

impl Compiled {
    #[inline]
    fn eval(&self, vals: &[Fr]) -> Fr {
        let mut acc = self.constant;
        for (i, c) in &self.terms {
            let v = vals.get(*i).copied().unwrap_or_default();
            match c {
                Coeff::One => acc += v,
                Coeff::MinusOne => acc -= v,
                Coeff::Other(k) => acc += *k * v,
            }
        }
        acc
    }
}

/// The outer sumcheck's summand, compiled: inputs are laid out as
/// `[eq, w_0..w_{m-1}, w^→_{N_0}.., first?, last?]`.
pub(crate) struct OuterSummand {
    /// The quadratic constraints: `(ρ^k, A_k, B_k)`.
    quadratic: Vec<(Fr, Compiled, Compiled)>,
    /// Everything linear: `Σ_k ρ^k (const-factor products − C_k)`.
    linear: Compiled,
    /// Index of `first` / `last` in the inputs, if used.
    pub(crate) first: Option<usize>,
    pub(crate) last: Option<usize>,
    /// The columns used as `Next`, in input order (`1 + m + i`).
    pub(crate) next_cols: Vec<usize>,
    /// Number of inputs.
    pub(crate) num_inputs: usize,
}

impl OuterSummand {
    pub(crate) fn new(r1cs: &UniformR1cs, rho: Fr) -> Result<Self, R1csError> {
        r1cs.validate()?;
        let m = r1cs.num_columns();
        let next_cols = r1cs.next_columns();
        let uses = |v: Var| r1cs.constraints.iter().any(|c| c.vars().any(|w| w == v));
        let mut num_inputs = 1 + m + next_cols.len();
        let first = uses(Var::First).then(|| {
            num_inputs += 1;
            num_inputs - 1
        });
        let last = uses(Var::Last).then(|| {
            num_inputs += 1;
            num_inputs - 1
        });
        let index = |v: Var| -> Option<usize> {
            match v {
                Var::Cur(j) => Some(1 + j),
                Var::Next(j) => next_cols.iter().position(|k| *k == j).map(|p| 1 + m + p),
                Var::First => first,
                Var::Last => last,
                // Validated above: no public value is left unbound.
                Var::One | Var::Public(_) => None,
            }
        };
        let compile = |l: &LinComb, scale: Fr| -> Compiled {
            let mut out = Compiled::default();
            for (v, c) in &l.simplified().terms {
                match index(*v) {
                    Some(i) => out.terms.push((i, Coeff::new(*c * scale))),
                    None => out.constant += *c * scale,
                }
            }
            out
        };
        let constant_of = |l: &LinComb| -> Option<Fr> {
            let s = l.simplified();
            match s.terms.as_slice() {
                [] => Some(Fr::zero()),
                [(Var::One, c)] => Some(*c),
                _ => None,
            }
        };
        let mut quadratic = Vec::new();
        let mut linear_lc = LinComb::zero();
        let mut power = Fr::one();
        for c in &r1cs.constraints {
            match (constant_of(&c.a), constant_of(&c.b)) {
                (Some(ka), _) => linear_lc = linear_lc + c.b.clone() * (ka * power),
                (None, Some(kb)) => linear_lc = linear_lc + c.a.clone() * (kb * power),
                (None, None) => {
                    quadratic.push((power, compile(&c.a, Fr::one()), compile(&c.b, Fr::one())))
                }
            }
            linear_lc = linear_lc - c.c.clone() * power;
            power *= rho;
        }
        Ok(Self {
            quadratic,
            linear: compile(&linear_lc, Fr::one()),
            first,
            last,
            next_cols,
            num_inputs,
        })
    }

    /// `Σ_k ρ^k (A_k B_k − C_k)` on the inputs (the `eq` factor at index 0 is not applied).
    #[inline]
    pub(crate) fn constraints(&self, vals: &[Fr]) -> Fr {
        let mut acc = self.linear.eval(vals);
        for (p, a, b) in &self.quadratic {
            acc += *p * a.eval(vals) * b.eval(vals);
        }
        acc
    }

    /// The full summand `eq · Σ_k ρ^k (A_k B_k − C_k)`.
    #[inline]
    pub(crate) fn eval(&self, vals: &[Fr]) -> Fr {
        vals.first().copied().unwrap_or_default() * self.constraints(vals)
    }
}

/// `γ^0, γ^1, …, γ^{k-1}`.
pub(crate) fn powers(gamma: Fr, k: usize) -> Vec<Fr> {
    let mut out = Vec::with_capacity(k);
    let mut p = Fr::one();
    for _ in 0..k {
        out.push(p);
        p *= gamma;
    }
    out
}
