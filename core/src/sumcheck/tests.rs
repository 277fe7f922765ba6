use super::*;
use crate::poly::{eq_table, DenseMle};
use crate::transcript::Transcript;
use ark_ff::{UniformRand, Zero};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::borrow::Cow;

fn random_mle(n: usize, rng: &mut ChaCha20Rng) -> DenseMle {
    DenseMle::new((0..1 << n).map(|_| Fr::rand(rng)).collect())
}

fn product3(v: &[Fr]) -> Fr {
    v[0] * v[1] * v[2]
}

#[test]
fn interpolate_matches_polynomial() {
    // s(X) = 3 + 2X + 5X^2 + X^3
    let s = |x: Fr| Fr::from(3u64) + Fr::from(2u64) * x + Fr::from(5u64) * x * x + x * x * x;
    let vals: Vec<Fr> = (0..4u64).map(|i| s(Fr::from(i))).collect();
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    for _ in 0..5 {
        let x = Fr::rand(&mut rng);
        assert_eq!(interpolate(&vals, x), s(x));
    }
    assert_eq!(interpolate(&vals, Fr::from(2u64)), vals[2]);
}

#[test]
fn completeness_for_several_sizes_and_degrees() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    for n in [0usize, 1, 2, 5, 11, 13] {
        let polys: Vec<DenseMle> = (0..3).map(|_| random_mle(n, &mut rng)).collect();
        let claim: Fr = (0..1 << n)
            .map(|x| polys[0].evals()[x] * polys[1].evals()[x] * polys[2].evals()[x])
            .sum();
        let mut tp = Transcript::new(b"sc");
        let (proof, point, evals) = prove(claim, polys.clone(), 3, product3, &mut tp);
        for (p, e) in polys.iter().zip(&evals) {
            assert_eq!(p.evaluate(&point), *e);
        }
        let mut tv = Transcript::new(b"sc");
        let sub = verify(claim, n, 3, &proof, &mut tv).expect("honest proof verifies");
        assert_eq!(sub.point, point);
        assert_eq!(sub.expected, product3(&evals));
        assert_eq!(tp.state(), tv.state());
    }
}

#[test]
fn eq_weighted_sum_gives_evaluation() {
    // Σ_x eq(r, x) p(x) = p(r): degree 2.
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let n = 6;
    let p = random_mle(n, &mut rng);
    let r: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
    let claim = p.evaluate(&r);
    let eq = DenseMle::new(eq_table(&r));
    let mut tp = Transcript::new(b"eq");
    let (proof, _, evals) = prove(claim, vec![eq, p], 2, |v| v[0] * v[1], &mut tp);
    let mut tv = Transcript::new(b"eq");
    let sub = verify(claim, n, 2, &proof, &mut tv).unwrap();
    assert_eq!(sub.expected, evals[0] * evals[1]);
    assert_eq!(evals[0], crate::poly::eq_eval(&r, &sub.point));
}

#[test]
fn wrong_sizes_are_errors() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let polys: Vec<DenseMle> = (0..3).map(|_| random_mle(4, &mut rng)).collect();
    let claim = Fr::zero();
    let (proof, _, _) = prove(claim, polys, 3, product3, &mut Transcript::new(b"x"));
    assert!(matches!(
        verify(claim, 5, 3, &proof, &mut Transcript::new(b"x")),
        Err(SumcheckError::WrongNumberOfRounds { .. })
    ));
    assert!(matches!(
        verify(claim, 4, 2, &proof, &mut Transcript::new(b"x")),
        Err(SumcheckError::WrongDegree { .. })
    ));
    let mut empty = proof.clone();
    empty.rounds[2].clear();
    assert!(verify(claim, 4, 3, &empty, &mut Transcript::new(b"x")).is_err());
}

