//! Matrix multiplication over the BN254 scalar field: zasm and the RV32IM guest agree.
//!
//! Both build A[i][l] = −(i + l + 1) and B[l][j] = l·j + 1 themselves from n and output C = A·B
//! (zasm row-major as field elements, the guest as n lines of n hex entries); both are checked
//! against the product computed here with arkworks.

use ark_bn254::Fr;

use crate::{guest, hex, zasm};

/// C = A·B, row-major, computed with arkworks.
fn expected(n: usize) -> Vec<Fr> {
    let a = |i: usize, l: usize| -Fr::from((i + l + 1) as u64);
    let b = |l: usize, j: usize| Fr::from((l * j + 1) as u64);
    let mut c = Vec::with_capacity(n * n);
    for i in 0..n {
        for j in 0..n {
            c.push((0..n).map(|l| a(i, l) * b(l, j)).sum());
        }
    }
    c
}

#[test]
fn matmul_agrees() {
    // n = 2 by hand: A = [[-1, -2], [-2, -3]], B = [[1, 1], [1, 2]].
    assert_eq!(expected(2), [3u64, 5, 5, 8].map(|v| -Fr::from(v)));
    for n in [1usize, 2, 3, 5] {
        let want = expected(n);
        assert_eq!(
            zasm("examples/zasm/matmul.zasm", &[n as u64]),
            want,
            "zasm, n = {n}"
        );
        let text: String = want
            .chunks(n)
            .map(|row| row.iter().map(hex).collect::<Vec<_>>().join(" ") + "\n")
            .collect();
        assert_eq!(guest("matmul", &n.to_string()), text, "guest, n = {n}");
    }
}
