//! The RV32IM interpreter.
//!
//! Semantics follow the RISC-V unprivileged specification (version 20191213), chapters 2
//! (RV32I) and 7 (M). Policies where the specification leaves a choice to the execution
//! environment:
//!
//! - **Misaligned loads and stores fault** with [`RunError::MisalignedAccess`] (the
//!   specification allows either emulation or a trap; the prover works on aligned words).
//!   A jump or branch to an address that is not 4-byte aligned faults when that address is
//!   fetched ([`RunError::MisalignedPc`]).
//! - **Memory** is the span from the lowest to the highest loaded segment address, zero where no
//!   file bytes are. Accesses outside it fault ([`RunError::OutOfBounds`]); stores into an
//!   executable or read-only segment fault ([`RunError::StoreToReadOnly`]); fetches outside the
//!   executable segments fault ([`RunError::FetchOutsideCode`]).
//! - **System calls** (`ecall`, number in a7) are a subset of Linux's: `exit` (93, code in a0),
//!   `write` (64; fd 1 public output, fd 2 debug text) and `read` (63; fd 0 private input).
//!   `read`/`write` return the byte count in a0, like Linux. Anything else is an error.
//! - `ebreak` stops the run with [`RunError::Breakpoint`] (a Linux process gets SIGTRAP);
//!   `fence` is a no-op (one hart, no devices).

use thiserror::Error;

use crate::elf::Program;
use crate::input::Input;
use crate::instruction::{DecodeError, Instruction, Opcode};
use crate::trace::{MemAccess, Step, Summary, SyscallRecord};

/// System-call numbers (Linux RV32 ABI).
pub mod syscall {
    /// `read(fd, buf, count)`.
    pub const READ: u32 = 63;
    /// `write(fd, buf, count)`.
    pub const WRITE: u32 = 64;
    /// `exit(code)`.
    pub const EXIT: u32 = 93;
}

/// Register a0 (first argument and return value).
const A0: usize = 10;
/// Register a7 (system-call number).
const A7: usize = 17;

/// Options of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunConfig {
    /// Stop with [`RunError::CycleLimit`] after this many instructions.
    pub max_cycles: u64,
    /// Record one [`Step`] per instruction.
    pub record_trace: bool,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            max_cycles: 1 << 32,
            record_trace: false,
        }
    }
}

/// Why a run stopped without an `exit` system call.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunError {
    /// Reading the private input failed.
    #[error("cannot read the private input (pc {pc:#010x}): {message}")]
    Input {
        /// Address of the `read` call.
        pc: u32,
        /// The I/O error.
        message: String,
    },
    /// The word at `pc` is not an RV32IM instruction.
    #[error("illegal instruction {word:#010x} at pc {pc:#010x}{}", compressed_hint(*word))]
    IllegalInstruction {
        /// Address.
        pc: u32,
        /// The word.
        word: u32,
    },
    /// `pc` is outside every executable segment.
    #[error("instruction fetch at pc {pc:#010x} is outside executable memory")]
    FetchOutsideCode {
        /// Address.
        pc: u32,
    },
    /// `pc` is not a multiple of 4.
    #[error("instruction address {pc:#010x} is not 4-byte aligned")]
    MisalignedPc {
        /// Address.
        pc: u32,
    },
    /// A load or store whose address is not a multiple of its width.
    #[error("misaligned {width}-byte {} at address {addr:#010x} (pc {pc:#010x}): misaligned accesses fault", if *.store { "store" } else { "load" })]
    MisalignedAccess {
        /// Address of the instruction.
        pc: u32,
        /// Accessed address.
        addr: u32,
        /// 1, 2 or 4.
        width: u8,
        /// Store or load.
        store: bool,
    },
    /// A load, store or system-call buffer outside guest memory.
    #[error("{} of {len} bytes at address {addr:#010x} (pc {pc:#010x}) is outside guest memory [{lo:#010x}, {hi:#x})", if *.store { "store" } else { "load" })]
    OutOfBounds {
        /// Address of the instruction.
        pc: u32,
        /// Accessed address.
        addr: u32,
        /// Length in bytes.
        len: u32,
        /// Store or load.
        store: bool,
        /// Lowest guest address.
        lo: u32,
        /// One past the highest guest address.
        hi: u64,
    },
    /// A store into an executable or read-only segment.
    #[error("store at address {addr:#010x} (pc {pc:#010x}) into read-only or executable memory")]
    StoreToReadOnly {
        /// Address of the instruction.
        pc: u32,
        /// Accessed address.
        addr: u32,
    },
    /// `ecall` with a number that is not exit, read or write.
    #[error("unsupported system call {number} (a7) at pc {pc:#010x}; supported: exit 93, write 64, read 63")]
    UnknownSyscall {
        /// Address of the `ecall`.
        pc: u32,
        /// a7.
        number: u32,
    },
    /// `read` or `write` on an unsupported file descriptor.
    #[error("system call {number} on unsupported file descriptor {fd} at pc {pc:#010x} (read: fd 0; write: fd 1 or 2)")]
    BadFd {
        /// Address of the `ecall`.
        pc: u32,
        /// a7.
        number: u32,
        /// a0.
        fd: u32,
    },
    /// `ebreak`.
    #[error("ebreak at pc {pc:#010x}")]
    Breakpoint {
        /// Address.
        pc: u32,
    },
    /// A hand-built [`Program`] that [`crate::load_elf`] would have rejected.
    #[error("invalid program: {0}")]
    InvalidProgram(String),
    /// The run reached `max_cycles` instructions without exiting.
    #[error("no exit after {limit} cycles (pc {pc:#010x})")]
    CycleLimit {
        /// The limit.
        limit: u64,
        /// The next pc.
        pc: u32,
    },
}

