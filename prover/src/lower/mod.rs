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

pub mod riscv;
pub mod zasm;

use ark_bn254::Fr;

use crate::machine::logup::{multiplicities, LookupMiss};
use crate::machine::offline_memory::{fill_memory, MemoryFillError};
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
    mut columns: Vec<Vec<Fr>>,
) -> Result<Witness, LowerError> {
    let [final_value, final_ts, final_flag] =
        fill_memory(&machine.slots, &mut columns, &machine.memory)?;
    let mut table_columns = vec![Vec::new(); table_cols::MULT_BITWISE + 1];
    table_columns[table_cols::MEM_FINAL_VALUE] = final_value;
    table_columns[table_cols::MEM_FINAL_TS] = final_ts;
    table_columns[table_cols::MEM_FINAL_FLAG] = final_flag;
    for table in tables_used(machine) {
        let m = multiplicities(table, &machine.lookups, &columns, &machine.bytecode)?;
        table_columns[crate::machine::logup::multiplicity_column(table)] = m;
    }
    if cfg!(debug_assertions) {
        public.bind(machine)?.check(&columns)?;
    }
    Ok(Witness {
        columns,
        table_columns,
    })
}
