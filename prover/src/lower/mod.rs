//! Lowering: each frontend's native execution trace becomes a [`Machine`] and its witness.
//!
//! Both lowerings build the same CPU shape — a program counter, an instruction fetched by a
//! lookup into the public bytecode table, operand reads and a destination write checked by
//! offline memory checking, register transitions to the next row — and differ in the ALU: a zasm
//! field operation is one constraint, an RV32IM operation needs 32-bit range checks and lookups.

/// Declares an ISA's bytecode-field enum: its variants, their column names and their order in
/// the bytecode table, so that a field's name is written once and every use is typed.
macro_rules! bytecode_fields {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$doc:meta])* $variant:ident = $column:literal,)*
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$doc])* $variant,)*
        }

        impl $name {
            /// Every field, in table order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The field's column name.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $column,)*
                }
            }
        }
    };
}

/// Declares an ISA's typed column struct: the bytecode fields (`fields`, in the table's order,
/// declared first; those listed as `wide` hold arbitrary field elements) and one struct field per
/// column, in commitment order. A column's name is its field's name; `name: kind[n]` declares
/// the columns `name0..`, and `kind[n from k]` numbers them from `k`. A `small` column holds
/// values below 2^32 on every honest row (committed through the small-value path); a `field`
/// column holds arbitrary field elements.
macro_rules! air_columns {
    ($(#[$meta:meta])* pub struct $name:ident {
        fields: $fields:ident, wide [$($wide:ident),*];
        $($(#[$doc:meta])* $col:ident: $kind:ident $([$n:literal $(from $start:literal)?])?,)*
    }) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        pub struct $name {
            /// The bytecode fields' columns, in table order.
            pub fields: Vec<$crate::machine::Col>,
            $($(#[$doc])* pub $col: air_columns!(@type $([$n])?),)*
        }

        impl $name {
            /// Declare every column (the bytecode fields first), in commitment order.
            pub fn declare(bld: &mut $crate::machine::Builder) -> Self {
                let fields = $fields::ALL
                    .iter()
                    .map(|f| match f {
                        $($fields::$wide => bld.field_col(f.name()),)*
                        _ => bld.small_col(f.name()),
                    })
                    .collect();
                $name {
                    fields,
                    $($col: air_columns!(@declare bld, $col, $kind $([$n $(from $start)?])?),)*
                }
            }

            /// A bytecode field's column.
            pub fn field(&self, f: $fields) -> $crate::machine::Col {
                self.fields[f as usize]
            }

            /// A bytecode field on the current row.
            pub fn f(&self, f: $fields) -> $crate::r1cs::LinComb {
                $crate::machine::cur(self.field(f))
            }

            /// The sum of flags on the current row (one of them is set, or none).
            pub fn any(&self, fs: &[$fields]) -> $crate::r1cs::LinComb {
                fs.iter().fold($crate::r1cs::LinComb::zero(), |acc, f| acc + self.f(*f))
            }
        }
    };
    (@type) => { $crate::machine::Col };
    (@type [$n:literal]) => { [$crate::machine::Col; $n] };
    (@declare $b:ident, $col:ident, small) => { $b.small_col(stringify!($col)) };
    (@declare $b:ident, $col:ident, field) => { $b.field_col(stringify!($col)) };
    (@declare $b:ident, $col:ident, $kind:ident [$n:literal]) => {
        air_columns!(@declare $b, $col, $kind [$n from 0])
    };
    (@declare $b:ident, $col:ident, small [$n:literal from $start:literal]) => {
        std::array::from_fn(|i| $b.small_col(&format!("{}{}", stringify!($col), i + $start)))
    };
    (@declare $b:ident, $col:ident, field [$n:literal from $start:literal]) => {
        std::array::from_fn(|i| $b.field_col(&format!("{}{}", stringify!($col), i + $start)))
    };
}

pub mod riscv;
pub mod zasm;

use ark_bn254::Fr;
use ark_ff::Zero;
use rayon::prelude::*;

use crate::machine::logup::{multiplicities, LookupMiss};
use crate::machine::offline_memory::{fill_memory, MemoryFillError, MemoryState};
use crate::machine::{table_cols, Machine, PublicValues};
pub use crate::machine::{tables_used, Witness};

/// Why a trace could not be lowered into a satisfying witness.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LowerError {
    /// The run did not end in a way the prover can prove (e.g. no halt).
    #[error("cannot prove this run: {0}")]
    Unprovable(String),
    /// Memory columns could not be filled.
    #[error(transparent)]
    Memory(#[from] MemoryFillError),
    /// A lookup missed its table.
    #[error(transparent)]
    Lookup(#[from] LookupMiss),
    /// A constraint failed on the honest witness: a lowering bug, reported with its name and row.
    #[error(transparent)]
    Constraint(#[from] crate::r1cs::R1csError),
}

/// Complete a witness whose ISA columns are filled: memory timestamps and final memory, lookup
/// multiplicities. In debug builds (the tests) every constraint is then checked on every row, so
/// a lowering bug is reported with the constraint and row that fail; release builds skip that
/// check (it cost about two thirds of witness generation) and rely on verification instead —
/// `zkvm prove` verifies every proof it writes.
pub fn finish_witness(
    machine: &Machine,
    public: &PublicValues,
    columns: Vec<Vec<Fr>>,
) -> Result<Witness, LowerError> {
    let start = MemoryState::initial(&machine.memory);
    finish_shard_witness(machine, public, columns, start, 0).map(|(witness, _)| witness)
}

/// [`finish_witness`] for rows that start at cycle `first_cycle` with the memory `start` (a
/// shard of a longer run); also returns the memory the rows leave. A machine with a committed
/// initial memory ([`crate::machine::MemoryLayout::committed_init`]) commits `start` as it.
pub fn finish_shard_witness(
    machine: &Machine,
    public: &PublicValues,
    mut columns: Vec<Vec<Fr>>,
    start: MemoryState,
    first_cycle: u64,
) -> Result<(Witness, MemoryState), LowerError> {
    let init = machine.memory.committed_init.then(|| start.clone());
    let (end, final_ts) = fill_memory(
        &machine.slots,
        &mut columns,
        &machine.memory,
        start,
        first_cycle,
    )?;
    let mut table_columns = vec![Vec::new(); table_cols::COUNT];
    table_columns[table_cols::MEM_FINAL_VALUE] = end.value.clone();
    table_columns[table_cols::MEM_FINAL_TS] = final_ts;
    table_columns[table_cols::MEM_FINAL_FLAG] = end.flag.clone();
    if let Some(init) = init {
        table_columns[table_cols::MEM_INIT_VALUE] = init.value;
        table_columns[table_cols::MEM_INIT_FLAG] = init.flag;
    }
    for table in tables_used(machine) {
        let m = multiplicities(table, &machine.lookups, &columns, &machine.bytecode)?;
        table_columns[crate::machine::logup::multiplicity_column(table)] = m;
    }
    if cfg!(debug_assertions) {
        public.bind(machine)?.check(&columns)?;
    }
    let witness = Witness {
        columns,
        table_columns,
    };
    Ok((witness, end))
}

/// The witness columns of `n_rows` rows, each filled independently by `fill_row(t, row)` from a
/// row of `num_columns` zeros. Rows are filled in parallel, in blocks (row-major), and each block
/// is scattered into the columns in parallel.
pub fn fill_rows<F>(
    num_columns: usize,
    n_rows: usize,
    fill_row: F,
) -> Result<Vec<Vec<Fr>>, LowerError>
where
    F: Fn(usize, &mut [Fr]) -> Result<(), LowerError> + Sync,
{
    const BLOCK: usize = 1 << 12;
    let mut columns = vec![vec![Fr::zero(); n_rows]; num_columns];
    for start in (0..n_rows).step_by(BLOCK) {
        let end = (start + BLOCK).min(n_rows);
        let block: Vec<Vec<Fr>> = (start..end)
            .into_par_iter()
            .map(|t| {
                let mut row = vec![Fr::zero(); num_columns];
                fill_row(t, &mut row)?;
                Ok(row)
            })
            .collect::<Result<_, LowerError>>()?;
        columns.par_iter_mut().enumerate().for_each(|(j, column)| {
            for (i, row) in block.iter().enumerate() {
                column[start + i] = row[j];
            }
        });
    }
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Memory tuples, lookup tuples and output lanes are evaluated from the columns' openings
    /// at one point ([`crate::r1cs::LinComb::eval_at`]): none may read the next row, a row
    /// selector or a public value.
    #[test]
    fn fingerprints_read_only_the_current_row() {
        let zasm_program = zkvm_isa::Program {
            instructions: Vec::new(),
            entry: 0,
            debug: None,
        };
        let rv_program = zkvm_riscv::Program::from_instructions(0x1000, &[], None);
        for machine in [
            zasm::machine(&zasm_program, 4).0,
            riscv::machine(&rv_program, 6),
        ] {
            let slots = machine
                .slots
                .iter()
                .flat_map(|s| [&s.active, &s.addr, &s.writes]);
            let lookups = machine
                .lookups
                .iter()
                .flat_map(|u| std::iter::once(&u.active).chain(&u.tuple));
            let outputs = machine
                .outputs
                .iter()
                .flat_map(|o| [&o.active, &o.index, &o.value]);
            let expressions: Vec<_> = slots.chain(lookups).chain(outputs).collect();
            assert!(expressions.len() > 10);
            for e in expressions {
                assert!(e.is_row_local(), "{}: {e:?}", machine.isa);
            }
        }
    }
}
