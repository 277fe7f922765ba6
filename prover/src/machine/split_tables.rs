//! Short runs: range checks and bitwise lookups into tables of a few hundred rows.
//!
//! The lowerings range-check 16-bit limbs in a 2^16-row table and look up byte-wise bitwise
//! operations in a 2^18-row table. The tables' multiplicity columns are committed and opened
//! with every proof, and a Dory opening costs `O(2^{n/2})` pairings in its largest polynomial's
//! `n` variables: for a run of a few hundred cycles these tables are the largest polynomials by
//! far, and most of the proof's cost. [`Machine::with_lookup_tables`] splits every such lookup
//! in two halves — the table's index cut into `d = 2` chunks, each looked up in a table of the
//! square root of its size, which is sound because both tables are *decomposable* (Lasso: Setty,
//! Thaler and Wahby 2023, §4); the halves are proven by LogUp like every lookup:
//!
//! - `Range16(v)` becomes `Range8(v − 2^8·h)` and `Range8(h)`, with a committed column `h`: both
//!   halves in `[0, 2^8)` make `v = (v − 2^8·h) + 2^8·h` lie in `[0, 2^16)`;
//! - `Bitwise(op, a, b, r)` over bytes becomes `Bitwise4(op, a − 16·a_h, b − 16·b_h, r − 16·r_h)`
//!   and `Bitwise4(op, a_h, b_h, r_h)` over nibbles, with committed `a_h, b_h, r_h`: both rows in
//!   the nibble table make `a` and `b` bytes, and since and, or and xor act bit by bit, make `r`
//!   the byte result.
//!
//! Each split costs one or three more committed columns per lookup on every row, so it pays only
//! for short runs: the prover splits runs at least `2^`[`SPLIT_MARGIN_LOG`] times shorter than the
//! largest full table (2^12 rows for zasm's 2^16-row range table, 2^14 for RV32IM's 2^18-row
//! bitwise table), the proof records the choice ([`LookupTables`]) and the verifier reads it from
//! there.

use ark_bn254::Fr;
use ark_ff::Zero;
use rayon::prelude::*;
use std::fmt;

use super::fetch::FetchArgument;
use super::logup::{multiplicities, multiplicity_column, table_log_size};
use super::twist_memory::MemoryArgument;
use super::{cur, tables_used, Col, LookupUse, Machine, TableId, Witness};
use crate::poly::small_value;
use crate::r1cs::LinComb;

/// Runs at least `2^SPLIT_MARGIN_LOG` times shorter than the largest full table they look up are
/// proven with split tables: measured, the split costs less up to there (BENCHMARKS.md, "Short
/// runs").
pub const SPLIT_MARGIN_LOG: usize = 4;

/// The range and bitwise tables a proof looks up. The proof records it; the verifier reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LookupTables {
    /// The lowering's tables: 16-bit ranges, byte-wise bitwise operations.
    #[default]
    Full,
    /// Every range check and bitwise lookup split in two halves (8-bit ranges, nibbles).
    Split,
}

impl LookupTables {
    /// The tables the prover picks for a run of `2^log_rows` rows of `machine` (a lowering's).
    pub fn for_run(machine: &Machine, log_rows: usize) -> LookupTables {
        let largest = tables_used(machine)
            .into_iter()
            .filter(|t| matches!(t, TableId::Range16 | TableId::Bitwise))
            .map(|t| table_log_size(t, 0))
            .max();
        match largest {
            Some(n) if log_rows + SPLIT_MARGIN_LOG <= n => LookupTables::Split,
            _ => LookupTables::Full,
        }
    }

    /// The name in reports.
    pub fn name(self) -> &'static str {
        match self {
            LookupTables::Full => "full",
            LookupTables::Split => "split",
        }
    }
}

impl fmt::Display for LookupTables {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A committed column a split adds: the high half of `whole` (its bits from `low_bits` up) on the
/// rows where `active` is nonzero, 0 elsewhere.
#[derive(Clone, Debug)]
pub struct HighHalf {
    /// The column.
    pub col: Col,
    /// The looked-up expression it is the high half of.
    pub whole: LinComb,
    /// The lookup's `active`.
    pub active: LinComb,
    /// The width of the low half.
    pub low_bits: u32,
    /// The column's name (the lookup's, and which half).
    pub name: String,
}

impl Machine {
    /// The machine a proof with memory checked by `memory`, instruction fetch by `fetch` and
    /// lookups into `tables` is for: a lowering's machine through [`Machine::with_memory`],
    /// [`Machine::with_fetch`] and [`Machine::with_lookup_tables`], in that order (which fixes
    /// the order of the columns they append).
    pub fn for_proof(
        self,
        memory: MemoryArgument,
        fetch: FetchArgument,
        tables: LookupTables,
    ) -> Result<Machine, String> {
        self.with_memory(memory)?
            .with_fetch(fetch)?
            .with_lookup_tables(tables)
    }

