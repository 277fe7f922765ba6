//! A zkvm guest (the example `fib`, and the `src/main.rs` of a project `zkvm new` creates):
//! reads n as decimal text from the private input (surrounding whitespace ignored) and writes
//! fib(n) (fib(0) = 0, fib(1) = 1, wrapping modulo 2^64) as decimal text and a newline to the
//! public output. `echo 30 | zkvm run $(zkvm build .)` prints `832040`, and
//! `echo 20 | zkvm prove $(zkvm build .)` proves fib(20).
#![no_std]
#![no_main]

use zkvm_guest::{entry, println, read_number};

entry!(main);

fn main() {
    let n = read_number::<u32>();
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        let c = a.wrapping_add(b);
        a = b;
        b = c;
    }
    println!("{a}");
}
