//! Shout over address bits end to end: the bit columns committed with Dory, the claims' points
//! drawn after the commitments, the sumcheck, and the bits opened at its final point. Malicious
//! provers commit bits that are not boolean (a row read as an affine mix of rows: "two hot
//! entries", or weights `½, ½`), read a padding row, claim a wrong value or read another table;
//! each follows the transcript exactly, and the verifier must reject at the check named.

use ark_bn254::Fr;
use ark_ff::{Field, One, UniformRand};
use zkvm_core::pcs::{DoryCommitment, DoryPcs, DoryProof, DorySetup};
use zkvm_core::poly::{eq_table, DenseMle};
use zkvm_core::shout::bits::{self, BitsProof, PointClaims, Table};
use zkvm_core::shout::ShoutError;
use zkvm_core::transcript::Transcript;

const LOG_T: usize = 4;
const WIDTH: usize = 3;

fn table(len: usize, seed: u64) -> Vec<Vec<Fr>> {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
    (0..len)
        .map(|_| (0..WIDTH).map(|_| Fr::rand(&mut rng)).collect())
        .collect()
}

fn addresses(len: usize) -> Vec<u32> {
    (0..1u32 << LOG_T)
        .map(|j| (j * 5 + 3) % len as u32)
        .collect()
}

/// What a prover sends.
struct Sent {
    commitments: Vec<DoryCommitment>,
    /// Per point, the claimed values of every column.
    values: Vec<Vec<Fr>>,
    proof: BitsProof,
    opening: DoryProof,
}

/// Commitments absorbed, then two points drawn for the claims.
fn points(commitments: &[DoryCommitment], t: &mut Transcript) -> Vec<Vec<Fr>> {
    for c in commitments {
        t.absorb_serializable(b"bit", c);
    }
    vec![t.challenges(LOG_T), t.challenges(LOG_T)]
}

fn claims(points: &[Vec<Fr>], values: &[Vec<Fr>]) -> Vec<PointClaims> {
    points
        .iter()
        .zip(values)
        .map(|(p, v)| PointClaims {
            point: p.clone(),
            values: v.iter().copied().enumerate().collect(),
        })
        .collect()
}

fn verify(setup: &DorySetup, rows: &[Vec<Fr>], sent: &Sent) -> Result<(), String> {
    let table = Table::new(rows).map_err(|e| e.to_string())?;
    if sent.commitments.len() != table.log_k()
        || sent
            .commitments
            .iter()
            .any(|c| c.num_vars as usize != LOG_T)
    {
        return Err("wrong bit commitments".into());
    }
    let mut t = Transcript::new(b"bits-test");
    let claims = claims(&points(&sent.commitments, &mut t), &sent.values);
    let opening = bits::verify(&table, LOG_T, &claims, &sent.proof, &mut t)
        .map_err(|e| format!("shout: {e:?}"))?;
    let comms: Vec<&DoryCommitment> = sent.commitments.iter().collect();
    DoryPcs::verify_batch(
        setup,
        &comms,
        &opening.point,
        &opening.values,
        &sent.opening,
        &mut t,
    )
    .map_err(|e| format!("dory: {e:?}"))
}

/// The virtual columns at `point` as the bits define them: `Σ_j eq(point, j) Σ_k ra(k, j)
/// table(k)`, with `ra` the product of the bits' chunks (what a malicious prover with non-boolean
/// bits must claim to pass read checking).
fn virtual_values(rows: &[Vec<Fr>], bits: &[Vec<Fr>], point: &[Fr]) -> Vec<Fr> {
    let eq = eq_table(point);
    let mut out = vec![Fr::from(0u64); WIDTH];
    for (j, e) in eq.iter().enumerate() {
        for (k, row) in rows.iter().enumerate() {
            let ra = bits::ra(bits, k, j);
            for (o, v) in out.iter_mut().zip(row) {
                *o += *e * ra * v;
            }
        }
    }
    out
}

/// A prover for any bit columns: it claims what the bits define (shifted by `shift` on column 0
/// of the first point) and follows the protocol with the dense prover.
fn prove(setup: &DorySetup, rows: &[Vec<Fr>], bits_cols: Vec<Vec<Fr>>, shift: Fr) -> Sent {
    let table = Table::new(rows).unwrap();
    let mut commitments = Vec::new();
    let mut data = Vec::new();
    let polys: Vec<DenseMle> = bits_cols.iter().cloned().map(DenseMle::new).collect();
    for p in &polys {
        let (c, d) = DoryPcs::commit(setup, p).unwrap();
        commitments.push(c);
        data.push(d);
    }
    let mut t = Transcript::new(b"bits-test");
    let pts = points(&commitments, &mut t);
    let mut values: Vec<Vec<Fr>> = pts
        .iter()
        .map(|p| virtual_values(rows, &bits_cols, p))
        .collect();
    values[0][0] += shift;
    let claims = claims(&pts, &values);
    let (proof, opening) = bits::prove_dense(&table, LOG_T, bits_cols, &claims, &mut t).unwrap();
    let refs: Vec<&DenseMle> = polys.iter().collect();
    let drefs: Vec<_> = data.iter().collect();
    let opening = DoryPcs::open_batch_with_evals(
        setup,
        &refs,
        &drefs,
        &opening.point,
        &opening.values,
        &mut t,
    )
    .unwrap();
    Sent {
        commitments,
        values,
        proof,
        opening,
    }
}

