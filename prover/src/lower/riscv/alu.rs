//! Add, subtract, the upper immediates, set-less-than and the bitwise operations.
//!
//! ADD/ADDI/SUB/AUIPC: `sum = rd + carry·2^32`, carry boolean, rd range-checked by its two 16-bit
//! limbs; LUI: `rd = imm`; SLT*: `rd = lt` (the comparison is in [`super::control`]); the bitwise
//! result is the bytes the bitwise lookups give (in [`super::operands`]).

use ark_bn254::Fr;

use super::columns::{bytes, limbs, RvCols};
use super::flags::{Field, Flags};
use super::trace::RowIn;
use super::{fi, Scratch, TWO32};
use crate::machine::{cur, Builder};

/// The ALU constraints.
pub fn eval(bld: &mut Builder, c: &RvCols) {
    bld.boolean("boolean: carry", c.carry);
    bld.assert_zero("rd: limbs", c.rd() - limbs(c.rd_lo, c.rd_hi));
    bld.when(c.f(Field::Add)).assert_zero(
        "alu: add",
        c.xx() + c.yy() - c.rd() - cur(c.carry) * fi(TWO32),
    );
    bld.when(c.f(Field::SubOp)).assert_zero(
        "alu: sub",
        c.xx() - c.yy() + cur(c.carry) * fi(TWO32) - c.rd(),
    );
    bld.when(c.f(Field::Lui))
        .assert_zero("alu: lui", c.rd() - c.f(Field::Imm));
    bld.when(c.f(Field::Auipc)).assert_zero(
        "alu: auipc",
        c.pc() + c.f(Field::Imm) - c.rd() - cur(c.carry) * fi(TWO32),
    );
    bld.when(c.any(&[Field::Slt, Field::Sltu]))
        .assert_zero("alu: slt", c.rd() - cur(c.lt));
    bld.when(c.f(Field::Bit))
        .assert_zero("alu: bitwise", c.rd() - bytes(c.r));
}

/// The carry of an addition, subtraction or AUIPC.
pub fn fill(c: &RvCols, v: &mut [Fr], r: &RowIn, flags: Flags, s: &Scratch) {
    let carry = if flags.is(Field::Add) {
        u64::from(s.x) + u64::from(s.y) >= 1 << 32
    } else if flags.is(Field::SubOp) {
        s.x < s.y
    } else if flags.is(Field::Auipc) {
        u64::from(r.pc) + u64::from(r.imm as u32) >= 1 << 32
    } else {
        false
    };
    v[c.carry] = Fr::from(carry);
}