#[test]
fn batch_of_different_sizes_and_degrees() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let sizes = [7usize, 3, 7, 0];
    let mut instances = Vec::new();
    let mut originals = Vec::new();
    let mut claims = Vec::new();
    for (i, n) in sizes.iter().enumerate() {
        let polys: Vec<DenseMle> = (0..2).map(|_| random_mle(*n, &mut rng)).collect();
        let (claim, degree, combine): (Fr, usize, Combine<'static>) = if i % 2 == 0 {
            (
                (0..1 << n)
                    .map(|x| polys[0].evals()[x] * polys[1].evals()[x])
                    .sum(),
                2,
                Box::new(|v: &[Fr]| v[0] * v[1]),
            )
        } else {
            (
                (0..1 << n)
                    .map(|x| polys[0].evals()[x] + polys[1].evals()[x])
                    .sum(),
                1,
                Box::new(|v: &[Fr]| v[0] + v[1]),
            )
        };
        originals.push(polys.clone());
        claims.push(claim);
        instances.push(BatchInstance {
            claim,
            polys,
            degree,
            combine,
        });
    }
    let mut tp = Transcript::new(b"batch");
    let (proof, point, evals) = prove_batch(instances, &mut tp);
    let mut tv = Transcript::new(b"batch");
    let sub = verify_batch(&claims, &sizes, 2, &proof, &mut tv).expect("batch verifies");
    assert_eq!(sub.point, point);
    let mut values = Vec::new();
    for (i, polys) in originals.iter().enumerate() {
        let pt = sub.instance_point(i).unwrap();
        for (p, e) in polys.iter().zip(&evals[i]) {
            assert_eq!(p.evaluate(pt), *e);
        }
        values.push(if i % 2 == 0 {
            evals[i][0] * evals[i][1]
        } else {
            evals[i][0] + evals[i][1]
        });
    }
    sub.check(&values).expect("batched sub-claim holds");
    values[1] += Fr::from(1u64);
    assert!(sub.check(&values).is_err());
    // A wrong claim in the batch is rejected.
    let mut bad = claims.clone();
    bad[1] += Fr::from(1u64);
    assert!(verify_batch(&bad, &sizes, 2, &proof, &mut Transcript::new(b"batch")).is_err());
}

/// `eq(τ, x) · (a(x) · b(x) − c(x))`, Spartan's outer summand for one constraint `a · b = c`.
fn zero_check_summand(v: &[Fr]) -> Fr {
    v[0] * (v[1] * v[2] - v[3])
}

#[test]
fn zero_check_proves_a_satisfied_relation_and_not_a_violated_one() {
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    let n = 12;
    let tau: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
    let a = random_mle(n, &mut rng);
    let b = random_mle(n, &mut rng);
    let mut c: Vec<Fr> = a
        .evals()
        .iter()
        .zip(b.evals())
        .map(|(x, y)| *x * y)
        .collect();
    let polys = |c: &[Fr]| {
        vec![
            DenseMle::new(eq_table(&tau)),
            a.clone(),
            b.clone(),
            DenseMle::new(c.to_vec()),
        ]
    };
    // Satisfied on every row: the shortcut proof verifies, with the same evaluations as `prove`.
    let mut tp = Transcript::new(b"zc");
    // The zero-check reads borrowed tables (as Spartan's columns) or owned ones alike.
    let tables = polys(&c);
    let borrowed = tables.iter().map(Cow::Borrowed).collect();
    let (proof, point, evals) = prove_zero_check(borrowed, 3, zero_check_summand, &mut tp);
    let mut tv = Transcript::new(b"zc");
    let sub = verify(Fr::zero(), n, 3, &proof, &mut tv).expect("satisfied relation verifies");
    assert_eq!(sub.point, point);
    assert_eq!(sub.expected, zero_check_summand(&evals));
    let mut tq = Transcript::new(b"zc");
    let (plain, _, _) = prove(Fr::zero(), polys(&c), 3, zero_check_summand, &mut tq);
    assert_eq!(plain.rounds, proof.rounds);

    // One row violated (in either half of the first variable): the proof's final claim is wrong.
    for row in [5, (1 << n) - 3] {
        c[row] += Fr::from(1u64);
        let mut tp = Transcript::new(b"zc");
        let owned = polys(&c).into_iter().map(Cow::Owned).collect();
        let (proof, _, evals) = prove_zero_check(owned, 3, zero_check_summand, &mut tp);
        let mut tv = Transcript::new(b"zc");
        let rejected = match verify(Fr::zero(), n, 3, &proof, &mut tv) {
            Err(_) => true,
            Ok(sub) => sub.expected != zero_check_summand(&evals),
        };
        assert!(rejected, "violated row {row} accepted");
        c[row] -= Fr::from(1u64);
    }
}
