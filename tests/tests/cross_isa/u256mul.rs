//! 256-bit multiplication: zasm and the RV32IM guest agree.
//!
//! The kernel: x = r, acc = 0; k times (hi, lo) = x * q, x = lo, acc = (acc + hi) mod 2^256,
//! with r and q the BN254 moduli. The expectation is computed here on 64-bit limbs with u128
//! intermediates (the programs use 64-bit field limbs and 32-bit RISC-V limbs).

use ark_bn254::Fr;
use ark_ff::Field;

use crate::{guest, root, zasm};

/// Four 64-bit limbs, least significant first.
type U256 = [u64; 4];

const R: U256 = [
    0x43e1f593f0000001,
    0x2833e84879b97091,
    0xb85045b68181585d,
    0x30644e72e131a029,
];
const Q: U256 = [
    0x3c208c16d87cfd47,
    0x97816a916871ca8d,
    0xb85045b68181585d,
    0x30644e72e131a029,
];

/// (hi, lo) of the 512-bit product a * b.
fn mul_wide(a: &U256, b: &U256) -> (U256, U256) {
    let mut t = [0u64; 8];
    for i in 0..4 {
        let mut carry = 0u128;
        for j in 0..4 {
            let v = u128::from(a[i]) * u128::from(b[j]) + u128::from(t[i + j]) + carry;
            t[i + j] = v as u64;
            carry = v >> 64;
        }
        t[i + 4] = carry as u64;
    }
    ([t[4], t[5], t[6], t[7]], [t[0], t[1], t[2], t[3]])
}

fn add_mod(a: &U256, b: &U256) -> U256 {
    let mut s = [0u64; 4];
    let mut carry = 0u128;
    for i in 0..4 {
        let v = u128::from(a[i]) + u128::from(b[i]) + carry;
        s[i] = v as u64;
        carry = v >> 64;
    }
    s
}

/// (x, acc) after k steps.
fn kernel(k: u32) -> (U256, U256) {
    let (mut x, mut acc) = (R, [0; 4]);
    for _ in 0..k {
        let (hi, lo) = mul_wide(&x, &Q);
        x = lo;
        acc = add_mod(&acc, &hi);
    }
    (x, acc)
}

/// The eight u32 limbs, least significant first.
fn u32_limbs(v: &U256) -> Vec<u64> {
    v.iter().flat_map(|&l| [l & 0xffff_ffff, l >> 32]).collect()
}

fn hex(v: &U256) -> String {
    format!("0x{:016x}{:016x}{:016x}{:016x}", v[3], v[2], v[1], v[0])
}

#[test]
fn u256mul_agrees() {
    // One step by hand: r * q's low half is r * q mod 2^256; its low limb is
    // r0 * q0 mod 2^64 = 0x43e1f593f0000001 * 0x3c208c16d87cfd47 mod 2^64.
    assert_eq!(
        kernel(1).0[0],
        0x43e1f593f0000001u64.wrapping_mul(0x3c208c16d87cfd47)
    );
    for k in [0u32, 1, 2, 10] {
        let (x, acc) = kernel(k);
        let mut want = u32_limbs(&x);
        want.extend(u32_limbs(&acc));
        let want: Vec<Fr> = want.into_iter().map(Fr::from).collect();
        assert_eq!(
            zasm("examples/zasm/u256mul.zasm", &[u64::from(k)]),
            want,
            "zasm, k = {k}"
        );
        assert_eq!(
            guest("u256mul", &k.to_string()),
            format!("{}\n{}\n", hex(&x), hex(&acc)),
            "guest, k = {k}"
        );
    }
}

/// The advice that splits a product window comes from the input instead. With the honest
/// values the run reproduces kernel(1); a prover claiming a low half one larger (x0 + 1) and
/// keeping every field identity true needs a carry c1 that is no small integer: it fails.
#[test]
fn u256mul_pins_the_carries() {
    let honest = std::fs::read_to_string(root().join("examples/zasm/u256mul.zasm")).expect("read");
    let advice = "    [fp + D] = advice div(v, B64);\n    c = advice div(v, B128);\n";
    assert_eq!(honest.matches(advice).count(), 1);
    let source = honest.replace(advice, "    [fp + D] = input;\n    c = input;\n");
    let lying = zkvm_assembler::assemble_str("u256mul.zasm", &source)
        .unwrap_or_else(|d| panic!("{}", d.render_plain()));

    // The first two product windows of r * q, as the program forms them (see its header).
    let b64 = Fr::from(1u128 << 64);
    let (x, q) = (R.map(Fr::from), Q.map(Fr::from));
    let s0 = x[0] * (q[0] + q[1] * b64) + x[1] * q[0] * b64;
    let s1 = x[0] * (q[2] + q[3] * b64)
        + x[1] * (q[1] + q[2] * b64)
        + x[2] * (q[0] + q[1] * b64)
        + x[3] * q[0] * b64;
    // The advice (d, c) that makes the program's split of window s give the limbs l0, l1:
    // s = l0 + 2^64 l1 + 2^128 c and d = l1 + 2^64 c.
    let b128_inv = (b64 * b64).inverse().expect("invertible");
    let advice_for = |s: Fr, l0: u64, l1: u64| {
        let c = (s - Fr::from(l0) - b64 * Fr::from(l1)) * b128_inv;
        (Fr::from(l1) + b64 * c, c)
    };
    let run = |lo0: u64| {
        let lo = mul_wide(&R, &Q).1;
        let (d0, c1) = advice_for(s0, lo0, lo[1]);
        let (d1, c2) = advice_for(s1 + c1, lo[2], lo[3]);
        let inputs = [Fr::from(1u64), d0, c1, d1, c2];
        zkvm_vm::run(&lying, &inputs, &zkvm_vm::RunConfig::default())
    };

    let (x1, acc1) = kernel(1);
    let mut want = u32_limbs(&x1);
    want.extend(u32_limbs(&acc1));
    let want: Vec<Fr> = want.into_iter().map(Fr::from).collect();
    assert_eq!(run(x1[0]).expect("honest advice").output, want);

    assert!(x1[0] < u64::MAX);
    let err = run(x1[0] + 1).expect_err("a wrong product must not pass");
    assert!(
        matches!(err.fault, zkvm_vm::Fault::AssertFailed { .. }),
        "{err}"
    );
}
