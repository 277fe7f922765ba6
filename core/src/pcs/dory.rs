//! Dory (Lee 2021, "Dory: Efficient, Transparent arguments for Generalised Inner Products and
//! Polynomial Commitments") over BN254, through the `dory-pcs` crate.
//!
//! A polynomial with `n` variables is laid out as a `2^ν × 2^σ` matrix in row-major order of
//! its hypercube values, with a **fixed row width** `σ = min(n, L/2)` for a setup of `L`
//! variables, and `ν = n - σ ≤ σ`. Committing is two-tiered: each row is committed by an MSM
//! against the G1 generators, and the commitment is `Σ_i e(row_i, Γ2[i])` in GT. Since the row
//! width does not depend on `n`, zero-padding a polynomial does not change its commitment, which
//! is what lets polynomials of different sizes share one batched opening.
//!
//! `dory-pcs` indexes variables little-endian (its point's coordinate 0 is the least significant
//! index bit) while [`DenseMle`] is big-endian, so points are reversed at this boundary.
//!
//! The Dory protocol runs on our [`Transcript`] through [`DoryTranscript`], which implements the
//! crate's transcript trait, so the opening is bound to everything absorbed before it.

use super::msm::FixedBaseTable;
use super::{evaluate_batch, labels, setup_cache, PcsError};
use crate::poly::DenseMle;
use crate::transcript::Transcript;
use ark_bn254::{Bn254, Fr, G1Affine, G1Projective};
use ark_ec::pairing::PairingOutput;
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_ff::{One, Zero};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, SerializationError};
use dory_pcs::backends::arkworks::{
    ArkDoryProof, ArkFr, ArkG1, ArkG2, ArkGT, G1Routines, G2Routines, BN254,
};
use dory_pcs::primitives::arithmetic::{DoryRoutines, Field as DoryField, Group, PairingCurve};
use dory_pcs::primitives::poly::{MultilinearLagrange, Polynomial};
use dory_pcs::{
    DoryError, FirstReduceMessage, Mode, ProverSetup, ScalarProductMessage, SecondReduceMessage,
    Transparent, VMVMessage, VerifierSetup,
};
use rayon::prelude::*;
use std::sync::OnceLock;

/// The Dory commitment scheme.
#[derive(Clone, Copy, Debug, Default)]
pub struct DoryPcs;

/// Dory public parameters for up to `max_num_vars` variables (prover and verifier parts).
#[derive(Clone, Debug)]
pub struct DorySetup {
    pub(super) prover: ProverSetup<BN254>,
    verifier: VerifierSetup<BN254>,
    /// The row generators' precomputed multiples, built on the first commitment (a verifier
    /// never needs them).
    fixed_bases: OnceLock<FixedBaseTable>,
    log_n: usize,
}

impl DorySetup {
    /// The largest number of variables a polynomial may have.
    pub fn max_num_vars(&self) -> usize {
        self.log_n
    }

    /// The row width `σ` and row count `ν` of a polynomial with `n` variables.
    pub(super) fn split(&self, n: usize) -> (usize, usize) {
        let sigma = n.min(self.log_n / 2);
        (n - sigma, sigma)
    }

    /// The precomputed multiples of the `2^σ` row generators. Building them also fills
    /// `dory-pcs`'s cache of the generators' prepared pairing forms, which every commitment
    /// (`Σ_i e(row_i, Γ2[i])`) and opening would otherwise recompute.
    pub(super) fn fixed_bases(&self) -> &FixedBaseTable {
        self.fixed_bases.get_or_init(|| {
            let width = 1usize << (self.log_n / 2);
            dory_pcs::backends::arkworks::init_cache(
                &self.prover.g1_vec[..width],
                &self.prover.g2_vec[..width],
            );
            let bases: Vec<G1Affine> = self.prover.g1_vec[..width]
                .iter()
                .map(|g| g.0.into_affine())
                .collect();
            FixedBaseTable::new(&bases)
        })
    }

    pub(super) fn check_size(&self, num_vars: usize) -> Result<(), PcsError> {
        if num_vars > self.log_n {
            return Err(PcsError::TooLarge {
                num_vars,
                max: self.log_n,
            });
        }
        Ok(())
    }
}

/// A Dory commitment: an element of GT, and the number of variables of the polynomial.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct DoryCommitment {
    /// The polynomial's number of variables.
    pub num_vars: u32,
    /// `Σ_i e(row_i, Γ2[i])`.
    pub gt: ArkGT,
}

