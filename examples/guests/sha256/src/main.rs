//! sha256: hashes the whole private input with SHA-256 (crate `sha2`, no default features)
//! and writes the digest as 64 lower-case hex digits and a newline to the public output.
#![no_std]
#![no_main]

use sha2::{Digest, Sha256};
use zkvm_guest::{entry, print, println, read};

entry!(main);

fn main() {
    let mut hasher = Sha256::new();
    let mut chunk = [0u8; 512];
    loop {
        let n = read(&mut chunk);
        if n == 0 {
            break;
        }
        hasher.update(&chunk[..n]);
    }
    for byte in hasher.finalize() {
        print!("{byte:02x}");
    }
    println!();
}
