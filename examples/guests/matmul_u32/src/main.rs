//! matmul_u32: u32 matrix multiplication with RISC-V's native (wrapping) arithmetic. Reads n as
//! decimal text, builds the n x n matrices A[i][l] = -(i + l + 1) mod 2^32 (= u32::MAX - i - l)
//! and B[l][j] = l * j + 1, and writes C = A B, every product and sum wrapping modulo 2^32, to
//! the public output as n² little-endian u32 words, row-major. A's entries are close to 2^32, so
//! the products really wrap. The same computation as `examples/zasm/matmul_u32.zasm`, which
//! outputs the same numbers as field elements. (Binary output keeps the cycles on the kernel:
//! printing n² decimal numbers would cost more than multiplying the matrices.)
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec;
use zkvm_guest::{commit_u32, entry, read_number};

entry!(main);

fn main() {
    let n = read_number::<usize>();
    let mut a = vec![0u32; n * n];
    let mut b = vec![0u32; n * n];
    for i in 0..n {
        for j in 0..n {
            a[i * n + j] = u32::MAX.wrapping_sub(i as u32).wrapping_sub(j as u32);
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
    for v in &c {
        commit_u32(*v);
    }
}
