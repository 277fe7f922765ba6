//! The sumcheck protocol (Lund–Fortnow–Karloff–Nisan 1992; Thaler, *Proofs, Arguments and
//! Zero-Knowledge*, §4.1): prover and verifier.
//!
//! The prover convinces the verifier that `Σ_{x∈{0,1}^n} g(p_1(x), …, p_k(x)) = claim` for
//! multilinear `p_j` and a combining function `g` of total degree `≤ d`. Round `i` sends the
//! univariate round polynomial `s_i(X) = Σ_{x'} g(p(r_0, …, r_{i-1}, X, x'))` as its values at
//! `0, 1, …, d`; both sides absorb it into the transcript and squeeze the challenge `r_i`. The
//! variables are bound top first (`x_0` first, see [`crate::poly`]), so the challenges form the
//! evaluation point directly.
//!
//! The verifier ([`verify`]) does not learn the `p_j`: it returns a [`SubClaim`] — the point `r`
//! and the value `g(p(r))` must take there — which the caller discharges (by a commitment opening,
//! or by evaluating a polynomial it knows).
//!
//! Several instances are batched ([`prove_batch`], [`verify_batch`]) with a random linear
//! combination; an instance with `n_i < n` variables is treated as a polynomial in `n` variables
//! that ignores the first `n - n_i`, so its claim is scaled by `2^(n - n_i)` and its sub-claim
//! point is the last `n_i` coordinates of `r` (the "front-loaded" batching of Jolt).

mod prover;
mod verifier;

pub use prover::{prove, prove_batch, prove_zero_check, BatchInstance, Combine};
pub use verifier::{interpolate, verify, verify_batch, BatchSubClaim};

use ark_bn254::Fr;

/// Transcript labels of the sumcheck protocol.
pub mod labels {
    /// A round polynomial's values at `0, 1, …, d`.
    pub const ROUND_POLY: &[u8] = b"sumcheck-round-poly";
    /// The claimed sums of a batch of instances.
    pub const BATCH_CLAIMS: &[u8] = b"sumcheck-batch-claims";
    /// The number of variables of each batched instance.
    pub const BATCH_NUM_VARS: &[u8] = b"sumcheck-batch-num-vars";
}

/// A sumcheck proof: the round polynomials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SumcheckProof {
    /// Round `i`: the round polynomial's values at `0, 1, …, degree`.
    pub rounds: Vec<Vec<Fr>>,
}

// At most 64 rounds: one per variable.
crate::impl_serialization!(SumcheckProof { rounds: vecs(64) });

/// What is left after the sumcheck: the combined polynomial must take `expected` at `point`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubClaim {
    /// The challenge point `r = (r_0, …, r_{n-1})`, `x_0` first.
    pub point: Vec<Fr>,
    /// The value `g(p_1(r), …, p_k(r))` must take.
    pub expected: Fr,
}

/// Why a sumcheck proof was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SumcheckError {
    /// The proof has the wrong number of rounds.
    #[error("sumcheck proof has {got} rounds, expected {expected}")]
    WrongNumberOfRounds {
        /// Rounds expected (the number of variables).
        expected: usize,
        /// Rounds in the proof.
        got: usize,
    },
    /// A round polynomial has the wrong number of values.
    #[error("round {round}: round polynomial has {got} values, expected {expected}")]
    WrongDegree {
        /// The round.
        round: usize,
        /// `degree + 1`.
        expected: usize,
        /// Values sent.
        got: usize,
    },
    /// `s_i(0) + s_i(1)` differs from the running claim.
    #[error("round {round}: s(0) + s(1) = {got}, expected {expected}")]
    RoundCheckFailed {
        /// The round.
        round: usize,
        /// The running claim.
        expected: Fr,
        /// `s(0) + s(1)`.
        got: Fr,
    },
    /// A batch was given inconsistent parameters.
    #[error("invalid batch: {0}")]
    InvalidBatch(String),
    /// The final evaluation does not match the sub-claim.
    #[error("final evaluation {got} differs from the sub-claim {expected}")]
    FinalEvaluationMismatch {
        /// The value the sub-claim requires.
        expected: Fr,
        /// The value computed from the claimed evaluations.
        got: Fr,
    },
}

#[cfg(test)]
mod tests;
