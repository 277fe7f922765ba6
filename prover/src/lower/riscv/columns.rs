//! The RV32IM trace columns as one typed struct, [`RvCols`]. One macro declares it, so each
//! column's name is its field's name (`x: small[4]` is the columns `x0..x3`), and every column
//! is declared in one place, in commitment order.
//!
//! `small` columns hold values below 2^32 on every honest row (committed through the
//! small-value path); `field` columns hold arbitrary field elements.
//!
//! The row-by-row review of what pins each column is in `columns.md` (this module's second
//! half of documentation).
#![doc = include_str!("columns.md")]

use super::fi;
use super::flags::Field;
use crate::machine::{cur, zero, Col};
use crate::r1cs::LinComb;

air_columns! {
    /// The columns of the RV32IM machine: the bytecode fields, then one field per column.
    pub struct RvCols {
        fields: Field, wide [SimmM4];
        /// Row index.
        cycle: small,
        /// rs1's value.
        v1: small,
        /// rs2's value.
        v2: small,
        /// rd's value before the write.
        rd_old: small,
        /// The value written to rd.
        rd_val: small,
        /// rd_val's low 16-bit limb.
        rd_lo: small,
        /// rd_val's high 16-bit limb.
        rd_hi: small,
        /// The RAM word before the access.
        ram_old: small,
        /// The RAM word after.
        ram_new: small,
        /// Word offset of the RAM access from `base`.
        w: field,
        /// Bit 0 of the effective address.
        b0: small,
        /// Bit 1.
        b1: small,
        /// Low limb of the effective address minus base (a spare range-checked u32 elsewhere).
        eff_lo: small,
        /// Its high limb.
        eff_hi: small,
        /// Carry of `rs1 + imm`.
        ecarry: small,
        /// Bytes of X.
        x: small[4],
        /// Bytes of Y.
        y: small[4],
        /// Bitwise result bytes.
        r: small[4],
        /// Sign of X.
        s1: small,
        /// Sign of Y.
        s2: small,
        /// Inverse of X − Y.
        inv: field,
        /// `[X = Y]`.
        eq: small,
        /// `[X < Y]`.
        lt: small,
        /// `signed · (s1 − s2)`.
        sd: field,
        /// Branch taken.
        cond: small,
        /// `cond · (imm − 4)`.
        delta: field,
        /// Next pc.
        pc_new: small,
        /// Carry of add/sub/auipc.
        carry: small,
        /// Low limb of the spare range-checked word `aux`.
        aux_lo: small,
        /// Its high limb.
        aux_hi: small,
        /// Selected byte of the lower/upper half.
        hl: small,
        /// High byte of the selected half.
        hh: small,
        /// Selected byte.
        byte: small,
        /// `256^(addr mod 4)`.
        scale: small,
        /// Store delta.
        sdelta: field,
        /// `scale · sdelta`.
        sprod: field,
        /// Shift amount bits.
        sh: small[5],
        /// Partial products of `2^shamt` (bits 0..1, 0..2, 0..3).
        pow_partial: small[3 from 1],
        /// `2^shamt`.
        pow: small,
        /// `2^(32 − shamt)`.
        powr: field,
        /// First multiplier input.
        mx: field,
        /// Second multiplier input.
        my: field,
        /// `mx · my`.
        prod: field,
        /// Sign of the high word.
        sp: small,
        /// Division: the quotient (u32).
        dq: small,
        /// The remainder (u32).
        dr: small,
        /// Quotient sign.
        sq: small,
        /// Remainder sign.
        sr: small,
        /// Divisor sign (signed division only).
        div_sign_b: small,
        /// Dividend sign (signed division only).
        s1d: small,
        /// `|b|`.
        absb: field,
        /// `|r|`.
        absr: field,
        /// Inverse of Y.
        yinv: field,
        /// `[Y = 0]`.
        yz: small,
        /// `division · [Y = 0]`.
        dz: small,
        /// a7 of the current ecall.
        sys_a7: small,
        /// a0 of the current ecall.
        sys_a0: small,
        /// An exit.
        is_exit: small,
        /// A write.
        is_write: small,
        /// A read.
        is_read: small,
        /// A write to fd 1.
        w1: small,
        /// A write to fd 2.
        w2: small,
        /// A chunk row of a `read` that writes a RAM word (its lanes are input bytes).
        got: small,
        /// A chunk row of a `write` to fd 1 that reads a RAM word (its lanes are output bytes).
        put: small,
        /// Bytes of the call's buffer handled on its chunk rows before this one.
        done: small,
        /// Bytes the call handles in all: `len` for a write to fd 1, the bytes read for a `read`.
        total: small,
        /// `lane_end[k]` = [k < e], where the chunk covers the word's bytes `s .. e`.
        lane_end: small[4],
        /// `lane[k]` = [s ≤ k < e]: byte k of the word is in the chunk.
        lane: small[4],
        /// `out_lane[k]` = `w1 · lane[k]`: byte k of the word is public output.
        out_lane: small[4],
        /// `b0 · b1` (the chunk starts at byte 3).
        b01: small,
        /// Another chunk row of the same call follows: [total ≠ done + count].
        cont: small,
        /// The inverse of `total − done − count` (0 when it is 0).
        cont_inv: field,
        /// `is_read · (1 − cont)`: the last chunk row of a read.
        read_last: small,
        /// The permission of the RAM word accessed (1 read-only, 2 read-write).
        ram_perm: small,
        /// The private input has ended before this row (a read returned fewer bytes than asked).
        eof: small,
        /// `read_last · (1 − eof on the next row)`: a read after which the input goes on, which
        /// must therefore have returned all the bytes it asked for.
        more: small,
        /// Outputs before this row.
        out_idx: small,
        /// The rs1 slot's read timestamp.
        rs1_read_ts: small,
        /// The rs2 slot's read timestamp.
        rs2_read_ts: small,
        /// The ram slot's read timestamp.
        ram_read_ts: small,
        /// The rd slot's read timestamp.
        rd_read_ts: small,
        /// Limbs of the rs1 slot's timestamp difference.
        rs1_ts_lo: small,
        /// High limb.
        rs1_ts_hi: small,
        /// Limbs of the rs2 slot's timestamp difference.
        rs2_ts_lo: small,
        /// High limb.
        rs2_ts_hi: small,
        /// Limbs of the ram slot's timestamp difference.
        ram_ts_lo: small,
        /// High limb.
        ram_ts_hi: small,
        /// Limbs of the rd slot's timestamp difference.
        rd_ts_lo: small,
        /// High limb.
        rd_ts_hi: small,
    }
}

