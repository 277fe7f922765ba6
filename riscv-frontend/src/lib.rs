//! The RV32IM frontend: ELF loader, decoder, interpreter, execution trace and guest builder.
//!
//! ```text
//!   ELF bytes --load_elf--> Program --run--> Execution { exit_code, stdout, stderr,
//!                              |                         trace: Option<Vec<Step>>, summary }
//!                    decode (once per word)
//!                              v
//!                        Instruction  (executed here, disassembled by the CLI,
//!                                      lowered by zkvm-prover)
//! ```
//!
//! - [`load_elf`] checks a static RV32 little-endian RISC-V executable and returns a
//!   [`Program`] (entry point, segments = initial memory image, symbols).
//! - [`decode`] turns a word into an [`Instruction`]; [`Instruction::operands`] gives rd, rs1,
//!   rs2 and the immediate, [`Instruction::opcode`] a dense [`Opcode`].
//! - [`run`] executes a program with a private input under a [`RunConfig`]; [`Emulator`] is the
//!   same interpreter with access to the partial output after an error.
//! - [`build_guest`] compiles a guest crate to an ELF (`zkvm build`).
//!
//! Sits beside `zkvm-vm` in the dependency chain: `cli -> prover -> riscv-frontend`; it knows
//! nothing of proving. Policies (misaligned accesses fault, memory bounds, system calls) are
//! documented on the [`emulator`] module.

pub mod elf;
pub mod emulator;
pub mod guest;
pub mod input;
pub mod instruction;
pub mod trace;

pub use elf::{load_elf, ElfError, Flags, Program, Segment, Symbol};
pub use emulator::{initial_registers, run, validate, Emulator, Execution, RunConfig, RunError};
pub use guest::{build_guest, BuildError, GUEST_TARGET};
pub use input::Input;
pub use instruction::{
    decode, DecodeError, Format, InstrClass, Instruction, Opcode, Operands, Reg,
};
pub use trace::{MemAccess, Step, Summary, SyscallRecord};
