//! zkvm proofs: one execution of a [`Machine`] proven with Spartan, LogUp-GKR and Dory.
//!
//! The protocol, in transcript order:
//! 1. the statement: ISA, program digest (bytecode table, initial memory), the constraint
//!    system's digest (fixed by the program), the public values (exit code, output), sizes;
//! 2. commitments to every witness column and every committed table column;
//! 3. Spartan for the uniform R1CS (the CPU and ALU constraints, register transitions); it leaves
//!    claims about the columns at its points;
//! 4. challenges `α, γ`; one batched LogUp-GKR over the fractions of memory checking, lookups and
//!    the public output (cycle side, and one instance per table); the prover sends the columns'
//!    values at the GKR leaf point, from which the verifier recomputes the leaves' values, and the
//!    verifier checks that all root fractions and the public output's fractions sum to zero;
//! 5. Shout for instruction fetch, when the proof uses it ([`FetchProof`]);
//! 6. every claim about a committed polynomial, at every point, reduced to one point by a
//!    sumcheck and proven by one batched Dory opening ([`crate::pcs::reduce`]).
//!
//! Proofs are succinct but **not zero-knowledge**: openings and sumcheck messages leak
//! information about the witness (see the README).

pub(crate) mod prover;
mod verifier;

pub use prover::{prove, ProveStats};
pub use verifier::verify;

use ark_bn254::Fr;

use crate::format::{from_bytes, to_bytes, FormatError, ProofKind};

use crate::gkr::FractionalSumProof;
use crate::machine::fetch::FetchArgument;
use crate::machine::fractions::table_committed;
use crate::machine::fractions::{Challenges, CycleFamily, TableFamily};
use crate::machine::split_tables::LookupTables;
use crate::machine::tables_used;
use crate::machine::twist_memory::{ColumnClaims, MemoryArgument, TwistMemoryProof};
use crate::machine::{tags, Machine, PublicValues};
use crate::pcs::reduce::{EvalClaim, ReducedOpening};
use crate::pcs::DoryCommitment;
use crate::shout::bits::BitsProof;
use crate::shout::bits::{BitsOpening, PointClaims};
use crate::spartan::OpeningClaim;
use crate::spartan::SpartanProof;
use crate::transcript::Transcript;

/// Transcript labels of the zkvm protocol.
pub mod labels {
    /// Domain of every zkvm proof transcript.
    pub const DOMAIN: &[u8] = b"zkvm-proof";
    /// The ISA name.
    pub const ISA: &[u8] = b"isa";
    /// The program digest (bytecode, initial memory, permissions, entry point).
    pub const PROGRAM: &[u8] = b"program";
    /// The digest of the constraint system.
    pub const CONSTRAINTS: &[u8] = b"constraints";
    /// The exit code.
    pub const EXIT_CODE: &[u8] = b"exit-code";
    /// The public output.
    pub const OUTPUT: &[u8] = b"public-output";
    /// Sizes: rows, memory.
    pub const SIZES: &[u8] = b"sizes";
    /// A witness column commitment.
    pub const COLUMN_COMMITMENT: &[u8] = b"column-commitment";
    /// A table column commitment.
    pub const TABLE_COMMITMENT: &[u8] = b"table-commitment";
    /// Column values at the GKR leaf point.
    pub const LEAF_EVALS: &[u8] = b"gkr-leaf-evals";
    /// The instruction-fetch argument.
    pub const FETCH: &[u8] = b"fetch-argument";
    /// The range and bitwise tables (full or split).
    pub const TABLES: &[u8] = b"lookup-tables";
    /// The memory-checking argument.
    pub const MEMORY: &[u8] = b"memory-checking";
    /// A shard's place in its run and its boundary state.
    pub const SHARD: &[u8] = b"shard";
}

/// Largest supported number of rows (`2^28`), so that timestamps stay below `2^32`.
pub const MAX_LOG_ROWS: u32 = 28;

