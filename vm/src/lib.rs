//! The zasm interpreter: runs a program and records its execution trace.
//!
//! ```text
//!   zkvm_assembler ──► Program ──► zkvm_vm::run ──► Execution { output, trace, summary }
//!                                                        │
//!                                                        └──► zkvm_prover (lowers the trace)
//! ```
//!
//! [`run`] executes a [`Program`] from `main` to `halt` under a [`RunConfig`]. The instructions
//! are pre-decoded once; data memory is a flat `Vec<Fr>` with a written-bitmap, so the fast path
//! (no trace) allocates nothing per step. With `record_trace` the VM records one [`Step`] per
//! cycle: the registers, the (at most three) memory accesses in the slots `dst`, `op0`, `op1`,
//! and the advice or input value. The semantics are specified in `isa/README.md`. Runtime faults
//! are [`VmError`]s carrying the cycle, the pc and the source location.

use std::fmt;

use ark_ff::{BigInteger, Field, PrimeField, Zero};
use zkvm_isa::{
    canonical_sqrt, fr_to_u64, AdviceKind, ApUpdate, Fr, Instruction, Op1Src, Opcode, PcUpdate,
    Program, Reg, Res, DATA_START,
};

mod advice;

/// Limits and options of one run.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// Stop with [`Fault::CycleLimit`] after this many cycles.
    pub max_cycles: u64,
    /// Record the step trace.
    pub record_trace: bool,
    /// Addresses at or above this are refused ([`Fault::MemoryLimit`]); memory is a flat array.
    pub max_memory: u32,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            max_cycles: 1 << 26,
            record_trace: false,
            max_memory: 1 << 25,
        }
    }
}

/// One memory access of a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    /// The address.
    pub addr: u32,
    /// The value read or written.
    pub value: Fr,
    /// Whether it is a write.
    pub write: bool,
    /// The cell's value before the access (0 before its first write): for a read, the value
    /// read. The prover's memory checking takes it from here instead of replaying memory.
    pub old: Fr,
}

/// One cycle of the execution trace: the state *before* the instruction `program.instructions[pc]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Program counter (instruction index).
    pub pc: u32,
    /// Allocation pointer.
    pub ap: u32,
    /// Frame pointer.
    pub fp: u32,
    /// The accesses in slots `dst`, `op0`, `op1`.
    pub accesses: [Option<Access>; 3],
    /// The value written by `input` or an advice instruction.
    pub advice: Option<Fr>,
}

/// The registers between two cycles; at the end of a run, `pc` is that of the `halt`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Registers {
    /// Program counter (instruction index).
    pub pc: u32,
    /// Allocation pointer.
    pub ap: u32,
    /// Frame pointer.
    pub fp: u32,
}

/// Counts of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Cycles executed, including the final `halt`.
    pub cycles: u64,
    /// Distinct memory cells written (every read cell was written first).
    pub memory_cells: u64,
    /// Number of inputs consumed.
    pub inputs_read: u64,
    /// Cycles per opcode, for the opcodes that ran, in opcode order.
    pub opcode_counts: Vec<(Opcode, u64)>,
}

