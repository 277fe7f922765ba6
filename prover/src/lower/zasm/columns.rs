//! The zasm trace columns as one typed struct, [`ZasmCols`], declared by the same macro as
//! RV32IM's: each column's name is its field's name, in commitment order.
//!
//! Three memory slots per row, `dst`, `op0` and `op1`, each with an address, the value read
//! (the cell's value before the access), the value written, the read timestamp and the limbs of
//! the timestamp difference; `op1` is never written, so its write value is its read value.
//!
#![doc = include_str!("columns.md")]

use super::flags::Field;
use crate::machine::Col;

air_columns! {
    /// The columns of the zasm machine: the bytecode fields, then one field per column.
    pub struct ZasmCols {
        fields: Field, wide [Imm];
        /// The allocation pointer.
        ap: small,
        /// The frame pointer.
        fp: small,
        /// Row index.
        cycle: small,
        /// ap's low 16-bit limb (registers are u32).
        ap_lo: small,
        /// ap's high limb.
        ap_hi: small,
        /// fp's low limb.
        fp_lo: small,
        /// fp's high limb.
        fp_hi: small,
        /// dst's address.
        dst_addr: small,
        /// op0's address.
        op0_addr: small,
        /// op1's address.
        op1_addr: small,
        /// The value dst reads (the cell before the access).
        dst_read_value: field,
        /// The value op0 reads.
        op0_read_value: field,
        /// The value op1 reads (the immediate for `op1_imm`).
        op1_read_value: field,
        /// The value dst leaves in its cell.
        dst_write_value: field,
        /// The value op0 leaves in its cell.
        op0_write_value: field,
        /// dst's read timestamp.
        dst_read_ts: small,
        /// op0's read timestamp.
        op0_read_ts: small,
        /// op1's read timestamp.
        op1_read_ts: small,
        /// Low limb of dst's timestamp difference.
        dst_ts_lo: small,
        /// High limb.
        dst_ts_hi: small,
        /// Low limb of op0's timestamp difference.
        op0_ts_lo: small,
        /// High limb.
        op0_ts_hi: small,
        /// Low limb of op1's timestamp difference.
        op1_ts_lo: small,
        /// High limb.
        op1_ts_hi: small,
        /// dst read an initialised cell.
        dst_read_flag: small,
        /// op0 read an initialised cell.
        op0_read_flag: small,
        /// `op0 · op1`.
        prod: field,
        /// The result `res`.
        res: field,
        /// The inverse of dst's value (0 when it is 0), for `jnz`.
        dst_inv: field,
        /// `[dst ≠ 0]`.
        nz: small,
        /// `nz · (op1 − 1)`: the jnz pc increment beyond 1.
        jump_delta: field,
        /// The next pc.
        pc_new: small,
        /// The next ap.
        ap_new: small,
        /// The next fp.
        fp_new: small,
        /// Outputs before this row.
        out_idx: small,
        /// A dereferenced op0's low limb (a base address is u32).
        op0_lo: small,
        /// Its high limb.
        op0_hi: small,
    }
}

/// The memory slots in column order: dst, op0, op1.
pub const SLOT_NAMES: [&str; 3] = ["dst", "op0", "op1"];

impl ZasmCols {
    /// Each slot's address.
    pub fn addr(&self) -> [Col; 3] {
        [self.dst_addr, self.op0_addr, self.op1_addr]
    }

    /// Each slot's read value.
    pub fn read(&self) -> [Col; 3] {
        [
            self.dst_read_value,
            self.op0_read_value,
            self.op1_read_value,
        ]
    }

    /// Each slot's write value (op1's is its read value).
    pub fn write(&self) -> [Col; 3] {
        [
            self.dst_write_value,
            self.op0_write_value,
            self.op1_read_value,
        ]
    }

    /// Each slot's read timestamp.
    pub fn read_ts(&self) -> [Col; 3] {
        [self.dst_read_ts, self.op0_read_ts, self.op1_read_ts]
    }

    /// Each slot's timestamp-difference limbs.
    pub fn ts_limbs(&self) -> [(Col, Col); 3] {
        [
            (self.dst_ts_lo, self.dst_ts_hi),
            (self.op0_ts_lo, self.op0_ts_hi),
            (self.op1_ts_lo, self.op1_ts_hi),
        ]
    }

    /// Each slot's read flag (op1 always reads an initialised cell: the constant 1).
    pub fn read_flag(&self) -> [Option<Col>; 3] {
        [Some(self.dst_read_flag), Some(self.op0_read_flag), None]
    }
}
