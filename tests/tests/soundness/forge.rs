//! A malicious prover: it starts from an honest witness, changes it, patches what follows
//! (memory timestamps and the final memory, later reads of a changed cell, lookup
//! multiplicities — padding rows included — and the claimed public values), proves the result
//! with the real prover and hands the bytes to the verifier that `zkvm verify` runs.
//!
//! A [`Verdict`] then records which mechanisms the forged witness trips: the constraints the row
//! checker finds unsatisfied, the multisets that do not balance (memory, output, each lookup
//! table), and the verifier's stage. A tamper test asserts all three, so it shows that the
//! tamper is caught by the one check it targets — and by the verifier itself, not only by the
//! row checker.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use ark_bn254::Fr;
use ark_ff::Zero;
use zkvm_prover::lower::{self, Witness};
use zkvm_prover::machine::balance::{unbalanced_multisets, Multiset};
use zkvm_prover::machine::fetch::{FetchArgument, ShoutFetch};
use zkvm_prover::machine::split_tables::{HighHalf, LookupTables};
use zkvm_prover::machine::twist_memory::{MemoryArgument, TwistMemory};
use zkvm_prover::machine::{table_cols, LookupUse, Machine, PublicValues, TableId};
use zkvm_prover::pipeline::{self, setup_for, PipelineError};
use zkvm_prover::poly::small_value;
use zkvm_prover::proof::{self, ProofError, VmProof};
use zkvm_prover::shout::bits;

/// The program a forgery is for.
#[derive(Clone)]
pub enum Program {
    /// zasm.
    Zasm(zkvm_isa::Program),
    /// RV32IM.
    Rv(zkvm_riscv::Program),
}

/// A witness under forgery, with the statement it claims.
#[derive(Clone)]
pub struct Forge {
    /// The program.
    pub program: Program,
    /// The machine the prover proves against (fixed by the program and the memory size).
    pub machine: Machine,
    /// The public values the forged proof claims.
    pub public: PublicValues,
    /// The witness columns.
    pub cols: Vec<Vec<Fr>>,
    /// Memory reads whose claimed value is kept as set (not patched to the cell's value).
    pinned: Vec<(usize, usize)>,
    /// Pinned accesses whose timestamp limbs are kept as set, too.
    kept_limbs: Vec<(usize, usize)>,
}

/// What a forged proof ran into.
#[derive(Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The constraints the row checker finds unsatisfied.
    pub constraints: Vec<String>,
    /// The lookups with an active row whose tuple is in no (real) row of their table.
    pub lookups: Vec<String>,
    /// The multisets that do not balance.
    pub multisets: Vec<Multiset>,
    /// The verifier's rejection: the stage (`"spartan"`, `"memory checking and lookups"`,
    /// `"program"`, `"shape"`, …), or `None` if it accepted.
    pub rejected_by: Option<String>,
}

impl Verdict {
    /// The verifier rejected at `stage`, the row checker found exactly `constraints`, exactly
    /// `lookups` missed their tables, and exactly `multisets` did not balance.
    #[track_caller]
    pub fn assert(
        &self,
        stage: &str,
        constraints: &[&str],
        lookups: &[&str],
        multisets: &[Multiset],
    ) {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        let expected = Verdict {
            constraints: strings(constraints),
            lookups: strings(lookups),
            multisets: multisets.to_vec(),
            rejected_by: Some(stage.to_string()),
        };
        assert_eq!(self, &expected, "the forgery was not caught as expected");
    }

    /// Caught by one constraint alone: the verifier's R1CS stage (Spartan) rejects, and memory
    /// and every lookup balance.
    #[track_caller]
    pub fn assert_constraint(&self, name: &str) {
        self.assert("spartan", &[name], &[], &[]);
    }

    /// Caught by one lookup alone: every constraint holds, the lookup `name` misses its table
    /// (whose multiset `m` then does not balance) and the verifier's LogUp stage rejects.
    #[track_caller]
    pub fn assert_lookup(&self, name: &str, m: Multiset) {
        self.assert("memory checking and lookups", &[], &[name], &[m]);
    }

    /// Caught by Twist memory checking alone: every constraint holds, every lookup finds its
    /// tuple and balances, and the verifier's Twist stage rejects.
    #[track_caller]
    pub fn assert_twist(&self) {
        self.assert("memory checking (twist)", &[], &[], &[]);
    }

