//! The fixed bitwise tables (byte-wise, and nibble-wise for short runs): their columns, their
//! rows and the multilinear extensions the verifier evaluates itself (nothing of them is
//! committed). The range tables are the identity on `0..2^16` and `0..2^8`; the bytecode table is
//! the program's ([`super::Machine::bytecode`]).

use ark_bn254::Fr;
use ark_ff::{One, Zero};

/// The columns of a bitwise table ([`BitwiseTable`]).
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

/// A bitwise table over operands of `operand_bits` bits: row
/// `j = op·2^{2w} + a·2^w + b` for `w = operand_bits` holds `(op, a, b, a op b)` (`op` 0 = and,
/// 1 = or, 2 = xor; the rows of `op` 3 are padding).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BitwiseTable {
    /// Bits per operand.
    pub operand_bits: usize,
}

impl BitwiseTable {
    /// Byte operands: the table the RV32IM lowering looks up (2^18 rows).
    pub const BYTES: BitwiseTable = BitwiseTable { operand_bits: 8 };
    /// Nibble operands (2^10 rows): the halves of a byte lookup in a short run
    /// ([`super::split_tables`]).
    pub const NIBBLES: BitwiseTable = BitwiseTable { operand_bits: 4 };

    /// log2 of the table's size.
    pub fn log_size(self) -> usize {
        2 + 2 * self.operand_bits
    }

    /// The table's real rows (`op` 0 to 2); the rows of `op` 3 are padding.
    pub fn rows(self) -> u64 {
        3 << (2 * self.operand_bits)
    }

    /// The row of `(op, a, b)`, or `None` if one is out of range.
    pub fn row(self, op: u64, a: u64, b: u64) -> Option<usize> {
        let w = self.operand_bits;
        (op <= bitwise_op::XOR && a >> w == 0 && b >> w == 0)
            .then(|| ((op << (2 * w)) | (a << w) | b) as usize)
    }

    /// The value of a column on row `j`.
    pub fn value(self, col: BitwiseColumn, j: usize) -> u64 {
        let w = self.operand_bits;
        let mask = (1u64 << w) - 1;
        let (op, a, b) = (
            (j >> (2 * w)) as u64,
            (j >> w) as u64 & mask,
            j as u64 & mask,
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

    /// The multilinear extension of a column at `r` ([`BitwiseTable::log_size`] coordinates),
    /// in `O(w)`.
    pub fn mle(self, col: BitwiseColumn, r: &[Fr]) -> Option<Fr> {
        if r.len() != self.log_size() {
            return None;
        }
        let w = self.operand_bits;
        let one = Fr::one();
        let two = Fr::from(2u64);
        // Bits, most significant first: r[0..2] op, then a's w bits, then b's.
        let (op, rest) = r.split_at(2);
        let (a, b) = rest.split_at(w);
        let bits_value = |bits: &[Fr]| bits.iter().fold(Fr::zero(), |acc, x| acc * two + x);
        Some(match col {
            BitwiseColumn::Op => bits_value(op),
            BitwiseColumn::A => bits_value(a),
            BitwiseColumn::B => bits_value(b),
            BitwiseColumn::Result => {
                let per_bit = |f: &dyn Fn(Fr, Fr) -> Fr| {
                    a.iter()
                        .zip(b)
                        .fold(Fr::zero(), |acc, (x, y)| acc * two + f(*x, *y))
                };
                let and = per_bit(&|x, y| x * y);
                let or = per_bit(&|x, y| x + y - x * y);
                let xor = per_bit(&|x, y| x + y - two * x * y);
                let (o0, o1) = (op[0], op[1]);
                (one - o0) * (one - o1) * and + (one - o0) * o1 * or + o0 * (one - o1) * xor
            }
        })
    }
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
        for table in [BitwiseTable::BYTES, BitwiseTable::NIBBLES] {
            let r: Vec<Fr> = (0..table.log_size()).map(|_| Fr::rand(&mut rng)).collect();
            for col in [
                BitwiseColumn::Op,
                BitwiseColumn::A,
                BitwiseColumn::B,
                BitwiseColumn::Result,
            ] {
                let values = DenseMle::new(
                    (0..1usize << table.log_size())
                        .map(|j| Fr::from(table.value(col, j)))
                        .collect(),
                );
                assert_eq!(
                    table.mle(col, &r),
                    Some(values.evaluate(&r)),
                    "{table:?} {col:?}"
                );
            }
            assert_eq!(table.mle(BitwiseColumn::A, &r[1..]), None);
        }
        let nibbles = BitwiseTable::NIBBLES;
        let j = nibbles.row(bitwise_op::XOR, 0xa, 0x6).unwrap();
        assert_eq!(nibbles.value(BitwiseColumn::Result, j), 0xc);
        assert_eq!(nibbles.row(bitwise_op::AND, 16, 0), None);
        assert_eq!(nibbles.row(3, 0, 0), None);
        assert_eq!(nibbles.rows(), 768);
    }
}
