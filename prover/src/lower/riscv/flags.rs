//! The bytecode fields and instruction flags, defined once. The bytecode table row
//! ([`bytecode_row`]), the group constraints (through [`Field`] columns) and the witness
//! filling (through [`Flags`], which reads the same fields off the row being filled) all use
//! these definitions; the opcode groups below are the only lists of flags.

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use zkvm_riscv::{Format, InstrClass, Instruction, Opcode};

use super::{fi, A0, A1, A2, A7};
use crate::machine::tables::bitwise_op;

bytecode_fields! {
    /// A field of the bytecode table, in the table's column order (`Idx` first). Each is a
    /// committed column of every row, fixed by the instruction-fetch lookup.
    pub enum Field {
        /// The table row's index (the tuple's first entry).
        Idx = "idx",
        /// The instruction's byte address.
        Pc = "pc",
        /// An `ecall` row.
        Ecall = "ecall",
        /// An `ecall`'s second (and chunk) rows.
        Sub = "sub",
        /// rs1's index (0 when unused; a7 / a1 on ecall rows).
        Rs1 = "rs1",
        /// rs2's index (0 when unused; a0 / a2 on ecall rows).
        Rs2 = "rs2",
        /// rd's index (a0 on an ecall's second rows).
        Rd = "rd",
        /// The immediate as a u32.
        Imm = "imm",
        /// The signed immediate minus 4 (branches and `jal`).
        SimmM4 = "simm_m4",
        /// Y is the immediate (the ALU-immediate forms).
        UseImm = "use_imm",
        /// The instruction writes rd and rd ≠ 0.
        RdW = "rd_w",
        /// The bitwise table's operation ([`bitwise_op`]; AND by default).
        BwOp = "bw_op",
        /// ADD, ADDI.
        Add = "add",
        /// SUB.
        SubOp = "subop",
        /// LUI.
        Lui = "lui",
        /// AUIPC.
        Auipc = "auipc",
        /// JAL.
        Jal = "jal",
        /// JALR.
        Jalr = "jalr",
        /// BEQ.
        Beq = "beq",
        /// BNE.
        Bne = "bne",
        /// BLT.
        Blt = "blt",
        /// BGE.
        Bge = "bge",
        /// BLTU.
        Bltu = "bltu",
        /// BGEU.
        Bgeu = "bgeu",
        /// SLT, SLTI.
        Slt = "slt",
        /// SLTU, SLTIU.
        Sltu = "sltu",
        /// AND, OR, XOR and their immediate forms.
        Bit = "bit",
        /// SLL, SLLI.
        Sll = "sll",
        /// SRL, SRLI.
        Srl = "srl",
        /// SRA, SRAI.
        Sra = "sra",
        /// LB.
        Lb = "lb",
        /// LH.
        Lh = "lh",
        /// LW.
        Lw = "lw",
        /// LBU.
        Lbu = "lbu",
        /// LHU.
        Lhu = "lhu",
        /// SB (the store-byte flag; the divisor's sign is the column `div_sign_b`).
        Sb = "sb",
        /// SH.
        Sh = "sh",
        /// SW.
        Sw = "sw",
        /// MUL.
        Mul = "mul",
        /// MULH.
        Mulh = "mulh",
        /// MULHSU.
        Mulhsu = "mulhsu",
        /// MULHU.
        Mulhu = "mulhu",
        /// DIV.
        Div = "div",
        /// DIVU.
        Divu = "divu",
        /// REM.
        Rem = "rem",
        /// REMU.
        Remu = "remu",
    }
}

use Field::*;

/// Loads.
pub const LOADS: &[Field] = &[Lb, Lh, Lw, Lbu, Lhu];
/// Stores.
pub const STORES: &[Field] = &[Sb, Sh, Sw];
/// Byte and half accesses (X is the accessed word).
pub const SUBWORD: &[Field] = &[Lb, Lh, Lbu, Lhu, Sb, Sh];
/// Branches.
pub const BRANCHES: &[Field] = &[Beq, Bne, Blt, Bge, Bltu, Bgeu];
/// Comparisons of X and Y as signed numbers.
pub const SIGNED_COMPARISONS: &[Field] = &[Blt, Bge, Slt];
/// Every comparison (its result is `lt`).
pub const COMPARISONS: &[Field] = &[Blt, Bge, Bltu, Bgeu, Slt, Sltu];
/// Divisions and remainders.
pub const DIVISIONS: &[Field] = &[Div, Divu, Rem, Remu];
/// Signed divisions and remainders.
pub const SIGNED_DIVISIONS: &[Field] = &[Div, Rem];

