//! zasm → the constraint system. One row per cycle; a field operation costs one constraint.
//!
//! The semantics encoded here are `isa/README.md`'s: three memory slots `dst`, `op0`, `op1`
//! (`Instruction::{dst_use, op0_use, op1_use}` say which are read or written), `res = op1`,
//! `op0 + op1` or `op0 · op1`, and the pc/ap/fp updates. Every instruction field is fetched from
//! the public bytecode table, so the constraints below may trust them.
//!
#![doc = include_str!("zasm_columns.md")]

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use zkvm_isa::{ApUpdate, Instruction, Op1Src, Opcode, PcUpdate, Program, Reg, Res, SlotUse};
use zkvm_vm::Step;

use super::{finish_witness, LowerError, Witness};
use crate::machine::offline_memory;
use crate::machine::{
    add, cur, first, fr, konst, last, next, not_last, one, public, public_value, sub, Builder, Col,
    LookupUse, Machine, MemSlot, MemoryLayout, OutputLane, ProgramDigest, PublicValues, RowExpr,
    TableId,
};

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

fn b(x: bool) -> Fr {
    Fr::from(x as u64)
}

/// The bytecode-table row of instruction `pc` (the values of [`Field`], in order).
pub fn bytecode_row(pc: usize, i: &Instruction) -> Vec<Fr> {
    vec![
        Fr::from(pc as u64),
        fr(i.off_dst.into()),
        fr(i.off_op0.into()),
        fr(i.off_op1.into()),
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

/// Column indices of the zasm machine.
#[derive(Clone, Debug)]
pub struct ZasmCols {
    /// The fetched instruction fields, in [`Field`] order (`fields[0]` is the pc).
    pub fields: Vec<Col>,
    /// Registers.
    pub ap: Col,
    /// Frame pointer.
    pub fp: Col,
    /// Row index.
    pub cycle: Col,
    /// Per slot (dst, op0, op1): address, read value, write value.
    pub addr: [Col; 3],
    /// Values read.
    pub read: [Col; 3],
    /// Values written (op1 is never written: same column as its read value).
    pub write: [Col; 3],
    /// `op0 · op1`.
    pub prod: Col,
    /// The result `res`.
    pub res: Col,
    /// Inverse of `dst` (when nonzero), for `jnz`.
    pub dst_inv: Col,
    /// `[dst ≠ 0]`.
    pub nz: Col,
    /// `nz · (op1 − 1)`: the jnz pc increment beyond 1.
    pub jump_delta: Col,
    /// Next registers.
    pub pc_new: Col,
    /// Next ap.
    pub ap_new: Col,
    /// Next fp.
    pub fp_new: Col,
    /// Number of outputs before this row.
    pub out_idx: Col,
    /// 16-bit limbs of ap and fp (`ap_lo, ap_hi, fp_lo, fp_hi`): registers are u32.
    pub reg_limbs: [Col; 4],
    /// 16-bit limbs of op0 when it is a base address (double dereference): an address is u32.
    pub op0_limbs: [Col; 2],
}

impl ZasmCols {
    /// A bytecode field's column.
    pub fn field(&self, f: Field) -> Col {
        self.fields[f as usize]
    }
}

/// The zasm machine for `program` over a memory of `2^mem_log_size` cells (the run's output is
/// a public value beside it).
pub fn machine(program: &Program, mem_log_size: usize) -> (Machine, ZasmCols) {
    let mut bld = Builder::default();
    let fields: Vec<Col> = Field::ALL
        .iter()
        .map(|f| match f {
            Field::Imm => bld.field_col(f.name()),
            _ => bld.small_col(f.name()),
        })
        .collect();
    let ap = bld.small_col("ap");
    let fp = bld.small_col("fp");
    let cycle = bld.small_col("cycle");
    let reg_limbs = ["ap_lo", "ap_hi", "fp_lo", "fp_hi"].map(|n| bld.small_col(n));
    let slot_names = ["dst", "op0", "op1"];
    let addr = slot_names.map(|s| bld.small_col(&format!("{s}_addr")));
    let read = slot_names.map(|s| bld.field_col(&format!("{s}_read_value")));
    let write = [
        bld.field_col("dst_write_value"),
        bld.field_col("op0_write_value"),
        read[2],
    ];
    let read_ts = slot_names.map(|s| bld.small_col(&format!("{s}_read_ts")));
    let limbs = slot_names.map(|s| {
        (
            bld.small_col(&format!("{s}_ts_lo")),
            bld.small_col(&format!("{s}_ts_hi")),
        )
    });
    let init_flag = [
        bld.small_col("dst_read_flag"),
        bld.small_col("op0_read_flag"),
    ];
    let c = ZasmCols {
        fields,
        ap,
        fp,
        cycle,
        addr,
        read,
        write,
        prod: bld.field_col("prod"),
        res: bld.field_col("res"),
        dst_inv: bld.field_col("dst_inv"),
        nz: bld.small_col("nz"),
        jump_delta: bld.field_col("jump_delta"),
        pc_new: bld.small_col("pc_new"),
        ap_new: bld.small_col("ap_new"),
        fp_new: bld.small_col("fp_new"),
        out_idx: bld.small_col("out_idx"),
        reg_limbs,
        op0_limbs: ["op0_lo", "op0_hi"].map(|n| bld.small_col(n)),
    };
    let f = |field: Field| cur(c.field(field));
    let zero = || crate::r1cs::LinComb { terms: Vec::new() };
    let pc = || f(Field::Pc);
    let (ap, fp) = (|| cur(c.ap), || cur(c.fp));
    let [r_dst, r_op0, r_op1] = c.read.map(cur);
    let [w_dst, w_op0, _] = c.write.map(cur);
    let [a_dst, a_op0, a_op1] = c.addr.map(cur);

    // Addresses: dst = (ap | fp) + off_dst, op0 likewise, op1 = (ap | fp | [op0]) + off_op1.
    bld.constrain(
        "addr: dst",
        f(Field::DstFp),
        sub(fp(), ap()),
        sub(sub(a_dst, ap()), f(Field::OffDst)),
    );
    bld.constrain(
        "addr: op0",
        f(Field::Op0Fp),
        sub(fp(), ap()),
        sub(sub(a_op0, ap()), f(Field::OffOp0)),
    );
    let op1_base = || sub(a_op1.clone(), f(Field::OffOp1));
    bld.when_eq("addr: op1 from ap", f(Field::Op1Ap), op1_base(), ap());
    bld.when_eq("addr: op1 from fp", f(Field::Op1Fp), op1_base(), fp());
    bld.when_eq(
        "addr: op1 double dereference",
        f(Field::Op1Op0),
        op1_base(),
        r_op0.clone(),
    );
    // The VM faults unless a dereferenced op0 is a u32 (op0 + off is then an integer, and the
    // memory table holds no address of a negative or oversized sum): its limbs are
    // range-checked below.
    bld.when_eq(
        "range: dereferenced op0 is u32",
        f(Field::Op1Op0),
        r_op0.clone(),
        add(
            cur(c.op0_limbs[0]),
            crate::machine::scale(cur(c.op0_limbs[1]), Fr::from(1u64 << 16)),
        ),
    );
    bld.when_eq(
        "op1: immediate",
        f(Field::Op1Imm),
        r_op1.clone(),
        f(Field::Imm),
    );
    // Pure reads leave the cell as it was; reads must find an initialised cell.
    bld.when_eq(
        "memory: dst read keeps the value",
        f(Field::DstRead),
        w_dst.clone(),
        r_dst.clone(),
    );
    bld.when_eq(
        "memory: op0 read keeps the value",
        f(Field::Op0Read),
        w_op0.clone(),
        r_op0.clone(),
    );
    bld.when_eq(
        "memory: dst reads a written cell",
        f(Field::DstRead),
        cur(init_flag[0]),
        one(),
    );
    bld.when_eq(
        "memory: op0 reads a written cell",
        f(Field::Op0Read),
        cur(init_flag[1]),
        one(),
    );
    // res.
    bld.constrain("alu: op0 * op1", r_op0.clone(), r_op1.clone(), cur(c.prod));
    bld.when_eq(
        "alu: res = op0 + op1",
        f(Field::ResAdd),
        cur(c.res),
        add(r_op0.clone(), r_op1.clone()),
    );
    bld.when_eq(
        "alu: res = op0 * op1",
        f(Field::ResMul),
        cur(c.res),
        cur(c.prod),
    );
    bld.when_eq(
        "alu: res = op1",
        sub(sub(one(), f(Field::ResAdd)), f(Field::ResMul)),
        cur(c.res),
        r_op1.clone(),
    );
    // Opcodes.
    bld.when_eq(
        "assign: dst = res",
        f(Field::OpAssign),
        w_dst.clone(),
        cur(c.res),
    );
    bld.when_eq(
        "assert: dst == res",
        f(Field::OpAssert),
        r_dst.clone(),
        cur(c.res),
    );
    bld.when_eq("call: [ap] = fp", f(Field::OpCall), w_dst, fp());
    bld.when_eq(
        "call: [ap + 1] = pc + 1",
        f(Field::OpCall),
        w_op0,
        add(pc(), one()),
    );
    // jnz: nz = [dst ≠ 0] via an inverse; jump_delta = nz · (op1 − 1).
    bld.constrain(
        "jnz: dst · inv = nz",
        r_dst.clone(),
        cur(c.dst_inv),
        cur(c.nz),
    );
    bld.constrain(
        "jnz: dst ≠ 0 ⇒ nz = 1",
        r_dst.clone(),
        sub(one(), cur(c.nz)),
        zero(),
    );
    bld.constrain(
        "jnz: jump delta",
        cur(c.nz),
        sub(r_op1, one()),
        cur(c.jump_delta),
    );
    // pc update.
    let regular = sub(
        sub(
            sub(sub(one(), f(Field::PcAbs)), f(Field::PcRel)),
            f(Field::PcJnz),
        ),
        f(Field::OpHalt),
    );
    bld.when_eq("pc: regular", regular, cur(c.pc_new), add(pc(), one()));
    bld.when_eq("pc: jump abs", f(Field::PcAbs), cur(c.pc_new), cur(c.res));
    bld.when_eq(
        "pc: jump rel",
        f(Field::PcRel),
        cur(c.pc_new),
        add(pc(), cur(c.res)),
    );
    bld.when_eq(
        "pc: jnz",
        f(Field::PcJnz),
        cur(c.pc_new),
        add(add(pc(), one()), cur(c.jump_delta)),
    );
    bld.when_eq("pc: halt stays", f(Field::OpHalt), cur(c.pc_new), pc());
    // ap update.
    let two = || konst(Fr::from(2u64));
    bld.when_eq(
        "ap: call",
        f(Field::OpCall),
        cur(c.ap_new),
        add(ap(), two()),
    );
    bld.when_eq(
        "ap: += res",
        f(Field::ApAdd),
        cur(c.ap_new),
        add(ap(), cur(c.res)),
    );
    bld.when_eq("ap: ++", f(Field::ApInc), cur(c.ap_new), add(ap(), one()));
    let ap_same = sub(
        sub(sub(one(), f(Field::OpCall)), f(Field::ApAdd)),
        f(Field::ApInc),
    );
    bld.when_eq("ap: unchanged", ap_same, cur(c.ap_new), ap());
    // fp update.
    bld.when_eq(
        "fp: call",
        f(Field::OpCall),
        cur(c.fp_new),
        add(ap(), two()),
    );
    bld.when_eq("fp: ret", f(Field::OpRet), cur(c.fp_new), r_dst.clone());
    bld.when_eq(
        "fp: unchanged",
        sub(sub(one(), f(Field::OpCall)), f(Field::OpRet)),
        cur(c.fp_new),
        fp(),
    );
    // Transitions, boundaries, the cycle counter.
    bld.when_eq("next: pc", not_last(), next(c.fields[0]), cur(c.pc_new));
    bld.when_eq("next: ap", not_last(), next(c.ap), cur(c.ap_new));
    bld.when_eq("next: fp", not_last(), next(c.fp), cur(c.fp_new));
    bld.when_eq(
        "next: cycle",
        not_last(),
        next(c.cycle),
        add(cur(c.cycle), one()),
    );
    bld.when_eq("start: cycle 0", first(), cur(c.cycle), zero());
    bld.when_eq(
        "start: pc = main",
        first(),
        pc(),
        konst(Fr::from(program.entry as u64)),
    );
    let data_start = || konst(Fr::from(zkvm_isa::DATA_START as u64));
    bld.when_eq("start: ap", first(), ap(), data_start());
    bld.when_eq("start: fp", first(), fp(), data_start());
    bld.when_eq("end: the last row halts", last(), f(Field::OpHalt), one());
    // Output: out_idx counts outputs; the last row has output them all.
    bld.when_eq("output: starts at 0", first(), cur(c.out_idx), zero());
    bld.when_eq(
        "output: counts",
        not_last(),
        next(c.out_idx),
        add(cur(c.out_idx), f(Field::OpOutput)),
    );
    bld.when_eq(
        "output: all outputs",
        last(),
        add(cur(c.out_idx), f(Field::OpOutput)),
        public_value(public::OUTPUT_LEN),
    );
    bld.when_eq(
        "end: a zasm run exits with 0",
        last(),
        public_value(public::EXIT_CODE),
        zero(),
    );

    // ap and fp are u32 (a register leaving [0, 2^32) is a VM fault).
    let two16 = Fr::from(1u64 << 16);
    for (reg, lo, hi, name) in [
        (c.ap, reg_limbs[0], reg_limbs[1], "range: ap is u32"),
        (c.fp, reg_limbs[2], reg_limbs[3], "range: fp is u32"),
    ] {
        bld.eq(
            name,
            cur(reg),
            add(cur(lo), crate::machine::scale(cur(hi), two16)),
        );
    }
    let active = |r: Field, w: Option<Field>| {
        let mut e = RowExpr::col(c.field(r));
        if let Some(w) = w {
            e = e.plus(c.field(w), Fr::one());
        }
        e
    };
    // Timestamp order within a row: op1, op0, then dst. op1 is always a read and op0 and dst
    // reads happen before any write, as the VM does: `call`'s op1 (its target) is read before
    // op0 writes the return address to [ap + 1] and dst writes fp to [ap], so
    // `call abs [ap + 1]` reads the old cell. (Pure reads commute, so a double dereference
    // reading op1 before op0 is the same statement.)
    let slots: Vec<MemSlot> = [2, 1, 0]
        .into_iter()
        .map(|s| MemSlot {
            name: slot_names[s].to_string(),
            active: match s {
                0 => active(Field::DstRead, Some(Field::DstWrite)),
                1 => active(Field::Op0Read, Some(Field::Op0Write)),
                _ => active(Field::Op1Read, None),
            },
            addr: RowExpr::col(c.addr[s]),
            read_value: c.read[s],
            write_value: c.write[s],
            read_ts: read_ts[s],
            read_init_flag: init_flag.get(s).copied(),
            ts_diff_limbs: limbs[s],
            permission: None,
            writes: RowExpr::constant(Fr::zero()),
        })
        .collect();
    let mut lookups = offline_memory::constrain(&mut bld, &slots, c.cycle);
    for (limb, name) in
        reg_limbs
            .iter()
            .zip(["ap low limb", "ap high limb", "fp low limb", "fp high limb"])
    {
        lookups.push(LookupUse {
            name: format!("range: {name}"),
            table: TableId::Range16,
            active: RowExpr::constant(Fr::one()),
            tuple: vec![RowExpr::col(*limb)],
        });
    }
    for (limb, name) in c.op0_limbs.iter().zip(["low", "high"]) {
        lookups.push(LookupUse {
            name: format!("range: dereferenced op0 {name} limb"),
            table: TableId::Range16,
            active: RowExpr::col(c.field(Field::Op1Op0)),
            tuple: vec![RowExpr::col(*limb)],
        });
    }
    lookups.push(LookupUse {
        name: "instruction fetch".into(),
        table: TableId::Bytecode,
        active: RowExpr::constant(Fr::one()),
        tuple: c.fields.iter().map(|&col| RowExpr::col(col)).collect(),
    });
    let (column_names, small_columns, r1cs) = bld.finish();
    let bytecode = bytecode_table(program);
    let machine = Machine {
        isa: "zasm".into(),
        program_digest: program_digest_of(program, &bytecode),
        column_names,
        small_columns,
        r1cs,
        slots,
        cycle_col: c.cycle,
        lookups,
        bytecode,
        memory: MemoryLayout {
            log_size: mem_log_size,
            init: Vec::new(),
            init_flag: Fr::zero(),
            permissions: None,
        },
        outputs: vec![OutputLane {
            active: RowExpr::col(c.field(Field::OpOutput)),
            index: RowExpr::col(c.out_idx),
            value: RowExpr::col(c.read[0]),
        }],
        uses_bitwise: false,
    };
    (machine, c)
}

/// The digest that identifies a zasm program (`zkvm id`).
pub fn program_digest(program: &Program) -> ProgramDigest {
    program_digest_of(program, &bytecode_table(program))
}

/// zasm has no initial memory: the program's encoded words (instruction words and
/// immediates) stand in the image's place, so that programs whose bytecode rows agree but
/// whose instructions differ (two advice kinds, which the constraints leave unconstrained
/// alike) still have different digests.
fn program_digest_of(program: &Program, bytecode: &[Vec<Fr>]) -> ProgramDigest {
    let words: Vec<(u64, Fr)> = (0u64..).zip(program.words()).collect();
    ProgramDigest::new("zasm", program.entry.into(), bytecode, &words, None)
}

/// The public bytecode table: one row per instruction.
pub fn bytecode_table(program: &Program) -> Vec<Vec<Fr>> {
    program
        .instructions
        .iter()
        .enumerate()
        .map(|(pc, i)| bytecode_row(pc, i))
        .collect()
}

/// Lower a zasm run (its trace, which must end with `halt`) to a machine and a witness for the
/// public values `public` (its output; exit code 0).
pub fn lower(
    program: &Program,
    trace: &[Step],
    public: &PublicValues,
) -> Result<(Machine, Witness), LowerError> {
    let halted = trace
        .last()
        .and_then(|s| program.instructions.get(s.pc as usize))
        .is_some_and(|i| i.opcode == Opcode::Halt);
    if !halted {
        return Err(LowerError::Unprovable(
            "the run did not end with `halt`".into(),
        ));
    }
    let rows = trace.len().next_power_of_two().max(2);
    let max_addr = trace
        .iter()
        .flat_map(|s| s.accesses.iter().flatten().map(|a| a.addr as u64))
        .chain(trace.iter().flat_map(|s| [s.ap as u64, s.fp as u64]))
        .max()
        .unwrap_or(0);
    let mem_log_size = ((max_addr + 1).next_power_of_two().trailing_zeros() as usize).max(4);
    let (machine, c) = machine(program, mem_log_size);
    let mut cols = vec![vec![Fr::zero(); rows]; machine.column_names.len()];
    let mut out_idx = 0u64;
    for t in 0..rows {
        // Padding rows repeat the final halt.
        let step = &trace[t.min(trace.len() - 1)];
        let padding = t >= trace.len();
        let instr = &program.instructions[step.pc as usize];
        for (col, v) in c.fields.iter().zip(bytecode_row(step.pc as usize, instr)) {
            cols[*col][t] = v;
        }
        let (ap, fp) = (Fr::from(step.ap as u64), Fr::from(step.fp as u64));
        cols[c.ap][t] = ap;
        cols[c.fp][t] = fp;
        for (k, v) in [
            step.ap & 0xffff,
            step.ap >> 16,
            step.fp & 0xffff,
            step.fp >> 16,
        ]
        .into_iter()
        .enumerate()
        {
            cols[c.reg_limbs[k]][t] = Fr::from(v as u64);
        }
        cols[c.cycle][t] = Fr::from(t as u64);
        cols[c.out_idx][t] = Fr::from(out_idx);
        if instr.opcode == Opcode::Output {
            out_idx += 1;
        }
        // Addresses follow the constraints even for unused slots; values come from the trace:
        // a slot reads the cell's value before the access (a write's old value) and writes
        // its value.
        let base = |reg: Reg| if reg == Reg::Fp { fp } else { ap };
        let mut reads = [Fr::zero(); 3];
        let mut writes = [Fr::zero(); 3];
        if !padding {
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
        cols[c.addr[0]][t] = base(instr.dst_reg) + fr(instr.off_dst.into());
        cols[c.addr[1]][t] = base(instr.op0_reg) + fr(instr.off_op0.into());
        cols[c.addr[2]][t] = fr(instr.off_op1.into())
            + match instr.op1_src {
                Op1Src::Imm => -fr(instr.off_op1.into()),
                Op1Src::Ap => ap,
                Op1Src::Fp => fp,
                Op1Src::Op0 => reads[1],
            };
        for s in 0..3 {
            cols[c.read[s]][t] = reads[s];
            cols[c.write[s]][t] = if s == 2 { reads[2] } else { writes[s] };
        }
        // Unused slots: the write value equals the read value, so "reads keep the value" and the
        // memory checker (which skips inactive slots) agree.
        if instr.dst_use() == SlotUse::None || padding {
            cols[c.write[0]][t] = reads[0];
        }
        if instr.op0_use() == SlotUse::None || padding {
            cols[c.write[1]][t] = reads[1];
        }
        let values = reads;
        let (op0, op1) = (values[1], values[2]);
        let prod = op0 * op1;
        let res = match instr.res {
            Res::Op1 => op1,
            Res::Add => op0 + op1,
            Res::Mul => prod,
        };
        if instr.op1_src == Op1Src::Op0 {
            // A dereferenced op0 is a u32 on every run that did not fault.
            let base = crate::poly::small_value(op0).unwrap_or(0);
            cols[c.op0_limbs[0]][t] = Fr::from(base & 0xffff);
            cols[c.op0_limbs[1]][t] = Fr::from(base >> 16);
        }
        cols[c.prod][t] = prod;
        cols[c.res][t] = res;
        let dst = values[0];
        let nz = !dst.is_zero();
        cols[c.dst_inv][t] = ark_ff::Field::inverse(&dst).unwrap_or(Fr::zero());
        cols[c.nz][t] = b(nz);
        cols[c.jump_delta][t] = if nz { op1 - Fr::one() } else { Fr::zero() };
        let next = trace.get(t + 1).filter(|_| !padding);
        let (pc_new, ap_new, fp_new) = match next {
            Some(n) => (n.pc, n.ap, n.fp),
            None => (step.pc, step.ap, step.fp),
        };
        cols[c.pc_new][t] = Fr::from(pc_new as u64);
        cols[c.ap_new][t] = Fr::from(ap_new as u64);
        cols[c.fp_new][t] = Fr::from(fp_new as u64);
    }
    let witness = finish_witness(&machine, public, cols)?;
    Ok((machine, witness))
}
