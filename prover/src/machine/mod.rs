//! The one constraint system both ISAs lower to.
//!
//! A [`Machine`] describes one execution as a table with one row per cycle:
//!
//! - witness **columns**, committed with the PCS;
//! - a **uniform R1CS** ([`crate::r1cs`]): the same constraints on every row, which may also
//!   read the next row (register transitions), proven with Spartan;
//! - **memory slots**: up to a few accesses per cycle to one read-write memory, checked by the
//!   offline memory checker ([`offline_memory`]: each access is a read tuple consumed and a
//!   write tuple produced, with timestamps) or by Twist ([`twist_memory`]);
//! - **lookups** of tuples of columns into tables ([`logup`]): the program's bytecode (instruction
//!   fetch), 16-bit ranges, and whatever an ISA's ALU needs;
//! - a **public output** sequence bound into the proof.
//!
//! Offline memory checking and lookups both reduce to one kind of statement — a sum of fractions
//! `± active / (α − fingerprint(tuple))` over the cycles, plus sums over tables, adds up to zero
//! (LogUp, Haböck 2022) — proven by GKR without committing to anything after the challenges
//! (see [`crate::gkr`]). [`fractions`] turns families of such fractions into GKR leaves and back.
//!
//! The zasm and RV32IM lowerings ([`crate::lower`]) each build a `Machine` with the same CPU shape
//! (pc, instruction fetch, operand reads, a destination write, memory checking) and their own
//! ALU; this module and the prover know nothing of either ISA.

pub mod balance;
pub mod fetch;
pub mod fractions;
pub mod logup;
pub mod offline_memory;
pub mod split_tables;
pub mod tables;
pub mod twist_memory;

use ark_bn254::Fr;

use self::fractions::{CycleFamily, TableFamily};
use crate::r1cs::{Constraint, LinComb, UniformR1cs, Var};

/// Index of a witness column.
pub type Col = usize;

/// One memory access per cycle in a fixed slot.
#[derive(Clone, Debug)]
pub struct MemSlot {
    /// Name for diagnostics (`"dst"`, `"rs1"`, …).
    pub name: String,
    /// 1 when the access happens on this row, 0 otherwise (linear in the columns).
    pub active: LinComb,
    /// The address (linear in the columns).
    pub addr: LinComb,
    /// The value the access reads (the cell's previous value).
    pub read_value: Col,
    /// The value the access leaves in the cell (equal to `read_value` for a pure read; the ISA
    /// constrains that).
    pub write_value: Col,
    /// The timestamp of the write the read value came from (0 for the initial memory).
    pub read_ts: Col,
    /// The "initialised" flag of the read tuple: a boolean column, or `None` for the constant 1
    /// (every access of this slot must find an initialised cell).
    pub read_init_flag: Option<Col>,
    /// Low and high 16-bit limbs of `now − read_ts − 1`, range-checked.
    pub ts_diff_limbs: (Col, Col),
    /// With memory permissions ([`MemoryLayout::permissions`]): the column holding the accessed
    /// cell's permission (1 read-only, 2 read-write), or `None` for a slot that only ever
    /// touches read-write cells (the constant 2).
    pub permission: Option<Col>,
    /// 1 on rows where this access changes the cell (then its permission must be 2).
    pub writes: LinComb,
    /// With Twist: how many address bits this slot commits, when the ISA keeps its addresses
    /// below `2^address_bits` (RV32IM's register slots: 5); `None` for the memory's full width.
    /// Twist's constraints then hold the slot to that range; offline checking ignores it.
    pub address_bits: Option<usize>,
}

/// A lookup of a tuple of row expressions into a table, on the rows where `active` is 1.
#[derive(Clone, Debug)]
pub struct LookupUse {
    /// Name for diagnostics.
    pub name: String,
    /// The table.
    pub table: TableId,
    /// 1 on rows that look up, 0 elsewhere.
    pub active: LinComb,
    /// The tuple looked up (the table's columns, in order).
    pub tuple: Vec<LinComb>,
}