    /// Caught by one multiset alone (memory, the public output, or a table's multiplicities):
    /// every constraint holds, every lookup finds its tuple, and the verifier's LogUp stage
    /// rejects.
    #[track_caller]
    pub fn assert_multiset(&self, m: Multiset) {
        self.assert("memory checking and lookups", &[], &[], &[m]);
    }
}

impl Forge {
    /// The honest witness of a zasm run.
    pub fn zasm(source: &str, input: &[Fr]) -> Forge {
        let program = zkvm_assembler::assemble_str("forge.zasm", source).expect("assembles");
        let config = zkvm_vm::RunConfig {
            record_trace: true,
            ..Default::default()
        };
        let exec = zkvm_vm::run(&program, input, &config).expect("the honest run succeeds");
        Forge::zasm_run(program, exec)
    }

    /// The witness of a zasm run whose registers `change` sets before cycle `cycle` (0: before
    /// the first): each row's next registers are the following row's, so the only constraint
    /// the change breaks is the one that fixes the registers after cycle `cycle − 1` (or at
    /// the start).
    pub fn zasm_deviated(
        source: &str,
        input: &[Fr],
        cycle: u64,
        change: impl FnOnce(&mut zkvm_vm::Registers),
    ) -> Forge {
        let program = zkvm_assembler::assemble_str("forge.zasm", source).expect("assembles");
        let config = zkvm_vm::RunConfig {
            record_trace: true,
            ..Default::default()
        };
        let mut vm = zkvm_vm::Vm::new(&program, input, &config).expect("a valid program");
        assert!(!vm.run(cycle).expect("runs"), "halted before the change");
        let mut registers = vm.registers();
        change(&mut registers);
        vm.set_registers(registers);
        assert!(vm.run(1 << 16).expect("the changed run runs"), "halts");
        let exec = vm.into_execution();
        Forge::zasm_run(program.clone(), exec)
    }

    fn zasm_run(program: zkvm_isa::Program, exec: zkvm_vm::Execution) -> Forge {
        let trace = exec.trace.expect("trace");
        let public = PublicValues {
            output: exec.output,
            exit_code: 0,
            shard: None,
        };
        let (machine, witness) = lower::zasm::lower(&program, &trace, &public).expect("lowers");
        Forge {
            program: Program::Zasm(program),
            machine,
            public,
            cols: witness.columns,
            pinned: Vec::new(),
            kept_limbs: Vec::new(),
        }
    }

    /// The honest witness of an RV32IM run.
    pub fn rv(program: zkvm_riscv::Program, input: &[u8]) -> Forge {
        let config = zkvm_riscv::RunConfig {
            max_cycles: 1 << 16,
            record_trace: true,
        };
        let exec = zkvm_riscv::run(&program, input, &config).expect("the honest run succeeds");
        Forge::rv_run(program, exec)
    }

    /// The witness of an RV32IM run whose pc `change` sets before cycle `cycle` (0: before
    /// the first): each row's next pc is the following row's, so the only constraint the
    /// change breaks is the one that fixes the pc after cycle `cycle − 1` (or at the start).
    pub fn rv_deviated(
        program: zkvm_riscv::Program,
        input: &[u8],
        cycle: u64,
        change: impl FnOnce(u32) -> u32,
    ) -> Forge {
        let config = |max_cycles| zkvm_riscv::RunConfig {
            max_cycles,
            record_trace: true,
        };
        let mut m = zkvm_riscv::Emulator::new(&program, input).expect("a valid program");
        if cycle > 0 {
            let stopped = m.run(&config(cycle));
            assert!(
                matches!(stopped, Err(zkvm_riscv::RunError::CycleLimit { .. })),
                "runs past cycle {cycle}: {stopped:?}"
            );
        }
        m.set_pc(change(m.pc()));
        let code = m.run(&config(1 << 16)).expect("the changed run exits");
        let exec = m.into_execution(code);
        Forge::rv_run(program, exec)
    }

    fn rv_run(program: zkvm_riscv::Program, exec: zkvm_riscv::Execution) -> Forge {
        let public = PublicValues {
            output: lower::riscv::public_output_bytes(&exec.stdout),
            exit_code: exec.exit_code,
            shard: None,
        };
        let trace = exec.trace.expect("trace");
        let (machine, witness) = lower::riscv::lower(&program, &trace, &public).expect("lowers");
        Forge {
            program: Program::Rv(program),
            machine,
            public,
            cols: witness.columns,
            pinned: Vec::new(),
            kept_limbs: Vec::new(),
        }
    }

