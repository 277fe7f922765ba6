//! Twist over bits: honest runs (with inactive accesses whose values are free) verify with
//! openings that are the columns' values; a malicious prover — the prover given a run that is
//! not consistent — is rejected by the check each test names.

use ark_ff::UniformRand;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

use super::*;

#[derive(Clone)]
struct Run {
    init: Vec<Fr>,
    active: Vec<Fr>,
    addresses: Vec<u32>,
    reads: Vec<Fr>,
    writes: Vec<Fr>,
}

impl Run {
    /// A consistent random run: a third of the accesses inactive (with random values and
    /// addresses), the others reading their cell and writing a new value half the time.
    fn honest(log_k: usize, log_t: usize, seed: u64) -> Run {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let init: Vec<Fr> = (0..1 << log_k).map(|_| Fr::rand(&mut rng)).collect();
        let mut memory = init.clone();
        let mut run = Run {
            init,
            active: vec![],
            addresses: vec![],
            reads: vec![],
            writes: vec![],
        };
        for _ in 0..1 << log_t {
            let a = rng.gen_range(0..1u32 << log_k);
            let active = rng.gen_bool(2.0 / 3.0);
            let read = if active {
                memory[a as usize]
            } else {
                Fr::rand(&mut rng)
            };
            let write = if rng.gen_bool(0.5) {
                Fr::rand(&mut rng)
            } else {
                read
            };
            if active {
                memory[a as usize] = write;
            }
            run.active.push(Fr::from(active));
            run.addresses.push(a);
            run.reads.push(read);
            run.writes.push(write);
        }
        run
    }

    fn accesses(&self) -> Accesses<'_> {
        Accesses {
            active: &self.active,
            addresses: &self.addresses,
            reads: &self.reads,
            writes: &self.writes,
        }
    }

    fn log_k(&self) -> usize {
        self.init.len().trailing_zeros() as usize
    }

    fn log_t(&self) -> usize {
        self.reads.len().trailing_zeros() as usize
    }

    fn prove(&self) -> TwistBitsProof {
        self.prove_with_bits(&self.addresses)
    }

    fn prove_with_bits(&self, bit_addresses: &[u32]) -> TwistBitsProof {
        let mut t = Transcript::new(b"twist-bits-test");
        prove_with_bits(&self.init, self.accesses(), bit_addresses, &mut t)
            .expect("a well-shaped run")
            .0
    }

    fn verify(&self, proof: &TwistBitsProof) -> Result<AccessOpenings, TwistError> {
        let mut t = Transcript::new(b"twist-bits-test");
        let init = DenseMle::new(self.init.clone());
        verify(
            self.log_k(),
            self.log_t(),
            |r| init.evaluate(r),
            proof,
            &mut t,
        )
    }

    /// The openings a caller's commitments give at the points of `openings`.
    fn check_openings(&self, openings: &AccessOpenings) {
        let at = |v: &[Fr], r: &[Fr]| DenseMle::new(v.to_vec()).evaluate(r);
        let (r, values) = &openings.read;
        assert_eq!(values.active, at(&self.active, r));
        assert_eq!(values.read, at(&self.reads, r));
        let (r, values) = &openings.val;
        assert_eq!(values.active, at(&self.active, r));
        assert_eq!(values.read, at(&self.reads, r));
        assert_eq!(values.write, at(&self.writes, r));
        let (r, bits) = &openings.bits;
        for (i, b) in bits.iter().enumerate() {
            let shift = self.log_k() - 1 - i;
            let column: Vec<Fr> = self
                .addresses
                .iter()
                .map(|a| Fr::from((a >> shift) & 1))
                .collect();
            assert_eq!(*b, at(&column, r), "bit {i}");
        }
    }

    /// The index of an active access that reads a cell written before it by an active access.
    fn later_active_read(&self) -> usize {
        (1..self.active.len())
            .find(|&j| {
                self.active[j] == Fr::one()
                    && (0..j).any(|i| {
                        self.active[i] == Fr::one()
                            && self.addresses[i] == self.addresses[j]
                            && self.writes[i] != self.init[self.addresses[i] as usize]
                    })
            })
            .expect("a run long enough to reuse a cell")
    }
}

#[test]
fn honest_runs_verify_with_the_columns_values() {
    for (log_k, log_t, seed) in [
        (1, 1, 1),
        (1, 5, 2),
        (3, 4, 3),
        (4, 8, 4),
        (6, 10, 5),
        (2, 13, 6),
    ] {
        let run = Run::honest(log_k, log_t, seed);
        let openings = run.verify(&run.prove()).expect("an honest run verifies");
        run.check_openings(&openings);
    }
}

