//! matmul_u32: reads n as decimal text, builds the n x n matrices A[i][j] = i + j and
//! B[i][j] = i * j + 1, and writes C = A B (entries wrapping modulo 2^32) to the public output
//! as n lines of n space-separated decimal numbers.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec;
use zkvm_guest::{entry, print, println, read_to_string};

entry!(main);

fn main() {
    let text = read_to_string();
    let n: usize = match text.trim().parse() {
        Ok(n) => n,
        Err(_) => panic!("expected a decimal number n, got {:?}", text.trim()),
    };
    let mut a = vec![0u32; n * n];
    let mut b = vec![0u32; n * n];
    for i in 0..n {
        for j in 0..n {
            a[i * n + j] = (i + j) as u32;
            b[i * n + j] = (i as u32).wrapping_mul(j as u32).wrapping_add(1);
        }
    }
    let mut c = vec![0u32; n * n];
    for i in 0..n {
        for k in 0..n {
            let aik = a[i * n + k];
            for j in 0..n {
                c[i * n + j] = c[i * n + j].wrapping_add(aik.wrapping_mul(b[k * n + j]));
            }
        }
    }
    for i in 0..n {
        for j in 0..n {
            if j > 0 {
                print!(" ");
            }
            print!("{}", c[i * n + j]);
        }
        println!();
    }
}
