//! Row MSMs against Dory's fixed G1 generators, with precomputed multiples.
//!
//! Committing a row of a Dory matrix is the multi-scalar multiplication `Σ_i s_i · Γ1[i]` against
//! the same generators `Γ1` every time. Precomputing, for each generator, its multiples
//! `2^{8w} · Γ1[i]` for every byte position `w` of a scalar turns that MSM into a single pass of
//! Pippenger's bucket method over *all* byte digits at once, with no doublings between windows:
//! `Σ_i s_i · Γ1[i] = Σ_{d=1}^{255} d · (Σ_{(i, w): byte_w(s_i) = d} 2^{8w} · Γ1[i])`.
//! This is the fixed-base method of Brickell, Gordon, McCurley and Wilson (Eurocrypt 1992, "Fast
//! exponentiation with precomputation"), combined with Pippenger's buckets; it costs one mixed
//! addition per nonzero byte of the scalars plus `2 · 255` additions to sum the buckets, about
//! half of a variable-base MSM for full field elements, and a zero byte costs nothing, so the
//! small values that fill most witness columns are cheap.
//!
//! The buckets are summed in **affine** coordinates: each bucket's points are added pairwise,
//! level by level, and every level's slopes share one field inversion (Montgomery's batch
//! inversion trick). An affine addition then costs about 6 field multiplications instead of a
//! mixed addition's 11 (the "batch-affine" accumulation of large-MSM implementations).

use ark_bn254::{Fq, Fr, G1Affine, G1Projective};
use ark_ec::{AdditiveGroup, CurveGroup};
use ark_ff::{batch_inversion, Field, One, PrimeField, Zero};
use rayon::prelude::*;

/// Byte positions of a scalar (`Fr` fits in 32 bytes).
const WINDOWS: usize = 32;

/// The multiples `2^{8w} · g` of a list of fixed generators `g`.
#[derive(Clone, Debug)]
pub struct FixedBaseTable {
    /// `multiples[i * WINDOWS + w] = 2^{8w} · bases[i]`: a generator's multiples are contiguous.
    multiples: Vec<G1Affine>,
}

impl FixedBaseTable {
    /// Precomputes the multiples of `bases` (`32 · 8` doublings per generator).
    pub fn new(bases: &[G1Affine]) -> Self {
        let projective: Vec<G1Projective> = bases
            .par_iter()
            .flat_map_iter(|g| {
                let mut p = G1Projective::from(*g);
                (0..WINDOWS).map(move |_| {
                    let multiple = p;
                    for _ in 0..8 {
                        p.double_in_place();
                    }
                    multiple
                })
            })
            .collect();
        FixedBaseTable {
            multiples: G1Projective::normalize_batch(&projective),
        }
    }

    /// Generator `i` itself.
    pub fn base(&self, i: usize) -> G1Affine {
        self.multiples[i * WINDOWS]
    }

    /// `Σ_i scalars[i] · bases[i]` for field elements (at most as many as the generators).
    ///
    /// A scalar whose negation has fewer significant bytes — a small negative integer such as
    /// `−1 = p − 1`, all 32 bytes nonzero — is added as `(−s) · (−g)`, so signed small values
    /// cost what their magnitude costs.
    pub fn msm(&self, scalars: &[Fr]) -> G1Projective {
        self.msm_limbs(scalars.iter().map(|s| {
            let limbs = s.into_bigint().0;
            if limbs[1..].iter().all(|l| *l == 0) {
                return (limbs, false);
            }
            let negated = (-*s).into_bigint().0;
            if significant_bytes(&negated) < significant_bytes(&limbs) {
                (negated, true)
            } else {
                (limbs, false)
            }
        }))
    }

    /// `Σ_i scalars[i] · bases[i]` for small integers (at most as many as the generators).
    pub fn msm_small(&self, scalars: &[u64]) -> G1Projective {
        self.msm_limbs(scalars.iter().map(|s| ([*s], false)))
    }

