//! The rows a run becomes: each trace step read on its own (the trace records the registers and
//! RAM words before each write, so nothing is replayed), an `ecall` split into its first row and
//! its second (or chunk) rows, and the input's end marked.

use ark_bn254::Fr;
use zkvm_riscv::{Opcode, Step, SyscallRecord};

use super::flags::supported;
use super::program::{word_address, BytecodeIndex};
use crate::lower::LowerError;

/// One row's inputs, from the trace: the values its groups fill their columns from.
#[derive(Clone, Debug, Default)]
pub struct RowIn {
    pub pc: u32,
    pub imm: i32,
    pub sub: bool,
    pub v1: u32,
    pub v2: u32,
    pub rd_active: bool,
    pub rd_old: u32,
    pub rd_val: u32,
    pub ram_on: bool,
    pub ram_old: u32,
    pub ram_new: u32,
    /// The RAM word's byte address (chunk rows).
    pub ram_addr: u32,
    /// Effective address (loads, stores, ecall buffers) or jalr target before masking.
    pub pc_new: u32,
    pub is_exit: bool,
    pub w1: bool,
    pub w2: bool,
    pub is_read: bool,
    pub got: bool,
    pub put: bool,
    /// Bytes of the call done before this chunk row, and in all.
    pub done: u32,
    pub total: u32,
    /// The chunk covers bytes `lane_start .. lane_end` of its word (`lane_end` 0: no lanes).
    pub lane_start: u32,
    pub lane_end: u32,
    /// Another chunk row of the same call follows.
    pub cont: bool,
    pub sys_a7: u32,
    pub sys_a0: u32,
    pub out_idx: u64,
    /// The input had ended before this row.
    pub eof: bool,
    /// This read is followed by more input (the input has not ended after it).
    pub more: bool,
}

/// The chunk rows of a `read` (`input`: the bytes it wrote at `addr`) or of a public `write`
/// (the bytes it wrote out from `addr`): one row per RAM word the buffer touches (one row with
/// no lanes for no bytes), each starting from `first` (the call's second row). `words_old` are
/// the touched words before the call, in address order; a0 goes from `first.sys_a0` through
/// the bytes done after each row.
fn io_chunks(
    first: RowIn,
    addr: u32,
    bytes: &[u8],
    words_old: &[u32],
    base: u32,
    input: bool,
) -> Result<Vec<RowIn>, &'static str> {
    let total = bytes.len() as u32;
    let mut rows = Vec::new();
    let mut done = 0u32;
    let mut a0 = first.sys_a0;
    let mut words = words_old.iter();
    let missing = "the recorded old words do not match the buffer";
    loop {
        let mut row = RowIn {
            done,
            total,
            rd_active: true,
            rd_old: a0,
            ..first.clone()
        };
        if done < total {
            let p = addr
                .checked_add(done)
                .ok_or("a buffer wraps around the address space")?;
            let a = p & !3;
            if a < base {
                return Err("a buffer below the program image");
            }
            let (s, e) = (p & 3, (4u32).min((p & 3) + total - done));
            let old = *words.next().ok_or(missing)?;
            let mut word = old.to_le_bytes();
            let chunk = &bytes[done as usize..(done + e - s) as usize];
            if input {
                word[s as usize..e as usize].copy_from_slice(chunk);
            } else if &word[s as usize..e as usize] != chunk {
                return Err("the written bytes differ from memory");
            }
            let new = u32::from_le_bytes(word);
            row.got = input;
            row.put = !input;
            row.ram_on = true;
            row.ram_addr = a;
            row.ram_old = old;
            row.ram_new = new;
            row.lane_start = s;
            row.lane_end = e;
            done += e - s;
        }
        row.rd_val = done;
        row.cont = done < total;
        if row.cont {
            // The next chunk row is at the same pc.
            row.pc_new = row.pc;
        }
        a0 = done;
        rows.push(row);
        if done == total {
            return match words.next() {
                Some(_) => Err(missing),
                None => Ok(rows),
            };
        }
    }
}

