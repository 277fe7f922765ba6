//! Twist's tests: honest runs of every shape verify with claims that are the polynomials'
//! values; the fast prover's proof is the dense reference prover's; and a malicious prover —
//! the reference prover, which proves whatever matrix and values it is given — is rejected for
//! each way a memory can lie, by the check named in each test.

use ark_ff::UniformRand;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

use super::*;

/// A run: the initial memory, the addresses `ra` encodes, the addresses the caller's columns
/// hold, and the values read and written.
#[derive(Clone)]
struct Run {
    init: Vec<Fr>,
    addresses: Vec<u32>,
    column_addresses: Vec<Fr>,
    reads: Vec<Fr>,
    writes: Vec<Fr>,
}

impl Run {
    /// A consistent random run: each access reads its cell and writes a new value half the time.
    fn honest(log_k: usize, log_t: usize, seed: u64) -> Run {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let init: Vec<Fr> = (0..1 << log_k).map(|_| Fr::rand(&mut rng)).collect();
        let mut memory = init.clone();
        let (mut addresses, mut reads, mut writes) = (vec![], vec![], vec![]);
        for _ in 0..1 << log_t {
            let a = rng.gen_range(0..1u32 << log_k);
            let read = memory[a as usize];
            let write = if rng.gen_bool(0.5) {
                Fr::rand(&mut rng)
            } else {
                read
            };
            memory[a as usize] = write;
            addresses.push(a);
            reads.push(read);
            writes.push(write);
        }
        Run {
            init,
            column_addresses: addresses.iter().map(|a| Fr::from(*a)).collect(),
            addresses,
            reads,
            writes,
        }
    }

    fn log_k(&self) -> usize {
        self.init.len().trailing_zeros() as usize
    }

    fn log_t(&self) -> usize {
        self.reads.len().trailing_zeros() as usize
    }

    /// `ra` as a dense `K × T` matrix, `ra[k · T + j]`.
    fn ra_dense(&self) -> Vec<Fr> {
        let t = self.reads.len();
        let mut ra = vec![Fr::zero(); self.init.len() * t];
        for (j, a) in self.addresses.iter().enumerate() {
            ra[*a as usize * t + j] = Fr::one();
        }
        ra
    }

    fn r_cycle(&self, seed: u64) -> Vec<Fr> {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        (0..self.log_t()).map(|_| Fr::rand(&mut rng)).collect()
    }

    /// The claims the caller's columns give at `r_cycle`.
    fn claims(&self, r_cycle: &[Fr]) -> AccessClaims {
        AccessClaims {
            read: DenseMle::new(self.reads.clone()).evaluate(r_cycle),
            address: DenseMle::new(self.column_addresses.clone()).evaluate(r_cycle),
        }
    }
}

/// The reference prover: the read-checking sumcheck over the dense `K × T` tables of
/// `ra` (any matrix, one-hot or not), `Val` (built from `ra` and the increments),
/// `eq(r_cycle, j)`, `k` and `eq(r_bool, k)`, with the claims the run's columns give. For an
/// honest run its proof is [`prove`]'s.
fn prove_dense(
    run: &Run,
    ra: &[Fr],
    r_cycle: &[Fr],
    transcript: &mut Transcript,
) -> (TwistProof, AccessClaims) {
    let (log_k, log_t) = (run.log_k(), run.log_t());
    let (k_len, t_len) = (1usize << log_k, 1usize << log_t);
    let eq_cycle = eq_table(r_cycle);
    let claims = run.claims(r_cycle);
    let ch = challenges(&run.init, r_cycle, claims, transcript);
    let eq_bool = eq_table(&ch.r_bool);
    let mut val = vec![Fr::zero(); k_len * t_len];
    for k in 0..k_len {
        let mut running = run.init[k];
        for j in 0..t_len {
            val[k * t_len + j] = running;
            running += ra[k * t_len + j] * (run.writes[j] - run.reads[j]);
        }
    }
    let spread = |f: &dyn Fn(usize, usize) -> Fr| {
        DenseMle::new(
            (0..k_len * t_len)
                .map(|i| f(i / t_len, i % t_len))
                .collect(),
        )
    };
    let polys = vec![
        spread(&|_, j| eq_cycle[j]),
        DenseMle::new(ra.to_vec()),
        DenseMle::new(val),
        spread(&|k, _| Fr::from(k as u64)),
        spread(&|k, _| eq_bool[k]),
    ];
    let combine = |p: &[Fr]| ch.read_summand(p[0], p[1], p[2], p[3], p[4]);
    let (read_checking, point, evals) =
        sumcheck::prove(ch.claim(claims), polys, 3, combine, transcript);
    let (ra_eval, val_eval) = (evals[1], evals[2]);
    transcript.absorb_fields(labels::READ_EVALS, &[ra_eval, val_eval]);
    let (r_k, r_j) = point.split_at(log_k);
    let eq_k = eq_table(r_k);
    let ra_k = (0..t_len)
        .map(|j| (0..k_len).map(|k| eq_k[k] * ra[k * t_len + j]).sum())
        .collect();
    let init_k = DenseMle::new(run.init.clone()).evaluate(r_k);
    let (val_evaluation, [val_ra_eval, write_eval, read_eval]) = prove_val_evaluation(
        ra_k,
        &run.reads,
        &run.writes,
        r_j,
        val_eval - init_k,
        transcript,
    );
    let proof = TwistProof {
        read_checking,
        ra_eval,
        val_eval,
        val_evaluation,
        val_ra_eval,
        write_eval,
        read_eval,
    };
    (proof, claims)
}

