//! zasm → the constraint system. One row per cycle; a field operation costs one constraint.
//!
//! The semantics encoded here are `isa/README.md`'s: three memory slots `dst`, `op0`, `op1`
//! (`Instruction::{dst_use, op0_use, op1_use}` say which are read or written), `res = op1`,
//! `op0 + op1` or `op0 · op1`, and the pc/ap/fp updates. Every instruction field is fetched from
//! the public bytecode table, so the constraints may trust them.
//!
//! # Layout
//! One file per instruction group, each with its constraints (`eval`) beside the witness code
//! that satisfies them (`fill`): [`operands`] (addresses, op1's source, the memory slots),
//! [`alu`] (the result, assignments, assertions, calls) and [`control`] (pc/ap/fp updates, `jnz`,
//! transitions, boundaries, the output count). [`columns`] declares every column once (with the
//! column-by-column review), [`flags`] the bytecode fields. This file assembles the machine and
//! fills the witness row by row.

pub mod alu;
pub mod columns;
pub mod control;
pub mod flags;
pub mod operands;
pub mod shards;

use ark_bn254::Fr;
use ark_ff::Zero;
use zkvm_isa::{Instruction, Opcode, Program};
use zkvm_vm::Step;

use super::{fill_rows, finish_witness, LowerError, Witness};
use crate::machine::{
    cur, offline_memory, one, Builder, LookupUse, Machine, MemoryLayout, OutputLane, ProgramDigest,
    PublicValues, TableId,
};
pub use columns::ZasmCols;
pub use flags::{bytecode_row, Field};

/// The zasm machine for `program` over a memory of `2^mem_log_size` cells (the run's output is
/// a public value beside it).
pub fn machine(program: &Program, mem_log_size: usize) -> (Machine, ZasmCols) {
    let mut bld = Builder::default();
    let c = ZasmCols::declare(&mut bld);
    let mut lookups = Vec::new();
    operands::eval(&mut bld, &c, &mut lookups);
    alu::eval(&mut bld, &c);
    control::eval(&mut bld, &c, &mut lookups, program.entry);
    let slots = operands::memory_slots(&c);
    let mut all_lookups = offline_memory::constrain(&mut bld, &slots, c.cycle);
    all_lookups.extend(lookups);
    all_lookups.push(LookupUse {
        name: "instruction fetch".into(),
        table: TableId::Bytecode,
        active: one(),
        tuple: c.fields.iter().map(|&col| cur(col)).collect(),
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
        lookups: all_lookups,
        bytecode,
        memory: MemoryLayout {
            log_size: mem_log_size,
            init: Vec::new(),
            init_flag: Fr::zero(),
            permissions: None,
            committed_init: false,
        },
        outputs: vec![OutputLane {
            active: c.f(Field::OpOutput),
            index: cur(c.out_idx),
            value: cur(c.dst_read_value),
        }],
        uses_bitwise: false,
        shout_fetch: None,
        split_tables: None,
        twist_memory: None,
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

/// What one row is filled from.
pub struct RowIn<'a> {
    /// The step (the final `halt` again on padding rows).
    pub step: &'a Step,
    /// Its instruction.
    pub instr: &'a Instruction,
    /// The next step: `None` on the last step and on padding rows, which stay where they are.
    pub next: Option<&'a Step>,
    /// A padding row past the end of the run: it accesses no memory.
    pub padding: bool,
    /// The row index.
    pub cycle: u64,
    /// Outputs before this row.
    pub out_idx: u64,
}

/// Lower a zasm run (its trace, which must end with `halt`) to a machine and a witness for the
/// public values `public` (its output; exit code 0).
pub fn lower(
    program: &Program,
    trace: &[Step],
    public: &PublicValues,
) -> Result<(Machine, Witness), LowerError> {
    if !halts(program, trace) {
        return Err(LowerError::Unprovable(
            "the run did not end with `halt`".into(),
        ));
    }
    let (machine, c) = machine(program, memory_log_size(trace));
    let rows = Rows {
        steps: trace,
        first_cycle: 0,
        out_idx: 0,
        n_rows: trace.len().next_power_of_two().max(2),
        ends_run: true,
    };
    let (columns, _) = fill(program, &machine, &c, &rows)?;
    let witness = finish_witness(&machine, public, columns)?;
    Ok((machine, witness))
}

/// Whether `steps` ends with a `halt`.
pub fn halts(program: &Program, steps: &[Step]) -> bool {
    steps
        .last()
        .and_then(|s| program.instructions.get(s.pc as usize))
        .is_some_and(|i| i.opcode == Opcode::Halt)
}

/// The highest memory address `steps` touch (or `ap`, `fp` point at).
pub fn max_address(steps: &[Step]) -> u64 {
    steps
        .iter()
        .flat_map(|s| s.accesses.iter().flatten().map(|a| a.addr as u64))
        .chain(steps.iter().flat_map(|s| [s.ap as u64, s.fp as u64]))
        .max()
        .unwrap_or(0)
}

/// The memory size (log2) for a run whose highest address is `max_address`.
pub fn memory_log_size_for(max_address: u64) -> usize {
    ((max_address + 1).next_power_of_two().trailing_zeros() as usize).max(4)
}

fn memory_log_size(trace: &[Step]) -> usize {
    memory_log_size_for(max_address(trace))
}

/// Consecutive steps of a run, to become rows `first_cycle..first_cycle + n_rows`.
pub struct Rows<'a> {
    /// The steps: one per row, and one more past the last row when the run goes on (its
    /// successor's registers).
    pub steps: &'a [Step],
    /// The first row's cycle.
    pub first_cycle: u64,
    /// Outputs before the first row.
    pub out_idx: u64,
    /// Rows to fill.
    pub n_rows: usize,
    /// The steps end the run: rows past them repeat the final `halt`. Otherwise the last row
    /// filled is the next shard's first (its carried columns are this shard's exit), and
    /// emits nothing of this shard's.
    pub ends_run: bool,
}

/// The columns of `rows` (before memory checking and lookups), and the outputs they emit.
pub fn fill(
    program: &Program,
    machine: &Machine,
    c: &ZasmCols,
    rows: &Rows,
) -> Result<(Vec<Vec<Fr>>, u64), LowerError> {
    let instr = |s: &Step| &program.instructions[s.pc as usize];
    let trace = rows.steps;
    // The output count is the one value that runs along the trace: a prefix sum.
    let out_idx: Vec<u64> = trace
        .iter()
        .scan(rows.out_idx, |count, s| {
            let before = *count;
            *count += u64::from(instr(s).opcode == Opcode::Output);
            Some(before)
        })
        .collect();
    let last = trace.len() - 1;
    let columns = fill_rows(machine.column_names.len(), rows.n_rows, |t, v| {
        let step = &trace[t.min(last)];
        let padding = rows.ends_run && t > last;
        let r = RowIn {
            step,
            instr: instr(step),
            next: trace.get(t + 1).filter(|_| !padding),
            padding,
            cycle: rows.first_cycle + t as u64,
            // Padding rows repeat the final halt, which outputs nothing.
            out_idx: out_idx[t.min(last)],
        };
        for (col, value) in c.fields.iter().zip(bytecode_row(step.pc as usize, r.instr)) {
            v[*col] = value;
        }
        let reads = operands::fill(c, v, &r);
        alu::fill(c, v, &r, reads);
        control::fill(c, v, &r, reads);
        Ok(())
    })?;
    let emitted = rows
        .steps
        .iter()
        .take(rows.n_rows - usize::from(!rows.ends_run))
        .filter(|s| instr(s).opcode == Opcode::Output)
        .count();
    Ok((columns, emitted as u64))
}
