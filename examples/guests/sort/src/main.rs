//! sort: reads the private input as little-endian u32 words (a whole number of them), sorts
//! them ascending, and writes the sorted words and then the number of distinct values, each as
//! a little-endian u32 word, to the public output — what `examples/zasm/sort.zasm` outputs as
//! field elements.
//!
//! The input and output are binary words, not decimal text, so that the guest's cycles measure
//! the sort: parsing and printing decimal numbers costs several times more than sorting them.
//! `zkvm compare --stdin N=FILE` passes such a file as the guest's stdin.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use zkvm_guest::{commit_u32, entry, read_to_vec};

entry!(main);

fn main() {
    let bytes = read_to_vec();
    if bytes.len() % 4 != 0 {
        panic!(
            "private input: {} bytes is not a whole number of u32 words",
            bytes.len()
        );
    }
    let mut values: Vec<u32> = bytes
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        .collect();
    values.sort_unstable();
    let repeats = values.windows(2).filter(|w| w[0] == w[1]).count();
    for v in &values {
        commit_u32(*v);
    }
    commit_u32((values.len() - repeats) as u32);
}
