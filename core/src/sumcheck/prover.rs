//! The sumcheck prover.

use super::{interpolate, labels, SumcheckProof};
use crate::poly::DenseMle;
use crate::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{Field, Zero};
use rayon::prelude::*;
use std::borrow::{Borrow, Cow};

/// Below this many hypercube points per round the prover runs serially.
const PARALLEL_THRESHOLD: usize = 1 << 10;

/// A combining function `g(p_1(x), …, p_k(x))` of a batched instance.
pub type Combine<'a> = Box<dyn Fn(&[Fr]) -> Fr + Sync + 'a>;

/// One instance of a batched sumcheck: `Σ_x combine(polys(x)) = claim`.
pub struct BatchInstance<'a> {
    /// The claimed sum over the instance's own hypercube (unscaled).
    pub claim: Fr,
    /// The multilinear polynomials, all with the same number of variables.
    pub polys: Vec<DenseMle>,
    /// The total degree of `combine`.
    pub degree: usize,
    /// The combining function.
    pub combine: Combine<'a>,
}

/// The values `s(0), …, s(degree)` of one round polynomial of the instance whose polynomials are
/// `polys` (all with the same, at least one, number of variables).
///
/// With the running `claim` known, `s(1) = claim - s(0)` is derived instead of computed (the
/// verifier checks exactly that relation), saving one of the `degree + 1` evaluations; when the
/// caller also knows `s(0)` (`known_s0`, the first round of a zero-check), it is not computed
/// either.
fn round_poly<P: Borrow<DenseMle> + Sync, G: Fn(&[Fr]) -> Fr + Sync + ?Sized>(
    polys: &[P],
    degree: usize,
    combine: &G,
    claim: Fr,
    known_s0: Option<Fr>,
) -> Vec<Fr> {
    let skip_one = degree >= 1;
    let skip_zero = known_s0.is_some();
    let half = polys.first().map_or(0, |p| p.borrow().evals().len() / 2);
    let k = polys.len();
    // Accumulate s(t) for t = 0..=degree over x' in [lo, hi): p_j(t, x') = lo + t (hi - lo).
    let work = |range: std::ops::Range<usize>| -> Vec<Fr> {
        let mut sums = vec![Fr::zero(); degree + 1];
        let mut vals = vec![Fr::zero(); k];
        let mut diffs = vec![Fr::zero(); k];
        for x in range {
            for (j, p) in polys.iter().enumerate() {
                let e = p.borrow().evals();
                vals[j] = e[x];
                diffs[j] = e[x + half] - e[x];
            }
            if !skip_zero {
                sums[0] += combine(&vals);
            }
            for (t, s) in sums.iter_mut().enumerate().skip(1) {
                for (v, d) in vals.iter_mut().zip(&diffs) {
                    *v += d;
                }
                if t == 1 && skip_one {
                    continue;
                }
                *s += combine(&vals);
            }
        }
        sums
    };
    let mut sums = if half < PARALLEL_THRESHOLD {
        work(0..half)
    } else {
        parallel_sums(half, degree, &work)
    };
    if let Some(s0) = known_s0 {
        sums[0] = s0;
    }
    if skip_one {
        sums[1] = claim - sums[0];
    }
    sums
}

fn parallel_sums<W: Fn(std::ops::Range<usize>) -> Vec<Fr> + Sync>(
    half: usize,
    degree: usize,
    work: &W,
) -> Vec<Fr> {
    let chunk = (half / (rayon::current_num_threads() * 8)).max(256);
    let starts: Vec<usize> = (0..half).step_by(chunk).collect();
    starts
        .into_par_iter()
        .map(|s| work(s..(s + chunk).min(half)))
        .reduce(
            || vec![Fr::zero(); degree + 1],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
                a
            },
        )
}

fn bind_all(polys: &mut [DenseMle], r: Fr) {
    if polys.len() > 1 && polys.first().is_some_and(|p| p.evals().len() >= 1 << 14) {
        polys.par_iter_mut().for_each(|p| p.bind_top(r));
    } else {
        for p in polys.iter_mut() {
            p.bind_top(r);
        }
    }
}

