//! A machine's read-write memory checked by Twist over address bits
//! ([`zkvm_core::twist::bits`]) instead of offline memory checking ([`super::offline_memory`]):
//! `zkvm prove --memory-checking twist`.
//!
//! **Accesses.** The slots of a row are interleaved into one run of accesses in time order:
//! access `j = row · S' + s` is slot `s` of `row` (`S'` the number of slots rounded up to a power
//! of two; the extra slots are inactive), so a claim about the run at `(r_row, r_slot)` is
//! `Σ_s eq(r_slot, s) · (slot s's expression)(r_row)`, a combination of the columns' values at
//! `r_row`. Every slot commits boolean columns, the bits of its address — `log K` of them, or
//! fewer for a slot whose ISA keeps its addresses smaller ([`MemSlot::address_bits`]: RV32IM's
//! register slots, 5) — constrained in the R1CS: each bit is boolean, `active` is boolean, and
//! on active rows the address is the bits' value (which keeps it below `K`, or `2^bits`). The offline argument's timestamp columns and their
//! range checks are gone: those columns are zero, never committed, and every claim about them
//! must be 0.
//!
//! **Cell contents.** A cell holds a value, the "initialised" flag and a permission, combined with
//! a challenge `μ` drawn after every commitment: `value + μ · flag + μ² · permission` (the last
//! term only with permissions). An access reads `read_value + μ · read_flag + μ² · permission` and
//! leaves `write_value + μ + μ² · permission`: it sets the flag, keeps the permission, and a
//! mismatch in any part is a wrong read. The initial memory is
//! `init(k) + μ · init_flag + μ² · permission(k)`, which the verifier evaluates from public data.
//! So zasm's reads of never-written cells and RV32IM's permissions mean what they mean under
//! offline checking; the R1CS's permission constraints are shared by both arguments.

use std::fmt;
use std::str::FromStr;

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use rayon::prelude::*;

use super::fractions::{below_mle, table_values, TableExpr};
use super::logup::{multiplicities, multiplicity_column};
use super::{
    cur, offline_memory, tables_used, Col, Machine, MemSlot, MemoryLayout, TableId, Witness,
};
use crate::poly::{eq_table, inner_product, small_value, DenseMle};
use crate::r1cs::{Constraint, LinComb, Var};
use zkvm_core::transcript::Transcript;
use zkvm_core::twist::bits::{self, AccessOpenings, Accesses, TwistBitsProof, ValuesAt};
use zkvm_core::twist::TwistError;

/// How a machine's read-write memory is checked. The proof records it; the verifier reads it
/// from there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum MemoryArgument {
    /// Offline memory checking: timestamps, range checks and a LogUp multiset equality.
    #[default]
    Offline,
    /// Twist over the bits of each access's address.
    Twist,
}

impl MemoryArgument {
    /// Both arguments, in the order `zkvm compare` shows them.
    pub const ALL: [MemoryArgument; 2] = [MemoryArgument::Offline, MemoryArgument::Twist];

    /// The name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            MemoryArgument::Offline => "offline",
            MemoryArgument::Twist => "twist",
        }
    }
}

impl fmt::Display for MemoryArgument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for MemoryArgument {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                format!("unknown memory-checking argument `{s}` (expected `offline` or `twist`)")
            })
    }
}

/// Where a Twist-memory machine keeps its memory's columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwistMemory {
    /// Per slot, the committed bits of its address, most significant first: the low
    /// [`Machine::address_width`] bits of the memory's `log K` (the others are zero).
    pub bits: Vec<Vec<Col>>,
    /// The offline argument's timestamp columns: zero, never committed.
    pub unused: Vec<Col>,
}

impl TwistMemory {
    /// `log2` of the slots rounded up to a power of two.
    pub fn slot_vars(&self) -> usize {
        self.bits.len().next_power_of_two().trailing_zeros() as usize
    }
}

fn reads_column(e: &LinComb, cols: &[Col]) -> bool {
    e.vars()
        .any(|v| matches!(v, Var::Cur(c) | Var::Next(c) if cols.contains(&c)))
}

impl Machine {
    /// The memory-checking argument this machine is built for.
    pub fn memory_argument(&self) -> MemoryArgument {
        match self.twist_memory {
            Some(_) => MemoryArgument::Twist,
            None => MemoryArgument::Offline,
        }
    }