/// A constant.
pub fn k(v: i128) -> LinComb {
    LinComb::from(fi(v))
}

/// `Σ bytes[i] · 256^i`.
pub fn bytes(b: [Col; 4]) -> LinComb {
    (0..4).fold(zero(), |acc, i| acc + cur(b[i]) * fi(1 << (8 * i)))
}

/// `lo + 2^16 · hi`.
pub fn limbs(lo: Col, hi: Col) -> LinComb {
    cur(lo) + cur(hi) * fi(1 << 16)
}

impl RvCols {
    /// Operand X.
    pub fn xx(&self) -> LinComb {
        bytes(self.x)
    }

    /// Operand Y.
    pub fn yy(&self) -> LinComb {
        bytes(self.y)
    }

    /// The spare range-checked word.
    pub fn aux(&self) -> LinComb {
        limbs(self.aux_lo, self.aux_hi)
    }

    /// The effective address minus base (or the group's range-checked word).
    pub fn eff(&self) -> LinComb {
        limbs(self.eff_lo, self.eff_hi)
    }

    /// The value written to rd.
    pub fn rd(&self) -> LinComb {
        cur(self.rd_val)
    }

    /// The instruction's pc.
    pub fn pc(&self) -> LinComb {
        self.f(Field::Pc)
    }

    /// The selected half word.
    pub fn half(&self) -> LinComb {
        cur(self.hl) + cur(self.hh) * 256
    }

    /// An `ecall`'s first row.
    pub fn ecall0(&self) -> LinComb {
        self.f(Field::Ecall) - self.f(Field::Sub)
    }

    /// The bytes of the word a chunk row covers.
    pub fn count(&self) -> LinComb {
        (0..4).fold(zero(), |acc, k| acc + cur(self.lane[k]))
    }
}
