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

use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::{AdditiveGroup, CurveGroup};
use ark_ff::{PrimeField, Zero};
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
        let mut buckets = [G1Projective::zero(); 255];
        let mut top = 0usize;
        for (i, (limbs, negative)) in scalars.enumerate() {
            let multiples = &self.multiples[i * WINDOWS..(i + 1) * WINDOWS];
            for (l, limb) in limbs.iter().enumerate() {
                let mut rest = *limb;
                let mut w = l * 8;
                while rest != 0 {
                    let digit = (rest & 0xff) as usize;
                    if digit != 0 {
                        if negative {
                            buckets[digit - 1] -= &multiples[w];
                        } else {
                            buckets[digit - 1] += &multiples[w];
                        }
                        top = top.max(digit);
                    }
                    rest >>= 8;
                    w += 1;
                }
            }
        }
        // Σ_d d · bucket_d as a running sum from the top bucket down.
        let mut running = G1Projective::zero();
        let mut total = G1Projective::zero();
        for bucket in buckets[..top].iter().rev() {
            running += bucket;
            total += running;
        }
        total
    }
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
}