    /// The MSM of scalars given as little-endian 64-bit limbs, each with a flag that says to
    /// subtract it instead.
    fn msm_limbs<const L: usize>(
        &self,
        scalars: impl Iterator<Item = ([u64; L], bool)>,
    ) -> G1Projective {
        // Every nonzero byte digit `d` of scalar `i` at position `w` puts `±2^{8w}·Γ1[i]` into
        // bucket `d`.
        let mut digits: Vec<(u8, G1Affine)> = Vec::new();
        for (i, (limbs, negative)) in scalars.enumerate() {
            let multiples = &self.multiples[i * WINDOWS..(i + 1) * WINDOWS];
            for (l, limb) in limbs.iter().enumerate() {
                let mut rest = *limb;
                let mut w = l * 8;
                while rest != 0 {
                    let digit = (rest & 0xff) as u8;
                    if digit != 0 {
                        let p = multiples[w];
                        digits.push((digit, if negative { -p } else { p }));
                    }
                    rest >>= 8;
                    w += 1;
                }
            }
        }
        let buckets = bucket_sums(digits);
        // Σ_d d · bucket_d as a running sum from the top bucket down.
        let mut running = G1Projective::zero();
        let mut total = G1Projective::zero();
        for bucket in buckets.iter().rev() {
            running += bucket;
            total += running;
        }
        total
    }
}

/// Below this many points, buckets are summed with mixed additions: a batch inversion per level
/// would cost more than it saves.
const AFFINE_THRESHOLD: usize = 64;

/// `sums[d − 1]` = the sum of the points of digit `d`, for `d` up to the largest digit present.
fn bucket_sums(digits: Vec<(u8, G1Affine)>) -> Vec<G1Affine> {
    let top = digits.iter().map(|(d, _)| *d as usize).max().unwrap_or(0);
    if digits.len() < AFFINE_THRESHOLD {
        let mut sums = vec![G1Projective::zero(); top];
        for (d, p) in &digits {
            sums[*d as usize - 1] += p;
        }
        return G1Projective::normalize_batch(&sums);
    }
    // Group the points by bucket `d − 1` (a counting sort): bucket `b` is
    // `points[start[b]..start[b] + len[b]]`.
    let mut len = vec![0usize; top];
    for (d, _) in &digits {
        len[*d as usize - 1] += 1;
    }
    let start: Vec<usize> = len
        .iter()
        .scan(0, |offset, l| {
            let s = *offset;
            *offset += l;
            Some(s)
        })
        .collect();
    let mut fill = start.clone();
    let mut points = vec![G1Affine::identity(); digits.len()];
    for (d, p) in digits {
        let slot = &mut fill[d as usize - 1];
        points[*slot] = p;
        *slot += 1;
    }
    // Halve every bucket per level, until each holds one point: pair k of a bucket starting at
    // s adds points s + 2k and s + 2k + 1 into s + k; an unpaired last point moves to s + ⌊l/2⌋.
    // All of a level's reads happen before its writes.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut moves: Vec<(usize, usize)> = Vec::new();
    let mut denominators: Vec<Fq> = Vec::new();
    while len.iter().any(|l| *l > 1) {
        pairs.clear();
        moves.clear();
        for (s, l) in start.iter().zip(len.iter_mut()) {
            pairs.extend((0..*l / 2).map(|k| (s + 2 * k, s + k)));
            if *l % 2 == 1 && *l > 1 {
                moves.push((s + *l - 1, s + *l / 2));
            }
            *l = l.div_ceil(2);
        }
        denominators.clear();
        denominators.extend(
            pairs
                .iter()
                .map(|(a, _)| slope_denominator(&points[*a], &points[a + 1])),
        );
        batch_inversion(&mut denominators);
        let sums: Vec<G1Affine> = pairs
            .iter()
            .zip(&denominators)
            .map(|((a, _), inv)| affine_add(&points[*a], &points[a + 1], inv))
            .collect();
        for ((_, out), sum) in pairs.iter().zip(sums) {
            points[*out] = sum;
        }
        for (from, to) in &moves {
            points[*to] = points[*from];
        }
    }
    start
        .iter()
        .zip(&len)
        .map(|(s, l)| {
            if *l == 0 {
                G1Affine::identity()
            } else {
                points[*s]
            }
        })
        .collect()
}

/// The denominator of the slope of `p + q`: `x_q − x_p`, or `2·y_p` when doubling; 1 where no
/// slope is needed (an identity summand, or `q = −p`).
fn slope_denominator(p: &G1Affine, q: &G1Affine) -> Fq {
    if p.infinity || q.infinity {
        Fq::one()
    } else if p.x != q.x {
        q.x - p.x
    } else if p.y == q.y && !p.y.is_zero() {
        p.y.double()
    } else {
        Fq::one()
    }
}