/// The prover's row commitments (affine) of a committed polynomial.
#[derive(Clone, Debug)]
pub struct DoryProverData {
    pub(super) rows: Vec<G1Affine>,
    pub(super) num_vars: usize,
}

/// A Dory opening proof (transparent mode).
#[derive(Clone, Debug, PartialEq)]
pub struct DoryProof {
    pub(super) inner: ArkDoryProof,
}

/// The most reduce rounds a proof may claim (a setup of 2^64 values).
const MAX_ROUNDS: usize = 32;

// ---------------------------------------------------------------------------------------------
// The transcript adapter.

/// Our [`Transcript`] seen through `dory-pcs`'s transcript trait: every Dory message is absorbed
/// under `dory/<label>` and every challenge is squeezed from the same state. `reset` does not
/// wipe the state (that would unbind the opening from the proof); it absorbs the domain label.
pub struct DoryTranscript<'a>(pub &'a mut Transcript);

impl DoryTranscript<'_> {
    fn label(label: &[u8]) -> Vec<u8> {
        [labels::DORY_PREFIX, label].concat()
    }
    fn absorb_dory<S: dory_pcs::primitives::DorySerialize>(&mut self, label: &[u8], s: &S) {
        let mut bytes = Vec::new();
        // Serializing into a Vec cannot fail for the arkworks backend's types; on the impossible
        // failure the (empty or partial) bytes are still absorbed, which only changes challenges.
        let _ = s.serialize_with_mode(&mut bytes, dory_pcs::primitives::Compress::Yes);
        self.0.absorb_bytes(&Self::label(label), &bytes);
    }
}

impl dory_pcs::primitives::transcript::Transcript for DoryTranscript<'_> {
    type Curve = BN254;

    fn append_bytes(&mut self, label: &[u8], bytes: &[u8]) {
        self.0.absorb_bytes(&Self::label(label), bytes);
    }

    fn append_field(&mut self, label: &[u8], x: &ArkFr) {
        self.0.absorb_field(&Self::label(label), &x.0);
    }

    fn append_group<G: Group>(&mut self, label: &[u8], g: &G) {
        self.absorb_dory(label, g);
    }

    fn append_serde<S: dory_pcs::primitives::DorySerialize>(&mut self, label: &[u8], s: &S) {
        self.absorb_dory(label, s);
    }

    fn challenge_scalar(&mut self, label: &[u8]) -> ArkFr {
        self.0.absorb_bytes(&Self::label(label), &[]);
        ArkFr(self.0.challenge())
    }

    fn reset(&mut self, domain_label: &[u8]) {
        self.0.absorb_bytes(&Self::label(b"reset"), domain_label);
    }
}

// ---------------------------------------------------------------------------------------------
// The matrix view of a table, as `dory-pcs` needs it for the opening.

struct Matrix<'a> {
    values: &'a [Fr],
    num_vars: usize,
}

impl Polynomial<ArkFr> for Matrix<'_> {
    fn num_vars(&self) -> usize {
        self.num_vars
    }

    fn evaluate(&self, point: &[ArkFr]) -> ArkFr {
        // Dory's point is little-endian; ours big-endian.
        let r: Vec<Fr> = point.iter().rev().map(|x| x.0).collect();
        ArkFr(crate::poly::inner_product(
            self.values,
            &crate::poly::eq_table(&r),
        ))
    }

    fn commit<E, Mo, M1>(
        &self,
        nu: usize,
        sigma: usize,
        setup: &ProverSetup<E>,
    ) -> Result<(E::GT, Vec<E::G1>, ArkFr), DoryError>
    where
        E: PairingCurve,
        Mo: Mode,
        M1: DoryRoutines<E::G1>,
        E::G1: Group<Scalar = ArkFr>,
        E::GT: Group<Scalar = ArkFr>,
    {
        // Only reached if `dory-pcs` is asked to commit itself; we always pass row commitments.
        let cols = 1usize << sigma;
        if self.values.len() != cols << nu || setup.g1_vec.len() < cols {
            return Err(DoryError::InvalidSize {
                expected: cols << nu,
                actual: self.values.len(),
            });
        }
        let rows: Vec<E::G1> = self
            .values
            .chunks(cols)
            .map(|row| {
                let s: Vec<ArkFr> = row.iter().map(|x| ArkFr(*x)).collect();
                M1::msm(&setup.g1_vec[..cols], &s)
            })
            .collect();
        let gt = E::multi_pair_g2_setup(&rows, &setup.g2_vec[..rows.len()]);
        Ok((gt, rows, ArkFr::zero()))
    }
}