/// Verifies `proof` and checks the claims it leaves against the run's own polynomials, as the
/// commitment openings would: `ra` given densely, `reads` and `writes`.
fn verify_run(
    run: &Run,
    ra: &[Fr],
    r_cycle: &[Fr],
    claims: AccessClaims,
    proof: &TwistProof,
) -> Result<(), TwistError> {
    let claims = verify(
        &run.init,
        run.log_t(),
        r_cycle,
        claims,
        proof,
        &mut Transcript::new(b"twist-test"),
    )?;
    let ra = DenseMle::new(ra.to_vec());
    for claim in &claims.ra {
        assert_eq!(
            ra.evaluate(&claim.point),
            claim.value,
            "an ra claim the opening would reject"
        );
    }
    let read = DenseMle::new(run.reads.clone()).evaluate(&claims.point);
    let write = DenseMle::new(run.writes.clone()).evaluate(&claims.point);
    assert_eq!(
        (read, write),
        (claims.read, claims.write),
        "a value claim the opening would reject"
    );
    Ok(())
}

/// Proves `run` with `ra` (dense, possibly not one-hot) by the reference prover, with the
/// claims the run's columns give, and verifies.
fn forge(run: &Run, ra: &[Fr]) -> Result<(), TwistError> {
    let r_cycle = run.r_cycle(7);
    let (proof, claims) = prove_dense(run, ra, &r_cycle, &mut Transcript::new(b"twist-test"));
    verify_run(run, ra, &r_cycle, claims, &proof)
}

fn rejected_by_read_checking(result: Result<(), TwistError>) {
    match result {
        Err(TwistError::ReadChecking(_) | TwistError::ReadCheckingFinal) => {}
        other => panic!("expected read checking to reject, got {other:?}"),
    }
}

#[test]
fn honest_runs_of_every_shape_verify_and_match_the_reference_prover() {
    // (3, 13): several chunks of accesses swept in parallel in each address round.
    for (log_k, log_t) in [
        (0, 1),
        (0, 4),
        (1, 1),
        (3, 1),
        (2, 5),
        (5, 2),
        (4, 6),
        (3, 13),
    ] {
        let run = Run::honest(log_k, log_t, (log_k * 16 + log_t) as u64);
        let ra = OneHotMle::new(log_k, run.addresses.clone()).unwrap();
        let r_cycle = run.r_cycle(7);
        let (proof, claims) = prove(
            &run.init,
            &ra,
            &run.reads,
            &run.writes,
            &r_cycle,
            &mut Transcript::new(b"twist-test"),
        )
        .unwrap();
        verify_run(&run, &run.ra_dense(), &r_cycle, claims, &proof)
            .unwrap_or_else(|e| panic!("({log_k}, {log_t}): {e}"));
        let (reference, _) = prove_dense(
            &run,
            &run.ra_dense(),
            &r_cycle,
            &mut Transcript::new(b"twist-test"),
        );
        assert_eq!(proof, reference, "({log_k}, {log_t})");
        assert_eq!(claims, run.claims(&r_cycle), "({log_k}, {log_t})");
        // The claims are bound: another value read or another address is rejected.
        let one = Fr::one();
        for wrong in [
            AccessClaims {
                read: claims.read + one,
                ..claims
            },
            AccessClaims {
                address: claims.address + one,
                ..claims
            },
        ] {
            let result = verify(
                &run.init,
                log_t,
                &r_cycle,
                wrong,
                &proof,
                &mut Transcript::new(b"twist-test"),
            );
            assert!(result.is_err(), "({log_k}, {log_t})");
        }
    }
}

