//! LogUp-GKR: a GKR proof of a sum of fractions, `Σ_x p(x) / q(x)`, that commits nothing beyond
//! the leaves (Papini–Haböck, *Improving logarithmic derivative lookups using GKR*, ePrint
//! 2023/1284, §3; the layer sumchecks are Thaler's GKR layer reduction, *Proofs, Arguments and
//! Zero-Knowledge* §4.6, with the `eq` polynomial of Libra/Thaler 2013 in place of the wiring
//! predicates).
//!
//! # The tree
//!
//! The `2^n` leaves are the fractions `p(x) / q(x)` for `x ∈ {0,1}^n`. Layer `m` of the binary
//! tree has `2^m` nodes (layer `n` is the leaves, layer `0` the root), and node `x` of layer `m`
//! adds its two children `2x` and `2x + 1` of layer `m + 1` as projective fractions:
//!
//! ```text
//!   p_m(x) = p_{m+1}(x,0)·q_{m+1}(x,1) + p_{m+1}(x,1)·q_{m+1}(x,0)
//!   q_m(x) = q_{m+1}(x,0)·q_{m+1}(x,1)
//! ```
//!
//! With the big-endian variable order of [`crate::poly`] (`x_0` most significant), the child bit
//! is the **last** variable of layer `m + 1`: a node's children are adjacent in memory.
//!
//! # The protocol
//!
//! The prover sends the root `p_0 / q_0`; it is absorbed before any challenge. Then for each layer
//! `m = 0, …, n-1` the verifier holds claims `p_m(r) = P`, `q_m(r) = Q` at a point `r ∈ F^m`,
//! squeezes `λ`, and the two are reduced at once by one sumcheck of degree 3 over `m` variables:
//!
//! ```text
//!   P + λ·Q = Σ_x eq(r, x)·[ p(x,0)q(x,1) + p(x,1)q(x,0) + λ·q(x,0)q(x,1) ]   (children of layer m+1)
//! ```
//!
//! The sumcheck ends at a point `r'`; the prover sends the four child values
//! `p(r',0), p(r',1), q(r',0), q(r',1)`, the verifier checks the sumcheck's final value against
//! them, squeezes `μ`, and the next claims are the line through the children at `μ`:
//! `p_{m+1}(r', μ) = p(r',0) + μ·(p(r',1) − p(r',0))`, likewise for `q`. At layer 0 the sumcheck has
//! no rounds and the check is direct. After the last layer the verifier holds
//! `p(point) = p_eval`, `q(point) = q_eval` at a random `point ∈ F^n` — the [`LeafClaim`], which the
//! **caller** must check by evaluating or opening the leaf polynomials.
//!
//! # Batching
//!
//! [`prove_batch`]/[`verify_batch`] prove several independent instances, of possibly different
//! sizes `n_i`, with one sumcheck per layer. With `N = max n_i`, instance `i` joins at global
//! layer `s_i = N − n_i`: at global layer `k ≥ s_i` it is at its own layer `k − s_i`, and its
//! claims are at the last `k − s_i` coordinates of the common point `r ∈ F^k`. Its summand
//! ignores the first `s_i` variables of the layer sumcheck, and since `Σ_x eq(r, x) = 1` over
//! those, no scaling is needed; the final check multiplies every summand by the full
//! `eq(r, r')`. So instance `i`'s [`LeafClaim`] point is the last `n_i` coordinates of the final
//! point. In layer `k` instance `i` is weighted by `λ^{2i}` (numerator) and `λ^{2i+1}`
//! (denominator), with a fresh `λ` per layer.
//!
//! # Transcript
//!
//! Absorbed in order: the sizes `n_i` ([`labels::NUM_VARS`]), all roots ([`labels::ROOTS`]); then
//! per layer: `λ` is squeezed, the sumcheck's round polynomials (the messages of
//! [`crate::sumcheck::prove`]), the child values ([`labels::CHILDREN`]), and `μ` is squeezed.
//!
//! # Cost
//!
//! The prover holds the whole tree (about twice the leaves) and does about 15 field
//! multiplications per leaf: 3 to build the tree, 12 in the layer sumchecks (round sums with
//! Gruen's `eq` factoring, then binding), all rayon-parallel; see `benches/gkr.rs`.

//! # Use for LogUp
//!
//! For a lookup of `f_i` into a table `t_j` with multiplicities `m_j` and a challenge `α`, prove
//! `Σ 1/(α − f_i)` and `Σ m_j/(α − t_j)` (pad with `p = 0, q = 1`) and check that the two root
//! fractions are equal (`a·d = c·b`, both denominators nonzero). [`verify`] rejects a root with a
//! zero denominator.
//!
//! Main items: [`prove`], [`verify`], [`prove_batch`], [`verify_batch`], [`FractionalSumProof`],
//! [`RootFraction`], [`LeafClaim`], [`GkrError`].

mod prover;
mod verifier;

pub use prover::{prove, prove_batch};
pub use verifier::{verify, verify_batch};

use crate::sumcheck::{SumcheckError, SumcheckProof};
use ark_bn254::Fr;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