/// The result of a successful run.
#[derive(Clone, Debug)]
pub struct Execution {
    /// The public output.
    pub output: Vec<Fr>,
    /// The step trace, when asked for.
    pub trace: Option<Vec<Step>>,
    /// Counts.
    pub summary: Summary,
    /// The registers at `halt`.
    pub final_state: Registers,
}

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Fault {
    /// `assert [d] == x` failed.
    #[error("assertion failed: {left} != {right}")]
    AssertFailed {
        /// The `dst` value.
        left: String,
        /// The `res` value.
        right: String,
    },
    /// Read of a cell never written.
    #[error("read of unwritten memory cell {addr}")]
    UnwrittenRead {
        /// The address.
        addr: u32,
    },
    /// An address outside `[0, 2^32)`.
    #[error("address {value} is outside [0, 2^32)")]
    AddressOutOfRange {
        /// The address as computed.
        value: String,
    },
    /// An address at or beyond the VM's memory limit.
    #[error("address {addr} is beyond the VM memory limit of {limit} cells")]
    MemoryLimit {
        /// The address.
        addr: u32,
        /// The limit.
        limit: u32,
    },
    /// `ap` would leave `[0, 2^32)`.
    #[error("ap would become {value}, outside [0, 2^32)")]
    ApOutOfRange {
        /// The value.
        value: String,
    },
    /// More cycles than `max_cycles`.
    #[error("cycle limit of {max} reached")]
    CycleLimit {
        /// The limit.
        max: u64,
    },
    /// A jump, call or return to a pc outside the program.
    #[error("jump to {target}, outside the program (0..{len})")]
    JumpOutside {
        /// The target.
        target: String,
        /// Program length.
        len: usize,
    },
    /// `input` with no input left.
    #[error("private input exhausted (after {read} values)")]
    InputExhausted {
        /// Values read so far.
        read: u64,
    },
    /// An advice request with no answer (inverse of zero, ...).
    #[error("invalid advice: {kind} of {arg}")]
    InvalidAdvice {
        /// The advice kind.
        kind: &'static str,
        /// What was wrong.
        arg: String,
    },
    /// The program's entry point is outside it.
    #[error("entry point {entry} outside the program ({len} instructions)")]
    BadEntry {
        /// The entry.
        entry: u32,
        /// Program length.
        len: usize,
    },
}

/// A runtime fault with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmError {
    /// What went wrong.
    pub fault: Fault,
    /// The cycle (0-based) of the faulting instruction.
    pub cycle: u64,
    /// Its pc.
    pub pc: u32,
    /// `file:line:col` of the instruction, when the program has debug info.
    pub location: Option<String>,
    /// The instruction in assembly syntax.
    pub instruction: Option<Box<str>>,
    /// The calls that led here, innermost first: `file:line:col` of each `call` instruction (or
    /// its pc without debug info), found by walking the saved `fp` and return addresses.
    pub called_from: Box<[String]>,
}

impl fmt::Display for VmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (cycle {}, pc {}", self.fault, self.cycle, self.pc)?;
        if let Some(loc) = &self.location {
            write!(f, ", at {loc}")?;
        }
        write!(f, ")")?;
        if let Some(ins) = &self.instruction {
            write!(f, ": `{ins};`")?;
        }
        for site in &self.called_from {
            write!(f, "\n    called from {site}")?;
        }
        Ok(())
    }
}

impl std::error::Error for VmError {}

/// Pre-decoded instruction.
#[derive(Clone, Copy)]
struct Dec {
    opcode: Opcode,
    dst_fp: bool,
    op0_fp: bool,
    off_dst: i64,
    off_op0: i64,
    off_op1: i64,
    op1_src: Op1Src,
    need_op0: bool,
    res: Res,
    pc_update: PcUpdate,
    ap_update: ApUpdate,
    imm: Fr,
    /// The immediate as a small signed integer, when it is one (jump targets, ap += k).
    imm_small: Option<i64>,
}

impl Dec {
    fn new(ins: &Instruction) -> Dec {
        let imm = ins.imm.unwrap_or_default();
        Dec {
            opcode: ins.opcode,
            dst_fp: ins.dst_reg == Reg::Fp,
            op0_fp: ins.op0_reg == Reg::Fp,
            off_dst: i64::from(ins.off_dst),
            off_op0: i64::from(ins.off_op0),
            off_op1: i64::from(ins.off_op1),
            op1_src: ins.op1_src,
            need_op0: ins.op0_use() == zkvm_isa::SlotUse::Read,
            res: ins.res,
            pc_update: ins.pc_update,
            ap_update: ins.ap_update,
            imm,
            imm_small: ins.imm.as_ref().and_then(zkvm_isa::fr_to_i64),
        }
    }
}

const U32_END: i64 = 1 << 32;

/// Flat data memory with a written-bitmap.
struct Memory {
    cells: Vec<Fr>,
    written: Vec<u64>,
    limit: u32,
}

impl Memory {
    fn new(limit: u32) -> Memory {
        let n = 1usize << 12;
        Memory {
            cells: vec![Fr::zero(); n],
            written: vec![0; n / 64],
            limit,
        }
    }

