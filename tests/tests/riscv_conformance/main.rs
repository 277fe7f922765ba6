//! RV32IM conformance: the example guests, small C and assembly programs built with
//! riscv64-unknown-elf-gcc, and seeded random instruction streams, each run on zkvm and under
//! qemu-riscv32 with byte-identical output and the same exit code required. Tests that need a
//! missing tool print a NOTICE and skip that part, except with `CI` set, where they fail.
//!
//! One test binary, so that each example guest is built once per run.

mod common;
mod guests;
mod programs;
mod random;