/// The tables lookups can target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableId {
    /// The program's instructions: `(pc, fields…)`, public.
    Bytecode,
    /// `0..2^16`.
    Range16,
    /// Byte-wise bitwise operations `(op, a, b, a op b)` for bytes a, b.
    Bitwise,
    /// `0..2^8`: the halves of a 16-bit range check in a short run ([`split_tables`]).
    Range8,
    /// Nibble-wise bitwise operations: the halves of a byte-wise lookup in a short run.
    Bitwise4,
}

impl TableId {
    /// Every table.
    pub const ALL: [TableId; 5] = [
        TableId::Bytecode,
        TableId::Range16,
        TableId::Bitwise,
        TableId::Range8,
        TableId::Bitwise4,
    ];

    /// The domain-separation tag in fingerprints (distinct from memory's and output's).
    pub fn tag(self) -> u64 {
        match self {
            TableId::Bytecode => 3,
            TableId::Range16 => 4,
            TableId::Bitwise => 5,
            TableId::Range8 => 6,
            TableId::Bitwise4 => 7,
        }
    }
}

/// Indices of the committed table columns (the table side of memory checking and lookups).
pub mod table_cols {
    /// Final value of each memory cell.
    pub const MEM_FINAL_VALUE: usize = 0;
    /// Timestamp of the last write of each memory cell (0 if never written).
    pub const MEM_FINAL_TS: usize = 1;
    /// Final "initialised" flag of each memory cell.
    pub const MEM_FINAL_FLAG: usize = 2;
    /// How often each bytecode row was fetched.
    pub const MULT_BYTECODE: usize = 3;
    /// How often each 16-bit value was range-checked.
    pub const MULT_RANGE16: usize = 4;
    /// How often each bitwise-table row was looked up.
    pub const MULT_BITWISE: usize = 5;
    /// How often each 8-bit value was range-checked (short runs).
    pub const MULT_RANGE8: usize = 6;
    /// How often each nibble-wise bitwise-table row was looked up (short runs).
    pub const MULT_BITWISE4: usize = 7;
    /// Initial value of each memory cell, when the initial memory is committed (a later shard
    /// of a sharded run: the memory the shard before left).
    pub const MEM_INIT_VALUE: usize = 8;
    /// Initial "initialised" flag of each memory cell, likewise.
    pub const MEM_INIT_FLAG: usize = 9;
    /// The number of table columns.
    pub const COUNT: usize = 10;
}

/// Fingerprint tags of the non-table multisets.
pub mod tags {
    /// Memory tuples `(addr, value, ts, init)`.
    pub const MEMORY: u64 = 1;
    /// Public output tuples `(index, value)`.
    pub const OUTPUT: u64 = 2;
}

/// Everything public the verifier needs about the memory: its size and initial content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryLayout {
    /// `log2` of the number of addresses `0..2^log_size`.
    pub log_size: usize,
    /// Initial values of the cells that are not zero: `(address, value)`.
    pub init: Vec<(u64, Fr)>,
    /// The initialised flag of every initial cell (0 for zasm, whose reads of never-written
    /// cells are faults; 1 for RISC-V, whose memory starts as zeros plus the image).
    pub init_flag: Fr,
    /// Public per-address permissions as `[start, end) → value` ranges (0 no access, 1
    /// read-only, 2 read-write; addresses in no range are 0), or `None` when every cell is
    /// read-write (zasm). Permissions never change, so they enter the initial and the final
    /// memory tuples alike, and every access carries its cell's permission.
    pub permissions: Option<Vec<(u64, u64, u64)>>,
    /// The initial memory is committed ([`table_cols::MEM_INIT_VALUE`] and
    /// [`table_cols::MEM_INIT_FLAG`]) rather than `init` and `init_flag`: a later shard of a
    /// sharded run starts from the memory the shard before it left ([`crate::shards`]).
    pub committed_init: bool,
}

/// What identifies a program: SHA3-256 of its ISA, entry point, bytecode table, initial memory
/// and memory permissions. `zkvm id` prints it, every proof carries it (and absorbs it into its
/// transcript), and `zkvm verify` rejects a proof made for another program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ProgramDigest(pub [u8; 32]);