    #[inline(always)]
    fn read(&self, addr: u32) -> R<Fr> {
        let a = addr as usize;
        match (self.written.get(a >> 6), self.cells.get(a)) {
            (Some(w), Some(v)) if w >> (a & 63) & 1 == 1 => Ok(*v),
            _ => Err(unwritten(addr)),
        }
    }

    #[inline(always)]
    /// Write `v` at `addr`; the cell's value before (0 if it was never written).
    fn write(&mut self, addr: u32, v: Fr) -> R<Fr> {
        let a = addr as usize;
        if a >= self.cells.len() {
            self.grow(addr)?;
        }
        let mut old = Fr::zero();
        if let (Some(c), Some(w)) = (self.cells.get_mut(a), self.written.get_mut(a >> 6)) {
            old = std::mem::replace(c, v);
            *w |= 1 << (a & 63);
        }
        Ok(old)
    }

    #[cold]
    fn grow(&mut self, addr: u32) -> R<()> {
        if addr >= self.limit {
            return Err(Box::new(Fault::MemoryLimit {
                addr,
                limit: self.limit,
            }));
        }
        let want = (addr as usize + 1)
            .next_power_of_two()
            .max(self.cells.len() * 2)
            .min(self.limit as usize + 64);
        let want = want.div_ceil(64) * 64;
        self.cells.resize(want, Fr::zero());
        self.written.resize(want / 64, 0);
        Ok(())
    }

    /// Reads `addr`, and notes the read in `slot` when tracing.
    #[inline(always)]
    fn read_traced<const TRACE: bool>(&self, addr: u32, slot: &mut Option<Access>) -> R<Fr> {
        let value = self.read(addr)?;
        if TRACE {
            *slot = Some(Access {
                addr,
                value,
                write: false,
                old: value,
            });
        }
        Ok(value)
    }

    /// Writes `value` at `addr`, and notes the write in `slot` when tracing.
    #[inline(always)]
    fn write_traced<const TRACE: bool>(
        &mut self,
        addr: u32,
        value: Fr,
        slot: &mut Option<Access>,
    ) -> R<()> {
        let old = self.write(addr, value)?;
        if TRACE {
            *slot = Some(Access {
                addr,
                value,
                write: true,
                old,
            });
        }
        Ok(())
    }

    fn touched(&self) -> u64 {
        self.written.iter().map(|w| u64::from(w.count_ones())).sum()
    }
}

/// Internal results carry boxed faults, so that the hot path moves small values.
type R<T> = Result<T, Box<Fault>>;

#[cold]
fn unwritten(addr: u32) -> Box<Fault> {
    Box::new(Fault::UnwrittenRead { addr })
}

#[cold]
fn out_of_range(a: i64) -> Box<Fault> {
    Box::new(Fault::AddressOutOfRange {
        value: a.to_string(),
    })
}

#[inline(always)]
fn address(base: u32, off: i64) -> R<u32> {
    let a = i64::from(base) + off;
    if (0..U32_END).contains(&a) {
        Ok(a as u32)
    } else {
        Err(out_of_range(a))
    }
}

/// Canonical representative of a field value as a `u32`, or `None`.
fn fr_to_u32(v: &Fr) -> Option<u32> {
    fr_to_u64(v).and_then(|x| u32::try_from(x).ok())
}

fn fr_string(v: &Fr) -> String {
    zkvm_isa::fmt_fr(v)
}

/// What executes: the decoded code, the memory and the I/O ([`Vm`] adds the registers).
struct Cpu<'a> {
    code: Vec<Dec>,
    mem: Memory,
    inputs: &'a [Fr],
    next_input: usize,
    output: Vec<Fr>,
    counts: Vec<u64>,
}

enum Flow {
    Continue,
    Halt,
}