/// A zkvm proof.
#[derive(Clone, Debug)]
pub struct VmProof {
    /// The program the proof is for ([`crate::machine::ProgramDigest`]).
    pub program_digest: [u8; 32],
    /// The public values the proof claims: absorbed into the transcript, read by the
    /// constraints ([`crate::r1cs::Var::Public`]) and by the public output's fractions.
    pub public: PublicValues,
    /// log2 of the number of rows (cycles, padded).
    pub log_rows: u32,
    /// log2 of the number of memory cells.
    pub mem_log_size: u32,
    /// How the memory is checked, with Twist's proof.
    pub memory: MemoryProof,
    /// How instruction fetch is proven, with Shout's proof.
    pub fetch: FetchProof,
    /// The range and bitwise tables the lookups use.
    pub tables: LookupTables,
    /// One commitment per committed witness column ([`committed_columns`] order).
    pub column_commitments: Vec<DoryCommitment>,
    /// Commitments to the table columns, in [`crate::machine::table_cols`] order, for the
    /// columns present (see [`committed_table_columns`]).
    pub table_commitments: Vec<DoryCommitment>,
    /// Spartan for the uniform R1CS.
    pub spartan: SpartanProof,
    /// The batched LogUp-GKR: instance 0 is the cycle side, then one per table family.
    pub gkr: FractionalSumProof,
    /// Values at the cycle leaf point of the columns the cycle families read
    /// ([`crate::machine::fractions::cycle_columns`] order).
    pub leaf_column_evals: Vec<Fr>,
    /// Per table family, the values of the committed table columns it reads at its leaf point.
    pub leaf_table_evals: Vec<Vec<Fr>>,
    /// Every claim about a committed polynomial, reduced to one point and opened there.
    pub opening: ReducedOpening,
}

/// How a proof checks its memory ([`MemoryArgument`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemoryProof {
    /// Offline memory checking inside the batched GKR: nothing of its own.
    Offline,
    /// Twist over address bits: its proof and the columns' values at its points.
    Twist(Box<TwistMemoryProof>),
}

impl MemoryProof {
    /// The argument this proof uses.
    pub fn argument(&self) -> MemoryArgument {
        match self {
            MemoryProof::Offline => MemoryArgument::Offline,
            MemoryProof::Twist(_) => MemoryArgument::Twist,
        }
    }
}

zkvm_core::impl_serialization!(MemoryProof {
    write(self, w, c) {
        match self {
            MemoryProof::Offline => 0u8.serialize_with_mode(&mut w, c),
            MemoryProof::Twist(p) => {
                1u8.serialize_with_mode(&mut w, c)?;
                p.serialize_with_mode(&mut w, c)
            }
        }
    }
    size(self, c) {
        1 + match self {
            MemoryProof::Offline => 0,
            MemoryProof::Twist(p) => p.serialized_size(c),
        }
    }
    read(r, c, v) {
        match u8::deserialize_with_mode(&mut r, c, v)? {
            0 => Ok(MemoryProof::Offline),
            1 => Ok(MemoryProof::Twist(Box::new(TwistMemoryProof::deserialize_with_mode(
                &mut r, c, v,
            )?))),
            _ => Err(ark_serialize::SerializationError::InvalidData),
        }
    }
});

/// How a proof proves instruction fetch ([`FetchArgument`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchProof {
    /// A LogUp lookup inside the batched GKR: nothing of its own.
    LogUp,
    /// Shout over the table index's bits: its sumchecks and the bits' values.
    Shout(BitsProof),
}

impl FetchProof {
    /// The argument this proof uses.
    pub fn argument(&self) -> FetchArgument {
        match self {
            FetchProof::LogUp => FetchArgument::LogUp,
            FetchProof::Shout(_) => FetchArgument::Shout,
        }
    }
}

zkvm_core::impl_serialization!(FetchProof {
    write(self, w, c) {
        match self {
            FetchProof::LogUp => 0u8.serialize_with_mode(&mut w, c),
            FetchProof::Shout(p) => {
                1u8.serialize_with_mode(&mut w, c)?;
                p.serialize_with_mode(&mut w, c)
            }
        }
    }
    size(self, c) {
        1 + match self {
            FetchProof::LogUp => 0,
            FetchProof::Shout(p) => p.serialized_size(c),
        }
    }
    read(r, c, v) {
        match u8::deserialize_with_mode(&mut r, c, v)? {
            0 => Ok(FetchProof::LogUp),
            1 => Ok(FetchProof::Shout(BitsProof::deserialize_with_mode(&mut r, c, v)?)),
            _ => Err(ark_serialize::SerializationError::InvalidData),
        }
    }
});

zkvm_core::impl_serialization!(LookupTables {
    write(self, w, c) {
        match self {
            LookupTables::Full => 0u8,
            LookupTables::Split => 1u8,
        }
        .serialize_with_mode(&mut w, c)
    }
    size(self, c) {
        1
    }
    read(r, c, v) {
        match u8::deserialize_with_mode(&mut r, c, v)? {
            0 => Ok(LookupTables::Full),
            1 => Ok(LookupTables::Split),
            _ => Err(ark_serialize::SerializationError::InvalidData),
        }
    }
});

