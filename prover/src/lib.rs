//! The zkvm prover: the one constraint system both ISAs lower to ([`lower`], [`machine`]), its
//! proofs ([`proof`]) and the pipeline from a program to a verified proof ([`pipeline`]), over
//! the proof-system core in `zkvm-core` (re-exported here under its module names).
//!
//! ```text
//!   zasm trace ──┐                                      ┌─ spartan (R1CS rows)
//!                ├─ lower ── Machine + witness ── proof ┼─ gkr (memory, lookups, output)
//!   RV32IM trace ┘                                      └─ pcs (commitments, openings)
//! ```
pub mod baseline;
pub mod lower;
pub mod machine;
pub mod pipeline;
pub mod proof;
pub mod shards;

pub use zkvm_core::{format, gkr, pcs, poly, r1cs, shout, spartan, sumcheck, transcript};
