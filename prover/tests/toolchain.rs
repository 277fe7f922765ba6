//! Guards against a compiler that miscompiles field arithmetic in closures (rustc 1.95/1.96
//! did: a closure capturing a field element returned different products on repeated calls).
//! The workspace pins a correct toolchain in `rust-toolchain.toml`.

use ark_bn254::Fr;
use ark_ff::UniformRand;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

#[test]
fn closures_capturing_field_elements_compute_the_same_product_twice() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    for _ in 0..32 {
        let a = Fr::rand(&mut rng);
        let r = Fr::rand(&mut rng);
        let expected = a * r;
        let by_ref = |x: Fr| x * r;
        let by_move = move |x: Fr| x * r;
        // The by-reference product is one of the miscompiled forms, so it is kept on purpose.
        #[allow(clippy::op_ref)]
        let borrowed = |x: Fr| x * &r;
        for _ in 0..3 {
            assert_eq!(by_ref(a), expected);
            assert_eq!(by_move(a), expected);
            assert_eq!(borrowed(a), expected);
        }
    }
}
