//! The soundness suite: a malicious prover builds a witness or a proof of a false statement,
//! proves it with the real prover, and the verifier that `zkvm verify` runs rejects it.
//!
//! Each test changes one thing, patches what follows from it ([`forge::Forge::complete`]), and
//! asserts which check caught it: the constraints the row checker finds unsatisfied, the
//! multisets that do not balance (memory, public output, instruction fetch, ranges, bitwise),
//! and the verifier's stage. So each test pins down one mechanism: removing that constraint or
//! lookup turns it red.
//!
//! - [`control`], [`control_rv32im`]: register updates, transitions, the first and the last
//!   row;
//! - [`zasm`]: the zasm CPU and ALU, memory checking, the bytecode table, the public output;
//! - [`rv32im`]: the RV32IM ALU, memory permissions, system calls and the input stream;
//! - [`io`]: RV32IM byte-exact reads and writes: lanes, chunks, output lanes;
//! - [`rv32im_pins`]: one RV32IM forgery per check no other test pinned;
//! - [`elf_layout`]: RV32IM programs whose segments are not 4-byte aligned;
//! - [`proof_level`]: tampered proof files, claimed sizes, the program and the exit code;
//! - [`shout_fetch`]: instruction fetch by Shout: forged fetches and tampered Shout proofs;
//! - [`split_tables`]: short runs' split range and bitwise tables: forged halves, relabelled
//!   proofs;
//! - [`shards`]: runs proven in shards: shards reordered, dropped, duplicated or spliced, the
//!   memory or the state at a boundary changed, output moved, proofs reused;
//! - [`twist_memory`]: memory checked by Twist: forged address bits, accesses beyond the memory,
//!   tampered and relabelled proofs (forged reads under Twist are beside their offline twins,
//!   `…_by_twist`).

mod control;
mod control_rv32im;
mod coverage;
mod elf_layout;
mod forge;
mod io;
mod isolation;
mod proof_level;
mod rv32im;
mod rv32im_pins;
mod shards;
mod shout_fetch;
mod split_tables;
mod twist_memory;
mod zasm;
