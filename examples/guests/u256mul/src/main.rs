//! u256mul: 256-bit multiplication. Reads k as decimal text. With r and q the BN254 moduli
//! (used as two odd 256-bit numbers)
//! r = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001,
//! q = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47,
//! it starts from x = r, acc = 0 and repeats k times: (hi, lo) = x * q (the full 512-bit
//! product), x = lo, acc = (acc + hi) mod 2^256. Writes x, then acc, each as `0x` and 64
//! lower-case hex digits and a newline, to the public output.
//!
//! Numbers are eight u32 limbs, least significant first; the product is schoolbook
//! multiplication with u64 intermediates. The same kernel as `examples/zasm/u256mul.zasm`.
#![no_std]
#![no_main]

use zkvm_guest::{entry, print, println, read_number};

entry!(main);

/// Eight 32-bit limbs, least significant first.
type U256 = [u32; 8];

/// The BN254 scalar field modulus r.
const R: U256 = zkvm_guest_bn254::MODULUS;

/// The BN254 base field modulus q.
const Q: U256 = [
    0xd87c_fd47,
    0x3c20_8c16,
    0x6871_ca8d,
    0x9781_6a91,
    0x8181_585d,
    0xb850_45b6,
    0xe131_a029,
    0x3064_4e72,
];

/// The 512-bit product a * b, as (hi, lo).
fn mul_wide(a: &U256, b: &U256) -> (U256, U256) {
    let mut t = [0u32; 16];
    for i in 0..8 {
        let mut carry = 0u64;
        for j in 0..8 {
            // At most (2^32 - 1)^2 + 2 (2^32 - 1) = 2^64 - 1: no overflow.
            let v = u64::from(a[i]) * u64::from(b[j]) + u64::from(t[i + j]) + carry;
            t[i + j] = v as u32;
            carry = v >> 32;
        }
        t[i + 8] = carry as u32;
    }
    let mut hi = [0u32; 8];
    let mut lo = [0u32; 8];
    hi.copy_from_slice(&t[8..]);
    lo.copy_from_slice(&t[..8]);
    (hi, lo)
}

/// (a + b) mod 2^256.
fn add(a: &U256, b: &U256) -> U256 {
    let mut s = [0u32; 8];
    let mut carry = 0u64;
    for i in 0..8 {
        let v = u64::from(a[i]) + u64::from(b[i]) + carry;
        s[i] = v as u32;
        carry = v >> 32;
    }
    s
}

fn print_hex(v: &U256) {
    print!("0x");
    for limb in v.iter().rev() {
        print!("{limb:08x}");
    }
    println!();
}

fn main() {
    let k = read_number::<u32>();
    let mut x = R;
    let mut acc = [0u32; 8];
    for _ in 0..k {
        let (hi, lo) = mul_wide(&x, &Q);
        x = lo;
        acc = add(&acc, &hi);
    }
    print_hex(&x);
    print_hex(&acc);
}
