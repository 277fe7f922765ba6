//! sort: reads whitespace-separated decimal u32 numbers and writes them sorted ascending,
//! space-separated, on one line, then `distinct: K` (the number of distinct values, counted
//! with a BTreeMap) on a second line, to the public output.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use zkvm_guest::{entry, print, println, read_numbers};

entry!(main);

fn main() {
    let mut values: Vec<u32> = read_numbers();
    let mut counts: BTreeMap<u32, u32> = BTreeMap::new();
    for &v in &values {
        *counts.entry(v).or_insert(0) += 1;
    }
    values.sort_unstable();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            print!(" ");
        }
        print!("{v}");
    }
    println!();
    println!("distinct: {}", counts.len());
}