impl MultilinearLagrange<ArkFr> for Matrix<'_> {
    fn vector_matrix_product(&self, left_vec: &[ArkFr], nu: usize, sigma: usize) -> Vec<ArkFr> {
        // v[j] = Σ_i left[i] · M[i][j], parallel over column blocks, rows streamed in order.
        let cols = 1usize << sigma;
        let rows = (1usize << nu).min(self.values.len() / cols.max(1));
        let mut v = vec![Fr::zero(); cols];
        let block = (cols / (4 * rayon::current_num_threads())).max(64);
        v.par_chunks_mut(block).enumerate().for_each(|(b, out)| {
            let start = b * block;
            for (i, l) in left_vec.iter().enumerate().take(rows) {
                let row = &self.values[i * cols + start..i * cols + start + out.len()];
                for (o, m) in out.iter_mut().zip(row) {
                    *o += l.0 * m;
                }
            }
        });
        v.into_iter().map(ArkFr).collect()
    }
}

pub(super) fn finish_commit(
    setup: &DorySetup,
    num_vars: usize,
    rows: Vec<G1Projective>,
) -> (DoryCommitment, DoryProverData) {
    let rows = G1Projective::normalize_batch(&rows);
    let ark_rows: Vec<ArkG1> = rows.iter().map(|a| ArkG1((*a).into())).collect();
    let gt = if ark_rows.is_empty() {
        ArkGT::identity()
    } else {
        BN254::multi_pair_g2_setup(&ark_rows, &setup.prover.g2_vec[..ark_rows.len()])
    };
    (
        DoryCommitment {
            num_vars: num_vars as u32,
            gt,
        },
        DoryProverData { rows, num_vars },
    )
}

fn absorb_statement(transcript: &mut Transcript, point: &[Fr], sizes: &[usize], evals: &[Fr]) {
    transcript.absorb_fields(labels::OPEN_POINT, point);
    let bytes: Vec<u8> = sizes
        .iter()
        .flat_map(|n| (*n as u64).to_le_bytes())
        .collect();
    transcript.absorb_bytes(labels::OPEN_NUM_VARS, &bytes);
    transcript.absorb_fields(labels::OPEN_EVALS, evals);
}

/// Starts opening a batch of polynomials of `sizes` variables: checks it, absorbs the point,
/// the sizes and the evaluations, and draws the combination's coefficients `ρ`.
pub(super) fn begin_opening(
    setup: &DorySetup,
    sizes: &[usize],
    data: &[&DoryProverData],
    point: &[Fr],
    evals: &[Fr],
    transcript: &mut Transcript,
) -> Result<Vec<Fr>, PcsError> {
    check_batch(setup, sizes, data, evals, point.len())?;
    absorb_statement(transcript, point, sizes, evals);
    Ok(transcript.challenges(sizes.len()))
}

/// Checks that a batch to open is well formed: as many prover data and evaluations as
/// polynomials (of `sizes` variables), none larger than the point (`n` coordinates) or the setup.
fn check_batch(
    setup: &DorySetup,
    sizes: &[usize],
    data: &[&DoryProverData],
    evals: &[Fr],
    n: usize,
) -> Result<(), PcsError> {
    setup.check_size(n)?;
    if sizes.is_empty() || sizes.len() != data.len() || sizes.len() != evals.len() {
        return Err(PcsError::InvalidBatch(format!(
            "{} polynomials, {} prover data, {} evaluations",
            sizes.len(),
            data.len(),
            evals.len()
        )));
    }
    for (index, (m, d)) in sizes.iter().zip(data).enumerate() {
        if *m > n {
            return Err(PcsError::PointTooShort {
                index,
                num_vars: *m,
                point_len: n,
            });
        }
        if *m != d.num_vars {
            return Err(PcsError::InvalidBatch(format!(
                "polynomial {index} has {m} variables, its prover data {}",
                d.num_vars
            )));
        }
    }
    Ok(())
}

/// The row commitments `Σ_i ρ_i · rows_i` of a batch's combination (`2^nu` rows).
pub(super) fn combined_rows(data: &[&DoryProverData], rho: &[Fr], nu: usize) -> Vec<G1Projective> {
    (0..1usize << nu)
        .into_par_iter()
        .map(|k| {
            let (bases, scalars): (Vec<G1Affine>, Vec<Fr>) = data
                .iter()
                .zip(rho)
                .filter_map(|(d, r)| d.rows.get(k).map(|b| (*b, *r)))
                .unzip();
            G1Projective::msm_unchecked(&bases, &scalars)
        })
        .collect()
}

