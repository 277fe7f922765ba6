//! SHA-256: zasm and the RV32IM guest agree.

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};

use crate::{guest, root, zasm};

const SHA256: &str = "examples/zasm/sha256.zasm";

/// The two-block message of FIPS 180-4's examples (56 bytes).
const FIPS_56: &str = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

/// The zasm program's input: L, then the L bytes.
fn inputs(message: &[u8]) -> Vec<u64> {
    let mut inputs = vec![message.len() as u64];
    inputs.extend(message.iter().map(|&b| u64::from(b)));
    inputs
}

/// The zasm digest as 64 hex digits: the 8 output words, big-endian.
fn zasm_digest(message: &[u8]) -> String {
    let words = zasm(SHA256, &inputs(message));
    assert_eq!(words.len(), 8, "8 digest words");
    words
        .iter()
        .map(|w| {
            let bytes = w.into_bigint().to_bytes_be();
            let (high, low) = bytes.split_at(bytes.len() - 4);
            assert!(high.iter().all(|&b| b == 0), "a digest word is a u32");
            low.iter().map(|b| format!("{b:02x}")).collect::<String>()
        })
        .collect()
}

/// A deterministic printable ASCII message of `len` bytes.
fn message(len: usize) -> String {
    (0..len)
        .map(|i| char::from(b' ' + ((i * 37 + 11) % 95) as u8))
        .collect()
}

#[test]
fn sha256_agrees() {
    let mut messages: Vec<String> = [0, 55, 64, 119, 200].into_iter().map(message).collect();
    messages.push("abc".into());
    messages.push(FIPS_56.into());
    for m in &messages {
        assert_eq!(
            format!("{}\n", zasm_digest(m.as_bytes())),
            guest("sha256", m),
            "{} bytes",
            m.len()
        );
    }
}

#[test]
fn sha256_fips_vectors() {
    // FIPS 180-4 examples (and the empty message).
    assert_eq!(
        zasm_digest(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        zasm_digest(FIPS_56.as_bytes()),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
    assert_eq!(
        zasm_digest(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn sha256_rejects_a_byte_out_of_range() {
    let program = zkvm_assembler::assemble_file(&root().join(SHA256))
        .unwrap_or_else(|d| panic!("{}", d.render()));
    let run = |bytes: &[Fr]| {
        let mut inputs = vec![Fr::from(bytes.len() as u64)];
        inputs.extend_from_slice(bytes);
        zkvm_vm::run(&program, &inputs, &zkvm_vm::RunConfig::default())
    };
    let abc: Vec<Fr> = b"abc".iter().map(|&b| Fr::from(u64::from(b))).collect();
    assert!(run(&abc).is_ok());
    for bad in [Fr::from(256u64), -Fr::from(1u64)] {
        let mut bytes = abc.clone();
        bytes[1] = bad;
        assert!(run(&bytes).is_err(), "byte {bad} must be rejected");
    }
}
