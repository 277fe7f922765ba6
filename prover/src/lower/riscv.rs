//! RV32IM → the constraint system: one row per instruction (two or more per `ecall`), every 32-bit
//! result checked with range checks and lookups.
//!
//! # Memory
//! One read-write memory holds the registers and the RAM: register `xi` is address `i`
//! (`0..32`), and the RAM word at aligned byte address `A` is address `32 + (A − base)/4`, where
//! `base` is the lowest loadable segment address rounded down to 4 (public, from the ELF). The
//! initial memory is the ELF image (zeros elsewhere; registers 0 but `sp`, which is the loader's
//! stack top, [`zkvm_riscv::initial_registers`]), every cell initialised
//! (`init_flag = 1`: RISC-V memory starts as defined values). `mem_log_size` is log2 of the padded
//! number of addresses touched (computed by [`lower`], carried in the proof). Image words beyond
//! the table are dropped from the initial memory: no access can reach an address outside the
//! table, since its first read would find no initial tuple.
//!
//! Each row has four memory slots, in timestamp order: **rs1** (read), **rs2** (read), **ram**
//! (a load reads, a store writes) and **rd** (write). The register reads are always active (an
//! unused operand reads x0); the rd write is active iff the instruction writes rd **and rd ≠ 0**
//! (a bytecode field computed with the table), so x0 is never written and always reads 0.
//!
//! # Values are u32 by induction
//! Initial values are u32, and every value written is range-checked: `rd` by two 16-bit limbs
//! (`Range16`), stored words by construction (a u32 register, or a word with one byte or half
//! replaced by range-checked bytes), input words through the range-checked `aux` limbs. Operands
//! read may therefore be trusted as u32.
//!
//! # Instruction fetch and pc
//! The bytecode table row is `(row index, pc in bytes, ecall, sub, rs1, rs2, rd, imm, …flags)`;
//! the row index is the first element of the tuple. The pc is a byte address; next-pc
//! constraints are linear in it, and a misaligned or out-of-program target fails the fetch of the
//! next row. Instructions the lowering does not support (`ebreak`) are not in the table.
//!
//! # ALU (shared units, each group gated by its flags)
//! - **Operands** `X`, `Y` are given by their bytes `x_k`, `y_k`; the four lookups
//!   `(bw_op, x_k, y_k, r_k)` into [`TableId::Bitwise`] (active on every row) prove them bytes
//!   and give the bitwise result bytes `r_k`. `X = rs1` (the loaded word for byte/half accesses),
//!   `Y = rs2` or the immediate (`byte·2^24` / `half·2^16` for `lb`/`lh`, so that `Y`'s sign bit
//!   is the loaded value's). Sign bits `s1`, `s2` come from the top bytes:
//!   `Range16(512·(x_3 − 128·s1))`.
//! - ADD/ADDI/SUB/AUIPC: `sum = rd + carry·2^32`, carry boolean, rd range-checked; LUI: `rd = imm`.
//! - Comparisons (SLT*, branches): `aux = X − Y + 2^32·(lt − signed·(s1 − s2))` range-checked;
//!   equality through an inverse.
//! - Shifts: `shamt = y_0 & 31` by a bitwise lookup, its five bits give `pow = 2^shamt`, and
//!   `powr = 2^32/pow`. SLL: `X·pow = aux·2^32 + rd`; SRL/SRA: `X·powr = 2^32·(rd − 2^32·sp) + aux`
//!   with `X` signed for SRA (the high word of the product is the shifted value).
//! - MUL/MULH/MULHSU/MULHU: one product `mx·my` of the (signed where asked) operands, split into a
//!   high and a low range-checked word; DIV/DIVU/REM/REMU: `a = q·b + r` with `|r| < |b|` checked
//!   through the effective-address limbs, `r`'s sign that of `a` (or `r = 0`), `b = 0` giving
//!   `q = 2^32 − 1`, and the signed overflow `−2^31 / −1` falling out of the same equation.
//! - JAL/JALR: `rd = pc + 4`; JALR's target is `(rs1 + imm) & ~1`.
//! - Loads/stores: the effective address `E = rs1 + imm − 2^32·carry` is range-checked as
//!   `E − base` (so no access reaches below the RAM), split as `4·w + b0 + 2·b1`; the ram slot
//!   accesses word `32 + w`; bytes and halves are selected and inserted through the word's
//!   bytes, sign-extended through `s2`.
//!
//! # System calls
//! Each `ecall` is a first row (`sub` = 0: reads a7 and a0 into `sys_a7`, `sys_a0`) and one or
//! more second rows (`sub` = 1; the bytecode table holds both; the row after a sub-0 row is a
//! sub-1 row of the same pc, as is the row after a sub-1 row with `cont`; any other row is
//! entered with `sub = 0`). Sub-1 rows read a1 and a2, write a0, and carry a7 and a0. Boolean
//! flags tied to a7's value pick the call: `exit` (93; a0 must be the public exit code; the exit
//! is the last real row and padding rows repeat it), `write` (64) to fd 1 (`w1`: public output)
//! or fd 2 (`w2`: debug text, no effect but a0 := len, its buffer bounds-checked), and `read`
//! (63) from fd 0.
//!
//! **Byte-exact I/O in chunks.** A `write(1, buf, len)` or a `read(0, buf, len)` is handled by
//! chunk rows (its sub-1 rows), one per RAM word its buffer touches: chunk row j covers the bytes
//! `s .. e` of the word at `a1 + done` (`s` its low bits, `e ≤ 4`), where `done` counts the bytes
//! of earlier chunks (0 on the first) and `total` is the bytes handled in all (`len` for a write,
//! the bytes read for a read: at most `len`). The lanes `lane[k] = [s ≤ k < e]` come from the
//! pointer's low bits and monotone `lane_end[k] = [k < e]`; a chunk that stops short of its
//! word's end is the call's last; `cont = [total ≠ done + count]` (an inverse) continues the call
//! on the next row, which starts at `done + count`. A write's word is read and kept (X = Y = the
//! word) and its lane bytes `x_k` are public output elements `out_idx + (lanes before k)` (one
//! element per byte, through four output lanes); a read's word is written with new bytes `y_k`
//! in its lanes (range-checked, private) and the old ones elsewhere. a0 := `done + count` on
//! each chunk row (`len`, or the bytes read, after the last). A call of no bytes is one chunk row
//! with no lanes whose buffer is bounds-checked like a debug write's. n bytes cost about n/4 + 2
//! rows. The input is one byte string: a read returns all it asked for unless the input ends
//! there (`eof` from the next row on, the same on a call's chunk rows), and after the end
//! every read returns 0. Any other pattern is [`LowerError::Unprovable`].
//!
//! # What is not enforced
//! Segment permissions and bounds, as the interpreter enforces them, are part of the memory
//! tuples ([`permission_ranges`]): registers and words of writable pages are read-write (2), the
//! rest of the loaded span read-only (1), everything else inaccessible (0). The ram slot carries
//! the accessed word's permission, which must be 1 or 2, and 2 for a store or an input word; the
//! initial and final memory tuples carry the public ranges, so a proof cannot claim a store into
//! code or read-only data, or an access outside the loaded span.
//!
#![doc = include_str!("riscv_columns.md")]

use std::collections::HashMap;

use ark_bn254::Fr;
use ark_ff::{Field, One, Zero};
use rayon::prelude::*;
use zkvm_riscv::{Instruction, Opcode, Program, Step, SyscallRecord};

use super::{finish_witness, LowerError, Witness};
use crate::machine::lookup::bitwise_op;
use crate::machine::memory::{MemoryChecker, OfflineMemoryChecker};
use crate::machine::{
    Builder, Col, LookupUse, Machine, MemSlot, MemoryLayout, OutputLane, ProgramDigest, RowExpr,
    TableId,
};
use crate::r1cs::{LinComb, Var};

/// Number of registers (addresses `0..32` of the memory).
pub const NUM_REGS: u64 = 32;
const A0: usize = 10;
const A1: usize = 11;
const A2: usize = 12;
const A7: usize = 17;
const SYS_EXIT: u32 = 93;
const SYS_WRITE: u32 = 64;
const SYS_READ: u32 = 63;

const TWO32: i128 = 1 << 32;

/// The bytecode fields, in the table's column order (`idx` first).
const FIELDS: &[&str] = &[
    "idx", "pc", "ecall", "sub", "rs1", "rs2", "rd", "imm", "simm_m4", "use_imm", "rd_w", "bw_op",
    "add", "subop", "lui", "auipc", "jal", "jalr", "beq", "bne", "blt", "bge", "bltu", "bgeu",
    "slt", "sltu", "bit", "sll", "srl", "sra", "lb", "lh", "lw", "lbu", "lhu", "sb", "sh", "sw",
    "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu",
];

/// The group flag of an opcode (`None`: no flag, a no-op like FENCE or the ecall rows).
fn group(op: Opcode) -> Option<&'static str> {
    use Opcode::*;
    Some(match op {
        // Register and immediate forms share one group flag.
        Add | Addi => "add",
        Sub => "subop",
        Slt | Slti => "slt",
        Sltu | Sltiu => "sltu",
        And | Andi | Or | Ori | Xor | Xori => "bit",
        Sll | Slli => "sll",
        Srl | Srli => "srl",
        Sra | Srai => "sra",
        Fence | Ecall | Ebreak => return None,
        // Every other opcode is its own group, named by its mnemonic.
        _ => op.mnemonic(),
    })
}

/// Whether the lowering supports an opcode.
pub fn supported(op: Opcode) -> bool {
    op != Opcode::Ebreak
}

fn field_index(name: &str) -> usize {
    FIELDS
        .iter()
        .position(|f| *f == name)
        .unwrap_or_else(|| panic!("unknown bytecode field {name}"))
}

/// A field element from a signed integer.
fn fi(v: i128) -> Fr {
    if v >= 0 {
        Fr::from(v as u128)
    } else {
        -Fr::from(v.unsigned_abs())
    }
}

