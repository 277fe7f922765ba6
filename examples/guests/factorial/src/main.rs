//! factorial: reads n as decimal text and writes n! modulo the BN254 scalar field prime
//! r = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001
//! as `0x` and 64 lower-case hex digits and a newline to the public output.
//!
//! Hand-written arithmetic on eight 32-bit limbs (little-endian): multiplying by a 32-bit
//! factor is double-and-add over its bits, each step an addition modulo r followed by one
//! conditional subtraction (both operands are below r < 2^254, so the sum never overflows).
#![no_std]
#![no_main]

use zkvm_guest::{entry, print, println, read_to_string};

entry!(main);

/// Eight 32-bit limbs, least significant first.
type U256 = [u32; 8];

/// The BN254 scalar field modulus r.
const R: U256 = [
    0xf000_0001,
    0x43e1_f593,
    0x79b9_7091,
    0x2833_e848,
    0x8181_585d,
    0xb850_45b6,
    0xe131_a029,
    0x3064_4e72,
];

fn geq(a: &U256, b: &U256) -> bool {
    for i in (0..8).rev() {
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

fn sub_in_place(a: &mut U256, b: &U256) {
    let mut borrow = 0u64;
    for i in 0..8 {
        let d = u64::from(a[i])
            .wrapping_sub(u64::from(b[i]))
            .wrapping_sub(borrow);
        a[i] = d as u32;
        borrow = (d >> 63) & 1;
    }
}

/// (a + b) mod r for a, b < r.
fn add_mod(a: &U256, b: &U256) -> U256 {
    let mut s = [0u32; 8];
    let mut carry = 0u64;
    for i in 0..8 {
        let t = u64::from(a[i]) + u64::from(b[i]) + carry;
        s[i] = t as u32;
        carry = t >> 32;
    }
    if geq(&s, &R) {
        sub_in_place(&mut s, &R);
    }
    s
}

/// (x * m) mod r for x < r.
fn mul_small_mod(x: &U256, m: u32) -> U256 {
    let mut acc = [0u32; 8];
    for bit in (0..32).rev() {
        acc = add_mod(&acc, &acc);
        if (m >> bit) & 1 == 1 {
            acc = add_mod(&acc, x);
        }
    }
    acc
}

fn main() {
    let text = read_to_string();
    let n: u32 = match text.trim().parse() {
        Ok(n) => n,
        Err(_) => panic!("expected a decimal number n, got {:?}", text.trim()),
    };
    let mut f: U256 = [1, 0, 0, 0, 0, 0, 0, 0];
    for k in 2..=n {
        f = mul_small_mod(&f, k);
    }
    print!("0x");
    for limb in f.iter().rev() {
        print!("{limb:08x}");
    }
    println!();
}