/// `p + q` given the inverse of [`slope_denominator`]`(p, q)` (BN254's G1 is `y² = x³ + 3`).
fn affine_add(p: &G1Affine, q: &G1Affine, inverse: &Fq) -> G1Affine {
    if p.infinity {
        return *q;
    }
    if q.infinity {
        return *p;
    }
    let slope = if p.x != q.x {
        (q.y - p.y) * inverse
    } else if p.y == q.y && !p.y.is_zero() {
        let x2 = p.x.square();
        (x2.double() + x2) * inverse
    } else {
        return G1Affine::identity();
    };
    let x = slope.square() - p.x - q.x;
    let y = slope * (p.x - x) - p.y;
    G1Affine::new_unchecked(x, y)
}

/// The number of bytes up to the most significant nonzero one.
fn significant_bytes<const L: usize>(limbs: &[u64; L]) -> u32 {
    limbs.iter().rposition(|l| *l != 0).map_or(0, |i| {
        8 * i as u32 + (64 - limbs[i].leading_zeros()).div_ceil(8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::VariableBaseMSM;
    use ark_ff::UniformRand;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn fixed_base_msm_matches_the_generic_one() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let bases: Vec<G1Affine> = (0..100)
            .map(|_| G1Projective::rand(&mut rng).into_affine())
            .collect();
        let table = FixedBaseTable::new(&bases);
        for bits in [1u32, 2, 8, 32, 64] {
            let scalars: Vec<u64> = (0..100)
                .map(|i| {
                    let x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x1234_5678;
                    if bits == 64 {
                        x
                    } else {
                        x & ((1u64 << bits) - 1)
                    }
                })
                .collect();
            let fr: Vec<Fr> = scalars.iter().map(|s| Fr::from(*s)).collect();
            let expected = G1Projective::msm_unchecked(&bases, &fr);
            assert_eq!(table.msm_small(&scalars), expected, "{bits} bits");
            assert_eq!(table.msm(&fr), expected, "{bits} bits as Fr");
        }
        // Small negative values (added as a negation), mixed with positive ones.
        let signed: Vec<Fr> = (0..100i64)
            .map(|i| {
                let v = (i - 50) * 1_000_003;
                if v < 0 {
                    -Fr::from(v.unsigned_abs())
                } else {
                    Fr::from(v as u64)
                }
            })
            .collect();
        assert_eq!(
            table.msm(&signed),
            G1Projective::msm_unchecked(&bases, &signed)
        );
        // Full field elements, including -1 (every byte nonzero) and a shorter row.
        let mut fr: Vec<Fr> = (0..100).map(|_| Fr::rand(&mut rng)).collect();
        fr[3] = -Fr::from(1u64);
        assert_eq!(table.msm(&fr), G1Projective::msm_unchecked(&bases, &fr));
        assert_eq!(
            table.msm(&fr[..37]),
            G1Projective::msm_unchecked(&bases[..37], &fr[..37])
        );
        assert_eq!(table.msm(&[]), G1Projective::zero());
    }

    #[test]
    fn affine_buckets_handle_doubling_cancellation_and_odd_buckets() {
        let mut rng = ChaCha20Rng::seed_from_u64(6);
        let g = G1Projective::rand(&mut rng).into_affine();
        let h = G1Projective::rand(&mut rng).into_affine();
        // Equal points in one bucket (doubling), a point and its negation (the identity), and
        // buckets of odd sizes, all past the threshold of the affine path.
        let bases: Vec<G1Affine> = (0..301)
            .map(|i| match i % 5 {
                0 | 1 => g,
                2 => -g,
                3 => h,
                _ => -h,
            })
            .collect();
        let table = FixedBaseTable::new(&bases);
        for pattern in [1u64, 3, 0x0101, 0xff] {
            let scalars: Vec<u64> = (0..301u64).map(|i| pattern * (1 + i % 3)).collect();
            let fr: Vec<Fr> = scalars.iter().map(|s| Fr::from(*s)).collect();
            assert_eq!(
                table.msm_small(&scalars),
                G1Projective::msm_unchecked(&bases, &fr),
                "pattern {pattern:#x}"
            );
        }
        // Everything cancels: g, -g pairs only.
        let cancel: Vec<G1Affine> = (0..200).map(|i| if i % 2 == 0 { g } else { -g }).collect();
        let table = FixedBaseTable::new(&cancel);
        assert_eq!(table.msm_small(&[7; 200]), G1Projective::zero());
    }
}
