//! Arithmetic in the BN254 scalar field `F_r`, for `no_std` RV32IM guests, with
//! `r = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001` (the field of zasm's
//! words and of the prover).
//!
//! [`Fr`] keeps an element `a` as eight 32-bit limbs (least significant first) of its Montgomery
//! form `a·R mod r`, `R = 2^256`, always fully reduced (below `r`), so equal elements have equal
//! limbs. Limbs are `u32` and products are formed in `u64`: on RV32IM a `u32 × u32 → u64`
//! product is one `mul` and one `mulhu`. Multiplication is Montgomery's reduction interleaved
//! with the schoolbook product: the Coarsely Integrated Operand Scanning (CIOS) method of Koç,
//! Acar and Kaliski, "Analyzing and comparing Montgomery multiplication algorithms", IEEE Micro
//! 16(3), 1996. Nothing here is constant-time.
//!
//! ```
//! use zkvm_guest_bn254::Fr;
//! let x = Fr::from_u32(3) * Fr::from_u32(5) - Fr::from_u32(16);
//! assert_eq!(x, -Fr::ONE);
//! ```
//!
//! Constants (`R mod r`, `R² mod r`, `−r⁻¹ mod 2^32`) are computed at compile time from the
//! modulus, and the core operations are `const fn`, so tables of field constants
//! ([`Fr::from_hex`]) cost nothing at run time.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use core::fmt;
use core::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// Number of 32-bit limbs.
const N: usize = 8;

/// Eight 32-bit limbs of a 256-bit integer, least significant first.
pub type Limbs = [u32; N];

/// The modulus `r`, least significant limb first.
pub const MODULUS: Limbs = [
    0xf000_0001,
    0x43e1_f593,
    0x79b9_7091,
    0x2833_e848,
    0x8181_585d,
    0xb850_45b6,
    0xe131_a029,
    0x3064_4e72,
];

/// `−r⁻¹ mod 2^32`, the factor REDC multiplies by to find the multiple of `r` that clears a limb.
const INV: u32 = neg_inverse_mod_2_32(MODULUS[0]);

/// `R mod r`: the Montgomery form of 1.
const R1: Limbs = pow2_mod_r(256);

/// `R² mod r`: Montgomery-multiplying by it converts into Montgomery form.
const R2: Limbs = pow2_mod_r(512);

/// `−a⁻¹ mod 2^32` for odd `a`, by Newton–Hensel lifting: if `x·a ≡ 1 (mod 2^k)` then
/// `x·(2 − a·x)·a ≡ 1 (mod 2^2k)`; `x = 1` is right mod 2, so five steps reach 2^32.
const fn neg_inverse_mod_2_32(a: u32) -> u32 {
    let mut x: u32 = 1;
    let mut i = 0;
    while i < 5 {
        x = x.wrapping_mul(2u32.wrapping_sub(a.wrapping_mul(x)));
        i += 1;
    }
    x.wrapping_neg()
}

/// `2^k mod r`, by doubling 1 `k` times modulo `r`.
const fn pow2_mod_r(k: u32) -> Limbs {
    let mut x = [0u32; N];
    x[0] = 1;
    let mut i = 0;
    while i < k {
        x = add_mod(&x, &x);
        i += 1;
    }
    x
}

/// `a + b` and the carry out of the top limb.
const fn add_limbs(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut s = [0u32; N];
    let mut carry = 0u64;
    let mut i = 0;
    while i < N {
        let t = a[i] as u64 + b[i] as u64 + carry;
        s[i] = t as u32;
        carry = t >> 32;
        i += 1;
    }
    (s, carry != 0)
}

/// `a − b` (mod 2^256) and whether it borrowed (`a < b`).
const fn sub_limbs(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut d = [0u32; N];
    let mut borrow = 0u64;
    let mut i = 0;
    while i < N {
        let t = (a[i] as u64).wrapping_sub(b[i] as u64 + borrow);
        d[i] = t as u32;
        borrow = t >> 63;
        i += 1;
    }
    (d, borrow != 0)
}

/// `a` if `a < r`, else `a − r`: the reduction of any `a < 2r`.
const fn subtract_r_once(a: &Limbs) -> Limbs {
    let (d, borrow) = sub_limbs(a, &MODULUS);
    if borrow {
        *a
    } else {
        d
    }
}

