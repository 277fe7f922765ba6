//! The zasm instruction set: instructions, operands, encoding to and from field words, semantics.
//!
//! zasm is a Cairo-style two-register (`ap`, `fp`) instruction set over the BN254 scalar field
//! [`Fr`]. This crate is the bottom of the zasm dependency chain:
//!
//! ```text
//!   assembler ──► isa ◄── vm ◄── prover
//! ```
//!
//! Main items:
//! - [`Instruction`]: one decoded instruction (a plain struct of Cairo-style fields);
//! - [`Instruction::encode`] / [`Instruction::decode`]: the 63-bit instruction word (+ immediate);
//! - [`Program`]: a list of instructions, the entry point and debug info, with the `.zbin` file
//!   format ([`Program::to_zbin`], [`Program::from_zbin`]);
//! - the `Display` impl of [`Instruction`] prints assembly that reassembles to the same words.
//!
//! The full specification (encoding table, semantics of every opcode, calling convention) is in
//! `isa/README.md`.

use std::fmt;

use ark_ff::{BigInteger, Field, PrimeField};

pub use ark_bn254::Fr;

mod zbin;
pub use zbin::ZbinError;

/// First data address: initially `ap = fp = DATA_START`, so that `[fp - 3]`, `[fp - 2]` and
/// `[fp - 1]` in `main` are still valid addresses (they are unwritten, so reading them faults).
pub const DATA_START: u32 = 16;

/// Bias added to each signed 16-bit offset in the instruction word.
pub const OFFSET_BIAS: i32 = 1 << 15;

/// A base register for a memory operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reg {
    /// The allocation pointer.
    Ap,
    /// The frame pointer.
    Fp,
}

/// Where the `op1` operand comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op1Src {
    /// The immediate that travels with the instruction.
    Imm,
    /// Memory at `ap + off_op1`.
    Ap,
    /// Memory at `fp + off_op1`.
    Fp,
    /// Double dereference: memory at `value(op0 cell) + off_op1`.
    Op0,
}

/// How `res` is computed from `op0` and `op1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Res {
    /// `res = op1`.
    Op1,
    /// `res = op0 + op1`.
    Add,
    /// `res = op0 * op1`.
    Mul,
}

/// How the program counter is updated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PcUpdate {
    /// `pc + 1`.
    Regular,
    /// `res`.
    JumpAbs,
    /// `pc + res`.
    JumpRel,
    /// `pc + op1` when `dst != 0`, else `pc + 1`.
    Jnz,
}

/// How the allocation pointer is updated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApUpdate {
    /// Unchanged (but `call` always adds 2).
    None,
    /// `ap + res`.
    Add,
    /// `ap + 1`.
    Inc,
}

/// The kinds of advice (prover-supplied, unconstrained values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AdviceKind {
    /// `op1⁻¹` (faults on zero).
    Inv,
    /// A square root of `op1`: the one with the smaller canonical representative (faults on a
    /// non-residue).
    Sqrt,
    /// Bit number `op1` of the canonical representative of `op0` (`op1 < 256`).
    Bit,
    /// `⌊op0 / op1⌋` on canonical representatives (faults when `op1 = 0`).
    Div,
    /// `op0 mod op1` on canonical representatives (faults when `op1 = 0`).
    Rem,
}

impl AdviceKind {
    /// All advice kinds, in encoding order.
    pub const ALL: [AdviceKind; 5] = [
        AdviceKind::Inv,
        AdviceKind::Sqrt,
        AdviceKind::Bit,
        AdviceKind::Div,
        AdviceKind::Rem,
    ];

    /// The assembly name (`inv`, `sqrt`, `bit`, `div`, `rem`).
    pub fn name(self) -> &'static str {
        match self {
            AdviceKind::Inv => "inv",
            AdviceKind::Sqrt => "sqrt",
            AdviceKind::Bit => "bit",
            AdviceKind::Div => "div",
            AdviceKind::Rem => "rem",
        }
    }

    /// Whether the advice takes two arguments (`op0`, `op1`) rather than one (`op1`).
    pub fn is_binary(self) -> bool {
        matches!(self, AdviceKind::Bit | AdviceKind::Div | AdviceKind::Rem)
    }
}