fn setup() -> DorySetup {
    DoryPcs::setup(LOG_T).expect("setup")
}

fn honest_bits(len: usize) -> Vec<Vec<Fr>> {
    let log_k = len.next_power_of_two().trailing_zeros() as usize;
    bits::bit_columns(log_k, &addresses(len))
}

fn assert_rejected(setup: &DorySetup, rows: &[Vec<Fr>], sent: &Sent, check: &str) {
    let err = verify(setup, rows, sent).unwrap_err();
    assert!(
        err.contains(check),
        "rejected at `{err}`, expected `{check}`"
    );
}

#[test]
fn an_honest_lookup_is_accepted_and_its_claims_are_the_values_read() {
    let (setup, rows) = (setup(), table(6, 1));
    let sent = prove(&setup, &rows, honest_bits(6), Fr::from(0u64));
    verify(&setup, &rows, &sent).unwrap();
    // The claims are the columns of the rows read.
    let mut t = Transcript::new(b"bits-test");
    let pts = points(&sent.commitments, &mut t);
    for (p, values) in pts.iter().zip(&sent.values) {
        for (c, v) in values.iter().enumerate() {
            let col: Vec<Fr> = addresses(6).iter().map(|a| rows[*a as usize][c]).collect();
            assert_eq!(DenseMle::new(col).evaluate(p), *v);
        }
    }
    // The fast prover and the dense one send the same proof.
    let table = Table::new(&rows).unwrap();
    let claims = claims(&pts, &sent.values);
    let (fast, _) = bits::prove(&table, &addresses(6), &claims, &mut t).unwrap();
    assert_eq!(fast, sent.proof);
}

#[test]
fn a_wrong_value_is_rejected() {
    let (setup, rows) = (setup(), table(8, 2));
    let sent = prove(&setup, &rows, honest_bits(8), Fr::one());
    assert_rejected(&setup, &rows, &sent, "Sumcheck");
}

#[test]
fn non_boolean_bits_are_rejected_by_booleanity() {
    // A full table (no padding rows), so validity holds for any bits and only Booleanity stands
    // between these provers and an affine mix of rows.
    let (setup, rows) = (setup(), table(8, 3));
    let half = Fr::from(2u64).inverse().unwrap();
    for (name, value) in [
        ("two hot entries (b = 2)", Fr::from(2u64)),
        ("b = -1", -Fr::one()),
        ("half of each row (b = 1/2)", half),
    ] {
        let mut b = honest_bits(8);
        b[1][5] = value;
        let sent = prove(&setup, &rows, b, Fr::from(0u64));
        let err = verify(&setup, &rows, &sent).unwrap_err();
        assert!(err.contains("FinalCheck"), "{name}: rejected at `{err}`");
    }
}

#[test]
fn a_padding_row_is_never_read() {
    // 5 rows padded to 8: row 6 reads zeros, which would be a valid-looking read without the
    // validity column.
    let (setup, rows) = (setup(), table(5, 4));
    let mut addrs = addresses(5);
    addrs[7] = 6;
    let sent = prove(&setup, &rows, bits::bit_columns(3, &addrs), Fr::from(0u64));
    assert_rejected(&setup, &rows, &sent, "Sumcheck");
}

#[test]
fn a_lookup_into_another_table_is_rejected() {
    let setup = setup();
    let (rows, other) = (table(8, 5), table(8, 6));
    let sent = prove(&setup, &other, honest_bits(8), Fr::from(0u64));
    assert_rejected(&setup, &rows, &sent, "Sumcheck");
}

#[test]
fn a_wrong_bit_value_is_rejected() {
    let (setup, rows) = (setup(), table(8, 7));
    let mut sent = prove(&setup, &rows, honest_bits(8), Fr::from(0u64));
    sent.proof.bit_evals[0] += Fr::one();
    assert_rejected(&setup, &rows, &sent, "FinalCheck");
    // Bits that meet the final check but are not the committed ones fail the opening.
    let sent = prove(&setup, &rows, honest_bits(8), Fr::from(0u64));
    let mut other = prove(
        &setup,
        &rows,
        bits::bit_columns(3, &[1; 16]),
        Fr::from(0u64),
    );
    other.commitments = sent.commitments;
    assert!(verify(&setup, &rows, &other).is_err());
}

#[test]
fn malformed_proofs_are_errors_not_panics() {
    let (setup, rows) = (setup(), table(8, 8));
    let sent = prove(&setup, &rows, honest_bits(8), Fr::from(0u64));
    let mut short = prove(&setup, &rows, honest_bits(8), Fr::from(0u64));
    short.proof.bit_evals.pop();
    assert!(verify(&setup, &rows, &short).is_err());
    let mut no_rounds = sent;
    no_rounds.proof.cycle.rounds.clear();
    assert!(matches!(
        verify(&setup, &rows, &no_rounds),
        Err(e) if e.contains("Sumcheck")
    ));
    let err = Table::new(&[vec![Fr::one()], vec![]]).unwrap_err();
    assert!(matches!(err, ShoutError::Shape(_)));
}
