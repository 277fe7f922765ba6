//! Shout end to end: `ra` committed with Dory, the Shout sumcheck, `ra` opened at its final
//! point, and the verifier's answer. Malicious provers build an `ra` that is not one-hot (two
//! hot entries, none, non-boolean entries), claim a wrong value or read from another table, and
//! prove it with a dense prover that follows the protocol's transcript exactly; the verifier
//! must reject each, at the check named.

use ark_bn254::Fr;
use ark_ff::{Field, One, UniformRand, Zero};
use zkvm_core::one_hot::OneHotMle;
use zkvm_core::pcs::{DoryCommitment, DoryPcs, DoryProof, DorySetup};
use zkvm_core::poly::{eq_eval, eq_table, DenseMle};
use zkvm_core::shout::{self, ShoutError, ShoutProof};
use zkvm_core::sumcheck;
use zkvm_core::transcript::Transcript;

const LOG_K: usize = 3;
const LOG_T: usize = 4;

fn table() -> Vec<Fr> {
    let mut rng = ark_std::test_rng();
    (0..1 << LOG_K).map(|_| Fr::rand(&mut rng)).collect()
}

fn addresses() -> Vec<u32> {
    (0..1u32 << LOG_T)
        .map(|j| (j * 5 + 3) % (1 << LOG_K))
        .collect()
}

fn setup() -> DorySetup {
    DoryPcs::setup(LOG_K + LOG_T).expect("setup")
}

/// What a prover sends: the commitment to `ra`, the claimed evaluation, the Shout proof and the
/// opening of `ra`.
struct Sent {
    commitment: DoryCommitment,
    rv: Fr,
    proof: ShoutProof,
    opening: DoryProof,
}

/// The verifier `zkvm` runs for a Shout instance: absorb the commitment, draw `r_cycle`, verify
/// Shout, open `ra`.
fn verify(setup: &DorySetup, table: &[Fr], sent: &Sent) -> Result<(), String> {
    // ra has log K + log T variables: a commitment to a smaller matrix is refused outright.
    if sent.commitment.num_vars as usize != LOG_K + LOG_T {
        return Err(format!(
            "commitment of {} variables",
            sent.commitment.num_vars
        ));
    }
    let mut t = Transcript::new(b"shout-test");
    t.absorb_bytes(b"ra", &commitment_bytes(&sent.commitment));
    let r_cycle = t.challenges(LOG_T);
    let claim = shout::verify(table, LOG_T, &r_cycle, sent.rv, &sent.proof, &mut t)
        .map_err(|e| format!("shout: {e:?}"))?;
    DoryPcs::verify_batch(
        setup,
        &[&sent.commitment],
        &claim.point,
        &[claim.value],
        &sent.opening,
        &mut t,
    )
    .map_err(|e| format!("pcs: {e:?}"))
}

fn commitment_bytes(c: &DoryCommitment) -> Vec<u8> {
    use ark_serialize::CanonicalSerialize;
    let mut bytes = Vec::new();
    c.serialize_compressed(&mut bytes).expect("serialize");
    bytes
}

/// A prover for any `ra` given by its dense values (not necessarily one-hot), following the
/// protocol's transcript: it claims `rv` (by default the sum its `ra` gives) and proves the
/// batched sum it claims with the generic dense sumcheck prover.
fn prove_dense(setup: &DorySetup, table: &[Fr], ra: &DenseMle, rv_shift: Fr) -> Sent {
    prove_dense_replay(setup, table, ra, rv_shift).0
}

/// What a dense prover saw: its challenges, `r_cycle`, the final point and the value the
/// verifier's final check must meet there.
struct Replay {
    challenges: shout::Challenges,
    r_cycle: Vec<Fr>,
    point: Vec<Fr>,
    final_value: Fr,
}