/// The witness columns a proof commits, in commitment order: all but a Shout fetch's virtual
/// fields and the timestamp columns Twist leaves unused.
pub fn committed_columns(machine: &Machine) -> Vec<usize> {
    let virtual_field = machine
        .shout_fetch
        .as_ref()
        .map(|f| f.field_of(machine.column_names.len()));
    let unused = unused_columns(machine);
    (0..machine.column_names.len())
        .filter(|c| virtual_field.as_ref().is_none_or(|v| v[*c].is_none()))
        .filter(|c| !unused.contains(c))
        .collect()
}

/// The columns that are zero and never committed (Twist's unused timestamp columns).
fn unused_columns(machine: &Machine) -> &[usize] {
    machine.twist_memory.as_ref().map_or(&[], |t| &t.unused)
}

/// Why a proof was rejected, or could not be produced or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    /// The bytes are not a readable zkvm proof (bad magic, version, truncated, corrupted).
    #[error("cannot read the proof")]
    Format(#[from] FormatError),
    /// The proof was made for another program.
    #[error("this proof is for another program (the proof's program is {proof}, this program is {program})")]
    WrongProgram {
        /// The digest the proof carries.
        proof: crate::machine::ProgramDigest,
        /// The digest of the program given to the verifier.
        program: crate::machine::ProgramDigest,
    },
    /// The proof's shape does not match the statement.
    #[error("proof does not match the program: {0}")]
    Shape(String),
    /// A sub-protocol rejected.
    #[error("{}: {stage} rejected: {reason}", stage_meaning(stage))]
    Rejected {
        /// Which part of the protocol.
        stage: &'static str,
        /// Why.
        reason: String,
    },
    /// The prover could not commit or open.
    #[error("commitment scheme")]
    Pcs(#[from] crate::pcs::PcsError),
    /// Spartan failed on the prover's side (a witness that does not fit the constraints).
    #[error("spartan")]
    Spartan(#[from] crate::spartan::SpartanError),
}

/// What a rejection by `stage` means, in a user's terms.
fn stage_meaning(stage: &str) -> &'static str {
    match stage {
        "spartan" => {
            "the proof does not hold for this program, output and exit code (its per-cycle \
             constraint check fails)"
        }
        "memory checking and lookups" => {
            "the proof does not hold for this program, output and exit code (its memory reads, \
             instruction fetches, range checks or public output do not match)"
        }
        "gkr" => "the memory-checking argument is malformed",
        "memory checking (twist)" => {
            "the proof does not hold for this program, output and exit code (its memory reads \
             do not return what was written, or its addresses are not what the columns hold)"
        }
        "instruction fetch (shout)" => {
            "the proof does not hold for this program (its instruction fetches do not match the \
             bytecode)"
        }
        s if s.starts_with("opening") => "a committed value does not open to its claimed value",
        _ => "the proof is invalid",
    }
}

impl VmProof {
    /// The proof in the versioned binary format ([`crate::format`], kind `Zkvm`).
    pub fn to_bytes(&self) -> Vec<u8> {
        to_bytes(ProofKind::Zkvm, self).expect("writing into a Vec cannot fail")
    }

    /// Reads [`VmProof::to_bytes`]; truncated or corrupted input is an error, never a panic.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofError> {
        Ok(from_bytes(ProofKind::Zkvm, bytes)?)
    }
}

// At most 16 table families.
zkvm_core::impl_serialization!(VmProof {
    program_digest: one,
    public: one,
    log_rows: one,
    mem_log_size: one,
    memory: one,
    fetch: one,
    tables: one,
    column_commitments: vec,
    table_commitments: vec,
    spartan: one,
    gkr: one,
    leaf_column_evals: vec,
    leaf_table_evals: vecs(16),
    opening: one,
});

/// Every claim a proof leaves for the commitment scheme, about the committed polynomials in
/// opening order (the committed columns, then the committed table columns), at their points:
/// Spartan's, the GKR cycle leaf's, each table instance's and Shout's. One reduction
/// ([`crate::pcs::reduce`]) and one Dory opening discharge them all.
pub(crate) struct OpeningStatement {
    /// The points.
    pub points: Vec<Vec<Fr>>,
    /// The claims.
    pub claims: Vec<EvalClaim>,
}

