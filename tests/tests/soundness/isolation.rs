//! A forgery for every constraint and lookup: for each one, search the honest witness of a
//! program that exercises the whole ISA for a small change after which that constraint or
//! lookup is the *only* check that fails — memory patched, every other constraint and lookup
//! satisfied, every multiset but the lookup's balanced — and prove it: the verifier must reject.
//! So deleting that one constraint or lookup would let the forgery through, and this test would
//! fail: each found name is pinned as a killed mutant is.
//!
//! A change is one cell moved (by ±1, 2^16, 2^32 or 2^-16), or a limb pair moved with its sum
//! kept; the other constraints it breaks are then repaired, up to three cells deep, through
//! cells in which they are affine (the cells read by the fewest constraints first). A target
//! that reads a memory slot's timestamp limbs pins that slot's access on the changed row, so
//! its limbs may move while memory stays as the honest run left it.
//!
//! The names the search cannot isolate (their forgeries need coordinated changes over several
//! rows; the hand-made tests of this suite build some of those) are listed in
//! `not_yet_pinned.rs`, with the ones no test pins at all; see `coverage.rs`.

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use zkvm_prover::machine::balance::{unbalanced_multisets, Multiset};
use zkvm_prover::machine::{LookupUse, Machine};
use zkvm_prover::r1cs::{Constraint, LinComb, UniformR1cs, Var};

use super::forge::{lookup_hits, missed_lookups, Forge};

/// Value of `lc` on `row` of `f`'s columns, with `f`'s public values.
fn eval(lc: &LinComb, f: &Forge, row: usize) -> Fr {
    lc.evaluate(|v| match v {
        Var::Public(i) => f.public.scalars()[i],
        v => UniformR1cs::value(&f.cols, v, row),
    })
}

fn holds(c: &Constraint, f: &Forge, row: usize) -> bool {
    eval(&c.a, f, row) * eval(&c.b, f, row) == eval(&c.c, f, row)
}

fn columns_of(c: &Constraint) -> impl Iterator<Item = (usize, bool)> + '_ {
    c.a.terms
        .iter()
        .chain(&c.b.terms)
        .chain(&c.c.terms)
        .filter_map(|(v, _)| match v {
            Var::Cur(j) => Some((*j, false)),
            Var::Next(j) => Some((*j, true)),
            _ => None,
        })
}

/// Columns the forger's memory patching rewrites (changing them would be undone).
fn memory_managed(m: &Machine) -> Vec<usize> {
    let mut cols = Vec::new();
    for s in &m.slots {
        cols.extend([
            s.read_value,
            s.read_ts,
            s.ts_diff_limbs.0,
            s.ts_diff_limbs.1,
        ]);
        cols.extend(s.read_init_flag);
        cols.extend(s.permission);
    }
    cols
}

/// The changes tried on one row: one column moved by a small delta, or a limb pair whose sum
/// is kept.
fn changes(cols: &[usize]) -> Vec<Vec<(usize, Fr)>> {
    let two16 = Fr::from(1u64 << 16);
    let inv16 = ark_ff::Field::inverse(&two16).expect("nonzero");
    // Small moves, a move out of a 16- or 32-bit range, and 2^-16, which a repaired partner
    // limb turns into +1 (so a high limb leaves its range while the low one stays in it).
    let deltas = [Fr::one(), -Fr::one(), two16, Fr::from(1u64 << 32), -inv16];
    let mut out: Vec<Vec<(usize, Fr)>> = Vec::new();
    for &c in cols {
        out.extend(deltas.iter().map(|d| vec![(c, *d)]));
    }
    // Limb pairs `lo + 2^16·hi`, the sum kept: move 2^16 from the high limb into the low one
    // (the low limb leaves its range), or add 1 to the low limb and take 1/2^16 from the high
    // one (the high limb leaves its range, the low one stays in it).
    for &lo in cols {
        for &hi in cols {
            if lo != hi {
                out.push(vec![(lo, two16), (hi, -Fr::one())]);
                out.push(vec![(lo, Fr::one()), (hi, -inv16)]);
            }
        }
    }
    out
}