#[test]
fn the_proof_round_trips_through_serialization() {
    use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
    let run = Run::honest(3, 4, 1);
    let ra = OneHotMle::new(3, run.addresses.clone()).unwrap();
    let (proof, _) = prove(
        &run.init,
        &ra,
        &run.reads,
        &run.writes,
        &run.r_cycle(7),
        &mut Transcript::new(b"t"),
    )
    .unwrap();
    let mut bytes = Vec::new();
    proof.serialize_compressed(&mut bytes).unwrap();
    assert_eq!(
        TwistProof::deserialize_compressed(&bytes[..]).unwrap(),
        proof
    );
}

/// The first access to a cell that an earlier access changed; tampering with its read is a
/// lie about memory, not about the initial value.
fn reread(run: &Run) -> (usize, usize) {
    for j in 1..run.reads.len() {
        if let Some(w) = (0..j)
            .rev()
            .find(|&w| run.addresses[w] == run.addresses[j] && run.writes[w] != run.reads[w])
        {
            return (w, j);
        }
    }
    panic!("the run never reads a value it wrote");
}

#[test]
fn a_wrong_value_read_is_rejected() {
    let mut run = Run::honest(3, 5, 2);
    let (_, j) = reread(&run);
    run.reads[j] += Fr::one();
    // Patch what follows: the access writes back what it read, as an honest plain read would.
    run.writes[j] = run.reads[j];
    rejected_by_read_checking(forge(&run, &run.ra_dense()));
}

#[test]
fn a_wrong_increment_is_rejected() {
    // The write changes but the cell's next read keeps the value the honest run read.
    let mut run = Run::honest(3, 5, 3);
    let (w, _) = reread(&run);
    run.writes[w] += Fr::one();
    rejected_by_read_checking(forge(&run, &run.ra_dense()));
}

#[test]
fn a_value_read_at_the_wrong_time_is_rejected() {
    // A read returns the value its cell holds after a later write (a read from the future).
    let mut run = Run::honest(2, 5, 4);
    let (w, j) = (0..run.reads.len())
        .flat_map(|j| (j + 1..run.reads.len()).map(move |w| (w, j)))
        .find(|&(w, j)| run.addresses[w] == run.addresses[j] && run.writes[w] != run.reads[j])
        .expect("a later write to a cell read earlier");
    run.reads[j] = run.writes[w];
    run.writes[j] = run.reads[j];
    rejected_by_read_checking(forge(&run, &run.ra_dense()));
}

#[test]
fn a_wrong_initial_memory_is_rejected() {
    // The prover proves against one initial memory, the verifier holds another.
    let run = Run::honest(3, 4, 5);
    let r_cycle = run.r_cycle(7);
    let (proof, claims) = prove_dense(
        &run,
        &run.ra_dense(),
        &r_cycle,
        &mut Transcript::new(b"twist-test"),
    );
    let mut other = run.clone();
    other.init[run.addresses[0] as usize] += Fr::one();
    assert!(verify_run(&other, &run.ra_dense(), &r_cycle, claims, &proof).is_err());
}

#[test]
fn an_address_with_two_hot_entries_is_rejected() {
    // Access 0 reads the sum of two cells: ra has two ones in its column.
    let mut run = Run::honest(3, 4, 6);
    let t = run.reads.len();
    let mut ra = run.ra_dense();
    let other = (run.addresses[0] as usize + 1) % run.init.len();
    ra[other * t] = Fr::one();
    run.reads[0] = run.init[run.addresses[0] as usize] + run.init[other];
    run.writes[0] = run.reads[0];
    // The column holds the address ra encodes, Σ_k k · ra(k, 0): only the Hamming weight fails.
    run.column_addresses[0] = Fr::from(u64::from(run.addresses[0]) + other as u64);
    rejected_by_read_checking(forge(&run, &ra));
}

