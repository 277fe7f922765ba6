//! factorial: reads n as decimal text and writes n! modulo the BN254 scalar field prime
//! r = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001
//! as `0x` and 64 lower-case hex digits and a newline to the public output.
//!
//! The field arithmetic is `zkvm-guest-bn254` (Montgomery multiplication on 32-bit limbs).
#![no_std]
#![no_main]

use zkvm_guest::{entry, println, read_number};
use zkvm_guest_bn254::Fr;

entry!(main);

fn main() {
    let n = read_number::<u32>();
    let mut f = Fr::ONE;
    for k in 2..=n {
        f *= Fr::from_u32(k);
    }
    println!("{f}");
}
