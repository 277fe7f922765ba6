//! DIV/DIVU/REM/REMU: `a = q·b + r` through the multiplier, with `|r| < |b|` checked through
//! the address unit's range-checked word, `r`'s sign that of `a` (or `r = 0`), `b = 0` giving
//! `q = 2^32 − 1`, and the signed overflow `−2^31 / −1` falling out of the same equation.

use ark_bn254::Fr;

use super::columns::RvCols;
use super::flags::{Field, Flags, DIVISIONS, SIGNED_DIVISIONS};
use super::{fi, Scratch, TWO32};
use crate::machine::{cur, one, zero, Builder};

/// The division constraints.
pub fn eval(bld: &mut Builder, c: &RvCols) {
    bld.boolean("boolean: sq", c.sq);
    bld.boolean("boolean: sr", c.sr);
    let divs = || c.any(DIVISIONS);
    bld.when(divs()).assert_zero(
        "mul: mx = signed quotient",
        cur(c.mx) - cur(c.dq) + cur(c.sq) * fi(TWO32),
    );
    bld.when(divs()).assert_zero(
        "mul: my = divisor",
        cur(c.my) - c.yy() + cur(c.div_sign_b) * fi(TWO32),
    );
    let signed = || c.any(SIGNED_DIVISIONS);
    bld.constrain("div: dividend sign", signed(), cur(c.s1), cur(c.s1d));
    bld.constrain("div: divisor sign", signed(), cur(c.s2), cur(c.div_sign_b));
    bld.when(divs()).assert_zero(
        "div: a = q·b + r",
        c.xx() - cur(c.s1d) * fi(TWO32) - cur(c.prod) - cur(c.dr) + cur(c.sr) * fi(TWO32),
    );
    let quotient = || c.any(&[Field::Div, Field::Divu]);
    let remainder = || c.any(&[Field::Rem, Field::Remu]);
    bld.when(quotient())
        .assert_zero("div: rd = q", c.rd() - cur(c.dq));
    bld.when(quotient())
        .assert_zero("div: aux = r", c.aux() - cur(c.dr));
    bld.when(remainder())
        .assert_zero("rem: rd = r", c.rd() - cur(c.dr));
    bld.when(remainder())
        .assert_zero("rem: aux = q", c.aux() - cur(c.dq));
    bld.when(one() - cur(c.s1d))
        .assert_zero("div: remainder sign only if a < 0", cur(c.sr));
    bld.constrain(
        "div: a < 0 ⇒ r < 0 or r = 0",
        cur(c.s1d) - cur(c.sr),
        cur(c.dr),
        zero(),
    );
    bld.when(one() - cur(c.div_sign_b))
        .assert_zero("div: |b| (b ≥ 0)", cur(c.absb) - c.yy());
    bld.when(cur(c.div_sign_b))
        .assert_zero("div: |b| (b < 0)", cur(c.absb) + c.yy() - fi(TWO32));
    bld.when(one() - cur(c.sr))
        .assert_zero("div: |r| (r ≥ 0)", cur(c.absr) - cur(c.dr));
    bld.when(cur(c.sr))
        .assert_zero("div: |r| (r < 0)", cur(c.absr) + cur(c.dr) - fi(TWO32));
    bld.constrain("div: by zero", divs(), cur(c.yz), cur(c.dz));
    bld.when(cur(c.dz))
        .assert_zero("div: by zero gives q = 2^32 − 1", cur(c.dq) - fi(TWO32 - 1));
    bld.when(divs()).assert_zero(
        "div: |r| < |b| (unless b = 0)",
        c.eff() - cur(c.absb) + 1 + cur(c.absr) - cur(c.yz) * fi(TWO32),
    );
}

/// A division's quotient, remainder, signs and multiplier, and the words it range-checks: the
/// address unit's `|b| − 1 − |r|` (before the unit is filled) and `aux`.
pub fn fill_quotient(c: &RvCols, v: &mut [Fr], flags: Flags, s: &mut Scratch) {
    if !flags.any(DIVISIONS) {
        return;
    }
    let signed = flags.any(SIGNED_DIVISIONS);
    let s1d = signed && (s.x >> 31) == 1;
    let sb = signed && (s.y_plain >> 31) == 1;
    let a = i128::from(s.x) - if s1d { TWO32 } else { 0 };
    let b = i128::from(s.y_plain) - if sb { TWO32 } else { 0 };
    let (q, r) = if b == 0 {
        (TWO32 - 1, a)
    } else {
        (a / b, a % b)
    };
    // The overflow case −2^31 / −1 gives q = 2^31 here (then Q = 2^31 = spec's result).
    let (qu, ru) = (q.rem_euclid(TWO32), r.rem_euclid(TWO32));
    v[c.s1d] = Fr::from(s1d);
    v[c.div_sign_b] = Fr::from(sb);
    v[c.dq] = fi(qu);
    v[c.dr] = fi(ru);
    v[c.sq] = Fr::from(q < 0);
    v[c.sr] = Fr::from(r < 0);
    v[c.absr] = fi(r.abs());
    v[c.absb] = fi(b.abs());
    v[c.dz] = Fr::from(b == 0);
    v[c.mx] = fi(q);
    v[c.my] = fi(b);
    // mx·my = q·0 when b = 0.
    v[c.prod] = fi(if b == 0 { 0 } else { q * b });
    s.e = b.abs() - 1 - r.abs() + if b == 0 { TWO32 } else { 0 };
    s.aux = if flags.any(&[Field::Div, Field::Divu]) {
        ru as u64
    } else {
        qu as u64
    };
}

/// `|b|` is Y where no division sets it (the constraint `|b| (b ≥ 0)` holds on every row).
pub fn fill_divisor(c: &RvCols, v: &mut [Fr], flags: Flags, s: &Scratch) {
    if !flags.any(DIVISIONS) {
        v[c.absb] = Fr::from(s.y);
    }
}
