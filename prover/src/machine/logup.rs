//! Lookups into tables by the log-derivative method (LogUp; Haböck, eprint 2022/1530):
//! a tuple `f` is in table `T` on every active row iff, for a random `α`,
//! `Σ_rows active/(α − φ(f)) = Σ_j m_j/(α − φ(T_j))` where `m_j` counts the lookups of row `j`.
//! The multiplicities are committed (small integers, cheap with Dory); the sums are proven with
//! GKR together with memory checking. Shout (Setty–Thaler 2025) is to sit beside it.

use ark_bn254::Fr;
use ark_ff::{One, Zero};

use super::fractions::{CycleFamily, TableExpr, TableFamily};
use super::tables::{BitwiseColumn, BitwiseTable};
use super::{table_cols, LookupUse, TableId};
use crate::poly::small_value;
use crate::r1cs::LinComb;

/// log2 of the number of rows of a table.
pub fn table_log_size(table: TableId, bytecode_len: usize) -> usize {
    match table {
        TableId::Bytecode => bytecode_len.next_power_of_two().trailing_zeros() as usize,
        TableId::Range16 => 16,
        TableId::Bitwise => BitwiseTable::BYTES.log_size(),
        TableId::Range8 => 8,
        TableId::Bitwise4 => BitwiseTable::NIBBLES.log_size(),
    }
}

/// The operand width of a bitwise table.
fn bitwise_table(table: TableId) -> BitwiseTable {
    if table == TableId::Bitwise4 {
        BitwiseTable::NIBBLES
    } else {
        BitwiseTable::BYTES
    }
}

/// The committed multiplicity column of a table.
pub fn multiplicity_column(table: TableId) -> usize {
    match table {
        TableId::Bytecode => table_cols::MULT_BYTECODE,
        TableId::Range16 => table_cols::MULT_RANGE16,
        TableId::Bitwise => table_cols::MULT_BITWISE,
        TableId::Range8 => table_cols::MULT_RANGE8,
        TableId::Bitwise4 => table_cols::MULT_BITWISE4,
    }
}

/// The fractions contributed on every row.
pub fn cycle_families(uses: &[LookupUse]) -> Vec<CycleFamily> {
    uses.iter()
        .map(|u| {
            let mut tuple = vec![LinComb::from(Fr::from(u.table.tag()))];
            tuple.extend(u.tuple.iter().cloned());
            CycleFamily {
                name: format!("lookup: {}", u.name),
                numerator: u.active.clone(),
                tuple,
            }
        })
        .collect()
}

/// The fractions contributed by the tables in use.
pub fn table_families(tables: &[TableId], bytecode: &[Vec<Fr>]) -> Vec<TableFamily> {
    tables
        .iter()
        .map(|&table| {
            // The tag is public and nonzero only on the table's real rows, so a padding row
            // (or an unused bitwise row) has tag 0 and matches no lookup, whose tag is a
            // nonzero constant: padding can never be fetched.
            let tag = table.tag();
            let mut tuple = vec![match table {
                TableId::Bytecode => TableExpr::Ranges(vec![(0, bytecode.len() as u64, tag)]),
                TableId::Range16 | TableId::Range8 => TableExpr::Const(Fr::from(tag)),
                TableId::Bitwise | TableId::Bitwise4 => {
                    TableExpr::Ranges(vec![(0, bitwise_table(table).rows(), tag)])
                }
            }];
            match table {
                TableId::Bytecode => {
                    let width = bytecode.first().map_or(0, |r| r.len());
                    tuple.extend(
                        (0..width).map(|c| {
                            TableExpr::Public(bytecode.iter().map(|row| row[c]).collect())
                        }),
                    );
                }
                TableId::Range16 | TableId::Range8 => tuple.push(TableExpr::Index),
                TableId::Bitwise | TableId::Bitwise4 => tuple.extend(
                    [
                        BitwiseColumn::Op,
                        BitwiseColumn::A,
                        BitwiseColumn::B,
                        BitwiseColumn::Result,
                    ]
                    .into_iter()
                    .map(|col| TableExpr::Bitwise(bitwise_table(table), col)),
                ),
            }
            TableFamily {
                name: format!("table: {table:?}"),
                log_size: table_log_size(table, bytecode.len()),
                sign: -Fr::one(),
                numerator: TableExpr::Committed(multiplicity_column(table)),
                tuple,
            }
        })
        .collect()
}
/// The prover's side: how often each row of `table` is looked up.
pub fn multiplicities(
    table: TableId,
    uses: &[LookupUse],
    columns: &[Vec<Fr>],
    bytecode: &[Vec<Fr>],
) -> Result<Vec<Fr>, LookupMiss> {
    let size = 1usize << table_log_size(table, bytecode.len());
    let mut counts = vec![0u64; size];
    let rows = columns.first().map_or(0, |c| c.len());
    for u in uses.iter().filter(|u| u.table == table) {
        for t in 0..rows {
            if u.active.eval_row(columns, t).is_zero() {
                continue;
            }
            let values: Vec<Fr> = u.tuple.iter().map(|e| e.eval_row(columns, t)).collect();
            let miss = || LookupMiss {
                lookup: u.name.clone(),
                row: t,
            };
            let index = match table {
                TableId::Bytecode => {
                    let pc = values
                        .first()
                        .and_then(|v| small_value(*v))
                        .ok_or_else(miss)?;
                    let row = bytecode.get(pc as usize).ok_or_else(miss)?;
                    if *row != values {
                        return Err(miss());
                    }
                    pc as usize
                }
                TableId::Range16 | TableId::Range8 => {
                    let v = values
                        .first()
                        .and_then(|v| small_value(*v))
                        .ok_or_else(miss)?;
                    if v >= 1 << table_log_size(table, 0) {
                        return Err(miss());
                    }
                    v as usize
                }
                TableId::Bitwise | TableId::Bitwise4 => {
                    let bitwise = bitwise_table(table);
                    let small: Option<Vec<u64>> = values.iter().map(|v| small_value(*v)).collect();
                    let [op, a, b, res] = small.as_deref().ok_or_else(miss)? else {
                        return Err(miss());
                    };
                    let j = bitwise.row(*op, *a, *b).ok_or_else(miss)?;
                    if bitwise.value(BitwiseColumn::Result, j) != *res {
                        return Err(miss());
                    }
                    j
                }
            };
            counts[index] += 1;
        }
    }
    Ok(counts.into_iter().map(Fr::from).collect())
}

/// A looked-up tuple that is not in its table (a lowering bug or an unprovable run).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("row {row}: lookup {lookup} is not in its table")]
pub struct LookupMiss {
    /// The lookup's name.
    pub lookup: String,
    /// The row.
    pub row: usize,
}
