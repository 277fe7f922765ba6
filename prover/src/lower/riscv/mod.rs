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
//! # Layout
//! One file per instruction group, each with its constraints (`eval`) beside the witness
//! code that satisfies them (`fill`):
//! [`operands`] (X, Y, equality, bitwise lookups), [`control`] (comparisons, branches, the pc),
//! [`alu`], [`memory`] (addresses, loads, stores), [`shift_mul`], [`divide`], [`ecall`]
//! (system calls, chunk rows, input, output). [`columns`] declares every column once,
//! [`flags`] the bytecode fields and opcode groups, [`program`] what the verifier derives from
//! the program, and [`trace`] the rows a run becomes. This file assembles the machine (the
//! groups, the memory slots and the shared range checks) and fills the witness row by row.
//!
//! # What is not enforced
//! Segment permissions and bounds, as the interpreter enforces them, are part of the memory
//! tuples ([`program::permission_ranges`]): registers and words of writable pages are read-write (2), the
//! rest of the loaded span read-only (1), everything else inaccessible (0). The ram slot carries
//! the accessed word's permission, which must be 1 or 2, and 2 for a store or an input word; the
//! initial and final memory tuples carry the public ranges, so a proof cannot claim a store into
//! code or read-only data, or an access outside the loaded span.
//!

use std::collections::HashMap;

use ark_bn254::Fr;
use ark_ff::One;
use zkvm_riscv::{Program, Step};

use super::{fill_rows, finish_witness, LowerError, Witness};
use crate::machine::{
    cur, offline_memory, one, zero, Builder, LookupUse, Machine, MemSlot, MemoryLayout, OutputLane,
    PublicValues, TableId,
};

mod alu;
pub mod columns;
mod control;
mod divide;
mod ecall;
pub mod flags;
mod memory;
mod operands;
pub mod program;
pub mod shards;
mod shift_mul;
mod trace;

pub use columns::RvCols;
pub use flags::{bytecode_row, supported, Field};
pub use program::{
    bytecode_table, output_bytes, permission_ranges, program_digest, public_output_bytes, ram_base,
    word_address, BytecodeIndex,
};

use flags::Flags;
use trace::{unprovable, RowIn};

/// Number of registers (addresses `0..32` of the memory).
pub const NUM_REGS: u64 = 32;

/// The bits of a register's address (`0..NUM_REGS`): the register slots' address width under
/// Twist (their addresses are bytecode fields, register indices).
const REGISTER_BITS: usize = NUM_REGS.trailing_zeros() as usize;
const A0: usize = 10;
const A1: usize = 11;
const A2: usize = 12;
const A7: usize = 17;
const SYS_EXIT: u32 = 93;
const SYS_WRITE: u32 = 64;
const SYS_READ: u32 = 63;

const TWO32: i128 = 1 << 32;

/// A field element from a signed integer.
fn fi(v: i128) -> Fr {
    if v >= 0 {
        Fr::from(v as u128)
    } else {
        -Fr::from(v.unsigned_abs())
    }
}

/// The RV32IM machine for `program` over a memory of `2^mem_log_size` cells: the verifier
/// rebuilds it from the program and the proof's memory size alone (the run's exit code and
/// output are public values beside it).
pub fn machine(program: &Program, mem_log_size: usize) -> Machine {
    machine_with_cols(program, mem_log_size).0
}