#[test]
fn the_proof_round_trips_through_bytes() {
    use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
    let run = Run::honest(3, 6, 7);
    let proof = run.prove();
    let mut bytes = Vec::new();
    proof.serialize_compressed(&mut bytes).unwrap();
    assert_eq!(
        TwistBitsProof::deserialize_compressed(bytes.as_slice()).unwrap(),
        proof
    );
}

#[test]
fn a_wrong_value_read_is_rejected_by_read_checking() {
    let mut run = Run::honest(3, 7, 8);
    let j = run.later_active_read();
    run.reads[j] += Fr::one();
    // What the access writes is unchanged, so only this read is wrong.
    assert_eq!(run.verify(&run.prove()), Err(TwistError::ReadCheckingFinal));
}

#[test]
fn a_value_read_from_the_initial_memory_after_a_write_is_rejected() {
    let mut run = Run::honest(3, 7, 9);
    let j = run.later_active_read();
    let a = run.addresses[j] as usize;
    let delta = run.init[a] - run.reads[j];
    run.reads[j] += delta;
    run.writes[j] += delta;
    assert_eq!(run.verify(&run.prove()), Err(TwistError::ReadCheckingFinal));
}

#[test]
fn an_inactive_access_neither_reads_nor_writes() {
    // An honest run already has inactive accesses with random values; make one of them write
    // into a cell an active access reads later: the memory must not change.
    let mut run = Run::honest(2, 8, 10);
    let j = run.later_active_read();
    let a = run.addresses[j];
    let i = (0..j)
        .rev()
        .find(|&i| run.active[i].is_zero())
        .expect("an inactive access before it");
    run.addresses[i] = a;
    run.writes[i] = run.reads[j] + Fr::from(5u64);
    let openings = run
        .verify(&run.prove())
        .expect("inactive accesses are free");
    run.check_openings(&openings);
    // Made active, the same access changes the cell and the later read is wrong.
    run.active[i] = Fr::one();
    run.reads[i] = Fr::rand(&mut ChaCha20Rng::seed_from_u64(11));
    assert!(run.verify(&run.prove()).is_err());
}

#[test]
fn a_wrong_initial_memory_is_rejected_by_val_evaluation() {
    let run = Run::honest(3, 6, 12);
    let proof = run.prove();
    let mut other = run.clone();
    other.init[run.addresses[0] as usize] += Fr::one();
    assert!(matches!(
        other.verify(&proof),
        Err(TwistError::ValEvaluation(_))
    ));
}

#[test]
fn a_wrong_increment_is_rejected_by_val_evaluation() {
    // The prover claims the value cell `a` holds at r_j is one more than it is.
    let run = Run::honest(3, 6, 13);
    let mut proof = run.prove();
    proof.read_val += Fr::one();
    // Read checking's final check binds Val too: a forged Val fails one of the two.
    assert!(matches!(
        run.verify(&proof),
        Err(TwistError::ReadCheckingFinal | TwistError::ValEvaluation(_))
    ));
}

#[test]
fn bits_other_than_the_addresses_are_rejected_by_the_bits_check() {
    let run = Run::honest(4, 7, 14);
    let mut bits = run.addresses.clone();
    bits[3] ^= 1;
    assert_eq!(
        run.verify(&run.prove_with_bits(&bits)),
        Err(TwistError::BitsFinal)
    );
}

#[test]
fn malformed_proofs_and_shapes_are_rejected() {
    let run = Run::honest(3, 5, 16);
    let proof = run.prove();
    // A memory of one cell, or a run of one access, is refused as such (with a proof whose
    // other sizes fit, so that only the shape check can object).
    let mut no_bits = proof.clone();
    no_bits.bit_values.clear();
    for (log_k, log_t, p) in [(0, 5, &no_bits), (3, 0, &proof)] {
        let mut t = Transcript::new(b"twist-bits-test");
        assert!(
            matches!(
                verify(log_k, log_t, |_| Fr::zero(), p, &mut t),
                Err(TwistError::Shape(_))
            ),
            "2^{log_k} cells, 2^{log_t} accesses"
        );
    }
    let mut short = proof.clone();
    short.bit_values.pop();
    assert!(matches!(run.verify(&short), Err(TwistError::Shape(_))));
    let mut wrong = proof.clone();
    wrong.read_values.write = Fr::one();
    assert!(matches!(run.verify(&wrong), Err(TwistError::Shape(_))));
    let mut rounds = proof.clone();
    rounds.bits.rounds.pop();
    assert!(matches!(run.verify(&rounds), Err(TwistError::Bits(_))));
    let mut t = Transcript::new(b"twist-bits-test");
    let bad = Accesses {
        addresses: &[9; 32],
        ..run.accesses()
    };
    assert!(matches!(
        prove(&run.init, bad, &mut t),
        Err(TwistError::Shape(_))
    ));
}
