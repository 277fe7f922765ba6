//! Twist over addresses committed as bits, with inactive accesses: the zkVM's read-write memory
//! argument (`zkvm prove --memory-checking twist`).
//!
//! The Twist PIOP (Setty and Thaler, "Twist and Shout", ePrint 2025/105, §4: read checking and
//! Val evaluation) with the one-hot address split into `d = log K` chunks of one bit each, as
//! [`crate::shout::bits`] does for Shout: chunk `i` of access `j`'s one-hot address is
//! `(1 − b_i(j), b_i(j))`, so
//!
//! ```text
//! ra(k, j) = Π_i ẽ_i(k_i, j),   ẽ_i(k_i, j) = k_i b_i(j) + (1 − k_i)(1 − b_i(j)),
//! ```
//!
//! and a machine commits `log K` boolean columns per memory slot instead of a `K × T` matrix.
//! *Hamming weight one* holds by construction; **the caller proves the bits boolean** (the zkVM
//! does so in its R1CS, beside `addr = Σ_i 2^(log K − 1 − i) b_i`, which also keeps every address
//! below `K`).
//!
//! **Statement.** A memory of `K = 2^log_k` cells whose initial value `init(k)` the verifier can
//! evaluate at any point (the caller must have bound it into the transcript), and `T = 2^log_t`
//! accesses (`log_k, log_t ≥ 1`). Access `j` is active when `act(j) = 1` (it must be 0 or 1;
//! the caller proves that too): it reads `rv(j)` from cell `a_j` (the bits) and leaves `wv(j)`
//! there. An inactive access touches nothing and its values are free. With the increments
//! `Inc(j) = act(j) · (wv(j) − rv(j))` and
//! `Val(k, j) = init(k) + Σ_{j'} ra(k, j') · Inc(j') · LT(j', j)` (the value of cell `k` before
//! access `j`), the claim is `act(j) · (Val(a_j, j) − rv(j)) = 0` for every `j`.
//!
//! **Protocol.** The verifier draws `r ∈ F^log_t`.
//! 1. *Read checking* (the zero-check form of the paper's read-checking sumcheck), over `(k, j)`,
//!    address variables first, degree 4: `0 = Σ_{k,j} eq(r, j) · act(j) · ra(k, j) ·
//!    (Val(k, j) − rv(j))`. Since `Σ_k ra(k, j) = 1`, the inner sum over `k` is
//!    `act(j) · (Val(a_j, j) − rv(j))`, zero everywhere iff its extension vanishes at a random
//!    `r`. It ends at `(r_k, r_j)` with `act(r_j)`, `rv(r_j)` left to the caller, `ra(r_k, r_j)`
//!    to step 3 and `Val(r_k, r_j)` to step 2.
//! 2. *Val evaluation*, over `j'`, degree 4: `Val(r_k, r_j) − init(r_k) = Σ_{j'} act(j') ·
//!    ra(r_k, j') · (wv − rv)(j') · LT(j', r_j)`. It ends at `r''` with `act`, `rv`, `wv` there
//!    left to the caller and `ra(r_k, r'')` to step 3.
//! 3. *Bits*, over `j`, degree `log_k + 1`: with a fresh `z`, `ra(r_k, r_j) + z · ra(r_k, r'') =
//!    Σ_j (eq(r_j, j) + z · eq(r'', j)) · Π_i ẽ_i(r_{k,i}, j)`, which leaves the bits at one
//!    point `r_b` to the caller.
//!
//! **Prover.** The address rounds sweep the accesses in time order against the partly bound
//! memory, exactly as d = 1 Twist's (`sweep`, `O((T + K) log K)`), each access adding
//! its summand's three coefficients (it is quadratic in the round's variable); the cycle rounds
//! and step 2 run the dense prover, and step 3 its own (`prove_bits`), which multiplies only
//! the bits that differ across a pair.

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, One, Zero};
use rayon::prelude::*;

use super::{sweep, TwistError};
use crate::poly::{eq_eval, eq_table, lt_eval, lt_table, DenseMle};
use crate::sumcheck::{self, interpolate, SumcheckProof};
use crate::transcript::Transcript;

/// Transcript labels of Twist over bits.
pub mod labels {
    /// The memory's size and the run's length.
    pub const SHAPE: &[u8] = b"twist-bits-shape";
    /// The values at read checking's final point.
    pub const READ_EVALS: &[u8] = b"twist-bits-read-evals";
    /// The values at Val evaluation's final point.
    pub const VAL_EVALS: &[u8] = b"twist-bits-val-evals";
    /// The bits at the final point.
    pub const BIT_EVALS: &[u8] = b"twist-bits-bit-evals";
}