    /// The column named `name`.
    #[track_caller]
    pub fn col(&self, name: &str) -> usize {
        let mut hits = self.machine.column_names.iter().enumerate();
        let found = hits.find(|(_, n)| *n == name).map(|(i, _)| i);
        found.unwrap_or_else(|| panic!("no column {name}"))
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.cols[0].len()
    }

    /// The value of `name` on `row`.
    pub fn get(&self, name: &str, row: usize) -> Fr {
        self.cols[self.col(name)][row]
    }

    /// Set `name` on `row`.
    pub fn set(&mut self, name: &str, row: usize, v: Fr) {
        let c = self.col(name);
        self.cols[c][row] = v;
    }

    /// Set `name` on `row` to a small integer (negative values wrap into the field).
    pub fn set_i(&mut self, name: &str, row: usize, v: i64) {
        self.set(name, row, zkvm_prover::r1cs::fr_from_i64(v));
    }

    /// The value of `name` on `row` as an integer.
    pub fn get_u(&self, name: &str, row: usize) -> u64 {
        small_value(self.get(name, row)).expect("a small value")
    }

    /// The rows where every `(column, value)` holds.
    pub fn rows_where(&self, conds: &[(&str, u64)]) -> Vec<usize> {
        (0..self.rows())
            .filter(|&t| conds.iter().all(|(c, v)| self.get(c, t) == Fr::from(*v)))
            .collect()
    }

    /// The first row where every `(column, value)` holds.
    #[track_caller]
    pub fn row_where(&self, conds: &[(&str, u64)]) -> usize {
        *self
            .rows_where(conds)
            .first()
            .unwrap_or_else(|| panic!("no row with {conds:?}"))
    }

    /// Keep the claimed read value of slot `slot` on `row` (a stale read), instead of patching
    /// it to the cell's value.
    pub fn pin_read(&mut self, slot: &str, row: usize) {
        let s = self.slot(slot);
        self.pinned.push((s, row));
    }

    /// Pin the access of slot number `slot` on `row` entirely: its read value, timestamp, flag
    /// and timestamp limbs are kept as they are set.
    pub fn pin_access(&mut self, slot: usize, row: usize) {
        self.pinned.push((slot, row));
        self.kept_limbs.push((slot, row));
    }

    /// Undo [`Forge::pin_access`].
    pub fn unpin_access(&mut self, slot: usize, row: usize) {
        self.pinned.retain(|p| *p != (slot, row));
        self.kept_limbs.retain(|p| *p != (slot, row));
    }

    fn slot(&self, name: &str) -> usize {
        self.machine
            .slots
            .iter()
            .position(|s| s.name == name)
            .unwrap_or_else(|| panic!("no slot {name}"))
    }

    /// Claim another public output (and rebuild the machine for `program`, which a test may
    /// have replaced).
    pub fn claim_output(&mut self, output: Vec<Fr>) {
        self.public.output = output;
        self.rebuild();
    }

    /// Claim another exit code (and rebuild the machine, as [`Forge::claim_output`]).
    pub fn claim_exit_code(&mut self, code: u32) {
        self.public.exit_code = code;
        self.rebuild();
    }

    /// The machine of `program` over the current memory size.
    fn rebuild(&mut self) {
        let mem = self.machine.memory.log_size;
        self.machine = match &self.program {
            Program::Zasm(p) => lower::zasm::machine(p, mem).0,
            Program::Rv(p) => lower::riscv::machine(p, mem),
        };
    }

    /// Claim the output the witness's output rows carry once memory is patched.
    pub fn claim_output_from_witness(&mut self) {
        self.complete();
        let mut out = Vec::new();
        for t in 0..self.rows() {
            for lane in &self.machine.outputs {
                if !lane.active.eval_row(&self.cols, t).is_zero() {
                    let i = lane.index.eval_row(&self.cols, t);
                    out.push((i, lane.value.eval_row(&self.cols, t)));
                }
            }
        }
        out.sort_by_key(|(i, _)| small_value(*i));
        let out = out.into_iter().map(|(_, v)| v).collect();
        self.claim_output(out);
    }