/// What a search looks for.
enum Target<'a> {
    Constraint(&'a Constraint),
    Lookup(&'a LookupUse),
}

/// Search for a change after which exactly `target` fails; prove it and return the rejecting
/// stage (`None` if no isolating change was found).
fn isolate(honest: &Forge, target: &Target, index: &ColumnIndex) -> Option<String> {
    let m = &honest.machine;
    let managed = &index.managed;
    // The cells a change may touch: (column, row offset from the target's row).
    let cells: Vec<(usize, bool)> = match target {
        Target::Constraint(c) => columns_of(c).collect(),
        Target::Lookup(u) => u
            .tuple
            .iter()
            .chain(std::iter::once(&u.active))
            .flat_map(|e| e.cur_columns().map(|c| (c, false)))
            .collect(),
    };
    let rows = honest.rows();
    let mut f = honest.clone();
    // A target reading a slot's timestamp limbs: the search pins that slot's access on the row
    // it changes (memory stays as the honest run left it) and may move the limbs.
    let limb_slot = m.slots.iter().position(|s| {
        cells
            .iter()
            .any(|(c, _)| *c == s.ts_diff_limbs.0 || *c == s.ts_diff_limbs.1)
    });
    let movable = |c: &usize| {
        !managed.contains(c)
            || limb_slot.is_some_and(|s| {
                *c == m.slots[s].ts_diff_limbs.0 || *c == m.slots[s].ts_diff_limbs.1
            })
    };
    let fixed: Vec<usize> = managed.iter().copied().filter(|c| !movable(c)).collect();
    for next in [false, true] {
        let mut cols: Vec<usize> = cells
            .iter()
            .filter(|(c, n)| *n == next && movable(c))
            .map(|(c, _)| *c)
            .collect();
        cols.sort_unstable();
        cols.dedup();
        let tries = changes(&cols);
        for t in 0..rows {
            if t + 1 < rows && repeats_previous_row(honest, t) {
                continue; // padding: the previous row was searched (the last row is searched)
            }
            let row = t + usize::from(next);
            if row >= rows {
                continue;
            }
            if let Some(slot) = limb_slot {
                if m.slots[slot].active.eval_row(&f.cols, row).is_zero() {
                    continue;
                }
                f.pin_access(slot, row);
            }
            for change in &tries {
                for (c, d) in change {
                    f.cols[*c][row] += d;
                }
                let mut edits: Vec<(usize, usize, Fr)> =
                    change.iter().map(|(c, d)| (*c, row, *d)).collect();
                let ok =
                    violated(&f, target, t) && repair(&mut f, target, index, &fixed, &mut edits);
                if ok {
                    if let Some(stage) = prove_isolated(&f, target) {
                        return Some(stage);
                    }
                }
                for (c, r, d) in edits {
                    f.cols[c][r] -= d;
                }
            }
            if let Some(slot) = limb_slot {
                f.unpin_access(slot, row);
            }
        }
    }
    None
}

/// Whether row `t` repeats row `t − 1` but for the cycle counter (a padding row).
fn repeats_previous_row(f: &Forge, t: usize) -> bool {
    let cycle = f.col("cycle");
    t > 0
        && f.cols
            .iter()
            .enumerate()
            .all(|(j, c)| j == cycle || c[t] == c[t - 1])
}

/// Whether `target` fails on row `t`.
fn violated(f: &Forge, target: &Target, t: usize) -> bool {
    match target {
        Target::Constraint(c) => !holds(c, f, t),
        Target::Lookup(u) => !lookup_hits(&f.machine, u, &f.cols, t),
    }
}

fn is_target_constraint(target: &Target, c: &Constraint) -> bool {
    matches!(target, Target::Constraint(x) if x.name == c.name)
}

/// The first constraint other than `target` that fails near the edited cells, with its row.
fn first_violation<'f>(
    f: &'f Forge,
    target: &Target,
    edits: &[(usize, usize, Fr)],
) -> Option<(&'f Constraint, usize)> {
    let mut rows: Vec<usize> = edits
        .iter()
        .flat_map(|(_, r, _)| [r.saturating_sub(1), *r])
        .collect();
    rows.sort_unstable();
    rows.dedup();
    for &r in &rows {
        for c in &f.machine.r1cs.constraints {
            if !is_target_constraint(target, c) && !holds(c, f, r) {
                return Some((c, r));
            }
        }
    }
    None
}