fn prove_dense_replay(
    setup: &DorySetup,
    table: &[Fr],
    ra: &DenseMle,
    rv_shift: Fr,
) -> (Sent, Replay) {
    let n = LOG_K + LOG_T;
    let (commitment, data) = DoryPcs::commit(setup, ra).expect("commit");
    let mut t = Transcript::new(b"shout-test");
    t.absorb_bytes(b"ra", &commitment_bytes(&commitment));
    let r_cycle = t.challenges(LOG_T);
    let eq_cycle = eq_table(&r_cycle);
    // rv = Σ_{k,j} eq(r_cycle, j) ra(k, j) Val(k), as this ra gives it.
    let rv: Fr = (0..1usize << n)
        .map(|x| ra.evals()[x] * eq_cycle[x % (1 << LOG_T)] * table[x >> LOG_T])
        .sum::<Fr>()
        + rv_shift;
    let challenges = shout::challenges(table, LOG_T, rv, &mut t);
    let (beta, gamma) = (challenges.beta, challenges.gamma);
    let eq_bool = eq_table(&challenges.r_bool);
    // The summand's factors as polynomials over (k, j).
    let spread = |f: &dyn Fn(usize, usize) -> Fr| {
        DenseMle::new(
            (0..1usize << n)
                .map(|x| f(x >> LOG_T, x % (1 << LOG_T)))
                .collect(),
        )
    };
    let polys = vec![
        spread(&|_, j| eq_cycle[j]),
        ra.clone(),
        spread(&|k, _| table[k]),
        spread(&|k, _| eq_bool[k]),
    ];
    let combine = |p: &[Fr]| p[0] * p[1] * (p[2] + beta + gamma * p[3] * (p[1] - Fr::one()));
    let (sumcheck, point, evals) = sumcheck::prove(rv + beta, polys, 3, combine, &mut t);
    let ra_eval = evals[1];
    t.absorb_field(shout::labels::RA_EVAL, &ra_eval);
    let opening =
        DoryPcs::open_batch_with_evals(setup, &[ra], &[&data], &point, &[ra_eval], &mut t)
            .expect("open");
    let final_value = sumcheck::interpolate(
        sumcheck.rounds.last().expect("rounds"),
        *point.last().expect("point"),
    );
    (
        Sent {
            commitment,
            rv,
            proof: ShoutProof { sumcheck, ra_eval },
            opening,
        },
        Replay {
            challenges,
            r_cycle,
            point,
            final_value,
        },
    )
}

/// Asserts the verifier rejects `sent` with an error that names `check`.
#[track_caller]
fn assert_rejected(setup: &DorySetup, table: &[Fr], sent: &Sent, check: &str) {
    let err = verify(setup, table, sent).unwrap_err();
    assert!(err.contains(check), "{err}");
}

/// Proves the lookups `ra` gives with the dense prover and asserts the verifier's final check
/// rejects them.
#[track_caller]
fn assert_final_check_rejects(setup: &DorySetup, table: &[Fr], ra: &DenseMle) {
    let sent = prove_dense(setup, table, ra, Fr::zero());
    assert_rejected(setup, table, &sent, "FinalCheck");
}

fn one_hot_dense(addresses: &[u32]) -> DenseMle {
    OneHotMle::new(LOG_K, addresses.to_vec())
        .expect("one-hot")
        .to_dense()
}

fn set(ra: &DenseMle, k: usize, j: usize, v: Fr) -> DenseMle {
    let mut values = ra.evals().to_vec();
    values[(k << LOG_T) | j] = v;
    DenseMle::new(values)
}

#[test]
fn an_honest_lookup_is_accepted_and_proves_the_values_read() {
    let (setup, table, addresses) = (setup(), table(), addresses());
    let ra = OneHotMle::new(LOG_K, addresses.clone()).expect("one-hot");
    let sent = prove_honest(&setup, &table, &ra);
    verify(&setup, &table, &sent).expect("accepted");
    // rv is the multilinear extension of the values read, at r_cycle.
    let mut t = Transcript::new(b"shout-test");
    t.absorb_bytes(b"ra", &commitment_bytes(&sent.commitment));
    let r_cycle = t.challenges(LOG_T);
    let read: Vec<Fr> = addresses.iter().map(|a| table[*a as usize]).collect();
    assert_eq!(sent.rv, DenseMle::new(read).evaluate(&r_cycle));
    // The dense prover, on the same one-hot ra, produces an accepted proof too (so the
    // rejections below are the statements', not the dense prover's).
    verify(
        &setup,
        &table,
        &prove_dense(&setup, &table, &ra.to_dense(), Fr::zero()),
    )
    .expect("dense prover accepted");
}

/// The honest prover: the one-hot commitment and the sparse algorithm; the final point is
/// read off a verifier run on a copy of the transcript.
fn prove_honest(setup: &DorySetup, table: &[Fr], ra: &OneHotMle) -> Sent {
    let (commitment, data) = DoryPcs::commit_one_hot(setup, ra).expect("commit");
    let mut t = Transcript::new(b"shout-test");
    t.absorb_bytes(b"ra", &commitment_bytes(&commitment));
    let r_cycle = t.challenges(LOG_T);
    let mut replay = t.clone();
    let (proof, rv) = shout::prove(table, ra, &r_cycle, &mut t).expect("prove");
    let claim = shout::verify(table, LOG_T, &r_cycle, rv, &proof, &mut replay).expect("replay");
    assert_eq!(claim.value, ra.evaluate(&claim.point));
    let opening = DoryPcs::open_one_hot_batch(
        setup,
        &[ra],
        &[&data],
        &claim.point,
        &[proof.ra_eval],
        &mut t,
    )
    .expect("open");
    Sent {
        commitment,
        rv,
        proof,
        opening,
    }
}

