//! The proof-system core of zkvm, standing alone: it knows nothing of either instruction set,
//! of lowering or of memory checking. `zkvm-prover` builds the zkVM's constraint system and its
//! proofs on top of it; nothing here depends on a crate of this workspace.
//!
//! ```text
//!   transcript ── poly ── sumcheck ── spartan (uniform R1CS over r1cs) ──┐
//!        │                   └────── gkr (LogUp fractional sums) ───────┼── zkvm proofs
//!        └────────────────── pcs (Dory) ────────────────────────────────┘
//! ```
pub mod format;
pub mod gkr;
pub mod one_hot;
pub mod pcs;
pub mod poly;
pub mod r1cs;
pub mod shout;
pub mod spartan;
pub mod sumcheck;
pub mod transcript;