/// `(a + b) mod r` for `a, b < r`. The sum is below `2r < 2^255`, so it never carries out.
const fn add_mod(a: &Limbs, b: &Limbs) -> Limbs {
    subtract_r_once(&add_limbs(a, b).0)
}

/// `(a − b) mod r` for `a, b < r`: add `r` back when the subtraction borrowed.
const fn sub_mod(a: &Limbs, b: &Limbs) -> Limbs {
    let (d, borrow) = sub_limbs(a, b);
    if borrow {
        add_limbs(&d, &MODULUS).0
    } else {
        d
    }
}

/// Montgomery multiplication `a·b·R⁻¹ mod r` for `a, b < r`, by the Coarsely Integrated Operand
/// Scanning (CIOS) method of Koç, Acar and Kaliski, "Analyzing and comparing Montgomery
/// multiplication algorithms", IEEE Micro 16(3), 1996, with word size `W = 2^32` and `s = 8`
/// words. Each of the eight outer steps adds `a·b[i]` to the accumulator `t`, then adds the
/// multiple `m·r` with `m = t[0]·(−r⁻¹) mod W` that makes the lowest word zero, and shifts `t`
/// down one word (the paper's separate shift loop is folded into the reduction loop, writing
/// `t[j − 1]`). Every `u64` sum is at most `(W − 1) + (W − 1)² + (W − 1) = W² − 1`, so none
/// overflows. The result is below `2r` and one conditional subtraction reduces it.
const fn mont_mul(a: &Limbs, b: &Limbs) -> Limbs {
    let mut t = [0u32; N + 2];
    let mut i = 0;
    while i < N {
        // t += a · b[i]
        let bi = b[i] as u64;
        let mut carry = 0u64;
        let mut j = 0;
        while j < N {
            let s = t[j] as u64 + a[j] as u64 * bi + carry;
            t[j] = s as u32;
            carry = s >> 32;
            j += 1;
        }
        let s = t[N] as u64 + carry;
        t[N] = s as u32;
        t[N + 1] = (s >> 32) as u32;
        // t = (t + m · r) / W, with m chosen so that the division is exact.
        let m = t[0].wrapping_mul(INV) as u64;
        let s = t[0] as u64 + m * MODULUS[0] as u64;
        let mut carry = s >> 32;
        let mut j = 1;
        while j < N {
            let s = t[j] as u64 + m * MODULUS[j] as u64 + carry;
            t[j - 1] = s as u32;
            carry = s >> 32;
            j += 1;
        }
        let s = t[N] as u64 + carry;
        t[N - 1] = s as u32;
        t[N] = t[N + 1] + (s >> 32) as u32;
        i += 1;
    }
    // t < 2r < 2^255, so t[N] = 0 and the low eight words hold it.
    let mut low = [0u32; N];
    let mut j = 0;
    while j < N {
        low[j] = t[j];
        j += 1;
    }
    subtract_r_once(&low)
}

/// An element of the BN254 scalar field, in Montgomery form (see the crate documentation).
///
/// `{}` (and `{:?}`) format it as `0x` and 64 lower-case hex digits of its canonical
/// representative, e.g. `0x000…0001` for one.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fr(Limbs);

impl Fr {
    /// Zero.
    pub const ZERO: Fr = Fr([0; N]);
    /// One.
    pub const ONE: Fr = Fr(R1);

    /// The element with canonical limbs `limbs` (least significant first), or `None` if they
    /// are not below `r`.
    pub const fn from_canonical(limbs: Limbs) -> Option<Fr> {
        if sub_limbs(&limbs, &MODULUS).1 {
            Some(Fr(mont_mul(&limbs, &R2)))
        } else {
            None
        }
    }

    /// The canonical representative (below `r`) as limbs, least significant first.
    pub const fn to_canonical(self) -> Limbs {
        let mut one = [0u32; N];
        one[0] = 1;
        mont_mul(&self.0, &one)
    }

    /// The element `v`.
    pub const fn from_u32(v: u32) -> Fr {
        let mut limbs = [0u32; N];
        limbs[0] = v;
        Fr(mont_mul(&limbs, &R2))
    }

