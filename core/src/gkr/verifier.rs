//! The fractional-sum GKR verifier. It never panics on a malformed proof: every length is checked
//! before use, and nothing is indexed.

use super::{
    labels, ChildValues, FractionalSumProof, GkrError, LeafClaim, RootFraction, MAX_NUM_VARS,
};
use crate::poly::eq_eval;
use crate::sumcheck;
use crate::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{One, Zero};

/// The degree of every layer sumcheck: `eq · q · q`.
pub(super) const LAYER_DEGREE: usize = 3;

/// Absorbs the instance sizes and the roots: the protocol's first message.
pub(super) fn absorb_header(num_vars: &[usize], roots: &[RootFraction], t: &mut Transcript) {
    let nv: Vec<u8> = num_vars
        .iter()
        .flat_map(|n| (*n as u64).to_le_bytes())
        .collect();
    t.absorb_bytes(labels::NUM_VARS, &nv);
    let flat: Vec<Fr> = roots
        .iter()
        .flat_map(|r| [r.numerator, r.denominator])
        .collect();
    t.absorb_fields(labels::ROOTS, &flat);
}

/// Absorbs a layer's child values.
pub(super) fn absorb_children(children: &[ChildValues], t: &mut Transcript) {
    let flat: Vec<Fr> = children.iter().flat_map(|c| c.to_array()).collect();
    t.absorb_fields(labels::CHILDREN, &flat);
}

/// The weights `(λ^{2i}, λ^{2i+1})` of instance `i`'s numerator and denominator claims.
pub(super) fn weights(lambda: Fr, count: usize) -> Vec<(Fr, Fr)> {
    let mut w = Vec::with_capacity(count);
    let mut pow = Fr::one();
    for _ in 0..count {
        let wp = pow;
        pow *= lambda;
        w.push((wp, pow));
        pow *= lambda;
    }
    w
}

/// Verifies a proof of one fractional sum `Σ_x p(x)/q(x)` over `num_vars` variables.
///
/// Returns the root fraction and the leaf claim, which the caller must discharge by checking
/// `p(point) = p_eval` and `q(point) = q_eval`.
pub fn verify(
    num_vars: usize,
    proof: &FractionalSumProof,
    transcript: &mut Transcript,
) -> Result<(RootFraction, LeafClaim), GkrError> {
    let (roots, claims) = verify_batch(&[num_vars], proof, transcript)?;
    match (roots.into_iter().next(), claims.into_iter().next()) {
        (Some(root), Some(claim)) => Ok((root, claim)),
        _ => Err(GkrError::WrongNumberOfRoots {
            expected: 1,
            got: 0,
        }),
    }
}

/// Verifies a batched proof of the fractional sums of instances with `num_vars[i]` variables
/// (see [`super::prove_batch`]).
///
/// Returns each instance's root and leaf claim (point: the last `num_vars[i]` coordinates of the
/// common final point); the caller must check every leaf claim.
pub fn verify_batch(
    num_vars: &[usize],
    proof: &FractionalSumProof,
    transcript: &mut Transcript,
) -> Result<(Vec<RootFraction>, Vec<LeafClaim>), GkrError> {
    if num_vars.is_empty() {
        return Err(GkrError::InvalidParameters("no instances".into()));
    }
    let depth = num_vars.iter().copied().max().unwrap_or(0);
    if depth > MAX_NUM_VARS {
        return Err(GkrError::InvalidParameters(format!(
            "{depth} variables, at most {MAX_NUM_VARS} supported"
        )));
    }
    if proof.roots.len() != num_vars.len() {
        return Err(GkrError::WrongNumberOfRoots {
            expected: num_vars.len(),
            got: proof.roots.len(),
        });
    }
    if proof.layers.len() != depth {
        return Err(GkrError::WrongNumberOfLayers {
            expected: depth,
            got: proof.layers.len(),
        });
    }
    if let Some(instance) = proof.roots.iter().position(|r| r.denominator.is_zero()) {
        return Err(GkrError::ZeroDenominator { instance });
    }
    absorb_header(num_vars, &proof.roots, transcript);

    // Running claims (p, q) of each instance at the last `layer - start_i` coordinates of `point`.
    let starts: Vec<usize> = num_vars.iter().map(|n| depth - n).collect();
    let mut claims: Vec<(Fr, Fr)> = proof
        .roots
        .iter()
        .map(|r| (r.numerator, r.denominator))
        .collect();
    let mut point: Vec<Fr> = Vec::with_capacity(depth);
    for (layer, layer_proof) in proof.layers.iter().enumerate() {
        let active: Vec<usize> = (0..num_vars.len())
            .filter(|&i| starts.get(i).is_some_and(|s| *s <= layer))
            .collect();
        if layer_proof.children.len() != active.len() {
            return Err(GkrError::WrongNumberOfChildren {
                layer,
                expected: active.len(),
                got: layer_proof.children.len(),
            });
        }
        let lambda = transcript.challenge();
        let w = weights(lambda, num_vars.len());
        let mut claim = Fr::zero();
        for &i in &active {
            if let (Some((p, q)), Some((wp, wq))) = (claims.get(i), w.get(i)) {
                claim += *wp * p + *wq * q;
            }
        }
        let sub = sumcheck::verify(
            claim,
            layer,
            LAYER_DEGREE,
            &layer_proof.sumcheck,
            transcript,
        )
        .map_err(|error| GkrError::Sumcheck { layer, error })?;
        let mut got = Fr::zero();
        for (&i, c) in active.iter().zip(&layer_proof.children) {
            if let Some((wp, wq)) = w.get(i) {
                got += *wp * c.numerator() + *wq * c.denominator();
            }
        }
        got *= eq_eval(&point, &sub.point);
        if got != sub.expected {
            return Err(GkrError::LayerCheckFailed {
                layer,
                expected: sub.expected,
                got,
            });
        }
        absorb_children(&layer_proof.children, transcript);
        let mu = transcript.challenge();
        for (&i, c) in active.iter().zip(&layer_proof.children) {
            if let Some(slot) = claims.get_mut(i) {
                *slot = c.at(mu);
            }
        }
        point = sub.point;
        point.push(mu);
    }

    let leaves = num_vars
        .iter()
        .zip(&claims)
        .map(|(n, (p, q))| LeafClaim {
            point: point.get(depth - n..).unwrap_or_default().to_vec(),
            p_eval: *p,
            q_eval: *q,
        })
        .collect();
    Ok((proof.roots.clone(), leaves))
}