/// The group flag of an opcode (`None`: no flag, a no-op like FENCE or the ecall rows).
pub fn group(op: Opcode) -> Option<Field> {
    use Opcode as O;
    Some(match op {
        O::Add | O::Addi => Add,
        O::Sub => SubOp,
        O::Lui => Lui,
        O::Auipc => Auipc,
        O::Jal => Jal,
        O::Jalr => Jalr,
        O::Beq => Beq,
        O::Bne => Bne,
        O::Blt => Blt,
        O::Bge => Bge,
        O::Bltu => Bltu,
        O::Bgeu => Bgeu,
        O::Slt | O::Slti => Slt,
        O::Sltu | O::Sltiu => Sltu,
        O::And | O::Andi | O::Or | O::Ori | O::Xor | O::Xori => Bit,
        O::Sll | O::Slli => Sll,
        O::Srl | O::Srli => Srl,
        O::Sra | O::Srai => Sra,
        O::Lb => Lb,
        O::Lh => Lh,
        O::Lw => Lw,
        O::Lbu => Lbu,
        O::Lhu => Lhu,
        O::Sb => Sb,
        O::Sh => Sh,
        O::Sw => Sw,
        O::Mul => Mul,
        O::Mulh => Mulh,
        O::Mulhsu => Mulhsu,
        O::Mulhu => Mulhu,
        O::Div => Div,
        O::Divu => Divu,
        O::Rem => Rem,
        O::Remu => Remu,
        O::Fence | O::Ecall | O::Ebreak => return None,
    })
}

/// Whether the lowering supports an opcode.
pub fn supported(op: Opcode) -> bool {
    op != Opcode::Ebreak
}

/// The bytecode-table row of the instruction at `pc` (row index `idx`; `sub` for an ecall's
/// second row), or `None` if the instruction is not supported.
pub fn bytecode_row(idx: usize, pc: u32, instr: &Instruction, sub: bool) -> Option<Vec<Fr>> {
    let op = instr.opcode();
    if !supported(op) {
        return None;
    }
    let o = instr.operands();
    let mut row = vec![Fr::zero(); Field::ALL.len()];
    let mut set = |field: Field, v: Fr| row[field as usize] = v;
    set(Idx, Fr::from(idx as u64));
    set(Pc, Fr::from(pc));
    if op == Opcode::Ecall {
        set(Ecall, Fr::one());
        set(Sub, Fr::from(u64::from(sub)));
        let (rs1, rs2) = if sub { (A1, A2) } else { (A7, A0) };
        set(Rs1, Fr::from(rs1 as u64));
        set(Rs2, Fr::from(rs2 as u64));
        if sub {
            set(Rd, Fr::from(A0 as u64));
        }
        return Some(row);
    }
    let rd = instr.rd().unwrap_or(0);
    let uses_rs1 = !matches!(
        op,
        Opcode::Lui | Opcode::Auipc | Opcode::Jal | Opcode::Fence
    );
    let uses_rs2 = matches!(op.format(), Format::R | Format::S | Format::B);
    set(Rs1, Fr::from(if uses_rs1 { o.rs1 } else { 0 }));
    set(Rs2, Fr::from(if uses_rs2 { o.rs2 } else { 0 }));
    set(Rd, Fr::from(rd));
    set(RdW, Fr::from(u64::from(rd != 0)));
    set(Imm, Fr::from(o.imm as u32));
    if matches!(op.class(), InstrClass::Branch) || op == Opcode::Jal {
        set(SimmM4, fi(i128::from(o.imm) - 4));
    }
    let use_imm = matches!(
        op,
        Opcode::Addi
            | Opcode::Slti
            | Opcode::Sltiu
            | Opcode::Xori
            | Opcode::Ori
            | Opcode::Andi
            | Opcode::Slli
            | Opcode::Srli
            | Opcode::Srai
    );
    set(UseImm, Fr::from(u64::from(use_imm)));
    let bw = match op {
        Opcode::Or | Opcode::Ori => bitwise_op::OR,
        Opcode::Xor | Opcode::Xori => bitwise_op::XOR,
        _ => bitwise_op::AND,
    };
    set(BwOp, Fr::from(bw));
    if let Some(g) = group(op) {
        set(g, Fr::one());
    }
    Some(row)
}

/// The flags of the row being filled, read off its bytecode fields: the witness asks the same
/// questions of a row that the constraints ask of its columns.
#[derive(Clone, Copy)]
pub struct Flags<'a> {
    fields: &'a [Fr],
}

impl<'a> Flags<'a> {
    /// The flags of a bytecode-table row.
    pub fn new(fields: &'a [Fr]) -> Self {
        Flags { fields }
    }

    /// The value of a field.
    pub fn value(&self, field: Field) -> Fr {
        self.fields[field as usize]
    }

    /// Whether a flag is set.
    pub fn is(&self, field: Field) -> bool {
        self.value(field).is_one()
    }

    /// Whether one of `fields` is set.
    pub fn any(&self, fields: &[Field]) -> bool {
        fields.iter().any(|f| self.is(*f))
    }
}
