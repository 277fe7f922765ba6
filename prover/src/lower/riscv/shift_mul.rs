//! Shifts and multiplications, through one multiplier `prod = mx · my`.
//!
//! Shifts: `shamt = y_0 & 31` by a bitwise lookup, its five bits give `pow = 2^shamt`, and
//! `powr = 2^32/pow`. SLL: `X·pow = aux·2^32 + rd`; SRL/SRA: `X·powr = 2^32·(rd − 2^32·sp) + aux`
//! with X signed for SRA (the high word of the product is the shifted value).
//! MUL/MULH/MULHSU/MULHU: one product `mx·my` of the (signed where asked) operands, split into a
//! high and a low range-checked word. Division uses the same multiplier ([`super::divide`]).

use ark_bn254::Fr;

use super::columns::{k, RvCols};
use super::flags::{Field, Flags};
use super::{fi, Scratch, TWO32};
use crate::machine::tables::bitwise_op;
use crate::machine::{cur, one, zero, Builder, LookupUse, TableId};
use crate::r1cs::LinComb;

/// The shift and multiplication constraints, and the shift amount's lookup.
pub fn eval(bld: &mut Builder, c: &RvCols, lookups: &mut Vec<LookupUse>) {
    bld.boolean("boolean: sp", c.sp);
    for (i, bit) in c.sh.iter().enumerate() {
        bld.boolean(&format!("boolean: sh{i}"), *bit);
    }
    let f = |field| c.f(field);
    let pp = c.pow_partial;
    bld.constrain(
        "shift: 2^(bits 0, 1)",
        one() + cur(c.sh[0]),
        one() + cur(c.sh[1]) * 3,
        cur(pp[0]),
    );
    bld.constrain(
        "shift: 2^(bits 0..3)",
        cur(pp[0]),
        one() + cur(c.sh[2]) * 15,
        cur(pp[1]),
    );
    bld.constrain(
        "shift: 2^(bits 0..4)",
        cur(pp[1]),
        one() + cur(c.sh[3]) * 255,
        cur(pp[2]),
    );
    bld.constrain(
        "shift: 2^shamt",
        cur(pp[2]),
        one() + cur(c.sh[4]) * 65535,
        cur(c.pow),
    );
    bld.constrain("shift: 2^(32 − shamt)", cur(c.pow), cur(c.powr), k(TWO32));
    let shamt = (0..5).fold(zero(), |e, i| e + cur(c.sh[i]) * (1 << i));
    lookups.push(LookupUse {
        name: "shift: shamt = y0 & 31".into(),
        table: TableId::Bitwise,
        active: one(),
        tuple: vec![
            LinComb::from(Fr::from(bitwise_op::AND)),
            cur(c.y[0]),
            LinComb::from(Fr::from(31u64)),
            shamt,
        ],
    });

    bld.constrain("mul: product", cur(c.mx), cur(c.my), cur(c.prod));
    use Field::{Mul, Mulh, Mulhsu, Mulhu, Sll, Sra, Srl};
    bld.when(c.any(&[Sll, Srl, Mul, Mulhu]))
        .assert_zero("mul: mx = X", cur(c.mx) - c.xx());
    bld.when(c.any(&[Sra, Mulh, Mulhsu])).assert_zero(
        "mul: mx = signed X",
        cur(c.mx) - c.xx() + cur(c.s1) * fi(TWO32),
    );
    bld.when(f(Sll))
        .assert_zero("mul: my = 2^shamt", cur(c.my) - cur(c.pow));
    bld.when(c.any(&[Srl, Sra]))
        .assert_zero("mul: my = 2^(32 − shamt)", cur(c.my) - cur(c.powr));
    bld.when(c.any(&[Mul, Mulhu, Mulhsu]))
        .assert_zero("mul: my = Y", cur(c.my) - c.yy());
    bld.when(f(Mulh)).assert_zero(
        "mul: my = signed Y",
        cur(c.my) - c.yy() + cur(c.s2) * fi(TWO32),
    );
    bld.when(c.any(&[Sll, Mul])).assert_zero(
        "alu: sll/mul low word",
        cur(c.prod) - c.aux() * fi(TWO32) - c.rd(),
    );
    bld.when(c.any(&[Srl, Sra, Mulh, Mulhsu, Mulhu]))
        .assert_zero(
            "alu: srl/sra/mulh* high word",
            cur(c.prod) - c.rd() * fi(TWO32) + cur(c.sp) * fi(TWO32 * TWO32) - c.aux(),
        );
}

/// The shift amount's bits and powers of two, and the multiplier of a shift or multiplication
/// (a division fills it in [`super::divide::fill_quotient`]).
pub fn fill(c: &RvCols, v: &mut [Fr], flags: Flags, s: &mut Scratch) {
    let shamt = s.y & 31;
    for (i, bit) in c.sh.iter().enumerate() {
        v[*bit] = Fr::from((shamt >> i) & 1 == 1);
    }
    let bit = |i: u32| i128::from((shamt >> i) & 1);
    let p1 = (1 + bit(0)) * (1 + 3 * bit(1));
    let p2 = p1 * (1 + 15 * bit(2));
    let p3 = p2 * (1 + 255 * bit(3));
    for (col, p) in c.pow_partial.iter().zip([p1, p2, p3]) {
        v[*col] = fi(p);
    }
    v[c.pow] = fi(1i128 << shamt);
    v[c.powr] = fi(1i128 << (32 - shamt));

    let x = i128::from(s.x);
    let y = i128::from(s.y);
    let signed_x = x - if s.s1 { TWO32 } else { 0 };
    let signed_y = y - if s.s2 { TWO32 } else { 0 };
    // (mx, my, whether rd is the high word).
    let mul_in = if flags.is(Field::Sll) {
        Some((x, 1i128 << shamt, false))
    } else if flags.is(Field::Srl) {
        Some((x, 1i128 << (32 - shamt), true))
    } else if flags.is(Field::Sra) {
        Some((signed_x, 1i128 << (32 - shamt), true))
    } else if flags.is(Field::Mul) {
        Some((x, y, false))
    } else if flags.is(Field::Mulhu) {
        Some((x, y, true))
    } else if flags.is(Field::Mulhsu) {
        Some((signed_x, y, true))
    } else if flags.is(Field::Mulh) {
        Some((signed_x, signed_y, true))
    } else {
        None
    };
    if let Some((mx, my, high)) = mul_in {
        let p = mx * my;
        v[c.mx] = fi(mx);
        v[c.my] = fi(my);
        v[c.prod] = fi(p);
        let hi = p >> 32; // floor
        let lo = p & 0xffff_ffff;
        if high {
            v[c.sp] = Fr::from(hi < 0);
            s.aux = lo as u64;
        } else {
            s.aux = hi as u64;
        }
    }
}