/// The Dory evaluation proof of `matrix` (the batch's combination, whose row commitments are
/// `rows`) at `point`.
pub(super) fn prove_opening<P: MultilinearLagrange<ArkFr>>(
    setup: &DorySetup,
    matrix: &P,
    point: &[Fr],
    rows: Vec<G1Projective>,
    transcript: &mut Transcript,
) -> Result<DoryProof, PcsError> {
    let (nu, sigma) = setup.split(point.len());
    let rows: Vec<ArkG1> = rows.into_iter().map(ArkG1).collect();
    let z: Vec<ArkFr> = point.iter().rev().map(|x| ArkFr(*x)).collect();
    let mut dt = DoryTranscript(transcript);
    let (inner, _) = dory_pcs::evaluation_proof::create_evaluation_proof::<
        ArkFr,
        BN254,
        G1Routines,
        G2Routines,
        DoryTranscript<'_>,
        P,
        Transparent,
    >(
        matrix,
        &z,
        Some(rows),
        ArkFr::zero(),
        nu,
        sigma,
        &setup.prover,
        &mut dt,
    )
    .map_err(|e| PcsError::InvalidBatch(e.to_string()))?;
    Ok(DoryProof { inner })
}

/// `Π_{k < n - m} (1 - r_k)`: the factor of a polynomial with `m` variables zero-padded to `n`.
pub(super) fn padding_factor(point: &[Fr], m: usize) -> Fr {
    let n = point.len();
    point
        .iter()
        .take(n.saturating_sub(m))
        .map(|r| Fr::one() - r)
        .product()
}

/// A multilinear polynomial commitment scheme with batched openings at one point.
impl DoryPcs {
    /// Parameters for polynomials of up to `max_num_vars` variables.
    pub fn setup(max_num_vars: usize) -> Result<DorySetup, PcsError> {
        if max_num_vars > 2 * MAX_ROUNDS {
            return Err(PcsError::Setup(format!(
                "{max_num_vars} variables is beyond any setup"
            )));
        }
        // Generators come in powers of two, so round the size up to even.
        let log_n = max_num_vars.div_ceil(2) * 2;
        let (prover, verifier) = setup_cache::load_or_generate(log_n)?;
        Ok(DorySetup {
            prover,
            verifier,
            fixed_bases: OnceLock::new(),
            log_n,
        })
    }

    /// Commits to a polynomial given by its hypercube values.
    pub fn commit(
        setup: &DorySetup,
        poly: &DenseMle,
    ) -> Result<(DoryCommitment, DoryProverData), PcsError> {
        let n = poly.num_vars();
        setup.check_size(n)?;
        let _span =
            tracing::debug_span!(target: "zkvm::prover", "dory::commit", num_vars = n).entered();
        let (_, sigma) = setup.split(n);
        let bases = setup.fixed_bases();
        let rows: Vec<G1Projective> = poly
            .evals()
            .par_chunks(1 << sigma)
            .map(|row| bases.msm(row))
            .collect();
        Ok(finish_commit(setup, n, rows))
    }

    /// Commits to the polynomial whose hypercube values are the small integers `values`, padded
    /// with zeros to `2^num_vars`: much cheaper than [`DoryPcs::commit`] for bits, bytes and words.
    pub fn commit_small(
        setup: &DorySetup,
        values: &[u64],
        num_vars: usize,
    ) -> Result<(DoryCommitment, DoryProverData), PcsError> {
        setup.check_size(num_vars)?;
        if values.len() > 1 << num_vars {
            return Err(PcsError::InvalidBatch(format!(
                "{} values do not fit in {num_vars} variables",
                values.len()
            )));
        }
        let _span =
            tracing::debug_span!(target: "zkvm::prover", "dory::commit_small", num_vars).entered();
        let (nu, sigma) = setup.split(num_vars);
        let bases = setup.fixed_bases();
        let mut rows: Vec<G1Projective> = values
            .par_chunks(1 << sigma)
            .map(|row| bases.msm_small(row))
            .collect();
        rows.resize(1 << nu, G1Projective::zero());
        Ok(finish_commit(setup, num_vars, rows))
    }

