//! The decoded RV32IM instruction, its decoder, encoder and assembly-text form.
//!
//! A 32-bit word is decoded once into [`Instruction`]; execution, disassembly and the prover's
//! lowering all match on that enum. Immediates are stored sign-extended and already scaled the
//! way the specification defines them (branch and jump offsets in bytes, `lui`/`auipc` with the
//! 20-bit value already shifted left by 12, shift amounts as 0..=31).

use std::fmt;

use thiserror::Error;

/// A register index, 0..=31.
pub type Reg = u8;

/// A word that is not an RV32IM instruction.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
#[error("illegal instruction {word:#010x}")]
#[non_exhaustive]
pub struct DecodeError {
    /// The instruction word.
    pub word: u32,
}

/// One decoded RV32IM instruction (RV32I base plus the M extension; FENCE, ECALL, EBREAK).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // the variants are the instruction mnemonics of the RISC-V specification
pub enum Instruction {
    Lui {
        rd: Reg,
        imm: i32,
    },
    Auipc {
        rd: Reg,
        imm: i32,
    },
    Jal {
        rd: Reg,
        imm: i32,
    },
    Jalr {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Beq {
        rs1: Reg,
        rs2: Reg,
        imm: i32,
    },
    Bne {
        rs1: Reg,
        rs2: Reg,
        imm: i32,
    },
    Blt {
        rs1: Reg,
        rs2: Reg,
        imm: i32,
    },
    Bge {
        rs1: Reg,
        rs2: Reg,
        imm: i32,
    },
    Bltu {
        rs1: Reg,
        rs2: Reg,
        imm: i32,
    },
    Bgeu {
        rs1: Reg,
        rs2: Reg,
        imm: i32,
    },
    Lb {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Lh {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Lw {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Lbu {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Lhu {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Sb {
        rs1: Reg,
        rs2: Reg,
        imm: i32,
    },
    Sh {
        rs1: Reg,
        rs2: Reg,
        imm: i32,
    },
    Sw {
        rs1: Reg,
        rs2: Reg,
        imm: i32,
    },
    Addi {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Slti {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Sltiu {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Xori {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Ori {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Andi {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Slli {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Srli {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Srai {
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Add {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Sub {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Sll {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Slt {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Sltu {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Xor {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Srl {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Sra {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Or {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    And {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Mul {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Mulh {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Mulhsu {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Mulhu {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Div {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Divu {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Rem {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    Remu {
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    /// FENCE (any predecessor/successor set, including FENCE.TSO and PAUSE): a no-op here,
    /// since the machine has one hart and no devices.
    Fence,
    Ecall,
    Ebreak,
}

/// The operation of an instruction without its operands: a dense index for tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[allow(missing_docs)]
#[repr(u8)]
pub enum Opcode {
    Lui,
    Auipc,
    Jal,
    Jalr,
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
    Lb,
    Lh,
    Lw,
    Lbu,
    Lhu,
    Sb,
    Sh,
    Sw,
    Addi,
    Slti,
    Sltiu,
    Xori,
    Ori,
    Andi,
    Slli,
    Srli,
    Srai,
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    Fence,
    Ecall,
    Ebreak,
}

/// Instruction classes used in the execution summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum InstrClass {
    /// Register-register and register-immediate arithmetic, logic, comparisons and shifts.
    Alu,
    /// `lui` and `auipc`.
    Upper,
    /// Conditional branches.
    Branch,
    /// `jal` and `jalr`.
    Jump,
    /// Loads.
    Load,
    /// Stores.
    Store,
    /// `mul`, `mulh`, `mulhsu`, `mulhu`.
    Mul,
    /// `div`, `divu`, `rem`, `remu`.
    Div,
    /// `ecall`, `ebreak`, `fence`.
    System,
}

impl InstrClass {
    /// Every class, in summary order.
    pub const ALL: [InstrClass; 9] = [
        InstrClass::Alu,
        InstrClass::Upper,
        InstrClass::Branch,
        InstrClass::Jump,
        InstrClass::Load,
        InstrClass::Store,
        InstrClass::Mul,
        InstrClass::Div,
        InstrClass::System,
    ];

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            InstrClass::Alu => "alu",
            InstrClass::Upper => "upper",
            InstrClass::Branch => "branch",
            InstrClass::Jump => "jump",
            InstrClass::Load => "load",
            InstrClass::Store => "store",
            InstrClass::Mul => "mul",
            InstrClass::Div => "div",
            InstrClass::System => "system",
        }
    }
}

impl Opcode {
    /// The number of opcodes.
    pub const COUNT: usize = 48;

    /// Every opcode, in declaration order (`ALL[op as usize] == op`).
    pub const ALL: [Opcode; Opcode::COUNT] = {
        use Opcode::*;
        [
            Lui, Auipc, Jal, Jalr, Beq, Bne, Blt, Bge, Bltu, Bgeu, Lb, Lh, Lw, Lbu, Lhu, Sb, Sh,
            Sw, Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai, Add, Sub, Sll, Slt, Sltu,
            Xor, Srl, Sra, Or, And, Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu, Fence, Ecall,
            Ebreak,
        ]
    };

    /// The assembler mnemonic.
    pub fn mnemonic(self) -> &'static str {
        use Opcode::*;
        match self {
            Lui => "lui",
            Auipc => "auipc",
            Jal => "jal",
            Jalr => "jalr",
            Beq => "beq",
            Bne => "bne",
            Blt => "blt",
            Bge => "bge",
            Bltu => "bltu",
            Bgeu => "bgeu",
            Lb => "lb",
            Lh => "lh",
            Lw => "lw",
            Lbu => "lbu",
            Lhu => "lhu",
            Sb => "sb",
            Sh => "sh",
            Sw => "sw",
            Addi => "addi",
            Slti => "slti",
            Sltiu => "sltiu",
            Xori => "xori",
            Ori => "ori",
            Andi => "andi",
            Slli => "slli",
            Srli => "srli",
            Srai => "srai",
            Add => "add",
            Sub => "sub",
            Sll => "sll",
            Slt => "slt",
            Sltu => "sltu",
            Xor => "xor",
            Srl => "srl",
            Sra => "sra",
            Or => "or",
            And => "and",
            Mul => "mul",
            Mulh => "mulh",
            Mulhsu => "mulhsu",
            Mulhu => "mulhu",
            Div => "div",
            Divu => "divu",
            Rem => "rem",
            Remu => "remu",
            Fence => "fence",
            Ecall => "ecall",
            Ebreak => "ebreak",
        }
    }

    /// The instruction's class.
    pub fn class(self) -> InstrClass {
        use Opcode::*;
        match self {
            Lui | Auipc => InstrClass::Upper,
            Jal | Jalr => InstrClass::Jump,
            Beq | Bne | Blt | Bge | Bltu | Bgeu => InstrClass::Branch,
            Lb | Lh | Lw | Lbu | Lhu => InstrClass::Load,
            Sb | Sh | Sw => InstrClass::Store,
            Mul | Mulh | Mulhsu | Mulhu => InstrClass::Mul,
            Div | Divu | Rem | Remu => InstrClass::Div,
            Fence | Ecall | Ebreak => InstrClass::System,
            _ => InstrClass::Alu,
        }
    }

    /// The instruction format: which of rd, rs1, rs2 and imm the instruction uses.
    pub fn format(self) -> Format {
        use Opcode::*;
        match self {
            Lui | Auipc => Format::U,
            Jal => Format::J,
            Jalr | Lb | Lh | Lw | Lbu | Lhu | Addi | Slti | Sltiu | Xori | Ori | Andi | Slli
            | Srli | Srai => Format::I,
            Beq | Bne | Blt | Bge | Bltu | Bgeu => Format::B,
            Sb | Sh | Sw => Format::S,
            Fence | Ecall | Ebreak => Format::None,
            _ => Format::R,
        }
    }
}

impl fmt::Display for Opcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mnemonic())
    }
}

/// Instruction formats of the RISC-V specification (section 2.3), by which operands they use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// rd, rs1, rs2.
    R,
    /// rd, rs1, imm.
    I,
    /// rs1, rs2, imm (stores).
    S,
    /// rs1, rs2, imm (branches).
    B,
    /// rd, imm (upper immediates).
    U,
    /// rd, imm (jal).
    J,
    /// No operands (fence, ecall, ebreak).
    None,
}

/// The operands of an instruction; unused fields are 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Operands {
    /// Destination register.
    pub rd: Reg,
    /// First source register.
    pub rs1: Reg,
    /// Second source register.
    pub rs2: Reg,
    /// Immediate (sign-extended; byte offset for branches and jumps; already shifted for
    /// `lui`/`auipc`; shift amount for `slli`/`srli`/`srai`).
    pub imm: i32,
}

impl Instruction {
    /// The operation without operands.
    pub fn opcode(&self) -> Opcode {
        use Instruction as I;
        match self {
            I::Lui { .. } => Opcode::Lui,
            I::Auipc { .. } => Opcode::Auipc,
            I::Jal { .. } => Opcode::Jal,
            I::Jalr { .. } => Opcode::Jalr,
            I::Beq { .. } => Opcode::Beq,
            I::Bne { .. } => Opcode::Bne,
            I::Blt { .. } => Opcode::Blt,
            I::Bge { .. } => Opcode::Bge,
            I::Bltu { .. } => Opcode::Bltu,
            I::Bgeu { .. } => Opcode::Bgeu,
            I::Lb { .. } => Opcode::Lb,
            I::Lh { .. } => Opcode::Lh,
            I::Lw { .. } => Opcode::Lw,
            I::Lbu { .. } => Opcode::Lbu,
            I::Lhu { .. } => Opcode::Lhu,
            I::Sb { .. } => Opcode::Sb,
            I::Sh { .. } => Opcode::Sh,
            I::Sw { .. } => Opcode::Sw,
            I::Addi { .. } => Opcode::Addi,
            I::Slti { .. } => Opcode::Slti,
            I::Sltiu { .. } => Opcode::Sltiu,
            I::Xori { .. } => Opcode::Xori,
            I::Ori { .. } => Opcode::Ori,
            I::Andi { .. } => Opcode::Andi,
            I::Slli { .. } => Opcode::Slli,
            I::Srli { .. } => Opcode::Srli,
            I::Srai { .. } => Opcode::Srai,
            I::Add { .. } => Opcode::Add,
            I::Sub { .. } => Opcode::Sub,
            I::Sll { .. } => Opcode::Sll,
            I::Slt { .. } => Opcode::Slt,
            I::Sltu { .. } => Opcode::Sltu,
            I::Xor { .. } => Opcode::Xor,
            I::Srl { .. } => Opcode::Srl,
            I::Sra { .. } => Opcode::Sra,
            I::Or { .. } => Opcode::Or,
            I::And { .. } => Opcode::And,
            I::Mul { .. } => Opcode::Mul,
            I::Mulh { .. } => Opcode::Mulh,
            I::Mulhsu { .. } => Opcode::Mulhsu,
            I::Mulhu { .. } => Opcode::Mulhu,
            I::Div { .. } => Opcode::Div,
            I::Divu { .. } => Opcode::Divu,
            I::Rem { .. } => Opcode::Rem,
            I::Remu { .. } => Opcode::Remu,
            I::Fence => Opcode::Fence,
            I::Ecall => Opcode::Ecall,
            I::Ebreak => Opcode::Ebreak,
        }
    }

    /// The operand fields; those the instruction does not use are 0.
    pub fn operands(&self) -> Operands {
        use Instruction as I;
        match *self {
            I::Lui { rd, imm } | I::Auipc { rd, imm } | I::Jal { rd, imm } => Operands {
                rd,
                imm,
                ..Operands::default()
            },
            I::Jalr { rd, rs1, imm }
            | I::Lb { rd, rs1, imm }
            | I::Lh { rd, rs1, imm }
            | I::Lw { rd, rs1, imm }
            | I::Lbu { rd, rs1, imm }
            | I::Lhu { rd, rs1, imm }
            | I::Addi { rd, rs1, imm }
            | I::Slti { rd, rs1, imm }
            | I::Sltiu { rd, rs1, imm }
            | I::Xori { rd, rs1, imm }
            | I::Ori { rd, rs1, imm }
            | I::Andi { rd, rs1, imm }
            | I::Slli { rd, rs1, imm }
            | I::Srli { rd, rs1, imm }
            | I::Srai { rd, rs1, imm } => Operands {
                rd,
                rs1,
                rs2: 0,
                imm,
            },
            I::Beq { rs1, rs2, imm }
            | I::Bne { rs1, rs2, imm }
            | I::Blt { rs1, rs2, imm }
            | I::Bge { rs1, rs2, imm }
            | I::Bltu { rs1, rs2, imm }
            | I::Bgeu { rs1, rs2, imm }
            | I::Sb { rs1, rs2, imm }
            | I::Sh { rs1, rs2, imm }
            | I::Sw { rs1, rs2, imm } => Operands {
                rd: 0,
                rs1,
                rs2,
                imm,
            },
            I::Add { rd, rs1, rs2 }
            | I::Sub { rd, rs1, rs2 }
            | I::Sll { rd, rs1, rs2 }
            | I::Slt { rd, rs1, rs2 }
            | I::Sltu { rd, rs1, rs2 }
            | I::Xor { rd, rs1, rs2 }
            | I::Srl { rd, rs1, rs2 }
            | I::Sra { rd, rs1, rs2 }
            | I::Or { rd, rs1, rs2 }
            | I::And { rd, rs1, rs2 }
            | I::Mul { rd, rs1, rs2 }
            | I::Mulh { rd, rs1, rs2 }
            | I::Mulhsu { rd, rs1, rs2 }
            | I::Mulhu { rd, rs1, rs2 }
            | I::Div { rd, rs1, rs2 }
            | I::Divu { rd, rs1, rs2 }
            | I::Rem { rd, rs1, rs2 }
            | I::Remu { rd, rs1, rs2 } => Operands {
                rd,
                rs1,
                rs2,
                imm: 0,
            },
            I::Fence | I::Ecall | I::Ebreak => Operands::default(),
        }
    }

    /// Build an instruction from its opcode and operands (the fields the format does not use
    /// are ignored). Inverse of [`Instruction::opcode`] with [`Instruction::operands`].
    pub fn from_parts(op: Opcode, o: Operands) -> Instruction {
        use Instruction as I;
        let Operands { rd, rs1, rs2, imm } = o;
        match op {
            Opcode::Lui => I::Lui { rd, imm },
            Opcode::Auipc => I::Auipc { rd, imm },
            Opcode::Jal => I::Jal { rd, imm },
            Opcode::Jalr => I::Jalr { rd, rs1, imm },
            Opcode::Beq => I::Beq { rs1, rs2, imm },
            Opcode::Bne => I::Bne { rs1, rs2, imm },
            Opcode::Blt => I::Blt { rs1, rs2, imm },
            Opcode::Bge => I::Bge { rs1, rs2, imm },
            Opcode::Bltu => I::Bltu { rs1, rs2, imm },
            Opcode::Bgeu => I::Bgeu { rs1, rs2, imm },
            Opcode::Lb => I::Lb { rd, rs1, imm },
            Opcode::Lh => I::Lh { rd, rs1, imm },
            Opcode::Lw => I::Lw { rd, rs1, imm },
            Opcode::Lbu => I::Lbu { rd, rs1, imm },
            Opcode::Lhu => I::Lhu { rd, rs1, imm },
            Opcode::Sb => I::Sb { rs1, rs2, imm },
            Opcode::Sh => I::Sh { rs1, rs2, imm },
            Opcode::Sw => I::Sw { rs1, rs2, imm },
            Opcode::Addi => I::Addi { rd, rs1, imm },
            Opcode::Slti => I::Slti { rd, rs1, imm },
            Opcode::Sltiu => I::Sltiu { rd, rs1, imm },
            Opcode::Xori => I::Xori { rd, rs1, imm },
            Opcode::Ori => I::Ori { rd, rs1, imm },
            Opcode::Andi => I::Andi { rd, rs1, imm },
            Opcode::Slli => I::Slli { rd, rs1, imm },
            Opcode::Srli => I::Srli { rd, rs1, imm },
            Opcode::Srai => I::Srai { rd, rs1, imm },
            Opcode::Add => I::Add { rd, rs1, rs2 },
            Opcode::Sub => I::Sub { rd, rs1, rs2 },
            Opcode::Sll => I::Sll { rd, rs1, rs2 },
            Opcode::Slt => I::Slt { rd, rs1, rs2 },
            Opcode::Sltu => I::Sltu { rd, rs1, rs2 },
            Opcode::Xor => I::Xor { rd, rs1, rs2 },
            Opcode::Srl => I::Srl { rd, rs1, rs2 },
            Opcode::Sra => I::Sra { rd, rs1, rs2 },
            Opcode::Or => I::Or { rd, rs1, rs2 },
            Opcode::And => I::And { rd, rs1, rs2 },
            Opcode::Mul => I::Mul { rd, rs1, rs2 },
            Opcode::Mulh => I::Mulh { rd, rs1, rs2 },
            Opcode::Mulhsu => I::Mulhsu { rd, rs1, rs2 },
            Opcode::Mulhu => I::Mulhu { rd, rs1, rs2 },
            Opcode::Div => I::Div { rd, rs1, rs2 },
            Opcode::Divu => I::Divu { rd, rs1, rs2 },
            Opcode::Rem => I::Rem { rd, rs1, rs2 },
            Opcode::Remu => I::Remu { rd, rs1, rs2 },
            Opcode::Fence => I::Fence,
            Opcode::Ecall => I::Ecall,
            Opcode::Ebreak => I::Ebreak,
        }
    }

    /// The destination register, if the instruction writes one (x0 included).
    pub fn rd(&self) -> Option<Reg> {
        match self.opcode().format() {
            Format::R | Format::I | Format::U | Format::J => Some(self.operands().rd),
            Format::S | Format::B | Format::None => None,
        }
    }

    /// Encode into the 32-bit instruction word. `decode(i.encode()) == Ok(i)` for every
    /// instruction whose fields are in range (registers < 32, immediates representable).
    pub fn encode(&self) -> u32 {
        let op = self.opcode();
        let Operands { rd, rs1, rs2, imm } = self.operands();
        let (rd, rs1, rs2) = (u32::from(rd & 31), u32::from(rs1 & 31), u32::from(rs2 & 31));
        let imm_u = imm as u32;
        let r = |opc: u32, f3: u32, f7: u32| {
            opc | rd << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | f7 << 25
        };
        let i = |opc: u32, f3: u32| opc | rd << 7 | f3 << 12 | rs1 << 15 | (imm_u & 0xfff) << 20;
        let shift = |f3: u32, f7: u32| {
            0x13 | rd << 7 | f3 << 12 | rs1 << 15 | (imm_u & 31) << 20 | f7 << 25
        };
        let s = |f3: u32| {
            0x23 | (imm_u & 0x1f) << 7
                | f3 << 12
                | rs1 << 15
                | rs2 << 20
                | (imm_u >> 5 & 0x7f) << 25
        };
        let b = |f3: u32| {
            0x63 | (imm_u >> 11 & 1) << 7
                | (imm_u >> 1 & 0xf) << 8
                | f3 << 12
                | rs1 << 15
                | rs2 << 20
                | (imm_u >> 5 & 0x3f) << 25
                | (imm_u >> 12 & 1) << 31
        };
        use Opcode::*;
        match op {
            Lui => 0x37 | rd << 7 | (imm_u & 0xffff_f000),
            Auipc => 0x17 | rd << 7 | (imm_u & 0xffff_f000),
            Jal => {
                0x6f | rd << 7
                    | (imm_u >> 12 & 0xff) << 12
                    | (imm_u >> 11 & 1) << 20
                    | (imm_u >> 1 & 0x3ff) << 21
                    | (imm_u >> 20 & 1) << 31
            }
            Jalr => i(0x67, 0),
            Beq => b(0),
            Bne => b(1),
            Blt => b(4),
            Bge => b(5),
            Bltu => b(6),
            Bgeu => b(7),
            Lb => i(0x03, 0),
            Lh => i(0x03, 1),
            Lw => i(0x03, 2),
            Lbu => i(0x03, 4),
            Lhu => i(0x03, 5),
            Sb => s(0),
            Sh => s(1),
            Sw => s(2),
            Addi => i(0x13, 0),
            Slti => i(0x13, 2),
            Sltiu => i(0x13, 3),
            Xori => i(0x13, 4),
            Ori => i(0x13, 6),
            Andi => i(0x13, 7),
            Slli => shift(1, 0),
            Srli => shift(5, 0),
            Srai => shift(5, 0x20),
            Add => r(0x33, 0, 0),
            Sub => r(0x33, 0, 0x20),
            Sll => r(0x33, 1, 0),
            Slt => r(0x33, 2, 0),
            Sltu => r(0x33, 3, 0),
            Xor => r(0x33, 4, 0),
            Srl => r(0x33, 5, 0),
            Sra => r(0x33, 5, 0x20),
            Or => r(0x33, 6, 0),
            And => r(0x33, 7, 0),
            Mul => r(0x33, 0, 1),
            Mulh => r(0x33, 1, 1),
            Mulhsu => r(0x33, 2, 1),
            Mulhu => r(0x33, 3, 1),
            Div => r(0x33, 4, 1),
            Divu => r(0x33, 5, 1),
            Rem => r(0x33, 6, 1),
            Remu => r(0x33, 7, 1),
            Fence => 0x0ff0_000f,
            Ecall => 0x0000_0073,
            Ebreak => 0x0010_0073,
        }
    }
}

/// Decode one 32-bit word. Compressed (16-bit) encodings, CSR instructions, FENCE.I and every
/// reserved encoding are errors.
pub fn decode(word: u32) -> Result<Instruction, DecodeError> {
    use Instruction as I;
    let err = Err(DecodeError { word });
    let rd = ((word >> 7) & 31) as Reg;
    let rs1 = ((word >> 15) & 31) as Reg;
    let rs2 = ((word >> 20) & 31) as Reg;
    let f3 = (word >> 12) & 7;
    let f7 = word >> 25;
    let imm_i = (word as i32) >> 20;
    let imm_s = ((word as i32) >> 25) << 5 | ((word >> 7) & 31) as i32;
    let imm_b = ((word as i32) >> 31) << 12
        | (((word >> 7) & 1) << 11) as i32
        | (((word >> 25) & 0x3f) << 5) as i32
        | (((word >> 8) & 0xf) << 1) as i32;
    let imm_u = (word & 0xffff_f000) as i32;
    let imm_j = ((word as i32) >> 31) << 20
        | (word & 0x000f_f000) as i32
        | (((word >> 20) & 1) << 11) as i32
        | (((word >> 21) & 0x3ff) << 1) as i32;
    let ins = match word & 0x7f {
        0x37 => I::Lui { rd, imm: imm_u },
        0x17 => I::Auipc { rd, imm: imm_u },
        0x6f => I::Jal { rd, imm: imm_j },
        0x67 if f3 == 0 => I::Jalr {
            rd,
            rs1,
            imm: imm_i,
        },
        0x63 => {
            let (rs1, rs2, imm) = (rs1, rs2, imm_b);
            match f3 {
                0 => I::Beq { rs1, rs2, imm },
                1 => I::Bne { rs1, rs2, imm },
                4 => I::Blt { rs1, rs2, imm },
                5 => I::Bge { rs1, rs2, imm },
                6 => I::Bltu { rs1, rs2, imm },
                7 => I::Bgeu { rs1, rs2, imm },
                _ => return err,
            }
        }
        0x03 => {
            let imm = imm_i;
            match f3 {
                0 => I::Lb { rd, rs1, imm },
                1 => I::Lh { rd, rs1, imm },
                2 => I::Lw { rd, rs1, imm },
                4 => I::Lbu { rd, rs1, imm },
                5 => I::Lhu { rd, rs1, imm },
                _ => return err,
            }
        }
        0x23 => {
            let imm = imm_s;
            match f3 {
                0 => I::Sb { rs1, rs2, imm },
                1 => I::Sh { rs1, rs2, imm },
                2 => I::Sw { rs1, rs2, imm },
                _ => return err,
            }
        }
        0x13 => {
            let imm = imm_i;
            let shamt = i32::from(rs2);
            match (f3, f7) {
                (0, _) => I::Addi { rd, rs1, imm },
                (2, _) => I::Slti { rd, rs1, imm },
                (3, _) => I::Sltiu { rd, rs1, imm },
                (4, _) => I::Xori { rd, rs1, imm },
                (6, _) => I::Ori { rd, rs1, imm },
                (7, _) => I::Andi { rd, rs1, imm },
                (1, 0) => I::Slli {
                    rd,
                    rs1,
                    imm: shamt,
                },
                (5, 0) => I::Srli {
                    rd,
                    rs1,
                    imm: shamt,
                },
                (5, 0x20) => I::Srai {
                    rd,
                    rs1,
                    imm: shamt,
                },
                _ => return err,
            }
        }
        0x33 => match (f7, f3) {
            (0, 0) => I::Add { rd, rs1, rs2 },
            (0x20, 0) => I::Sub { rd, rs1, rs2 },
            (0, 1) => I::Sll { rd, rs1, rs2 },
            (0, 2) => I::Slt { rd, rs1, rs2 },
            (0, 3) => I::Sltu { rd, rs1, rs2 },
            (0, 4) => I::Xor { rd, rs1, rs2 },
            (0, 5) => I::Srl { rd, rs1, rs2 },
            (0x20, 5) => I::Sra { rd, rs1, rs2 },
            (0, 6) => I::Or { rd, rs1, rs2 },
            (0, 7) => I::And { rd, rs1, rs2 },
            (1, 0) => I::Mul { rd, rs1, rs2 },
            (1, 1) => I::Mulh { rd, rs1, rs2 },
            (1, 2) => I::Mulhsu { rd, rs1, rs2 },
            (1, 3) => I::Mulhu { rd, rs1, rs2 },
            (1, 4) => I::Div { rd, rs1, rs2 },
            (1, 5) => I::Divu { rd, rs1, rs2 },
            (1, 6) => I::Rem { rd, rs1, rs2 },
            (1, 7) => I::Remu { rd, rs1, rs2 },
            _ => return err,
        },
        // FENCE: the spec asks implementations to treat unused fields (rd, rs1, fm) as
        // reserved-for-hints and execute them as ordinary fences.
        0x0f if f3 == 0 => I::Fence,
        0x73 => match word {
            0x0000_0073 => I::Ecall,
            0x0010_0073 => I::Ebreak,
            _ => return err,
        },
        _ => return err,
    };
    Ok(ins)
}

/// ABI names of the 32 integer registers.
pub const REG_NAMES: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
];

fn reg(r: Reg) -> &'static str {
    REG_NAMES[usize::from(r & 31)]
}

impl Instruction {
    /// Assembly text with a branch or jump target resolved against `pc`
    /// (`beq a0, a1, 0x1010c`); [`fmt::Display`] shows relative offsets instead.
    pub fn to_asm(&self, pc: u32) -> String {
        let Operands { rd, rs1, rs2, imm } = self.operands();
        let m = self.opcode().mnemonic();
        let target = pc.wrapping_add(imm as u32);
        match self.opcode().format() {
            Format::B => format!("{m} {}, {}, {target:#x}", reg(rs1), reg(rs2)),
            Format::J => format!("{m} {}, {target:#x}", reg(rd)),
            _ => self.to_string(),
        }
    }
}

impl fmt::Display for Instruction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = self.opcode();
        let m = op.mnemonic();
        let Operands { rd, rs1, rs2, imm } = self.operands();
        match op.format() {
            Format::R => write!(f, "{m} {}, {}, {}", reg(rd), reg(rs1), reg(rs2)),
            Format::I if op.class() == InstrClass::Load || op == Opcode::Jalr => {
                write!(f, "{m} {}, {imm}({})", reg(rd), reg(rs1))
            }
            Format::I => write!(f, "{m} {}, {}, {imm}", reg(rd), reg(rs1)),
            Format::S => write!(f, "{m} {}, {imm}({})", reg(rs2), reg(rs1)),
            Format::B => write!(f, "{m} {}, {}, pc{imm:+}", reg(rs1), reg(rs2)),
            Format::U => write!(f, "{m} {}, {:#x}", reg(rd), (imm as u32) >> 12),
            Format::J => write!(f, "{m} {}, pc{imm:+}", reg(rd)),
            Format::None => f.write_str(m),
        }
    }
}