/// Transcript labels of the fractional-sum GKR protocol.
pub mod labels {
    /// The number of variables of each instance.
    pub const NUM_VARS: &[u8] = b"gkr-num-vars";
    /// The root fractions (numerator, denominator) of every instance.
    pub const ROOTS: &[u8] = b"gkr-roots";
    /// The four child values of every active instance after a layer's sumcheck.
    pub const CHILDREN: &[u8] = b"gkr-children";
}

/// The largest number of variables an instance may have (the verifier rejects more).
pub const MAX_NUM_VARS: usize = 48;

/// The sum of all leaf fractions, as a projective fraction `numerator / denominator`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct RootFraction {
    /// Numerator of the root.
    pub numerator: Fr,
    /// Denominator of the root (the product of all leaf denominators).
    pub denominator: Fr,
}

/// What the verifier is left with: the leaf polynomials must take these values at `point`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafClaim {
    /// The evaluation point, `x_0` first (length `n`).
    pub point: Vec<Fr>,
    /// The claimed value `p(point)` of the numerator polynomial.
    pub p_eval: Fr,
    /// The claimed value `q(point)` of the denominator polynomial.
    pub q_eval: Fr,
}

/// The children of a node at the layer's sumcheck point `r'`: the four values the prover sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct ChildValues {
    /// `p_{m+1}(r', 0)`.
    pub p_left: Fr,
    /// `p_{m+1}(r', 1)`.
    pub p_right: Fr,
    /// `q_{m+1}(r', 0)`.
    pub q_left: Fr,
    /// `q_{m+1}(r', 1)`.
    pub q_right: Fr,
}

impl ChildValues {
    /// The numerator of the sum of the two child fractions.
    pub fn numerator(&self) -> Fr {
        self.p_left * self.q_right + self.p_right * self.q_left
    }

    /// The denominator of the sum of the two child fractions.
    pub fn denominator(&self) -> Fr {
        self.q_left * self.q_right
    }

    /// The claims at the next layer: the children's line evaluated at `mu`.
    pub fn at(&self, mu: Fr) -> (Fr, Fr) {
        (
            self.p_left + mu * (self.p_right - self.p_left),
            self.q_left + mu * (self.q_right - self.q_left),
        )
    }

    fn to_array(self) -> [Fr; 4] {
        [self.p_left, self.p_right, self.q_left, self.q_right]
    }
}

/// The proof of one layer `m → m + 1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerProof {
    /// The degree-3 sumcheck over `m` variables (no rounds at layer 0).
    pub sumcheck: SumcheckProof,
    /// The child values of each instance active at this layer, in instance order.
    pub children: Vec<ChildValues>,
}

/// A proof of one or several fractional sums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FractionalSumProof {
    /// The root of each instance.
    pub roots: Vec<RootFraction>,
    /// One proof per layer, root first (`max n_i` layers).
    pub layers: Vec<LayerProof>,
}

// Serialization goes through the bounded vector helpers of `crate::format`: arkworks' own `Vec`
// impl reserves whatever length the input claims.
crate::impl_serialization!(LayerProof {
    sumcheck: one,
    children: vec,
});

crate::impl_serialization!(FractionalSumProof { roots: vec, layers: vec }
    if |p| p.layers.len() <= MAX_NUM_VARS);

/// Why a fractional-sum proof was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GkrError {
    /// No instance was given, or the verifier's parameters are unusable.
    #[error("invalid parameters: {0}")]
    InvalidParameters(String),
    /// The proof has the wrong number of root fractions.
    #[error("proof has {got} root fractions, expected {expected}")]
    WrongNumberOfRoots {
        /// Instances expected.
        expected: usize,
        /// Roots in the proof.
        got: usize,
    },
    /// A root fraction has denominator zero (not a fraction; the sum is undefined).
    #[error("root {instance} has denominator zero")]
    ZeroDenominator {
        /// The instance.
        instance: usize,
    },
    /// The proof has the wrong number of layers.
    #[error("proof has {got} layers, expected {expected}")]
    WrongNumberOfLayers {
        /// Layers expected (`max n_i`).
        expected: usize,
        /// Layers in the proof.
        got: usize,
    },
    /// A layer carries the wrong number of child-value sets.
    #[error("layer {layer}: {got} child-value sets, expected {expected}")]
    WrongNumberOfChildren {
        /// The layer.
        layer: usize,
        /// Instances active at this layer.
        expected: usize,
        /// Sets in the proof.
        got: usize,
    },
    /// A layer's sumcheck was rejected.
    #[error("layer {layer}: {error}")]
    Sumcheck {
        /// The layer.
        layer: usize,
        /// The sumcheck's error (with its round).
        error: SumcheckError,
    },
    /// The child values do not give the sumcheck's final value.
    #[error("layer {layer}: child values give {got}, the sumcheck requires {expected}")]
    LayerCheckFailed {
        /// The layer.
        layer: usize,
        /// The value the sumcheck left to check.
        expected: Fr,
        /// The value computed from the child values.
        got: Fr,
    },
}
