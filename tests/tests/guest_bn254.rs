//! The guests' BN254 scalar-field arithmetic (`zkvm-guest-bn254`, built here for the host)
//! agrees with arkworks' `ark_bn254::Fr` on random and edge-case elements (fixed seed).

use ark_bn254::Fr as ArkFr;
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField, Zero};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkvm_guest_bn254::{Fr, Limbs, MODULUS};

/// Random elements per operation.
const SAMPLES: usize = 2000;

fn limbs_of(x: &ArkFr) -> Limbs {
    let mut limbs = [0u32; 8];
    for (i, w) in x.into_bigint().0.iter().enumerate() {
        limbs[2 * i] = *w as u32;
        limbs[2 * i + 1] = (*w >> 32) as u32;
    }
    limbs
}

fn to_guest(x: &ArkFr) -> Fr {
    Fr::from_canonical(limbs_of(x)).expect("an arkworks element is below r")
}

/// The canonical value of a guest element, as an arkworks element.
fn to_ark(x: &Fr) -> ArkFr {
    let bytes: Vec<u8> = x
        .to_canonical()
        .iter()
        .flat_map(|l| l.to_le_bytes())
        .collect();
    let v = ArkFr::from_le_bytes_mod_order(&bytes);
    assert_eq!(limbs_of(&v), x.to_canonical(), "not below r");
    v
}

/// Twelve edge values (near 0, near r, at limb boundaries), then uniform random elements.
fn samples(rng: &mut ChaCha20Rng) -> Vec<ArkFr> {
    let mut v: Vec<ArkFr> = [0u64, 1, 2, 3, u32::MAX as u64, 1 << 32, u64::MAX]
        .iter()
        .map(|&x| ArkFr::from(x))
        .collect();
    v.extend([1u64, 2, 3].map(|x| -ArkFr::from(x)));
    v.push(ArkFr::from(2u64).pow([253u64]));
    v.push(ArkFr::from(2u64).pow([128u64]) - ArkFr::from(1u64));
    while v.len() < SAMPLES {
        let bytes: [u8; 32] = rng.gen();
        v.push(ArkFr::from_le_bytes_mod_order(&bytes));
    }
    v
}

#[test]
fn add_sub_mul_neg_agree_with_arkworks() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x6e_2541);
    let xs = samples(&mut rng);
    let mut ys = samples(&mut rng);
    ys.rotate_left(5);
    for (x, y) in xs.iter().zip(&ys) {
        let (gx, gy) = (to_guest(x), to_guest(y));
        assert_eq!(to_ark(&(gx + gy)), *x + y, "{x} + {y}");
        assert_eq!(to_ark(&(gx - gy)), *x - y, "{x} - {y}");
        assert_eq!(to_ark(&(gx * gy)), *x * y, "{x} * {y}");
        assert_eq!(to_ark(&-gx), -*x, "-{x}");
        let mut acc = gx;
        acc += gy;
        acc *= gy;
        acc -= gx;
        assert_eq!(to_ark(&acc), (*x + y) * y - x, "assign ops on {x}, {y}");
    }
    // Every pair of the edge values (the first ones of `samples`): carries, `r − 1 + r − 1`, …
    let edges = &xs[..12];
    for x in edges {
        for y in edges {
            let (gx, gy) = (to_guest(x), to_guest(y));
            assert_eq!(to_ark(&(gx + gy)), *x + y, "{x} + {y}");
            assert_eq!(to_ark(&(gx - gy)), *x - y, "{x} - {y}");
            assert_eq!(to_ark(&(gx * gy)), *x * y, "{x} * {y}");
        }
    }
    // Each element against itself too (a == b inputs).
    for x in &xs {
        let g = to_guest(x);
        assert_eq!(to_ark(&(g * g)), x.square(), "{x}^2");
        assert_eq!(to_ark(&(g - g)), ArkFr::zero(), "{x} - {x}");
        assert_eq!(to_ark(&(g + g)), x.double(), "{x} + {x}");
    }
}

