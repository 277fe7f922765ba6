//! The zkvm verifier. It rebuilds the machine from public data, so it never trusts the prover
//! for the constraints, the tables or the initial memory, and it does not panic on malformed
//! proofs.

use ark_bn254::Fr;
use ark_ff::{Field, Zero};

use super::{
    absorb_statement, committed_columns, committed_table_columns, labels, public_output_sum,
    FetchProof, MemoryProof, OpeningStatement, ProofError, StageClaims, VmProof, MAX_LOG_ROWS,
};
use crate::gkr;
use crate::machine::fractions::{
    cycle_columns, cycle_leaf_values, family_vars, table_committed, table_leaf_values,
};
use crate::machine::logup::{multiplicity_column, table_log_size};
use crate::machine::twist_memory;
use crate::machine::{table_cols, Machine, TableId};
use crate::pcs::{reduce, DoryCommitment, DorySetup};
use crate::shout::bits;
use crate::spartan;
use crate::transcript::Transcript;

fn reject(stage: &'static str, reason: impl ToString) -> ProofError {
    ProofError::Rejected {
        stage,
        reason: reason.to_string(),
    }
}

/// Verify `proof` for `machine` (built by the verifier from the program, as a lowering builds
/// it; its memory size must be the proof's `mem_log_size`). The proof's fetch argument and
/// lookup tables decide how instruction fetch and lookups are checked
/// ([`Machine::for_proof`]).
pub fn verify(machine: &Machine, proof: &VmProof, setup: &DorySetup) -> Result<(), ProofError> {
    let machine = &machine
        .clone()
        .for_proof(
            proof.memory.argument(),
            proof.fetch.argument(),
            proof.tables,
        )
        .map_err(ProofError::Shape)?;
    if proof.program_digest != machine.program_digest.0 {
        return Err(ProofError::WrongProgram {
            proof: crate::machine::ProgramDigest(proof.program_digest),
            program: machine.program_digest,
        });
    }
    let log_rows = proof.log_rows;
    if !(1..=MAX_LOG_ROWS).contains(&log_rows) {
        return Err(ProofError::Shape(format!(
            "2^{log_rows} rows is out of range"
        )));
    }
    if machine.memory.log_size as u32 != proof.mem_log_size {
        return Err(ProofError::Shape(
            "memory size differs from the statement".into(),
        ));
    }
    let table_ids = committed_table_columns(machine);
    let committed = committed_columns(machine);
    if proof.column_commitments.len() != committed.len()
        || proof.table_commitments.len() != table_ids.len()
    {
        return Err(ProofError::Shape("wrong number of commitments".into()));
    }
    let bad_size = proof
        .column_commitments
        .iter()
        .any(|c| c.num_vars != log_rows)
        || table_ids
            .iter()
            .zip(&proof.table_commitments)
            .any(|(i, c)| table_column_log_size(machine, *i) != Some(c.num_vars as usize));
    if bad_size {
        return Err(ProofError::Shape("a commitment has the wrong size".into()));
    }
    let mut t = Transcript::new(labels::DOMAIN);
    absorb_statement(machine, &proof.public, log_rows, proof.mem_log_size, &mut t);
    for c in &proof.column_commitments {
        t.absorb_serializable(labels::COLUMN_COMMITMENT, c);
    }
    for c in &proof.table_commitments {
        t.absorb_serializable(labels::TABLE_COMMITMENT, c);
    }

    // Spartan.
    let r1cs = proof
        .public
        .bind(machine)
        .map_err(|e| reject("spartan", e))?;
    let spartan_claims = spartan::verify(&r1cs, log_rows as usize, &proof.spartan, &mut t)
        .map_err(|e| reject("spartan", e))?;

    // LogUp-GKR.
    let cycle = machine.cycle_families();
    let tables = machine.table_families();
    let ch = super::fingerprint_challenges(&cycle, &tables, &mut t);
    let k_vars = family_vars(cycle.len());
    let mut num_vars = vec![k_vars + log_rows as usize];
    num_vars.extend(tables.iter().map(|f| f.log_size));
    let (roots, leaf_claims) =
        gkr::verify_batch(&num_vars, &proof.gkr, &mut t).map_err(|e| reject("gkr", e))?;
    if roots.len() != num_vars.len() || leaf_claims.len() != num_vars.len() {
        return Err(reject("gkr", "wrong number of instances"));
    }

    // Cycle leaf: recompute p and q from the claimed column values.
    let used_cols = cycle_columns(&cycle);
    if proof.leaf_column_evals.len() != used_cols.len()
        || proof.leaf_table_evals.len() != tables.len()
    {
        return Err(ProofError::Shape("wrong number of leaf evaluations".into()));
    }
    t.absorb_fields(labels::LEAF_EVALS, &proof.leaf_column_evals);
    let mut all_evals = vec![Fr::zero(); machine.column_names.len()];
    for (c, v) in used_cols.iter().zip(&proof.leaf_column_evals) {
        if let Some(slot) = all_evals.get_mut(*c) {
            *slot = *v;
        }
    }
    let cycle_claim = &leaf_claims[0];
    let (p, q) = cycle_leaf_values(&cycle, &all_evals, &cycle_claim.point, &ch)
        .ok_or_else(|| reject("gkr", "cycle leaf point too short"))?;
    if p != cycle_claim.p_eval || q != cycle_claim.q_eval {
        return Err(reject(
            "memory checking and lookups",
            "cycle leaves disagree with the columns",
        ));
    }
    // Table leaves.
    for ((fam, claim), evals) in tables
        .iter()
        .zip(&leaf_claims[1..])
        .zip(&proof.leaf_table_evals)
    {
        let committed = table_committed(fam);
        if evals.len() != committed.len() {
            return Err(ProofError::Shape(format!(
                "{}: wrong number of evaluations",
                fam.name
            )));
        }
        t.absorb_fields(labels::LEAF_EVALS, evals);
        let lookup = |i: usize| {
            committed
                .iter()
                .position(|x| *x == i)
                .and_then(|k| evals.get(k).copied())
        };
        let (p, q) = table_leaf_values(fam, &claim.point, &lookup, &ch)
            .ok_or_else(|| reject("gkr", format!("{}: malformed leaf", fam.name)))?;
        if p != claim.p_eval || q != claim.q_eval {
            return Err(reject(
                "memory checking and lookups",
                format!("{} leaves disagree", fam.name),
            ));
        }
    }
    // All fractions, and the public output's table, add up to zero.
    let mut total = Fr::zero();
    for r in &roots {
        let inv = r
            .denominator
            .inverse()
            .ok_or_else(|| reject("gkr", "zero denominator"))?;
        total += r.numerator * inv;
    }
    total -= public_output_sum(&proof.public, &ch)
        .ok_or_else(|| reject("gkr", "degenerate challenge"))?;
    if !total.is_zero() {
        return Err(reject(
            "memory checking and lookups",
            "the multisets differ (a read of a stale value, a lookup outside its table, or a wrong public output)",
        ));
    }

    // Twist memory checking, when the proof uses it.
    let memory_claims = match (&machine.twist_memory, &proof.memory) {
        (None, MemoryProof::Offline) => Vec::new(),
        (Some(_), MemoryProof::Twist(p)) => {
            twist_memory::verify(machine, p, log_rows as usize, &mut t)
                .map_err(|e| reject("memory checking (twist)", e))?
        }
        _ => {
            return Err(ProofError::Shape(
                "memory-checking argument differs from the machine's".into(),
            ))
        }
    };

    // Instruction fetch by Shout: the virtual fields' claims at Spartan's, GKR's and Twist's
    // points.
    let mut stages = StageClaims::new(
        &spartan_claims,
        (
            &cycle_claim.point[k_vars..],
            &used_cols,
            &proof.leaf_column_evals,
        ),
        &tables,
        leaf_claims[1..]
            .iter()
            .map(|c| c.point.as_slice())
            .collect(),
        &proof.leaf_table_evals,
    );
    stages.memory = memory_claims;
    let fetch_claims = stages.fetch_claims(machine);
    let fetch_opening = match (&machine.shout_fetch, &proof.fetch) {
        (None, FetchProof::LogUp) => None,
        (Some(f), FetchProof::Shout(fetch_proof)) => {
            let table = bits::Table::new(&machine.bytecode)
                .map_err(|e| reject("instruction fetch (shout)", e))?;
            let opening = bits::verify(
                &table,
                log_rows as usize,
                &fetch_claims,
                fetch_proof,
                &mut t,
            )
            .map_err(|e| reject("instruction fetch (shout)", e))?;
            Some((opening, &f.bits))
        }
        _ => {
            return Err(ProofError::Shape(
                "fetch argument differs from the machine's".into(),
            ))
        }
    };

    // Every claim about a committed polynomial, reduced to one point and opened there.
    stages.fetch = fetch_opening
        .as_ref()
        .map(|(opening, bits)| (bits.as_slice(), opening));
    let statement = OpeningStatement::new(machine, &stages)
        .ok_or_else(|| reject("opening", "a claim about a column that is not committed"))?;
    let commitments: Vec<&DoryCommitment> = proof
        .column_commitments
        .iter()
        .chain(&proof.table_commitments)
        .collect();
    reduce::verify(
        setup,
        &commitments,
        &statement.points,
        &statement.claims,
        &proof.opening,
        &mut t,
    )
    .map_err(|e| reject("opening", e))?;
    Ok(())
}

/// The number of variables of committed table column `i`.
fn table_column_log_size(machine: &Machine, i: usize) -> Option<usize> {
    if i <= table_cols::MEM_FINAL_FLAG
        || i == table_cols::MEM_INIT_VALUE
        || i == table_cols::MEM_INIT_FLAG
    {
        return Some(machine.memory.log_size);
    }
    TableId::ALL
        .into_iter()
        .find(|t| multiplicity_column(*t) == i)
        .map(|t| table_log_size(t, machine.bytecode.len()))
}