/// The operation an instruction performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Opcode {
    /// No memory write: jumps (`jmp`), conditional jumps and `ap += x`.
    Nop,
    /// `[dst] = res`.
    Assign,
    /// `assert [dst] == res`.
    AssertEq,
    /// `call`: `[ap] = fp`, `[ap+1] = pc+1`, `fp = ap = ap+2`, jump.
    Call,
    /// `ret`: `fp = [fp-2]`, `pc = [fp-1]`.
    Ret,
    /// `[dst] = input`: the next element of the private input.
    Input,
    /// `output [dst]`: append to the public output.
    Output,
    /// Stop.
    Halt,
    /// `[dst] = advice kind(...)`.
    Advice(AdviceKind),
}

impl Opcode {
    /// The 5-bit opcode number in the instruction word.
    pub fn code(self) -> u64 {
        match self {
            Opcode::Nop => 0,
            Opcode::Assign => 1,
            Opcode::AssertEq => 2,
            Opcode::Call => 3,
            Opcode::Ret => 4,
            Opcode::Input => 5,
            Opcode::Output => 6,
            Opcode::Halt => 7,
            Opcode::Advice(AdviceKind::Inv) => 8,
            Opcode::Advice(AdviceKind::Sqrt) => 9,
            Opcode::Advice(AdviceKind::Bit) => 10,
            Opcode::Advice(AdviceKind::Div) => 11,
            Opcode::Advice(AdviceKind::Rem) => 12,
        }
    }

    /// The opcode with number `code`, if any.
    pub fn from_code(code: u64) -> Option<Opcode> {
        Some(match code {
            0 => Opcode::Nop,
            1 => Opcode::Assign,
            2 => Opcode::AssertEq,
            3 => Opcode::Call,
            4 => Opcode::Ret,
            5 => Opcode::Input,
            6 => Opcode::Output,
            7 => Opcode::Halt,
            8 => Opcode::Advice(AdviceKind::Inv),
            9 => Opcode::Advice(AdviceKind::Sqrt),
            10 => Opcode::Advice(AdviceKind::Bit),
            11 => Opcode::Advice(AdviceKind::Div),
            12 => Opcode::Advice(AdviceKind::Rem),
            _ => return None,
        })
    }

    /// A short lowercase name, used in statistics.
    pub fn name(self) -> &'static str {
        match self {
            Opcode::Nop => "nop",
            Opcode::Assign => "assign",
            Opcode::AssertEq => "assert",
            Opcode::Call => "call",
            Opcode::Ret => "ret",
            Opcode::Input => "input",
            Opcode::Output => "output",
            Opcode::Halt => "halt",
            Opcode::Advice(AdviceKind::Inv) => "advice.inv",
            Opcode::Advice(AdviceKind::Sqrt) => "advice.sqrt",
            Opcode::Advice(AdviceKind::Bit) => "advice.bit",
            Opcode::Advice(AdviceKind::Div) => "advice.div",
            Opcode::Advice(AdviceKind::Rem) => "advice.rem",
        }
    }

    /// Number of distinct opcodes (codes are `0..COUNT`).
    pub const COUNT: usize = 13;
}

/// How an instruction uses one of its memory slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SlotUse {
    /// The slot is not accessed.
    None,
    /// The slot's cell is read.
    Read,
    /// The slot's cell is written.
    Write,
}

/// One decoded zasm instruction. See `isa/README.md` for the meaning of every field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instruction {
    /// Offset of the `dst` cell from `dst_reg`.
    pub off_dst: i16,
    /// Offset of the `op0` cell from `op0_reg`.
    pub off_op0: i16,
    /// Offset of the `op1` cell from its base (`ap`, `fp` or the value of `op0`).
    pub off_op1: i16,
    /// The immediate: present exactly when `op1_src == Op1Src::Imm`.
    pub imm: Option<Fr>,
    /// Base register of `dst`.
    pub dst_reg: Reg,
    /// Base register of `op0`.
    pub op0_reg: Reg,
    /// Source of `op1`.
    pub op1_src: Op1Src,
    /// How `res` is computed.
    pub res: Res,
    /// Next-pc rule.
    pub pc_update: PcUpdate,
    /// Next-ap rule.
    pub ap_update: ApUpdate,
    /// The operation.
    pub opcode: Opcode,
}

