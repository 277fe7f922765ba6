//! Completeness of Spartan for uniform R1CS, alone and end to end with Dory.

use ark_bn254::Fr;
use ark_ff::UniformRand;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkvm_core::pcs::DoryPcs;
use zkvm_core::poly::DenseMle;
use zkvm_core::r1cs::{LinComb, UniformR1cs, Var};
use zkvm_core::spartan::{self, example, UniformProof};
use zkvm_core::transcript::Transcript;

/// A circuit with random coefficients: `x_{i+1} = c · x_i · y_i + d` across rows, `y` arbitrary.
fn random_circuit(rng: &mut ChaCha20Rng) -> (UniformR1cs, Fr, Fr) {
    let c = Fr::rand(rng);
    let d = Fr::rand(rng);
    let (x, y, p) = (Var::Cur(0), Var::Cur(1), Var::Cur(2));
    let mut r = UniformR1cs::new(vec!["x".into(), "y".into(), "p".into()]);
    r.add("p", x * c, y, p);
    r.add(
        "x.next",
        Var::One - Var::Last,
        Var::Next(0) - p - d,
        LinComb::zero(),
    );
    r.add("x.init", Var::First, x - 3, LinComb::zero());
    // Past the last row `Next` reads zero: no wrap-around.
    r.add(
        "no-wrap",
        Var::Last,
        Var::Next(0) + Var::Next(1),
        LinComb::zero(),
    );
    (r, c, d)
}

fn random_witness(rng: &mut ChaCha20Rng, c: Fr, d: Fr, rows: usize) -> Vec<Vec<Fr>> {
    let mut cols = vec![Vec::new(), Vec::new(), Vec::new()];
    let mut x = Fr::from(3u64);
    for _ in 0..rows {
        let y = Fr::rand(rng);
        let p = c * x * y;
        cols[0].push(x);
        cols[1].push(y);
        cols[2].push(p);
        x = p + d;
    }
    cols
}

#[test]
fn spartan_subprotocol_is_complete_for_random_circuits_and_sizes() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    for n in 0..8 {
        let (r1cs, c, d) = random_circuit(&mut rng);
        let cols = random_witness(&mut rng, c, d, 1 << n);
        r1cs.check(&cols).unwrap();
        let mles: Vec<DenseMle> = cols.into_iter().map(DenseMle::new).collect();
        let mut tp = Transcript::new(b"spartan");
        let (proof, claims) = spartan::prove(&r1cs, &mles, &mut tp).unwrap();
        let mut tv = Transcript::new(b"spartan");
        let vclaims = spartan::verify(&r1cs, n, &proof, &mut tv).expect("honest proof");
        assert_eq!(claims, vclaims);
        for claim in &claims {
            for (j, v) in &claim.evals {
                assert_eq!(mles[*j].evaluate(&claim.point), *v);
            }
        }
        assert_eq!(tp.state(), tv.state());
    }
}

#[test]
fn padded_traces_prove_when_padding_rows_satisfy_the_constraints() {
    // 5 rows of the example circuit padded to 8 with its own continuation rows: the witness
    // generator extends the trace, as the VM does with halt rows.
    let r1cs = example::circuit(3);
    let rows = example::witness_rows(3, 5);
    let padded: Vec<DenseMle> = example::witness_rows(3, 8)
        .into_iter()
        .map(|c| DenseMle::new(c.into_iter().map(Fr::from).collect()))
        .collect();
    assert_eq!(rows[0].len(), 5);
    let setup = DoryPcs::setup(8).unwrap();
    let proof = spartan::prove_uniform(&setup, &r1cs, &padded, &mut Transcript::new(b"u")).unwrap();
    spartan::verify_uniform(&setup, &r1cs, &proof, &mut Transcript::new(b"u")).unwrap();
    // Zero-padding is not a satisfying extension here (the counter must keep counting).
    let zero_padded: Vec<DenseMle> = rows
        .into_iter()
        .map(|c| DenseMle::padded(c.into_iter().map(Fr::from).collect(), 3))
        .collect();
    let proof =
        spartan::prove_uniform(&setup, &r1cs, &zero_padded, &mut Transcript::new(b"u")).unwrap();
    assert!(spartan::verify_uniform(&setup, &r1cs, &proof, &mut Transcript::new(b"u")).is_err());
}

#[test]
fn end_to_end_example_circuit_with_serialization() {
    let setup = DoryPcs::setup(10).unwrap();
    for n in [1usize, 4, 9] {
        let r1cs = example::circuit(9);
        let cols = example::witness(9, n);
        let proof =
            spartan::prove_uniform(&setup, &r1cs, &cols, &mut Transcript::new(b"e2e")).unwrap();
        let bytes = proof.to_bytes().unwrap();
        let back = UniformProof::from_bytes(&bytes).unwrap();
        assert_eq!(back, proof);
        spartan::verify_uniform(&setup, &r1cs, &back, &mut Transcript::new(b"e2e"))
            .unwrap_or_else(|e| panic!("2^{n} rows: {e}"));
        // A different transcript domain gives different challenges: rejected.
        assert!(
            spartan::verify_uniform(&setup, &r1cs, &back, &mut Transcript::new(b"other")).is_err()
        );
    }
}