#[test]
fn a_wrong_value_read_is_rejected() {
    let (setup, table, addresses) = (setup(), table(), addresses());
    let sent = prove_dense(&setup, &table, &one_hot_dense(&addresses), Fr::one());
    assert_rejected(&setup, &table, &sent, "FinalCheck");
}

#[test]
fn a_lookup_into_another_table_is_rejected() {
    let (setup, table, addresses) = (setup(), table(), addresses());
    // The prover reads from a table whose entry 3 (read on cycle 0) differs, and proves it.
    let mut other = table.clone();
    other[3] += Fr::one();
    let sent = prove_dense(&setup, &other, &one_hot_dense(&addresses), Fr::zero());
    // The table is part of the transcript, so the first round already fails.
    assert_rejected(&setup, &table, &sent, "RoundCheckFailed { round: 0");
}

#[test]
fn a_table_entry_chosen_after_the_challenges_is_rejected() {
    let (setup, table, addresses) = (setup(), table(), addresses());
    // The prover claims a false value for `table` with the honest one-hot ra, then, knowing the
    // final point r_k, changes one entry so that Val(r_k) meets the final check: were the table
    // not bound before the challenges, the verifier would accept the claim for that table.
    let ra = one_hot_dense(&addresses);
    let (sent, replay) = prove_dense_replay(&setup, &table, &ra, Fr::from(42u64));
    let (r_k, r_j) = replay.point.split_at(LOG_K);
    let e = sent.proof.ra_eval;
    let ch = &replay.challenges;
    let expected = replay.final_value;
    let needed = expected
        * (eq_eval(&replay.r_cycle, r_j) * e)
            .inverse()
            .expect("nonzero")
        - ch.beta
        - ch.gamma * eq_eval(&ch.r_bool, r_k) * (e - Fr::one());
    let mut adapted = table.clone();
    let have = DenseMle::new(table.clone()).evaluate(r_k);
    adapted[5] += (needed - have) * eq_table(r_k)[5].inverse().expect("nonzero");
    assert_eq!(DenseMle::new(adapted.clone()).evaluate(r_k), needed);
    assert_rejected(&setup, &adapted, &sent, "RoundCheckFailed { round: 0");
}

#[test]
fn an_address_with_two_hot_entries_is_rejected() {
    let (setup, table, addresses) = (setup(), table(), addresses());
    // Cycle 0 reads address 3; a second 1 at address 6 adds table[6] to its value.
    let ra = set(&one_hot_dense(&addresses), 6, 0, Fr::one());
    assert_final_check_rejects(&setup, &table, &ra);
}

#[test]
fn an_address_with_no_hot_entry_is_rejected() {
    let (setup, table, addresses) = (setup(), table(), addresses());
    // Cycle 0 reads nothing: its value would be 0.
    let ra = set(&one_hot_dense(&addresses), 3, 0, Fr::zero());
    assert_final_check_rejects(&setup, &table, &ra);
}

#[test]
fn non_boolean_entries_with_weight_one_are_rejected() {
    let (setup, table, addresses) = (setup(), table(), addresses());
    // Cycle 0: 2 at address 3 and −1 at address 6 (the column still sums to 1), so its value is
    // 2·table[3] − table[6], anything the prover likes.
    let ra = set(&one_hot_dense(&addresses), 3, 0, Fr::from(2u64));
    let ra = set(&ra, 6, 0, -Fr::one());
    assert_final_check_rejects(&setup, &table, &ra);
}

#[test]
fn a_wrong_ra_evaluation_is_caught_by_the_opening() {
    let (setup, table, addresses) = (setup(), table(), addresses());
    let ra = OneHotMle::new(LOG_K, addresses).expect("one-hot");
    let mut sent = prove_honest(&setup, &table, &ra);
    // The final check uses ra_eval; a different value must then fail either that check or the
    // opening (which binds ra_eval to the commitment).
    sent.proof.ra_eval += Fr::one();
    let err = verify(&setup, &table, &sent).unwrap_err();
    assert!(err.contains("FinalCheck") || err.contains("pcs"), "{err}");
}

#[test]
fn an_address_outside_the_table_cannot_be_committed() {
    let err = OneHotMle::new(LOG_K, vec![8, 0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cycle 0 reads address 8, beyond a memory of 2^3 cells"
    );
    // And a table of another size is a shape error, not a panic.
    let ra = OneHotMle::new(LOG_K, addresses()).expect("one-hot");
    let mut t = Transcript::new(b"x");
    let r_cycle = t.challenges(LOG_T);
    assert!(matches!(
        shout::prove(&table()[..4], &ra, &r_cycle, &mut t),
        Err(ShoutError::Shape(_))
    ));
}