    /// Patch what follows from the columns as they are: every read but the pinned ones gets
    /// the value, timestamp and initialised flag its cell holds (a pure read keeps writing the
    /// value back); timestamps' limbs, permissions and multiplicities follow; and the final
    /// memory of a cell with a pinned access is whatever tuple balances its multiset, if one
    /// does — the best a forger can do.
    pub fn complete(&mut self) -> Witness {
        let m = &self.machine;
        let size = 1usize << m.memory.log_size;
        let mut value = vec![Fr::zero(); size];
        let mut ts = vec![0u64; size];
        let mut flag = vec![m.memory.init_flag; size];
        for (a, v) in &m.memory.init {
            value[*a as usize] = *v;
        }
        let permission = |a: u64| -> u64 {
            m.memory.permissions.as_ref().map_or(2, |ranges| {
                ranges
                    .iter()
                    .find(|(s, e, _)| (*s..*e).contains(&a))
                    .map_or(0, |r| r.2)
            })
        };
        // Per cell with a pinned access: tuples produced minus tuples consumed.
        type Tuple = (Fr, Fr, Fr);
        let mut ledger: HashMap<usize, Vec<(Tuple, i64)>> = HashMap::new();
        let mut book = |a: usize, t: Tuple, k: i64| {
            let entry = ledger.entry(a).or_default();
            match entry.iter_mut().find(|(x, _)| *x == t) {
                Some(e) => e.1 += k,
                None => entry.push((t, k)),
            }
        };
        let pinned_cells: Vec<usize> = {
            let cols = &self.cols;
            self.pinned
                .iter()
                .filter_map(|&(s, t)| small_value(m.slots[s].addr.eval_row(cols, t)))
                .map(|a| a as usize)
                // A cell outside the memory table has no initial tuple to book.
                .filter(|a| *a < size)
                .fold(Vec::new(), |mut cells, a| {
                    // A cell with several pinned accesses has one initial tuple.
                    if !cells.contains(&a) {
                        cells.push(a);
                    }
                    cells
                })
        };
        for &a in &pinned_cells {
            book(a, (value[a], Fr::zero(), flag[a]), 1);
        }
        let cols = &mut self.cols;
        let n = m.slots.len() as u64;
        for t in 0..cols[0].len() {
            for (s, slot) in m.slots.iter().enumerate() {
                if slot.active.eval_row(cols, t).is_zero() {
                    continue;
                }
                let Some(a) = small_value(slot.addr.eval_row(cols, t))
                    .map(|a| a as usize)
                    .filter(|a| *a < size)
                else {
                    continue; // no honest patch exists: the multiset will not balance
                };
                // The cycle column, as the constraints read it (a forgery may shift it).
                let cycle = small_value(cols[m.cycle_col][t]).unwrap_or(t as u64);
                let now = n * cycle + s as u64 + 1;
                let (r, w) = (slot.read_value, slot.write_value);
                if self.kept_limbs.contains(&(s, t)) {
                    // The whole access stands as set.
                } else if self.pinned.contains(&(s, t)) {
                    // The claimed read stands; a read from the future gets limbs that satisfy
                    // the constraint, and only the range check can object.
                    let diff = Fr::from(now) - cols[slot.read_ts][t] - Fr::from(1u64);
                    match small_value(diff).filter(|d| *d < 1 << 32) {
                        Some(d) => {
                            cols[slot.ts_diff_limbs.0][t] = Fr::from(d & 0xffff);
                            cols[slot.ts_diff_limbs.1][t] = Fr::from(d >> 16);
                        }
                        None => {
                            cols[slot.ts_diff_limbs.0][t] = diff;
                            cols[slot.ts_diff_limbs.1][t] = Fr::zero();
                        }
                    }
                } else {
                    if cols[w][t] == cols[r][t] {
                        cols[w][t] = value[a];
                    }
                    cols[r][t] = value[a];
                    let diff = now - ts[a] - 1;
                    cols[slot.read_ts][t] = Fr::from(ts[a]);
                    cols[slot.ts_diff_limbs.0][t] = Fr::from(diff & 0xffff);
                    cols[slot.ts_diff_limbs.1][t] = Fr::from(diff >> 16);
                    if let Some(f) = slot.read_init_flag {
                        cols[f][t] = flag[a];
                    }
                }
                if let Some(p) = slot.permission {
                    cols[p][t] = Fr::from(permission(a as u64));
                }
                if pinned_cells.contains(&a) {
                    let read_flag = slot.read_init_flag.map_or(Fr::from(1u64), |f| cols[f][t]);
                    book(a, (cols[r][t], cols[slot.read_ts][t], read_flag), -1);
                    book(a, (cols[w][t], Fr::from(now), Fr::from(1u64)), 1);
                }
                value[a] = cols[w][t];
                ts[a] = now;
                flag[a] = Fr::from(1u64);
            }
        }
        let mut final_ts: Vec<Fr> = ts.into_iter().map(Fr::from).collect();
        for (a, entries) in ledger {
            let left: Vec<&(Tuple, i64)> = entries.iter().filter(|(_, k)| *k != 0).collect();
            if let [((v, t, f), 1)] = left.as_slice() {
                (value[a], final_ts[a], flag[a]) = (*v, *t, *f);
            }
        }
        let mut table_columns = vec![Vec::new(); table_cols::COUNT];
        table_columns[table_cols::MEM_FINAL_VALUE] = value;
        table_columns[table_cols::MEM_FINAL_TS] = final_ts;
        table_columns[table_cols::MEM_FINAL_FLAG] = flag;
        for table in lower::tables_used(m) {
            table_columns[zkvm_prover::machine::logup::multiplicity_column(table)] =
                multiplicities(m, cols, table);
        }
        Witness {
            columns: cols.clone(),
            table_columns,
        }
    }