/// Why a word (or instruction) is not a valid zasm instruction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The instruction word is not below 2^63.
    #[error("instruction word {0} does not fit in 63 bits")]
    WordTooLarge(String),
    /// A flag group holds a value with no meaning.
    #[error("invalid {group} flags {value} in instruction word {word:#x}")]
    BadFlags {
        /// Which flag group.
        group: &'static str,
        /// Its value.
        value: u64,
        /// The whole word.
        word: u64,
    },
    /// The fields are individually valid but not a combination the ISA allows.
    #[error("invalid instruction: {0}")]
    Invalid(String),
    /// An instruction with an immediate is the last word of the program.
    #[error("missing immediate word after instruction word {0:#x}")]
    MissingImmediate(u64),
}

/// The canonical representative of `x` as a `u64`, if it fits.
pub fn fr_to_u64(x: &Fr) -> Option<u64> {
    let b = x.into_bigint();
    if b.0[1] == 0 && b.0[2] == 0 && b.0[3] == 0 {
        Some(b.0[0])
    } else {
        None
    }
}

/// `x` as a small signed integer: the canonical representative if below 2^63, else minus the
/// representative of `-x` if that is below 2^63.
pub fn fr_to_i64(x: &Fr) -> Option<i64> {
    if let Some(v) = fr_to_u64(x) {
        return i64::try_from(v).ok();
    }
    let neg = fr_to_u64(&-*x)?;
    i64::try_from(neg).ok().map(|v| -v)
}

/// Formats a field element as zasm source: decimal, negative decimal when `-x` is small, or hex.
pub fn fmt_fr(x: &Fr) -> String {
    if let Some(v) = fr_to_u64(x) {
        return v.to_string();
    }
    if let Some(v) = fr_to_u64(&-*x) {
        return format!("-{v}");
    }
    let bytes = x.into_bigint().to_bytes_be();
    let mut s = String::from("0x");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    let trimmed = s.trim_start_matches("0x").trim_start_matches('0');
    format!("0x{trimmed}")
}

impl Instruction {
    /// The default (canonical) instruction fields, to be overridden.
    pub const DEFAULT: Instruction = Instruction {
        off_dst: 0,
        off_op0: 0,
        off_op1: 0,
        imm: None,
        dst_reg: Reg::Ap,
        op0_reg: Reg::Ap,
        op1_src: Op1Src::Ap,
        res: Res::Op1,
        pc_update: PcUpdate::Regular,
        ap_update: ApUpdate::None,
        opcode: Opcode::Halt,
    };

    /// The `call` instruction with the given target operand (`pc_update` JumpAbs or JumpRel).
    pub fn call(pc_update: PcUpdate, op1_src: Op1Src, off_op1: i16, imm: Option<Fr>) -> Self {
        Instruction {
            off_op0: 1,
            op1_src,
            off_op1,
            imm,
            pc_update,
            opcode: Opcode::Call,
            ..Instruction::DEFAULT
        }
    }

    /// The `ret` instruction.
    pub fn ret() -> Self {
        Instruction {
            dst_reg: Reg::Fp,
            off_dst: -2,
            op1_src: Op1Src::Fp,
            off_op1: -1,
            pc_update: PcUpdate::JumpAbs,
            opcode: Opcode::Ret,
            ..Instruction::DEFAULT
        }
    }

    /// Whether the instruction has an `op1` operand at all.
    pub fn has_op1(&self) -> bool {
        !matches!(self.opcode, Opcode::Input | Opcode::Output | Opcode::Halt)
    }

    /// How the `dst` slot is used.
    pub fn dst_use(&self) -> SlotUse {
        match self.opcode {
            Opcode::Assign | Opcode::Input | Opcode::Advice(_) | Opcode::Call => SlotUse::Write,
            Opcode::AssertEq | Opcode::Ret | Opcode::Output => SlotUse::Read,
            Opcode::Nop if self.pc_update == PcUpdate::Jnz => SlotUse::Read,
            Opcode::Nop | Opcode::Halt => SlotUse::None,
        }
    }

