//! Offline memory checking (Blum, Evans, Gemmell, Kannan, Naor 1991), with timestamps as in
//! Spice (Setty, Angel, Gupta, Lee 2018) and Jolt before Twist.
//!
//! Every access on row `t` in slot `s` happens at time `now = S·t + s + 1` and
//! - consumes the tuple `(addr, read_value, read_ts, read_flag)` — the cell as the last write
//!   (or the initial memory, at time 0) left it;
//! - produces `(addr, write_value, now, 1)`.
//!
//! With the initial tuples `(a, init(a), 0, init_flag)` for every address and the final tuples
//! `(a, final(a), final_ts(a), final_flag(a))`, the multisets satisfy
//! `init ∪ writes = reads ∪ final`, and each `read_ts < now` (range-checked through two 16-bit
//! limbs of `now − read_ts − 1`). Since every produced tuple carries a distinct time and can be
//! consumed once, each read consumes exactly the tuple of the latest earlier access to its cell:
//! it returns the value last written. The multiset equality is a LogUp sum proven by GKR.
//! Twist ([`super::twist_memory`]) is the other argument; a lowering builds its machine with
//! this one, and [`Machine::with_memory`](super::Machine::with_memory) swaps it.

use ark_bn254::Fr;
use ark_ff::{One, Zero};

use super::fractions::{CycleFamily, TableExpr, TableFamily};
use super::{
    cur, one, table_cols, tags, zero, Builder, Col, LookupUse, MemSlot, MemoryLayout, TableId,
};
use crate::poly::small_value;
use crate::r1cs::LinComb;

/// `now` of slot `s` as an expression of the cycle column.
fn now_expr(num_slots: usize, s: usize, cycle_col: Col) -> LinComb {
    cur(cycle_col) * Fr::from(num_slots as u64) + Fr::from((s + 1) as u64)
}

fn permission_expr(permission: Option<Col>) -> LinComb {
    permission.map_or(LinComb::from(2), cur)
}

fn flag_expr(flag: Option<Col>) -> LinComb {
    flag.map_or(one(), cur)
}

/// The name of slot `slot`'s timestamp constraint.
fn timestamp_constraint(slot: &MemSlot) -> String {
    format!(
        "memory: {} reads an earlier write (timestamp limbs)",
        slot.name
    )
}

/// The name of the range check of slot `slot`'s `which` (`low`, `high`) timestamp limb.
fn limb_lookup(slot: &MemSlot, which: &str) -> String {
    format!("memory: {} timestamp {which} limb", slot.name)
}

/// The names of the constraints and lookups only this argument needs (the timestamps'), which
/// another argument removes ([`Machine::with_memory`](super::Machine::with_memory)).
pub fn own_names(slots: &[MemSlot]) -> (Vec<String>, Vec<String>) {
    (
        slots.iter().map(timestamp_constraint).collect(),
        slots
            .iter()
            .flat_map(|s| [limb_lookup(s, "low"), limb_lookup(s, "high")])
            .collect(),
    )
}

/// Add the per-row constraints and lookups the argument needs.
pub fn constrain(b: &mut Builder, slots: &[MemSlot], cycle_col: Col) -> Vec<LookupUse> {
    let mut lookups = Vec::new();
    for (s, slot) in slots.iter().enumerate() {
        let (lo, hi) = slot.ts_diff_limbs;
        // active · (now − read_ts − 1 − lo − 2^16·hi) = 0
        let now = now_expr(slots.len(), s, cycle_col);
        b.when(slot.active.clone()).assert_zero(
            &timestamp_constraint(slot),
            now - cur(slot.read_ts) - 1 - cur(lo) - cur(hi) * (1 << 16),
        );
        if let Some(flag) = slot.read_init_flag {
            b.boolean(&format!("memory: {} read flag is boolean", slot.name), flag);
        }
        if let Some(p) = slot.permission {
            // (p − 1)(p − 2) = 0: the cell is accessible (1 read-only, 2 read-write) ...
            b.constrain(
                &format!("memory: {} touches an accessible cell", slot.name),
                cur(p) - 1,
                cur(p) - 2,
                zero(),
            );
            // ... and writable when the access changes it.
            b.when(slot.writes.clone()).assert_zero(
                &format!("memory: {} writes a writable cell", slot.name),
                cur(p) - 2,
            );
        }
        for (limb, which) in [(lo, "low"), (hi, "high")] {
            lookups.push(LookupUse {
                name: limb_lookup(slot, which),
                table: TableId::Range16,
                active: slot.active.clone(),
                tuple: vec![cur(limb)],
            });
        }
    }
    lookups
}

