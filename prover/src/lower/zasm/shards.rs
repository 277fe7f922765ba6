//! A zasm run lowered one shard at a time ([`crate::shards`]): the VM runs a piece at a time,
//! and only the steps of the shard being lowered are kept.

use ark_bn254::Fr;
use zkvm_isa::Program;
use zkvm_vm::{RunConfig, Step, Vm, VmError};

use super::{fill, halts, machine, max_address, memory_log_size_for, Rows, ZasmCols};
use crate::lower::LowerError;
use crate::machine::Machine;
use crate::pipeline::PipelineError;
use crate::shards::{ShardColumns, ShardSource};

/// Steps the VM runs between two looks at its trace.
const PIECE: u64 = 1 << 16;

/// A zasm run being executed and lowered shard by shard.
pub struct ZasmShards<'a> {
    program: &'a Program,
    vm: Vm<'a>,
    cols: ZasmCols,
    /// Steps executed and not yet lowered.
    steps: Vec<Step>,
    halted: bool,
    /// Outputs before the first buffered step.
    out_idx: u64,
    max_cycles: u64,
}

/// What a first pass over a run learns before anything is proven.
#[derive(Clone, Debug)]
pub struct Survey {
    /// Rows (cycles).
    pub rows: u64,
    /// The memory size (log2) covering every address the run touches.
    pub mem_log_size: usize,
    /// The public output.
    pub output: Vec<Fr>,
}

impl<'a> ZasmShards<'a> {
    /// A run of `program` on `inputs`, before its first cycle.
    pub fn new(program: &'a Program, inputs: &'a [Fr], max_cycles: u64) -> Result<Self, VmError> {
        let config = RunConfig {
            max_cycles,
            record_trace: true,
            ..Default::default()
        };
        Ok(ZasmShards {
            program,
            vm: Vm::new(program, inputs, &config)?,
            cols: machine(program, 4).1,
            steps: Vec::new(),
            halted: false,
            out_idx: 0,
            max_cycles,
        })
    }

    /// Run on until `n` steps are buffered or the program halts.
    fn read_steps(&mut self, n: usize) -> Result<(), VmError> {
        while self.steps.len() < n && !self.halted {
            if self.vm.cycles() >= self.max_cycles {
                return Err(self.vm.cycle_limit(self.max_cycles));
            }
            let stop = (self.vm.cycles() + PIECE).min(self.max_cycles);
            self.halted = self.vm.run(stop)?;
            self.steps.extend(self.vm.take_trace());
        }
        Ok(())
    }

    /// Run to the end, keeping no steps: the run's rows, memory size and output.
    pub fn survey(mut self) -> Result<Survey, VmError> {
        let (mut rows, mut highest) = (0u64, 0u64);
        while !self.halted {
            self.read_steps(PIECE as usize)?;
            rows += self.steps.len() as u64;
            highest = highest.max(max_address(&self.steps));
            self.steps.clear();
        }
        Ok(Survey {
            rows,
            mem_log_size: memory_log_size_for(highest),
            output: self.vm.output().to_vec(),
        })
    }
}

impl ShardSource for ZasmShards<'_> {
    fn next_shard(
        &mut self,
        machine: &Machine,
        rows: usize,
        first_cycle: u64,
    ) -> Result<ShardColumns, PipelineError> {
        // The shard's rows, the next shard's first, and that one's successor (its registers).
        self.read_steps(rows + 2)?;
        let ends_run = self.halted && self.steps.len() <= rows;
        let (n_rows, take) = if ends_run {
            if !halts(self.program, &self.steps) {
                return Err(
                    LowerError::Unprovable("the run did not end with `halt`".into()).into(),
                );
            }
            (
                self.steps.len().next_power_of_two().max(2),
                self.steps.len(),
            )
        } else {
            (rows + 1, (rows + 2).min(self.steps.len()))
        };
        let shard = Rows {
            steps: &self.steps[..take],
            first_cycle,
            out_idx: self.out_idx,
            n_rows,
            ends_run,
        };
        let (columns, outputs) = fill(self.program, machine, &self.cols, &shard)?;
        let done = rows.min(self.steps.len());
        self.steps.drain(..done);
        self.out_idx += outputs;
        Ok(ShardColumns {
            columns,
            ends_run,
            outputs,
        })
    }
}
