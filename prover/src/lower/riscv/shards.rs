//! An RV32IM run lowered one shard at a time ([`crate::shards`]): the interpreter runs a piece
//! at a time, its steps become rows as they come, and only the rows of the shard being lowered
//! are kept. A shard may end inside a system call's rows; the state its rows hand on (the
//! call's registers and counts) crosses the boundary with the other carried columns.

use zkvm_riscv::{Emulator, Input, Program, RunConfig, RunError, Step};

use super::program::{bytecode_table, ram_base};
use super::trace::{ends_run, unprovable, RowBuilder, RowIn};
use super::{fill, machine_with_cols, memory_log_size_for, RvCols};
use crate::machine::Machine;
use crate::pipeline::PipelineError;
use crate::shards::{ShardColumns, ShardSource};
use ark_bn254::Fr;

/// Steps the interpreter runs between two looks at its trace.
const PIECE: u64 = 1 << 16;

/// An RV32IM run being executed and lowered shard by shard.
pub struct RvShards<'a> {
    program: &'a Program,
    emulator: Emulator<'a>,
    cols: RvCols,
    builder: RowBuilder,
    /// The last step executed, whose successor's pc is not known yet.
    pending: Option<Step>,
    /// Rows built and not yet lowered.
    rows: Vec<RowIn>,
    exited: bool,
    max_cycles: u64,
}

impl<'a> RvShards<'a> {
    /// A run of `program` on `input` with the public output and exit code a first run found.
    pub fn new(
        program: &'a Program,
        input: &'a [u8],
        max_cycles: u64,
        public_output: Vec<Fr>,
        exit_code: u32,
    ) -> Result<Self, RunError> {
        let (_, table_index) = bytecode_table(program);
        Ok(RvShards {
            program,
            emulator: Emulator::new(program, Input::from(input))?,
            cols: machine_with_cols(program, 6).1,
            builder: RowBuilder::new(public_output, exit_code, ram_base(program), table_index),
            pending: None,
            rows: Vec::new(),
            exited: false,
            max_cycles,
        })
    }

    /// Run on until `n` rows are buffered or the program exits.
    fn read_rows(&mut self, n: usize) -> Result<(), PipelineError> {
        while self.rows.len() < n && !self.exited {
            let stop = (self.emulator.cycles() + PIECE).min(self.max_cycles);
            let config = RunConfig {
                max_cycles: stop,
                record_trace: true,
            };
            let exited = match self.emulator.run(&config) {
                Ok(_) => true,
                Err(RunError::CycleLimit { .. }) if stop < self.max_cycles => false,
                Err(e) => return Err(e.into()),
            };
            for step in self.emulator.take_trace() {
                let next_pc = step.pc;
                if let Some(previous) = self.pending.replace(step) {
                    self.builder.push(&previous, next_pc, &mut self.rows)?;
                }
            }
            if exited {
                if let Some(last) = self.pending.take() {
                    if !ends_run(&last) {
                        return Err(unprovable(last.pc, "the run does not end with exit").into());
                    }
                    self.builder.push(&last, last.pc, &mut self.rows)?;
                }
                self.exited = true;
            }
        }
        Ok(())
    }

    /// Run to the end, keeping no rows: the run's rows and memory size.
    pub fn survey(mut self) -> Result<(u64, usize), PipelineError> {
        let mut rows = 0u64;
        while !self.exited {
            self.read_rows(PIECE as usize)?;
            rows += self.rows.len() as u64;
            self.rows.clear();
        }
        Ok((rows, memory_log_size_for(self.builder.max_word)))
    }
}

impl ShardSource for RvShards<'_> {
    fn next_shard(
        &mut self,
        machine: &Machine,
        rows: usize,
        first_cycle: u64,
    ) -> Result<ShardColumns, PipelineError> {
        // The shard's rows and the next shard's first.
        self.read_rows(rows + 1)?;
        let Some(first) = self.rows.first() else {
            return Err(unprovable(self.emulator.pc(), "no rows left for a shard").into());
        };
        let first_out = first.out_idx;
        let ends_run = self.exited && self.rows.len() <= rows;
        let (n_rows, outputs) = if ends_run {
            let len = self.rows.len();
            (
                len.next_power_of_two().max(2),
                self.builder.outputs() - first_out,
            )
        } else {
            (rows + 1, self.rows[rows].out_idx - first_out)
        };
        let take = n_rows.min(self.rows.len());
        let columns = fill(
            machine,
            &self.cols,
            &self.rows[..take],
            n_rows,
            first_cycle,
            &self.builder.table_index,
            self.program,
        )?;
        let done = rows.min(self.rows.len());
        self.rows.drain(..done);
        Ok(ShardColumns {
            columns,
            ends_run,
            outputs,
        })
    }
}
