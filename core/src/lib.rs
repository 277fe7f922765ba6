//! The proof-system core of zkvm, standing alone: it knows nothing of either instruction set,
//! of lowering or of a VM's memory. `zkvm-prover` builds the zkVM's constraint system and its
//! proofs on top of it; nothing here depends on a crate of this workspace.
//!
//! ```text
//!   transcript ── poly ── sumcheck ── spartan (uniform R1CS over r1cs) ──┐
//!        │                   └────── gkr (LogUp fractional sums) ───────┼── zkvm proofs
//!        └────────────────── pcs (Dory) ────────────────────────────────┘
//! ```
//!
//! [`shout`] (with [`one_hot`] addresses, committed and opened sparsely by
//! [`pcs::DoryPcs::commit_one_hot`] and [`pcs::DoryPcs::open_one_hot_batch`]) is the read-only
//! memory argument of Twist and Shout; it is tested on its own and not yet used by the zkVM's
//! proofs.
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