/// Proves `Σ_{x∈{0,1}^n} combine(p_1(x), …, p_k(x)) = claim`, where `combine` has total degree
/// `≤ degree`.
///
/// Returns the proof, the challenge point `r` (the evaluation point, `x_0` first) and `p_j(r)`
/// for each `j`. The claim itself is not absorbed: the caller binds it (it usually follows from
/// values already in the transcript).
///
/// # Panics
/// If `polys` is empty or the polynomials differ in their number of variables (a bug of the
/// caller, not an input error).
pub fn prove<G: Fn(&[Fr]) -> Fr + Sync>(
    claim: Fr,
    polys: Vec<DenseMle>,
    degree: usize,
    combine: G,
    transcript: &mut Transcript,
) -> (SumcheckProof, Vec<Fr>, Vec<Fr>) {
    let polys = polys.into_iter().map(Cow::Owned).collect();
    prove_rounds(claim, polys, degree, &combine, false, transcript)
}

/// [`prove`] for a zero-check: `combine(p_1(x), …, p_k(x)) = 0` at *every* point `x` of the
/// hypercube (as Spartan's outer sum `eq(τ, x) · (Az·Bz − Cz)(x)` for a satisfying witness), so
/// the claim is 0 and the first round's `s(0)` and `s(1)` are both 0 without computing them —
/// a third of the first, most expensive, round. The proof is an ordinary sumcheck proof: were
/// `combine` not zero somewhere, the first round polynomial would be wrong and the verifier
/// would reject.
///
/// The polynomials may be borrowed: a borrowed one is read in the first round and replaced by
/// its half-size binding, so the caller's tables are never copied whole.
pub fn prove_zero_check<G: Fn(&[Fr]) -> Fr + Sync>(
    polys: Vec<Cow<'_, DenseMle>>,
    degree: usize,
    combine: G,
    transcript: &mut Transcript,
) -> (SumcheckProof, Vec<Fr>, Vec<Fr>) {
    prove_rounds(Fr::zero(), polys, degree, &combine, true, transcript)
}

fn prove_rounds<G: Fn(&[Fr]) -> Fr + Sync>(
    claim: Fr,
    polys: Vec<Cow<'_, DenseMle>>,
    degree: usize,
    combine: &G,
    zero_check: bool,
    transcript: &mut Transcript,
) -> (SumcheckProof, Vec<Fr>, Vec<Fr>) {
    let _span = tracing::debug_span!(target: "zkvm::prover",
        "sumcheck::prove",
        num_vars = polys.first().map(|p| p.num_vars())
    )
    .entered();
    let n = polys
        .first()
        .expect("sumcheck needs at least one polynomial")
        .num_vars();
    assert!(
        polys.iter().all(|p| p.num_vars() == n),
        "sumcheck polynomials differ in their number of variables"
    );
    let mut claim = claim;
    let mut rounds = Vec::with_capacity(n);
    let mut point = Vec::with_capacity(n);
    // Absorbs a round polynomial, squeezes the challenge and updates the running claim.
    let mut absorb = |s: Vec<Fr>, claim: &mut Fr| -> Fr {
        transcript.absorb_fields(labels::ROUND_POLY, &s);
        let r = transcript.challenge();
        *claim = interpolate(&s, r);
        rounds.push(s);
        point.push(r);
        r
    };
    let mut polys: Vec<DenseMle> = if n == 0 {
        polys.into_iter().map(Cow::into_owned).collect()
    } else {
        let s = round_poly(&polys, degree, combine, claim, zero_check.then(Fr::zero));
        let r = absorb(s, &mut claim);
        bind_first(polys, r)
    };
    for _ in 1..n {
        let s = round_poly(&polys, degree, combine, claim, None);
        let r = absorb(s, &mut claim);
        bind_all(&mut polys, r);
    }
    let evals = polys.iter().map(|p| p.evals()[0]).collect();
    (SumcheckProof { rounds }, point, evals)
}