/// [`machine`] and its columns.
pub fn machine_with_cols(program: &Program, mem_log_size: usize) -> (Machine, RvCols) {
    let base = ram_base(program);
    // The interpreter's memory is the span [lo, hi); system-call buffers must lie inside it.
    let (lo, hi) = program.span();
    let mut bld = Builder::default();
    let c = RvCols::declare(&mut bld);
    let mut lookups = Vec::new();
    operands::eval(&mut bld, &c, &mut lookups);
    control::eval(&mut bld, &c, program.entry);
    alu::eval(&mut bld, &c);
    memory::eval(&mut bld, &c, &mut lookups, base, lo);
    shift_mul::eval(&mut bld, &c, &mut lookups);
    divide::eval(&mut bld, &c);
    ecall::eval(&mut bld, &c, &ecall::Span { lo, hi });

    let slots = memory_slots(&c);
    let mut memory_lookups = offline_memory::constrain(&mut bld, &slots, c.cycle);
    memory_lookups.push(LookupUse {
        name: "instruction fetch".into(),
        table: TableId::Bytecode,
        active: one(),
        tuple: c.fields.iter().map(|&col| cur(col)).collect(),
    });
    // The shared range-checked words: rd (always) and aux (each group's spare u32).
    for (name, col) in [
        ("rd low", c.rd_lo),
        ("rd high", c.rd_hi),
        ("aux low", c.aux_lo),
        ("aux high", c.aux_hi),
    ] {
        memory_lookups.push(LookupUse {
            name: format!("range: {name} limb"),
            table: TableId::Range16,
            active: one(),
            tuple: vec![cur(col)],
        });
    }
    memory_lookups.extend(lookups);

    let (column_names, small_columns, r1cs) = bld.finish();
    let (bytecode, _) = bytecode_table(program);
    let permissions = permission_ranges(program);
    let machine = Machine {
        isa: "rv32im".into(),
        program_digest: program::program_digest_of(program, &bytecode, &permissions),
        column_names,
        small_columns,
        r1cs,
        slots,
        cycle_col: c.cycle,
        lookups: memory_lookups,
        bytecode,
        memory: MemoryLayout {
            log_size: mem_log_size,
            init: program::initial_memory(program, mem_log_size),
            init_flag: Fr::one(),
            permissions: Some(permissions),
            committed_init: false,
        },
        outputs: (0..4)
            .map(|k| OutputLane {
                active: cur(c.out_lane[k]),
                index: (0..k).fold(cur(c.out_idx), |e, j| e + cur(c.out_lane[j])),
                value: cur(c.x[k]),
            })
            .collect(),
        uses_bitwise: true,
        shout_fetch: None,
        split_tables: None,
        twist_memory: None,
    };
    (machine, c)
}

/// The four memory slots of a row, in timestamp order: rs1, rs2, ram, rd.
fn memory_slots(c: &RvCols) -> Vec<MemSlot> {
    let register_read = |name: &str, field, value, read_ts, limbs| MemSlot {
        name: name.into(),
        active: one(),
        addr: cur(c.field(field)),
        read_value: value,
        write_value: value,
        read_ts,
        read_init_flag: None,
        ts_diff_limbs: limbs,
        permission: None,
        writes: zero(),
        address_bits: Some(REGISTER_BITS),
    };
    vec![
        register_read(
            "rs1",
            Field::Rs1,
            c.v1,
            c.rs1_read_ts,
            (c.rs1_ts_lo, c.rs1_ts_hi),
        ),
        register_read(
            "rs2",
            Field::Rs2,
            c.v2,
            c.rs2_read_ts,
            (c.rs2_ts_lo, c.rs2_ts_hi),
        ),
        MemSlot {
            name: "ram".into(),
            active: memory::ram_on(c),
            addr: cur(c.w) + Fr::from(NUM_REGS),
            read_value: c.ram_old,
            write_value: c.ram_new,
            read_ts: c.ram_read_ts,
            read_init_flag: None,
            ts_diff_limbs: (c.ram_ts_lo, c.ram_ts_hi),
            permission: Some(c.ram_perm),
            writes: memory::ram_writes(c),
            address_bits: None,
        },
        MemSlot {
            name: "rd".into(),
            active: c.f(Field::RdW) + cur(c.is_write) + cur(c.is_read),
            addr: cur(c.field(Field::Rd)),
            read_value: c.rd_old,
            write_value: c.rd_val,
            read_ts: c.rd_read_ts,
            read_init_flag: None,
            ts_diff_limbs: (c.rd_ts_lo, c.rd_ts_hi),
            permission: None,
            writes: zero(),
            address_bits: Some(REGISTER_BITS),
        },
    ]
}

/// Lower an RV32IM run (its trace, ending with the `exit` system call) to a machine and a
/// witness. The public output is the run's stdout, one element per byte
/// ([`public_output_bytes`]).
pub fn lower(
    program: &Program,
    trace: &[Step],
    public: &PublicValues,
) -> Result<(Machine, Witness), LowerError> {
    let base = ram_base(program);
    let (_, table_index) = bytecode_table(program);
    let (rows, max_word) =
        trace::rows(trace, &public.output, public.exit_code, base, &table_index)?;
    let n_rows = rows.len().next_power_of_two().max(2);
    let (machine, c) = machine_with_cols(program, memory_log_size_for(max_word));
    let columns = fill(&machine, &c, &rows, n_rows, 0, &table_index, program)?;
    let witness = finish_witness(&machine, public, columns)?;
    Ok((machine, witness))
}