    /// How the `op0` slot is used.
    pub fn op0_use(&self) -> SlotUse {
        match self.opcode {
            Opcode::Call => SlotUse::Write,
            Opcode::Ret | Opcode::Input | Opcode::Output | Opcode::Halt => SlotUse::None,
            Opcode::Advice(k) if k.is_binary() => SlotUse::Read,
            _ if self.res != Res::Op1 || self.op1_src == Op1Src::Op0 => SlotUse::Read,
            _ => SlotUse::None,
        }
    }

    /// How the `op1` slot is used (an immediate is no access).
    pub fn op1_use(&self) -> SlotUse {
        if self.has_op1() && self.op1_src != Op1Src::Imm {
            SlotUse::Read
        } else {
            SlotUse::None
        }
    }

    /// Checks that the fields form a valid, canonical instruction (see `isa/README.md`,
    /// "Valid instructions").
    pub fn validate(&self) -> Result<(), DecodeError> {
        let bad = |m: &str| Err(DecodeError::Invalid(format!("{m} ({self:?})")));
        let op = self.opcode;
        let binary_res_ok = matches!(op, Opcode::Assign | Opcode::AssertEq);
        if self.res != Res::Op1 && !binary_res_ok {
            return bad("only assignments and assertions compute op0 + op1 or op0 * op1");
        }
        let pc_ok = match op {
            Opcode::Nop => true,
            Opcode::Call => matches!(self.pc_update, PcUpdate::JumpAbs | PcUpdate::JumpRel),
            Opcode::Ret => self.pc_update == PcUpdate::JumpAbs,
            _ => self.pc_update == PcUpdate::Regular,
        };
        if !pc_ok {
            return bad("pc update not allowed for this opcode");
        }
        let ap_ok = match (op, self.ap_update) {
            (Opcode::Nop, ApUpdate::Add) => self.pc_update == PcUpdate::Regular,
            (Opcode::Nop, _) => self.pc_update != PcUpdate::Regular,
            (Opcode::Call | Opcode::Ret | Opcode::Halt, a) => a == ApUpdate::None,
            (_, ApUpdate::Add) => false,
            _ => true,
        };
        if !ap_ok {
            return bad("ap update not allowed for this opcode");
        }
        // Unused slots carry the default fields.
        if self.dst_use() == SlotUse::None && (self.dst_reg != Reg::Ap || self.off_dst != 0) {
            return bad("unused dst must be [ap + 0]");
        }
        if self.op0_use() == SlotUse::None && (self.op0_reg != Reg::Ap || self.off_op0 != 0) {
            return bad("unused op0 must be [ap + 0]");
        }
        if !self.has_op1() && (self.op1_src != Op1Src::Ap || self.off_op1 != 0) {
            return bad("unused op1 must be [ap + 0]");
        }
        if self.op1_src == Op1Src::Imm && self.off_op1 != 0 {
            return bad("an immediate op1 has offset 0");
        }
        if self.imm.is_some() != (self.has_op1() && self.op1_src == Op1Src::Imm) {
            return bad("immediate present exactly when op1 is an immediate");
        }
        match op {
            Opcode::Call => {
                if (self.dst_reg, self.off_dst, self.op0_reg, self.off_op0)
                    != (Reg::Ap, 0, Reg::Ap, 1)
                {
                    return bad("call writes [ap] and [ap + 1]");
                }
                if self.op1_src == Op1Src::Op0 {
                    return bad("call cannot take a double dereference");
                }
            }
            Opcode::Ret
                if (self.dst_reg, self.off_dst, self.op1_src, self.off_op1)
                    != (Reg::Fp, -2, Op1Src::Fp, -1) =>
            {
                return bad("ret reads [fp - 2] and [fp - 1]");
            }
            _ => {}
        }
        Ok(())
    }