impl ProgramDigest {
    /// The digest of a program's public description. `memory` is the initial memory as
    /// `(address, value)` pairs (the whole image: the digest must not depend on any size a
    /// prover chooses).
    pub fn new(
        isa: &str,
        entry: u64,
        bytecode: &[Vec<Fr>],
        memory: &[(u64, Fr)],
        permissions: Option<&[(u64, u64, u64)]>,
    ) -> Self {
        use ark_serialize::CanonicalSerialize;
        use sha3::{Digest, Sha3_256};
        let mut h = Sha3_256::new();
        let put_u64 = |h: &mut Sha3_256, v: u64| h.update(v.to_le_bytes());
        let put_fr = |h: &mut Sha3_256, v: &Fr| {
            let mut bytes = Vec::with_capacity(32);
            v.serialize_compressed(&mut bytes)
                .expect("writing into a Vec cannot fail");
            h.update(bytes);
        };
        h.update(b"zkvm program digest v1");
        put_u64(&mut h, isa.len() as u64);
        h.update(isa.as_bytes());
        put_u64(&mut h, entry);
        put_u64(&mut h, bytecode.len() as u64);
        for row in bytecode {
            put_u64(&mut h, row.len() as u64);
            row.iter().for_each(|v| put_fr(&mut h, v));
        }
        put_u64(&mut h, memory.len() as u64);
        for (a, v) in memory {
            put_u64(&mut h, *a);
            put_fr(&mut h, v);
        }
        let perms = permissions.unwrap_or(&[]);
        put_u64(&mut h, perms.len() as u64);
        for (start, end, p) in perms {
            [start, end, p]
                .into_iter()
                .for_each(|v| put_u64(&mut h, *v));
        }
        Self(h.finalize().into())
    }
}

impl std::fmt::Display for ProgramDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// One lane of a row's public output.
#[derive(Clone, Debug)]
pub struct OutputLane {
    /// 1 when the lane outputs an element on the row, else 0.
    pub active: LinComb,
    /// The element's position in the public output.
    pub index: LinComb,
    /// The element.
    pub value: LinComb,
}

/// A machine: the constraint system of one ISA for one program, and its public inputs.
#[derive(Clone, Debug)]
pub struct Machine {
    /// Which ISA, bound into the transcript (`"zasm"`, `"rv32im"`).
    pub isa: String,
    /// The program's identity (bound into the transcript and carried by the proof).
    pub program_digest: ProgramDigest,
    /// Names of the witness columns.
    pub column_names: Vec<String>,
    /// Columns holding small non-negative integers (< 2^32) on every row: committed with the
    /// PCS's small-value path. A performance hint only; soundness never depends on it.
    pub small_columns: Vec<bool>,
    /// The per-row constraints, including the ones memory checking adds.
    pub r1cs: UniformR1cs,
    /// Memory accesses, slot by slot; the timestamp of slot `s` on row `t` is `S·t + s + 1`.
    pub slots: Vec<MemSlot>,
    /// The column holding the row index `t` (constrained to count 0, 1, 2, …).
    pub cycle_col: Col,
    /// Lookups.
    pub lookups: Vec<LookupUse>,
    /// The public bytecode table: one row per instruction, columns as the bytecode lookup's
    /// tuple (the first is the pc).
    pub bytecode: Vec<Vec<Fr>>,
    /// Memory size and initial content.
    pub memory: MemoryLayout,
    /// Public output: on a row where a lane's `active` is 1, `(index, value)` is element
    /// `index` of the statement's [`PublicValues::output`] (zasm outputs one element per row,
    /// RV32IM up to four bytes).
    pub outputs: Vec<OutputLane>,
    /// The bitwise table is used (RV32IM).
    pub uses_bitwise: bool,
    /// With Shout fetch ([`Machine::with_fetch`]): the virtual field columns and the committed
    /// address bits; `None` while fetch is the bytecode LogUp lookup in [`Machine::lookups`].
    pub shout_fetch: Option<fetch::ShoutFetch>,
    /// With split tables ([`Machine::with_lookup_tables`]): the committed high halves of the
    /// split lookups; `None` while range checks and bitwise lookups use the full tables.
    pub split_tables: Option<Vec<split_tables::HighHalf>>,
    /// With Twist memory checking ([`Machine::with_memory`]): the address bits and the unused
    /// timestamp columns; `None` while memory is checked offline.
    pub twist_memory: Option<twist_memory::TwistMemory>,
}