impl Cpu<'_> {
    #[inline(always)]
    fn jump_target(&self, pc: u32, d: &Dec, v: &Fr, relative: bool) -> R<u32> {
        let len = self.code.len();
        let target = if d.op1_src == Op1Src::Imm && d.imm_small.is_some() {
            let k = d.imm_small.unwrap_or_default();
            if relative {
                i64::from(pc) + k
            } else {
                k
            }
        } else {
            let t = if relative { Fr::from(pc) + v } else { *v };
            match fr_to_u64(&t).and_then(|x| i64::try_from(x).ok()) {
                Some(x) => x,
                None => {
                    return Err(Box::new(Fault::JumpOutside {
                        target: fr_string(&t),
                        len,
                    }))
                }
            }
        };
        if (0..len as i64).contains(&target) {
            Ok(target as u32)
        } else {
            Err(Box::new(Fault::JumpOutside {
                target: target.to_string(),
                len,
            }))
        }
    }

    /// Executes one instruction. `rec` receives the step when tracing.
    #[inline(always)]
    fn step<const TRACE: bool>(
        &mut self,
        pc: &mut u32,
        ap: &mut u32,
        fp: &mut u32,
        rec: &mut Option<Step>,
    ) -> R<Flow> {
        let Some(&d) = self.code.get(*pc as usize) else {
            return Err(Box::new(Fault::JumpOutside {
                target: pc.to_string(),
                len: self.code.len(),
            }));
        };
        if let Some(c) = self.counts.get_mut(*pc as usize) {
            *c += 1;
        }
        let (cur_pc, cur_ap, cur_fp) = (*pc, *ap, *fp);
        let mut acc: [Option<Access>; 3] = [None, None, None];
        let mut advice_val = None;

        // op0
        let mut op0 = Fr::zero();
        if d.need_op0 {
            let op0_addr = address(if d.op0_fp { cur_fp } else { cur_ap }, d.off_op0)?;
            op0 = self.mem.read_traced::<TRACE>(op0_addr, &mut acc[1])?;
        }
        // op1
        let op1 = match d.op1_src {
            Op1Src::Imm => d.imm,
            src => {
                if matches!(d.opcode, Opcode::Input | Opcode::Output | Opcode::Halt) {
                    Fr::zero()
                } else {
                    let base = match src {
                        Op1Src::Ap => cur_ap,
                        Op1Src::Fp => cur_fp,
                        _ => fr_to_u32(&op0).ok_or_else(|| Fault::AddressOutOfRange {
                            value: format!("{} + {}", fr_string(&op0), d.off_op1),
                        })?,
                    };
                    let a = address(base, d.off_op1)?;
                    self.mem.read_traced::<TRACE>(a, &mut acc[2])?
                }
            }
        };
        let res = match d.res {
            Res::Op1 => op1,
            Res::Add => op0 + op1,
            Res::Mul => op0 * op1,
        };
        let dst_base = if d.dst_fp { cur_fp } else { cur_ap };
        let mut next_pc = cur_pc + 1;
        match d.opcode {
            Opcode::Assign => {
                let a = address(dst_base, d.off_dst)?;
                self.mem.write_traced::<TRACE>(a, res, &mut acc[0])?;
            }
            Opcode::AssertEq => {
                let a = address(dst_base, d.off_dst)?;
                let v = self.mem.read_traced::<TRACE>(a, &mut acc[0])?;
                if v != res {
                    return Err(Box::new(Fault::AssertFailed {
                        left: fr_string(&v),
                        right: fr_string(&res),
                    }));
                }
            }
            Opcode::Nop => match d.pc_update {
                PcUpdate::Regular => {}
                PcUpdate::JumpAbs => next_pc = self.jump_target(cur_pc, &d, &res, false)?,
                PcUpdate::JumpRel => next_pc = self.jump_target(cur_pc, &d, &res, true)?,
                PcUpdate::Jnz => {
                    let a = address(dst_base, d.off_dst)?;
                    let v = self.mem.read_traced::<TRACE>(a, &mut acc[0])?;
                    if !v.is_zero() {
                        next_pc = self.jump_target(cur_pc, &d, &op1, true)?;
                    }
                }
            },
            Opcode::Call => {
                let target =
                    self.jump_target(cur_pc, &d, &res, d.pc_update == PcUpdate::JumpRel)?;
                let a0 = address(cur_ap, 0)?;
                let a1 = address(cur_ap, 1)?;
                let new_fp = address(cur_ap, 2)?;
                let (v0, v1) = (Fr::from(cur_fp), Fr::from(cur_pc + 1));
                self.mem.write_traced::<TRACE>(a0, v0, &mut acc[0])?;
                self.mem.write_traced::<TRACE>(a1, v1, &mut acc[1])?;
                *fp = new_fp;
                *ap = new_fp;
                *pc = target;
                record::<TRACE>(rec, (cur_pc, cur_ap, cur_fp), acc, None);
                return Ok(Flow::Continue);
            }
            Opcode::Ret => {
                let a = address(cur_fp, d.off_dst)?;
                let old_fp = self.mem.read_traced::<TRACE>(a, &mut acc[0])?;
                next_pc = self.jump_target(cur_pc, &d, &res, false)?;
                *fp = fr_to_u32(&old_fp).ok_or_else(|| Fault::AddressOutOfRange {
                    value: format!("fp = {}", fr_string(&old_fp)),
                })?;
            }
            Opcode::Input => {
                let v = *self
                    .inputs
                    .get(self.next_input)
                    .ok_or(Fault::InputExhausted {
                        read: self.next_input as u64,
                    })?;
                self.next_input += 1;
                let a = address(dst_base, d.off_dst)?;
                self.mem.write_traced::<TRACE>(a, v, &mut acc[0])?;
                advice_val = Some(v);
            }
            Opcode::Output => {
                let a = address(dst_base, d.off_dst)?;
                let v = self.mem.read_traced::<TRACE>(a, &mut acc[0])?;
                self.output.push(v);
            }
            Opcode::Advice(kind) => {
                let v = advice_value(kind, &op0, &op1)?;
                let a = address(dst_base, d.off_dst)?;
                self.mem.write_traced::<TRACE>(a, v, &mut acc[0])?;
                advice_val = Some(v);
            }
            Opcode::Halt => {
                record::<TRACE>(rec, (cur_pc, cur_ap, cur_fp), acc, None);
                return Ok(Flow::Halt);
            }
        }
        match d.ap_update {
            ApUpdate::None => {}
            ApUpdate::Inc => {
                *ap = cur_ap.checked_add(1).ok_or(Fault::ApOutOfRange {
                    value: "2^32".into(),
                })?
            }
            ApUpdate::Add => {
                let new = match (d.op1_src, d.imm_small) {
                    (Op1Src::Imm, Some(k)) => i64::from(cur_ap) + k,
                    _ => fr_to_u64(&(Fr::from(cur_ap) + res))
                        .and_then(|x| i64::try_from(x).ok())
                        .unwrap_or(-1),
                };
                if !(0..U32_END).contains(&new) {
                    return Err(Box::new(Fault::ApOutOfRange {
                        value: fr_string(&(Fr::from(cur_ap) + res)),
                    }));
                }
                *ap = new as u32;
            }
        }
        *pc = next_pc;
        record::<TRACE>(rec, (cur_pc, cur_ap, cur_fp), acc, advice_val);
        Ok(Flow::Continue)
    }

    /// Run from `regs` until `halt` (`Ok(true)`) or until `cycle` reaches `stop_at`
    /// (`Ok(false)`); on a fault, `regs` and `cycle` are those of the faulting instruction.
    fn run<const TRACE: bool>(
        &mut self,
        regs: &mut Registers,
        cycle: &mut u64,
        stop_at: u64,
        trace: &mut Vec<Step>,
    ) -> Result<bool, Fault> {
        let Registers {
            mut pc,
            mut ap,
            mut fp,
        } = *regs;
        let mut rec = None;
        let mut n = *cycle;
        let result = loop {
            if n >= stop_at {
                break Ok(false);
            }
            let at = pc;
            match self.step::<TRACE>(&mut pc, &mut ap, &mut fp, &mut rec) {
                Ok(flow) => {
                    n += 1;
                    if TRACE {
                        if let Some(s) = rec.take() {
                            trace.push(s);
                        }
                    }
                    if let Flow::Halt = flow {
                        break Ok(true);
                    }
                }
                Err(f) => {
                    pc = at;
                    break Err(*f);
                }
            }
        };
        *regs = Registers { pc, ap, fp };
        *cycle = n;
        result
    }
}