    /// The 63-bit instruction word (see the encoding table in `isa/README.md`). Only meaningful
    /// for a valid instruction.
    pub fn word(&self) -> u64 {
        let bias = |o: i16| (i32::from(o) + OFFSET_BIAS) as u64;
        let dst_reg = u64::from(self.dst_reg == Reg::Fp);
        let op0_reg = u64::from(self.op0_reg == Reg::Fp);
        let op1 = match self.op1_src {
            Op1Src::Op0 => 0,
            Op1Src::Imm => 1,
            Op1Src::Fp => 2,
            Op1Src::Ap => 3,
        };
        let res = match self.res {
            Res::Op1 => 0,
            Res::Add => 1,
            Res::Mul => 2,
        };
        let pc = match self.pc_update {
            PcUpdate::Regular => 0,
            PcUpdate::JumpAbs => 1,
            PcUpdate::JumpRel => 2,
            PcUpdate::Jnz => 3,
        };
        let ap = match self.ap_update {
            ApUpdate::None => 0,
            ApUpdate::Add => 1,
            ApUpdate::Inc => 2,
        };
        bias(self.off_dst)
            | bias(self.off_op0) << 16
            | bias(self.off_op1) << 32
            | dst_reg << 48
            | op0_reg << 49
            | op1 << 50
            | res << 52
            | pc << 54
            | ap << 56
            | self.opcode.code() << 58
    }

    /// Encodes the instruction as field words: the instruction word, then the immediate if any.
    pub fn encode(&self) -> (Fr, Option<Fr>) {
        (Fr::from(self.word()), self.imm)
    }

    /// Decodes the 63-bit word; `imm` supplies the immediate when the word says there is one.
    pub fn decode_word(word: u64, imm: Option<Fr>) -> Result<Instruction, DecodeError> {
        if word >> 63 != 0 {
            return Err(DecodeError::WordTooLarge(word.to_string()));
        }
        let off = |shift: u32| ((word >> shift) & 0xffff) as i32 - OFFSET_BIAS;
        let flag = |shift: u32, bits: u32| (word >> shift) & ((1 << bits) - 1);
        let badf = |group, value| DecodeError::BadFlags { group, value, word };
        let reg = |b| if b == 1 { Reg::Fp } else { Reg::Ap };
        let op1_src = match flag(50, 2) {
            0 => Op1Src::Op0,
            1 => Op1Src::Imm,
            2 => Op1Src::Fp,
            _ => Op1Src::Ap,
        };
        let res = match flag(52, 2) {
            0 => Res::Op1,
            1 => Res::Add,
            2 => Res::Mul,
            v => return Err(badf("res", v)),
        };
        let pc_update = match flag(54, 2) {
            0 => PcUpdate::Regular,
            1 => PcUpdate::JumpAbs,
            2 => PcUpdate::JumpRel,
            _ => PcUpdate::Jnz,
        };
        let ap_update = match flag(56, 2) {
            0 => ApUpdate::None,
            1 => ApUpdate::Add,
            2 => ApUpdate::Inc,
            v => return Err(badf("ap_update", v)),
        };
        let code = flag(58, 5);
        let opcode = Opcode::from_code(code).ok_or(badf("opcode", code))?;
        let ins = Instruction {
            off_dst: off(0) as i16,
            off_op0: off(16) as i16,
            off_op1: off(32) as i16,
            imm,
            dst_reg: reg(flag(48, 1)),
            op0_reg: reg(flag(49, 1)),
            op1_src,
            res,
            pc_update,
            ap_update,
            opcode,
        };
        ins.validate()?;
        Ok(ins)
    }

    /// Whether the instruction word `word` announces an immediate word after it.
    pub fn word_has_imm(word: u64) -> bool {
        let op1_src = (word >> 50) & 3;
        let code = (word >> 58) & 31;
        let has_op1 = !matches!(
            Opcode::from_code(code),
            Some(Opcode::Input | Opcode::Output | Opcode::Halt)
        );
        op1_src == 1 && has_op1
    }

    /// Decodes one instruction from the front of `words`; returns it and the number of words
    /// consumed (1 or 2).
    pub fn decode(words: &[Fr]) -> Result<(Instruction, usize), DecodeError> {
        let first = words
            .first()
            .ok_or_else(|| DecodeError::Invalid("no instruction word".into()))?;
        let word = fr_to_u64(first).ok_or_else(|| DecodeError::WordTooLarge(fmt_fr(first)))?;
        if Instruction::word_has_imm(word) {
            let imm = *words.get(1).ok_or(DecodeError::MissingImmediate(word))?;
            Ok((Instruction::decode_word(word, Some(imm))?, 2))
        } else {
            Ok((Instruction::decode_word(word, None)?, 1))
        }
    }
}