pub fn unprovable(pc: u32, what: &str) -> LowerError {
    LowerError::Unprovable(format!("{what} at pc {pc:#010x}"))
}

/// The rows of an RV32IM run (its trace, ending with the `exit` system call), and the highest
/// RAM word address it touches.
pub fn rows(
    trace: &[Step],
    public_output: &[Fr],
    exit_code: u32,
    base: u32,
    table_index: &BytecodeIndex,
) -> Result<(Vec<RowIn>, u64), LowerError> {
    let Some(last) = trace.last() else {
        return Err(LowerError::Unprovable("empty trace".into()));
    };
    if !ends_run(last) {
        return Err(unprovable(last.pc, "the run does not end with exit"));
    }
    let mut builder = RowBuilder::new(public_output.to_vec(), exit_code, base, table_index.clone());
    let mut rows: Vec<RowIn> = Vec::with_capacity(trace.len() + 16);
    for (i, step) in trace.iter().enumerate() {
        let next_pc = trace.get(i + 1).map_or(step.pc, |n| n.pc);
        builder.push(step, next_pc, &mut rows)?;
    }
    Ok((rows, builder.max_word))
}

/// Whether `step` ends the run (the `exit` system call).
pub fn ends_run(step: &Step) -> bool {
    matches!(step.syscall.as_deref(), Some(SyscallRecord::Exit { .. }))
}

/// Turns a run's steps into rows one step at a time, carrying what runs along the rows (the
/// output count, the input's end) and the highest RAM word touched.
pub struct RowBuilder {
    public_output: Vec<Fr>,
    exit_code: u32,
    base: u32,
    /// Where each instruction's row is in the bytecode table.
    pub table_index: BytecodeIndex,
    out_idx: u64,
    input_ended: bool,
    /// The highest RAM word address touched so far.
    pub max_word: u64,
}

impl RowBuilder {
    /// The public output elements of the rows built so far.
    pub fn outputs(&self) -> u64 {
        self.out_idx
    }
}

impl RowBuilder {
    /// A builder for a run with this public output and exit code.
    pub fn new(
        public_output: Vec<Fr>,
        exit_code: u32,
        base: u32,
        table_index: BytecodeIndex,
    ) -> Self {
        RowBuilder {
            public_output,
            exit_code,
            base,
            table_index,
            out_idx: 0,
            input_ended: false,
            max_word: 0,
        }
    }

    /// Append the rows of `step`, whose successor is at `next_pc`, to `rows`.
    pub fn push(
        &mut self,
        step: &Step,
        next_pc: u32,
        rows: &mut Vec<RowIn>,
    ) -> Result<(), LowerError> {
        let from = rows.len();
        self.push_rows(step, next_pc, rows)?;
        // The input ends after the first read that returns fewer bytes than it asked for.
        for r in &mut rows[from..] {
            r.eof = self.input_ended;
            let read_last = r.is_read && !r.cont;
            self.input_ended |= read_last && r.total < r.v2;
            r.more = read_last && !self.input_ended;
        }
        Ok(())
    }

