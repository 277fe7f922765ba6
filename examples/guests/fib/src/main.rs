//! fib: reads n as decimal text from the private input (surrounding whitespace ignored) and
//! writes fib(n) (fib(0) = 0, fib(1) = 1, wrapping modulo 2^64) as decimal text and a newline
//! to the public output. `echo 30 | zkvm run fib.elf` prints `832040`.
#![no_std]
#![no_main]

use zkvm_guest::{entry, println, read_numbers};

entry!(main);

fn main() {
    let [n] = read_numbers::<u32>()[..] else {
        panic!("expected one decimal number n")
    };
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        let c = a.wrapping_add(b);
        a = b;
        b = c;
    }
    println!("{a}");
}
