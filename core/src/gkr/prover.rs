//! The fractional-sum GKR prover: builds the tree of fraction sums layer by layer in parallel,
//! then runs one degree-3 sumcheck per layer from the root down, with a prover specialised to
//! the layer's shape (`eq · (p q + p q + λ q q)`); its messages are exactly those of
//! [`crate::sumcheck::prove`] on the same polynomials.

use super::verifier::{absorb_children, absorb_header, weights, LAYER_DEGREE};
use super::{ChildValues, FractionalSumProof, LayerProof, LeafClaim, RootFraction, MAX_NUM_VARS};
use crate::poly::{eq_table, DenseMle};
use crate::sumcheck::{labels as sumcheck_labels, SumcheckProof};
use crate::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{Field, One, Zero};
use rayon::prelude::*;

/// Minimum number of items a rayon task handles: below it, splitting costs more than it saves.
const MIN_PAR_LEN: usize = 1 << 10;

/// One layer of a tree: numerators and denominators of its `2^m` nodes.
type Layer = (Vec<Fr>, Vec<Fr>);

/// The layer above `(p, q)`: node `x` adds the fractions of its children `2x` and `2x + 1`.
fn parent_layer(p: &[Fr], q: &[Fr]) -> Layer {
    let half = p.len() / 2;
    let mut np = vec![Fr::zero(); half];
    let mut nq = vec![Fr::zero(); half];
    (
        np.par_iter_mut(),
        nq.par_iter_mut(),
        p.par_chunks_exact(2),
        q.par_chunks_exact(2),
    )
        .into_par_iter()
        .with_min_len(MIN_PAR_LEN)
        .for_each(|(a, b, pc, qc)| {
            if let ([p0, p1], [q0, q1]) = (pc, qc) {
                *a = *p0 * q1 + *p1 * q0;
                *b = *q0 * q1;
            }
        });
    (np, nq)
}

/// All layers of the tree over the leaves `p/q` (equal power-of-two lengths): element `m` holds
/// the `2^m` nodes of layer `m`, so element `0` is the root and the last element the leaves.
pub(super) fn build_tree(p: Vec<Fr>, q: Vec<Fr>) -> Vec<Layer> {
    let _span =
        tracing::debug_span!(target: "zkvm::prover", "gkr::build_tree", leaves = p.len()).entered();
    let mut layers = vec![(p, q)];
    while let Some((p, q)) = layers.last().filter(|(p, _)| p.len() > 1) {
        let parent = parent_layer(p, q);
        layers.push(parent);
    }
    layers.reverse();
    layers
}

/// An instance taking part in one layer's sumcheck.
struct LayerInstance {
    /// Children (layer `m + 1` of this instance), bound in the rounds done so far.
    p: Vec<Fr>,
    q: Vec<Fr>,
    /// The round at which the instance's own variables begin: it joined the batch at layer
    /// `start`, so it ignores the first `start` variables of every later layer.
    start: usize,
    /// Weights of the numerator and denominator claims.
    wp: Fr,
    wq: Fr,
    /// The layer's `λ`, with `wq = wp·λ`.
    lambda: Fr,
    /// `wp · p_m(r) + wq · q_m(r)`: its share of the layer claim.
    claim: Fr,
}

/// `pl·qr + ql·(pr + λ·qr)`: the layer's summand over one node's children (a function, not a
/// closure; see [`eq_line`]).
#[inline(always)]
fn layer_g(pl: Fr, pr: Fr, ql: Fr, qr: Fr, lambda: Fr) -> Fr {
    pl * qr + ql * (pr + lambda * qr)
}

/// `Σ_y E[y]·g(X, y)` at `X = 0` and its leading coefficient (`X = ∞`), where
/// `g = p(·,0)q(·,1) + p(·,1)q(·,0) + λ·q(·,0)q(·,1)` over the children at the current top
/// variable `X` of `(p, q)`; `p.len() = q.len() = 4·E.len()`.
///
/// Written as `pl·qr + ql·(pr + λ·qr)`: three products per point instead of four, and one
/// multiplication by `E[y]` per point.
fn round_sums(p: &[Fr], q: &[Fr], eq: &[Fr], lambda: Fr) -> [Fr; 2] {
    let half = p.len() / 2;
    let (p_lo, p_hi) = p.split_at(half);
    let (q_lo, q_hi) = q.split_at(half);
    (
        eq.par_iter(),
        p_lo.par_chunks_exact(2),
        p_hi.par_chunks_exact(2),
        q_lo.par_chunks_exact(2),
        q_hi.par_chunks_exact(2),
    )
        .into_par_iter()
        .with_min_len(MIN_PAR_LEN)
        .fold(
            || [Fr::zero(); 2],
            |mut acc, (e, pl, ph, ql, qh)| {
                if let ([lp0, lp1], [hp0, hp1], [lq0, lq1], [hq0, hq1]) = (pl, ph, ql, qh) {
                    acc[0] += *e * layer_g(*lp0, *lp1, *lq0, *lq1, lambda);
                    acc[1] += *e * layer_g(*hp0 - lp0, *hp1 - lp1, *hq0 - lq0, *hq1 - lq1, lambda);
                }
                acc
            },
        )
        .reduce(|| [Fr::zero(); 2], |a, b| [a[0] + b[0], a[1] + b[1]])
}