    /// The element `v`.
    pub const fn from_u64(v: u64) -> Fr {
        let mut limbs = [0u32; N];
        limbs[0] = v as u32;
        limbs[1] = (v >> 32) as u32;
        Fr(mont_mul(&limbs, &R2))
    }

    /// Parses `0x` followed by 1 to 64 hex digits (either case) of a value below `r`; `None`
    /// otherwise. A `const fn`, for tables of constants:
    /// `const C: Fr = match Fr::from_hex("0x2a") { Some(c) => c, None => panic!() };`.
    pub const fn from_hex(s: &str) -> Option<Fr> {
        let bytes = s.as_bytes();
        if bytes.len() < 3 || bytes.len() > 66 || bytes[0] != b'0' || bytes[1] != b'x' {
            return None;
        }
        let mut limbs = [0u32; N];
        let mut i = 2;
        while i < bytes.len() {
            let digit = match bytes[i] {
                c @ b'0'..=b'9' => c - b'0',
                c @ b'a'..=b'f' => c - b'a' + 10,
                c @ b'A'..=b'F' => c - b'A' + 10,
                _ => return None,
            } as u32;
            // limbs = limbs · 16 + digit; at most 64 digits, so nothing is shifted out.
            let mut carry = digit;
            let mut j = 0;
            while j < N {
                let next = limbs[j] >> 28;
                limbs[j] = (limbs[j] << 4) | carry;
                carry = next;
                j += 1;
            }
            i += 1;
        }
        Fr::from_canonical(limbs)
    }

    /// Parses a non-empty string of decimal digits; the value is taken modulo `r`, as zasm
    /// reads its input. `None` for anything else (signs and spaces included).
    pub fn from_decimal(s: &str) -> Option<Fr> {
        if s.is_empty() {
            return None;
        }
        let ten = Fr::from_u32(10);
        let mut acc = Fr::ZERO;
        for c in s.bytes() {
            if !c.is_ascii_digit() {
                return None;
            }
            acc = acc * ten + Fr::from_u32(u32::from(c - b'0'));
        }
        Some(acc)
    }
}

impl From<u32> for Fr {
    fn from(v: u32) -> Fr {
        Fr::from_u32(v)
    }
}

impl From<u64> for Fr {
    fn from(v: u64) -> Fr {
        Fr::from_u64(v)
    }
}

impl Add for Fr {
    type Output = Fr;
    fn add(self, rhs: Fr) -> Fr {
        Fr(add_mod(&self.0, &rhs.0))
    }
}

impl Sub for Fr {
    type Output = Fr;
    fn sub(self, rhs: Fr) -> Fr {
        Fr(sub_mod(&self.0, &rhs.0))
    }
}

impl Neg for Fr {
    type Output = Fr;
    fn neg(self) -> Fr {
        Fr(sub_mod(&[0; N], &self.0))
    }
}

impl Mul for Fr {
    type Output = Fr;
    /// `(aR)(bR)R⁻¹ = (ab)R`: the Montgomery product of Montgomery forms is the product's form.
    fn mul(self, rhs: Fr) -> Fr {
        Fr(mont_mul(&self.0, &rhs.0))
    }
}

impl AddAssign for Fr {
    fn add_assign(&mut self, rhs: Fr) {
        *self = *self + rhs;
    }
}

impl SubAssign for Fr {
    fn sub_assign(&mut self, rhs: Fr) {
        *self = *self - rhs;
    }
}

impl MulAssign for Fr {
    fn mul_assign(&mut self, rhs: Fr) {
        *self = *self * rhs;
    }
}

impl fmt::Display for Fr {
    /// Writes the 66 characters in one piece: digit by digit through `{:08x}` costs guests
    /// several times more cycles.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [b'0'; 66];
        text[1] = b'x';
        for (i, limb) in self.to_canonical().iter().rev().enumerate() {
            for j in 0..8 {
                text[2 + 8 * i + j] = DIGITS[(limb >> (28 - 4 * j)) as usize & 0xf];
            }
        }
        match core::str::from_utf8(&text) {
            Ok(s) => f.write_str(s),
            Err(_) => Err(fmt::Error),
        }
    }
}

impl fmt::Debug for Fr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