    fn push_rows(
        &mut self,
        step: &Step,
        next_pc: u32,
        rows: &mut Vec<RowIn>,
    ) -> Result<(), LowerError> {
        let (public_output, exit_code, base, table_index) = (
            &self.public_output,
            self.exit_code,
            self.base,
            &self.table_index,
        );
        let (out_idx, max_word) = (&mut self.out_idx, &mut self.max_word);
        let op = step.instr.opcode();
        if !supported(op) || !table_index.contains_key(&(step.pc, false)) {
            return Err(unprovable(
                step.pc,
                &format!("unsupported instruction {op}"),
            ));
        }
        let o = step.instr.operands();
        if op == Opcode::Ecall {
            let Some(sys) = step.syscall.as_deref() else {
                return Err(unprovable(step.pc, "ecall without a record"));
            };
            let [a0, a1, a2, a7] = sys.args();
            let r0 = RowIn {
                pc: step.pc,
                v1: a7,
                v2: a0,
                sys_a7: a7,
                sys_a0: a0,
                out_idx: *out_idx,
                pc_new: step.pc,
                ..RowIn::default()
            };
            let r1 = RowIn {
                pc: step.pc,
                sub: true,
                v1: a1,
                v2: a2,
                sys_a7: a7,
                sys_a0: a0,
                out_idx: *out_idx,
                pc_new: step.pc.wrapping_add(4),
                ..RowIn::default()
            };
            rows.push(r0);
            match sys {
                SyscallRecord::Exit { code, .. } => {
                    if *code != exit_code {
                        return Err(unprovable(
                            step.pc,
                            &format!("exit code {code} is not the public exit code {exit_code}"),
                        ));
                    }
                    rows.push(RowIn {
                        is_exit: true,
                        pc_new: step.pc,
                        ..r1
                    });
                }
                SyscallRecord::Write { fd: 2, .. } => {
                    rows.push(RowIn {
                        w2: true,
                        rd_active: true,
                        rd_old: a0,
                        rd_val: a2,
                        ..r1
                    });
                }
                SyscallRecord::Write {
                    addr,
                    bytes,
                    words_old,
                    ..
                } => {
                    let expected =
                        public_output.get(*out_idx as usize..*out_idx as usize + bytes.len());
                    if expected.is_none_or(|o| o.iter().zip(bytes).any(|(w, b)| *w != Fr::from(*b)))
                    {
                        return Err(unprovable(
                            step.pc,
                            "output bytes differ from the public output",
                        ));
                    }
                    let first = RowIn { w1: true, ..r1 };
                    let chunks = io_chunks(first, *addr, bytes, words_old, base, false)
                        .map_err(|what| unprovable(step.pc, what))?;
                    for mut row in chunks {
                        row.out_idx = *out_idx;
                        *out_idx += u64::from(row.lane_end - row.lane_start);
                        if row.ram_on {
                            *max_word = (*max_word).max(word_address(base, row.ram_addr));
                        }
                        rows.push(row);
                    }
                }
                SyscallRecord::Read {
                    addr,
                    bytes,
                    words_old,
                    ..
                } => {
                    let first = RowIn {
                        is_read: true,
                        ..r1
                    };
                    let chunks = io_chunks(first, *addr, bytes, words_old, base, true)
                        .map_err(|what| unprovable(step.pc, what))?;
                    for row in chunks {
                        if row.ram_on {
                            *max_word = (*max_word).max(word_address(base, row.ram_addr));
                        }
                        rows.push(row);
                    }
                }
            }
            return Ok(());
        }
        let (v1, v2) = (step.rs1_val, step.rs2_val);
        let mut r = RowIn {
            pc: step.pc,
            imm: o.imm,
            v1: if matches!(
                op,
                Opcode::Lui | Opcode::Auipc | Opcode::Jal | Opcode::Fence
            ) {
                0
            } else {
                v1
            },
            v2: if matches!(
                op.format(),
                zkvm_riscv::Format::R | zkvm_riscv::Format::S | zkvm_riscv::Format::B
            ) {
                v2
            } else {
                0
            },
            out_idx: *out_idx,
            pc_new: next_pc,
            ..RowIn::default()
        };
        // The interpreter's result (also where rd is x0): the constraints check it.
        r.rd_val = step.rd_val;
        if step.instr.rd().is_some_and(|rd| rd != 0) {
            r.rd_active = true;
            r.rd_old = step.rd_old;
        }
        if let Some(m) = step.mem {
            let a = m.addr & !3;
            if a < base {
                return Err(unprovable(step.pc, "memory access below the program image"));
            }
            r.ram_on = true;
            r.ram_old = m.word_old;
            r.ram_new = m.word_new();
            *max_word = (*max_word).max(word_address(base, a));
        }
        rows.push(r);
        Ok(())
    }
}