    /// Complete the witness, prove it with the real prover and verify the bytes as
    /// `zkvm verify` does.
    pub fn prove(&mut self) -> Verdict {
        self.prove_edited(|_| {})
    }

    /// [`Forge::prove`], with a last change to the completed witness (its table side).
    pub fn prove_edited(&mut self, edit: impl FnOnce(&mut Witness)) -> Verdict {
        let mut witness = self.complete();
        edit(&mut witness);
        let machine = self.machine.clone();
        self.verdict(&machine, witness)
    }

    /// [`Forge::prove`] with instruction fetch by Shout: the completed witness gets the bits of
    /// its index column (modulo the padded table, as a forger fetching past the bytecode would
    /// set them), `edit` makes a last change (to the bits, say), and the real prover proves it
    /// against the Shout-fetch machine.
    pub fn prove_shout(&mut self, edit: impl FnOnce(&mut Witness, &ShoutFetch)) -> Verdict {
        let (machine, witness) = self.shout_witness(edit);
        self.verdict(&machine, witness)
    }

    /// The Shout-fetch machine and the completed witness with its bits, edited by `edit`
    /// ([`Forge::prove_shout`]).
    pub fn shout_witness(
        &mut self,
        edit: impl FnOnce(&mut Witness, &ShoutFetch),
    ) -> (Machine, Witness) {
        let mut witness = self.complete();
        let machine = self
            .machine
            .clone()
            .with_fetch(FetchArgument::Shout)
            .expect("a lowering's machine fetches by LogUp");
        let fetch = machine.shout_fetch.clone().expect("a Shout-fetch machine");
        let mask = (1u64 << fetch.bits.len()) - 1;
        let indices: Vec<u32> = witness.columns[fetch.fields[0]]
            .iter()
            .map(|v| (small_value(*v).unwrap_or(0) & mask) as u32)
            .collect();
        witness
            .columns
            .extend(bits::bit_columns(fetch.bits.len(), &indices));
        edit(&mut witness, &fetch);
        (machine, witness)
    }