/// The fractions contributed on every row (with a permission component when
/// `permissions` is set).
pub fn cycle_families(slots: &[MemSlot], cycle_col: Col, permissions: bool) -> Vec<CycleFamily> {
    let tag = LinComb::from(Fr::from(tags::MEMORY));
    let mut families = Vec::new();
    for (s, slot) in slots.iter().enumerate() {
        families.push(CycleFamily {
            name: format!("memory read: {}", slot.name),
            numerator: -slot.active.clone(),
            tuple: vec![
                tag.clone(),
                slot.addr.clone(),
                cur(slot.read_value),
                cur(slot.read_ts),
                flag_expr(slot.read_init_flag),
            ]
            .into_iter()
            .chain(permissions.then(|| permission_expr(slot.permission)))
            .collect(),
        });
        families.push(CycleFamily {
            name: format!("memory write: {}", slot.name),
            numerator: slot.active.clone(),
            tuple: vec![
                tag.clone(),
                slot.addr.clone(),
                cur(slot.write_value),
                now_expr(slots.len(), s, cycle_col),
                one(),
            ]
            .into_iter()
            .chain(permissions.then(|| permission_expr(slot.permission)))
            .collect(),
        });
    }
    families
}

/// The fractions contributed by the initial and final memory.
pub fn table_families(layout: &MemoryLayout) -> Vec<TableFamily> {
    let tag = TableExpr::Const(Fr::from(tags::MEMORY));
    let mut init: Vec<Fr> = Vec::new();
    for (a, v) in &layout.init {
        let a = *a as usize;
        if init.len() <= a {
            init.resize(a + 1, Fr::zero());
        }
        init[a] = *v;
    }
    let perms = layout.permissions.clone().map(TableExpr::Ranges);
    // A later shard's initial memory is the one the shard before left: committed, and joined
    // to that shard's final memory by their commitments ([`crate::shards`]).
    let (init_value, init_flag) = if layout.committed_init {
        (
            TableExpr::Committed(table_cols::MEM_INIT_VALUE),
            TableExpr::Committed(table_cols::MEM_INIT_FLAG),
        )
    } else {
        (TableExpr::Public(init), TableExpr::Const(layout.init_flag))
    };
    vec![
        TableFamily {
            name: "memory: initial".into(),
            log_size: layout.log_size,
            sign: Fr::one(),
            numerator: TableExpr::Const(Fr::one()),
            tuple: vec![
                tag.clone(),
                TableExpr::Index,
                init_value,
                TableExpr::Const(Fr::zero()),
                init_flag,
            ]
            .into_iter()
            .chain(perms.clone())
            .collect(),
        },
        TableFamily {
            name: "memory: final".into(),
            log_size: layout.log_size,
            sign: -Fr::one(),
            numerator: TableExpr::Const(Fr::one()),
            tuple: vec![
                tag,
                TableExpr::Index,
                TableExpr::Committed(table_cols::MEM_FINAL_VALUE),
                TableExpr::Committed(table_cols::MEM_FINAL_TS),
                TableExpr::Committed(table_cols::MEM_FINAL_FLAG),
            ]
            .into_iter()
            .chain(perms)
            .collect(),
        },
    ]
}
/// The memory's content at one moment: each cell's value and "initialised" flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryState {
    /// Each cell's value.
    pub value: Vec<Fr>,
    /// Each cell's flag.
    pub flag: Vec<Fr>,
}

impl MemoryState {
    /// The initial memory of `layout`'s run (its public part; a committed initial memory is
    /// some earlier shard's final one).
    pub fn initial(layout: &MemoryLayout) -> Self {
        let size = 1usize << layout.log_size;
        let mut value = vec![Fr::zero(); size];
        for (a, v) in &layout.init {
            value[*a as usize] = *v;
        }
        MemoryState {
            value,
            flag: vec![layout.init_flag; size],
        }
    }
}