/// Encodes instructions as a flat list of field words.
pub fn encode_program(instructions: &[Instruction]) -> Vec<Fr> {
    let mut out = Vec::with_capacity(instructions.len() * 2);
    for ins in instructions {
        let (w, imm) = ins.encode();
        out.push(w);
        out.extend(imm);
    }
    out
}

/// Decodes a flat list of field words into instructions.
pub fn decode_program(words: &[Fr]) -> Result<Vec<Instruction>, DecodeError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (ins, n) = Instruction::decode(&words[i..])?;
        out.push(ins);
        i += n;
    }
    Ok(out)
}

struct MemFmt(Reg, i16);

impl fmt::Display for MemFmt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = match self.0 {
            Reg::Ap => "ap",
            Reg::Fp => "fp",
        };
        match self.1 {
            0 => write!(f, "[{r}]"),
            o if o < 0 => write!(f, "[{r} - {}]", -i32::from(o)),
            o => write!(f, "[{r} + {o}]"),
        }
    }
}

impl Instruction {
    fn dst_fmt(&self) -> MemFmt {
        MemFmt(self.dst_reg, self.off_dst)
    }

    fn op0_fmt(&self) -> MemFmt {
        MemFmt(self.op0_reg, self.off_op0)
    }

    fn op1_string(&self) -> String {
        match self.op1_src {
            Op1Src::Imm => self.imm.as_ref().map(fmt_fr).unwrap_or_default(),
            Op1Src::Ap => MemFmt(Reg::Ap, self.off_op1).to_string(),
            Op1Src::Fp => MemFmt(Reg::Fp, self.off_op1).to_string(),
            Op1Src::Op0 => {
                let inner = self.op0_fmt().to_string();
                match self.off_op1 {
                    0 => format!("[{inner}]"),
                    o if o < 0 => format!("[{inner} - {}]", -i32::from(o)),
                    o => format!("[{inner} + {o}]"),
                }
            }
        }
    }

    fn res_string(&self) -> String {
        match self.res {
            Res::Op1 => self.op1_string(),
            Res::Add => format!("{} + {}", self.op0_fmt(), self.op1_string()),
            Res::Mul => format!("{} * {}", self.op0_fmt(), self.op1_string()),
        }
    }
}

/// Prints the instruction in assembly syntax (without the trailing `;`), such that assembling
/// it gives the same instruction.
impl fmt::Display for Instruction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = |p: PcUpdate| match p {
            PcUpdate::JumpRel => "rel",
            _ => "abs",
        };
        match self.opcode {
            Opcode::Nop => match self.pc_update {
                PcUpdate::Regular => write!(f, "ap += {}", self.op1_string())?,
                PcUpdate::Jnz => write!(
                    f,
                    "jmp rel {} if {} != 0",
                    self.op1_string(),
                    self.dst_fmt()
                )?,
                p => write!(f, "jmp {} {}", kind(p), self.op1_string())?,
            },
            Opcode::Assign => write!(f, "{} = {}", self.dst_fmt(), self.res_string())?,
            Opcode::AssertEq => write!(f, "assert {} == {}", self.dst_fmt(), self.res_string())?,
            Opcode::Call => write!(f, "call {} {}", kind(self.pc_update), self.op1_string())?,
            Opcode::Ret => write!(f, "ret")?,
            Opcode::Input => write!(f, "{} = input", self.dst_fmt())?,
            Opcode::Output => write!(f, "output {}", self.dst_fmt())?,
            Opcode::Halt => write!(f, "halt")?,
            Opcode::Advice(k) if k.is_binary() => write!(
                f,
                "{} = advice {}({}, {})",
                self.dst_fmt(),
                k.name(),
                self.op0_fmt(),
                self.op1_string()
            )?,
            Opcode::Advice(k) => write!(
                f,
                "{} = advice {}({})",
                self.dst_fmt(),
                k.name(),
                self.op1_string()
            )?,
        }
        if self.ap_update == ApUpdate::Inc {
            write!(f, ", ap++")?;
        }
        Ok(())
    }
}

/// A source position attached to an instruction by the assembler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLoc {
    /// Index into [`DebugInfo::files`].
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

