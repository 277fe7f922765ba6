//! Lookups into tables by the log-derivative method (LogUp; Haböck, eprint 2022/1530):
//! a tuple `f` is in table `T` on every active row iff, for a random `α`,
//! `Σ_rows active/(α − φ(f)) = Σ_j m_j/(α − φ(T_j))` where `m_j` counts the lookups of row `j`.
//! The multiplicities are committed (small integers, cheap with Dory); the sums are proven with
//! GKR together with memory checking. Behind the [`Lookup`] trait so that Lasso/Shout can take its
//! place.

use ark_bn254::Fr;
use ark_ff::{One, Zero};

use super::fractions::{CycleFamily, TableExpr, TableFamily};
use super::memory::small_value;
use super::{table_cols, LookupUse, RowExpr, TableId};

/// A lookup argument: its fractions on the cycle side and on the tables.
pub trait Lookup {
    /// The fractions contributed on every row.
    fn cycle_families(&self, uses: &[LookupUse]) -> Vec<CycleFamily>;
    /// The fractions contributed by the tables in use.
    fn table_families(&self, tables: &[TableId], bytecode: &[Vec<Fr>]) -> Vec<TableFamily>;
}

/// LogUp with committed multiplicities.
pub struct LogUp;

/// The columns of the byte-wise bitwise table, row `j = op·2^16 + a·2^8 + b`
/// (`op` 0 = and, 1 = or, 2 = xor, 3 = unused rows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BitwiseColumn {
    /// The operation.
    Op,
    /// The first byte.
    A,
    /// The second byte.
    B,
    /// The result byte.
    Result,
}

/// Bitwise operation codes in the bitwise table.
pub mod bitwise_op {
    /// `a & b`.
    pub const AND: u64 = 0;
    /// `a | b`.
    pub const OR: u64 = 1;
    /// `a ^ b`.
    pub const XOR: u64 = 2;
}

/// log2 of the bitwise table's size.
pub const BITWISE_LOG_SIZE: usize = 18;

/// The bitwise table's real rows (`op` 0 to 2); the rows of `op` 3 are padding.
pub const BITWISE_ROWS: u64 = 3 << 16;

/// The value of a bitwise-table column on row `j`.
pub fn bitwise_value(col: BitwiseColumn, j: usize) -> u64 {
    let (op, a, b) = (
        (j >> 16) as u64,
        ((j >> 8) & 0xff) as u64,
        (j & 0xff) as u64,
    );
    match col {
        BitwiseColumn::Op => op,
        BitwiseColumn::A => a,
        BitwiseColumn::B => b,
        BitwiseColumn::Result => match op {
            bitwise_op::AND => a & b,
            bitwise_op::OR => a | b,
            bitwise_op::XOR => a ^ b,
            _ => 0,
        },
    }
}

/// The multilinear extension of a bitwise-table column at `r` (18 coordinates), in `O(18)`.
pub fn bitwise_mle(col: BitwiseColumn, r: &[Fr]) -> Option<Fr> {
    if r.len() != BITWISE_LOG_SIZE {
        return None;
    }
    let one = Fr::one();
    let two = Fr::from(2u64);
    // Bits, most significant first: r[0..2] op, r[2..10] a, r[10..18] b.
    let bits_value = |bits: &[Fr]| bits.iter().fold(Fr::zero(), |acc, x| acc * two + x);
    Some(match col {
        BitwiseColumn::Op => bits_value(&r[0..2]),
        BitwiseColumn::A => bits_value(&r[2..10]),
        BitwiseColumn::B => bits_value(&r[10..18]),
        BitwiseColumn::Result => {
            let (a, b) = (&r[2..10], &r[10..18]);
            let per_bit = |f: &dyn Fn(Fr, Fr) -> Fr| {
                a.iter()
                    .zip(b)
                    .fold(Fr::zero(), |acc, (x, y)| acc * two + f(*x, *y))
            };
            let and = per_bit(&|x, y| x * y);
            let or = per_bit(&|x, y| x + y - x * y);
            let xor = per_bit(&|x, y| x + y - two * x * y);
            let (o0, o1) = (r[0], r[1]);
            (one - o0) * (one - o1) * and + (one - o0) * o1 * or + o0 * (one - o1) * xor
        }
    })
}