    /// This machine with its memory checked by `argument`. A lowering's machine checks it
    /// offline; for Twist the timestamp constraints and range checks are removed, the timestamp
    /// columns left unused, and each slot's address bits appended with their constraints.
    pub fn with_memory(mut self, argument: MemoryArgument) -> Result<Machine, String> {
        if argument == self.memory_argument() {
            return Ok(self);
        }
        if argument == MemoryArgument::Offline {
            return Err("a Twist-memory machine cannot go back to offline checking".into());
        }
        let (constraints, lookups) = offline_memory::own_names(&self.slots);
        let before = (self.r1cs.constraints.len(), self.lookups.len());
        self.r1cs
            .constraints
            .retain(|c| !constraints.contains(&c.name));
        self.lookups.retain(|l| !lookups.contains(&l.name));
        if before.0 - self.r1cs.constraints.len() != constraints.len()
            || before.1 - self.lookups.len() != lookups.len()
        {
            return Err("the machine's offline memory checking is not the usual one".into());
        }
        let unused: Vec<Col> = self
            .slots
            .iter()
            .flat_map(|s| [s.read_ts, s.ts_diff_limbs.0, s.ts_diff_limbs.1])
            .collect();
        let still_read = self
            .r1cs
            .constraints
            .iter()
            .flat_map(|c| [&c.a, &c.b, &c.c])
            .chain(
                self.lookups
                    .iter()
                    .flat_map(|l| l.tuple.iter().chain([&l.active])),
            )
            .chain(
                self.outputs
                    .iter()
                    .flat_map(|o| [&o.active, &o.index, &o.value]),
            )
            .chain(
                self.slots
                    .iter()
                    .flat_map(|s| [&s.active, &s.addr, &s.writes]),
            )
            .any(|e| reads_column(e, &unused))
            || self.slots.iter().any(|s| {
                [
                    Some(s.read_value),
                    Some(s.write_value),
                    s.read_init_flag,
                    s.permission,
                ]
                .into_iter()
                .flatten()
                .any(|c| unused.contains(&c))
            });
        if still_read {
            return Err("a timestamp column is read by more than offline memory checking".into());
        }
        let mut bits = Vec::new();
        for slot in self.slots.clone() {
            let cols: Vec<Col> = (0..self.address_width(&slot))
                .map(|i| self.append_small_column(&format!("{}_addr_bit_{i}", slot.name)))
                .collect();
            self.constrain_address(&slot, &cols);
            bits.push(cols);
        }
        self.twist_memory = Some(TwistMemory { bits, unused });
        Ok(self)
    }

    /// How many address bits `slot` commits under Twist: its own width, at most the memory's.
    pub fn address_width(&self, slot: &MemSlot) -> usize {
        slot.address_bits
            .unwrap_or(self.memory.log_size)
            .min(self.memory.log_size)
    }

    /// A slot's Twist constraints: `active` and the bits boolean, and on active rows the
    /// address spelled by the bits (the least significant bits of the memory's width, the others
    /// zero).
    fn constrain_address(&mut self, slot: &MemSlot, bits: &[Col]) {
        let one = LinComb::from(Var::One);
        let mut push = |name: String, a: LinComb, b: LinComb| {
            self.r1cs.constraints.push(Constraint {
                name,
                a,
                b,
                c: LinComb::zero(),
            });
        };
        let name = &slot.name;
        push(
            format!("memory (twist): {name} is active or not"),
            slot.active.clone(),
            one.clone() - slot.active.clone(),
        );
        for (i, b) in bits.iter().enumerate() {
            push(
                format!("memory (twist): {name} address bit {i} is boolean"),
                cur(*b),
                one.clone() - cur(*b),
            );
        }
        let spelled = bits
            .iter()
            .fold(LinComb::zero(), |acc, b| acc * Fr::from(2u64) + cur(*b));
        push(
            format!("memory (twist): {name} address is its bits"),
            slot.active.clone(),
            slot.addr.clone() - spelled,
        );
    }
}