/// The bytecode-table row of the instruction at `pc` (row index `idx`; `sub` for an ecall's
/// second row), or `None` if the instruction is not supported.
pub fn bytecode_row(idx: usize, pc: u32, instr: &Instruction, sub: bool) -> Option<Vec<Fr>> {
    let op = instr.opcode();
    if !supported(op) {
        return None;
    }
    let o = instr.operands();
    let mut row = vec![Fr::zero(); FIELDS.len()];
    let mut set = |name: &str, v: Fr| row[field_index(name)] = v;
    set("idx", Fr::from(idx as u64));
    set("pc", Fr::from(pc));
    if op == Opcode::Ecall {
        set("ecall", Fr::one());
        set("sub", Fr::from(u64::from(sub)));
        let (rs1, rs2) = if sub { (A1, A2) } else { (A7, A0) };
        set("rs1", Fr::from(rs1 as u64));
        set("rs2", Fr::from(rs2 as u64));
        if sub {
            set("rd", Fr::from(A0 as u64));
        }
        return Some(row);
    }
    let rd = instr.rd().unwrap_or(0);
    let uses_rs1 = !matches!(
        op,
        Opcode::Lui | Opcode::Auipc | Opcode::Jal | Opcode::Fence
    );
    let uses_rs2 = matches!(
        op.format(),
        zkvm_riscv::Format::R | zkvm_riscv::Format::S | zkvm_riscv::Format::B
    );
    set("rs1", Fr::from(if uses_rs1 { o.rs1 } else { 0 }));
    set("rs2", Fr::from(if uses_rs2 { o.rs2 } else { 0 }));
    set("rd", Fr::from(rd));
    set("rd_w", Fr::from(u64::from(rd != 0)));
    set("imm", Fr::from(o.imm as u32));
    if matches!(op.class(), zkvm_riscv::InstrClass::Branch) || op == Opcode::Jal {
        set("simm_m4", fi(i128::from(o.imm) - 4));
    }
    let use_imm = matches!(
        op,
        Opcode::Addi
            | Opcode::Slti
            | Opcode::Sltiu
            | Opcode::Xori
            | Opcode::Ori
            | Opcode::Andi
            | Opcode::Slli
            | Opcode::Srli
            | Opcode::Srai
    );
    set("use_imm", Fr::from(u64::from(use_imm)));
    let bw = match op {
        Opcode::Or | Opcode::Ori => bitwise_op::OR,
        Opcode::Xor | Opcode::Xori => bitwise_op::XOR,
        _ => bitwise_op::AND,
    };
    set("bw_op", Fr::from(bw));
    if let Some(g) = group(op) {
        set(g, Fr::one());
    }
    Some(row)
}

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
        .map(|v| crate::machine::memory::small_value(*v).and_then(|b| u8::try_from(b).ok()))
        .collect()
}

/// Column indices of the RV32IM machine.
#[derive(Clone, Debug)]
pub struct RvCols {
    /// Bytecode fields, in [`FIELDS`] order.
    pub fields: Vec<Col>,
    /// Row index.
    pub cycle: Col,
    /// rs1's value.
    pub v1: Col,
    /// rs2's value.
    pub v2: Col,
    /// rd's value before the write.
    pub rd_old: Col,
    /// The value written to rd.
    pub rd_val: Col,
    /// rd_val's 16-bit limbs.
    pub rd_limbs: (Col, Col),
    /// The RAM word before the access.
    pub ram_old: Col,
    /// The RAM word after.
    pub ram_new: Col,
    /// Word offset of the RAM access from `base`.
    pub w: Col,
    /// Low two bits of the effective address.
    pub b0: Col,
    /// Bit 1.
    pub b1: Col,
    /// Limbs of the effective address minus base (a spare range-checked u32 elsewhere).
    pub eff_limbs: (Col, Col),
    /// Carry of `rs1 + imm`.
    pub ecarry: Col,
    /// Bytes of X.
    pub x: [Col; 4],
    /// Bytes of Y.
    pub y: [Col; 4],
    /// Bitwise result bytes.
    pub r: [Col; 4],
    /// Sign of X.
    pub s1: Col,
    /// Sign of Y.
    pub s2: Col,
    /// Inverse of X − Y.
    pub inv: Col,
    /// `[X = Y]`.
    pub eq: Col,
    /// `[X < Y]`.
    pub lt: Col,
    /// `signed · (s1 − s2)`.
    pub sd: Col,
    /// Branch taken.
    pub cond: Col,
    /// `cond · (imm − 4)`.
    pub delta: Col,
    /// Next pc.
    pub pc_new: Col,
    /// Carry of add/sub/auipc.
    pub carry: Col,
    /// Limbs of the spare range-checked word `aux`.
    pub aux_limbs: (Col, Col),
    /// Selected byte of the lower/upper half.
    pub hl: Col,
    /// High byte of the selected half.
    pub hh: Col,
    /// Selected byte.
    pub byte: Col,
    /// `256^(addr mod 4)`.
    pub scale: Col,
    /// Store delta.
    pub sdelta: Col,
    /// `scale · sdelta`.
    pub sprod: Col,
    /// Shift amount bits.
    pub sh: [Col; 5],
    /// Partial products of `2^shamt`.
    pub pp: [Col; 3],
    /// `2^shamt`.
    pub pow: Col,
    /// `2^(32 − shamt)`.
    pub powr: Col,
    /// Multiplier inputs and product.
    pub mx: Col,
    /// Second multiplier input.
    pub my: Col,
    /// `mx · my`.
    pub prod: Col,
    /// Sign of the high word.
    pub sp: Col,
    /// Division: quotient, remainder (u32), their signs, signed operand signs.
    pub dq: Col,
    /// Remainder.
    pub dr: Col,
    /// Quotient sign.
    pub sq: Col,
    /// Remainder sign.
    pub sr: Col,
    /// Divisor sign (signed division only).
    pub sb: Col,
    /// Dividend sign (signed division only).
    pub s1d: Col,
    /// `|b|`.
    pub absb: Col,
    /// `|r|`.
    pub absr: Col,
    /// Inverse of Y.
    pub yinv: Col,
    /// `[Y = 0]`.
    pub yz: Col,
    /// `division · [Y = 0]`.
    pub dz: Col,
    /// a7 of the current ecall.
    pub sys_a7: Col,
    /// a0 of the current ecall.
    pub sys_a0: Col,
    /// Syscall flags.
    pub is_exit: Col,
    /// write.
    pub is_write: Col,
    /// read.
    pub is_read: Col,
    /// write to fd 1.
    pub w1: Col,
    /// write to fd 2.
    pub w2: Col,
    /// A chunk row of a `read` that writes a RAM word (its lanes are input bytes).
    pub got: Col,
    /// A chunk row of a `write` to fd 1 that reads a RAM word (its lanes are output bytes).
    pub put: Col,
    /// Bytes of the call's buffer handled on its chunk rows before this one.
    pub done: Col,
    /// Bytes the call handles in all: `len` for a write to fd 1, the bytes read for a `read`.
    pub total: Col,
    /// `lane_end[k]` = [k < e], where the chunk covers the word's bytes `s .. e`.
    pub lane_end: [Col; 4],
    /// `lane[k]` = [s ≤ k < e]: byte k of the word is in the chunk.
    pub lane: [Col; 4],
    /// `out_lane[k]` = `w1 · lane[k]`: byte k of the word is public output.
    pub out_lane: [Col; 4],
    /// `b0 · b1` (the chunk starts at byte 3).
    pub b01: Col,
    /// Another chunk row of the same call follows: [total ≠ done + count].
    pub cont: Col,
    /// The inverse of `total − done − count` (0 when it is 0).
    pub cont_inv: Col,
    /// `is_read · (1 − cont)`: the last chunk row of a read.
    pub read_last: Col,
    /// The permission of the RAM word accessed (1 read-only, 2 read-write).
    pub ram_perm: Col,
    /// The private input has ended before this row (a read returned fewer bytes than asked).
    pub eof: Col,
    /// `read_last · (1 − eof on the next row)`: a read after which the input goes on, which
    /// must therefore have returned all the bytes it asked for.
    pub more: Col,
    /// Outputs before this row.
    pub out_idx: Col,
}

impl RvCols {
    fn f(&self, name: &str) -> Col {
        self.fields[field_index(name)]
    }
}

fn cur(c: Col) -> LinComb {
    LinComb::from(Var::Cur(c))
}

fn nxt(c: Col) -> LinComb {
    LinComb::from(Var::Next(c))
}

fn k(v: i128) -> LinComb {
    LinComb::from(fi(v))
}

fn zero() -> LinComb {
    LinComb::zero()
}

/// The RV32IM machine for `program` with public output `public_output` and exit code
/// `exit_code`, over a memory of `2^mem_log_size` cells. The verifier rebuilds it from exactly
/// these public values.
pub fn machine(
    program: &Program,
    public_output: &[Fr],
    exit_code: u32,
    mem_log_size: usize,
) -> Machine {
    machine_with_cols(program, public_output, exit_code, mem_log_size).0
}

