//! matmul: reads n as decimal text, builds the n × n matrices A[i][l] = −(i + l + 1) and
//! B[l][j] = l·j + 1 over the BN254 scalar field, and writes C = A·B to the public output as n
//! lines of n space-separated entries, each `0x` and 64 lower-case hex digits. The same matrices
//! as `examples/zasm/matmul.zasm` and the `matmul:N` baseline circuit.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec;
use alloc::vec::Vec;
use zkvm_guest::{entry, print, println, read_number};
use zkvm_guest_bn254::Fr;

entry!(main);

fn main() {
    let n = read_number::<u32>();
    let cells = || (0..n).flat_map(move |i| (0..n).map(move |j| (i, j)));
    let a: Vec<Fr> = cells().map(|(i, l)| -Fr::from_u32(i + l + 1)).collect();
    let b: Vec<Fr> = cells().map(|(l, j)| Fr::from_u32(l * j + 1)).collect();
    let n = n as usize;
    let mut c = vec![Fr::ZERO; n * n];
    for i in 0..n {
        for l in 0..n {
            let ail = a[i * n + l];
            for j in 0..n {
                c[i * n + j] += ail * b[l * n + j];
            }
        }
    }
    for row in c.chunks(n) {
        for (j, x) in row.iter().enumerate() {
            if j > 0 {
                print!(" ");
            }
            print!("{x}");
        }
        println!();
    }
}