/// The prover's side: fill the timestamp columns of every slot and compute the final memory.
///
/// Row `t` is cycle `first_cycle + t` (a shard's rows are part of a longer run), and the memory
/// starts as `start`, with every timestamp 0. `columns` must already hold each slot's
/// `active`, address, read and write values. Returns the final memory and each cell's last
/// write's timestamp, or the first row whose access is out of the layout's address range or
/// reads a value other than the cell holds.
pub fn fill_memory(
    slots: &[MemSlot],
    columns: &mut [Vec<Fr>],
    layout: &MemoryLayout,
    start: MemoryState,
    first_cycle: u64,
) -> Result<(MemoryState, Vec<Fr>), MemoryFillError> {
    let size = 1usize << layout.log_size;
    let MemoryState {
        mut value,
        mut flag,
    } = start;
    assert_eq!(value.len(), size, "a memory state of the layout's size");
    let mut ts = vec![0u64; size];
    let permission = |a: u64| -> u64 {
        layout.permissions.as_ref().map_or(2, |ranges| {
            ranges
                .iter()
                .find(|(start, end, _)| (*start..*end).contains(&a))
                .map_or(0, |r| r.2)
        })
    };
    let rows = columns.first().map_or(0, |c| c.len());
    let num_slots = slots.len() as u64;
    for t in 0..rows {
        for (s, slot) in slots.iter().enumerate() {
            if slot.active.eval_row(columns, t).is_zero() {
                if let Some(p) = slot.permission {
                    columns[p][t] = Fr::from(2u64);
                }
                continue;
            }
            let addr = slot.addr.eval_row(columns, t);
            let a = small_value(addr).filter(|a| (*a as usize) < size).ok_or(
                MemoryFillError::AddressOutOfRange {
                    row: t,
                    slot: slot.name.clone(),
                },
            )? as usize;
            if columns[slot.read_value][t] != value[a] {
                return Err(MemoryFillError::StaleRead {
                    row: t,
                    slot: slot.name.clone(),
                    addr: a,
                });
            }
            let now = num_slots * (first_cycle + t as u64) + s as u64 + 1;
            let diff = now - ts[a] - 1;
            let perm = permission(a as u64);
            let writes = !slot.writes.eval_row(columns, t).is_zero();
            if perm == 0 || (writes && perm != 2) {
                return Err(MemoryFillError::Forbidden {
                    row: t,
                    slot: slot.name.clone(),
                    addr: a,
                });
            }
            if let Some(p) = slot.permission {
                columns[p][t] = Fr::from(perm);
            }
            columns[slot.read_ts][t] = Fr::from(ts[a]);
            columns[slot.ts_diff_limbs.0][t] = Fr::from(diff & 0xffff);
            columns[slot.ts_diff_limbs.1][t] = Fr::from(diff >> 16);
            if let Some(f) = slot.read_init_flag {
                columns[f][t] = flag[a];
            }
            value[a] = columns[slot.write_value][t];
            ts[a] = now;
            flag[a] = Fr::one();
        }
    }
    Ok((
        MemoryState { value, flag },
        ts.into_iter().map(Fr::from).collect(),
    ))
}

/// Why the memory columns could not be filled (a lowering bug or an unprovable run).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MemoryFillError {
    /// An address beyond the memory table.
    #[error("row {row}: slot {slot} accesses an address outside the memory table")]
    AddressOutOfRange {
        /// The row.
        row: usize,
        /// The slot.
        slot: String,
    },
    /// An access to a cell outside the program's memory, or a write to a read-only cell.
    #[error("row {row}: slot {slot} may not access address {addr} this way (memory permissions)")]
    Forbidden {
        /// The row.
        row: usize,
        /// The slot.
        slot: String,
        /// The address.
        addr: usize,
    },
    /// A read that does not return the cell's current value.
    #[error("row {row}: slot {slot} reads a value that address {addr} does not hold")]
    StaleRead {
        /// The row.
        row: usize,
        /// The slot.
        slot: String,
        /// The address.
        addr: usize,
    },
}