#[test]
fn an_address_with_no_hot_entry_is_rejected() {
    // Access 0 touches no cell and reads 0.
    let mut run = Run::honest(3, 4, 7);
    let t = run.reads.len();
    let mut ra = run.ra_dense();
    ra[run.addresses[0] as usize * t] = Fr::zero();
    run.reads[0] = Fr::zero();
    run.writes[0] = Fr::zero();
    run.column_addresses[0] = Fr::zero();
    rejected_by_read_checking(forge(&run, &ra));
}

#[test]
fn a_non_boolean_address_with_weight_one_is_rejected() {
    // Hamming weight one but not Boolean: 2 · cell a − 1 · cell b, a read of 2·init(a) − init(b).
    let mut run = Run::honest(3, 4, 8);
    let t = run.reads.len();
    let mut ra = run.ra_dense();
    let (a, b) = (
        run.addresses[0] as usize,
        (run.addresses[0] as usize + 3) % 8,
    );
    ra[a * t] = Fr::from(2u64);
    ra[b * t] = -Fr::one();
    run.reads[0] = Fr::from(2u64) * run.init[a] - run.init[b];
    run.writes[0] = run.reads[0];
    // The column holds 2a − b, what ra encodes: only Booleanity fails.
    run.column_addresses[0] = Fr::from(2 * a as u64) - Fr::from(b as u64);
    rejected_by_read_checking(forge(&run, &ra));
}

#[test]
fn a_forged_val_claim_is_rejected_by_val_evaluation() {
    // A prover that claims another Val(r_k, r_j) meets read checking's final check only if the
    // sum it proved was wrong; here the rounds are honest and the claim is moved, so the
    // final checks must catch it, in read checking or in Val evaluation.
    let run = Run::honest(3, 4, 9);
    let r_cycle = run.r_cycle(7);
    let (mut proof, claims) = prove_dense(
        &run,
        &run.ra_dense(),
        &r_cycle,
        &mut Transcript::new(b"twist-test"),
    );
    proof.val_eval += Fr::one();
    assert_eq!(
        verify_run(&run, &run.ra_dense(), &r_cycle, claims, &proof),
        Err(TwistError::ReadCheckingFinal)
    );
    let (mut proof, claims) = prove_dense(
        &run,
        &run.ra_dense(),
        &r_cycle,
        &mut Transcript::new(b"twist-test"),
    );
    proof.write_eval += Fr::one();
    assert_eq!(
        verify_run(&run, &run.ra_dense(), &r_cycle, claims, &proof),
        Err(TwistError::ValEvaluationFinal)
    );
}

#[test]
fn an_address_other_than_the_one_hot_one_is_rejected() {
    // The caller's column says access 3 touched another cell than the one ra reads (whose
    // value the access did read): the address check catches it.
    let mut run = Run::honest(3, 4, 11);
    run.column_addresses[3] += Fr::one();
    rejected_by_read_checking(forge(&run, &run.ra_dense()));
}

#[test]
fn an_address_beyond_the_memory_is_rejected() {
    // The column holds a + K, which ra can only encode as a (the cell it reads): the address
    // check keeps every address below K.
    let mut run = Run::honest(3, 4, 12);
    run.column_addresses[5] += Fr::from(8u64);
    rejected_by_read_checking(forge(&run, &run.ra_dense()));
}

#[test]
fn shapes_that_do_not_fit_are_refused() {
    let run = Run::honest(2, 3, 10);
    let ra = OneHotMle::new(2, run.addresses.clone()).unwrap();
    let r_cycle = run.r_cycle(7);
    let t = &mut Transcript::new(b"t");
    assert!(matches!(
        prove(&run.init[..3], &ra, &run.reads, &run.writes, &r_cycle, t),
        Err(TwistError::Shape(_))
    ));
    assert!(matches!(
        prove(&run.init, &ra, &run.reads[..4], &run.writes, &r_cycle, t),
        Err(TwistError::Shape(_))
    ));
    assert!(matches!(
        prove(&run.init, &ra, &run.reads, &run.writes, &r_cycle[..2], t),
        Err(TwistError::Shape(_))
    ));
    let bigger = OneHotMle::new(3, run.addresses.clone()).unwrap();
    assert!(matches!(
        prove(&run.init, &bigger, &run.reads, &run.writes, &r_cycle, t),
        Err(TwistError::Shape(_))
    ));
}