impl Machine {
    /// Appends a committed column of small values that no constraint reads (a lookup argument's
    /// own column); returns it.
    pub fn append_small_column(&mut self, name: &str) -> Col {
        self.column_names.push(name.to_string());
        self.r1cs.column_names.push(name.to_string());
        self.small_columns.push(true);
        self.column_names.len() - 1
    }

    /// All cycle-side fraction families of a machine: memory (when checked offline), lookups,
    /// public output.
    pub fn cycle_families(&self) -> Vec<CycleFamily> {
        let mut f = match self.twist_memory {
            Some(_) => Vec::new(),
            None => offline_memory::cycle_families(
                &self.slots,
                self.cycle_col,
                self.memory.permissions.is_some(),
            ),
        };
        f.extend(logup::cycle_families(&self.lookups));
        f.extend(
            self.outputs
                .iter()
                .enumerate()
                .map(|(k, lane)| CycleFamily {
                    name: format!("public output lane {k}"),
                    numerator: lane.active.clone(),
                    tuple: vec![
                        LinComb::from(Fr::from(tags::OUTPUT)),
                        lane.index.clone(),
                        lane.value.clone(),
                    ],
                }),
        );
        f
    }

    /// All table-side fraction families of a machine: initial and final memory (when checked
    /// offline), lookup tables.
    pub fn table_families(&self) -> Vec<TableFamily> {
        let mut f = match self.twist_memory {
            Some(_) => Vec::new(),
            None => offline_memory::table_families(&self.memory),
        };
        f.extend(logup::table_families(&tables_used(self), &self.bytecode));
        f
    }
}

/// The public values of a statement about a [`Machine`]: given to the prover and the verifier
/// beside the machine, absorbed into the transcript, and read by the constraints as
/// [`Var::Public`] (at the indices in [`public`]) and by the output lanes' fractions. The machine
/// itself depends on the program alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicValues {
    /// The public output, element by element (RV32IM: one byte per element); a shard's own
    /// part of it.
    pub output: Vec<Fr>,
    /// The exit code (RV32IM's `exit`; 0 for zasm).
    pub exit_code: u32,
    /// For one shard of a sharded run: where it sits and the state at its ends; `None` for a
    /// proof of a whole run.
    pub shard: Option<ShardBoundary>,
}

/// One shard's place in a sharded run ([`crate::shards`]) and the state at its two ends: the
/// values of the carried columns ([`UniformR1cs::next_columns`]), which
/// [`UniformR1cs::bind_segment`] binds into the shard's constraints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShardBoundary {
    /// The shard's position, from 0.
    pub index: u32,
    /// The public output elements before this shard's: its output lanes emit elements
    /// `output_offset..output_offset + output.len()`.
    pub output_offset: u64,
    /// The carried columns on the shard's first row; `None` for the first shard, which starts
    /// as the run does.
    pub entry: Option<Vec<Fr>>,
    /// The carried columns on the next shard's first row; `None` for the last shard, which
    /// ends as the run does.
    pub exit: Option<Vec<Fr>>,
}

impl ShardBoundary {
    /// Whether the shard starts the run.
    pub fn is_first(&self) -> bool {
        self.entry.is_none()
    }

    /// Whether the shard ends the run.
    pub fn is_last(&self) -> bool {
        self.exit.is_none()
    }
}

/// An optional vector of field elements as a flag byte and the vector.
fn write_optional_fields<W: std::io::Write>(
    v: &Option<Vec<Fr>>,
    mut w: W,
    c: ark_serialize::Compress,
) -> Result<(), ark_serialize::SerializationError> {
    use ark_serialize::CanonicalSerialize;
    u8::from(v.is_some()).serialize_with_mode(&mut w, c)?;
    v.iter()
        .try_for_each(|v| zkvm_core::format::write_vec(v, &mut w, c))
}

