//! Control: the pc, ap and fp updates, `jnz`, the transitions to the next row, how the trace
//! starts and ends, and the output count.
//!
//! `jnz` computes `nz = [dst ≠ 0]` through an inverse and jumps by `op1` when it is set. Each
//! register update is gated by bytecode fields, which are 0/1 and mutually exclusive
//! (`Instruction::validate`), so the complementary gates ("regular", "unchanged") are 0/1 too.
//! ap and fp are u32 (a register leaving `[0, 2^32)` is a VM fault): two 16-bit limbs each.

use ark_bn254::Fr;
use ark_ff::{Field as _, One, Zero};

use super::columns::ZasmCols;
use super::flags::{b, Field};
use super::RowIn;
use crate::machine::{
    cur, first, last, next, not_last, one, public, public_value, zero, Builder, LookupUse, TableId,
};

/// The control-flow, boundary and output constraints; `entry` is the program's entry point.
pub fn eval(bld: &mut Builder, c: &ZasmCols, lookups: &mut Vec<LookupUse>, entry: u32) {
    let f = |field| c.f(field);
    let (pc, ap, fp) = (|| f(Field::Pc), || cur(c.ap), || cur(c.fp));
    let (dst, op1, res) = (cur(c.dst_read_value), cur(c.op1_read_value), cur(c.res));
    bld.constrain(
        "jnz: dst · inv = nz",
        dst.clone(),
        cur(c.dst_inv),
        cur(c.nz),
    );
    bld.constrain(
        "jnz: dst ≠ 0 ⇒ nz = 1",
        dst.clone(),
        one() - cur(c.nz),
        zero(),
    );
    bld.constrain("jnz: jump delta", cur(c.nz), op1 - 1, cur(c.jump_delta));

    let pc_new = || cur(c.pc_new);
    let regular = one() - f(Field::PcAbs) - f(Field::PcRel) - f(Field::PcJnz) - f(Field::OpHalt);
    bld.when(regular)
        .assert_zero("pc: regular", pc_new() - pc() - 1);
    bld.when(f(Field::PcAbs))
        .assert_zero("pc: jump abs", pc_new() - res.clone());
    bld.when(f(Field::PcRel))
        .assert_zero("pc: jump rel", pc_new() - pc() - res.clone());
    bld.when(f(Field::PcJnz))
        .assert_zero("pc: jnz", pc_new() - pc() - 1 - cur(c.jump_delta));
    bld.when(f(Field::OpHalt))
        .assert_zero("pc: halt stays", pc_new() - pc());

    let ap_new = || cur(c.ap_new);
    bld.when(f(Field::OpCall))
        .assert_zero("ap: call", ap_new() - ap() - 2);
    bld.when(f(Field::ApAdd))
        .assert_zero("ap: += res", ap_new() - ap() - res);
    bld.when(f(Field::ApInc))
        .assert_zero("ap: ++", ap_new() - ap() - 1);
    bld.when(one() - f(Field::OpCall) - f(Field::ApAdd) - f(Field::ApInc))
        .assert_zero("ap: unchanged", ap_new() - ap());

    let fp_new = || cur(c.fp_new);
    bld.when(f(Field::OpCall))
        .assert_zero("fp: call", fp_new() - ap() - 2);
    bld.when(f(Field::OpRet))
        .assert_zero("fp: ret", fp_new() - dst);
    bld.when(one() - f(Field::OpCall) - f(Field::OpRet))
        .assert_zero("fp: unchanged", fp_new() - fp());

    bld.when(not_last())
        .assert_zero("next: pc", next(c.field(Field::Pc)) - pc_new());
    bld.when(not_last())
        .assert_zero("next: ap", next(c.ap) - ap_new());
    bld.when(not_last())
        .assert_zero("next: fp", next(c.fp) - fp_new());
    bld.when(not_last())
        .assert_zero("next: cycle", next(c.cycle) - cur(c.cycle) - 1);
    bld.when(first())
        .assert_zero("start: cycle 0", cur(c.cycle));
    bld.when(first())
        .assert_zero("start: pc = main", pc() - i64::from(entry));
    let data_start = i64::from(zkvm_isa::DATA_START);
    bld.when(first())
        .assert_zero("start: ap", ap() - data_start);
    bld.when(first())
        .assert_zero("start: fp", fp() - data_start);
    bld.when(last())
        .assert_zero("end: the last row halts", f(Field::OpHalt) - 1);
    bld.when(last()).assert_zero(
        "end: a zasm run exits with 0",
        public_value(public::EXIT_CODE),
    );

    // out_idx counts outputs; the last row has output them all.
    bld.when(first())
        .assert_zero("output: starts at 0", cur(c.out_idx));
    bld.when(not_last()).assert_zero(
        "output: counts",
        next(c.out_idx) - cur(c.out_idx) - f(Field::OpOutput),
    );
    bld.when(last()).assert_zero(
        "output: all outputs",
        cur(c.out_idx) + f(Field::OpOutput) - public_value(public::OUTPUT_LEN),
    );

    for (reg, lo, hi, name) in [
        (c.ap, c.ap_lo, c.ap_hi, "ap"),
        (c.fp, c.fp_lo, c.fp_hi, "fp"),
    ] {
        bld.assert_zero(
            &format!("range: {name} is u32"),
            cur(reg) - cur(lo) - cur(hi) * (1 << 16),
        );
        for (limb, which) in [(lo, "low"), (hi, "high")] {
            lookups.push(LookupUse {
                name: format!("range: {name} {which} limb"),
                table: TableId::Range16,
                active: one(),
                tuple: vec![cur(limb)],
            });
        }
    }
}

/// Fill the registers, the cycle and output counters, `jnz`'s columns and the next registers
/// (a padding row, and the last row, stay where they are).
pub fn fill(c: &ZasmCols, v: &mut [Fr], r: &RowIn, [dst, _, op1]: [Fr; 3]) {
    let step = r.step;
    v[c.ap] = Fr::from(step.ap);
    v[c.fp] = Fr::from(step.fp);
    v[c.ap_lo] = Fr::from(step.ap & 0xffff);
    v[c.ap_hi] = Fr::from(step.ap >> 16);
    v[c.fp_lo] = Fr::from(step.fp & 0xffff);
    v[c.fp_hi] = Fr::from(step.fp >> 16);
    v[c.cycle] = Fr::from(r.cycle);
    v[c.out_idx] = Fr::from(r.out_idx);
    let nz = !dst.is_zero();
    v[c.dst_inv] = dst.inverse().unwrap_or(Fr::zero());
    v[c.nz] = b(nz);
    v[c.jump_delta] = if nz { op1 - Fr::one() } else { Fr::zero() };
    let (pc_new, ap_new, fp_new) = match r.next {
        Some(n) => (n.pc, n.ap, n.fp),
        None => (step.pc, step.ap, step.fp),
    };
    v[c.pc_new] = Fr::from(pc_new);
    v[c.ap_new] = Fr::from(ap_new);
    v[c.fp_new] = Fr::from(fp_new);
}