/// Completes a witness built for the lowering's machine: zeroes the timestamp columns, appends
/// every slot's address bits (0 on inactive rows) and recounts the 16-bit range checks without
/// the timestamps'.
pub fn extend_witness(machine: &Machine, witness: &mut Witness) -> Result<(), String> {
    let Some(twist) = &machine.twist_memory else {
        return Ok(());
    };
    let rows = witness.columns.first().map_or(0, |c| c.len());
    for c in &twist.unused {
        witness.columns[*c] = vec![Fr::zero(); rows];
    }
    for (slot, cols) in machine.slots.iter().zip(&twist.bits) {
        let width = cols.len();
        let columns = &witness.columns;
        let addresses: Vec<u64> = (0..rows)
            .into_par_iter()
            .map(|t| {
                if slot.active.eval_row(columns, t).is_zero() {
                    return Ok(0);
                }
                let addr = slot.addr.eval_row(columns, t);
                small_value(addr)
                    .filter(|a| *a < 1 << width)
                    .ok_or_else(|| {
                        format!(
                            "row {t}: slot {} accesses {addr}, beyond its {width} address bits",
                            slot.name
                        )
                    })
            })
            .collect::<Result<_, String>>()?;
        for (i, col) in cols.iter().enumerate() {
            debug_assert_eq!(witness.columns.len(), *col);
            let shift = width - 1 - i;
            witness.columns.push(
                addresses
                    .par_iter()
                    .map(|a| Fr::from((a >> shift) & 1))
                    .collect(),
            );
        }
    }
    // With split tables the range checks became 8-bit ones, which the split recounts.
    if tables_used(machine).contains(&TableId::Range16) {
        witness.table_columns[multiplicity_column(TableId::Range16)] = multiplicities(
            TableId::Range16,
            &machine.lookups,
            &witness.columns,
            &machine.bytecode,
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The Twist part of a proof: its proof, and the values at `r_row` of the columns the accesses
/// read (at read checking's and Val evaluation's points) and of the address bits (at the bits'
/// point).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwistMemoryProof {
    /// Twist over the interleaved accesses.
    pub twist: TwistBitsProof,
    /// [`access_columns`] at read checking's point.
    pub read_evals: Vec<Fr>,
    /// [`access_columns`] at Val evaluation's point.
    pub val_evals: Vec<Fr>,
    /// Every slot's bits at the bits' point, slot by slot.
    pub bit_evals: Vec<Fr>,
}

zkvm_core::impl_serialization!(TwistMemoryProof {
    twist: one,
    read_evals: vec,
    val_evals: vec,
    bit_evals: vec,
});

/// Claims about columns at one row point: `(point, columns, values)`.
pub type ColumnClaims = (Vec<Fr>, Vec<Col>, Vec<Fr>);

/// The columns the slots' active flags and values read, in increasing order.
pub fn access_columns(machine: &Machine) -> Vec<Col> {
    let mut cols: Vec<Col> = machine
        .slots
        .iter()
        .flat_map(|s| {
            let expressions = s.active.vars().filter_map(|v| match v {
                Var::Cur(c) => Some(c),
                _ => None,
            });
            expressions
                .chain([s.read_value, s.write_value])
                .chain(s.read_init_flag)
                .chain(s.permission)
                .collect::<Vec<_>>()
        })
        .collect();
    cols.sort_unstable();
    cols.dedup();
    cols
}

/// The cell-content challenge's powers: `(μ, μ²)`, `μ²` only with permissions.
fn mu_powers(layout: &MemoryLayout, mu: Fr) -> (Fr, Fr) {
    let mu2 = if layout.permissions.is_some() {
        mu * mu
    } else {
        Fr::zero()
    };
    (mu, mu2)
}

/// A slot's `(active, read, write)` as the cell contents Twist sees, from a row's column values
/// (`value(col)`).
fn slot_values(slot: &MemSlot, mu: (Fr, Fr), value: &dyn Fn(&LinComb) -> Fr) -> ValuesAt {
    let col = |c: Col| value(&cur(c));
    let flag = slot.read_init_flag.map_or(Fr::one(), col);
    let permission = slot.permission.map_or(Fr::from(2u64), col);
    ValuesAt {
        active: value(&slot.active),
        read: col(slot.read_value) + mu.0 * flag + mu.1 * permission,
        write: col(slot.write_value) + mu.0 + mu.1 * permission,
    }
}

/// The initial cell contents, all `K` of them (prover side).
fn initial_contents(layout: &MemoryLayout, mu: (Fr, Fr)) -> Vec<Fr> {
    let size = 1usize << layout.log_size;
    let mut cells = vec![mu.0 * layout.init_flag; size];
    for (a, v) in &layout.init {
        cells[*a as usize] += v;
    }
    if let Some(ranges) = &layout.permissions {
        let perms = table_values(&TableExpr::Ranges(ranges.clone()), layout.log_size, &[]);
        cells
            .par_iter_mut()
            .zip(perms)
            .for_each(|(c, p)| *c += mu.1 * p);
    }
    cells
}

/// The initial cell contents' extension at `r_k` (verifier side), from the public layout.
fn initial_contents_at(layout: &MemoryLayout, mu: (Fr, Fr), r_k: &[Fr]) -> Fr {
    let values: Fr = layout
        .init
        .iter()
        .map(|(a, v)| *v * point_eq(*a, r_k))
        .sum();
    let perms: Fr = layout
        .permissions
        .iter()
        .flatten()
        .map(|&(start, end, p)| Fr::from(p) * (below_mle(end, r_k) - below_mle(start, r_k)))
        .sum();
    values + mu.0 * layout.init_flag + mu.1 * perms
}

/// `eq(r, a)` for the big-endian bits of `a`.
fn point_eq(a: u64, r: &[Fr]) -> Fr {
    let n = r.len();
    r.iter()
        .enumerate()
        .map(|(i, r_i)| {
            if (a >> (n - 1 - i)) & 1 == 1 {
                *r_i
            } else {
                Fr::one() - r_i
            }
        })
        .product()
}

/// Proves the machine's memory with Twist (after every commitment): returns the proof part and
/// the claims about columns it leaves for the opening.
pub fn prove(
    machine: &Machine,
    columns: &[DenseMle],
    log_rows: usize,
    transcript: &mut Transcript,
) -> Result<(TwistMemoryProof, Vec<ColumnClaims>), String> {
    let twist = machine
        .twist_memory
        .as_ref()
        .ok_or("not a Twist-memory machine")?;
    let mu = mu_powers(&machine.memory, transcript.challenge());
    let slots = 1usize << twist.slot_vars();
    let rows = 1usize << log_rows;
    let evals: Vec<&[Fr]> = columns.iter().map(|c| c.evals()).collect();
    let accesses: Vec<(ValuesAt, u32)> = (0..rows * slots)
        .into_par_iter()
        .map(|j| {
            let (t, s) = (j / slots, j % slots);
            let (Some(slot), Some(bits)) = (machine.slots.get(s), twist.bits.get(s)) else {
                let none = ValuesAt {
                    active: Fr::zero(),
                    read: Fr::zero(),
                    write: Fr::zero(),
                };
                return (none, 0);
            };
            let values = slot_values(slot, mu, &|e| e.eval_row(&evals, t));
            // A forged bit that is not boolean is rounded: the R1CS rejects the proof anyway.
            let address = bits
                .iter()
                .fold(0u32, |a, b| 2 * a + u32::from(!evals[*b][t].is_zero()));
            (values, address)
        })
        .collect();
    let active: Vec<Fr> = accesses.par_iter().map(|(v, _)| v.active).collect();
    let reads: Vec<Fr> = accesses.par_iter().map(|(v, _)| v.read).collect();
    let writes: Vec<Fr> = accesses.par_iter().map(|(v, _)| v.write).collect();
    let addresses: Vec<u32> = accesses.par_iter().map(|(_, a)| *a).collect();
    drop(accesses);
    let init = initial_contents(&machine.memory, mu);
    let (proof, openings) = bits::prove(
        &init,
        Accesses {
            active: &active,
            addresses: &addresses,
            reads: &reads,
            writes: &writes,
        },
        transcript,
    )
    .map_err(|e: TwistError| e.to_string())?;
    // One eq table per point, shared by its columns.
    let at = |point: &[Fr], cols: &[Col]| -> Vec<Fr> {
        let eq_row = eq_table(&point[..log_rows]);
        cols.par_iter()
            .map(|c| inner_product(columns[*c].evals(), &eq_row))
            .collect()
    };
    let access_cols = access_columns(machine);
    let bit_cols: Vec<Col> = twist.bits.concat();
    let read_evals = at(&openings.read.0, &access_cols);
    let val_evals = at(&openings.val.0, &access_cols);
    let bit_evals = at(&openings.bits.0, &bit_cols);
    for evals in [&read_evals, &val_evals, &bit_evals] {
        transcript.absorb_fields(labels::COLUMN_EVALS, evals);
    }
    let claims = column_claims(
        &openings,
        log_rows,
        access_cols,
        bit_cols,
        [read_evals.clone(), val_evals.clone(), bit_evals.clone()],
    );
    Ok((
        TwistMemoryProof {
            twist: proof,
            read_evals,
            val_evals,
            bit_evals,
        },
        claims,
    ))
}

fn column_claims(
    openings: &AccessOpenings,
    log_rows: usize,
    access_cols: Vec<Col>,
    bit_cols: Vec<Col>,
    [read, val, bits]: [Vec<Fr>; 3],
) -> Vec<ColumnClaims> {
    let row = |p: &[Fr]| p[..log_rows].to_vec();
    vec![
        (row(&openings.read.0), access_cols.clone(), read),
        (row(&openings.val.0), access_cols, val),
        (row(&openings.bits.0), bit_cols, bits),
    ]
}

/// Transcript labels of the Twist memory argument.
pub mod labels {
    /// The columns' values at Twist's points.
    pub const COLUMN_EVALS: &[u8] = b"twist-memory-column-evals";
}

/// Verifies the Twist part of a proof; returns the claims about columns it leaves for the
/// opening.
pub fn verify(
    machine: &Machine,
    proof: &TwistMemoryProof,
    log_rows: usize,
    transcript: &mut Transcript,
) -> Result<Vec<ColumnClaims>, String> {
    let twist = machine
        .twist_memory
        .as_ref()
        .ok_or("not a Twist-memory machine")?;
    let mu = mu_powers(&machine.memory, transcript.challenge());
    let slot_vars = twist.slot_vars();
    let openings = bits::verify(
        machine.memory.log_size,
        log_rows + slot_vars,
        |r_k| initial_contents_at(&machine.memory, mu, r_k),
        &proof.twist,
        transcript,
    )
    .map_err(|e: TwistError| e.to_string())?;
    let access_cols = access_columns(machine);
    let bit_cols: Vec<Col> = twist.bits.concat();
    if proof.read_evals.len() != access_cols.len()
        || proof.val_evals.len() != access_cols.len()
        || proof.bit_evals.len() != bit_cols.len()
    {
        return Err("wrong number of column values at Twist's points".into());
    }
    for evals in [&proof.read_evals, &proof.val_evals, &proof.bit_evals] {
        transcript.absorb_fields(labels::COLUMN_EVALS, evals);
    }
    // The interleaved run's values from the slots' columns: Σ_s eq(r_slot, s) · slot s's.
    let n = machine.column_names.len();
    let full = |cols: &[Col], values: &[Fr]| {
        let mut all = vec![Fr::zero(); n];
        cols.iter().zip(values).for_each(|(c, v)| all[*c] = *v);
        all
    };
    let interleaved = |point: &[Fr], evals: &[Fr]| -> ValuesAt {
        let all = full(&access_cols, evals);
        let r_slot = &point[log_rows..];
        machine.slots.iter().enumerate().fold(
            ValuesAt {
                active: Fr::zero(),
                read: Fr::zero(),
                write: Fr::zero(),
            },
            |acc, (s, slot)| {
                let w = point_eq(s as u64, r_slot);
                let v = slot_values(slot, mu, &|e| e.eval_at(&all));
                ValuesAt {
                    active: acc.active + w * v.active,
                    read: acc.read + w * v.read,
                    write: acc.write + w * v.write,
                }
            },
        )
    };
    let read = interleaved(&openings.read.0, &proof.read_evals);
    let (read_claim, val_claim) = (openings.read.1, openings.val.1);
    if read.active != read_claim.active || read.read != read_claim.read {
        return Err("the values read at read checking's point are not the columns'".into());
    }
    if interleaved(&openings.val.0, &proof.val_evals) != val_claim {
        return Err("the accesses at Val evaluation's point are not the columns'".into());
    }
    let r_slot = &openings.bits.0[log_rows..];
    let all = full(&bit_cols, &proof.bit_evals);
    let log_k = machine.memory.log_size;
    for (i, claimed) in openings.bits.1.iter().enumerate() {
        // Bit i of a slot with fewer bits than the memory is its column's, or zero above them.
        let value: Fr = twist
            .bits
            .iter()
            .enumerate()
            .filter_map(|(s, cols)| {
                let col = cols.get((i + cols.len()).checked_sub(log_k)?)?;
                Some(point_eq(s as u64, r_slot) * all[*col])
            })
            .sum();
        if value != *claimed {
            return Err(format!(
                "address bit {i} at the bits' point is not the columns'"
            ));
        }
    }
    Ok(column_claims(
        &openings,
        log_rows,
        access_cols,
        bit_cols,
        [
            proof.read_evals.clone(),
            proof.val_evals.clone(),
            proof.bit_evals.clone(),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::{one, zero, Builder, OutputLane, ProgramDigest, PublicValues};
    use crate::proof::{self, ProofError};

    /// A machine of one slot whose `active` is a free column, over 4 cells, and a witness in
    /// which row 0 is active twice over: it reads 0 from cell 0 and writes 5, and row 1 reads 10
    /// from cell 0 — no memory holds 10, but the doubled increment `2 · (5 − 0)` puts it there.
    fn doubled_access() -> (Machine, Witness) {
        let mut b = Builder::default();
        let cycle = b.small_col("cycle");
        let [act, addr, read, write, ts, lo, hi] =
            ["act", "addr", "read", "write", "read_ts", "ts_lo", "ts_hi"].map(|n| b.small_col(n));
        let slots = vec![MemSlot {
            name: "m".into(),
            active: cur(act),
            addr: cur(addr),
            read_value: read,
            write_value: write,
            read_ts: ts,
            read_init_flag: None,
            ts_diff_limbs: (lo, hi),
            permission: None,
            writes: zero(),
            address_bits: None,
        }];
        let lookups = offline_memory::constrain(&mut b, &slots, cycle);
        let (column_names, small_columns, r1cs) = b.finish();
        let machine = Machine {
            isa: "test".into(),
            program_digest: ProgramDigest::new("test", 0, &[], &[], None),
            column_names,
            small_columns,
            r1cs,
            slots,
            cycle_col: cycle,
            lookups,
            bytecode: Vec::new(),
            memory: MemoryLayout {
                log_size: 2,
                init: Vec::new(),
                init_flag: Fr::one(),
                permissions: None,
                committed_init: false,
            },
            // A lane that never outputs, so that the GKR has a fraction to sum.
            outputs: vec![OutputLane {
                active: zero(),
                index: zero(),
                value: one(),
            }],
            uses_bitwise: false,
            shout_fetch: None,
            split_tables: None,
            twist_memory: None,
        }
        .with_memory(MemoryArgument::Twist)
        .expect("one slot checked offline");
        let mut columns = vec![vec![Fr::zero(); 4]; machine.column_names.len()];
        columns[cycle] = (0..4u64).map(Fr::from).collect();
        columns[act] = [2u64, 1, 0, 0].map(Fr::from).to_vec();
        columns[read] = [0u64, 10, 0, 0].map(Fr::from).to_vec();
        columns[write] = [5u64, 10, 0, 0].map(Fr::from).to_vec();
        let witness = Witness {
            columns,
            table_columns: vec![Vec::new(); super::super::table_cols::COUNT],
        };
        (machine, witness)
    }

    fn prove_and_verify(machine: &Machine, witness: Witness) -> Result<(), ProofError> {
        let setup = crate::pipeline::setup_for(machine, 2).expect("setup");
        let public = PublicValues::default();
        let (proof, _) = proof::prove(machine, &public, witness, &setup).expect("the prover runs");
        proof::verify(machine, &proof, &setup)
    }

    #[test]
    fn register_slots_commit_five_address_bits() {
        let program = zkvm_riscv::Program::from_instructions(0x1000, &[], None);
        let machine = crate::lower::riscv::machine(&program, 10)
            .with_memory(MemoryArgument::Twist)
            .expect("an offline machine");
        let twist = machine.twist_memory.as_ref().expect("Twist");
        let names: Vec<&str> = machine.slots.iter().map(|s| s.name.as_str()).collect();
        let widths: Vec<usize> = twist.bits.iter().map(Vec::len).collect();
        assert_eq!(
            (names, widths),
            (vec!["rs1", "rs2", "ram", "rd"], vec![5, 5, 10, 5])
        );
        // Twelve timestamp columns fewer, thirty bits more.
        assert_eq!(twist.unused.len(), 12);
    }

    #[test]
    fn an_access_active_twice_over_is_rejected() {
        let (machine, witness) = doubled_access();
        let name = "memory (twist): m is active or not";
        assert!(matches!(
            prove_and_verify(&machine, witness.clone()),
            Err(ProofError::Rejected {
                stage: "spartan",
                ..
            })
        ));
        // Without that constraint the forgery is accepted: Twist itself takes `active` as given.
        let mut weakened = machine;
        weakened.r1cs.constraints.retain(|c| c.name != name);
        prove_and_verify(&weakened, witness).expect("Twist alone accepts a doubled increment");
    }
}
