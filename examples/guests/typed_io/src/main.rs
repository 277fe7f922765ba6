//! typed_io: typed private input and public output. Reads a `Query` (a label and numbers),
//! commits a `Summary` (the label, the count, the sum and the largest number), then the numbers
//! sorted. The host writes the query with `zkvm_host::Input::value` and reads both values back
//! with `zkvm_host::Output::values`.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};
use zkvm_guest::{commit_value, entry, read_value};

entry!(main);

/// What the host asks.
#[derive(Deserialize)]
struct Query {
    label: String,
    numbers: Vec<u64>,
}

/// What the guest answers.
#[derive(Serialize)]
struct Summary {
    label: String,
    count: u32,
    sum: u64,
    max: Option<u64>,
}

fn main() {
    let mut query: Query = read_value();
    let summary = Summary {
        label: query.label,
        count: query.numbers.len() as u32,
        sum: query.numbers.iter().fold(0u64, |s, x| s.wrapping_add(*x)),
        max: query.numbers.iter().copied().max(),
    };
    commit_value(&summary);
    query.numbers.sort_unstable();
    commit_value(&query.numbers);
}