    /// Opens `polys` at `point` (shorter polynomials at the tail of `point`, see the module doc)
    /// given their evaluations there, absorbing the point and the evaluations first.
    pub fn open_batch_with_evals(
        setup: &DorySetup,
        polys: &[&DenseMle],
        data: &[&DoryProverData],
        point: &[Fr],
        evals: &[Fr],
        transcript: &mut Transcript,
    ) -> Result<DoryProof, PcsError> {
        let n = point.len();
        let _span =
            tracing::debug_span!(target: "zkvm::prover", "dory::open_batch", num_vars = n, count = polys.len()).entered();
        let sizes: Vec<usize> = polys.iter().map(|p| p.num_vars()).collect();
        let rho = begin_opening(setup, &sizes, data, point, evals, transcript)?;

        // The combination Σ ρ_i · pad(p_i), its row commitments Σ ρ_i · rows_i.
        let mut table = vec![Fr::zero(); 1 << n];
        const CHUNK: usize = 1 << 12;
        table
            .par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(c, out)| {
                let start = c * CHUNK;
                for (p, r) in polys.iter().zip(&rho) {
                    let src = p.evals();
                    if start >= src.len() {
                        continue;
                    }
                    let end = (start + out.len()).min(src.len());
                    for (o, v) in out.iter_mut().zip(&src[start..end]) {
                        *o += *r * v;
                    }
                }
            });
        let nu = setup.split(n).0;
        let rows = combined_rows(data, &rho, nu);
        let matrix = Matrix {
            values: &table,
            num_vars: n,
        };
        prove_opening(setup, &matrix, point, rows, transcript)
    }

    /// Opens `polys` at `point`, computing their evaluations itself.
    pub fn open_batch(
        setup: &DorySetup,
        polys: &[&DenseMle],
        data: &[&DoryProverData],
        point: &[Fr],
        transcript: &mut Transcript,
    ) -> Result<DoryProof, PcsError> {
        let evals = evaluate_batch(polys, point)?;
        Self::open_batch_with_evals(setup, polys, data, point, &evals, transcript)
    }

    /// Verifies that the committed polynomials take `evals` at `point`.
    pub fn verify_batch(
        setup: &DorySetup,
        commitments: &[&DoryCommitment],
        point: &[Fr],
        evals: &[Fr],
        proof: &DoryProof,
        transcript: &mut Transcript,
    ) -> Result<(), PcsError> {
        let n = point.len();
        setup.check_size(n)?;
        if commitments.is_empty() || commitments.len() != evals.len() {
            return Err(PcsError::InvalidBatch(format!(
                "{} commitments, {} evaluations",
                commitments.len(),
                evals.len()
            )));
        }
        let sizes: Vec<usize> = commitments.iter().map(|c| c.num_vars as usize).collect();
        for (index, m) in sizes.iter().enumerate() {
            if *m > n {
                return Err(PcsError::PointTooShort {
                    index,
                    num_vars: *m,
                    point_len: n,
                });
            }
        }
        let (nu, sigma) = setup.split(n);
        if proof.inner.nu != nu || proof.inner.sigma != sigma {
            return Err(PcsError::MalformedProof(format!(
                "matrix {}x{} for {n} variables, expected {nu}x{sigma}",
                proof.inner.nu, proof.inner.sigma
            )));
        }
        absorb_statement(transcript, point, &sizes, evals);
        let rho = transcript.challenges(commitments.len());
        // Σ ρ_i · C_i in GT as one multi-exponentiation (Pippenger's buckets, cyclotomic
        // squarings): the verifier's main cost when a proof commits ~100 columns.
        let bases: Vec<PairingOutput<Bn254>> = commitments.iter().map(|c| c.gt.0).collect();
        let combined = ArkGT(PairingOutput::msm_unchecked(&bases, &rho));
        let value: Fr = evals
            .iter()
            .zip(&rho)
            .zip(&sizes)
            .map(|((e, r), m)| *r * e * padding_factor(point, *m))
            .sum();
        let z: Vec<ArkFr> = point.iter().rev().map(|x| ArkFr(*x)).collect();
        let mut dt = DoryTranscript(transcript);
        dory_pcs::evaluation_proof::verify_evaluation_proof::<
            ArkFr,
            BN254,
            G1Routines,
            G2Routines,
            DoryTranscript<'_>,
        >(
            combined,
            ArkFr(value),
            &z,
            &proof.inner,
            setup.verifier.clone(),
            &mut dt,
        )
        .map_err(|e| PcsError::Rejected(e.to_string()))
    }
}

