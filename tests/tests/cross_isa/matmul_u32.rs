//! Matrix multiplication over u32 (RISC-V's native semantics): zasm and the RV32IM guest agree.
//!
//! Both build A[i][l] = -(i + l + 1) mod 2^32 and B[l][j] = l * j + 1 and output C = A B with
//! wrapping u32 arithmetic.

use ark_bn254::Fr;
use ark_ff::Field;

use crate::{guest_bytes, root, zasm};

const MATMUL: &str = "examples/zasm/matmul_u32.zasm";

fn a(i: usize, l: usize) -> u32 {
    0u32.wrapping_sub(i as u32 + l as u32 + 1)
}

fn b(l: usize, j: usize) -> u32 {
    (l as u32).wrapping_mul(j as u32).wrapping_add(1)
}

/// C = A B with wrapping u32 arithmetic, row-major.
fn expected(n: usize) -> Vec<u32> {
    let mut c = Vec::new();
    for i in 0..n {
        for j in 0..n {
            c.push((0..n).fold(0u32, |s, l| s.wrapping_add(a(i, l).wrapping_mul(b(l, j)))));
        }
    }
    c
}

#[test]
fn matmul_u32_agrees() {
    // n = 2 by hand: A = [[-1, -2], [-2, -3]], B = [[1, 1], [1, 2]] (mod 2^32).
    assert_eq!(
        expected(2),
        [u32::MAX - 2, u32::MAX - 4, u32::MAX - 4, u32::MAX - 7]
    );
    for n in [1usize, 2, 3, 5] {
        let want = expected(n);
        let field = zasm(MATMUL, &[n as u64]);
        let want_fr: Vec<Fr> = want.iter().map(|&v| Fr::from(v)).collect();
        assert_eq!(field, want_fr, "zasm, n = {n}");
        let words: Vec<u8> = want.iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(
            guest_bytes("matmul_u32", n.to_string().as_bytes()),
            words,
            "guest, n = {n}"
        );
    }
}

/// The quotient acc div 2^32 is the only advice. Supplied by the test instead (through the
/// input), the honest quotients reproduce C, and a quotient chosen to make an entry come out
/// as c + 1 (acc = (c + 1) + 2^32 h' in the field) makes the run fail: h' is no small integer.
#[test]
fn matmul_u32_pins_the_reduction() {
    let honest = std::fs::read_to_string(root().join(MATMUL)).expect("read");
    let advice = "advice div([fp + ACC], B32)";
    assert_eq!(honest.matches(advice).count(), 1);
    let lying = zkvm_assembler::assemble_str("matmul_u32.zasm", &honest.replace(advice, "input"))
        .unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let n = 3;
    // The exact dot products.
    let accs: Vec<u128> = (0..n * n)
        .map(|e| {
            let (i, j) = (e / n, e % n);
            (0..n)
                .map(|l| u128::from(a(i, l)) * u128::from(b(l, j)))
                .sum()
        })
        .collect();
    let run = |quotients: Vec<Fr>| {
        let mut inputs = vec![Fr::from(n as u64)];
        inputs.extend(quotients);
        zkvm_vm::run(&lying, &inputs, &zkvm_vm::RunConfig::default())
    };
    let honest_q: Vec<Fr> = accs.iter().map(|&acc| Fr::from(acc >> 32)).collect();
    let out = run(honest_q.clone()).expect("honest quotients");
    let want: Vec<Fr> = expected(n).into_iter().map(Fr::from).collect();
    assert_eq!(out.output, want);

    let two32_inv = Fr::from(1u64 << 32).inverse().expect("invertible");
    for e in [0, 4, 8] {
        let wrong_c = Fr::from((accs[e] as u32).wrapping_add(1));
        let mut q = honest_q.clone();
        q[e] = (Fr::from(accs[e]) - wrong_c) * two32_inv;
        let err = run(q).expect_err("a wrong entry must not pass");
        assert!(
            matches!(err.fault, zkvm_vm::Fault::AssertFailed { .. }),
            "{err}"
        );
        // And simply off by one either way.
        for delta in [Fr::from(1u64), -Fr::from(1u64)] {
            let mut q = honest_q.clone();
            q[e] += delta;
            assert!(run(q).is_err(), "entry {e}");
        }
    }
}
