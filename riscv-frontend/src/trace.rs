//! The execution trace: one [`Step`] per executed instruction, and the run [`Summary`].

use serde::Serialize;

use crate::instruction::{InstrClass, Instruction, Opcode};

/// One executed instruction, as the prover's witness generator consumes it.
///
/// Register values are those read before the instruction executes; `rd_val` is the instruction's
/// result, written to `rd` unless `rd` is x0 (0 when the instruction has no result). For
/// `ecall`, `rs1_val` and
/// `rs2_val` are 0 and the effect is in [`Step::syscall`]: `read` and `write` also write the byte
/// count (`bytes.len()`) to a0 (x10), which is recorded in `rd_val`.
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
    /// The load or store, if any.
    pub mem: Option<MemAccess>,
    /// The system call, if the instruction is `ecall`.
    pub syscall: Option<SyscallRecord>,
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
}

/// The effect of one `ecall`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyscallRecord {
    /// `exit` (93).
    Exit {
        /// a0.
        code: u32,
    },
    /// `write` (64): `bytes` read from guest memory at `addr`.
    Write {
        /// File descriptor (1 public output, 2 debug).
        fd: u32,
        /// Buffer address.
        addr: u32,
        /// The bytes written.
        bytes: Vec<u8>,
    },
    /// `read` (63): `bytes` of private input stored to guest memory at `addr`.
    Read {
        /// File descriptor (0).
        fd: u32,
        /// Buffer address.
        addr: u32,
        /// The bytes stored (possibly fewer than asked for; empty at end of input).
        bytes: Vec<u8>,
    },
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