/// `Σ_y E[y]·(wp·numerator + wq·denominator)` of the children at `X = 1` (the fallback when the
/// value at 1 cannot be derived from the claim).
fn sum_at_one(inst: &LayerInstance, eq: &[Fr]) -> Fr {
    let half = inst.p.len() / 2;
    let (_, p_hi) = inst.p.split_at(half);
    let (_, q_hi) = inst.q.split_at(half);
    (
        eq.par_iter(),
        p_hi.par_chunks_exact(2),
        q_hi.par_chunks_exact(2),
    )
        .into_par_iter()
        .with_min_len(MIN_PAR_LEN)
        .map(|(e, pc, qc)| match (pc, qc) {
            ([p0, p1], [q0, q1]) => *e * (inst.wp * (*p0 * q1 + *p1 * q0) + inst.wq * (*q0 * q1)),
            _ => Fr::zero(),
        })
        .sum()
}

/// `eq(r, x) = r·x + (1 − r)·(1 − x)` for one variable.
//
// Written as functions, not closures: rustc 1.95.0 miscompiles closures that capture a field
// element and multiply by it (two calls with the same argument return different values; fixed
// in 1.96.1 by rust-lang/rust#158214).
fn eq_line(r: Fr, x: Fr) -> Fr {
    let rx = r * x;
    Fr::one() - r - x + rx + rx
}

/// `c_0 + c_1·x + c_2·x²`.
fn quadratic(c: &[Fr; 3], x: Fr) -> Fr {
    c[0] + x * (c[1] + x * c[2])
}

/// Fix the top variable of `v` to `r` in place, halving it.
fn bind_top(v: &mut Vec<Fr>, r: Fr) {
    let half = v.len() / 2;
    let (lo, hi) = v.split_at_mut(half);
    lo.par_iter_mut()
        .zip(hi.par_iter())
        .with_min_len(MIN_PAR_LEN)
        .for_each(|(a, b)| *a += r * (*b - *a));
    v.truncate(half);
}