/// The degree of read checking and Val evaluation.
const DEGREE: usize = 4;

/// The accesses, as the prover has them: `2^log_t` of each.
#[derive(Clone, Copy, Debug)]
pub struct Accesses<'a> {
    /// 1 for an active access, 0 for an inactive one.
    pub active: &'a [Fr],
    /// The address the committed bits spell (for every access, active or not).
    pub addresses: &'a [u32],
    /// The values read.
    pub reads: &'a [Fr],
    /// The values written.
    pub writes: &'a [Fr],
}

/// The access columns' values at one point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValuesAt {
    /// `act`.
    pub active: Fr,
    /// `rv`.
    pub read: Fr,
    /// `wv`.
    pub write: Fr,
}

/// A proof: the three sumchecks and the values at their final points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwistBitsProof {
    /// Read checking over `(k, j)`.
    pub read_checking: SumcheckProof,
    /// `act(r_j)`, `rv(r_j)` (`wv(r_j)` is not used and sent as 0), for the caller.
    pub read_values: ValuesAt,
    /// `ra(r_k, r_j)`, for step 3.
    pub read_ra: Fr,
    /// `Val(r_k, r_j)`, proven by Val evaluation.
    pub read_val: Fr,
    /// Val evaluation over `j'`.
    pub val_evaluation: SumcheckProof,
    /// `act`, `rv`, `wv` at `r''`, for the caller.
    pub val_values: ValuesAt,
    /// `ra(r_k, r'')`, for step 3.
    pub val_ra: Fr,
    /// Step 3 over `j`.
    pub bits: SumcheckProof,
    /// The bits at `r_b`, most significant first, for the caller.
    pub bit_values: Vec<Fr>,
}

crate::impl_serialization!(ValuesAt {
    active: one,
    read: one,
    write: one,
});

crate::impl_serialization!(TwistBitsProof {
    read_checking: one,
    read_values: one,
    read_ra: one,
    read_val: one,
    val_evaluation: one,
    val_values: one,
    val_ra: one,
    bits: one,
    bit_values: vec,
});

/// What the caller must check against its committed columns once the verifier accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessOpenings {
    /// `r_j` and the values there (only `active` and `read` are claimed).
    pub read: (Vec<Fr>, ValuesAt),
    /// `r''` and the values there.
    pub val: (Vec<Fr>, ValuesAt),
    /// `r_b` and the bits there, most significant first.
    pub bits: (Vec<Fr>, Vec<Fr>),
}

fn check_shape(log_k: usize, log_t: usize) -> Result<(), TwistError> {
    if !(1..=32).contains(&log_k) || !(1..=40).contains(&log_t) {
        return Err(TwistError::Shape(format!(
            "2^{log_k} cells and 2^{log_t} accesses (both must be 2^1 or more, and cells at most \
             2^32)"
        )));
    }
    Ok(())
}

/// `ẽ_i` at a bit value `b` and an address coordinate `r`.
fn bit_eq(b: Fr, r: Fr) -> Fr {
    b * r + (Fr::one() - b) * (Fr::one() - r)
}

/// Step 3's summand: `w · Π_i ẽ_i(r_k[i], b_i)` for `p = (w, b_0, …)`.
fn bits_summand(p: &[Fr], r_k: &[Fr]) -> Fr {
    p[1..]
        .iter()
        .zip(r_k)
        .fold(p[0], |acc, (b, r)| acc * bit_eq(*b, *r))
}

/// Proves that the accesses are consistent with the memory `init` (all `K` cells). The caller
/// must have committed the access columns and the bits, and bound `init`, before this call.
pub fn prove(
    init: &[Fr],
    accesses: Accesses,
    transcript: &mut Transcript,
) -> Result<(TwistBitsProof, AccessOpenings), TwistError> {
    prove_with_bits(init, accesses, accesses.addresses, transcript)
}