/// Stores in `rec`, when tracing, the step that started from the registers `(pc, ap, fp)`.
#[inline(always)]
fn record<const TRACE: bool>(
    rec: &mut Option<Step>,
    (pc, ap, fp): (u32, u32, u32),
    accesses: [Option<Access>; 3],
    advice: Option<Fr>,
) {
    if TRACE {
        *rec = Some(Step {
            pc,
            ap,
            fp,
            accesses,
            advice,
        });
    }
}

fn advice_value(kind: AdviceKind, x: &Fr, y: &Fr) -> R<Fr> {
    let invalid = |arg: String| {
        Box::new(Fault::InvalidAdvice {
            kind: kind.name(),
            arg,
        })
    };
    match kind {
        AdviceKind::Inv => y.inverse().ok_or_else(|| invalid("0".into())),
        AdviceKind::Sqrt => {
            canonical_sqrt(y).ok_or_else(|| invalid(format!("{} (not a square)", fr_string(y))))
        }
        AdviceKind::Bit => {
            let i = fr_to_u64(y)
                .filter(|&i| i < 256)
                .ok_or_else(|| invalid(format!("bit index {}", fr_string(y))))?;
            Ok(Fr::from(u64::from(x.into_bigint().get_bit(i as usize))))
        }
        AdviceKind::Div | AdviceKind::Rem => {
            if y.is_zero() {
                return Err(invalid(format!("{} by 0", fr_string(x))));
            }
            let (q, r) = advice::divrem(x.into_bigint(), y.into_bigint());
            let v = if kind == AdviceKind::Div { q } else { r };
            Fr::from_bigint(v).ok_or_else(|| invalid("result out of range".into()))
        }
    }
}