/// Repair the constraints the change broke besides `target`, one cell at a time: for a failing
/// constraint, a cell it reads (not the target's, not a fetched instruction field, not one of
/// the `fixed` columns that memory patching rewrites) in which it is affine, moved to satisfy it — the cells read by the
/// fewest constraints first, backtracking through the others. True when, after at most three
/// repairs, every constraint but the target holds near the edits and every lookup but the
/// target finds its tuple there; the repairs stay applied (in `edits`) only then.
fn repair(
    f: &mut Forge,
    target: &Target,
    index: &ColumnIndex,
    fixed: &[usize],
    edits: &mut Vec<(usize, usize, Fr)>,
) -> bool {
    // The target's own cells stay put. The first edit is on row `e`, and the target is checked
    // on row `e` (a current-row cell) or `e − 1` (a next-row cell): its cells are those of both
    // readings.
    let e = edits[0].1;
    let target_cells: Vec<(usize, usize)> = match target {
        Target::Constraint(c) => columns_of(c)
            .flat_map(|(j, next)| {
                if next {
                    [(j, e), (j, e + 1)]
                } else {
                    [(j, e), (j, e.wrapping_sub(1))]
                }
            })
            .collect(),
        Target::Lookup(u) => u
            .tuple
            .iter()
            .flat_map(|x| x.cur_columns().map(|j| (j, e)))
            .collect(),
    };
    let frozen = |j: usize| fixed.contains(&j) || index.fetched.contains(&j);
    repair_from(f, target, index, &frozen, edits, &target_cells, 3)
}

fn repair_from(
    f: &mut Forge,
    target: &Target,
    index: &ColumnIndex,
    frozen: &dyn Fn(usize) -> bool,
    edits: &mut Vec<(usize, usize, Fr)>,
    target_cells: &[(usize, usize)],
    depth: usize,
) -> bool {
    let Some((c, r0)) = first_violation(f, target, edits) else {
        return lookups_hold_near(f, target, edits);
    };
    if depth == 0 {
        return false;
    }
    let c = c.clone();
    let mut candidates: Vec<(usize, usize)> = columns_of(&c)
        .map(|(j, next)| (j, r0 + usize::from(next)))
        .filter(|&(j, r)| {
            r < f.rows()
                && !frozen(j)
                && !target_cells.contains(&(j, r))
                && !edits.iter().any(|(ej, er, _)| *ej == j && *er == r)
        })
        .collect();
    candidates.sort_by_key(|(j, _)| index.uses[*j]);
    candidates.dedup();
    let residual = |f: &Forge| eval(&c.a, f, r0) * eval(&c.b, f, r0) - eval(&c.c, f, r0);
    for (j, r) in candidates {
        let x0 = f.cols[j][r];
        let r_0 = residual(f);
        f.cols[j][r] = x0 + Fr::one();
        let r_1 = residual(f);
        f.cols[j][r] = x0 + Fr::from(2u64);
        let r_2 = residual(f);
        f.cols[j][r] = x0;
        let slope = r_1 - r_0;
        if slope.is_zero() || !(r_2 - r_1 - slope).is_zero() {
            continue;
        }
        let delta = -r_0 * ark_ff::Field::inverse(&slope).expect("nonzero");
        f.cols[j][r] += delta;
        edits.push((j, r, delta));
        if repair_from(f, target, index, frozen, edits, target_cells, depth - 1) {
            return true;
        }
        edits.pop();
        f.cols[j][r] = x0;
    }
    false
}