    /// [`Forge::prove`] with the memory checked by Twist: the completed witness (its timestamp
    /// columns zeroed, as Twist leaves them unused) gets every slot's address bits — the bits of
    /// its address modulo the slot's width on active rows (as a forger addressing past it would
    /// set them), 0 elsewhere — `edit` makes a last change (to the bits, say), and the
    /// real prover proves it against the Twist-memory machine.
    pub fn prove_twist(&mut self, edit: impl FnOnce(&mut Witness, &TwistMemory)) -> Verdict {
        let mut witness = self.complete();
        let machine = self
            .machine
            .clone()
            .with_memory(MemoryArgument::Twist)
            .expect("a lowering's machine checks memory offline");
        let twist = machine
            .twist_memory
            .clone()
            .expect("a Twist-memory machine");
        let rows = self.rows();
        for c in &twist.unused {
            witness.columns[*c] = vec![Fr::zero(); rows];
        }
        for (slot, bits) in machine.slots.iter().zip(&twist.bits) {
            let cols = &witness.columns;
            let addresses: Vec<u64> = (0..rows)
                .map(|t| match slot.active.eval_row(cols, t).is_zero() {
                    true => 0,
                    false => small_value(slot.addr.eval_row(cols, t)).unwrap_or(0),
                })
                .collect();
            for i in 0..bits.len() {
                let shift = bits.len() - 1 - i;
                let column = addresses
                    .iter()
                    .map(|a| Fr::from((a >> shift) & 1))
                    .collect();
                witness.columns.push(column);
            }
        }
        for table in lower::tables_used(&machine) {
            witness.table_columns[zkvm_prover::machine::logup::multiplicity_column(table)] =
                multiplicities(&machine, &witness.columns, table);
        }
        edit(&mut witness, &twist);
        self.verdict(&machine, witness)
    }

    /// [`Forge::prove`] with split range and bitwise tables: the completed witness gets the
    /// high halves of the split lookups as `high(half, row, whole)` chooses them (`whole` the
    /// value looked up on an active row; [`honest_high`] splits it as the prover does), `edit` makes a
    /// last change, and the real prover proves it against the split-table machine.
    pub fn prove_split(
        &mut self,
        high: impl Fn(&HighHalf, usize, Fr) -> Fr,
        edit: impl FnOnce(&mut Witness),
    ) -> Verdict {
        let mut witness = self.complete();
        let machine = self
            .machine
            .clone()
            .with_lookup_tables(LookupTables::Split)
            .expect("a lowering's machine uses the full tables");
        for half in machine.split_tables.as_deref().unwrap_or_default() {
            let cols = &witness.columns;
            let column = (0..self.rows())
                .map(|t| match half.active.eval_row(cols, t).is_zero() {
                    true => Fr::zero(),
                    false => high(half, t, half.whole.eval_row(cols, t)),
                })
                .collect();
            witness.columns.push(column);
        }
        for table in lower::tables_used(&machine) {
            witness.table_columns[zkvm_prover::machine::logup::multiplicity_column(table)] =
                multiplicities(&machine, &witness.columns, table);
        }
        edit(&mut witness);
        self.verdict(&machine, witness)
    }

    /// Check `witness` against `machine` with the row checker and the multiset balance, prove
    /// it with the real prover and verify the proof as `zkvm verify` does.
    fn verdict(&self, machine: &Machine, witness: Witness) -> Verdict {
        let constraints = self
            .public
            .bind(machine)
            .expect("the machine's public values are bound")
            .unsatisfied(&witness.columns)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        let multisets = unbalanced_multisets(
            machine,
            &self.public,
            &witness.columns,
            &witness.table_columns,
        );
        let lookups = missed_lookups(machine, &witness.columns);
        let log_rows = witness.columns[0].len().trailing_zeros() as usize;
        let setup = setup_for(machine, log_rows).expect("setup");
        let (proof, _) =
            proof::prove(machine, &self.public, witness, &setup).expect("the prover runs");
        Verdict {
            constraints,
            lookups,
            multisets,
            rejected_by: self.verify(&proof.to_bytes()).err(),
        }
    }

    /// The serialized proof of a complete witness.
    pub fn prove_bytes(&self, witness: Witness) -> Vec<u8> {
        let log_rows = witness.columns[0].len().trailing_zeros() as usize;
        let setup = setup_for(&self.machine, log_rows).expect("setup");
        let (proof, _) =
            proof::prove(&self.machine, &self.public, witness, &setup).expect("the prover runs");
        proof.to_bytes()
    }

    /// Verify `bytes` as `zkvm verify` does; the rejecting stage on failure.
    pub fn verify(&self, bytes: &[u8]) -> Result<(), String> {
        let result = match &self.program {
            Program::Zasm(p) => pipeline::verify_zasm(p, bytes).map(|_| ()),
            Program::Rv(p) => pipeline::verify_rv32im(p, bytes).map(|_| ()),
        };
        result.map_err(|e| stage(&e))
    }
}