/// Runs `program` on the private `inputs` until `halt`.
pub fn run(program: &Program, inputs: &[Fr], config: &RunConfig) -> Result<Execution, VmError> {
    let mut vm = Vm::new(program, inputs, config)?;
    vm.run(config.max_cycles)?;
    if !vm.halted {
        return Err(vm.error(Fault::CycleLimit {
            max: config.max_cycles,
        }));
    }
    Ok(vm.into_execution())
}

/// A run that stops and resumes: [`Vm::run`] executes up to a cycle count, and between two
/// calls the registers can be read and set, as a debugger does. [`run`] is the one-call form.
pub struct Vm<'a> {
    program: &'a Program,
    cpu: Cpu<'a>,
    registers: Registers,
    cycle: u64,
    record_trace: bool,
    trace: Vec<Step>,
    halted: bool,
}

impl<'a> Vm<'a> {
    /// A run of `program` on `inputs` before its first cycle: `pc` at the entry point, `ap`
    /// and `fp` at [`DATA_START`]. `config.max_cycles` is not used ([`Vm::run`] takes the
    /// limit).
    pub fn new(
        program: &'a Program,
        inputs: &'a [Fr],
        config: &RunConfig,
    ) -> Result<Self, VmError> {
        let len = program.instructions.len();
        if program.entry as usize >= len {
            return Err(VmError {
                fault: Fault::BadEntry {
                    entry: program.entry,
                    len,
                },
                cycle: 0,
                pc: program.entry,
                location: None,
                instruction: None,
                called_from: Box::default(),
            });
        }
        Ok(Vm {
            program,
            cpu: Cpu {
                code: program.instructions.iter().map(Dec::new).collect(),
                mem: Memory::new(config.max_memory),
                inputs,
                next_input: 0,
                output: Vec::new(),
                counts: vec![0; len],
            },
            registers: Registers {
                pc: program.entry,
                ap: DATA_START,
                fp: DATA_START,
            },
            cycle: 0,
            record_trace: config.record_trace,
            trace: Vec::new(),
            halted: false,
        })
    }

    /// Execute until `halt` or until `stop_at` cycles have run in all; returns whether the
    /// program halted. After a halt, calling it again does nothing.
    pub fn run(&mut self, stop_at: u64) -> Result<bool, VmError> {
        if self.halted {
            return Ok(true);
        }
        let (regs, cycle, trace) = (&mut self.registers, &mut self.cycle, &mut self.trace);
        let result = if self.record_trace {
            self.cpu.run::<true>(regs, cycle, stop_at, trace)
        } else {
            self.cpu.run::<false>(regs, cycle, stop_at, trace)
        };
        self.halted = result.map_err(|f| self.error(f))?;
        Ok(self.halted)
    }

