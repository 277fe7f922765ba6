//! Instruction fetch: how a row's bytecode fields are tied to the public bytecode table.
//!
//! The lowerings declare fetch as a LogUp lookup of the whole tuple of field columns into the
//! bytecode table ([`FetchArgument::LogUp`]): every field is a committed column. With
//! [`FetchArgument::Shout`], [`Machine::with_fetch`] turns that lookup into Shout over address
//! bits ([`zkvm_core::shout::bits`]): the field columns become *virtual* — never committed, their
//! claimed values (Spartan's and GKR's) proven by one Shout instance — and `log2` of the table's
//! size boolean columns, the bits of the row's table index, are committed instead. For RV32IM
//! that replaces 46 committed columns by about a dozen bits.

use ark_bn254::Fr;
use std::fmt;
use std::str::FromStr;

use super::{Col, Machine, TableId, Witness};
use crate::poly::small_value;
use crate::r1cs::{LinComb, Var};

/// How instruction fetch is proven. The proof records it; the verifier reads it from there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FetchArgument {
    /// A LogUp lookup of every field column into the bytecode table (fields committed).
    #[default]
    LogUp,
    /// Shout over the bits of the table index (fields virtual, the bits committed).
    Shout,
}

impl FetchArgument {
    /// Both arguments, in the order `zkvm compare` shows them.
    pub const ALL: [FetchArgument; 2] = [FetchArgument::LogUp, FetchArgument::Shout];

    /// The name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            FetchArgument::LogUp => "logup",
            FetchArgument::Shout => "shout",
        }
    }
}

impl fmt::Display for FetchArgument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for FetchArgument {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| format!("unknown fetch argument `{s}` (expected `logup` or `shout`)"))
    }
}

/// Where a Shout-fetch machine keeps its fetch: the virtual field columns and the committed
/// address bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShoutFetch {
    /// The field columns in the bytecode table's column order; the first holds the table index.
    pub fields: Vec<Col>,
    /// The committed bits of the table index, most significant first.
    pub bits: Vec<Col>,
}

impl ShoutFetch {
    /// `virtual_field[c]`: the bytecode-table column that column `c` reads, if it is virtual.
    pub fn field_of(&self, num_columns: usize) -> Vec<Option<usize>> {
        let mut of = vec![None; num_columns];
        for (i, c) in self.fields.iter().enumerate() {
            of[*c] = Some(i);
        }
        of
    }
}

/// The single column a fetch tuple entry reads on the current row, if it is one.
fn single_column(e: &LinComb) -> Option<Col> {
    match e.terms.as_slice() {
        [(Var::Cur(c), k)] if *k == Fr::from(1u64) => Some(*c),
        _ => None,
    }
}

impl Machine {
    /// The fetch argument this machine is built for.
    pub fn fetch_argument(&self) -> FetchArgument {
        match self.shout_fetch {
            Some(_) => FetchArgument::Shout,
            None => FetchArgument::LogUp,
        }
    }

    /// This machine with instruction fetch proven by `argument`. A lowering's machine fetches
    /// with LogUp; for Shout its bytecode lookup (on every row, one column per table column,
    /// the first the table index) is removed, the field columns become virtual and one boolean
    /// column per bit of the table index is appended.
    pub fn with_fetch(mut self, argument: FetchArgument) -> Result<Machine, String> {
        if argument == self.fetch_argument() {
            return Ok(self);
        }
        if argument == FetchArgument::LogUp {
            return Err("a Shout-fetch machine cannot go back to LogUp".into());
        }
        let position = self
            .lookups
            .iter()
            .position(|l| l.table == TableId::Bytecode)
            .ok_or("the machine has no instruction fetch")?;
        let fetch = self.lookups.remove(position);
        if fetch.active != LinComb::from(Fr::from(1u64)) {
            return Err("instruction fetch is not on every row".into());
        }
        let fields: Vec<Col> = fetch
            .tuple
            .iter()
            .map(single_column)
            .collect::<Option<_>>()
            .ok_or("a fetched field is not a single column")?;
        let log_k = self.bytecode.len().next_power_of_two().trailing_zeros() as usize;
        let bits: Vec<Col> = (0..log_k)
            .map(|i| self.append_small_column(&format!("fetch_bit_{i}")))
            .collect();
        self.shout_fetch = Some(ShoutFetch { fields, bits });
        Ok(self)
    }
}

/// Every row's table index, from the fetch's first field column (`index`), which must hold a
/// row of a table of `table_len` rows on every row.
pub fn table_indices(index: &[Fr], table_len: usize) -> Result<Vec<u32>, String> {
    index
        .iter()
        .enumerate()
        .map(|(row, v)| {
            small_value(*v)
                .filter(|k| (*k as usize) < table_len)
                .map(|k| k as u32)
                .ok_or_else(|| format!("row {row} fetches table row {v}, beyond the bytecode"))
        })
        .collect()
}

/// Appends the address-bit columns of a Shout-fetch machine to a witness built for its LogUp
/// machine (the lowering's).
pub fn extend_witness(machine: &Machine, witness: &mut Witness) -> Result<(), String> {
    let Some(fetch) = &machine.shout_fetch else {
        return Ok(());
    };
    let indices = table_indices(&witness.columns[fetch.fields[0]], machine.bytecode.len())?;
    witness.columns.extend(zkvm_core::shout::bits::bit_columns(
        fetch.bits.len(),
        &indices,
    ));
    Ok(())
}
