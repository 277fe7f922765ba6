//! Comparisons, branches, jumps and the pc: where each row goes next, and how the trace starts.
//!
//! Comparisons (SLT*, branches): `aux = X − Y + 2^32·(lt − signed·(s1 − s2))` range-checked;
//! equality through an inverse (in the operands). The pc is a byte address; next-pc constraints
//! are linear in it, and a misaligned or out-of-program target fails the fetch of the next row.
//! JAL/JALR: `rd = pc + 4`; JALR's target is `(rs1 + imm) & ~1`.

use super::columns::{k, RvCols};
use super::flags::{Field, Flags, BRANCHES, COMPARISONS, SIGNED_COMPARISONS};
use super::trace::RowIn;
use super::{fi, Scratch, TWO32};
use crate::machine::{cur, next, one, zero, Builder};
use crate::r1cs::{LinComb, Var};
use ark_bn254::Fr;

/// The comparison, branch and pc constraints; `entry` is the program's entry point.
pub fn eval(bld: &mut Builder, c: &RvCols, entry: u32) {
    bld.boolean("boolean: lt", c.lt);
    bld.boolean("boolean: cond", c.cond);
    let f = |field| c.f(field);
    bld.constrain(
        "lt: signed sign difference",
        c.any(SIGNED_COMPARISONS),
        cur(c.s1) - cur(c.s2),
        cur(c.sd),
    );
    bld.when(c.any(COMPARISONS)).assert_zero(
        "lt: aux = X − Y + 2^32·(lt − sd)",
        c.aux() - c.xx() + c.yy() - cur(c.lt) * fi(TWO32) + cur(c.sd) * fi(TWO32),
    );

    bld.when(f(Field::Beq))
        .assert_zero("branch: beq", cur(c.cond) - cur(c.eq));
    bld.when(f(Field::Bne))
        .assert_zero("branch: bne", cur(c.cond) - one() + cur(c.eq));
    bld.when(c.any(&[Field::Blt, Field::Bltu]))
        .assert_zero("branch: blt/bltu", cur(c.cond) - cur(c.lt));
    bld.when(c.any(&[Field::Bge, Field::Bgeu]))
        .assert_zero("branch: bge/bgeu", cur(c.cond) - one() + cur(c.lt));
    bld.when(f(Field::Jal))
        .assert_zero("jal: always jumps", cur(c.cond) - one());
    bld.when(one() - c.any(BRANCHES) - f(Field::Jal))
        .assert_zero("pc: no jump outside branches", cur(c.cond));
    bld.constrain(
        "pc: jump delta",
        cur(c.cond),
        f(Field::SimmM4),
        cur(c.delta),
    );
    bld.when(one() - f(Field::Jalr) - f(Field::Ecall))
        .assert_zero(
            "pc: next = pc + 4 (+ jump)",
            cur(c.pc_new) - c.pc() - 4 - cur(c.delta),
        );
    bld.when(f(Field::Jalr))
        .assert_zero("pc: jalr target", cur(c.pc_new) - c.eff() + cur(c.b0));
    bld.when(f(Field::Ecall)).assert_zero(
        "pc: ecall",
        cur(c.pc_new) - c.pc() - f(Field::Sub) * 4 + cur(c.is_exit) * 4 + cur(c.cont) * 4,
    );
    let first = || LinComb::from(Var::First);
    let not_last = || one() - Var::Last;
    bld.constrain(
        "next: pc",
        not_last(),
        next(c.field(Field::Pc)) - cur(c.pc_new),
        zero(),
    );
    bld.constrain(
        "next: cycle",
        not_last(),
        next(c.cycle) - cur(c.cycle) - 1,
        zero(),
    );
    bld.constrain("start: cycle 0", first(), cur(c.cycle), zero());
    bld.constrain(
        "start: pc = entry",
        first(),
        c.pc() - k(i128::from(entry)),
        zero(),
    );
    bld.constrain("start: sub = 0", first(), f(Field::Sub), zero());
    bld.constrain(
        "next: sub follows an ecall's first row, a chunk row with more to do, or an exit",
        not_last(),
        next(c.field(Field::Sub)) - c.ecall0() - cur(c.is_exit) - cur(c.cont),
        zero(),
    );
    bld.when(c.any(&[Field::Jal, Field::Jalr]))
        .assert_zero("jump: rd = pc + 4", c.rd() - c.pc() - 4);
}

/// The comparison (`lt`, `sd` and `aux`), the branch condition and the jump delta.
pub fn fill(c: &RvCols, v: &mut [Fr], r: &RowIn, flags: Flags, s: &mut Scratch) {
    let signed = flags.any(SIGNED_COMPARISONS);
    let (xs, ys) = if signed {
        (i128::from(s.x as i32), i128::from(s.y as i32))
    } else {
        (i128::from(s.x), i128::from(s.y))
    };
    let lt = xs < ys;
    if flags.any(COMPARISONS) {
        v[c.lt] = Fr::from(lt);
        let sd = if signed {
            i128::from(s.s1) - i128::from(s.s2)
        } else {
            0
        };
        v[c.sd] = fi(sd);
        s.aux = (i128::from(s.x) - i128::from(s.y) + TWO32 * (i128::from(lt) - sd)) as u64;
    }
    let cond = if flags.is(Field::Beq) {
        s.x == s.y
    } else if flags.is(Field::Bne) {
        s.x != s.y
    } else if flags.any(&[Field::Blt, Field::Bltu]) {
        lt
    } else if flags.any(&[Field::Bge, Field::Bgeu]) {
        !lt
    } else {
        flags.is(Field::Jal)
    };
    v[c.cond] = Fr::from(cond);
    if cond {
        v[c.delta] = fi(i128::from(r.imm) - 4);
    }
}
