//! The execution trace: one [`Step`] per executed instruction, and the run [`Summary`].

use serde::Serialize;

use crate::emulator::syscall;
use crate::instruction::{InstrClass, Instruction, Opcode};

/// One executed instruction, as the prover's witness generator consumes it.
///
/// Register values are those read before the instruction executes; `rd_val` is the instruction's
/// result, written to `rd` unless `rd` is x0 (0 when the instruction has no result), and `rd_old`
/// is the value it overwrites. For `ecall`, `rs1_val` and `rs2_val` are 0 and the effect is in
/// [`Step::syscall`]: `read` and `write` also write the byte count (`bytes.len()`) to a0 (x10),
/// which is recorded in `rd_val` (and a0 before the call in `rd_old`). With the old values of
/// registers and memory words recorded, the trace alone gives every row: nothing is replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Address of the instruction.
    pub pc: u32,
    /// The decoded instruction.
    pub instr: Instruction,
    /// Value of rs1 (0 when unused).
    pub rs1_val: u32,
    /// Value of rs2 (0 when unused).
    pub rs2_val: u32,
    /// The result, written to rd unless rd is x0 (0 if none); for `ecall` read/write, the new a0.
    pub rd_val: u32,
    /// rd before the instruction (0 when rd is x0 or absent); for `ecall` read/write, a0 before
    /// the call.
    pub rd_old: u32,
    /// The load or store, if any.
    pub mem: Option<MemAccess>,
    /// The system call, if the instruction is `ecall` (boxed: a step is stored per cycle, a call
    /// is rare).
    pub syscall: Option<Box<SyscallRecord>>,
}

/// One load or store. Every access is naturally aligned (misaligned accesses fault).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemAccess {
    /// Byte address.
    pub addr: u32,
    /// Width in bytes: 1, 2 or 4.
    pub width: u8,
    /// For a load, the value written to rd (after sign or zero extension); for a store, the
    /// value stored (the low `width` bytes of rs2, zero-extended).
    pub value: u32,
    /// Whether this is a store.
    pub store: bool,
    /// The aligned word holding the accessed bytes (at `addr & !3`) before the access; bytes
    /// outside guest memory (where an unaligned image leaves part of a word) read as 0.
    pub word_old: u32,
}

impl MemAccess {
    /// The aligned word after the access: `word_old` for a load, with the stored bytes replaced
    /// for a store.
    pub fn word_new(&self) -> u32 {
        if !self.store {
            return self.word_old;
        }
        let shift = 8 * (self.addr & 3);
        let mask: u32 = match self.width {
            1 => 0xff,
            2 => 0xffff,
            _ => u32::MAX,
        };
        (self.word_old & !(mask << shift)) | ((self.value & mask) << shift)
    }
}

/// The effect of one `ecall`, with the argument registers the call read ([`SyscallRecord::args`]).
///
/// `words_old` of `read` and `write` holds each aligned word the buffer's bytes touch (from the
/// word at `addr & !3` to the word of the last byte, in address order) before the call, with
/// bytes outside guest memory read as 0; it is empty when no bytes moved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyscallRecord {
    /// `exit` (93).
    Exit {
        /// a0.
        code: u32,
        /// a1 at the call (unused by `exit`; the prover's row reads it).
        a1: u32,
        /// a2 at the call (unused by `exit`; the prover's row reads it).
        a2: u32,
    },
    /// `write` (64): `bytes` read from guest memory at `addr`.
    Write {
        /// File descriptor (1 public output, 2 debug): a0.
        fd: u32,
        /// Buffer address: a1.
        addr: u32,
        /// The bytes written; their count is a2.
        bytes: Vec<u8>,
        /// The words the buffer touches (the write leaves them unchanged).
        words_old: Vec<u32>,
    },
    /// `read` (63): `bytes` of private input stored to guest memory at `addr`.
    Read {
        /// File descriptor (0): a0.
        fd: u32,
        /// Buffer address: a1.
        addr: u32,
        /// The number of bytes asked for: a2.
        count: u32,
        /// The bytes stored (possibly fewer than asked for; empty at end of input).
        bytes: Vec<u8>,
        /// The words the stored bytes touch, before the call.
        words_old: Vec<u32>,
    },
}

impl SyscallRecord {
    /// The registers the call read, `[a0, a1, a2, a7]`: a7 is the call's number.
    pub fn args(&self) -> [u32; 4] {
        match self {
            SyscallRecord::Exit { code, a1, a2 } => [*code, *a1, *a2, syscall::EXIT],
            SyscallRecord::Write {
                fd, addr, bytes, ..
            } => [*fd, *addr, bytes.len() as u32, syscall::WRITE],
            SyscallRecord::Read {
                fd, addr, count, ..
            } => [*fd, *addr, *count, syscall::READ],
        }
    }
}

/// Counts of a run: cycles (one per instruction) and the instruction mix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Instructions executed, the final `ecall` included.
    pub cycles: u64,
    /// Executions per opcode, indexed by `Opcode as usize`.
    pub per_opcode: Vec<u64>,
}

impl Summary {
    /// How many times `op` executed.
    pub fn count(&self, op: Opcode) -> u64 {
        self.per_opcode.get(op as usize).copied().unwrap_or(0)
    }

    /// Executions per instruction class, in [`InstrClass::ALL`] order.
    pub fn per_class(&self) -> Vec<(InstrClass, u64)> {
        InstrClass::ALL
            .iter()
            .map(|&c| {
                let n = Opcode::ALL
                    .iter()
                    .filter(|o| o.class() == c)
                    .map(|&o| self.count(o))
                    .sum();
                (c, n)
            })
            .collect()
    }

    /// The opcodes that executed at least once, with their counts, most frequent first.
    pub fn mix(&self) -> Vec<(Opcode, u64)> {
        let mut v: Vec<(Opcode, u64)> = Opcode::ALL
            .iter()
            .map(|&o| (o, self.count(o)))
            .filter(|&(_, n)| n > 0)
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}