/// What the opening statement is built from: the claims of each stage, as the verifier sees
/// them.
pub(crate) struct StageClaims<'a> {
    /// Spartan's claims (every column).
    pub spartan: &'a [OpeningClaim],
    /// The cycle leaf's point (its row coordinates), the columns the cycle families read and
    /// their values there.
    pub cycle: (&'a [Fr], &'a [usize], &'a [Fr]),
    /// Per table family: its leaf point and the values of its committed table columns.
    pub tables: Vec<(&'a TableFamily, &'a [Fr], &'a [Fr])>,
    /// Shout fetch's claim about the bits (their columns, point and values).
    pub fetch: Option<(&'a [usize], &'a BitsOpening)>,
    /// Twist memory's claims about columns.
    pub memory: Vec<ColumnClaims>,
}

impl<'a> StageClaims<'a> {
    /// The claims of Spartan, the GKR cycle leaf and the tables (`points[i]` and `evals[i]`
    /// for `tables[i]`); Shout's are added once it has run.
    pub(crate) fn new(
        spartan: &'a [OpeningClaim],
        cycle: (&'a [Fr], &'a [usize], &'a [Fr]),
        tables: &'a [TableFamily],
        points: Vec<&'a [Fr]>,
        evals: &'a [Vec<Fr>],
    ) -> Self {
        StageClaims {
            spartan,
            cycle,
            tables: tables
                .iter()
                .zip(points)
                .zip(evals)
                .map(|((f, p), e)| (f, p, e.as_slice()))
                .collect(),
            fetch: None,
            memory: Vec::new(),
        }
    }

    /// Shout fetch's claims: what Spartan and the GKR cycle leaf claim about the virtual
    /// fields, as `(table column, value)` pairs at their points (empty without Shout fetch).
    pub(crate) fn fetch_claims(&self, machine: &Machine) -> Vec<PointClaims> {
        let Some(fetch) = &machine.shout_fetch else {
            return Vec::new();
        };
        let field_of = fetch.field_of(machine.column_names.len());
        let fields = |evals: &mut dyn Iterator<Item = (usize, Fr)>| -> Vec<(usize, Fr)> {
            evals
                .filter_map(|(c, v)| field_of.get(c).copied().flatten().map(|i| (i, v)))
                .collect()
        };
        let mut claims: Vec<PointClaims> = self
            .spartan
            .iter()
            .map(|claim| PointClaims {
                point: claim.point.clone(),
                values: fields(&mut claim.evals.iter().copied()),
            })
            .collect();
        let (point, cols, values) = self.cycle;
        claims.push(PointClaims {
            point: point.to_vec(),
            values: fields(&mut cols.iter().copied().zip(values.iter().copied())),
        });
        for (point, cols, values) in &self.memory {
            claims.push(PointClaims {
                point: point.clone(),
                values: fields(&mut cols.iter().copied().zip(values.iter().copied())),
            });
        }
        claims
    }
}

impl OpeningStatement {
    /// The claims about committed polynomials; a claim about a virtual column (proven by
    /// Shout instead) is left out. `None` when a claim names a column or table column that is
    /// not committed and not virtual, or claims a nonzero value of an unused column.
    pub(crate) fn new(machine: &Machine, stages: &StageClaims) -> Option<Self> {
        let committed = committed_columns(machine);
        let table_ids = committed_table_columns(machine);
        let virtual_field = machine
            .shout_fetch
            .as_ref()
            .map(|f| f.field_of(machine.column_names.len()));
        let unused = unused_columns(machine);
        let mut column_poly = vec![None; machine.column_names.len()];
        for (k, c) in committed.iter().enumerate() {
            column_poly[*c] = Some(k);
        }
        let mut statement = OpeningStatement {
            points: Vec::new(),
            claims: Vec::new(),
        };
        // Claims about columns at `point`; virtual columns are Shout's.
        let columns_at = |s: &mut OpeningStatement,
                          point: &[Fr],
                          evals: &mut dyn Iterator<Item = (usize, Fr)>|
         -> Option<()> {
            let p = s.points.len();
            s.points.push(point.to_vec());
            for (c, value) in evals {
                match column_poly.get(c)? {
                    Some(poly) => s.claims.push(EvalClaim {
                        poly: *poly,
                        point: p,
                        value,
                    }),
                    None if unused.contains(&c) => ark_ff::Zero::is_zero(&value).then_some(())?,
                    None => {
                        virtual_field.as_ref().and_then(|v| v[c])?;
                    }
                }
            }
            Some(())
        };
        for claim in stages.spartan {
            columns_at(
                &mut statement,
                &claim.point,
                &mut claim.evals.iter().copied(),
            )?;
        }
        let (point, cols, values) = stages.cycle;
        columns_at(
            &mut statement,
            point,
            &mut cols.iter().copied().zip(values.iter().copied()),
        )?;
        for (point, cols, values) in &stages.memory {
            columns_at(
                &mut statement,
                point,
                &mut cols.iter().copied().zip(values.iter().copied()),
            )?;
        }
        if let Some((bits, opening)) = stages.fetch {
            columns_at(
                &mut statement,
                &opening.point,
                &mut bits.iter().copied().zip(opening.values.iter().copied()),
            )?;
        }
        for (fam, point, values) in &stages.tables {
            let p = statement.points.len();
            statement.points.push(point.to_vec());
            for (i, value) in table_committed(fam).iter().zip(values.iter()) {
                let k = table_ids.iter().position(|x| x == i)?;
                statement.claims.push(EvalClaim {
                    poly: committed.len() + k,
                    point: p,
                    value: *value,
                });
            }
        }
        Some(statement)
    }
}

/// The table columns that are committed for `machine`, in [`crate::machine::table_cols`] order.
pub fn committed_table_columns(machine: &Machine) -> Vec<usize> {
    use crate::machine::table_cols::*;
    let mut cols = match machine.twist_memory {
        Some(_) => Vec::new(),
        None if machine.memory.committed_init => vec![
            MEM_FINAL_VALUE,
            MEM_FINAL_TS,
            MEM_FINAL_FLAG,
            MEM_INIT_VALUE,
            MEM_INIT_FLAG,
        ],
        None => vec![MEM_FINAL_VALUE, MEM_FINAL_TS, MEM_FINAL_FLAG],
    };
    cols.extend(
        tables_used(machine)
            .into_iter()
            .map(crate::machine::logup::multiplicity_column),
    );
    cols
}

/// Squeeze the fingerprint challenges `α, γ` (with enough powers of `γ` for the longest tuple).
pub fn fingerprint_challenges(
    cycle: &[CycleFamily],
    tables: &[TableFamily],
    t: &mut Transcript,
) -> Challenges {
    let alpha = t.challenge();
    let gamma = t.challenge();
    let width = cycle
        .iter()
        .map(|f| f.tuple.len())
        .chain(tables.iter().map(|f| f.tuple.len()));
    Challenges::new(alpha, gamma, width.max().unwrap_or(1))
}

/// The public output's side of the LogUp sum: `Σ_i 1 / (α − fingerprint(OUTPUT, offset + i,
/// output_i))` (the offset is a shard's first element's index),
/// which the output lanes' fractions must cancel. `None` for a degenerate challenge.
pub fn public_output_sum(public: &PublicValues, ch: &Challenges) -> Option<Fr> {
    let offset = public.output_offset();
    public
        .output
        .iter()
        .enumerate()
        .try_fold(Fr::from(0u64), |sum, (i, v)| {
            let tuple = [Fr::from(tags::OUTPUT), Fr::from(offset + i as u64), *v];
            Some(sum + ark_ff::Field::inverse(&ch.denominator(tuple.into_iter()))?)
        })
}

/// Absorb the statement: the program (its digest covers the bytecode table, the initial memory
/// and the permissions), the constraint system (fixed by the program), the public values and the
/// sizes.
pub fn absorb_statement(
    machine: &Machine,
    public: &PublicValues,
    log_rows: u32,
    mem_log_size: u32,
    t: &mut Transcript,
) {
    t.absorb_bytes(labels::ISA, machine.isa.as_bytes());
    t.absorb_bytes(labels::PROGRAM, &machine.program_digest.0);
    t.absorb_bytes(labels::CONSTRAINTS, &machine.r1cs.digest());
    t.absorb_bytes(labels::MEMORY, machine.memory_argument().name().as_bytes());
    t.absorb_bytes(labels::FETCH, machine.fetch_argument().name().as_bytes());
    t.absorb_bytes(labels::TABLES, machine.lookup_tables().name().as_bytes());
    t.absorb_u64(labels::EXIT_CODE, public.exit_code.into());
    t.absorb_fields(labels::OUTPUT, &public.output);
    if let Some(shard) = &public.shard {
        let flag = |v: &Option<Vec<Fr>>| u64::from(v.is_some());
        t.absorb_u64(labels::SHARD, shard.index.into());
        t.absorb_u64(labels::SHARD, shard.output_offset);
        t.absorb_u64(labels::SHARD, flag(&shard.entry));
        t.absorb_fields(labels::SHARD, shard.entry.as_deref().unwrap_or_default());
        t.absorb_u64(labels::SHARD, flag(&shard.exit));
        t.absorb_fields(labels::SHARD, shard.exit.as_deref().unwrap_or_default());
    }
    t.absorb_bytes(
        labels::SIZES,
        &[log_rows.to_le_bytes(), mem_log_size.to_le_bytes()].concat(),
    );
}