/// [`prove`], with the bits of step 3 spelling `bit_addresses` (a malicious prover's, in the
/// tests, when they differ from the accesses' addresses).
fn prove_with_bits(
    init: &[Fr],
    accesses: Accesses,
    bit_addresses: &[u32],
    transcript: &mut Transcript,
) -> Result<(TwistBitsProof, AccessOpenings), TwistError> {
    let t_len = accesses.active.len();
    if !init.len().is_power_of_two() || !t_len.is_power_of_two() {
        return Err(TwistError::Shape(format!(
            "{} cells and {t_len} accesses are not powers of two",
            init.len()
        )));
    }
    let (log_k, log_t) = (
        init.len().trailing_zeros() as usize,
        t_len.trailing_zeros() as usize,
    );
    check_shape(log_k, log_t)?;
    let Accesses {
        active,
        addresses,
        reads,
        writes,
    } = accesses;
    if [
        addresses.len(),
        reads.len(),
        writes.len(),
        bit_addresses.len(),
    ] != [t_len; 4]
        || addresses.iter().any(|a| (*a as usize) >= init.len())
    {
        return Err(TwistError::Shape(
            "the accesses' columns differ in length, or an address is beyond the memory".into(),
        ));
    }
    let _span =
        tracing::debug_span!(target: "zkvm::prover", "twist::bits::prove", log_k, log_t).entered();
    transcript.absorb_u64(labels::SHAPE, ((log_k as u64) << 32) | log_t as u64);
    let r_cycle = transcript.challenges(log_t);
    let eq_cycle = eq_table(&r_cycle);
    let weight: Vec<Fr> = eq_cycle
        .par_iter()
        .zip(active)
        .map(|(e, a)| *e * a)
        .collect();
    let increments: Vec<Fr> = (0..t_len)
        .into_par_iter()
        .map(|j| active[j] * (writes[j] - reads[j]))
        .collect();

    // Address rounds: with `e[k] = eq(r_1..r_i, k's high bits)` and the memory bound on the top
    // variables, access `j` contributes `w_j · ra_X · (Val_X − rv_j)` at X = 0, 2, 3, 4, where
    // `ra_X` is `e · X` or `e · (1 − X)` by the address's next bit.
    let address_span = tracing::debug_span!(target: "zkvm::prover", "address rounds").entered();
    let mut claim = Fr::zero();
    let mut rounds = Vec::with_capacity(log_k + log_t);
    let mut e = vec![Fr::one(); init.len()];
    let mut memory = DenseMle::new(init.to_vec());
    let mut r_k = Vec::with_capacity(log_k);
    for i in 0..log_k {
        let half = 1usize << (log_k - 1 - i);
        // Access j's summand is `base · ra(X) · (d + X · dv)` with `d = v0 − rv`, `dv = v1 − v0`
        // and `ra(X)` = X or 1 − X: a quadratic, accumulated as coefficients.
        let [c0, c1, c2] = sweep(
            memory.evals(),
            &e,
            addresses,
            &increments,
            |j, mem, c: &mut [Fr; 3]| {
                if weight[j].is_zero() {
                    return;
                }
                let a = addresses[j] as usize;
                let rest = a & (half - 1);
                let (v0, v1) = (mem[rest], mem[rest + half]);
                let base = weight[j] * e[a];
                let (d, dv) = (base * (v0 - reads[j]), base * (v1 - v0));
                if a & half != 0 {
                    c[1] += d;
                    c[2] += dv;
                } else {
                    c[0] += d;
                    c[1] += dv - d;
                    c[2] -= dv;
                }
            },
        );
        let at = |x: u64| {
            let x = Fr::from(x);
            c0 + x * (c1 + x * c2)
        };
        let round = vec![at(0), claim - at(0), at(2), at(3), at(4)];
        transcript.absorb_fields(sumcheck::labels::ROUND_POLY, &round);
        let r = transcript.challenge();
        claim = interpolate(&round, r);
        rounds.push(round);
        r_k.push(r);
        e.par_iter_mut().enumerate().for_each(|(k, e_k)| {
            *e_k *= if k & half != 0 { r } else { Fr::one() - r };
        });
        memory.bind_top(r);
    }

    drop(address_span);

    // Cycle rounds: `ra(r_k, j) = e[a_j]` and `Val(r_k, j)` (a prefix sum of the increments) are
    // dense vectors of T values.
    let init_k = memory.evals()[0];
    let ra_k: Vec<Fr> = addresses.par_iter().map(|a| e[*a as usize]).collect();
    let mut val_k = Vec::with_capacity(t_len);
    let mut running = init_k;
    for (ra_j, inc) in ra_k.iter().zip(&increments) {
        val_k.push(running);
        running += *ra_j * inc;
    }
    drop(increments);
    let polys = vec![
        DenseMle::new(eq_cycle),
        DenseMle::new(active.to_vec()),
        DenseMle::new(ra_k.clone()),
        DenseMle::new(val_k),
        DenseMle::new(reads.to_vec()),
    ];
    let combine = |p: &[Fr]| p[0] * p[1] * p[2] * (p[3] - p[4]);
    let (cycle_rounds, r_j, evals) = sumcheck::prove(claim, polys, DEGREE, combine, transcript);
    rounds.extend(cycle_rounds.rounds);
    let read_values = ValuesAt {
        active: evals[1],
        read: evals[4],
        write: Fr::zero(),
    };
    let (read_ra, read_val) = (evals[2], evals[3]);
    absorb_read(transcript, &read_values, read_ra, read_val);

    // Val evaluation.
    let polys = vec![
        DenseMle::new(active.to_vec()),
        DenseMle::new(ra_k),
        DenseMle::new(writes.to_vec()),
        DenseMle::new(reads.to_vec()),
        DenseMle::new(lt_table(&r_j)),
    ];
    let combine = |p: &[Fr]| p[0] * p[1] * (p[2] - p[3]) * p[4];
    let (val_evaluation, r_val, evals) =
        sumcheck::prove(read_val - init_k, polys, DEGREE, combine, transcript);
    let val_values = ValuesAt {
        active: evals[0],
        read: evals[3],
        write: evals[2],
    };
    let val_ra = evals[1];
    absorb_val(transcript, &val_values, val_ra);

    // Bits.
    let z = transcript.challenge();
    let (eq_read, eq_val) = (eq_table(&r_j), eq_table(&r_val));
    let weight: Vec<Fr> = eq_read
        .par_iter()
        .zip(&eq_val)
        .map(|(a, b)| *a + z * b)
        .collect();
    let (bits, r_b, bit_values) = prove_bits(
        read_ra + z * val_ra,
        weight,
        bit_addresses,
        &r_k,
        transcript,
    );
    transcript.absorb_fields(labels::BIT_EVALS, &bit_values);

    Ok((
        TwistBitsProof {
            read_checking: SumcheckProof { rounds },
            read_values,
            read_ra,
            read_val,
            val_evaluation,
            val_values,
            val_ra,
            bits,
            bit_values: bit_values.clone(),
        },
        AccessOpenings {
            read: (r_j, read_values),
            val: (r_val, val_values),
            bits: (r_b, bit_values),
        },
    ))
}

