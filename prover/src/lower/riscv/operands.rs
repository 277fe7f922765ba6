//! Operands X and Y, given by their bytes: what they are per instruction, their signs, their
//! equality, `Y = 0`, and the byte-wise bitwise lookups that prove them bytes.
//!
//! `X = rs1` (the accessed word for byte/half accesses and chunk rows), `Y = rs2` or the
//! immediate (`byte·2^24` / `half·2^16` for `lb`/`lh`, so that Y's sign bit is the loaded
//! value's; the chunk's new word on a chunk row). The four lookups `(bw_op, x_k, y_k, r_k)` into
//! the bitwise table (active on every row) prove the `x_k`, `y_k` bytes and give the bitwise
//! result bytes `r_k`. Sign bits come from the top bytes: `Range16(512·(x_3 − 128·s1))`.

use ark_bn254::Fr;
use ark_ff::{Field as _, Zero};

use super::columns::RvCols;
use super::flags::{Field, Flags, SUBWORD};
use super::trace::RowIn;
use super::{fi, Scratch};
use crate::machine::tables::bitwise_op;
use crate::machine::{cur, one, zero, Builder, LookupUse, TableId};

/// The operand constraints and lookups.
pub fn eval(bld: &mut Builder, c: &RvCols, lookups: &mut Vec<LookupUse>) {
    for (name, col) in [("s1", c.s1), ("s2", c.s2), ("eq", c.eq), ("yz", c.yz)] {
        bld.boolean(&format!("boolean: {name}"), col);
    }
    let chunk = || cur(c.got) + cur(c.put);
    // A chunk row's word: X is the old word and Y the new one (the same for output), so that
    // their bytes are bytes, the output bytes are X's, and a read keeps the bytes past its lanes.
    bld.when(one() - c.any(SUBWORD) - chunk())
        .assert_zero("operand: X = rs1", c.xx() - cur(c.v1));
    bld.when(c.any(SUBWORD) + chunk())
        .assert_zero("operand: X = loaded word", c.xx() - cur(c.ram_old));
    bld.when(c.f(Field::UseImm))
        .assert_zero("operand: Y = imm", c.yy() - c.f(Field::Imm));
    bld.when(one() - c.f(Field::UseImm) - c.f(Field::Lb) - c.f(Field::Lh) - chunk())
        .assert_zero("operand: Y = rs2", c.yy() - cur(c.v2));
    bld.when(chunk())
        .assert_zero("operand: Y = the chunk's new word", c.yy() - cur(c.ram_new));
    bld.when(c.f(Field::Lb)).assert_zero(
        "operand: Y = byte·2^24 (lb)",
        c.yy() - cur(c.byte) * fi(1 << 24),
    );
    bld.when(c.f(Field::Lh)).assert_zero(
        "operand: Y = half·2^16 (lh)",
        c.yy() - c.half() * fi(1 << 16),
    );

    // Equality, and Y = 0 (division by zero).
    bld.constrain(
        "eq: (X − Y)·inv = 1 − eq",
        c.xx() - c.yy(),
        cur(c.inv),
        one() - cur(c.eq),
    );
    bld.constrain("eq: (X − Y)·eq = 0", c.xx() - c.yy(), cur(c.eq), zero());
    bld.constrain(
        "div: Y·yinv = 1 − yz",
        c.yy(),
        cur(c.yinv),
        one() - cur(c.yz),
    );
    bld.constrain("div: Y·yz = 0", c.yy(), cur(c.yz), zero());

    let range = |name: &str, top: usize, sign| LookupUse {
        name: name.into(),
        table: TableId::Range16,
        active: one(),
        tuple: vec![cur(top) * 512 - cur(sign) * 65536],
    };
    lookups.push(range("sign: X", c.x[3], c.s1));
    lookups.push(range("sign: Y", c.y[3], c.s2));
    for i in 0..4 {
        lookups.push(LookupUse {
            name: format!("bytes: operand byte {i}"),
            table: TableId::Bitwise,
            active: one(),
            tuple: vec![
                cur(c.field(Field::BwOp)),
                cur(c.x[i]),
                cur(c.y[i]),
                cur(c.r[i]),
            ],
        });
    }
}

/// X as a word: the accessed word for byte/half accesses and chunk rows, else rs1.
pub fn x_value(flags: Flags, r: &RowIn) -> u32 {
    if flags.any(SUBWORD) || r.got || r.put {
        r.ram_old
    } else {
        r.v1
    }
}

/// Y before byte/half selection: the immediate or rs2.
pub fn y_plain(flags: Flags, r: &RowIn) -> u32 {
    if flags.is(Field::UseImm) {
        r.imm as u32
    } else {
        r.v2
    }
}

/// Y (once the byte and half are selected), the operand bytes and what derives from them.
pub fn fill(c: &RvCols, v: &mut [Fr], r: &RowIn, flags: Flags, s: &mut Scratch) {
    s.y = if flags.is(Field::Lb) {
        u32::from(s.byte) << 24
    } else if flags.is(Field::Lh) {
        s.half << 16
    } else if r.got || r.put {
        r.ram_new
    } else {
        s.y_plain
    };
    let (xb, yb) = (s.x.to_le_bytes(), s.y.to_le_bytes());
    let op = flags.value(Field::BwOp);
    let bw = |a: u8, b: u8| {
        if op == Fr::from(bitwise_op::OR) {
            a | b
        } else if op == Fr::from(bitwise_op::XOR) {
            a ^ b
        } else {
            a & b
        }
    };
    for i in 0..4 {
        v[c.x[i]] = Fr::from(xb[i]);
        v[c.y[i]] = Fr::from(yb[i]);
        v[c.r[i]] = Fr::from(bw(xb[i], yb[i]));
    }
    s.s1 = s.x >> 31 == 1;
    s.s2 = s.y >> 31 == 1;
    v[c.s1] = Fr::from(s.s1);
    v[c.s2] = Fr::from(s.s2);
    v[c.inv] = fi(i128::from(s.x) - i128::from(s.y))
        .inverse()
        .unwrap_or(Fr::zero());
    v[c.eq] = Fr::from(s.x == s.y);
    v[c.yinv] = Fr::from(s.y).inverse().unwrap_or(Fr::zero());
    v[c.yz] = Fr::from(s.y == 0);
}