/// log2 of the number of rows of a table.
pub fn table_log_size(table: TableId, bytecode_len: usize) -> usize {
    match table {
        TableId::Bytecode => bytecode_len.next_power_of_two().trailing_zeros() as usize,
        TableId::Range16 => 16,
        TableId::Bitwise => BITWISE_LOG_SIZE,
    }
}

/// The committed multiplicity column of a table.
pub fn multiplicity_column(table: TableId) -> usize {
    match table {
        TableId::Bytecode => table_cols::MULT_BYTECODE,
        TableId::Range16 => table_cols::MULT_RANGE16,
        TableId::Bitwise => table_cols::MULT_BITWISE,
    }
}

impl Lookup for LogUp {
    fn cycle_families(&self, uses: &[LookupUse]) -> Vec<CycleFamily> {
        uses.iter()
            .map(|u| {
                let mut tuple = vec![RowExpr::constant(Fr::from(u.table.tag()))];
                tuple.extend(u.tuple.iter().cloned());
                CycleFamily {
                    name: format!("lookup: {}", u.name),
                    numerator: u.active.clone(),
                    tuple,
                }
            })
            .collect()
    }

    fn table_families(&self, tables: &[TableId], bytecode: &[Vec<Fr>]) -> Vec<TableFamily> {
        tables
            .iter()
            .map(|&table| {
                // The tag is public and nonzero only on the table's real rows, so a padding row
                // (or an unused bitwise row) has tag 0 and matches no lookup, whose tag is a
                // nonzero constant: padding can never be fetched.
                let tag = table.tag();
                let mut tuple = vec![match table {
                    TableId::Bytecode => TableExpr::Ranges(vec![(0, bytecode.len() as u64, tag)]),
                    TableId::Range16 => TableExpr::Const(Fr::from(tag)),
                    TableId::Bitwise => TableExpr::Ranges(vec![(0, BITWISE_ROWS, tag)]),
                }];
                match table {
                    TableId::Bytecode => {
                        let width = bytecode.first().map_or(0, |r| r.len());
                        tuple.extend((0..width).map(|c| {
                            TableExpr::Public(bytecode.iter().map(|row| row[c]).collect())
                        }));
                    }
                    TableId::Range16 => tuple.push(TableExpr::Index),
                    TableId::Bitwise => tuple.extend(
                        [
                            BitwiseColumn::Op,
                            BitwiseColumn::A,
                            BitwiseColumn::B,
                            BitwiseColumn::Result,
                        ]
                        .into_iter()
                        .map(TableExpr::Bitwise),
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
                TableId::Range16 => {
                    let v = values
                        .first()
                        .and_then(|v| small_value(*v))
                        .ok_or_else(miss)?;
                    if v >= 1 << 16 {
                        return Err(miss());
                    }
                    v as usize
                }
                TableId::Bitwise => {
                    let small: Option<Vec<u64>> = values.iter().map(|v| small_value(*v)).collect();
                    let [op, a, b, res] = small.as_deref().ok_or_else(miss)? else {
                        return Err(miss());
                    };
                    if *op > 2 || *a > 255 || *b > 255 {
                        return Err(miss());
                    }
                    let j = ((*op << 16) | (*a << 8) | *b) as usize;
                    if bitwise_value(BitwiseColumn::Result, j) != *res {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::DenseMle;
    use ark_ff::UniformRand;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn bitwise_mles_match_the_table() {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let r: Vec<Fr> = (0..BITWISE_LOG_SIZE).map(|_| Fr::rand(&mut rng)).collect();
        for col in [
            BitwiseColumn::Op,
            BitwiseColumn::A,
            BitwiseColumn::B,
            BitwiseColumn::Result,
        ] {
            let table = DenseMle::new(
                (0..1usize << BITWISE_LOG_SIZE)
                    .map(|j| Fr::from(bitwise_value(col, j)))
                    .collect(),
            );
            assert_eq!(bitwise_mle(col, &r), Some(table.evaluate(&r)), "{col:?}");
        }
    }
}