// ---------------------------------------------------------------------------------------------
// Serialization of the proof: our own, bounded, so garbage can never make us allocate wildly.

crate::impl_serialization!(DoryProof {
    write(self, w, compress) {
        let p = &self.inner;
        let fin = p
            .final_message
            .as_ref()
            .ok_or(SerializationError::InvalidData)?;
        if p.first_messages.len() > MAX_ROUNDS || p.second_messages.len() != p.first_messages.len()
        {
            return Err(SerializationError::InvalidData);
        }
        (p.nu as u8).serialize_with_mode(&mut w, compress)?;
        (p.sigma as u8).serialize_with_mode(&mut w, compress)?;
        (p.first_messages.len() as u8).serialize_with_mode(&mut w, compress)?;
        p.vmv_message.c.serialize_with_mode(&mut w, compress)?;
        p.vmv_message.d2.serialize_with_mode(&mut w, compress)?;
        p.vmv_message.e1.serialize_with_mode(&mut w, compress)?;
        for (f, s) in p.first_messages.iter().zip(&p.second_messages) {
            f.d1_left.serialize_with_mode(&mut w, compress)?;
            f.d1_right.serialize_with_mode(&mut w, compress)?;
            f.d2_left.serialize_with_mode(&mut w, compress)?;
            f.d2_right.serialize_with_mode(&mut w, compress)?;
            f.e1_beta.serialize_with_mode(&mut w, compress)?;
            f.e2_beta.serialize_with_mode(&mut w, compress)?;
            s.c_plus.serialize_with_mode(&mut w, compress)?;
            s.c_minus.serialize_with_mode(&mut w, compress)?;
            s.e1_plus.serialize_with_mode(&mut w, compress)?;
            s.e1_minus.serialize_with_mode(&mut w, compress)?;
            s.e2_plus.serialize_with_mode(&mut w, compress)?;
            s.e2_minus.serialize_with_mode(&mut w, compress)?;
        }
        fin.e1.serialize_with_mode(&mut w, compress)?;
        fin.e2.serialize_with_mode(&mut w, compress)?;
        Ok(())
    }
    size(self, compress) {
        let p = &self.inner;
        let gt = ArkGT::identity().serialized_size(compress);
        let g1 = ArkG1::identity().serialized_size(compress);
        let g2 = ArkG2::identity().serialized_size(compress);
        3 + 2 * gt + g1 + p.first_messages.len() * (6 * gt + 3 * g1 + 3 * g2) + g1 + g2
    }
    read(r, compress, validate) {
        let nu = u8::deserialize_with_mode(&mut r, compress, validate)? as usize;
        let sigma = u8::deserialize_with_mode(&mut r, compress, validate)? as usize;
        let rounds = u8::deserialize_with_mode(&mut r, compress, validate)? as usize;
        if rounds > MAX_ROUNDS || nu > MAX_ROUNDS || sigma > MAX_ROUNDS {
            return Err(SerializationError::InvalidData);
        }
        let gt = |r: &mut R| ArkGT::deserialize_with_mode(r, compress, validate);
        let g1 = |r: &mut R| ArkG1::deserialize_with_mode(r, compress, validate);
        let g2 = |r: &mut R| ArkG2::deserialize_with_mode(r, compress, validate);
        let vmv_message = VMVMessage {
            c: gt(&mut r)?,
            d2: gt(&mut r)?,
            e1: g1(&mut r)?,
        };
        let mut first_messages = Vec::with_capacity(rounds);
        let mut second_messages = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            first_messages.push(FirstReduceMessage {
                d1_left: gt(&mut r)?,
                d1_right: gt(&mut r)?,
                d2_left: gt(&mut r)?,
                d2_right: gt(&mut r)?,
                e1_beta: g1(&mut r)?,
                e2_beta: g2(&mut r)?,
            });
            second_messages.push(SecondReduceMessage {
                c_plus: gt(&mut r)?,
                c_minus: gt(&mut r)?,
                e1_plus: g1(&mut r)?,
                e1_minus: g1(&mut r)?,
                e2_plus: g2(&mut r)?,
                e2_minus: g2(&mut r)?,
            });
        }
        let final_message = Some(ScalarProductMessage {
            e1: g1(&mut r)?,
            e2: g2(&mut r)?,
        });
        Ok(DoryProof {
            inner: ArkDoryProof {
                vmv_message,
                first_messages,
                second_messages,
                final_message,
                nu,
                sigma,
            },
        })
    }
});