    /// The range and bitwise tables this machine looks up.
    pub fn lookup_tables(&self) -> LookupTables {
        match self.split_tables {
            Some(_) => LookupTables::Split,
            None => LookupTables::Full,
        }
    }

    /// This machine with its range checks and bitwise lookups into `tables`: for
    /// [`LookupTables::Split`], every `Range16` and `Bitwise` lookup is replaced by its two halves
    /// and the high halves' columns are appended.
    pub fn with_lookup_tables(mut self, tables: LookupTables) -> Result<Machine, String> {
        if tables == self.lookup_tables() {
            return Ok(self);
        }
        if tables == LookupTables::Full {
            return Err("a split-table machine cannot go back to the full tables".into());
        }
        let mut halves = Vec::new();
        let mut lookups = Vec::new();
        for u in std::mem::take(&mut self.lookups) {
            match (u.table, u.tuple.as_slice()) {
                (TableId::Range16, [v]) => {
                    let h = self.high_half(&mut halves, &u, v, "", 8);
                    let low = v.clone() - h.clone() * 256;
                    lookups.push(half(&u, "low byte", TableId::Range8, vec![low]));
                    lookups.push(half(&u, "high byte", TableId::Range8, vec![h]));
                }
                (TableId::Bitwise, [op, a, b, r]) => {
                    let mut low = vec![op.clone()];
                    let mut high = vec![op.clone()];
                    for (e, which) in [(a, " a"), (b, " b"), (r, " result")] {
                        let h = self.high_half(&mut halves, &u, e, which, 4);
                        low.push(e.clone() - h.clone() * 16);
                        high.push(h);
                    }
                    lookups.push(half(&u, "low nibbles", TableId::Bitwise4, low));
                    lookups.push(half(&u, "high nibbles", TableId::Bitwise4, high));
                }
                (TableId::Range16 | TableId::Bitwise, _) => {
                    return Err(format!(
                        "lookup {} has the wrong width for its table",
                        u.name
                    ))
                }
                _ => lookups.push(u),
            }
        }
        self.lookups = lookups;
        self.split_tables = Some(halves);
        Ok(self)
    }

    /// Appends the column of the high half of `whole` in lookup `u`; returns it as an expression.
    fn high_half(
        &mut self,
        halves: &mut Vec<HighHalf>,
        u: &LookupUse,
        whole: &LinComb,
        which: &str,
        low_bits: u32,
    ) -> LinComb {
        let name = format!("{}{which}: high half", u.name);
        let col = self.append_small_column(&name);
        halves.push(HighHalf {
            col,
            whole: whole.clone(),
            active: u.active.clone(),
            low_bits,
            name,
        });
        cur(col)
    }
}

/// One half of lookup `u`.
fn half(u: &LookupUse, which: &str, table: TableId, tuple: Vec<LinComb>) -> LookupUse {
    LookupUse {
        name: format!("{} ({which})", u.name),
        table,
        active: u.active.clone(),
        tuple,
    }
}

/// Appends the high halves' columns of a split-table machine to a witness built for the
/// lowering's machine, and the multiplicities of the half tables.
pub fn extend_witness(machine: &Machine, witness: &mut Witness) -> Result<(), String> {
    let Some(halves) = &machine.split_tables else {
        return Ok(());
    };
    let columns = &witness.columns;
    let rows = columns.first().map_or(0, |c| c.len());
    let high: Vec<Vec<Fr>> = halves
        .par_iter()
        .map(|h| {
            (0..rows)
                .map(|t| {
                    if h.active.eval_row(columns, t).is_zero() {
                        return Ok(Fr::zero());
                    }
                    let whole = h.whole.eval_row(columns, t);
                    small_value(whole)
                        .map(|v| Fr::from(v >> h.low_bits))
                        .ok_or_else(|| format!("row {t}: {} of {whole}: no split in range", h.name))
                })
                .collect()
        })
        .collect::<Result<_, String>>()?;
    for (h, values) in halves.iter().zip(high) {
        debug_assert_eq!(witness.columns.len(), h.col);
        witness.columns.push(values);
    }
    for table in tables_used(machine) {
        if matches!(table, TableId::Range8 | TableId::Bitwise4) {
            witness.table_columns[multiplicity_column(table)] =
                multiplicities(table, &machine.lookups, &witness.columns, &machine.bytecode)
                    .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
