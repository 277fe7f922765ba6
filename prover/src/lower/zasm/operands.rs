//! Operands: the three memory slots' addresses, where op1 comes from, and what a slot that only
//! reads leaves in its cell.
//!
//! `dst = (ap | fp) + off_dst`, `op0 = (ap | fp) + off_op0`, and op1 is the immediate or the
//! cell at `(ap | fp | [op0]) + off_op1`. A dereferenced op0 is a u32 (the VM faults otherwise),
//! so `op0 + off` is an integer address. Slots that read leave the cell as it was and must find
//! an initialised cell (the VM's `UnwrittenRead`).

use ark_bn254::Fr;
use ark_ff::Zero;
use zkvm_isa::{Op1Src, Reg, SlotUse};

use super::columns::{ZasmCols, SLOT_NAMES};
use super::flags::Field;
use super::RowIn;
use crate::machine::{cur, zero, Builder, LookupUse, MemSlot, TableId};
use crate::poly::small_value;
use crate::r1cs::fr_from_i64;

/// The address, operand-source and read constraints, and the range check of a dereferenced op0.
pub fn eval(bld: &mut Builder, c: &ZasmCols, lookups: &mut Vec<LookupUse>) {
    let f = |field| c.f(field);
    let (ap, fp) = (cur(c.ap), cur(c.fp));
    bld.constrain(
        "addr: dst",
        f(Field::DstFp),
        fp.clone() - ap.clone(),
        cur(c.dst_addr) - ap.clone() - f(Field::OffDst),
    );
    bld.constrain(
        "addr: op0",
        f(Field::Op0Fp),
        fp.clone() - ap.clone(),
        cur(c.op0_addr) - ap.clone() - f(Field::OffOp0),
    );
    let op1_base = || cur(c.op1_addr) - f(Field::OffOp1);
    bld.when(f(Field::Op1Ap))
        .assert_zero("addr: op1 from ap", op1_base() - ap);
    bld.when(f(Field::Op1Fp))
        .assert_zero("addr: op1 from fp", op1_base() - fp);
    bld.when(f(Field::Op1Op0)).assert_zero(
        "addr: op1 double dereference",
        op1_base() - cur(c.op0_read_value),
    );
    bld.when(f(Field::Op1Op0)).assert_zero(
        "range: dereferenced op0 is u32",
        cur(c.op0_read_value) - cur(c.op0_lo) - cur(c.op0_hi) * (1 << 16),
    );
    for (limb, name) in [(c.op0_lo, "low"), (c.op0_hi, "high")] {
        lookups.push(LookupUse {
            name: format!("range: dereferenced op0 {name} limb"),
            table: TableId::Range16,
            active: f(Field::Op1Op0),
            tuple: vec![cur(limb)],
        });
    }
    bld.when(f(Field::Op1Imm))
        .assert_zero("op1: immediate", cur(c.op1_read_value) - f(Field::Imm));
    bld.when(f(Field::DstRead)).assert_zero(
        "memory: dst read keeps the value",
        cur(c.dst_write_value) - cur(c.dst_read_value),
    );
    bld.when(f(Field::Op0Read)).assert_zero(
        "memory: op0 read keeps the value",
        cur(c.op0_write_value) - cur(c.op0_read_value),
    );
    bld.when(f(Field::DstRead))
        .assert_zero("memory: dst reads a written cell", cur(c.dst_read_flag) - 1);
    bld.when(f(Field::Op0Read))
        .assert_zero("memory: op0 reads a written cell", cur(c.op0_read_flag) - 1);
}

/// The memory slots in timestamp order: op1, op0, then dst. op1 is always a read and op0 and
/// dst reads happen before any write, as the VM does: `call`'s op1 (its target) is read before
/// op0 writes the return address to [ap + 1] and dst writes fp to [ap], so `call abs [ap + 1]`
/// reads the old cell. (Pure reads commute, so a double dereference reading op1 before op0 is
/// the same statement.)
pub fn memory_slots(c: &ZasmCols) -> Vec<MemSlot> {
    let active = [
        c.f(Field::DstRead) + c.f(Field::DstWrite),
        c.f(Field::Op0Read) + c.f(Field::Op0Write),
        c.f(Field::Op1Read),
    ];
    [2, 1, 0]
        .into_iter()
        .map(|s| MemSlot {
            name: SLOT_NAMES[s].to_string(),
            active: active[s].clone(),
            addr: cur(c.addr()[s]),
            read_value: c.read()[s],
            write_value: c.write()[s],
            read_ts: c.read_ts()[s],
            read_init_flag: c.read_flag()[s],
            ts_diff_limbs: c.ts_limbs()[s],
            permission: None,
            writes: zero(),
            address_bits: None,
        })
        .collect()
}

/// Fill the slots' addresses and values; returns the values read (dst, op0, op1). A slot reads
/// the cell's value before the access (a write's old value) and writes its new value; an unused
/// slot (and every slot of a padding row) writes what it reads, so "reads keep the value" and
/// the memory checker (which skips inactive slots) agree.
pub fn fill(c: &ZasmCols, v: &mut [Fr], r: &RowIn) -> [Fr; 3] {
    let (step, instr) = (r.step, r.instr);
    let (ap, fp) = (Fr::from(step.ap), Fr::from(step.fp));
    let base = |reg: Reg| if reg == Reg::Fp { fp } else { ap };
    let mut reads = [Fr::zero(); 3];
    let mut writes = [Fr::zero(); 3];
    if !r.padding {
        for (s, access) in step.accesses.iter().enumerate() {
            if let Some(a) = access {
                reads[s] = a.old;
                writes[s] = a.value;
            }
        }
    }
    if let Some(imm) = instr.imm {
        reads[2] = imm;
    }
    let uses = [instr.dst_use(), instr.op0_use(), instr.op1_use()];
    for s in 0..3 {
        if uses[s] != SlotUse::Write || r.padding {
            writes[s] = reads[s];
        }
    }
    let off_op1 = fr_from_i64(instr.off_op1.into());
    v[c.dst_addr] = base(instr.dst_reg) + fr_from_i64(instr.off_dst.into());
    v[c.op0_addr] = base(instr.op0_reg) + fr_from_i64(instr.off_op0.into());
    v[c.op1_addr] = match instr.op1_src {
        Op1Src::Imm => Fr::zero(),
        Op1Src::Ap => ap + off_op1,
        Op1Src::Fp => fp + off_op1,
        Op1Src::Op0 => reads[1] + off_op1,
    };
    for s in 0..3 {
        v[c.read()[s]] = reads[s];
        v[c.write()[s]] = writes[s];
    }
    if instr.op1_src == Op1Src::Op0 {
        // A dereferenced op0 is a u32 on every run that did not fault.
        let base = small_value(reads[1]).unwrap_or(0);
        v[c.op0_lo] = Fr::from(base & 0xffff);
        v[c.op0_hi] = Fr::from(base >> 16);
    }
    reads
}