/// The sumcheck of one layer: proves
/// `claim = Σ_{x∈{0,1}^k} eq(r, x)·Σ_i [wp_i·(p_i(x,0)q_i(x,1) + p_i(x,1)q_i(x,0)) + wq_i·q_i(x,0)q_i(x,1)]`
/// where instance `i` depends only on `x[start_i..]`.
///
/// Round `j` factors the round polynomial as `s_j(X) = eq(r_{<j}, r'_{<j})·eq(r_j, X)·t_j(X)`
/// with `t_j` of degree 2 (Gruen, ePrint 2024/108, §3), and sums `t_j` against the table
/// `eq(r_{>j}, ·)` only; `t_j(1)` follows from `s_j(0) + s_j(1) = claim`. An instance that does
/// not yet depend on `x_j` contributes its claim as a constant (`Σ eq = 1` over the rest).
///
/// Returns the proof and the point `r'`; afterwards every instance's `p`, `q` hold the two child
/// values at `r'`.
fn prove_layer(
    r: &[Fr],
    insts: &mut [LayerInstance],
    claim: Fr,
    transcript: &mut Transcript,
) -> (SumcheckProof, Vec<Fr>) {
    let k = r.len();
    let mut rounds = Vec::with_capacity(k);
    let mut point = Vec::with_capacity(k);
    let mut claim = claim;
    let mut eq_prefix = Fr::one();
    // eq(r_{>j}, ·) for the current round j; starts at j = 0.
    let mut eq_rest = eq_table(r.get(1..).unwrap_or_default());
    for (j, &r_j) in r.iter().enumerate() {
        let mut t0 = Fr::zero();
        let mut t_inf = Fr::zero();
        let mut constant = Fr::zero();
        for inst in insts.iter() {
            if inst.start > j {
                constant += inst.claim;
            } else {
                let [g0, g_inf] = round_sums(&inst.p, &inst.q, &eq_rest, inst.lambda);
                t0 += inst.wp * g0;
                t_inf += inst.wp * g_inf;
            }
        }
        t0 += constant;
        // claim = eq_prefix·((1 − r_j)·t(0) + r_j·t(1)).
        let scale = eq_prefix * r_j;
        let t1 = match scale.inverse() {
            Some(inv) => (claim - eq_prefix * (Fr::one() - r_j) * t0) * inv,
            None => {
                constant
                    + insts
                        .iter()
                        .filter(|inst| inst.start <= j)
                        .map(|inst| sum_at_one(inst, &eq_rest))
                        .sum::<Fr>()
            }
        };
        // t(X) = t0 + b·X + t_inf·X².
        let t = [t0, t1 - t0 - t_inf, t_inf];
        let s: Vec<Fr> = (0..=LAYER_DEGREE as u64)
            .map(|x| {
                let x = Fr::from(x);
                eq_prefix * eq_line(r_j, x) * quadratic(&t, x)
            })
            .collect();
        transcript.absorb_fields(sumcheck_labels::ROUND_POLY, &s);
        let rho = transcript.challenge();
        eq_prefix *= eq_line(r_j, rho);
        claim = eq_prefix * quadratic(&t, rho);
        insts
            .par_iter_mut()
            .filter(|inst| inst.start <= j)
            .for_each(|inst| {
                rayon::join(|| bind_top(&mut inst.p, rho), || bind_top(&mut inst.q, rho));
            });
        // eq(r_{>j+1}, y) = eq(r_{>j}, (0, y)) + eq(r_{>j}, (1, y)).
        let half = eq_rest.len() / 2;
        let (lo, hi) = eq_rest.split_at_mut(half);
        lo.iter_mut().zip(hi.iter()).for_each(|(a, b)| *a += b);
        eq_rest.truncate(half);
        rounds.push(s);
        point.push(rho);
    }
    (SumcheckProof { rounds }, point)
}

/// Proves `Σ_x p(x)/q(x)` over the `2^n` leaves of `p` and `q`.
///
/// Returns the proof, the root fraction, and the leaf claim the verifier will be left with
/// (the prover's values of `p` and `q` at the final point).
///
/// # Panics
/// If `p` and `q` differ in their number of variables, or have more than [`MAX_NUM_VARS`].
pub fn prove(
    p: DenseMle,
    q: DenseMle,
    transcript: &mut Transcript,
) -> (FractionalSumProof, RootFraction, LeafClaim) {
    let (proof, roots, claims) = prove_batch(vec![(p, q)], transcript);
    let root = roots
        .into_iter()
        .next()
        .expect("one instance gives one root");
    let claim = claims
        .into_iter()
        .next()
        .expect("one instance gives one claim");
    (proof, root, claim)
}

/// Proves the fractional sums of several independent instances `(p_i, q_i)` at once, with one
/// sumcheck per layer (see the module documentation for how instances of different sizes join).
///
/// Returns the proof, each instance's root and each instance's leaf claim.
///
/// # Panics
/// If `instances` is empty, or some `p_i` and `q_i` differ in their number of variables, or have
/// more than [`MAX_NUM_VARS`].
pub fn prove_batch(
    instances: Vec<(DenseMle, DenseMle)>,
    transcript: &mut Transcript,
) -> (FractionalSumProof, Vec<RootFraction>, Vec<LeafClaim>) {
    prove_batch_with(instances, transcript, prove_layer)
}

