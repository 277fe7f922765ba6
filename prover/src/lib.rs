//! The zkvm prover: the proof-system core and the one constraint system both ISAs lower to.
//!
//! ```text
//!   transcript ── poly ── sumcheck ── spartan ──┐
//!        │                   └─── gkr (LogUp) ──┼── (constraint system, lowering, zkvm proof)
//!        └────────── pcs (Dory) ────────────────┘
//! ```
pub mod poly;
pub mod transcript;
