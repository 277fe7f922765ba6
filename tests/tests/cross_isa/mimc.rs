//! MiMC-7 over BN254: zasm and the RV32IM guest agree.
//!
//! Both compute the chain h_0 = x, h_{i+1} = mimc7.hash(h_i, k) and output h_n; they are checked
//! against each other, against circomlib's test vector mimc7.hash(1, 2), and against the
//! arkworks chain of the baseline circuit (`zkvm_prover::baseline::mimc_reference`, whose round
//! constants come from Keccak, not from either program's table).

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkvm_prover::baseline::{mimc_reference, mimc_round_constants};

use crate::{guest, hex, zasm_fr};

/// The guest's table of round constants, compiled here against the same field crate.
#[path = "../../../examples/guests/mimc/src/round_constants.rs"]
mod round_constants;

/// circomlib's test vector: mimc7.hash(1, 2).
const HASH_1_2: &str = "0x176c6eefc3fdf8d6136002d8e6f7a885bbd1c4e3957b93ddc1ec3ae7859f1a08";

fn decimal(v: &Fr) -> String {
    v.into_bigint().to_string()
}

/// h_n from zasm (inputs x, k, n) and from the guest (stdin "x k n").
fn both(x: Fr, k: Fr, n: u64) -> (String, String) {
    let field = zasm_fr("examples/zasm/mimc.zasm", &[x, k, Fr::from(n)]);
    assert_eq!(field.len(), 1, "mimc.zasm outputs one value");
    let text = guest("mimc", &format!("{} {} {n}", decimal(&x), decimal(&k)));
    (hex(&field[0]), text)
}

#[test]
fn the_guests_round_constants_are_circomlibs() {
    let expected = mimc_round_constants();
    assert_eq!(round_constants::ROUND_CONSTANTS.len(), expected.len());
    for (i, (c, e)) in round_constants::ROUND_CONSTANTS
        .iter()
        .zip(&expected)
        .enumerate()
    {
        assert_eq!(c.to_string(), hex(e), "c_{i}");
    }
}

#[test]
fn one_hash_is_circomlibs_test_vector() {
    let (z, g) = both(Fr::from(1u64), Fr::from(2u64), 1);
    assert_eq!(z, HASH_1_2);
    assert_eq!(g, format!("{HASH_1_2}\n"));
}

#[test]
fn mimc_agrees() {
    let mut rng = ChaCha20Rng::seed_from_u64(91);
    let mut random = || Fr::from_le_bytes_mod_order(&rng.gen::<[u8; 32]>());
    let minus_one = -Fr::from(1u64);
    let cases = [
        (Fr::from(1u64), Fr::from(2u64), 0),
        (Fr::from(1u64), Fr::from(2u64), 3),
        (Fr::from(0u64), Fr::from(0u64), 1),
        (minus_one, minus_one, 1),
        (minus_one, Fr::from(7u64), 3),
        (random(), random(), 0),
        (random(), random(), 1),
        (random(), random(), 3),
    ];
    for (x, k, n) in cases {
        let (z, g) = both(x, k, n);
        let want = hex(&mimc_reference(n as usize, x, k));
        assert_eq!(z, want, "zasm: x = {x}, k = {k}, n = {n}");
        assert_eq!(g, format!("{want}\n"), "guest: x = {x}, k = {k}, n = {n}");
    }
}

#[test]
fn the_guest_reads_decimal_values_modulo_r() {
    // x = r + 5 and k = 2r + 2 are read as 5 and 2.
    let r = Fr::MODULUS;
    let mut x = r;
    x.add_with_carry(&5u64.into());
    let mut k = r;
    k.add_with_carry(&r);
    k.add_with_carry(&2u64.into());
    let text = guest("mimc", &format!("{x} {k} 1"));
    let want = hex(&mimc_reference(1, Fr::from(5u64), Fr::from(2u64)));
    assert_eq!(text, format!("{want}\n"));
}
