//! Loads and stores: the effective address, byte and half selection, and the word written.
//!
//! The effective address `E = rs1 + imm − 2^32·carry` is range-checked as `E − base` (so no
//! access reaches below the RAM), split as `4·w + b0 + 2·b1`; the ram slot accesses word
//! `32 + w`; bytes and halves are selected and inserted through the word's bytes, sign-extended
//! through `s2`. A system call's buffer uses the same address unit (`E = a1 + done − base` on a
//! chunk row; `E = a1 − lo` where the buffer is only bounds-checked, see [`super::ecall`]).

use ark_bn254::Fr;

use super::columns::RvCols;
use super::flags::{Field, Flags, LOADS, STORES};
use super::trace::RowIn;
use super::{fi, Scratch, TWO32};
use crate::machine::{cur, one, Builder, LookupUse, TableId};
use crate::r1cs::LinComb;

/// The RAM slot is active: loads, stores and chunk rows.
pub fn ram_on(c: &RvCols) -> LinComb {
    c.any(LOADS) + c.any(STORES) + cur(c.put) + cur(c.got)
}

/// The accesses that change a RAM word: stores and the private-input word of `read`.
pub fn ram_writes(c: &RvCols) -> LinComb {
    c.any(STORES) + cur(c.got)
}

/// The address, selection, load and store constraints; `base` is the RAM's lowest word and
/// `lo` the program's lowest address.
pub fn eval(bld: &mut Builder, c: &RvCols, lookups: &mut Vec<LookupUse>, base: u32, lo: u32) {
    for (name, col) in [("b0", c.b0), ("b1", c.b1), ("ecarry", c.ecarry)] {
        bld.boolean(&format!("boolean: {name}"), col);
    }
    let f = |field| c.f(field);
    let ram_on = ram_on(c);
    // System calls whose buffer is bounds-checked without a RAM access (there E = a1 − lo):
    // debug writes, and reads and public writes of no bytes.
    let buffer_checked = cur(c.w2) + cur(c.is_read) - cur(c.got) + cur(c.w1) - cur(c.put);
    bld.when(c.any(LOADS) + c.any(STORES) + f(Field::Jalr) + f(Field::Sub))
        .assert_zero(
            "address: rs1 + imm − base",
            c.eff() + ram_on * fi(i128::from(base)) + buffer_checked * fi(i128::from(lo))
                - cur(c.v1)
                - f(Field::Imm)
                - cur(c.done)
                + cur(c.ecarry) * fi(TWO32),
        );
    bld.assert_zero(
        "address: word and low bits",
        cur(c.w) * 4 + cur(c.b0) + cur(c.b1) * 2 - c.eff(),
    );
    bld.when(c.any(&[Field::Lw, Field::Sw]))
        .assert_zero("address: word aligned", cur(c.b0) + cur(c.b1));
    bld.when(c.any(&[Field::Lh, Field::Lhu, Field::Sh]))
        .assert_zero("address: half aligned", cur(c.b0));
    for (name, col) in [("low", c.eff_lo), ("high", c.eff_hi)] {
        lookups.push(LookupUse {
            name: format!("range: address {name} limb"),
            table: TableId::Range16,
            active: one(),
            tuple: vec![cur(col)],
        });
    }

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

    bld.when(f(Field::Lw))
        .assert_zero("load: lw", c.rd() - cur(c.ram_old));
    bld.when(f(Field::Lbu))
        .assert_zero("load: lbu", c.rd() - cur(c.byte));
    bld.when(f(Field::Lhu))
        .assert_zero("load: lhu", c.rd() - c.half());
    bld.when(f(Field::Lb)).assert_zero(
        "load: lb",
        c.rd() - cur(c.byte) - cur(c.s2) * fi(TWO32 - 256),
    );
    bld.when(f(Field::Lh)).assert_zero(
        "load: lh",
        c.rd() - c.half() - cur(c.s2) * fi(TWO32 - 65536),
    );
    bld.when(c.any(LOADS) + cur(c.put)).assert_zero(
        "memory: loads and output keep the word",
        cur(c.ram_new) - cur(c.ram_old),
    );
    bld.when(f(Field::Sw))
        .assert_zero("store: sw", cur(c.ram_new) - cur(c.v2));
    bld.when(f(Field::Sb))
        .assert_zero("store: sb delta", cur(c.sdelta) - cur(c.y[0]) + cur(c.byte));
    bld.when(f(Field::Sh)).assert_zero(
        "store: sh delta",
        cur(c.sdelta) - cur(c.y[0]) - cur(c.y[1]) * 256 + c.half(),
    );
    bld.constrain(
        "store: scaled delta",
        cur(c.scale),
        cur(c.sdelta),
        cur(c.sprod),
    );
    bld.when(c.any(&[Field::Sb, Field::Sh]))
        .assert_zero("store: sb/sh word", cur(c.ram_new) - c.xx() - cur(c.sprod));
}

/// The effective address of a load, store, `jalr` or system-call buffer, and its carry.
pub fn fill_address(c: &RvCols, v: &mut [Fr], r: &RowIn, flags: Flags, base: u32, s: &mut Scratch) {
    if flags.any(LOADS) || flags.any(STORES) || flags.is(Field::Jalr) || r.sub {
        let sum = u64::from(r.v1) + u64::from(r.imm as u32) + u64::from(r.done);
        v[c.ecarry] = Fr::from(sum >> 32 != 0);
        s.e = i128::from(sum & 0xffff_ffff);
        if r.ram_on {
            s.e -= i128::from(base);
        }
    }
}

/// The address unit's word (`E`, or what a group put there): its limbs, word and low bits,
/// and the byte and half of X they select.
pub fn fill_select(c: &RvCols, v: &mut [Fr], s: &mut Scratch) {
    let e = s.e as u64;
    v[c.eff_lo] = Fr::from(e & 0xffff);
    v[c.eff_hi] = Fr::from(e >> 16);
    (s.b0, s.b1) = (e & 1 == 1, e & 2 == 2);
    v[c.b0] = Fr::from(s.b0);
    v[c.b1] = Fr::from(s.b1);
    v[c.w] = Fr::from(e >> 2);
    let xb = s.x.to_le_bytes();
    let (hl, hh) = if s.b1 { (xb[2], xb[3]) } else { (xb[0], xb[1]) };
    s.byte = if s.b0 { hh } else { hl };
    s.half = u32::from(hl) | (u32::from(hh) << 8);
    v[c.hl] = Fr::from(hl);
    v[c.hh] = Fr::from(hh);
    v[c.byte] = Fr::from(s.byte);
    s.scale = (1 + 255 * i128::from(s.b0)) * (1 + 65535 * i128::from(s.b1));
    v[c.scale] = fi(s.scale);
}

/// A byte or half store's change to the word, and that change scaled to its place.
pub fn fill_store(c: &RvCols, v: &mut [Fr], flags: Flags, s: &Scratch) {
    let yb = s.y.to_le_bytes();
    let sdelta = if flags.is(Field::Sb) {
        i128::from(yb[0]) - i128::from(s.byte)
    } else if flags.is(Field::Sh) {
        i128::from(yb[0]) + 256 * i128::from(yb[1]) - i128::from(s.half)
    } else {
        0
    };
    v[c.sdelta] = fi(sdelta);
    v[c.sprod] = fi(sdelta * s.scale);
}