/// The memory size (log2) for a run whose highest RAM word address is `max_word`.
pub fn memory_log_size_for(max_word: u64) -> usize {
    ((max_word + 1)
        .max(NUM_REGS + 1)
        .next_power_of_two()
        .trailing_zeros() as usize)
        .max(6)
}

/// The witness columns of `rows`, the first at cycle `first_cycle`, padded to `n_rows` (the
/// last row repeated).
pub fn fill(
    machine: &Machine,
    c: &RvCols,
    rows: &[RowIn],
    n_rows: usize,
    first_cycle: u64,
    table_index: &HashMap<(u32, bool), usize>,
    program: &Program,
) -> Result<Vec<Vec<Fr>>, LowerError> {
    let base = ram_base(program);
    let table = &machine.bytecode;
    fill_rows(machine.column_names.len(), n_rows, |t, v| {
        let r = &rows[t.min(rows.len() - 1)];
        let table_row = table_index
            .get(&(r.pc, r.sub))
            .and_then(|&i| table.get(i))
            .ok_or_else(|| unprovable(r.pc, "instruction not in the bytecode table"))?;
        for (col, value) in c.fields.iter().zip(table_row) {
            v[*col] = *value;
        }
        fill_row(c, v, r, first_cycle + t as u64, base, program.span());
        Ok(())
    })
}

/// What a row's groups compute and hand on while its witness is filled ([`fill_row`]'s order).
#[derive(Default)]
struct Scratch {
    /// Operand X.
    x: u32,
    /// Y before byte/half selection (rs2 or the immediate).
    y_plain: u32,
    /// Operand Y.
    y: u32,
    /// The address unit's word: the effective address minus base, a buffer's offset, or a
    /// division's remainder bound.
    e: i128,
    /// The spare range-checked word.
    aux: u64,
    /// The room after a buffer that is only bounds-checked (it becomes `aux`).
    buffer_room: Option<u64>,
    /// The address unit's low bits.
    b0: bool,
    b1: bool,
    /// The byte and half of X they select, and `256^(E mod 4)`.
    byte: u8,
    half: u32,
    scale: i128,
    /// The signs of X and Y.
    s1: bool,
    s2: bool,
}

/// Fill one row's columns (its bytecode fields are already set): the values every row has,
/// then each group's, in the order their values depend on each other.
fn fill_row(c: &RvCols, v: &mut [Fr], r: &RowIn, cycle: u64, base: u32, span: (u32, u64)) {
    let fields: [Fr; Field::ALL.len()] = std::array::from_fn(|i| v[c.fields[i]]);
    let flags = Flags::new(&fields);
    v[c.cycle] = Fr::from(cycle);
    v[c.v1] = Fr::from(r.v1);
    v[c.v2] = Fr::from(r.v2);
    if r.rd_active {
        v[c.rd_old] = Fr::from(r.rd_old);
    }
    v[c.rd_val] = Fr::from(r.rd_val);
    v[c.rd_lo] = Fr::from(r.rd_val & 0xffff);
    v[c.rd_hi] = Fr::from(r.rd_val >> 16);
    if r.ram_on {
        v[c.ram_old] = Fr::from(r.ram_old);
        v[c.ram_new] = Fr::from(r.ram_new);
    }
    v[c.pc_new] = Fr::from(r.pc_new);
    v[c.out_idx] = Fr::from(r.out_idx);

    let mut s = Scratch {
        x: operands::x_value(flags, r),
        y_plain: operands::y_plain(flags, r),
        ..Scratch::default()
    };
    memory::fill_address(c, v, r, flags, base, &mut s);
    ecall::fill_buffer(r, span, &mut s);
    divide::fill_quotient(c, v, flags, &mut s);
    memory::fill_select(c, v, &mut s);
    operands::fill(c, v, r, flags, &mut s);
    divide::fill_divisor(c, v, flags, &s);
    control::fill(c, v, r, flags, &mut s);
    alu::fill(c, v, r, flags, &s);
    memory::fill_store(c, v, flags, &s);
    shift_mul::fill(c, v, flags, &mut s);
    ecall::fill(c, v, r, flags, &mut s);
    v[c.aux_lo] = Fr::from(s.aux & 0xffff);
    v[c.aux_hi] = Fr::from(s.aux >> 16);
}