/// The high half of `whole` as the honest prover splits it (0 for a value that is no small
/// integer, which has no split in range).
pub fn honest_high(half: &HighHalf, _row: usize, whole: Fr) -> Fr {
    small_value(whole).map_or(Fr::zero(), |v| Fr::from(v >> half.low_bits))
}

/// The stage a pipeline error names.
pub fn stage(e: &PipelineError) -> String {
    match e {
        PipelineError::Proof(ProofError::Rejected { stage, .. }) => stage.to_string(),
        PipelineError::Proof(ProofError::WrongProgram { .. }) => "program".into(),
        PipelineError::Proof(ProofError::Shape(_)) => "shape".into(),
        PipelineError::Proof(ProofError::Format(_)) => "format".into(),
        other => format!("other: {other}"),
    }
}

/// Re-serialize a proof after changing it.
pub fn edit_proof(bytes: &[u8], edit: impl FnOnce(&mut VmProof)) -> Vec<u8> {
    let mut proof = VmProof::from_bytes(bytes).expect("a proof");
    edit(&mut proof);
    proof.to_bytes()
}

/// A table's rows, indexed for a forger: the first row holding each tuple (padding included;
/// a lookup's tuple carries no tag), and the tuples of the real rows (nonzero tag).
struct TableIndex {
    size: usize,
    first_row: HashMap<Vec<Fr>, usize>,
    real: std::collections::HashSet<Vec<Fr>>,
}

/// The index of `table` for `m`, built once per program and table.
fn table_index(m: &Machine, table: TableId) -> Arc<TableIndex> {
    type Cache = Mutex<HashMap<([u8; 32], TableId), Arc<TableIndex>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let key = (m.program_digest.0, table);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().expect("cache").get(&key) {
        return hit.clone();
    }
    let families = m.table_families();
    let fam = families
        .iter()
        .find(|f| f.name == format!("table: {table:?}"))
        .expect("the table's family");
    let column = |e| zkvm_prover::machine::fractions::table_values(e, fam.log_size, &[]);
    let comps: Vec<Vec<Fr>> = fam.tuple[1..].iter().map(column).collect();
    let tags = column(&fam.tuple[0]);
    let size = 1usize << fam.log_size;
    let mut first_row = HashMap::new();
    let mut real = std::collections::HashSet::new();
    for j in (0..size).rev() {
        let row: Vec<Fr> = comps.iter().map(|c| c[j]).collect();
        if !tags[j].is_zero() {
            real.insert(row.clone());
        }
        first_row.insert(row, j);
    }
    let index = Arc::new(TableIndex {
        size,
        first_row,
        real,
    });
    cache.lock().expect("cache").insert(key, index.clone());
    index
}

/// A forger's multiplicities: every active lookup counts toward the first table row holding its
/// tuple — padding rows included — and a tuple found nowhere counts nowhere.
fn multiplicities(m: &Machine, cols: &[Vec<Fr>], table: TableId) -> Vec<Fr> {
    let index = table_index(m, table);
    let mut counts = vec![0u64; index.size];
    for u in m.lookups.iter().filter(|u| u.table == table) {
        for t in 0..cols[0].len() {
            if u.active.eval_row(cols, t).is_zero() {
                continue;
            }
            let key: Vec<Fr> = u.tuple.iter().map(|e| e.eval_row(cols, t)).collect();
            if let Some(j) = index.first_row.get(&key) {
                counts[*j] += 1;
            }
        }
    }
    counts.into_iter().map(Fr::from).collect()
}

/// Whether lookup `u`'s tuple on row `t` (if active) is in a real row of its table.
pub fn lookup_hits(m: &Machine, u: &LookupUse, cols: &[Vec<Fr>], t: usize) -> bool {
    if u.active.eval_row(cols, t).is_zero() {
        return true;
    }
    let key: Vec<Fr> = u.tuple.iter().map(|e| e.eval_row(cols, t)).collect();
    table_index(m, u.table).real.contains(&key)
}

/// The lookups with an active row whose tuple is in no real row (nonzero tag) of its table:
/// the lookup side's row checker.
pub fn missed_lookups(m: &Machine, cols: &[Vec<Fr>]) -> Vec<String> {
    m.lookups
        .iter()
        .filter(|u| (0..cols[0].len()).any(|t| !lookup_hits(m, u, cols, t)))
        .map(|u| u.name.clone())
        .collect()
}
