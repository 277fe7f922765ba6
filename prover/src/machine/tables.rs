//! The fixed byte-wise bitwise table: its columns, its rows and the multilinear extension the
//! verifier evaluates itself (nothing of it is committed). The range table is the identity on
//! `0..2^16`; the bytecode table is the program's ([`super::Machine::bytecode`]).

use ark_bn254::Fr;
use ark_ff::{One, Zero};

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