fn optional_fields_size(v: &Option<Vec<Fr>>, c: ark_serialize::Compress) -> usize {
    1 + v.as_ref().map_or(0, |v| zkvm_core::format::vec_size(v, c))
}

fn read_optional_fields<R: std::io::Read>(
    mut r: R,
    c: ark_serialize::Compress,
    v: ark_serialize::Validate,
) -> Result<Option<Vec<Fr>>, ark_serialize::SerializationError> {
    use ark_serialize::CanonicalDeserialize;
    match u8::deserialize_with_mode(&mut r, c, v)? {
        0 => Ok(None),
        1 => Ok(Some(zkvm_core::format::read_vec(&mut r, c, v)?)),
        _ => Err(ark_serialize::SerializationError::InvalidData),
    }
}

zkvm_core::impl_serialization!(ShardBoundary {
    write(self, w, c) {
        self.index.serialize_with_mode(&mut w, c)?;
        self.output_offset.serialize_with_mode(&mut w, c)?;
        write_optional_fields(&self.entry, &mut w, c)?;
        write_optional_fields(&self.exit, &mut w, c)
    }
    size(self, c) {
        8 + 4 + optional_fields_size(&self.entry, c) + optional_fields_size(&self.exit, c)
    }
    read(r, c, v) {
        Ok(ShardBoundary {
            index: u32::deserialize_with_mode(&mut r, c, v)?,
            output_offset: u64::deserialize_with_mode(&mut r, c, v)?,
            entry: read_optional_fields(&mut r, c, v)?,
            exit: read_optional_fields(&mut r, c, v)?,
        })
    }
});

zkvm_core::impl_serialization!(PublicValues {
    write(self, w, c) {
        zkvm_core::format::write_vec(&self.output, &mut w, c)?;
        self.exit_code.serialize_with_mode(&mut w, c)?;
        u8::from(self.shard.is_some()).serialize_with_mode(&mut w, c)?;
        self.shard.iter().try_for_each(|s| s.serialize_with_mode(&mut w, c))
    }
    size(self, c) {
        zkvm_core::format::vec_size(&self.output, c)
            + 4
            + 1
            + self.shard.as_ref().map_or(0, |s| s.serialized_size(c))
    }
    read(r, c, v) {
        let output = zkvm_core::format::read_vec(&mut r, c, v)?;
        let exit_code = u32::deserialize_with_mode(&mut r, c, v)?;
        let shard = match u8::deserialize_with_mode(&mut r, c, v)? {
            0 => None,
            1 => Some(ShardBoundary::deserialize_with_mode(&mut r, c, v)?),
            _ => return Err(ark_serialize::SerializationError::InvalidData),
        };
        Ok(PublicValues { output, exit_code, shard })
    }
});

/// Where the constraints read the public values ([`Var::Public`]).
pub mod public {
    /// The exit code.
    pub const EXIT_CODE: usize = 0;
    /// The number of public output elements.
    pub const OUTPUT_LEN: usize = 1;
}

impl PublicValues {
    /// The values the constraints read, indexed by [`public`].
    pub fn scalars(&self) -> Vec<Fr> {
        vec![
            Fr::from(self.exit_code),
            Fr::from(self.output_offset() + self.output.len() as u64),
        ]
    }

    /// The public output elements before this statement's (a shard's; 0 for a whole run).
    pub fn output_offset(&self) -> u64 {
        self.shard.as_ref().map_or(0, |s| s.output_offset)
    }

    /// The machine's constraint system with these values bound, and for a shard, its
    /// boundaries ([`UniformR1cs::bind_segment`]).
    pub fn bind(&self, machine: &Machine) -> Result<UniformR1cs, crate::r1cs::R1csError> {
        let r1cs = machine.r1cs.bind_public(&self.scalars())?;
        match &self.shard {
            None => Ok(r1cs),
            Some(s) => r1cs.bind_segment(s.entry.as_deref(), s.exit.as_deref()),
        }
    }
}

/// Public value `index` ([`public`]) as a linear combination.
pub fn public_value(index: usize) -> LinComb {
    LinComb::from(Var::Public(index))
}