/// The result of a run that ended with `exit`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execution {
    /// a0 at `exit` (a Linux process reports its low 8 bits).
    pub exit_code: u32,
    /// Bytes written to fd 1: the public output.
    pub stdout: Vec<u8>,
    /// Bytes written to fd 2: debug text.
    pub stderr: Vec<u8>,
    /// One step per instruction, when [`RunConfig::record_trace`] was set.
    pub trace: Option<Vec<Step>>,
    /// Cycles and instruction mix.
    pub summary: Summary,
    /// Registers at exit.
    pub regs: [u32; 32],
}

/// A predecoded instruction slot.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Ok(Instruction),
    Illegal(u32),
    NotCode,
}

/// Whether `addr` is not a multiple of `width` (a power of two).
#[inline(always)]
fn misaligned(addr: u32, width: u32) -> bool {
    addr & (width - 1) != 0
}

/// The checks [`crate::load_elf`] makes, for programs built by hand: the interpreter refuses a
/// program that fails them, and so must a verifier.
pub fn validate(program: &Program) -> Result<(), RunError> {
    let bad = |m: String| Err(RunError::InvalidProgram(m));
    if program.segments.is_empty() {
        return bad("no segments".into());
    }
    let mut segs: Vec<_> = program.segments.iter().collect();
    segs.sort_by_key(|s| s.vaddr);
    for s in &segs {
        if s.data.len() as u64 > u64::from(s.mem_size) {
            return bad(format!(
                "segment at {:#x}: more file bytes than its memory size",
                s.vaddr
            ));
        }
        if s.end() > 1 << 32 {
            return bad(format!(
                "segment at {:#x} leaves the 32-bit address space",
                s.vaddr
            ));
        }
    }
    for w in segs.windows(2) {
        if w[0].end() > u64::from(w[1].vaddr) {
            return bad(format!(
                "segments at {:#x} and {:#x} overlap",
                w[0].vaddr, w[1].vaddr
            ));
        }
    }
    let (lo, hi) = program.span();
    if hi - u64::from(lo) > crate::elf::MAX_SPAN {
        return bad(format!("the segments span {:#x} bytes", hi - u64::from(lo)));
    }
    Ok(())
}

/// Page granularity of the store-permission map.
use crate::elf::PAGE_SHIFT;

/// A machine: registers, memory, I/O buffers. [`run`] is the one-call form.
#[derive(Debug)]
pub struct Emulator<'a> {
    regs: [u32; 32],
    pc: u32,
    mem: Vec<u8>,
    base: u32,
    /// Per 256-byte page of `mem`: whether stores are allowed.
    writable: Vec<bool>,
    code: Vec<Slot>,
    code_base: u32,
    hits: Vec<u64>,
    cycles: u64,
    input: Input<'a>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    trace: Option<Vec<Step>>,
    exited: Option<u32>,
}

