//! The zkvm prover: the proof-system core and the one constraint system both ISAs lower to.
//!
//! ```text
//!   transcript ── poly ── sumcheck ── spartan (uniform R1CS over r1cs) ──┐
//!        │                   └────── gkr (LogUp fractional sums) ───────┼── zkvm proofs
//!        └────────────────── pcs (Dory) ────────────────────────────────┘
//! ```
pub mod baseline;
pub mod format;
pub mod gkr;
pub mod lower;
pub mod machine;
pub mod pcs;
pub mod pipeline;
pub mod poly;
pub mod proof;
pub mod r1cs;
pub mod spartan;
pub mod sumcheck;
pub mod transcript;