    /// The registers before the next cycle (after a halt, those of the `halt`).
    pub fn registers(&self) -> Registers {
        self.registers
    }

    /// Set the registers for the next cycle.
    pub fn set_registers(&mut self, registers: Registers) {
        self.registers = registers;
    }

    /// Cycles executed so far.
    pub fn cycles(&self) -> u64 {
        self.cycle
    }

    /// The steps recorded since the last call (a run recording its trace, read a piece at a
    /// time between calls to [`Vm::run`]).
    pub fn take_trace(&mut self) -> Vec<Step> {
        std::mem::take(&mut self.trace)
    }

    /// The error of a run stopped by its cycle limit `max` ([`Fault::CycleLimit`]).
    pub fn cycle_limit(&self, max: u64) -> VmError {
        self.error(Fault::CycleLimit { max })
    }

    /// The public output so far.
    pub fn output(&self) -> &[Fr] {
        &self.cpu.output
    }

    fn error(&self, fault: Fault) -> VmError {
        let pc = self.registers.pc;
        VmError {
            fault,
            cycle: self.cycle,
            pc,
            location: self.program.location(pc),
            instruction: self
                .program
                .instructions
                .get(pc as usize)
                .map(|i| i.to_string().into()),
            called_from: self.call_sites().into(),
        }
    }

    /// The `call` instructions of the frames on the stack, innermost first: each frame's
    /// `[fp − 1]` is its return address (the call's pc + 1) and `[fp − 2]` the caller's fp.
    fn call_sites(&self) -> Vec<String> {
        const MAX_FRAMES: usize = 64;
        let small = |v: Fr| zkvm_isa::fr_to_u64(&v).and_then(|v| u32::try_from(v).ok());
        let mem = &self.cpu.mem;
        let mut sites = Vec::new();
        let mut fp = self.registers.fp;
        while sites.len() < MAX_FRAMES && fp >= DATA_START + 2 {
            let ret = mem.read(fp - 1).ok().and_then(small);
            let caller_fp = mem.read(fp - 2).ok().and_then(small);
            let (Some(ret), Some(caller_fp)) = (ret, caller_fp) else {
                break;
            };
            let call = ret.wrapping_sub(1);
            if ret == 0 || call as usize >= self.program.instructions.len() || caller_fp >= fp {
                break;
            }
            sites.push(
                self.program
                    .location(call)
                    .unwrap_or_else(|| format!("pc {call}")),
            );
            fp = caller_fp;
        }
        sites
    }