/// Binds the top variable of every polynomial to `r`: in place when owned, into a new
/// half-size table when borrowed.
fn bind_first(polys: Vec<Cow<'_, DenseMle>>, r: Fr) -> Vec<DenseMle> {
    polys
        .into_par_iter()
        .map(|p| match p {
            Cow::Borrowed(p) => p.bound_top(r),
            Cow::Owned(mut p) => {
                p.bind_top(r);
                p
            }
        })
        .collect()
}

/// Proves several sumcheck instances at once with a random linear combination.
///
/// The claims and numbers of variables are absorbed, then one coefficient per instance is
/// squeezed; the batched sumcheck runs over `n = max n_i` variables, with instance `i` ignoring
/// its first `n - n_i` variables (so its claim counts `2^(n - n_i)` times). The round polynomials
/// have degree `max degree_i`.
///
/// Returns the proof, the point `r` (length `n`), and for each instance the values of its
/// polynomials at its own point `r[n - n_i..]`.
///
/// # Panics
/// If `instances` is empty, or an instance has no polynomials or polynomials of different sizes.
pub fn prove_batch(
    instances: Vec<BatchInstance<'_>>,
    transcript: &mut Transcript,
) -> (SumcheckProof, Vec<Fr>, Vec<Vec<Fr>>) {
    assert!(!instances.is_empty(), "empty sumcheck batch");
    let nv: Vec<usize> = instances
        .iter()
        .map(|inst| {
            let n = inst
                .polys
                .first()
                .expect("instance without polynomials")
                .num_vars();
            assert!(
                inst.polys.iter().all(|p| p.num_vars() == n),
                "instance polynomials differ in size"
            );
            n
        })
        .collect();
    let n = nv.iter().copied().max().unwrap_or(0);
    let degree = instances.iter().map(|i| i.degree).max().unwrap_or(0);
    let claims: Vec<Fr> = instances.iter().map(|i| i.claim).collect();
    transcript.absorb_fields(labels::BATCH_CLAIMS, &claims);
    let nv_bytes: Vec<u8> = nv.iter().flat_map(|v| (*v as u64).to_le_bytes()).collect();
    transcript.absorb_bytes(labels::BATCH_NUM_VARS, &nv_bytes);
    let coeffs = transcript.challenges(instances.len());

    let mut instances = instances;
    // Running claim of each instance while it is still in its dummy rounds.
    let two_inv = Fr::from(2u64).inverse().expect("2 is invertible");
    let mut running: Vec<Fr> = instances
        .iter()
        .zip(&nv)
        .map(|(inst, ni)| inst.claim * Fr::from(2u64).pow([(n - ni) as u64]))
        .collect();
    let mut rounds = Vec::with_capacity(n);
    let mut point = Vec::with_capacity(n);
    for round in 0..n {
        let mut s = vec![Fr::zero(); degree + 1];
        let mut per_instance = Vec::with_capacity(instances.len());
        for (i, inst) in instances.iter().enumerate() {
            let si = if round < n - nv[i] {
                // The instance does not depend on this variable: s_i is the constant half.
                vec![running[i] * two_inv; degree + 1]
            } else {
                round_poly(&inst.polys, degree, &*inst.combine, running[i], None)
            };
            per_instance.push(si.clone());
            for (acc, v) in s.iter_mut().zip(si) {
                *acc += coeffs[i] * v;
            }
        }
        transcript.absorb_fields(labels::ROUND_POLY, &s);
        let r = transcript.challenge();
        for (i, inst) in instances.iter_mut().enumerate() {
            if round < n - nv[i] {
                running[i] *= two_inv;
            } else {
                running[i] = interpolate(&per_instance[i], r);
                bind_all(&mut inst.polys, r);
            }
        }
        rounds.push(s);
        point.push(r);
    }
    let evals = instances
        .iter()
        .map(|inst| inst.polys.iter().map(|p| p.evals()[0]).collect())
        .collect();
    (SumcheckProof { rounds }, point, evals)
}