/// Builds a [`Machine`]'s columns and constraints with readable names.
#[derive(Default)]
pub struct Builder {
    names: Vec<String>,
    small: Vec<bool>,
    constraints: Vec<Constraint>,
}

impl Builder {
    /// A new column holding arbitrary field elements.
    ///
    /// # Panics
    /// If a column of that name exists: names identify columns in diagnostics and tests, so two
    /// columns may never share one (a lowering bug, caught by every test that builds it).
    pub fn field_col(&mut self, name: &str) -> Col {
        self.column(name, false)
    }

    /// A new column holding small integers (< 2^32) on every honest row. Panics as
    /// [`Builder::field_col`] does.
    pub fn small_col(&mut self, name: &str) -> Col {
        self.column(name, true)
    }

    fn column(&mut self, name: &str, small: bool) -> Col {
        assert!(
            !self.names.iter().any(|n| n == name),
            "two columns are named {name:?}"
        );
        self.names.push(name.to_string());
        self.small.push(small);
        self.names.len() - 1
    }

    /// Constrain `a · b = c` on every row.
    pub fn constrain(&mut self, name: &str, a: LinComb, b: LinComb, c: LinComb) {
        self.constraints.push(Constraint {
            name: name.to_string(),
            a,
            b,
            c,
        });
    }

    /// Constraints that hold where `gate` is nonzero: `when(gate).assert_zero(name, e)` is
    /// `gate · e = 0`.
    pub fn when(&mut self, gate: LinComb) -> Gated<'_> {
        Gated { bld: self, gate }
    }

    /// Constrain `expr = 0` on every row (a linear constraint).
    pub fn assert_zero(&mut self, name: &str, expr: LinComb) {
        self.when(one()).assert_zero(name, expr);
    }

    /// Constrain a column to be 0 or 1.
    pub fn boolean(&mut self, name: &str, c: Col) {
        self.constrain(name, cur(c), one() - cur(c), zero());
    }

    /// Column names so far.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Finish: the names, the small-column hints and the R1CS.
    pub fn finish(self) -> (Vec<String>, Vec<bool>, UniformR1cs) {
        let r1cs = UniformR1cs {
            column_names: self.names.clone(),
            constraints: self.constraints,
        };
        (self.names, self.small, r1cs)
    }
}

/// A gate for [`Builder::when`].
pub struct Gated<'a> {
    bld: &'a mut Builder,
    gate: LinComb,
}

impl Gated<'_> {
    /// Constrain `gate · expr = 0`.
    pub fn assert_zero(self, name: &str, expr: LinComb) {
        self.bld.constrain(name, self.gate, expr, zero());
    }
}

/// A column on the current row.
pub fn cur(c: Col) -> LinComb {
    LinComb::from(Var::Cur(c))
}

/// A column on the next row (0 past the last row).
pub fn next(c: Col) -> LinComb {
    LinComb::from(Var::Next(c))
}

/// The constant 0.
pub fn zero() -> LinComb {
    LinComb::zero()
}

/// The constant 1.
pub fn one() -> LinComb {
    LinComb::from(Var::One)
}

/// 1 on the first row only.
pub fn first() -> LinComb {
    LinComb::from(Var::First)
}

/// 1 on the last row only.
pub fn last() -> LinComb {
    LinComb::from(Var::Last)
}

/// `1 − last`: 1 on every row that has a next row.
pub fn not_last() -> LinComb {
    one() - last()
}

/// A machine's complete witness: the per-row columns and the table-side columns.
#[derive(Clone, Debug)]
pub struct Witness {
    /// One vector per column, `2^log_rows` rows each.
    pub columns: Vec<Vec<Fr>>,
    /// Table-side columns, indexed by [`table_cols`]; absent tables are empty vectors.
    pub table_columns: Vec<Vec<Fr>>,
}

/// The tables a machine's lookups use, in a fixed order.
pub fn tables_used(machine: &Machine) -> Vec<TableId> {
    let mut tables: Vec<TableId> = machine.lookups.iter().map(|l| l.table).collect();
    tables.sort_unstable();
    tables.dedup();
    tables
}
