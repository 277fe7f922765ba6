//! Multilinear polynomial commitments: Dory ([`dory::DoryPcs`]), the one scheme the prover uses.
//! (There is no `Pcs` trait: it had one implementation and every caller named it; a trait
//! returns with a second scheme.)
//!
//! A polynomial in `n` variables is committed by its `2^n` hypercube values (the [`DenseMle`]
//! convention: big-endian, `x_0` is the most significant index bit). Openings are batched: many
//! committed polynomials are opened at one point `r` by opening a random linear combination once
//! (the commitment is additively homomorphic).
//!
//! **Polynomials of different sizes** may share a batch: a polynomial with `n_i < n = r.len()`
//! variables is opened at the last `n_i` coordinates `r[n - n_i..]` — the same convention as the
//! batched sumcheck ([`crate::sumcheck::prove_batch`]), where a shorter instance ignores the first
//! variables. (Internally it is treated as its zero-padding to `n` variables, whose value at `r`
//! is `Π_{k < n - n_i} (1 - r_k) · p_i(r[n - n_i..])`.)

//!
//! **Setup.** [`DoryPcs`]'s setup is transparent: its generators are hashed to the curve from a
//! public seed, so every machine derives the same parameters and nobody knows a trapdoor. The
//! verifier part costs a few thousand pairings to derive, so both parts are cached on disk in
//! `$ZKVM_CACHE_DIR` (default `~/.cache/zkvm`) as `dory-bn254-L<vars>-v1.bin`, with a checksum;
//! a missing or corrupt file is regenerated and rewritten atomically.
//!
//! **Small values.** Row commitments use precomputed multiples of the fixed generators
//! (`msm.rs`), where a zero byte of a scalar costs nothing: [`DoryPcs::commit_small`] commits to
//! `u64` values directly, and bits and `u32` words cost a small fraction of a random field
//! element (measured in `benches/pcs.rs`). [`crate::spartan::prove_uniform`] picks it automatically for
//! every column whose values fit in 64 bits.

pub mod dory;
mod msm;
mod one_hot;
pub mod reduce;
mod setup_cache;

pub use dory::{DoryCommitment, DoryPcs, DoryProof, DoryProverData, DorySetup};
pub use setup_cache::{cache_dir, CACHE_DIR_ENV};

use crate::poly::DenseMle;

use ark_bn254::Fr;

/// Transcript labels of the commitment layer.
pub mod labels {
    /// The opening point of a batch.
    pub const OPEN_POINT: &[u8] = b"pcs-open-point";
    /// The claimed evaluations of a batch.
    pub const OPEN_EVALS: &[u8] = b"pcs-open-evals";
    /// The number of variables of each polynomial of a batch.
    pub const OPEN_NUM_VARS: &[u8] = b"pcs-open-num-vars";
    /// Prefix of every label the Dory protocol itself absorbs.
    pub const DORY_PREFIX: &[u8] = b"dory/";
}

/// Why committing, opening or verifying failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PcsError {
    /// A polynomial is larger than the setup supports.
    #[error("polynomial with {num_vars} variables exceeds the setup's maximum of {max}")]
    TooLarge {
        /// The polynomial's variables.
        num_vars: usize,
        /// The setup's maximum.
        max: usize,
    },
    /// Inputs of a batch do not fit together.
    #[error("invalid batch: {0}")]
    InvalidBatch(String),
    /// A polynomial with more variables than the opening point.
    #[error("polynomial {index} has {num_vars} variables but the point has {point_len}")]
    PointTooShort {
        /// Index in the batch.
        index: usize,
        /// Its variables.
        num_vars: usize,
        /// The point's dimension.
        point_len: usize,
    },
    /// The proof's shape does not match the statement.
    #[error("malformed opening proof: {0}")]
    MalformedProof(String),
    /// The Dory verifier rejected the opening.
    #[error("opening proof rejected: {0}")]
    Rejected(String),
    /// The setup could not be created, read or written.
    #[error("setup: {0}")]
    Setup(String),
}

/// The values of `polys` at `point`, each at the tail of `point` matching its size.
pub fn evaluate_batch(polys: &[&DenseMle], point: &[Fr]) -> Result<Vec<Fr>, PcsError> {
    let n = point.len();
    let mut sizes: Vec<usize> = polys.iter().map(|p| p.num_vars()).collect();
    for (index, num_vars) in sizes.iter().enumerate() {
        if *num_vars > n {
            return Err(PcsError::PointTooShort {
                index,
                num_vars: *num_vars,
                point_len: n,
            });
        }
    }
    sizes.sort_unstable();
    sizes.dedup();
    // One eq table per distinct size.
    let tables: Vec<(usize, Vec<Fr>)> = sizes
        .iter()
        .map(|&m| (m, crate::poly::eq_table(&point[n - m..])))
        .collect();
    Ok(polys
        .iter()
        .map(|p| {
            let table = tables
                .iter()
                .find(|(m, _)| *m == p.num_vars())
                .map(|(_, t)| t.as_slice())
                .unwrap_or(&[]);
            crate::poly::inner_product(p.evals(), table)
        })
        .collect())
}