/// Step 3's prover: the sumcheck of `Σ_j W(j) · Π_i ẽ_i(r_k[i], b_i(j))` (degree `log_k + 1`),
/// for the bits of `addresses`; returns the proof, its final point and the bits there.
///
/// Each round's polynomial is accumulated as coefficients, pair by pair: a pair's factors are
/// linear in `X`, and a bit that is the same at both ends of the pair gives a constant factor.
/// Most bits are (the high bits of register addresses, of nearby cells), so a pair costs
/// `O(log_k + v²)` for `v` varying bits instead of `O(log_k²)`. The first round reads the bits
/// from the addresses; later ones bind them as field elements.
fn prove_bits(
    claim: Fr,
    weight: Vec<Fr>,
    addresses: &[u32],
    r_k: &[Fr],
    transcript: &mut Transcript,
) -> (SumcheckProof, Vec<Fr>, Vec<Fr>) {
    let _span = tracing::debug_span!(target: "zkvm::prover", "bits").entered();
    let log_k = r_k.len();
    let degree = log_k + 1;
    // ẽ_i(b) = c0[i] + b · c1[i].
    let c0: Vec<Fr> = r_k.iter().map(|r| Fr::one() - r).collect();
    let c1: Vec<Fr> = r_k.iter().map(|r| r.double() - Fr::one()).collect();
    let mut weight = DenseMle::new(weight);
    let mut bits: Vec<Vec<Fr>> = Vec::new();
    let mut claim = claim;
    let mut rounds = Vec::with_capacity(weight.num_vars());
    let mut point = Vec::with_capacity(weight.num_vars());
    while weight.num_vars() > 0 {
        let half = weight.evals().len() / 2;
        let w = weight.evals();
        let bit = |i: usize, j: usize| -> Fr {
            match bits.get(i) {
                Some(b) => b[j],
                None => Fr::from((addresses[j] >> (log_k - 1 - i)) & 1),
            }
        };
        let coefficients = (0..half)
            .into_par_iter()
            .fold(
                || vec![Fr::zero(); degree + 1],
                |mut acc, m| {
                    let mut poly = Vec::with_capacity(degree + 1);
                    poly.extend([w[m], w[m + half] - w[m]]);
                    let mut constant = Fr::one();
                    for i in 0..log_k {
                        let (lo, hi) = (bit(i, m), bit(i, m + half));
                        let at_lo = c0[i] + lo * c1[i];
                        if lo == hi {
                            constant *= at_lo;
                            continue;
                        }
                        // poly · (at_lo + slope · X)
                        let slope = (hi - lo) * c1[i];
                        poly.push(Fr::zero());
                        for k in (1..poly.len()).rev() {
                            poly[k] = poly[k] * at_lo + poly[k - 1] * slope;
                        }
                        poly[0] *= at_lo;
                    }
                    acc.iter_mut()
                        .zip(&poly)
                        .for_each(|(a, c)| *a += constant * c);
                    acc
                },
            )
            .reduce(
                || vec![Fr::zero(); degree + 1],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            );
        let at = |x: u64| {
            let x = Fr::from(x);
            coefficients
                .iter()
                .rev()
                .fold(Fr::zero(), |acc, c| acc * x + c)
        };
        let mut round: Vec<Fr> = (0..=degree as u64).map(at).collect();
        round[1] = claim - round[0];
        transcript.absorb_fields(sumcheck::labels::ROUND_POLY, &round);
        let r = transcript.challenge();
        claim = interpolate(&round, r);
        rounds.push(round);
        point.push(r);
        bits = (0..log_k)
            .into_par_iter()
            .map(|i| {
                (0..half)
                    .map(|m| {
                        let (lo, hi) = (bit(i, m), bit(i, m + half));
                        lo + r * (hi - lo)
                    })
                    .collect()
            })
            .collect();
        weight.bind_top(r);
    }
    let values = bits.iter().map(|b| b[0]).collect();
    (SumcheckProof { rounds }, point, values)
}