/// [`prove_batch`] with the layer sumcheck prover as a parameter (so tests can compare the
/// specialised prover with the generic one).
fn prove_batch_with<F>(
    instances: Vec<(DenseMle, DenseMle)>,
    transcript: &mut Transcript,
    mut layer_prover: F,
) -> (FractionalSumProof, Vec<RootFraction>, Vec<LeafClaim>)
where
    F: FnMut(&[Fr], &mut [LayerInstance], Fr, &mut Transcript) -> (SumcheckProof, Vec<Fr>),
{
    let _span =
        tracing::debug_span!(target: "zkvm::prover", "gkr::prove", instances = instances.len())
            .entered();
    assert!(!instances.is_empty(), "fractional sum batch is empty");
    let num_vars: Vec<usize> = instances
        .iter()
        .map(|(p, q)| {
            assert_eq!(
                p.num_vars(),
                q.num_vars(),
                "numerators and denominators differ in size"
            );
            assert!(p.num_vars() <= MAX_NUM_VARS, "too many variables");
            p.num_vars()
        })
        .collect();
    let depth = num_vars.iter().copied().max().unwrap_or(0);
    let starts: Vec<usize> = num_vars.iter().map(|n| depth - n).collect();

    let mut trees: Vec<Vec<Layer>> = instances
        .into_iter()
        .map(|(p, q)| build_tree(p.into_evals(), q.into_evals()))
        .collect();
    let roots: Vec<RootFraction> = trees
        .iter()
        .map(|tree| RootFraction {
            numerator: tree[0].0[0],
            denominator: tree[0].1[0],
        })
        .collect();
    absorb_header(&num_vars, &roots, transcript);

    let mut claims: Vec<(Fr, Fr)> = roots.iter().map(|r| (r.numerator, r.denominator)).collect();
    let mut point: Vec<Fr> = Vec::with_capacity(depth);
    let mut layers = Vec::with_capacity(depth);
    for layer in 0..depth {
        let _span = tracing::debug_span!(target: "zkvm::prover", "gkr::layer", layer).entered();
        let active: Vec<usize> = (0..trees.len()).filter(|&i| starts[i] <= layer).collect();
        let lambda = transcript.challenge();
        let w = weights(lambda, trees.len());
        let mut insts: Vec<LayerInstance> = active
            .iter()
            .map(|&i| {
                // The children of this instance's layer `layer − start` (no longer needed after).
                let (p, q) = std::mem::take(&mut trees[i][layer - starts[i] + 1]);
                let (wp, wq) = w[i];
                LayerInstance {
                    p,
                    q,
                    start: starts[i],
                    wp,
                    wq,
                    lambda,
                    claim: wp * claims[i].0 + wq * claims[i].1,
                }
            })
            .collect();
        let claim: Fr = insts.iter().map(|inst| inst.claim).sum();
        let (sumcheck, r_prime) = layer_prover(&point, &mut insts, claim, transcript);
        let children: Vec<ChildValues> = insts
            .iter()
            .map(|inst| ChildValues {
                p_left: inst.p[0],
                p_right: inst.p[1],
                q_left: inst.q[0],
                q_right: inst.q[1],
            })
            .collect();
        absorb_children(&children, transcript);
        let mu = transcript.challenge();
        for (&i, c) in active.iter().zip(&children) {
            claims[i] = c.at(mu);
        }
        point = r_prime;
        point.push(mu);
        layers.push(LayerProof { sumcheck, children });
    }

    let leaves = num_vars
        .iter()
        .zip(&claims)
        .map(|(n, (p, q))| LeafClaim {
            point: point[depth - n..].to_vec(),
            p_eval: *p,
            q_eval: *q,
        })
        .collect();
    (
        FractionalSumProof {
            roots: roots.clone(),
            layers,
        },
        roots,
        leaves,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sumcheck;
    use ark_ff::UniformRand;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    /// The layer sumcheck through the generic prover: each instance's children as four
    /// polynomials over all `k` variables (repeated over the variables it ignores).
    fn generic_layer(
        r: &[Fr],
        insts: &mut [LayerInstance],
        claim: Fr,
        transcript: &mut Transcript,
    ) -> (SumcheckProof, Vec<Fr>) {
        let k = r.len();
        let mut polys = vec![DenseMle::new(eq_table(r))];
        for inst in insts.iter() {
            let own = inst.p.len() / 2;
            let repeat = |v: &[Fr], b: usize| -> DenseMle {
                DenseMle::new((0..1 << k).map(|x| v[2 * (x % own) + b]).collect())
            };
            polys.extend([
                repeat(&inst.p, 0),
                repeat(&inst.p, 1),
                repeat(&inst.q, 0),
                repeat(&inst.q, 1),
            ]);
        }
        let w: Vec<(Fr, Fr)> = insts.iter().map(|i| (i.wp, i.wq)).collect();
        let combine = |v: &[Fr]| -> Fr {
            let mut acc = Fr::zero();
            for (i, (wp, wq)) in w.iter().enumerate() {
                let (pl, pr, ql, qr) = (v[1 + 4 * i], v[2 + 4 * i], v[3 + 4 * i], v[4 + 4 * i]);
                acc += *wp * (pl * qr + pr * ql) + *wq * ql * qr;
            }
            v[0] * acc
        };
        let (proof, point, evals) =
            sumcheck::prove(claim, polys, LAYER_DEGREE, combine, transcript);
        for (i, inst) in insts.iter_mut().enumerate() {
            inst.p = vec![evals[1 + 4 * i], evals[2 + 4 * i]];
            inst.q = vec![evals[3 + 4 * i], evals[4 + 4 * i]];
        }
        (proof, point)
    }

    fn random_instance(n: usize, rng: &mut ChaCha20Rng) -> (DenseMle, DenseMle) {
        let p = DenseMle::new((0..1 << n).map(|_| Fr::rand(rng)).collect());
        let q = DenseMle::new((0..1 << n).map(|_| Fr::rand(rng)).collect());
        (p, q)
    }

    #[test]
    fn specialised_layer_prover_sends_the_generic_provers_messages() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        for sizes in [vec![0], vec![1], vec![6], vec![5, 5], vec![7, 3, 0, 5]] {
            let instances: Vec<_> = sizes
                .iter()
                .map(|&n| random_instance(n, &mut rng))
                .collect();
            let mut t1 = Transcript::new(b"gkr-test");
            let mut t2 = Transcript::new(b"gkr-test");
            let fast = prove_batch_with(instances.clone(), &mut t1, prove_layer);
            let generic = prove_batch_with(instances, &mut t2, generic_layer);
            assert_eq!(fast, generic, "sizes {sizes:?}");
            assert_eq!(t1.state(), t2.state());
        }
    }

    /// A layer point with zero coordinates makes `eq_prefix·r_j` vanish, so `t_j(1)` cannot be
    /// derived from the claim and the direct sum is taken instead.
    #[test]
    fn layer_prover_handles_points_where_the_claim_cannot_be_divided_out() {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let k = 4;
        let make = |rng: &mut ChaCha20Rng, start: usize, i: u64| {
            let len = 2 << (k - start);
            LayerInstance {
                p: (0..len).map(|_| Fr::rand(rng)).collect(),
                q: (0..len).map(|_| Fr::rand(rng)).collect(),
                start,
                wp: Fr::from(3 * i + 1),
                wq: Fr::from(3 * i + 1) * Fr::from(7u64),
                lambda: Fr::from(7u64),
                claim: Fr::zero(),
            }
        };
        for r in [
            vec![Fr::zero(), Fr::from(5u64), Fr::zero(), Fr::from(7u64)],
            vec![Fr::one(), Fr::zero(), Fr::from(2u64), Fr::zero()],
        ] {
            let mut insts = vec![make(&mut rng, 0, 0), make(&mut rng, 2, 1)];
            // Each instance's claim: Σ_x eq(r_suffix, x)·G(x) over its own variables.
            for inst in &mut insts {
                let eq = eq_table(&r[inst.start..]);
                inst.claim = eq
                    .iter()
                    .enumerate()
                    .map(|(x, e)| {
                        let (pl, pr, ql, qr) = (
                            inst.p[2 * x],
                            inst.p[2 * x + 1],
                            inst.q[2 * x],
                            inst.q[2 * x + 1],
                        );
                        *e * (inst.wp * (pl * qr + pr * ql) + inst.wq * ql * qr)
                    })
                    .sum();
            }
            let claim: Fr = insts.iter().map(|i| i.claim).sum();
            let mut generic: Vec<LayerInstance> = insts
                .iter()
                .map(|i| LayerInstance {
                    p: i.p.clone(),
                    q: i.q.clone(),
                    ..*i
                })
                .collect();
            let mut t1 = Transcript::new(b"layer");
            let mut t2 = Transcript::new(b"layer");
            let fast = prove_layer(&r, &mut insts, claim, &mut t1);
            let slow = generic_layer(&r, &mut generic, claim, &mut t2);
            assert_eq!(fast, slow);
            for (a, b) in insts.iter().zip(&generic) {
                assert_eq!((&a.p, &a.q), (&b.p, &b.q));
            }
        }
    }

    #[test]
    fn tree_root_is_the_sum_of_the_fractions() {
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let (p, q) = random_instance(5, &mut rng);
        let tree = build_tree(p.evals().to_vec(), q.evals().to_vec());
        assert_eq!(tree.len(), 6);
        let sum: Fr = p
            .evals()
            .iter()
            .zip(q.evals())
            .map(|(a, b)| *a * b.inverse().unwrap())
            .sum();
        let (num, den) = (tree[0].0[0], tree[0].1[0]);
        assert_eq!(num, sum * den);
        assert_eq!(den, q.evals().iter().product::<Fr>());
    }
}
