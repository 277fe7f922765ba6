//! What the verifier derives from the program alone: the bytecode table, the RAM's base and
//! word addresses, the memory permissions, the initial memory, and the program digest.

use std::collections::HashMap;

use ark_bn254::Fr;
use zkvm_riscv::{Opcode, Program};

use super::flags::bytecode_row;
use super::NUM_REGS;
use crate::machine::ProgramDigest;

/// The bytecode-table row of each `(pc, sub)`.
pub type BytecodeIndex = HashMap<(u32, bool), usize>;

/// The public bytecode table of a program: one row per supported instruction of its executable
/// segments (two for an `ecall`), and the table row of each `(pc, sub)`.
pub fn bytecode_table(program: &Program) -> (Vec<Vec<Fr>>, BytecodeIndex) {
    let mut rows = Vec::new();
    let mut index = HashMap::new();
    for (pc, decoded) in program.code() {
        let Ok(instr) = decoded else { continue };
        let subs: &[bool] = if instr.opcode() == Opcode::Ecall {
            &[false, true]
        } else {
            &[false]
        };
        for &sub in subs {
            if let Some(row) = bytecode_row(rows.len(), pc, &instr, sub) {
                index.insert((pc, sub), rows.len());
                rows.push(row);
            }
        }
    }
    (rows, index)
}

/// `base`: the lowest loadable address rounded down to 4.
pub fn ram_base(program: &Program) -> u32 {
    program.span().0 & !3
}

/// The memory address of the RAM word at byte address `addr` (≥ `base`).
pub fn word_address(base: u32, addr: u32) -> u64 {
    NUM_REGS + u64::from((addr & !3) - base) / 4
}

/// Permissions of the memory cells, as the interpreter enforces them: registers read-write;
/// a RAM word read-write when each of its four bytes lies in a 256-byte page that belongs only
/// to writable, non-executable segments, read-only when its bytes all lie in the loaded span,
/// inaccessible otherwise (a word cut by the span's edge, when it is not 4-aligned, too).
pub fn permission_ranges(program: &Program) -> Vec<(u64, u64, u64)> {
    use zkvm_riscv::elf::PAGE_SHIFT;
    let (lo, hi) = program.span();
    let base = ram_base(program);
    let writable = program.writable_pages();
    let mut ranges = vec![(0, NUM_REGS, 2)];
    let words = (hi.saturating_sub(u64::from(base)) / 4) as usize;
    for i in 0..words {
        let a = u64::from(base) + 4 * i as u64;
        let byte_writable = |b: u64| writable[((b - u64::from(lo)) >> PAGE_SHIFT) as usize];
        let perm = if a < u64::from(lo) || a + 4 > hi {
            0
        } else if (a..a + 4).all(byte_writable) {
            2
        } else {
            1
        };
        let addr = NUM_REGS + i as u64;
        match ranges.last_mut() {
            Some(last) if last.1 == addr && last.2 == perm => last.1 = addr + 1,
            _ if perm != 0 => ranges.push((addr, addr + 1, perm)),
            _ => {}
        }
    }
    ranges
}

/// The public output of a run as field elements: its stdout, one element per byte.
pub fn public_output_bytes(stdout: &[u8]) -> Vec<Fr> {
    stdout.iter().map(|b| Fr::from(*b)).collect()
}

/// The bytes of a public output of byte elements, or `None` if an element is not a byte.
pub fn output_bytes(output: &[Fr]) -> Option<Vec<u8>> {
    output
        .iter()
        .map(|v| crate::poly::small_value(*v).and_then(|b| u8::try_from(b).ok()))
        .collect()
}

/// The initial memory of a table of `2^mem_log_size` cells: the image's nonzero words at
/// and above `base` and the loader's registers (sp), as `(cell, value)`.
pub fn initial_memory(program: &Program, mem_log_size: usize) -> Vec<(u64, Fr)> {
    let base = ram_base(program);
    // A proof may claim any size; the verifier rejects oversized ones later, so never overflow.
    let size = u32::try_from(mem_log_size)
        .ok()
        .and_then(|k| 1u64.checked_shl(k))
        .unwrap_or(u64::MAX);
    let registers = zkvm_riscv::initial_registers(program)
        .into_iter()
        .enumerate()
        .filter(|(_, v)| *v != 0)
        .map(|(i, v)| (i as u64, Fr::from(v)));
    program
        .initial_words()
        .into_iter()
        .filter(|(a, v)| *v != 0 && *a >= base)
        .map(|(a, v)| (word_address(base, a), Fr::from(v)))
        .chain(registers)
        .filter(|(a, _)| *a < size)
        .collect()
}

/// The digest that identifies an RV32IM program (`zkvm id`): its entry point, bytecode table,
/// whole initial image and memory permissions.
pub fn program_digest(program: &Program) -> ProgramDigest {
    program_digest_of(
        program,
        &bytecode_table(program).0,
        &permission_ranges(program),
    )
}

pub fn program_digest_of(
    program: &Program,
    bytecode: &[Vec<Fr>],
    permissions: &[(u64, u64, u64)],
) -> ProgramDigest {
    // The initial registers follow the byte-addressed image, at 2^32 + i for register i.
    let registers = zkvm_riscv::initial_registers(program)
        .into_iter()
        .enumerate()
        .map(|(i, v)| ((1 << 32) + i as u64, v));
    let image: Vec<(u64, Fr)> = program
        .initial_words()
        .into_iter()
        .map(|(a, v)| (u64::from(a), v))
        .chain(registers)
        .filter(|(_, v)| *v != 0)
        .map(|(a, v)| (a, Fr::from(v)))
        .collect();
    ProgramDigest::new(
        "rv32im",
        program.entry.into(),
        bytecode,
        &image,
        Some(permissions),
    )
}