/// Every lookup but `target` finds its tuple on the edited rows.
fn lookups_hold_near(f: &Forge, target: &Target, edits: &[(usize, usize, Fr)]) -> bool {
    let m = &f.machine;
    edits.iter().all(|(_, r, _)| {
        m.lookups.iter().all(|u| {
            matches!(target, Target::Lookup(x) if x.name == u.name)
                || lookup_hits(m, u, &f.cols, *r)
        })
    })
}

/// The full test, then the proof: memory patched, exactly `target` fails, every multiset
/// balances (but a lookup's own table); returns the verifier's stage that rejects.
fn prove_isolated(f: &Forge, target: &Target) -> Option<String> {
    let mut f = f.clone();
    let witness = f.complete();
    let m = &f.machine;
    let unsatisfied: Vec<String> = f
        .public
        .bind(m)
        .expect("bound")
        .unsatisfied(&witness.columns)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let missed = missed_lookups(m, &witness.columns);
    let multisets = unbalanced_multisets(m, &f.public, &witness.columns, &witness.table_columns);
    let isolated = match target {
        Target::Constraint(c) => {
            unsatisfied == [c.name.clone()] && missed.is_empty() && multisets.is_empty()
        }
        Target::Lookup(u) => {
            unsatisfied.is_empty()
                && missed == [u.name.clone()]
                && !multisets
                    .iter()
                    .any(|m| matches!(m, Multiset::Memory | Multiset::Output))
        }
    };
    if !isolated {
        return None;
    }
    let bytes = f.prove_bytes(witness);
    Some(
        f.verify(&bytes)
            .expect_err("a forgery violating one check was accepted"),
    )
}

/// Per machine: the columns memory patching rewrites, and the fetched instruction fields.
struct ColumnIndex {
    managed: Vec<usize>,
    fetched: Vec<usize>,
    /// How many constraints read each column.
    uses: Vec<usize>,
}

/// The constraints and lookups of `honest`'s machine whose names `wanted` accepts: the ones
/// isolated (each proven and rejected by the stage it belongs to), and the ones not.
pub fn isolate_all(honest: &Forge, wanted: impl Fn(&str) -> bool) -> (Vec<String>, Vec<String>) {
    let m = &honest.machine;
    let fetched = m
        .lookups
        .iter()
        .filter(|u| u.table == zkvm_prover::machine::TableId::Bytecode)
        .flat_map(|u| u.tuple.iter().flat_map(|e| e.cur_columns()))
        .collect();
    let mut uses = vec![0; m.column_names.len()];
    for c in &m.r1cs.constraints {
        let mut cols: Vec<usize> = columns_of(c).map(|(j, _)| j).collect();
        cols.sort_unstable();
        cols.dedup();
        cols.into_iter().for_each(|j| uses[j] += 1);
    }
    let index = ColumnIndex {
        managed: memory_managed(m),
        fetched,
        uses,
    };
    let mut targets: Vec<Target> = m.r1cs.constraints.iter().map(Target::Constraint).collect();
    targets.extend(m.lookups.iter().map(Target::Lookup));
    targets.retain(|t| match t {
        Target::Constraint(c) => wanted(&c.name),
        Target::Lookup(u) => wanted(&u.name),
    });
    let (mut found, mut missing) = (Vec::new(), Vec::new());
    for target in &targets {
        let (name, want) = match target {
            Target::Constraint(c) => (c.name.clone(), "spartan"),
            Target::Lookup(u) => (u.name.clone(), "memory checking and lookups"),
        };
        match isolate(honest, target, &index) {
            Some(stage) => {
                assert_eq!(stage, want, "{name}: rejected by the wrong stage");
                found.push(name);
            }
            None => missing.push(name),
        }
    }
    (found, missing)
}
