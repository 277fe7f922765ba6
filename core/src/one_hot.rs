//! One-hot polynomials: the committed addresses of Twist and Shout (Setty and Thaler, "Twist and
//! Shout: Faster memory checking arguments via one-hot addressing and increments", ePrint
//! 2025/105, §1.2 and §3).
//!
//! A run of `T = 2^log_t` cycles, each reading one address `a_j` of a memory of
//! `K = 2^log_k` cells, is the `K × T` matrix `ra(k, j) = [a_j = k]`: one 1 per column. Its
//! multilinear extension has `log_k + log_t` variables, the address variables first (most
//! significant, bound first by a sumcheck), so the hypercube value at index `k · T + j` is
//! `ra(k, j)`. Only the `T` addresses are stored: evaluating the extension costs `O(K + T)`
//! (`ra(r_k, r_j) = Σ_j eq(r_j, j) · eq(r_k, a_j)`), and committing costs one group addition
//! per cycle ([`crate::pcs::DoryPcs::commit_one_hot`]).

use ark_bn254::Fr;
use rayon::prelude::*;

use crate::poly::{eq_table, DenseMle};

/// Why a one-hot polynomial could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OneHotError {
    /// The number of cycles is not a power of two.
    #[error("{0} cycles is not a power of two")]
    CyclesNotPowerOfTwo(usize),
    /// More address bits than a `u32` address has.
    #[error("{0} address bits: a one-hot memory has at most 2^32 cells")]
    TooManyAddressBits(usize),
    /// An address beyond the memory.
    #[error("cycle {cycle} reads address {address}, beyond a memory of 2^{log_k} cells")]
    AddressOutOfRange {
        /// The cycle.
        cycle: usize,
        /// Its address.
        address: u32,
        /// The memory's address variables.
        log_k: usize,
    },
}

/// The one-hot matrix `ra(k, j) = [addresses[j] = k]` of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneHotMle {
    log_k: usize,
    log_t: usize,
    addresses: Vec<u32>,
}

impl OneHotMle {
    /// The one-hot matrix of `addresses` (one per cycle, a power of two of them) into a memory of
    /// `2^log_k` cells.
    pub fn new(log_k: usize, addresses: Vec<u32>) -> Result<Self, OneHotError> {
        if log_k > 32 {
            return Err(OneHotError::TooManyAddressBits(log_k));
        }
        let t = addresses.len();
        if !t.is_power_of_two() {
            return Err(OneHotError::CyclesNotPowerOfTwo(t));
        }
        if let Some((cycle, &address)) = addresses
            .iter()
            .enumerate()
            .find(|(_, a)| u64::from(**a) >> log_k != 0)
        {
            return Err(OneHotError::AddressOutOfRange {
                cycle,
                address,
                log_k,
            });
        }
        Ok(Self {
            log_k,
            log_t: t.trailing_zeros() as usize,
            addresses,
        })
    }

    /// The address variables (`log2 K`).
    pub fn log_k(&self) -> usize {
        self.log_k
    }

    /// The cycle variables (`log2 T`).
    pub fn log_t(&self) -> usize {
        self.log_t
    }

    /// All variables, address variables first.
    pub fn num_vars(&self) -> usize {
        self.log_k + self.log_t
    }

    /// The address read on each cycle.
    pub fn addresses(&self) -> &[u32] {
        &self.addresses
    }

    /// The hypercube index of the 1 in column `j`: `a_j · T + j`.
    pub fn hot_index(&self, j: usize) -> usize {
        ((self.addresses[j] as usize) << self.log_t) | j
    }

    /// The value at `point = (r_k, r_j)` (big-endian, address variables first): `O(K + T)`.
    ///
    /// # Panics
    /// If the point does not have [`Self::num_vars`] coordinates.
    pub fn evaluate(&self, point: &[Fr]) -> Fr {
        assert_eq!(point.len(), self.num_vars(), "point of the wrong dimension");
        let (r_k, r_j) = point.split_at(self.log_k);
        let eq_k = eq_table(r_k);
        let eq_j = eq_table(r_j);
        self.addresses
            .par_iter()
            .zip(eq_j.par_iter())
            .map(|(a, e)| eq_k[*a as usize] * e)
            .sum()
    }

    /// The dense `K · T` hypercube values (for tests and small matrices only).
    pub fn to_dense(&self) -> DenseMle {
        let mut values = vec![Fr::from(0u64); 1 << self.num_vars()];
        for j in 0..self.addresses.len() {
            values[self.hot_index(j)] = Fr::from(1u64);
        }
        DenseMle::new(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;

    #[test]
    fn the_sparse_evaluation_matches_the_dense_one() {
        let mut rng = ark_std::test_rng();
        let ra = OneHotMle::new(3, vec![5, 0, 7, 5, 2, 2, 1, 6]).unwrap();
        let point: Vec<Fr> = (0..ra.num_vars()).map(|_| Fr::rand(&mut rng)).collect();
        assert_eq!(ra.evaluate(&point), ra.to_dense().evaluate(&point));
    }

    #[test]
    fn bad_shapes_are_refused_with_the_offending_value() {
        assert_eq!(
            OneHotMle::new(3, vec![0; 6]),
            Err(OneHotError::CyclesNotPowerOfTwo(6))
        );
        assert_eq!(
            OneHotMle::new(64, vec![0]),
            Err(OneHotError::TooManyAddressBits(64))
        );
        let err = OneHotMle::new(2, vec![0, 4]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cycle 1 reads address 4, beyond a memory of 2^2 cells"
        );
    }
}
