//! Integer helpers for the `div` / `rem` advice on canonical representatives.

use ark_ff::{BigInt, BigInteger};

/// `(⌊a / b⌋, a mod b)` for `b ≠ 0`: a `u128` fast path, else binary long division.
pub fn divrem(a: BigInt<4>, b: BigInt<4>) -> (BigInt<4>, BigInt<4>) {
    let fits = |x: &BigInt<4>| x.0[2] == 0 && x.0[3] == 0;
    if fits(&a) && fits(&b) {
        let x = u128::from(a.0[0]) | u128::from(a.0[1]) << 64;
        let y = u128::from(b.0[0]) | u128::from(b.0[1]) << 64;
        let (q, r) = (x / y, x % y);
        let big = |v: u128| BigInt::new([v as u64, (v >> 64) as u64, 0, 0]);
        return (big(q), big(r));
    }
    let mut q = BigInt::<4>::zero();
    let mut r = BigInt::<4>::zero();
    for i in (0..256).rev() {
        // r = 2r + bit; r < b < 2^254, so 2r + 1 cannot overflow 256 bits.
        r.mul2();
        if a.get_bit(i) {
            r.0[0] |= 1;
        }
        if r >= b {
            r.sub_with_borrow(&b);
            q.0[i / 64] |= 1 << (i % 64);
        }
    }
    (q, r)
}