fn absorb_read(transcript: &mut Transcript, values: &ValuesAt, ra: Fr, val: Fr) {
    transcript.absorb_fields(
        labels::READ_EVALS,
        &[values.active, values.read, values.write, ra, val],
    );
}

fn absorb_val(transcript: &mut Transcript, values: &ValuesAt, ra: Fr) {
    transcript.absorb_fields(
        labels::VAL_EVALS,
        &[values.active, values.read, values.write, ra],
    );
}

/// Verifies a proof about `2^log_t` accesses to a memory of `2^log_k` cells whose initial
/// values' extension `init_at` evaluates; returns the values the caller must check against its
/// commitments.
pub fn verify(
    log_k: usize,
    log_t: usize,
    init_at: impl Fn(&[Fr]) -> Fr,
    proof: &TwistBitsProof,
    transcript: &mut Transcript,
) -> Result<AccessOpenings, TwistError> {
    check_shape(log_k, log_t)?;
    if proof.bit_values.len() != log_k || !proof.read_values.write.is_zero() {
        return Err(TwistError::Shape(format!(
            "{} bit values for 2^{log_k} cells, or a value written claimed at read checking's \
             point",
            proof.bit_values.len()
        )));
    }
    transcript.absorb_u64(labels::SHAPE, ((log_k as u64) << 32) | log_t as u64);
    let r_cycle = transcript.challenges(log_t);

    let read = sumcheck::verify(
        Fr::zero(),
        log_k + log_t,
        DEGREE,
        &proof.read_checking,
        transcript,
    )
    .map_err(TwistError::ReadChecking)?;
    let (r_k, r_j) = read.point.split_at(log_k);
    let rv = &proof.read_values;
    absorb_read(transcript, rv, proof.read_ra, proof.read_val);
    if eq_eval(&r_cycle, r_j) * rv.active * proof.read_ra * (proof.read_val - rv.read)
        != read.expected
    {
        return Err(TwistError::ReadCheckingFinal);
    }

    let val = sumcheck::verify(
        proof.read_val - init_at(r_k),
        log_t,
        DEGREE,
        &proof.val_evaluation,
        transcript,
    )
    .map_err(TwistError::ValEvaluation)?;
    let vv = &proof.val_values;
    absorb_val(transcript, vv, proof.val_ra);
    if vv.active * proof.val_ra * (vv.write - vv.read) * lt_eval(&val.point, r_j) != val.expected {
        return Err(TwistError::ValEvaluationFinal);
    }

    let z = transcript.challenge();
    let bits = sumcheck::verify(
        proof.read_ra + z * proof.val_ra,
        log_t,
        log_k + 1,
        &proof.bits,
        transcript,
    )
    .map_err(TwistError::Bits)?;
    transcript.absorb_fields(labels::BIT_EVALS, &proof.bit_values);
    let weight = eq_eval(r_j, &bits.point) + z * eq_eval(&val.point, &bits.point);
    let p: Vec<Fr> = std::iter::once(weight)
        .chain(proof.bit_values.iter().copied())
        .collect();
    if bits_summand(&p, r_k) != bits.expected {
        return Err(TwistError::BitsFinal);
    }
    Ok(AccessOpenings {
        read: (r_j.to_vec(), *rv),
        val: (val.point, *vv),
        bits: (bits.point, proof.bit_values.clone()),
    })
}

#[cfg(test)]
mod tests;
