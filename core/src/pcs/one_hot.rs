//! Dory commitments and openings of one-hot polynomials ([`OneHotMle`]) without materialising
//! their `K · T` values: the Dory matrix of `ra` has one nonzero entry per cycle, so committing
//! costs one group addition per cycle (Twist and Shout, §3.2: "commitments to one-hot vectors
//! cost one group operation per nonzero"), and the opening's vector-matrix product one field
//! multiplication-addition per cycle. The commitment is the one [`DoryPcs::commit`] would
//! compute from the dense values, so [`DoryPcs::verify_batch`] checks the openings unchanged.

use ark_bn254::{Fr, G1Projective};
use ark_ff::Zero;
use dory_pcs::backends::arkworks::ArkFr;
use dory_pcs::primitives::arithmetic::{DoryRoutines, Group, PairingCurve};
use dory_pcs::primitives::poly::{MultilinearLagrange, Polynomial};
use dory_pcs::{DoryError, Mode, ProverSetup};
use rayon::prelude::*;

use super::dory::{begin_opening, combined_rows, finish_commit, padding_factor, prove_opening};
use super::{DoryCommitment, DoryPcs, DoryProof, DoryProverData, DorySetup, PcsError};
use crate::one_hot::OneHotMle;
use crate::transcript::Transcript;

impl DoryPcs {
    /// Commits to a one-hot polynomial: row `i` of its Dory matrix is the sum of the generators
    /// at the columns of its nonzero entries, one mixed addition per cycle.
    pub fn commit_one_hot(
        setup: &DorySetup,
        ra: &OneHotMle,
    ) -> Result<(DoryCommitment, DoryProverData), PcsError> {
        let n = ra.num_vars();
        setup.check_size(n)?;
        let _span =
            tracing::debug_span!(target: "zkvm::prover", "dory::commit_one_hot", num_vars = n)
                .entered();
        let (nu, sigma) = setup.split(n);
        let bases = setup.fixed_bases();
        // (row, column) of each cycle's 1, grouped by row.
        let mut hot: Vec<(usize, usize)> = (0..ra.addresses().len())
            .into_par_iter()
            .map(|j| {
                let i = ra.hot_index(j);
                (i >> sigma, i & ((1 << sigma) - 1))
            })
            .collect();
        hot.par_sort_unstable();
        let mut rows = vec![G1Projective::zero(); 1 << nu];
        let starts: Vec<usize> = (0..hot.len())
            .filter(|&e| e == 0 || hot[e].0 != hot[e - 1].0)
            .collect();
        let sums: Vec<(usize, G1Projective)> = starts
            .par_iter()
            .enumerate()
            .map(|(s, &start)| {
                let end = starts.get(s + 1).copied().unwrap_or(hot.len());
                let row = hot[start].0;
                let sum = hot[start..end]
                    .iter()
                    .fold(G1Projective::zero(), |acc, (_, col)| acc + bases.base(*col));
                (row, sum)
            })
            .collect();
        for (row, sum) in sums {
            rows[row] = sum;
        }
        Ok(finish_commit(setup, n, rows))
    }

    /// Opens one-hot polynomials at `point` (shorter ones at its tail, as
    /// [`DoryPcs::open_batch_with_evals`]) given their evaluations there; verified by
    /// [`DoryPcs::verify_batch`] against their commitments.
    pub fn open_one_hot_batch(
        setup: &DorySetup,
        polys: &[&OneHotMle],
        data: &[&DoryProverData],
        point: &[Fr],
        evals: &[Fr],
        transcript: &mut Transcript,
    ) -> Result<DoryProof, PcsError> {
        let n = point.len();
        let sizes: Vec<usize> = polys.iter().map(|p| p.num_vars()).collect();
        let rho = begin_opening(setup, &sizes, data, point, evals, transcript)?;
        let rows = combined_rows(data, &rho, setup.split(n).0);
        let matrix = SparseMatrix {
            entries: polys
                .iter()
                .zip(&rho)
                .flat_map(|(p, r)| (0..p.addresses().len()).map(move |j| (p.hot_index(j), *r)))
                .collect(),
            num_vars: n,
            value: evals
                .iter()
                .zip(&rho)
                .zip(&sizes)
                .map(|((e, r), m)| *r * e * padding_factor(point, *m))
                .sum(),
        };
        prove_opening(setup, &matrix, point, rows, transcript)
    }
}

