//! The zkvm prover.

use std::time::{Duration, Instant};

use ark_bn254::Fr;
use rayon::prelude::*;

use super::{
    absorb_statement, committed_columns, committed_table_columns, labels, FetchProof, MemoryProof,
    OpeningStatement, ProofError, StageClaims, VmProof,
};
use crate::gkr;
use crate::machine::fractions::{
    cycle_columns, cycle_leaves, family_vars, table_committed, table_leaves,
};
use crate::machine::twist_memory;
use crate::machine::{Machine, PublicValues, Witness};
use crate::pcs::{reduce, DoryPcs, DoryProverData, DorySetup};
use crate::poly::small_value;
use crate::poly::DenseMle;
use crate::shout::bits;
use crate::spartan;
use crate::transcript::Transcript;

/// What the prover measured: time per phase and sizes.
#[derive(Clone, Debug, Default)]
pub struct ProveStats {
    /// `(phase, wall time)` in order.
    pub phases: Vec<(&'static str, Duration)>,
    /// Field elements committed (witness columns and table columns).
    pub committed_elements: u64,
    /// Of which in columns committed through the small-value path.
    pub committed_small_elements: u64,
}

impl ProveStats {
    fn record(&mut self, phase: &'static str, start: &mut Instant) {
        progress(phase, start.elapsed());
        self.phases.push((phase, start.elapsed()));
        *start = Instant::now();
    }
}

/// The prover's phases, in order (see `pipeline::PHASES`).
pub const PHASE_COMMIT_COLUMNS: &str = "commit columns";
/// See [`PHASE_COMMIT_COLUMNS`].
pub const PHASE_COMMIT_TABLES: &str = "commit tables";
/// See [`PHASE_COMMIT_COLUMNS`].
pub const PHASE_SPARTAN: &str = "spartan";
/// See [`PHASE_COMMIT_COLUMNS`].
pub const PHASE_GKR: &str = "memory checking and lookups (gkr)";
/// See [`PHASE_COMMIT_COLUMNS`].
pub const PHASE_MEMORY: &str = "memory checking (twist)";
/// See [`PHASE_COMMIT_COLUMNS`].
pub const PHASE_FETCH: &str = "instruction fetch (shout)";
/// See [`PHASE_COMMIT_COLUMNS`].
pub const PHASE_OPENINGS: &str = "openings";

fn shout_error(e: crate::shout::ShoutError) -> ProofError {
    ProofError::Shape(e.to_string())
}

/// Report the end of a proving phase to the `zkvm::progress` tracing target.
pub fn progress(phase: &str, time: Duration) {
    tracing::info!(target: "zkvm::progress", phase, seconds = time.as_secs_f64());
}

/// The whole column as small integers, if every value is one below 2^32.
fn as_small(values: &[Fr]) -> Option<Vec<u64>> {
    values
        .par_iter()
        .map(|v| small_value(*v).filter(|x| *x < 1 << 32))
        .collect()
}

fn commit_column(
    setup: &DorySetup,
    poly: &DenseMle,
    hint_small: bool,
    stats: &mut ProveStats,
) -> Result<(crate::pcs::DoryCommitment, DoryProverData), ProofError> {
    let values = poly.evals();
    stats.committed_elements += values.len() as u64;
    if hint_small {
        if let Some(small) = as_small(values) {
            stats.committed_small_elements += values.len() as u64;
            return Ok(DoryPcs::commit_small(setup, &small, poly.num_vars())?);
        }
    }
    Ok(DoryPcs::commit(setup, poly)?)
}

/// Prove that `witness` satisfies `machine` with the public values `public`. `setup` must
/// support the largest column.
pub fn prove(
    machine: &Machine,
    public: &PublicValues,
    witness: Witness,
    setup: &DorySetup,
) -> Result<(VmProof, ProveStats), ProofError> {
    let mut stats = ProveStats::default();
    let rows = witness.columns.first().map_or(0, |c| c.len());
    if !rows.is_power_of_two() || rows < 2 {
        return Err(ProofError::Shape(format!(
            "{rows} rows is not a power of two ≥ 2"
        )));
    }
    let log_rows = rows.trailing_zeros();
    let mem_log_size = machine.memory.log_size as u32;
    let mut t = Transcript::new(labels::DOMAIN);
    absorb_statement(machine, public, log_rows, mem_log_size, &mut t);
    let r1cs = public
        .bind(machine)
        .map_err(crate::spartan::SpartanError::from)?;

    // The columns become the prover's polynomials (moved, not copied: they are the largest
    // allocation of a proof).
    let Witness {
        columns,
        table_columns,
    } = witness;
    let polys: Vec<DenseMle> = columns.into_iter().map(DenseMle::new).collect();
    let table_ids = committed_table_columns(machine);
    let table_polys: Vec<DenseMle> = table_ids
        .iter()
        .map(|&i| DenseMle::new(table_columns[i].clone()))
        .collect();

    // Commitments.
    let mut clock = Instant::now();
    let committed = committed_columns(machine);
    let mut column_commitments = Vec::new();
    let mut column_data: Vec<Option<DoryProverData>> = polys.iter().map(|_| None).collect();
    for &c in &committed {
        let (comm, data) = commit_column(setup, &polys[c], machine.small_columns[c], &mut stats)?;
        column_commitments.push(comm);
        column_data[c] = Some(data);
    }
    let data_of = |c: usize| column_data[c].as_ref().expect("a committed column");
    stats.record(PHASE_COMMIT_COLUMNS, &mut clock);
    for c in &column_commitments {
        t.absorb_serializable(labels::COLUMN_COMMITMENT, c);
    }
    let mut table_commitments = Vec::new();
    let mut table_data = Vec::new();
    for poly in &table_polys {
        let (comm, data) = commit_column(setup, poly, true, &mut stats)?;
        table_commitments.push(comm);
        table_data.push(data);
    }
    stats.record(PHASE_COMMIT_TABLES, &mut clock);
    for c in &table_commitments {
        t.absorb_serializable(labels::TABLE_COMMITMENT, c);
    }

    // Spartan.
    let (spartan_proof, spartan_claims) = spartan::prove(&r1cs, &polys, &mut t)?;
    stats.record(PHASE_SPARTAN, &mut clock);

    // LogUp-GKR for memory checking, lookups and the public output.
    let cycle = machine.cycle_families();
    let tables = machine.table_families();
    let (gkr_proof, leaf_claims) = {
        let ch = super::fingerprint_challenges(&cycle, &tables, &mut t);
        let mut instances = vec![cycle_leaves(&cycle, &polys, log_rows as usize, &ch)];
        instances.extend(tables.iter().map(|f| table_leaves(f, &table_columns, &ch)));
        let (proof, _roots, claims) = gkr::prove_batch(instances, &mut t);
        (proof, claims)
    };
    let cycle_point = &leaf_claims[0].point;
    let r_rows = &cycle_point[family_vars(cycle.len())..];
    let used_cols = cycle_columns(&cycle);
    let leaf_column_evals: Vec<Fr> = used_cols
        .par_iter()
        .map(|&c| polys[c].evaluate(r_rows))
        .collect();
    t.absorb_fields(labels::LEAF_EVALS, &leaf_column_evals);
    let mut leaf_table_evals = Vec::new();
    for (fam, claim) in tables.iter().zip(&leaf_claims[1..]) {
        let evals: Vec<Fr> = table_committed(fam)
            .iter()
            .map(|i| {
                let k = table_ids
                    .iter()
                    .position(|x| x == i)
                    .expect("committed table column");
                table_polys[k].evaluate(&claim.point)
            })
            .collect();
        t.absorb_fields(labels::LEAF_EVALS, &evals);
        leaf_table_evals.push(evals);
    }
    stats.record(PHASE_GKR, &mut clock);

    // Twist memory checking, when the machine uses it.
    let (memory, memory_claims) = match machine.twist_memory {
        None => (MemoryProof::Offline, Vec::new()),
        Some(_) => {
            let (proof, claims) = twist_memory::prove(machine, &polys, log_rows as usize, &mut t)
                .map_err(ProofError::Shape)?;
            stats.record(PHASE_MEMORY, &mut clock);
            (MemoryProof::Twist(Box::new(proof)), claims)
        }
    };

    // Instruction fetch by Shout: the virtual fields' claims at Spartan's, GKR's and Twist's
    // points.
    let mut stages = StageClaims::new(
        &spartan_claims,
        (r_rows, &used_cols, &leaf_column_evals),
        &tables,
        leaf_claims[1..]
            .iter()
            .map(|c| c.point.as_slice())
            .collect(),
        &leaf_table_evals,
    );
    stages.memory = memory_claims;
    let fetch_claims = stages.fetch_claims(machine);
    let (fetch, fetch_opening) = match &machine.shout_fetch {
        None => (FetchProof::LogUp, None),
        Some(f) => {
            let table = bits::Table::new(&machine.bytecode).map_err(shout_error)?;
            // The committed bits are the addresses: a witness whose bits are not an address in
            // the table (only a forged one) is proven as it is, for the verifier to reject.
            let bit_cols: Vec<&[Fr]> = f.bits.iter().map(|c| polys[*c].evals()).collect();
            let (proof, opening) = match bits::addresses(&bit_cols, rows)
                .filter(|a| a.iter().all(|k| (*k as usize) < machine.bytecode.len()))
            {
                Some(a) => bits::prove(&table, &a, &fetch_claims, &mut t),
                None => {
                    let owned = bit_cols.iter().map(|b| b.to_vec()).collect();
                    bits::prove_dense(&table, log_rows as usize, owned, &fetch_claims, &mut t)
                }
            }
            .map_err(shout_error)?;
            (FetchProof::Shout(proof), Some((opening, &f.bits)))
        }
    };
    if machine.shout_fetch.is_some() {
        stats.record(PHASE_FETCH, &mut clock);
    }

    // Every claim about a committed polynomial, reduced to one point and opened there.
    stages.fetch = fetch_opening
        .as_ref()
        .map(|(opening, bits)| (bits.as_slice(), opening));
    let statement = OpeningStatement::new(machine, &stages)
        .ok_or_else(|| ProofError::Shape("a claim about a column that is not committed".into()))?;
    let opened: Vec<&DenseMle> = committed
        .iter()
        .map(|c| &polys[*c])
        .chain(&table_polys)
        .collect();
    let data: Vec<&DoryProverData> = committed
        .iter()
        .map(|c| data_of(*c))
        .chain(&table_data)
        .collect();
    let opening = reduce::prove(
        setup,
        &opened,
        &data,
        &statement.points,
        &statement.claims,
        &mut t,
    )?;
    stats.record(PHASE_OPENINGS, &mut clock);

    let proof = VmProof {
        program_digest: machine.program_digest.0,
        public: public.clone(),
        log_rows,
        mem_log_size,
        memory,
        fetch,
        tables: machine.lookup_tables(),
        column_commitments,
        table_commitments,
        spartan: spartan_proof,
        gkr: gkr_proof,
        leaf_column_evals,
        leaf_table_evals,
        opening,
    };
    Ok((proof, stats))
}
