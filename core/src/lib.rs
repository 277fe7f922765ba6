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
//! [`shout`] is the read-only memory argument of Twist and Shout: [`shout::bits`] (addresses
//! committed as their bits) proves the zkVM's instruction fetch with `--fetch shout`; the
//! `d = 1` form (with [`one_hot`] addresses, committed and opened sparsely by
//! [`pcs::DoryPcs::commit_one_hot`] and [`pcs::DoryPcs::open_one_hot_batch`]) is tested and
//! benchmarked on its own. [`twist`] is its read-write memory argument (`d = 1`, one-hot
//! addresses and virtual increments), tested and benchmarked on its own beside offline memory
//! checking until the zkVM's memory slots use it. [`pcs::reduce`] turns claims at several points
//! into one opening.
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
pub mod twist;