/// A Dory matrix given by its nonzero entries `(hypercube index, value)` (indices may repeat;
/// their values add).
struct SparseMatrix {
    entries: Vec<(usize, Fr)>,
    num_vars: usize,
    /// The matrix's value at the opening point, computed by the caller.
    value: Fr,
}

impl Polynomial<ArkFr> for SparseMatrix {
    fn num_vars(&self) -> usize {
        self.num_vars
    }

    fn evaluate(&self, _point: &[ArkFr]) -> ArkFr {
        // Only the opening point is ever asked for (and only by `dory-pcs`'s zero-knowledge
        // mode, which we do not use).
        ArkFr(self.value)
    }

    fn commit<E, Mo, M1>(
        &self,
        _nu: usize,
        _sigma: usize,
        _setup: &ProverSetup<E>,
    ) -> Result<(E::GT, Vec<E::G1>, ArkFr), DoryError>
    where
        E: PairingCurve,
        Mo: Mode,
        M1: DoryRoutines<E::G1>,
        E::G1: Group<Scalar = ArkFr>,
        E::GT: Group<Scalar = ArkFr>,
    {
        // The row commitments are always passed in.
        Err(DoryError::InvalidSize {
            expected: 0,
            actual: self.entries.len(),
        })
    }
}

impl MultilinearLagrange<ArkFr> for SparseMatrix {
    fn vector_matrix_product(&self, left_vec: &[ArkFr], _nu: usize, sigma: usize) -> Vec<ArkFr> {
        // v[c] = Σ_i left[i] · M[i][c], one term per nonzero entry.
        let cols = 1usize << sigma;
        let v = self
            .entries
            .par_iter()
            .fold(
                || vec![Fr::zero(); cols],
                |mut v, (index, value)| {
                    if let Some(l) = left_vec.get(index >> sigma) {
                        v[index & (cols - 1)] += l.0 * value;
                    }
                    v
                },
            )
            .reduce(
                || vec![Fr::zero(); cols],
                |mut a, b| {
                    for (x, y) in a.iter_mut().zip(b) {
                        *x += y;
                    }
                    a
                },
            );
        v.into_iter().map(ArkFr).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;

    #[test]
    fn a_one_hot_commitment_is_the_dense_one_and_opens() {
        let mut rng = ark_std::test_rng();
        let setup = DoryPcs::setup(8).unwrap();
        // 2^3 addresses, 2^4 cycles: rows hold several addresses' cycles.
        let addresses: Vec<u32> = (0..16u32).map(|j| (j * 5 + 3) % 8).collect();
        let ra = OneHotMle::new(3, addresses).unwrap();
        let (comm, data) = DoryPcs::commit_one_hot(&setup, &ra).unwrap();
        let (dense_comm, _) = DoryPcs::commit(&setup, &ra.to_dense()).unwrap();
        assert_eq!(comm, dense_comm);

        let point: Vec<Fr> = (0..7).map(|_| Fr::rand(&mut rng)).collect();
        let eval = ra.evaluate(&point);
        let open = |eval: Fr| {
            let mut t = Transcript::new(b"one-hot");
            let proof =
                DoryPcs::open_one_hot_batch(&setup, &[&ra], &[&data], &point, &[eval], &mut t)
                    .unwrap();
            let mut t = Transcript::new(b"one-hot");
            DoryPcs::verify_batch(&setup, &[&comm], &point, &[eval], &proof, &mut t)
        };
        assert!(open(eval).is_ok());
        // A wrong evaluation, opened by the honest algorithm, is rejected.
        assert!(matches!(
            open(eval + Fr::from(1u64)),
            Err(PcsError::Rejected(_))
        ));
    }
}