#[test]
fn small_integers_and_constants_agree_with_arkworks() {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    for _ in 0..SAMPLES {
        let (a, b): (u32, u64) = (rng.gen(), rng.gen());
        assert_eq!(to_ark(&Fr::from_u32(a)), ArkFr::from(a), "{a}");
        assert_eq!(to_ark(&Fr::from(a)), ArkFr::from(a), "{a}");
        assert_eq!(to_ark(&Fr::from_u64(b)), ArkFr::from(b), "{b}");
        assert_eq!(to_ark(&Fr::from(b)), ArkFr::from(b), "{b}");
    }
    assert_eq!(to_ark(&Fr::ZERO), ArkFr::zero());
    assert_eq!(to_ark(&Fr::ONE), ArkFr::from(1u64));
    assert_eq!(Fr::from_u32(1), Fr::ONE);
    assert_eq!(-Fr::ZERO, Fr::ZERO);
    // The modulus is arkworks' r.
    let r = ArkFr::MODULUS;
    let mut limbs = [0u32; 8];
    for (i, w) in r.0.iter().enumerate() {
        limbs[2 * i] = *w as u32;
        limbs[2 * i + 1] = (*w >> 32) as u32;
    }
    assert_eq!(MODULUS, limbs);
}

#[test]
fn canonical_limbs_round_trip_and_values_from_r_up_are_rejected() {
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    for x in samples(&mut rng) {
        assert_eq!(to_guest(&x).to_canonical(), limbs_of(&x), "{x}");
    }
    // r, r + 1, r + 2^32 and 2^256 − 1 are not canonical.
    let mut above = MODULUS;
    assert_eq!(Fr::from_canonical(above), None);
    above[0] += 1;
    assert_eq!(Fr::from_canonical(above), None);
    above[1] += 1;
    assert_eq!(Fr::from_canonical(above), None);
    assert_eq!(Fr::from_canonical([u32::MAX; 8]), None);
    let mut below = MODULUS;
    below[0] -= 1;
    assert_eq!(
        to_ark(&Fr::from_canonical(below).unwrap()),
        -ArkFr::from(1u64)
    );
}

/// `0x` and 64 lower-case hex digits of the canonical value, from arkworks.
fn ark_hex(x: &ArkFr) -> String {
    let digits: String = x
        .into_bigint()
        .to_bytes_be()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("0x{digits}")
}

#[test]
fn formatting_and_parsing_agree_with_arkworks() {
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    for x in samples(&mut rng).iter().take(300) {
        let g = to_guest(x);
        let text = g.to_string();
        assert_eq!(text, ark_hex(x));
        assert_eq!(format!("{g:?}"), text);
        assert_eq!(Fr::from_hex(&text), Some(g), "{text}");
        assert_eq!(
            Fr::from_hex(&text.to_uppercase().replacen("0X", "0x", 1)),
            Some(g)
        );
        let trimmed = format!("0x{}", text[2..].trim_start_matches('0'));
        if trimmed.len() > 2 {
            assert_eq!(Fr::from_hex(&trimmed), Some(g), "{trimmed}");
        }
        let decimal = x.into_bigint().to_string();
        assert_eq!(Fr::from_decimal(&decimal), Some(g), "{decimal}");
    }
    // Decimal values at and above r are reduced modulo r, as zasm reads its input.
    let r = ArkFr::MODULUS.to_string();
    assert_eq!(Fr::from_decimal(&r), Some(Fr::ZERO));
    assert_eq!(Fr::from_decimal(&format!("{r}0")), Some(Fr::ZERO), "10·r");
    let mut r_plus_7 = ArkFr::MODULUS;
    r_plus_7.add_with_carry(&7u64.into());
    assert_eq!(
        Fr::from_decimal(&r_plus_7.to_string()),
        Some(Fr::from_u32(7))
    );
    for bad in ["", "-1", "1 2", "0x10", "12a"] {
        assert_eq!(Fr::from_decimal(bad), None, "{bad:?}");
    }
    for bad in [
        "",
        "0x",
        "10",
        "0xg",
        "x10",
        " 0x1",
        // r itself, and 65 digits.
        "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001",
        "0x000000000000000000000000000000000000000000000000000000000000000001",
    ] {
        assert_eq!(Fr::from_hex(bad), None, "{bad:?}");
    }
}