/// A hint for a word whose low two bits are not `11`: the start of a 16-bit compressed
/// instruction.
fn compressed_hint(word: u32) -> &'static str {
    if word & 3 != 3 {
        " (a compressed instruction: the C extension is not supported, rebuild with \
         -march=rv32im)"
    } else {
        ""
    }
}

/// The registers a program starts with: `sp` at the loader's stack, the others zero.
pub fn initial_registers(program: &Program) -> [u32; 32] {
    let mut regs = [0; 32];
    regs[2] = program.initial_sp;
    regs
}

/// Run `program` to its `exit` with `input` as private input (fd 0).
pub fn run<'a>(
    program: &Program,
    input: impl Into<Input<'a>>,
    config: &RunConfig,
) -> Result<Execution, RunError> {
    let mut m = Emulator::new(program, input)?;
    let code = m.run(config)?;
    Ok(m.into_execution(code))
}

impl<'a> Emulator<'a> {
    /// Load `program`: memory image, predecoded code, pc at the entry point, registers zero.
    /// Programs from [`crate::load_elf`] are always accepted; a hand-built one is checked the
    /// same way (segments disjoint, file bytes within memory size, span at most
    /// [`crate::elf::MAX_SPAN`]).
    pub fn new(program: &Program, input: impl Into<Input<'a>>) -> Result<Emulator<'a>, RunError> {
        validate(program)?;
        let (lo, hi) = program.span();
        let span = (hi - u64::from(lo)) as usize;
        let mut mem = vec![0u8; span];
        for seg in &program.segments {
            let off = (seg.vaddr - lo) as usize;
            mem[off..off + seg.data.len()].copy_from_slice(&seg.data);
        }
        let writable = program.writable_pages();

        let exec: Vec<_> = program.segments.iter().filter(|s| s.flags.exec).collect();
        let code_lo = exec.iter().map(|s| s.vaddr).min().unwrap_or(lo) & !3;
        let code_hi = exec.iter().map(|s| s.end()).max().unwrap_or(u64::from(lo));
        let words = (code_hi.saturating_sub(u64::from(code_lo)) / 4) as usize;
        let mut code = vec![Slot::NotCode; words];
        for (i, slot) in code.iter_mut().enumerate() {
            let addr = code_lo + 4 * i as u32;
            if exec
                .iter()
                .any(|s| s.contains(addr) && u64::from(addr) + 4 <= s.end())
            {
                let off = (addr - lo) as usize;
                let word = u32::from_le_bytes([mem[off], mem[off + 1], mem[off + 2], mem[off + 3]]);
                *slot = match crate::decode(word) {
                    Ok(ins) => Slot::Ok(ins),
                    Err(DecodeError { word }) => Slot::Illegal(word),
                };
            }
        }
        Ok(Emulator {
            regs: initial_registers(program),
            pc: program.entry,
            mem,
            base: lo,
            writable,
            hits: vec![0; code.len()],
            code,
            code_base: code_lo,
            cycles: 0,
            input: input.into(),
            stdout: Vec::new(),
            stderr: Vec::new(),
            trace: None,
            exited: None,
        })
    }

    /// The registers.
    pub fn regs(&self) -> &[u32; 32] {
        &self.regs
    }

    /// The program counter.
    pub fn pc(&self) -> u32 {
        self.pc
    }

    /// Set the program counter for the next instruction, as a debugger does between two calls
    /// of [`Emulator::run`].
    pub fn set_pc(&mut self, pc: u32) {
        self.pc = pc;
    }

    /// Public output so far.
    pub fn stdout(&self) -> &[u8] {
        &self.stdout
    }

    /// Debug output so far.
    pub fn stderr(&self) -> &[u8] {
        &self.stderr
    }

    /// Instructions executed so far.
    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// Read `len` bytes of guest memory at `addr`, if inside guest memory.
    pub fn read_memory(&self, addr: u32, len: u32) -> Option<&[u8]> {
        let off = addr.checked_sub(self.base)? as usize;
        self.mem.get(off..off.checked_add(len as usize)?)
    }

    /// Cycles and instruction mix so far.
    pub fn summary(&self) -> Summary {
        let mut per_opcode = vec![0u64; Opcode::COUNT];
        for (slot, &n) in self.code.iter().zip(&self.hits) {
            if let (Slot::Ok(ins), true) = (slot, n > 0) {
                per_opcode[ins.opcode() as usize] += n;
            }
        }
        Summary {
            cycles: self.cycles,
            per_opcode,
        }
    }

    /// The steps recorded since the last call (a run recording its trace, read a piece at a
    /// time between calls to [`Emulator::run`]).
    pub fn take_trace(&mut self) -> Vec<Step> {
        self.trace.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// The private input the guest has read so far (all a replay of the run needs).
    pub fn input_consumed(&self) -> &[u8] {
        self.input.consumed()
    }

    /// Whether the program has exited.
    pub fn exited(&self) -> bool {
        self.exited.is_some()
    }

    /// The result after [`Emulator::run`] returned `Ok(exit_code)`.
    pub fn into_execution(mut self, exit_code: u32) -> Execution {
        let summary = self.summary();
        Execution {
            exit_code,
            stdout: std::mem::take(&mut self.stdout),
            stderr: std::mem::take(&mut self.stderr),
            trace: self.trace.take(),
            summary,
            regs: self.regs,
        }
    }

    /// Run until `exit` (returning its code), an error, or the cycle limit. Calling it again
    /// after an exit returns the same code without executing anything.
    pub fn run(&mut self, config: &RunConfig) -> Result<u32, RunError> {
        if let Some(code) = self.exited {
            return Ok(code);
        }
        if config.record_trace {
            if self.trace.is_none() {
                self.trace = Some(Vec::new());
            }
            self.run_loop::<true>(config.max_cycles)
        } else {
            self.run_loop::<false>(config.max_cycles)
        }
    }

    fn oob(&self, pc: u32, addr: u32, len: u32, store: bool) -> RunError {
        RunError::OutOfBounds {
            pc,
            addr,
            len,
            store,
            lo: self.base,
            hi: u64::from(self.base) + self.mem.len() as u64,
        }
    }

    /// The interpreter loop; `TRACE` selects at compile time whether steps are recorded, so the
    /// fast path carries no recording code.
    fn run_loop<const TRACE: bool>(&mut self, max_cycles: u64) -> Result<u32, RunError> {
        let mut regs = self.regs;
        let mut pc = self.pc;
        let mut cycles = self.cycles;
        let base = self.base;
        let code_base = self.code_base;
        let result = loop {
            if cycles >= max_cycles {
                break Err(RunError::CycleLimit {
                    limit: max_cycles,
                    pc,
                });
            }
            let idx = (pc.wrapping_sub(code_base) >> 2) as usize;
            let ins = match self.code.get(idx) {
                Some(Slot::Ok(ins)) if pc & 3 == 0 => *ins,
                _ if pc & 3 != 0 => break Err(RunError::MisalignedPc { pc }),
                Some(Slot::Illegal(word)) => {
                    break Err(RunError::IllegalInstruction { pc, word: *word })
                }
                _ => break Err(RunError::FetchOutsideCode { pc }),
            };
            self.hits[idx] += 1;
            cycles += 1;
            let mut next = pc.wrapping_add(4);
            let mut mem_rec: Option<MemAccess> = None;
            let mut sys_rec: Option<Box<SyscallRecord>> = None;
            let mut rd_val = 0u32;
            // Operands an instruction lacks are x0, which reads 0.
            let (rs1_val, rs2_val, mut rd_old) = if TRACE {
                let o = ins.operands();
                (
                    regs[usize::from(o.rs1)],
                    regs[usize::from(o.rs2)],
                    regs[usize::from(o.rd)],
                )
            } else {
                (0, 0, 0)
            };

            macro_rules! r {
                ($r:expr) => {
                    regs[usize::from($r)]
                };
            }
            macro_rules! set {
                ($rd:expr, $v:expr) => {{
                    let v: u32 = $v;
                    regs[usize::from($rd)] = v;
                    if TRACE {
                        rd_val = v;
                    }
                }};
            }
            // The address `rs1 + imm` of an access of `$n` bytes, and its offset in memory; a
            // misaligned address faults.
            macro_rules! address {
                ($rs1:expr, $imm:expr, $n:literal, $store:literal) => {{
                    let addr = r!($rs1).wrapping_add($imm as u32);
                    if misaligned(addr, $n) {
                        break Err(RunError::MisalignedAccess {
                            pc,
                            addr,
                            width: $n,
                            store: $store,
                        });
                    }
                    (addr, addr.wrapping_sub(base) as usize)
                }};
            }
            macro_rules! load {
                ($rd:expr, $rs1:expr, $imm:expr, $n:literal, $conv:expr) => {{
                    let (addr, off) = address!($rs1, $imm, $n, false);
                    let Some(bytes) = self.mem.get(off..off + $n) else {
                        break Err(self.oob(pc, addr, $n, false));
                    };
                    let mut b = [0u8; $n];
                    b.copy_from_slice(bytes);
                    let v: u32 = $conv(b);
                    set!($rd, v);
                    if TRACE {
                        mem_rec = Some(MemAccess {
                            addr,
                            width: $n,
                            value: v,
                            store: false,
                            word_old: self.word(addr & !3),
                        });
                    }
                }};
            }
            macro_rules! store {
                ($rs1:expr, $rs2:expr, $imm:expr, $n:literal) => {{
                    let (addr, off) = address!($rs1, $imm, $n, true);
                    let v = r!($rs2);
                    let word_old = if TRACE { self.word(addr & !3) } else { 0 };
                    match self.mem.get_mut(off..off + $n) {
                        Some(dst) if self.writable[off >> PAGE_SHIFT] => {
                            dst.copy_from_slice(&v.to_le_bytes()[..$n]);
                        }
                        Some(_) => break Err(RunError::StoreToReadOnly { pc, addr }),
                        None => break Err(self.oob(pc, addr, $n, true)),
                    }
                    if TRACE {
                        let mask = if $n == 4 {
                            u32::MAX
                        } else {
                            (1u32 << (8 * $n)) - 1
                        };
                        mem_rec = Some(MemAccess {
                            addr,
                            width: $n,
                            value: v & mask,
                            store: true,
                            word_old,
                        });
                    }
                }};
            }
            macro_rules! branch {
                ($cond:expr, $imm:expr) => {{
                    if $cond {
                        next = pc.wrapping_add($imm as u32);
                    }
                }};
            }

            use Instruction as I;
            match ins {
                I::Lui { rd, imm } => set!(rd, imm as u32),
                I::Auipc { rd, imm } => set!(rd, pc.wrapping_add(imm as u32)),
                I::Jal { rd, imm } => {
                    set!(rd, next);
                    next = pc.wrapping_add(imm as u32);
                }
                I::Jalr { rd, rs1, imm } => {
                    let target = r!(rs1).wrapping_add(imm as u32) & !1;
                    set!(rd, next);
                    next = target;
                }
                I::Beq { rs1, rs2, imm } => branch!(r!(rs1) == r!(rs2), imm),
                I::Bne { rs1, rs2, imm } => branch!(r!(rs1) != r!(rs2), imm),
                I::Blt { rs1, rs2, imm } => branch!((r!(rs1) as i32) < (r!(rs2) as i32), imm),
                I::Bge { rs1, rs2, imm } => branch!((r!(rs1) as i32) >= (r!(rs2) as i32), imm),
                I::Bltu { rs1, rs2, imm } => branch!(r!(rs1) < r!(rs2), imm),
                I::Bgeu { rs1, rs2, imm } => branch!(r!(rs1) >= r!(rs2), imm),
                I::Lb { rd, rs1, imm } => load!(rd, rs1, imm, 1, |b: [u8; 1]| b[0] as i8 as u32),
                I::Lh { rd, rs1, imm } => {
                    load!(rd, rs1, imm, 2, |b: [u8; 2]| i16::from_le_bytes(b) as u32)
                }
                I::Lw { rd, rs1, imm } => load!(rd, rs1, imm, 4, u32::from_le_bytes),
                I::Lbu { rd, rs1, imm } => load!(rd, rs1, imm, 1, |b: [u8; 1]| u32::from(b[0])),
                I::Lhu { rd, rs1, imm } => {
                    load!(rd, rs1, imm, 2, |b: [u8; 2]| u32::from(u16::from_le_bytes(
                        b
                    )))
                }
                I::Sb { rs1, rs2, imm } => store!(rs1, rs2, imm, 1),
                I::Sh { rs1, rs2, imm } => store!(rs1, rs2, imm, 2),
                I::Sw { rs1, rs2, imm } => store!(rs1, rs2, imm, 4),
                I::Addi { rd, rs1, imm } => set!(rd, r!(rs1).wrapping_add(imm as u32)),
                I::Slti { rd, rs1, imm } => set!(rd, u32::from((r!(rs1) as i32) < imm)),
                I::Sltiu { rd, rs1, imm } => set!(rd, u32::from(r!(rs1) < imm as u32)),
                I::Xori { rd, rs1, imm } => set!(rd, r!(rs1) ^ imm as u32),
                I::Ori { rd, rs1, imm } => set!(rd, r!(rs1) | imm as u32),
                I::Andi { rd, rs1, imm } => set!(rd, r!(rs1) & imm as u32),
                I::Slli { rd, rs1, imm } => set!(rd, r!(rs1) << (imm & 31)),
                I::Srli { rd, rs1, imm } => set!(rd, r!(rs1) >> (imm & 31)),
                I::Srai { rd, rs1, imm } => set!(rd, ((r!(rs1) as i32) >> (imm & 31)) as u32),
                I::Add { rd, rs1, rs2 } => set!(rd, r!(rs1).wrapping_add(r!(rs2))),
                I::Sub { rd, rs1, rs2 } => set!(rd, r!(rs1).wrapping_sub(r!(rs2))),
                I::Sll { rd, rs1, rs2 } => set!(rd, r!(rs1) << (r!(rs2) & 31)),
                I::Slt { rd, rs1, rs2 } => set!(rd, u32::from((r!(rs1) as i32) < (r!(rs2) as i32))),
                I::Sltu { rd, rs1, rs2 } => set!(rd, u32::from(r!(rs1) < r!(rs2))),
                I::Xor { rd, rs1, rs2 } => set!(rd, r!(rs1) ^ r!(rs2)),
                I::Srl { rd, rs1, rs2 } => set!(rd, r!(rs1) >> (r!(rs2) & 31)),
                I::Sra { rd, rs1, rs2 } => set!(rd, ((r!(rs1) as i32) >> (r!(rs2) & 31)) as u32),
                I::Or { rd, rs1, rs2 } => set!(rd, r!(rs1) | r!(rs2)),
                I::And { rd, rs1, rs2 } => set!(rd, r!(rs1) & r!(rs2)),
                I::Mul { rd, rs1, rs2 } => set!(rd, r!(rs1).wrapping_mul(r!(rs2))),
                I::Mulh { rd, rs1, rs2 } => {
                    let p = i64::from(r!(rs1) as i32) * i64::from(r!(rs2) as i32);
                    set!(rd, (p >> 32) as u32)
                }
                I::Mulhsu { rd, rs1, rs2 } => {
                    let p = i64::from(r!(rs1) as i32).wrapping_mul(i64::from(r!(rs2)));
                    set!(rd, (p >> 32) as u32)
                }
                I::Mulhu { rd, rs1, rs2 } => {
                    let p = u64::from(r!(rs1)) * u64::from(r!(rs2));
                    set!(rd, (p >> 32) as u32)
                }
                // Division by zero gives all ones (quotient) or the dividend (remainder);
                // -2^31 / -1 overflows to -2^31 with remainder 0 (spec section 7.2).
                I::Div { rd, rs1, rs2 } => {
                    let (a, b) = (r!(rs1) as i32, r!(rs2) as i32);
                    set!(
                        rd,
                        if b == 0 {
                            u32::MAX
                        } else {
                            a.wrapping_div(b) as u32
                        }
                    )
                }
                I::Divu { rd, rs1, rs2 } => {
                    let (a, b) = (r!(rs1), r!(rs2));
                    set!(rd, a.checked_div(b).unwrap_or(u32::MAX))
                }
                I::Rem { rd, rs1, rs2 } => {
                    let (a, b) = (r!(rs1) as i32, r!(rs2) as i32);
                    set!(
                        rd,
                        if b == 0 {
                            a as u32
                        } else {
                            a.wrapping_rem(b) as u32
                        }
                    )
                }
                I::Remu { rd, rs1, rs2 } => {
                    let (a, b) = (r!(rs1), r!(rs2));
                    set!(rd, a.checked_rem(b).unwrap_or(a))
                }
                I::Fence => {}
                I::Ebreak => break Err(RunError::Breakpoint { pc }),
                I::Ecall => {
                    regs[0] = 0;
                    if TRACE {
                        rd_old = regs[A0];
                    }
                    match self.ecall::<TRACE>(pc, &mut regs) {
                        Ok(rec) => {
                            let exit = match rec {
                                SyscallRecord::Exit { code, .. } => Some(code),
                                _ => None,
                            };
                            if TRACE {
                                sys_rec = Some(Box::new(rec));
                            }
                            if let Some(code) = exit {
                                self.exited = Some(code);
                                if TRACE {
                                    self.push_step(Step {
                                        pc,
                                        instr: ins,
                                        rs1_val,
                                        rs2_val,
                                        rd_val: 0,
                                        rd_old: 0,
                                        mem: None,
                                        syscall: sys_rec,
                                    });
                                }
                                pc = next;
                                break Ok(code);
                            }
                        }
                        Err(e) => break Err(e),
                    }
                }
            }
            regs[0] = 0;
            if TRACE {
                if let I::Ecall = ins {
                    rd_val = regs[A0];
                }
                self.push_step(Step {
                    pc,
                    instr: ins,
                    rs1_val,
                    rs2_val,
                    rd_val,
                    rd_old,
                    mem: mem_rec,
                    syscall: sys_rec,
                });
            }
            pc = next;
        };
        self.regs = regs;
        self.pc = pc;
        self.cycles = cycles;
        result
    }

    fn push_step(&mut self, step: Step) {
        if let Some(t) = self.trace.as_mut() {
            t.push(step);
        }
    }

    /// The aligned word at `addr`, bytes outside guest memory read as 0.
    fn word(&self, addr: u32) -> u32 {
        let byte = |k: u32| {
            let off = addr.wrapping_add(k).checked_sub(self.base)?;
            self.mem.get(off as usize).copied()
        };
        u32::from_le_bytes([0, 1, 2, 3].map(|k| byte(k).unwrap_or(0)))
    }

    /// The aligned words that `len` bytes at `addr` (inside guest memory) touch, in address
    /// order; none when `TRACE` is off (the record is then only read for the exit code).
    fn words<const TRACE: bool>(&self, addr: u32, len: u32) -> Vec<u32> {
        if !TRACE || len == 0 {
            return Vec::new();
        }
        let (first, last) = (addr & !3, (addr + (len - 1)) & !3);
        (first..=last).step_by(4).map(|a| self.word(a)).collect()
    }

    /// Execute one system call; updates a0 for read/write.
    fn ecall<const TRACE: bool>(
        &mut self,
        pc: u32,
        regs: &mut [u32; 32],
    ) -> Result<SyscallRecord, RunError> {
        let number = regs[A7];
        let (a0, a1, a2) = (regs[A0], regs[A0 + 1], regs[A0 + 2]);
        match number {
            syscall::EXIT => Ok(SyscallRecord::Exit { code: a0, a1, a2 }),
            syscall::WRITE => {
                if a0 != 1 && a0 != 2 {
                    return Err(RunError::BadFd { pc, number, fd: a0 });
                }
                let bytes = self
                    .read_memory(a1, a2)
                    .ok_or_else(|| self.oob(pc, a1, a2, false))?
                    .to_vec();
                if a0 == 1 {
                    self.stdout.extend_from_slice(&bytes);
                } else {
                    self.stderr.extend_from_slice(&bytes);
                }
                regs[A0] = a2;
                Ok(SyscallRecord::Write {
                    fd: a0,
                    addr: a1,
                    bytes,
                    words_old: self.words::<TRACE>(a1, a2),
                })
            }
            syscall::READ => {
                if a0 != 0 {
                    return Err(RunError::BadFd { pc, number, fd: a0 });
                }
                let bytes = self
                    .input
                    .take(a2 as usize)
                    .map_err(|e| RunError::Input {
                        pc,
                        message: e.to_string(),
                    })?
                    .to_vec();
                let n = bytes.len();
                let off = a1.wrapping_sub(self.base) as usize;
                let ok_range = off.checked_add(n).is_some_and(|e| e <= self.mem.len());
                if !ok_range {
                    return Err(self.oob(pc, a1, n as u32, true));
                }
                for k in 0..n {
                    if !self.writable[(off + k) >> PAGE_SHIFT] {
                        return Err(RunError::StoreToReadOnly {
                            pc,
                            addr: a1.wrapping_add(k as u32),
                        });
                    }
                }
                let words_old = self.words::<TRACE>(a1, n as u32);
                self.mem[off..off + n].copy_from_slice(&bytes);
                regs[A0] = n as u32;
                Ok(SyscallRecord::Read {
                    fd: a0,
                    addr: a1,
                    count: a2,
                    bytes,
                    words_old,
                })
            }
            _ => Err(RunError::UnknownSyscall { pc, number }),
        }
    }
}