/// Debug information: where each instruction came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DebugInfo {
    /// File names, as the assembler saw them.
    pub files: Vec<String>,
    /// One location per instruction (same length as the program).
    pub locs: Vec<SourceLoc>,
    /// Labels and their instruction indices, in program order.
    pub labels: Vec<(String, u32)>,
}

impl DebugInfo {
    /// `file:line:col` of the instruction at `pc`, if known.
    pub fn location(&self, pc: u32) -> Option<String> {
        let loc = self.locs.get(pc as usize)?;
        let file = self.files.get(loc.file as usize)?;
        Some(format!("{file}:{}:{}", loc.line, loc.col))
    }
}

/// An assembled zasm program (Harvard: the code space is separate from data memory).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// The instructions; `pc` indexes this list.
    pub instructions: Vec<Instruction>,
    /// Index of the first instruction to run (the label `main`).
    pub entry: u32,
    /// Source locations, when the program came from the assembler.
    pub debug: Option<DebugInfo>,
}

impl Program {
    /// The program as field words (instruction words and immediates).
    pub fn words(&self) -> Vec<Fr> {
        encode_program(&self.instructions)
    }

    /// `file:line:col` of the instruction at `pc`, if debug info is present.
    pub fn location(&self, pc: u32) -> Option<String> {
        self.debug.as_ref()?.location(pc)
    }

    /// Disassembly: `main:` at the entry point, one instruction per line, each ending in `;`.
    pub fn disassemble(&self) -> String {
        let mut out = String::new();
        for (pc, ins) in self.instructions.iter().enumerate() {
            if pc == self.entry as usize {
                out.push_str("main:\n");
            }
            out.push_str(&format!("    {ins};"));
            let label = self.debug.as_ref().and_then(|d| {
                d.labels
                    .iter()
                    .find(|(_, p)| *p as usize == pc)
                    .map(|(l, _)| l.clone())
            });
            let loc = self.location(pc as u32);
            match (label, loc) {
                (Some(l), Some(loc)) => out.push_str(&format!(" // {pc}: {l} ({loc})")),
                (None, Some(loc)) => out.push_str(&format!(" // {pc} ({loc})")),
                (Some(l), None) => out.push_str(&format!(" // {pc}: {l}")),
                (None, None) => out.push_str(&format!(" // {pc}")),
            }
            out.push('\n');
        }
        out
    }
}

/// Square root with the smaller canonical representative, if `x` is a square.
pub fn canonical_sqrt(x: &Fr) -> Option<Fr> {
    let r = x.sqrt()?;
    let neg = -r;
    if neg.into_bigint() < r.into_bigint() {
        Some(neg)
    } else {
        Some(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fr_small_conversions() {
        assert_eq!(fr_to_i64(&Fr::from(5u64)), Some(5));
        assert_eq!(fr_to_i64(&-Fr::from(5u64)), Some(-5));
        assert_eq!(fmt_fr(&-Fr::from(3u64)), "-3");
        assert_eq!(fmt_fr(&Fr::from(1u64 << 40)), "1099511627776");
        let big = Fr::from(1u128 << 100);
        assert_eq!(fmt_fr(&big), "0x10000000000000000000000000");
    }

    #[test]
    fn ret_and_call_are_valid() {
        Instruction::ret().validate().unwrap();
        Instruction::call(PcUpdate::JumpAbs, Op1Src::Imm, 0, Some(Fr::from(3u64)))
            .validate()
            .unwrap();
        assert_eq!(Instruction::ret().to_string(), "ret");
    }

    #[test]
    fn rejects_bad_flags() {
        let w = Instruction::ret().word() | 3 << 52;
        assert!(matches!(
            Instruction::decode_word(w, None),
            Err(DecodeError::BadFlags { group: "res", .. })
        ));
        assert!(Instruction::decode_word(31 << 58, None).is_err());
        assert!(Instruction::decode_word(1 << 63, None).is_err());
    }

    #[test]
    fn sqrt_is_canonical() {
        let r = canonical_sqrt(&Fr::from(9u64)).unwrap();
        assert_eq!(r, Fr::from(3u64));
        // The multiplicative generator is never a square.
        assert!(canonical_sqrt(&<Fr as ark_ff::FftField>::GENERATOR).is_none());
    }
}
