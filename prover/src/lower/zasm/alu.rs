//! The result and the opcodes that use it: `res = op1`, `op0 + op1` or `op0 · op1` (one
//! product constraint per row), assignments, assertions, and the two cells a `call` writes.

use ark_bn254::Fr;
use zkvm_isa::Res;

use super::columns::ZasmCols;
use super::flags::Field;
use super::RowIn;
use crate::machine::{cur, one, Builder};

/// The result and opcode constraints.
pub fn eval(bld: &mut Builder, c: &ZasmCols) {
    let f = |field| c.f(field);
    let (op0, op1, res) = (cur(c.op0_read_value), cur(c.op1_read_value), cur(c.res));
    bld.constrain("alu: op0 * op1", op0.clone(), op1.clone(), cur(c.prod));
    bld.when(f(Field::ResAdd))
        .assert_zero("alu: res = op0 + op1", res.clone() - op0 - op1.clone());
    bld.when(f(Field::ResMul))
        .assert_zero("alu: res = op0 * op1", res.clone() - cur(c.prod));
    bld.when(one() - f(Field::ResAdd) - f(Field::ResMul))
        .assert_zero("alu: res = op1", res.clone() - op1);
    bld.when(f(Field::OpAssign))
        .assert_zero("assign: dst = res", cur(c.dst_write_value) - res.clone());
    bld.when(f(Field::OpAssert))
        .assert_zero("assert: dst == res", cur(c.dst_read_value) - res);
    bld.when(f(Field::OpCall))
        .assert_zero("call: [ap] = fp", cur(c.dst_write_value) - cur(c.fp));
    bld.when(f(Field::OpCall)).assert_zero(
        "call: [ap + 1] = pc + 1",
        cur(c.op0_write_value) - f(Field::Pc) - 1,
    );
}

/// Fill the product and the result from the operands read; returns `res`.
pub fn fill(c: &ZasmCols, v: &mut [Fr], r: &RowIn, [_, op0, op1]: [Fr; 3]) -> Fr {
    let prod = op0 * op1;
    let res = match r.instr.res {
        Res::Op1 => op1,
        Res::Add => op0 + op1,
        Res::Mul => prod,
    };
    v[c.prod] = prod;
    v[c.res] = res;
    res
}