    /// The result of the run so far: output, trace (if recorded), counts and registers.
    pub fn into_execution(self) -> Execution {
        let m = self.cpu;
        let mut per_opcode = [0u64; Opcode::COUNT];
        for (ins, c) in self.program.instructions.iter().zip(&m.counts) {
            per_opcode[ins.opcode.code() as usize] += c;
        }
        let opcode_counts = per_opcode
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .filter_map(|(i, &c)| Opcode::from_code(i as u64).map(|o| (o, c)))
            .collect();
        Execution {
            summary: Summary {
                cycles: self.cycle,
                memory_cells: m.mem.touched(),
                inputs_read: m.next_input as u64,
                opcode_counts,
            },
            output: m.output,
            trace: self.record_trace.then_some(self.trace),
            final_state: self.registers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ins(opcode: Opcode) -> Instruction {
        Instruction {
            opcode,
            ..Instruction::DEFAULT
        }
    }

    /// `[ap] = input, ap++; output [ap - 1]; halt`.
    fn input_output_halt_program() -> Program {
        Program {
            instructions: vec![
                Instruction {
                    ap_update: ApUpdate::Inc,
                    ..ins(Opcode::Input)
                },
                Instruction {
                    off_dst: -1,
                    ..ins(Opcode::Output)
                },
                ins(Opcode::Halt),
            ],
            entry: 0,
            debug: None,
        }
    }

    #[test]
    fn a_stopped_run_resumes_where_it_stopped() {
        let prog = input_output_halt_program();
        let inputs = [Fr::from(9u64)];
        let mut vm = Vm::new(&prog, &inputs, &RunConfig::default()).unwrap();
        assert!(!vm.run(1).unwrap());
        assert_eq!(vm.cycles(), 1);
        let regs = vm.registers();
        assert_eq!((regs.pc, regs.ap), (1, DATA_START + 1));
        assert!(vm.run(100).unwrap());
        let ex = vm.into_execution();
        assert_eq!(ex.output, vec![Fr::from(9u64)]);
        assert_eq!(ex.summary.cycles, 3);
        // A run stopped by its cycle limit reports it.
        let cfg = RunConfig {
            max_cycles: 2,
            ..RunConfig::default()
        };
        let err = run(&prog, &inputs, &cfg).unwrap_err();
        assert_eq!(err.fault, Fault::CycleLimit { max: 2 });
        assert_eq!(err.pc, 2);
    }

    #[test]
    fn input_output_halt() {
        let prog = input_output_halt_program();
        let cfg = RunConfig {
            record_trace: true,
            ..RunConfig::default()
        };
        let ex = run(&prog, &[Fr::from(42u64)], &cfg).unwrap();
        assert_eq!(ex.output, vec![Fr::from(42u64)]);
        let trace = ex.trace.unwrap();
        assert_eq!(trace.len(), 3);
        assert_eq!(trace[0].advice, Some(Fr::from(42u64)));
        assert_eq!(
            trace[1].accesses[0],
            Some(Access {
                addr: DATA_START,
                value: Fr::from(42u64),
                write: false,
                old: Fr::from(42u64),
            })
        );
        assert_eq!(ex.summary.cycles, 3);
        assert_eq!(ex.summary.memory_cells, 1);
        let err = run(&prog, &[], &cfg).unwrap_err();
        assert_eq!(err.fault, Fault::InputExhausted { read: 0 });
        assert_eq!((err.cycle, err.pc), (0, 0));
    }

    #[test]
    fn unwritten_read_faults() {
        let prog = Program {
            instructions: vec![
                Instruction {
                    off_dst: -3,
                    dst_reg: Reg::Fp,
                    ..ins(Opcode::Output)
                },
                ins(Opcode::Halt),
            ],
            entry: 0,
            debug: None,
        };
        let err = run(&prog, &[], &RunConfig::default()).unwrap_err();
        assert_eq!(
            err.fault,
            Fault::UnwrittenRead {
                addr: DATA_START - 3
            }
        );
    }

    #[test]
    fn advice_values() {
        let f = |v: u64| Fr::from(v);
        assert_eq!(
            advice_value(AdviceKind::Inv, &f(0), &f(2)).unwrap() * f(2),
            f(1)
        );
        assert_eq!(advice_value(AdviceKind::Div, &f(17), &f(5)).unwrap(), f(3));
        assert_eq!(advice_value(AdviceKind::Rem, &f(17), &f(5)).unwrap(), f(2));
        assert_eq!(advice_value(AdviceKind::Bit, &f(6), &f(1)).unwrap(), f(1));
        assert_eq!(advice_value(AdviceKind::Bit, &f(6), &f(0)).unwrap(), f(0));
        assert_eq!(advice_value(AdviceKind::Sqrt, &f(0), &f(16)).unwrap(), f(4));
        assert!(advice_value(AdviceKind::Inv, &f(0), &f(0)).is_err());
        assert!(advice_value(AdviceKind::Rem, &f(3), &f(0)).is_err());
        assert!(advice_value(AdviceKind::Bit, &f(3), &f(256)).is_err());
        // Large operands take the long-division path.
        let big = -f(1);
        let q = advice_value(AdviceKind::Div, &big, &f(1 << 40)).unwrap();
        let r = advice_value(AdviceKind::Rem, &big, &f(1 << 40)).unwrap();
        assert_eq!(q * f(1 << 40) + r, big);
        assert!(fr_to_u64(&r).unwrap() < 1 << 40);
    }
}