/// [`machine`] and its column indices.
pub fn machine_with_cols(
    program: &Program,
    public_output: &[Fr],
    exit_code: u32,
    mem_log_size: usize,
) -> (Machine, RvCols) {
    let base = ram_base(program);
    // The interpreter's memory is the span [lo, hi); system-call buffers must lie inside it.
    let (lo, hi) = program.span();
    let mut bld = Builder::default();
    let fields: Vec<Col> = FIELDS
        .iter()
        .map(|f| {
            if *f == "simm_m4" {
                bld.field_col(f)
            } else {
                bld.small_col(f)
            }
        })
        .collect();
    let s = |b: &mut Builder, n: &str| b.small_col(n);
    let fc = |b: &mut Builder, n: &str| b.field_col(n);
    let c = RvCols {
        fields,
        cycle: s(&mut bld, "cycle"),
        v1: s(&mut bld, "v1"),
        v2: s(&mut bld, "v2"),
        rd_old: s(&mut bld, "rd_old"),
        rd_val: s(&mut bld, "rd_val"),
        rd_limbs: (s(&mut bld, "rd_lo"), s(&mut bld, "rd_hi")),
        ram_old: s(&mut bld, "ram_old"),
        ram_new: s(&mut bld, "ram_new"),
        w: fc(&mut bld, "w"),
        b0: s(&mut bld, "b0"),
        b1: s(&mut bld, "b1"),
        eff_limbs: (s(&mut bld, "eff_lo"), s(&mut bld, "eff_hi")),
        ecarry: s(&mut bld, "ecarry"),
        x: [0, 1, 2, 3].map(|i| bld.small_col(&format!("x{i}"))),
        y: [0, 1, 2, 3].map(|i| bld.small_col(&format!("y{i}"))),
        r: [0, 1, 2, 3].map(|i| bld.small_col(&format!("r{i}"))),
        s1: s(&mut bld, "s1"),
        s2: s(&mut bld, "s2"),
        inv: fc(&mut bld, "inv"),
        eq: s(&mut bld, "eq"),
        lt: s(&mut bld, "lt"),
        sd: fc(&mut bld, "sd"),
        cond: s(&mut bld, "cond"),
        delta: fc(&mut bld, "delta"),
        pc_new: s(&mut bld, "pc_new"),
        carry: s(&mut bld, "carry"),
        aux_limbs: (s(&mut bld, "aux_lo"), s(&mut bld, "aux_hi")),
        hl: s(&mut bld, "hl"),
        hh: s(&mut bld, "hh"),
        byte: s(&mut bld, "byte"),
        scale: s(&mut bld, "scale"),
        sdelta: fc(&mut bld, "sdelta"),
        sprod: fc(&mut bld, "sprod"),
        sh: [0, 1, 2, 3, 4].map(|i| bld.small_col(&format!("sh{i}"))),
        pp: [1, 2, 3].map(|i| bld.small_col(&format!("pow_partial{i}"))),
        pow: s(&mut bld, "pow"),
        powr: fc(&mut bld, "powr"),
        mx: fc(&mut bld, "mx"),
        my: fc(&mut bld, "my"),
        prod: fc(&mut bld, "prod"),
        sp: s(&mut bld, "sp"),
        dq: s(&mut bld, "dq"),
        dr: s(&mut bld, "dr"),
        sq: s(&mut bld, "sq"),
        sr: s(&mut bld, "sr"),
        sb: s(&mut bld, "div_sign_b"),
        s1d: s(&mut bld, "s1d"),
        absb: fc(&mut bld, "absb"),
        absr: fc(&mut bld, "absr"),
        yinv: fc(&mut bld, "yinv"),
        yz: s(&mut bld, "yz"),
        dz: s(&mut bld, "dz"),
        sys_a7: s(&mut bld, "sys_a7"),
        sys_a0: s(&mut bld, "sys_a0"),
        is_exit: s(&mut bld, "is_exit"),
        is_write: s(&mut bld, "is_write"),
        is_read: s(&mut bld, "is_read"),
        w1: s(&mut bld, "w1"),
        w2: s(&mut bld, "w2"),
        got: s(&mut bld, "got"),
        put: s(&mut bld, "put"),
        done: s(&mut bld, "done"),
        total: s(&mut bld, "total"),
        lane_end: ["lane_end0", "lane_end1", "lane_end2", "lane_end3"].map(|n| s(&mut bld, n)),
        lane: ["lane0", "lane1", "lane2", "lane3"].map(|n| s(&mut bld, n)),
        out_lane: ["out_lane0", "out_lane1", "out_lane2", "out_lane3"].map(|n| s(&mut bld, n)),
        b01: s(&mut bld, "b01"),
        cont: s(&mut bld, "cont"),
        cont_inv: fc(&mut bld, "cont_inv"),
        read_last: s(&mut bld, "read_last"),
        ram_perm: bld.small_col("ram_perm"),
        eof: s(&mut bld, "eof"),
        more: s(&mut bld, "more"),
        out_idx: s(&mut bld, "out_idx"),
    };
    let slot_names = ["rs1", "rs2", "ram", "rd"];
    let read_ts = slot_names.map(|n| bld.small_col(&format!("{n}_read_ts")));
    let ts_limbs = slot_names.map(|n| {
        (
            bld.small_col(&format!("{n}_ts_lo")),
            bld.small_col(&format!("{n}_ts_hi")),
        )
    });

    let f = |n: &str| cur(c.f(n));
    let fs = |ns: &[&str]| ns.iter().fold(zero(), |acc, n| acc + f(n));
    let bytes = |b: [Col; 4]| (0..4).fold(zero(), |acc, i| acc + cur(b[i]) * fi(1 << (8 * i)));
    let limbs = |(lo, hi): (Col, Col)| cur(lo) + cur(hi) * fi(1 << 16);
    let xx = || bytes(c.x);
    let yy = || bytes(c.y);
    let aux = || limbs(c.aux_limbs);
    let eff = || limbs(c.eff_limbs);
    let rd = || cur(c.rd_val);
    let pc = || f("pc");
    let half = || cur(c.hl) + cur(c.hh) * 256;
    let loads = || fs(&["lb", "lh", "lw", "lbu", "lhu"]);
    let stores = || fs(&["sb", "sh", "sw"]);
    let ram_on = || loads() + stores() + cur(c.put) + cur(c.got);
    // System calls whose buffer is bounds-checked without a RAM access (there E = a1 − lo):
    // debug writes, and reads and public writes of no bytes.
    let buffer_checked = || cur(c.w2) + cur(c.is_read) - cur(c.got) + cur(c.w1) - cur(c.put);
    // The bytes of the word a chunk row covers.
    let count = || (0..4).fold(zero(), |acc, k| acc + cur(c.lane[k]));
    let subword = || fs(&["lb", "lh", "lbu", "lhu", "sb", "sh"]);
    let branches = || fs(&["beq", "bne", "blt", "bge", "bltu", "bgeu"]);
    let divs = || fs(&["div", "divu", "rem", "remu"]);
    let ecall0 = || f("ecall") - f("sub");
    let gate = |b: &mut Builder, name: &str, g: LinComb, e: LinComb| {
        b.constrain(name, g, e, zero());
    };
    let one = || LinComb::from(Var::One);

    // Booleans.
    for (name, col) in [
        ("b0", c.b0),
        ("b1", c.b1),
        ("ecarry", c.ecarry),
        ("s1", c.s1),
        ("s2", c.s2),
        ("eq", c.eq),
        ("lt", c.lt),
        ("cond", c.cond),
        ("carry", c.carry),
        ("sp", c.sp),
        ("sq", c.sq),
        ("sr", c.sr),
        ("yz", c.yz),
        ("is_exit", c.is_exit),
        ("is_write", c.is_write),
        ("is_read", c.is_read),
        ("w1", c.w1),
        ("w2", c.w2),
        ("got", c.got),
        ("put", c.put),
        ("cont", c.cont),
        ("lane_end0", c.lane_end[0]),
        ("lane_end1", c.lane_end[1]),
        ("lane_end2", c.lane_end[2]),
        ("lane_end3", c.lane_end[3]),
        ("eof", c.eof),
    ]
    .into_iter()
    .chain(
        c.sh.iter()
            .enumerate()
            .map(|(i, col)| (["sh0", "sh1", "sh2", "sh3", "sh4"][i], *col)),
    ) {
        bld.boolean(&format!("boolean: {name}"), col);
    }

    // Register values: rd is range-checked by its limbs.
    bld.eq("rd: limbs", rd(), limbs(c.rd_limbs));

    // Operands X and Y.
    // A chunk row's word: X is the old word and Y the new one (the same for output), so that
    // their bytes are bytes, the output bytes are X's, and a read keeps the bytes past its lanes.
    gate(
        &mut bld,
        "operand: X = rs1",
        one() - subword() - cur(c.got) - cur(c.put),
        xx() - cur(c.v1),
    );
    gate(
        &mut bld,
        "operand: X = loaded word",
        subword() + cur(c.got) + cur(c.put),
        xx() - cur(c.ram_old),
    );
    gate(&mut bld, "operand: Y = imm", f("use_imm"), yy() - f("imm"));
    gate(
        &mut bld,
        "operand: Y = rs2",
        one() - f("use_imm") - f("lb") - f("lh") - cur(c.got) - cur(c.put),
        yy() - cur(c.v2),
    );
    gate(
        &mut bld,
        "operand: Y = the chunk's new word",
        cur(c.got) + cur(c.put),
        yy() - cur(c.ram_new),
    );
    gate(
        &mut bld,
        "operand: Y = byte·2^24 (lb)",
        f("lb"),
        yy() - cur(c.byte) * fi(1 << 24),
    );
    gate(
        &mut bld,
        "operand: Y = half·2^16 (lh)",
        f("lh"),
        yy() - half() * fi(1 << 16),
    );

    // Equality and comparison.
    bld.constrain(
        "eq: (X − Y)·inv = 1 − eq",
        xx() - yy(),
        cur(c.inv),
        one() - cur(c.eq),
    );
    bld.constrain("eq: (X − Y)·eq = 0", xx() - yy(), cur(c.eq), zero());
    bld.constrain(
        "lt: signed sign difference",
        fs(&["blt", "bge", "slt"]),
        cur(c.s1) - cur(c.s2),
        cur(c.sd),
    );
    gate(
        &mut bld,
        "lt: aux = X − Y + 2^32·(lt − sd)",
        fs(&["blt", "bge", "bltu", "bgeu", "slt", "sltu"]),
        aux() - xx() + yy() - cur(c.lt) * fi(TWO32) + cur(c.sd) * fi(TWO32),
    );

    // Branches and the pc.
    gate(&mut bld, "branch: beq", f("beq"), cur(c.cond) - cur(c.eq));
    gate(
        &mut bld,
        "branch: bne",
        f("bne"),
        cur(c.cond) - one() + cur(c.eq),
    );
    gate(
        &mut bld,
        "branch: blt/bltu",
        fs(&["blt", "bltu"]),
        cur(c.cond) - cur(c.lt),
    );
    gate(
        &mut bld,
        "branch: bge/bgeu",
        fs(&["bge", "bgeu"]),
        cur(c.cond) - one() + cur(c.lt),
    );
    gate(&mut bld, "jal: always jumps", f("jal"), cur(c.cond) - one());
    gate(
        &mut bld,
        "pc: no jump outside branches",
        one() - branches() - f("jal"),
        cur(c.cond),
    );
    bld.constrain("pc: jump delta", cur(c.cond), f("simm_m4"), cur(c.delta));
    gate(
        &mut bld,
        "pc: next = pc + 4 (+ jump)",
        one() - f("jalr") - f("ecall"),
        cur(c.pc_new) - pc() - 4 - cur(c.delta),
    );
    gate(
        &mut bld,
        "pc: jalr target",
        f("jalr"),
        cur(c.pc_new) - eff() + cur(c.b0),
    );
    gate(
        &mut bld,
        "pc: ecall",
        f("ecall"),
        cur(c.pc_new) - pc() - f("sub") * 4 + cur(c.is_exit) * 4 + cur(c.cont) * 4,
    );
    bld.constrain(
        "next: pc",
        one() - Var::Last,
        nxt(c.fields[field_index("pc")]) - cur(c.pc_new),
        zero(),
    );
    bld.constrain(
        "next: cycle",
        one() - Var::Last,
        nxt(c.cycle) - cur(c.cycle) - 1,
        zero(),
    );
    bld.constrain(
        "start: cycle 0",
        LinComb::from(Var::First),
        cur(c.cycle),
        zero(),
    );
    bld.constrain(
        "start: pc = entry",
        LinComb::from(Var::First),
        pc() - fi(i128::from(program.entry)),
        zero(),
    );
    bld.constrain(
        "start: sub = 0",
        LinComb::from(Var::First),
        f("sub"),
        zero(),
    );
    bld.constrain(
        "next: sub follows an ecall's first row, a chunk row with more to do, or an exit",
        one() - Var::Last,
        nxt(c.f("sub")) - ecall0() - cur(c.is_exit) - cur(c.cont),
        zero(),
    );

    // Add, sub, upper immediates, links.
    gate(
        &mut bld,
        "alu: add",
        f("add"),
        xx() + yy() - rd() - cur(c.carry) * fi(TWO32),
    );
    gate(
        &mut bld,
        "alu: sub",
        f("subop"),
        xx() - yy() + cur(c.carry) * fi(TWO32) - rd(),
    );
    gate(&mut bld, "alu: lui", f("lui"), rd() - f("imm"));
    gate(
        &mut bld,
        "alu: auipc",
        f("auipc"),
        pc() + f("imm") - rd() - cur(c.carry) * fi(TWO32),
    );
    gate(
        &mut bld,
        "jump: rd = pc + 4",
        fs(&["jal", "jalr"]),
        rd() - pc() - 4,
    );
    gate(&mut bld, "alu: slt", fs(&["slt", "sltu"]), rd() - cur(c.lt));
    gate(&mut bld, "alu: bitwise", f("bit"), rd() - bytes(c.r));

    // Effective address.
    gate(
        &mut bld,
        "address: rs1 + imm − base",
        loads() + stores() + f("jalr") + f("sub"),
        eff() + ram_on() * fi(i128::from(base)) + buffer_checked() * fi(i128::from(lo))
            - cur(c.v1)
            - f("imm")
            - cur(c.done)
            + cur(c.ecarry) * fi(TWO32),
    );
    bld.eq(
        "address: word and low bits",
        cur(c.w) * 4 + cur(c.b0) + cur(c.b1) * 2,
        eff(),
    );
    gate(
        &mut bld,
        "address: word aligned",
        fs(&["lw", "sw"]),
        cur(c.b0) + cur(c.b1),
    );
    gate(
        &mut bld,
        "address: half aligned",
        fs(&["lh", "lhu", "sh"]),
        cur(c.b0),
    );

    // Byte and half selection from X's bytes.
    bld.constrain(
        "select: low byte of half",
        cur(c.b1),
        cur(c.x[2]) - cur(c.x[0]),
        cur(c.hl) - cur(c.x[0]),
    );
    bld.constrain(
        "select: high byte of half",
        cur(c.b1),
        cur(c.x[3]) - cur(c.x[1]),
        cur(c.hh) - cur(c.x[1]),
    );
    bld.constrain(
        "select: byte",
        cur(c.b0),
        cur(c.hh) - cur(c.hl),
        cur(c.byte) - cur(c.hl),
    );
    bld.constrain(
        "select: scale = 256^(addr mod 4)",
        one() + cur(c.b0) * 255,
        one() + cur(c.b1) * 65535,
        cur(c.scale),
    );
    gate(&mut bld, "load: lw", f("lw"), rd() - cur(c.ram_old));
    gate(&mut bld, "load: lbu", f("lbu"), rd() - cur(c.byte));
    gate(&mut bld, "load: lhu", f("lhu"), rd() - half());
    gate(
        &mut bld,
        "load: lb",
        f("lb"),
        rd() - cur(c.byte) - cur(c.s2) * fi(TWO32 - 256),
    );
    gate(
        &mut bld,
        "load: lh",
        f("lh"),
        rd() - half() - cur(c.s2) * fi(TWO32 - 65536),
    );
    gate(
        &mut bld,
        "memory: loads and output keep the word",
        loads() + cur(c.put),
        cur(c.ram_new) - cur(c.ram_old),
    );
    gate(&mut bld, "store: sw", f("sw"), cur(c.ram_new) - cur(c.v2));
    gate(
        &mut bld,
        "store: sb delta",
        f("sb"),
        cur(c.sdelta) - cur(c.y[0]) + cur(c.byte),
    );
    gate(
        &mut bld,
        "store: sh delta",
        f("sh"),
        cur(c.sdelta) - cur(c.y[0]) - cur(c.y[1]) * 256 + half(),
    );
    bld.constrain(
        "store: scaled delta",
        cur(c.scale),
        cur(c.sdelta),
        cur(c.sprod),
    );
    gate(
        &mut bld,
        "store: sb/sh word",
        fs(&["sb", "sh"]),
        cur(c.ram_new) - xx() - cur(c.sprod),
    );

    // Shifts: shamt bits and powers of two.
    bld.constrain(
        "shift: 2^(bits 0, 1)",
        one() + cur(c.sh[0]),
        one() + cur(c.sh[1]) * 3,
        cur(c.pp[0]),
    );
    bld.constrain(
        "shift: 2^(bits 0..3)",
        cur(c.pp[0]),
        one() + cur(c.sh[2]) * 15,
        cur(c.pp[1]),
    );
    bld.constrain(
        "shift: 2^(bits 0..4)",
        cur(c.pp[1]),
        one() + cur(c.sh[3]) * 255,
        cur(c.pp[2]),
    );
    bld.constrain(
        "shift: 2^shamt",
        cur(c.pp[2]),
        one() + cur(c.sh[4]) * 65535,
        cur(c.pow),
    );
    bld.constrain("shift: 2^(32 − shamt)", cur(c.pow), cur(c.powr), k(TWO32));

    // The multiplier.
    bld.constrain("mul: product", cur(c.mx), cur(c.my), cur(c.prod));
    gate(
        &mut bld,
        "mul: mx = X",
        fs(&["sll", "srl", "mul", "mulhu"]),
        cur(c.mx) - xx(),
    );
    gate(
        &mut bld,
        "mul: mx = signed X",
        fs(&["sra", "mulh", "mulhsu"]),
        cur(c.mx) - xx() + cur(c.s1) * fi(TWO32),
    );
    gate(
        &mut bld,
        "mul: mx = signed quotient",
        divs(),
        cur(c.mx) - cur(c.dq) + cur(c.sq) * fi(TWO32),
    );
    gate(
        &mut bld,
        "mul: my = 2^shamt",
        f("sll"),
        cur(c.my) - cur(c.pow),
    );
    gate(
        &mut bld,
        "mul: my = 2^(32 − shamt)",
        fs(&["srl", "sra"]),
        cur(c.my) - cur(c.powr),
    );
    gate(
        &mut bld,
        "mul: my = Y",
        fs(&["mul", "mulhu", "mulhsu"]),
        cur(c.my) - yy(),
    );
    gate(
        &mut bld,
        "mul: my = signed Y",
        f("mulh"),
        cur(c.my) - yy() + cur(c.s2) * fi(TWO32),
    );
    gate(
        &mut bld,
        "mul: my = divisor",
        divs(),
        cur(c.my) - yy() + cur(c.sb) * fi(TWO32),
    );
    gate(
        &mut bld,
        "alu: sll/mul low word",
        fs(&["sll", "mul"]),
        cur(c.prod) - aux() * fi(TWO32) - rd(),
    );
    gate(
        &mut bld,
        "alu: srl/sra/mulh* high word",
        fs(&["srl", "sra", "mulh", "mulhsu", "mulhu"]),
        cur(c.prod) - rd() * fi(TWO32) + cur(c.sp) * fi(TWO32 * TWO32) - aux(),
    );

    // Division.
    let sdiv = || fs(&["div", "rem"]);
    bld.constrain("div: dividend sign", sdiv(), cur(c.s1), cur(c.s1d));
    bld.constrain("div: divisor sign", sdiv(), cur(c.s2), cur(c.sb));
    gate(
        &mut bld,
        "div: a = q·b + r",
        divs(),
        xx() - cur(c.s1d) * fi(TWO32) - cur(c.prod) - cur(c.dr) + cur(c.sr) * fi(TWO32),
    );
    gate(
        &mut bld,
        "div: rd = q",
        fs(&["div", "divu"]),
        rd() - cur(c.dq),
    );
    gate(
        &mut bld,
        "div: aux = r",
        fs(&["div", "divu"]),
        aux() - cur(c.dr),
    );
    gate(
        &mut bld,
        "rem: rd = r",
        fs(&["rem", "remu"]),
        rd() - cur(c.dr),
    );
    gate(
        &mut bld,
        "rem: aux = q",
        fs(&["rem", "remu"]),
        aux() - cur(c.dq),
    );
    gate(
        &mut bld,
        "div: remainder sign only if a < 0",
        one() - cur(c.s1d),
        cur(c.sr),
    );
    bld.constrain(
        "div: a < 0 ⇒ r < 0 or r = 0",
        cur(c.s1d) - cur(c.sr),
        cur(c.dr),
        zero(),
    );
    gate(
        &mut bld,
        "div: |b| (b ≥ 0)",
        one() - cur(c.sb),
        cur(c.absb) - yy(),
    );
    gate(
        &mut bld,
        "div: |b| (b < 0)",
        cur(c.sb),
        cur(c.absb) + yy() - fi(TWO32),
    );
    gate(
        &mut bld,
        "div: |r| (r ≥ 0)",
        one() - cur(c.sr),
        cur(c.absr) - cur(c.dr),
    );
    gate(
        &mut bld,
        "div: |r| (r < 0)",
        cur(c.sr),
        cur(c.absr) + cur(c.dr) - fi(TWO32),
    );
    bld.constrain("div: Y·yinv = 1 − yz", yy(), cur(c.yinv), one() - cur(c.yz));
    bld.constrain("div: Y·yz = 0", yy(), cur(c.yz), zero());
    bld.constrain("div: by zero", divs(), cur(c.yz), cur(c.dz));
    gate(
        &mut bld,
        "div: by zero gives q = 2^32 − 1",
        cur(c.dz),
        cur(c.dq) - fi(TWO32 - 1),
    );
    gate(
        &mut bld,
        "div: |r| < |b| (unless b = 0)",
        divs(),
        eff() - cur(c.absb) + 1 + cur(c.absr) - cur(c.yz) * fi(TWO32),
    );

    // System calls.
    gate(&mut bld, "ecall: a7", ecall0(), cur(c.sys_a7) - cur(c.v1));
    gate(&mut bld, "ecall: a0", ecall0(), cur(c.sys_a0) - cur(c.v2));
    let carry_gate = || ecall0() + cur(c.is_exit) + cur(c.cont) - Var::Last;
    gate(
        &mut bld,
        "ecall: a7 carried",
        carry_gate(),
        nxt(c.sys_a7) - cur(c.sys_a7),
    );
    gate(
        &mut bld,
        "ecall: a0 carried",
        carry_gate(),
        nxt(c.sys_a0) - cur(c.sys_a0),
    );
    bld.eq(
        "ecall: one call per second row",
        cur(c.is_exit) + cur(c.is_write) + cur(c.is_read),
        f("sub"),
    );
    gate(
        &mut bld,
        "ecall: exit is 93",
        cur(c.is_exit),
        cur(c.sys_a7) - i64::from(SYS_EXIT),
    );
    gate(
        &mut bld,
        "ecall: write is 64",
        cur(c.is_write),
        cur(c.sys_a7) - i64::from(SYS_WRITE),
    );
    gate(
        &mut bld,
        "ecall: read is 63",
        cur(c.is_read),
        cur(c.sys_a7) - i64::from(SYS_READ),
    );
    bld.eq("ecall: write fd", cur(c.w1) + cur(c.w2), cur(c.is_write));
    gate(&mut bld, "ecall: write fd 1", cur(c.w1), cur(c.sys_a0) - 1);
    gate(&mut bld, "ecall: write fd 2", cur(c.w2), cur(c.sys_a0) - 2);
    gate(&mut bld, "ecall: read fd 0", cur(c.is_read), cur(c.sys_a0));
    gate(
        &mut bld,
        "ecall: got only on read",
        one() - cur(c.is_read),
        cur(c.got),
    );
    gate(
        &mut bld,
        "ecall: debug write returns len",
        cur(c.w2),
        rd() - cur(c.v2),
    );
    gate(
        &mut bld,
        "ecall: a read or public write returns its count so far",
        cur(c.w1) + cur(c.is_read),
        rd() - cur(c.done) - count(),
    );

    // Reads and public writes of any length and alignment: the call's second row is its first
    // chunk row, and each chunk row handles the bytes `s .. e` of one RAM word (s = the
    // pointer's low bits, e ≤ 4), at the pointer a1 + done; chunk rows follow each other until
    // `total` bytes are done. So n bytes cost about n/4 rows.
    gate(
        &mut bld,
        "io: put only on a public write",
        one() - cur(c.w1),
        cur(c.put),
    );
    gate(
        &mut bld,
        "io: lanes only on a chunk row with a word",
        one() - cur(c.got) - cur(c.put),
        count(),
    );
    gate(
        &mut bld,
        "io: a buffer does not wrap around",
        f("sub"),
        cur(c.ecarry),
    );
    bld.constrain("io: b01 = b0 · b1", cur(c.b0), cur(c.b1), cur(c.b01));
    // [s ≤ k] for k = 0..3, from the low bits of the pointer.
    let starts = [
        one() - cur(c.b0) - cur(c.b1) + cur(c.b01),
        one() - cur(c.b1),
        one() - cur(c.b01),
        one(),
    ];
    for (k, start) in starts.into_iter().enumerate() {
        bld.constrain(
            &format!("io: lane {k} = [s ≤ {k}] · [{k} < e]"),
            start,
            cur(c.lane_end[k]),
            cur(c.lane[k]),
        );
        bld.constrain(
            &format!("io: out lane {k} = w1 · lane {k}"),
            cur(c.w1),
            cur(c.lane[k]),
            cur(c.out_lane[k]),
        );
        // A read changes only the bytes in its lanes (on an output chunk X = Y anyway).
        gate(
            &mut bld,
            &format!("io: a read keeps byte {k} outside its lanes"),
            cur(c.got) - cur(c.lane[k]),
            cur(c.y[k]) - cur(c.x[k]),
        );
    }
    for k in 0..3 {
        gate(
            &mut bld,
            &format!("io: lane {} ends no later than lane {k}", k + 1),
            cur(c.lane_end[k + 1]),
            one() - cur(c.lane_end[k]),
        );
    }
    let left = || cur(c.total) - cur(c.done) - count();
    gate(
        &mut bld,
        "io: a chunk short of its word's end is the call's last",
        one() - cur(c.lane_end[3]),
        left(),
    );
    bld.constrain(
        "io: cont = [bytes left] (inverse)",
        left(),
        cur(c.cont_inv),
        cur(c.cont),
    );
    bld.constrain(
        "io: no bytes left ends the call",
        left(),
        one() - cur(c.cont),
        zero(),
    );
    gate(
        &mut bld,
        "io: chunks only inside a call",
        one() - f("sub"),
        cur(c.cont),
    );
    gate(
        &mut bld,
        "io: done is 0 outside a call",
        one() - f("sub"),
        cur(c.done),
    );
    bld.constrain(
        "io: a call's first chunk starts at 0",
        ecall0(),
        nxt(c.done),
        zero(),
    );
    gate(
        &mut bld,
        "io: the next chunk starts after this one",
        cur(c.cont),
        nxt(c.done) - cur(c.done) - count(),
    );
    gate(
        &mut bld,
        "io: total carried",
        cur(c.cont),
        nxt(c.total) - cur(c.total),
    );
    gate(
        &mut bld,
        "io: a public write handles len bytes",
        cur(c.w1),
        cur(c.total) - cur(c.v2),
    );
    gate(
        &mut bld,
        "io: exits and debug writes handle no bytes",
        cur(c.is_exit) + cur(c.w2),
        cur(c.total),
    );
    // aux = len − total is a u32 on a read's chunk rows with a word.
    gate(
        &mut bld,
        "io: a read returns at most len",
        cur(c.got),
        aux() - cur(c.v2) + cur(c.total),
    );
    // The input is one byte string read in order: a read returns a whole word unless the
    // input ends there, and once it has ended every read returns 0.
    bld.constrain(
        "input: not ended at the start",
        LinComb::from(Var::First),
        cur(c.eof),
        zero(),
    );
    // eof · (1 − next eof) = 0 on every row but the last (which has no next row).
    gate(
        &mut bld,
        "input: stays ended",
        cur(c.eof),
        one() - Var::Last - nxt(c.eof),
    );
    gate(
        &mut bld,
        "input: eof is the same on a call's chunk rows",
        cur(c.cont),
        nxt(c.eof) - cur(c.eof),
    );
    bld.constrain(
        "input: read_last = read · (1 − cont)",
        cur(c.is_read),
        one() - cur(c.cont),
        cur(c.read_last),
    );
    bld.constrain(
        "input: more = read_last · (1 − next eof)",
        cur(c.read_last),
        one() - nxt(c.eof),
        cur(c.more),
    );
    gate(
        &mut bld,
        "input: a read followed by more input returns all it asked for",
        cur(c.more),
        cur(c.total) - cur(c.v2),
    );
    gate(
        &mut bld,
        "input: no data after the end",
        cur(c.eof),
        cur(c.got),
    );
    // A write to fd 2, or a read or public write of nothing, touches no RAM word: its buffer
    // [a1, a1 + n) must still lie in the program's memory [lo, hi), as the interpreter checks
    // (E = a1 − lo and aux = hi − lo − E − n are u32; n = 0 for a public write of nothing).
    gate(
        &mut bld,
        "ecall: debug write buffer in memory",
        cur(c.w2) + cur(c.w1) - cur(c.put),
        aux() - fi(i128::from(hi) - i128::from(lo)) + eff() + cur(c.v2),
    );
    gate(
        &mut bld,
        "ecall: empty read buffer in memory",
        cur(c.is_read) - cur(c.got),
        aux() - fi(i128::from(hi) - i128::from(lo)) + eff(),
    );
    gate(
        &mut bld,
        "ecall: exit code",
        cur(c.is_exit),
        cur(c.sys_a0) - fi(i128::from(exit_code)),
    );
    bld.constrain(
        "end: the last row exits",
        LinComb::from(Var::Last),
        cur(c.is_exit) - 1,
        zero(),
    );
    bld.constrain(
        "output: starts at 0",
        LinComb::from(Var::First),
        cur(c.out_idx),
        zero(),
    );
    let outputs = || (0..4).fold(zero(), |acc, k| acc + cur(c.out_lane[k]));
    bld.constrain(
        "output: counts",
        one() - Var::Last,
        nxt(c.out_idx) - cur(c.out_idx) - outputs(),
        zero(),
    );
    bld.constrain(
        "output: all outputs",
        LinComb::from(Var::Last),
        cur(c.out_idx) + outputs() - fi(public_output.len() as i128),
        zero(),
    );

    // Memory slots: rs1, rs2, ram, rd.
    let ram_on_expr = ["lb", "lh", "lw", "lbu", "lhu", "sb", "sh", "sw"]
        .iter()
        .fold(RowExpr::col(c.put).plus(c.got, Fr::one()), |e, n| {
            e.plus(c.f(n), Fr::one())
        });
    // The accesses that change a RAM word: stores and the private-input word of `read`.
    let stores_expr = ["sb", "sh", "sw"]
        .iter()
        .fold(RowExpr::col(c.got), |e, n| e.plus(c.f(n), Fr::one()));
    let slots = vec![
        MemSlot {
            name: "rs1".into(),
            active: RowExpr::constant(Fr::one()),
            addr: RowExpr::col(c.f("rs1")),
            read_value: c.v1,
            write_value: c.v1,
            read_ts: read_ts[0],
            read_init_flag: None,
            ts_diff_limbs: ts_limbs[0],
            permission: None,
            writes: RowExpr::constant(Fr::zero()),
        },
        MemSlot {
            name: "rs2".into(),
            active: RowExpr::constant(Fr::one()),
            addr: RowExpr::col(c.f("rs2")),
            read_value: c.v2,
            write_value: c.v2,
            read_ts: read_ts[1],
            read_init_flag: None,
            ts_diff_limbs: ts_limbs[1],
            permission: None,
            writes: RowExpr::constant(Fr::zero()),
        },
        MemSlot {
            name: "ram".into(),
            active: ram_on_expr,
            addr: RowExpr::col(c.w).plus_const(Fr::from(NUM_REGS)),
            read_value: c.ram_old,
            write_value: c.ram_new,
            read_ts: read_ts[2],
            read_init_flag: None,
            ts_diff_limbs: ts_limbs[2],
            permission: Some(c.ram_perm),
            writes: stores_expr.clone(),
        },
        MemSlot {
            name: "rd".into(),
            active: RowExpr::col(c.f("rd_w"))
                .plus(c.is_write, Fr::one())
                .plus(c.is_read, Fr::one()),
            addr: RowExpr::col(c.f("rd")),
            read_value: c.rd_old,
            write_value: c.rd_val,
            read_ts: read_ts[3],
            read_init_flag: None,
            ts_diff_limbs: ts_limbs[3],
            permission: None,
            writes: RowExpr::constant(Fr::zero()),
        },
    ];
    let checker = OfflineMemoryChecker;
    let mut lookups = checker.constrain(&mut bld, &slots, c.cycle);
    let always = || RowExpr::constant(Fr::one());
    let range = |name: &str, e: RowExpr| LookupUse {
        name: name.into(),
        table: TableId::Range16,
        active: always(),
        tuple: vec![e],
    };
    lookups.push(LookupUse {
        name: "instruction fetch".into(),
        table: TableId::Bytecode,
        active: always(),
        tuple: c.fields.iter().map(|&col| RowExpr::col(col)).collect(),
    });
    for (name, (lo, hi)) in [
        ("rd", c.rd_limbs),
        ("aux", c.aux_limbs),
        ("address", c.eff_limbs),
    ] {
        lookups.push(range(&format!("range: {name} low limb"), RowExpr::col(lo)));
        lookups.push(range(&format!("range: {name} high limb"), RowExpr::col(hi)));
    }
    lookups.push(range(
        "sign: X",
        RowExpr {
            terms: vec![(c.x[3], Fr::from(512u64)), (c.s1, -Fr::from(65536u64))],
            constant: Fr::zero(),
        },
    ));
    lookups.push(range(
        "sign: Y",
        RowExpr {
            terms: vec![(c.y[3], Fr::from(512u64)), (c.s2, -Fr::from(65536u64))],
            constant: Fr::zero(),
        },
    ));
    for i in 0..4 {
        lookups.push(LookupUse {
            name: format!("bytes: operand byte {i}"),
            table: TableId::Bitwise,
            active: always(),
            tuple: vec![
                RowExpr::col(c.f("bw_op")),
                RowExpr::col(c.x[i]),
                RowExpr::col(c.y[i]),
                RowExpr::col(c.r[i]),
            ],
        });
    }
    let shamt = (0..5).fold(RowExpr::constant(Fr::zero()), |e, i| {
        e.plus(c.sh[i], Fr::from(1u64 << i))
    });
    lookups.push(LookupUse {
        name: "shift: shamt = y0 & 31".into(),
        table: TableId::Bitwise,
        active: always(),
        tuple: vec![
            RowExpr::constant(Fr::from(bitwise_op::AND)),
            RowExpr::col(c.y[0]),
            RowExpr::constant(Fr::from(31u64)),
            shamt,
        ],
    });

    let (column_names, small_columns, r1cs) = bld.finish();
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
    let init = program
        .initial_words()
        .into_iter()
        .filter(|(a, v)| *v != 0 && *a >= base)
        .map(|(a, v)| (word_address(base, a), Fr::from(v)))
        .chain(registers)
        .filter(|(a, _)| *a < size)
        .collect();
    let (bytecode, _) = bytecode_table(program);
    let permissions = permission_ranges(program);
    let machine = Machine {
        isa: "rv32im".into(),
        program_digest: program_digest_of(program, &bytecode, &permissions),
        column_names,
        small_columns,
        r1cs,
        slots,
        cycle_col: c.cycle,
        lookups,
        bytecode,
        memory: MemoryLayout {
            log_size: mem_log_size,
            init,
            init_flag: Fr::one(),
            permissions: Some(permissions),
        },
        outputs: (0..4)
            .map(|k| OutputLane {
                active: RowExpr::col(c.out_lane[k]),
                index: (0..k).fold(RowExpr::col(c.out_idx), |e, j| {
                    e.plus(c.out_lane[j], Fr::one())
                }),
                value: RowExpr::col(c.x[k]),
            })
            .collect(),
        public_output: public_output.to_vec(),
        exit_code,
        uses_bitwise: true,
    };
    (machine, c)
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

fn program_digest_of(
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

/// One row's inputs, from the trace.
#[derive(Clone, Debug, Default)]
struct RowIn {
    op: Option<Opcode>,
    pc: u32,
    imm: i32,
    sub: bool,
    v1: u32,
    v2: u32,
    rd_active: bool,
    rd_old: u32,
    rd_val: u32,
    ram_on: bool,
    ram_old: u32,
    ram_new: u32,
    /// The RAM word's byte address (chunk rows).
    ram_addr: u32,
    /// Effective address (loads, stores, ecall buffers) or jalr target before masking.
    pc_new: u32,
    is_exit: bool,
    w1: bool,
    w2: bool,
    is_read: bool,
    got: bool,
    put: bool,
    /// Bytes of the call done before this chunk row, and in all.
    done: u32,
    total: u32,
    /// The chunk covers bytes `lane_start .. lane_end` of its word (`lane_end` 0: no lanes).
    lane_start: u32,
    lane_end: u32,
    /// Another chunk row of the same call follows.
    cont: bool,
    sys_a7: u32,
    sys_a0: u32,
    out_idx: u64,
    /// The input had ended before this row.
    eof: bool,
    /// This read is followed by more input (the input has not ended after it).
    more: bool,
}

/// The chunk rows of a `read` (`input`: the bytes it wrote at `addr`) or of a public `write`
/// (the bytes it wrote out from `addr`): one row per RAM word the buffer touches (one row with
/// no lanes for no bytes), each starting from `first` (the call's second row), with the RAM and
/// a0 replayed.
fn io_chunks(
    first: RowIn,
    addr: u32,
    bytes: &[u8],
    base: u32,
    ram: &mut HashMap<u32, u32>,
    regs: &mut [u32; 32],
    input: bool,
) -> Result<Vec<RowIn>, &'static str> {
    let total = bytes.len() as u32;
    let mut rows = Vec::new();
    let mut done = 0u32;
    loop {
        let mut row = RowIn {
            done,
            total,
            rd_active: true,
            rd_old: regs[A0],
            ..first.clone()
        };
        if done < total {
            let p = addr
                .checked_add(done)
                .ok_or("a buffer wraps around the address space")?;
            let a = p & !3;
            if a < base {
                return Err("a buffer below the program image");
            }
            let (s, e) = (p & 3, (4u32).min((p & 3) + total - done));
            let old = ram.get(&a).copied().unwrap_or(0);
            let mut word = old.to_le_bytes();
            let chunk = &bytes[done as usize..(done + e - s) as usize];
            if input {
                word[s as usize..e as usize].copy_from_slice(chunk);
            } else if &word[s as usize..e as usize] != chunk {
                return Err("the written bytes differ from memory");
            }
            let new = u32::from_le_bytes(word);
            ram.insert(a, new);
            row.got = input;
            row.put = !input;
            row.ram_on = true;
            row.ram_addr = a;
            row.ram_old = old;
            row.ram_new = new;
            row.lane_start = s;
            row.lane_end = e;
            done += e - s;
        }
        row.rd_val = done;
        row.cont = done < total;
        if row.cont {
            // The next chunk row is at the same pc.
            row.pc_new = row.pc;
        }
        regs[A0] = done;
        rows.push(row);
        if done == total {
            return Ok(rows);
        }
    }
}

fn unprovable(pc: u32, what: &str) -> LowerError {
    LowerError::Unprovable(format!("{what} at pc {pc:#010x}"))
}

/// Lower an RV32IM run (its trace, ending with the `exit` system call) to a machine and a
/// witness. `public_output` is the run's stdout, one element per byte ([`public_output_bytes`]).
pub fn lower(
    program: &Program,
    trace: &[Step],
    public_output: &[Fr],
    exit_code: u32,
) -> Result<(Machine, Witness), LowerError> {
    let base = ram_base(program);
    let (_, table_index) = bytecode_table(program);
    let Some(last) = trace.last() else {
        return Err(LowerError::Unprovable("empty trace".into()));
    };
    if !matches!(last.syscall, Some(SyscallRecord::Exit { .. })) {
        return Err(unprovable(last.pc, "the run does not end with exit"));
    }
    // Replay the registers and RAM to build the rows.
    let mut regs = zkvm_riscv::initial_registers(program);
    let mut ram: HashMap<u32, u32> = program
        .initial_words()
        .into_iter()
        .filter(|(a, _)| *a >= base)
        .collect();
    let mut rows: Vec<RowIn> = Vec::with_capacity(trace.len() + 16);
    let mut max_word = 0u64;
    let mut out_idx = 0u64;
    for (i, step) in trace.iter().enumerate() {
        let op = step.instr.opcode();
        if !supported(op) || !table_index.contains_key(&(step.pc, false)) {
            return Err(unprovable(
                step.pc,
                &format!("unsupported instruction {op}"),
            ));
        }
        let o = step.instr.operands();
        let next_pc = trace.get(i + 1).map_or(step.pc, |n| n.pc);
        if op == Opcode::Ecall {
            let (a7, a0, a1, a2) = (regs[A7], regs[A0], regs[A1], regs[A2]);
            let r0 = RowIn {
                op: Some(op),
                pc: step.pc,
                v1: a7,
                v2: a0,
                sys_a7: a7,
                sys_a0: a0,
                out_idx,
                pc_new: step.pc,
                ..RowIn::default()
            };
            let r1 = RowIn {
                op: Some(op),
                pc: step.pc,
                sub: true,
                v1: a1,
                v2: a2,
                sys_a7: a7,
                sys_a0: a0,
                out_idx,
                pc_new: step.pc.wrapping_add(4),
                ..RowIn::default()
            };
            rows.push(r0);
            match &step.syscall {
                Some(SyscallRecord::Exit { code }) => {
                    if *code != exit_code {
                        return Err(unprovable(
                            step.pc,
                            &format!("exit code {code} is not the public exit code {exit_code}"),
                        ));
                    }
                    rows.push(RowIn {
                        is_exit: true,
                        pc_new: step.pc,
                        ..r1
                    });
                }
                Some(SyscallRecord::Write { fd: 2, .. }) => {
                    regs[A0] = a2;
                    rows.push(RowIn {
                        w2: true,
                        rd_active: true,
                        rd_old: a0,
                        rd_val: a2,
                        ..r1
                    });
                }
                Some(SyscallRecord::Write { addr, bytes, .. }) => {
                    let expected =
                        public_output.get(out_idx as usize..out_idx as usize + bytes.len());
                    if expected.is_none_or(|o| o.iter().zip(bytes).any(|(w, b)| *w != Fr::from(*b)))
                    {
                        return Err(unprovable(
                            step.pc,
                            "output bytes differ from the public output",
                        ));
                    }
                    let first = RowIn { w1: true, ..r1 };
                    let chunks = io_chunks(first, *addr, bytes, base, &mut ram, &mut regs, false)
                        .map_err(|what| unprovable(step.pc, what))?;
                    for mut row in chunks {
                        row.out_idx = out_idx;
                        out_idx += u64::from(row.lane_end - row.lane_start);
                        if row.ram_on {
                            max_word = max_word.max(word_address(base, row.ram_addr));
                        }
                        rows.push(row);
                    }
                }
                Some(SyscallRecord::Read { addr, bytes, .. }) => {
                    let first = RowIn {
                        is_read: true,
                        ..r1
                    };
                    let chunks = io_chunks(first, *addr, bytes, base, &mut ram, &mut regs, true)
                        .map_err(|what| unprovable(step.pc, what))?;
                    for row in chunks {
                        if row.ram_on {
                            max_word = max_word.max(word_address(base, row.ram_addr));
                        }
                        rows.push(row);
                    }
                }
                None => return Err(unprovable(step.pc, "ecall without a record")),
            }
            continue;
        }
        let v1 = regs[o.rs1 as usize];
        let v2 = regs[o.rs2 as usize];
        let mut r = RowIn {
            op: Some(op),
            pc: step.pc,
            imm: o.imm,
            v1: if matches!(
                op,
                Opcode::Lui | Opcode::Auipc | Opcode::Jal | Opcode::Fence
            ) {
                0
            } else {
                v1
            },
            v2: if matches!(
                op.format(),
                zkvm_riscv::Format::R | zkvm_riscv::Format::S | zkvm_riscv::Format::B
            ) {
                v2
            } else {
                0
            },
            out_idx,
            pc_new: next_pc,
            ..RowIn::default()
        };
        let loaded = step.mem.filter(|m| !m.store).map_or(0, |m| m.value);
        r.rd_val = result(op, r.v1, r.v2, o.imm, step.pc, loaded);
        if let Some(rd) = step.instr.rd().filter(|rd| *rd != 0) {
            if r.rd_val != step.rd_val {
                return Err(unprovable(
                    step.pc,
                    "the trace's result disagrees with RV32IM",
                ));
            }
            r.rd_active = true;
            r.rd_old = regs[rd as usize];
        }
        if let Some(m) = step.mem {
            let a = m.addr & !3;
            if a < base {
                return Err(unprovable(step.pc, "memory access below the program image"));
            }
            let old = ram.get(&a).copied().unwrap_or(0);
            let shift = 8 * (m.addr & 3);
            let new = if m.store {
                let mask: u32 = match m.width {
                    1 => 0xff,
                    2 => 0xffff,
                    _ => u32::MAX,
                };
                (old & !(mask << shift)) | ((m.value & mask) << shift)
            } else {
                old
            };
            r.ram_on = true;
            r.ram_old = old;
            r.ram_new = new;
            ram.insert(a, new);
            max_word = max_word.max(word_address(base, a));
        }
        if r.rd_active {
            regs[step.instr.rd().unwrap_or(0) as usize] = r.rd_val;
        }
        rows.push(r);
    }
    // The input ends after the first read that returns fewer bytes than it asked for.
    let mut ended = false;
    for r in rows.iter_mut() {
        r.eof = ended;
        let read_last = r.is_read && !r.cont;
        ended |= read_last && r.total < r.v2;
        r.more = read_last && !ended;
    }
    let n_rows = rows.len().next_power_of_two().max(2);
    let mem_log_size = ((max_word + 1)
        .max(NUM_REGS + 1)
        .next_power_of_two()
        .trailing_zeros() as usize)
        .max(6);
    let (machine, c) = machine_with_cols(program, public_output, exit_code, mem_log_size);
    let ncols = machine.column_names.len();
    let mut cols = vec![vec![Fr::zero(); n_rows]; ncols];
    let table = &machine.bytecode;
    // Rows are independent once replayed: fill blocks of rows in parallel (row-major), then
    // scatter each block into the columns in parallel.
    const BLOCK: usize = 1 << 12;
    for start in (0..n_rows).step_by(BLOCK) {
        let end = (start + BLOCK).min(n_rows);
        let block: Vec<Vec<Fr>> = (start..end)
            .into_par_iter()
            .map(|t| {
                let r = &rows[t.min(rows.len() - 1)];
                let table_row = table_index
                    .get(&(r.pc, r.sub))
                    .and_then(|&i| table.get(i))
                    .ok_or_else(|| unprovable(r.pc, "instruction not in the bytecode table"))?;
                let mut row_vals = vec![Fr::zero(); ncols];
                for (col, v) in c.fields.iter().zip(table_row) {
                    row_vals[*col] = *v;
                }
                fill_row(&c, &mut row_vals, r, t as u64, base, program.span());
                Ok(row_vals)
            })
            .collect::<Result<_, LowerError>>()?;
        cols.par_iter_mut().enumerate().for_each(|(j, col)| {
            for (i, row) in block.iter().enumerate() {
                col[start + i] = row[j];
            }
        });
    }
    let witness = finish_witness(&machine, cols)?;
    Ok((machine, witness))
}

/// Fill the ALU and helper columns of one row (bytecode fields are already set).
fn fill_row(c: &RvCols, v: &mut [Fr], r: &RowIn, cycle: u64, base: u32, span: (u32, u64)) {
    use Opcode::*;
    let op = r.op;
    let is = |ops: &[Opcode]| op.is_some_and(|o| ops.contains(&o));
    let set = |v: &mut [Fr], col: Col, x: i128| v[col] = fi(x);
    let setb = |v: &mut [Fr], col: Col, x: bool| v[col] = Fr::from(u64::from(x));
    set(v, c.cycle, i128::from(cycle));
    set(v, c.v1, i128::from(r.v1));
    set(v, c.v2, i128::from(r.v2));
    if r.rd_active {
        set(v, c.rd_old, i128::from(r.rd_old));
    }
    let rd_val = r.rd_val;
    set(v, c.rd_val, i128::from(rd_val));
    set(v, c.rd_limbs.0, i128::from(rd_val & 0xffff));
    set(v, c.rd_limbs.1, i128::from(rd_val >> 16));
    if r.ram_on {
        set(v, c.ram_old, i128::from(r.ram_old));
        set(v, c.ram_new, i128::from(r.ram_new));
    }
    // Effective address.
    let uses_eff = is(&[Lb, Lh, Lw, Lbu, Lhu, Sb, Sh, Sw, Jalr]) || r.sub;
    let mut e: i128 = 0;
    if uses_eff {
        let sum = u64::from(r.v1) + u64::from(r.imm as u32) + u64::from(r.done);
        setb(v, c.ecarry, sum >> 32 != 0);
        e = i128::from(sum & 0xffff_ffff);
        if r.ram_on {
            e -= i128::from(base);
        }
    }
    // A system-call buffer checked without a RAM access: E = a1 − lo, aux = hi − lo − E − n.
    let buffer_checked = r.w2 || (r.is_read && !r.got) || (r.w1 && !r.put);
    let mut buffer_room = 0u64;
    if buffer_checked {
        let (lo, hi) = span;
        let len = if r.w2 { r.v2 } else { 0 };
        e = i128::from(r.v1) - i128::from(lo);
        buffer_room = (i128::from(hi) - i128::from(lo) - e - i128::from(len)) as u64;
    }
    let subword = is(&[Lb, Lh, Lbu, Lhu, Sb, Sh]);
    let x_val: u32 = if subword || r.got || r.put {
        r.ram_old
    } else {
        r.v1
    };
    let xb = x_val.to_le_bytes();
    // Division needs Y before E; compute Y's pieces that do not depend on E first.
    let use_imm = is(&[Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai]);
    // Division (E is the remainder bound there).
    let divs = is(&[Div, Divu, Rem, Remu]);
    let y_plain: u32 = if use_imm { r.imm as u32 } else { r.v2 };
    let mut aux: u64 = 0;
    if divs {
        let signed = is(&[Div, Rem]);
        let s1d = signed && (x_val >> 31) == 1;
        let sb = signed && (y_plain >> 31) == 1;
        let a_s = i128::from(x_val) - if s1d { TWO32 } else { 0 };
        let b_s = i128::from(y_plain) - if sb { TWO32 } else { 0 };
        let (q_s, r_s) = if b_s == 0 {
            (TWO32 - 1, a_s)
        } else {
            (a_s / b_s, a_s % b_s)
        };
        // The overflow case −2^31 / −1 gives q = 2^31 here (then Q = 2^31 = spec's result).
        let qu = q_s.rem_euclid(TWO32);
        let ru = r_s.rem_euclid(TWO32);
        let sq = q_s < 0;
        let sr = r_s < 0;
        setb(v, c.s1d, s1d);
        setb(v, c.sb, sb);
        set(v, c.dq, qu);
        set(v, c.dr, ru);
        setb(v, c.sq, sq);
        setb(v, c.sr, sr);
        set(v, c.absr, r_s.abs());
        set(v, c.absb, b_s.abs());
        setb(v, c.dz, b_s == 0);
        set(v, c.mx, q_s);
        set(v, c.my, b_s);
        set(v, c.prod, if b_s == 0 { 0 } else { q_s * b_s });
        if b_s == 0 {
            // mx·my = q·0.
            set(v, c.prod, 0);
        }
        e = b_s.abs() - 1 - r_s.abs() + if b_s == 0 { TWO32 } else { 0 };
        aux = if is(&[Div, Divu]) {
            ru as u64
        } else {
            qu as u64
        };
    }
    let e_u = e as u64;
    set(v, c.eff_limbs.0, i128::from(e_u & 0xffff));
    set(v, c.eff_limbs.1, i128::from(e_u >> 16));
    let (b0, b1) = (e_u & 1 == 1, e_u & 2 == 2);
    setb(v, c.b0, b0);
    setb(v, c.b1, b1);
    set(v, c.w, i128::from(e_u >> 2));
    // Byte selection.
    let hl = if b1 { xb[2] } else { xb[0] };
    let hh = if b1 { xb[3] } else { xb[1] };
    let byte = if b0 { hh } else { hl };
    let half = u32::from(hl) | (u32::from(hh) << 8);
    set(v, c.hl, i128::from(hl));
    set(v, c.hh, i128::from(hh));
    set(v, c.byte, i128::from(byte));
    let scale: i128 = (1 + 255 * i128::from(b0)) * (1 + 65535 * i128::from(b1));
    set(v, c.scale, scale);
    // Y.
    let y_val: u32 = if is(&[Lb]) {
        u32::from(byte) << 24
    } else if is(&[Lh]) {
        half << 16
    } else if r.got || r.put {
        r.ram_new
    } else {
        y_plain
    };
    let yb = y_val.to_le_bytes();
    let bw = if is(&[Or, Ori]) {
        |a: u8, b: u8| a | b
    } else if is(&[Xor, Xori]) {
        |a: u8, b: u8| a ^ b
    } else {
        |a: u8, b: u8| a & b
    };
    for i in 0..4 {
        set(v, c.x[i], i128::from(xb[i]));
        set(v, c.y[i], i128::from(yb[i]));
        set(v, c.r[i], i128::from(bw(xb[i], yb[i])));
    }
    let s1 = x_val >> 31 == 1;
    let s2 = y_val >> 31 == 1;
    setb(v, c.s1, s1);
    setb(v, c.s2, s2);
    let d = fi(i128::from(x_val) - i128::from(y_val));
    v[c.inv] = d.inverse().unwrap_or(Fr::zero());
    setb(v, c.eq, x_val == y_val);
    let yf = Fr::from(y_val);
    v[c.yinv] = yf.inverse().unwrap_or(Fr::zero());
    setb(v, c.yz, y_val == 0);
    if !divs {
        set(v, c.absb, i128::from(y_val));
    }
    // Comparison.
    let signed_cmp = is(&[Blt, Bge, Slt, Slti]);
    let cmp = signed_cmp || is(&[Bltu, Bgeu, Sltu, Sltiu]);
    let (xs, ys) = if signed_cmp {
        (i128::from(x_val as i32), i128::from(y_val as i32))
    } else {
        (i128::from(x_val), i128::from(y_val))
    };
    let lt = xs < ys;
    if cmp {
        setb(v, c.lt, lt);
        let sd = if signed_cmp {
            i128::from(s1) - i128::from(s2)
        } else {
            0
        };
        set(v, c.sd, sd);
        aux = (i128::from(x_val) - i128::from(y_val) + TWO32 * (i128::from(lt) - sd)) as u64;
    }
    // Branch condition.
    let cond = match op {
        Some(Beq) => x_val == y_val,
        Some(Bne) => x_val != y_val,
        Some(Blt) | Some(Bltu) => lt,
        Some(Bge) | Some(Bgeu) => !lt,
        Some(Jal) => true,
        _ => false,
    };
    setb(v, c.cond, cond);
    if cond {
        set(v, c.delta, i128::from(r.imm) - 4);
    }
    set(v, c.pc_new, i128::from(r.pc_new));
    // Carries.
    let carry = match op {
        Some(Add) | Some(Addi) => u64::from(x_val) + u64::from(y_val) >= 1 << 32,
        Some(Sub) => x_val < y_val,
        Some(Auipc) => u64::from(r.pc) + u64::from(r.imm as u32) >= 1 << 32,
        _ => false,
    };
    setb(v, c.carry, carry);
    // Stores.
    let sdelta: i128 = match op {
        Some(Sb) => i128::from(yb[0]) - i128::from(byte),
        Some(Sh) => i128::from(yb[0]) + 256 * i128::from(yb[1]) - i128::from(half),
        _ => 0,
    };
    set(v, c.sdelta, sdelta);
    set(v, c.sprod, sdelta * scale);
    // Shifts.
    let shamt = u32::from(yb[0] & 31);
    for i in 0..5 {
        setb(v, c.sh[i], (shamt >> i) & 1 == 1);
    }
    let bit = |i: u32| i128::from((shamt >> i) & 1);
    let p1 = (1 + bit(0)) * (1 + 3 * bit(1));
    let p2 = p1 * (1 + 15 * bit(2));
    let p3 = p2 * (1 + 255 * bit(3));
    set(v, c.pp[0], p1);
    set(v, c.pp[1], p2);
    set(v, c.pp[2], p3);
    set(v, c.pow, 1i128 << shamt);
    set(v, c.powr, 1i128 << (32 - shamt));
    // The multiplier (division filled above).
    let signed_x = i128::from(x_val) - if s1 { TWO32 } else { 0 };
    let signed_y = i128::from(y_val) - if s2 { TWO32 } else { 0 };
    let mul_in = match op {
        Some(Sll) | Some(Slli) => Some((i128::from(x_val), 1i128 << shamt, false)),
        Some(Srl) | Some(Srli) => Some((i128::from(x_val), 1i128 << (32 - shamt), true)),
        Some(Sra) | Some(Srai) => Some((signed_x, 1i128 << (32 - shamt), true)),
        Some(Mul) => Some((i128::from(x_val), i128::from(y_val), false)),
        Some(Mulhu) => Some((i128::from(x_val), i128::from(y_val), true)),
        Some(Mulhsu) => Some((signed_x, i128::from(y_val), true)),
        Some(Mulh) => Some((signed_x, signed_y, true)),
        _ => None,
    };
    if let Some((mx, my, high)) = mul_in {
        let p = mx * my;
        set(v, c.mx, mx);
        set(v, c.my, my);
        set(v, c.prod, p);
        let hi = p >> 32; // floor
        let lo = p & 0xffff_ffff;
        if high {
            setb(v, c.sp, hi < 0);
            aux = lo as u64;
        } else {
            aux = hi as u64;
        }
    }
    // System calls.
    setb(v, c.is_exit, r.is_exit);
    setb(v, c.is_write, r.w1 || r.w2);
    setb(v, c.is_read, r.is_read);
    setb(v, c.w1, r.w1);
    setb(v, c.w2, r.w2);
    setb(v, c.got, r.got);
    setb(v, c.put, r.put);
    // Chunk rows.
    set(v, c.done, i128::from(r.done));
    set(v, c.total, i128::from(r.total));
    setb(v, c.b01, b0 && b1);
    for k in 0..4u32 {
        let lane = r.lane_start <= k && k < r.lane_end;
        setb(v, c.lane_end[k as usize], k < r.lane_end);
        setb(v, c.lane[k as usize], lane);
        setb(v, c.out_lane[k as usize], lane && r.w1);
    }
    setb(v, c.cont, r.cont);
    let left = i128::from(r.total) - i128::from(r.done) - i128::from(r.lane_end - r.lane_start);
    v[c.cont_inv] = fi(left).inverse().unwrap_or(Fr::zero());
    setb(v, c.read_last, r.is_read && !r.cont);
    if r.got {
        aux = u64::from(r.v2 - r.total);
    }
    setb(v, c.eof, r.eof);
    setb(v, c.more, r.more);
    if op == Some(Ecall) {
        set(v, c.sys_a7, i128::from(r.sys_a7));
        set(v, c.sys_a0, i128::from(r.sys_a0));
    }
    if buffer_checked {
        aux = buffer_room;
    }
    set(v, c.aux_limbs.0, i128::from(aux & 0xffff));
    set(v, c.aux_limbs.1, i128::from(aux >> 16));
    set(v, c.out_idx, i128::from(r.out_idx));
}

/// The value an instruction's constraints give rd (whether or not rd is written): RV32IM's
/// semantics on the operands; `loaded` is the value a load produced.
fn result(op: Opcode, v1: u32, v2: u32, imm: i32, pc: u32, loaded: u32) -> u32 {
    use Opcode::*;
    let i = imm as u32;
    match op {
        Lui => i,
        Auipc => pc.wrapping_add(i),
        Jal | Jalr => pc.wrapping_add(4),
        Lb | Lh | Lw | Lbu | Lhu => loaded,
        Addi => v1.wrapping_add(i),
        Slti => u32::from((v1 as i32) < imm),
        Sltiu => u32::from(v1 < i),
        Xori => v1 ^ i,
        Ori => v1 | i,
        Andi => v1 & i,
        Slli => v1 << (i & 31),
        Srli => v1 >> (i & 31),
        Srai => ((v1 as i32) >> (i & 31)) as u32,
        Add => v1.wrapping_add(v2),
        Sub => v1.wrapping_sub(v2),
        Sll => v1 << (v2 & 31),
        Slt => u32::from((v1 as i32) < (v2 as i32)),
        Sltu => u32::from(v1 < v2),
        Xor => v1 ^ v2,
        Srl => v1 >> (v2 & 31),
        Sra => ((v1 as i32) >> (v2 & 31)) as u32,
        Or => v1 | v2,
        And => v1 & v2,
        Mul => v1.wrapping_mul(v2),
        Mulh => ((i64::from(v1 as i32) * i64::from(v2 as i32)) >> 32) as u32,
        Mulhsu => ((i64::from(v1 as i32) * i64::from(v2)) >> 32) as u32,
        Mulhu => ((u64::from(v1) * u64::from(v2)) >> 32) as u32,
        Div => {
            if v2 == 0 {
                u32::MAX
            } else {
                (v1 as i32).wrapping_div(v2 as i32) as u32
            }
        }
        Divu => v1.checked_div(v2).unwrap_or(u32::MAX),
        Rem => {
            if v2 == 0 {
                v1
            } else {
                (v1 as i32).wrapping_rem(v2 as i32) as u32
            }
        }
        Remu => v1.checked_rem(v2).unwrap_or(v1),
        Beq | Bne | Blt | Bge | Bltu | Bgeu | Sb | Sh | Sw | Fence | Ecall | Ebreak => 0,
    }
}
