//! The zasm bytecode fields, defined once: the bytecode table row ([`bytecode_row`]) and the
//! group constraints (through [`Field`] columns) read the same list, and the witness filling
//! copies the table row.

use ark_bn254::Fr;
use ark_ff::Zero;
use zkvm_isa::{ApUpdate, Instruction, Op1Src, Opcode, PcUpdate, Reg, Res, SlotUse};

use crate::r1cs::fr_from_i64;

bytecode_fields! {
    /// The instruction fields fetched from the bytecode table, in the table's column order.
    pub enum Field {
        /// The instruction's index.
        Pc = "pc",
        /// dst's offset.
        OffDst = "off_dst",
        /// op0's offset.
        OffOp0 = "off_op0",
        /// op1's offset.
        OffOp1 = "off_op1",
        /// The immediate (0 if none).
        Imm = "imm",
        /// dst is relative to fp (else ap).
        DstFp = "dst_fp",
        /// op0 is relative to fp (else ap).
        Op0Fp = "op0_fp",
        /// op1 is the immediate.
        Op1Imm = "op1_imm",
        /// op1 is relative to ap.
        Op1Ap = "op1_ap",
        /// op1 is relative to fp.
        Op1Fp = "op1_fp",
        /// op1 is relative to op0 (a double dereference).
        Op1Op0 = "op1_op0",
        /// res = op0 + op1.
        ResAdd = "res_add",
        /// res = op0 · op1.
        ResMul = "res_mul",
        /// An absolute jump.
        PcAbs = "pc_abs",
        /// A relative jump.
        PcRel = "pc_rel",
        /// A conditional jump.
        PcJnz = "pc_jnz",
        /// ap += res.
        ApAdd = "ap_add",
        /// ap += 1.
        ApInc = "ap_inc",
        /// An assignment (dst := res).
        OpAssign = "op_assign",
        /// An assertion (dst = res).
        OpAssert = "op_assert",
        /// A call.
        OpCall = "op_call",
        /// A return.
        OpRet = "op_ret",
        /// An output.
        OpOutput = "op_output",
        /// A halt.
        OpHalt = "op_halt",
        /// The instruction reads dst.
        DstRead = "dst_read",
        /// The instruction writes dst.
        DstWrite = "dst_write",
        /// The instruction reads op0.
        Op0Read = "op0_read",
        /// The instruction writes op0.
        Op0Write = "op0_write",
        /// The instruction reads op1.
        Op1Read = "op1_read",
    }
}

/// `[x]` as a field element.
pub fn b(x: bool) -> Fr {
    Fr::from(x as u64)
}

/// The bytecode-table row of instruction `pc` (the values of [`Field`], in order).
pub fn bytecode_row(pc: usize, i: &Instruction) -> Vec<Fr> {
    vec![
        Fr::from(pc as u64),
        fr_from_i64(i.off_dst.into()),
        fr_from_i64(i.off_op0.into()),
        fr_from_i64(i.off_op1.into()),
        i.imm.unwrap_or(Fr::zero()),
        b(i.dst_reg == Reg::Fp),
        b(i.op0_reg == Reg::Fp),
        b(i.op1_src == Op1Src::Imm),
        b(i.op1_src == Op1Src::Ap),
        b(i.op1_src == Op1Src::Fp),
        b(i.op1_src == Op1Src::Op0),
        b(i.res == Res::Add),
        b(i.res == Res::Mul),
        b(i.pc_update == PcUpdate::JumpAbs),
        b(i.pc_update == PcUpdate::JumpRel),
        b(i.pc_update == PcUpdate::Jnz),
        b(i.ap_update == ApUpdate::Add),
        b(i.ap_update == ApUpdate::Inc),
        b(i.opcode == Opcode::Assign),
        b(i.opcode == Opcode::AssertEq),
        b(i.opcode == Opcode::Call),
        b(i.opcode == Opcode::Ret),
        b(i.opcode == Opcode::Output),
        b(i.opcode == Opcode::Halt),
        b(i.dst_use() == SlotUse::Read),
        b(i.dst_use() == SlotUse::Write),
        b(i.op0_use() == SlotUse::Read),
        b(i.op0_use() == SlotUse::Write),
        b(i.op1_use() == SlotUse::Read),
    ]
}
