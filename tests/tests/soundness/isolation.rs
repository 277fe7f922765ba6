//! A forgery for every constraint and lookup: for each one, search the honest witness of a
//! program that exercises the whole ISA for a small change (one cell, or two cells of a limb
//! pair) after which that constraint or lookup is the *only* check that fails — memory patched,
//! every other constraint and lookup satisfied, every multiset but the lookup's balanced — and
//! prove it: the verifier must reject. So deleting that one constraint or lookup would let the
//! forgery through, and this test would fail: each found name is pinned as a mutant is killed.
//!
//! The names the search cannot isolate (their forgeries need coordinated changes: the hand-made
//! tests of this suite build some of those) are listed in `not_yet_pinned.rs`, with the ones no
//! test pins at all; see `coverage.rs`.

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use zkvm_prover::machine::balance::{unbalanced_multisets, Multiset};
use zkvm_prover::machine::{LookupUse, Machine};
use zkvm_prover::r1cs::{Constraint, LinComb, Var};

use super::forge::{lookup_hits, missed_lookups, Forge};

/// Value of `lc` on `row` of `cols`.
fn eval(lc: &LinComb, cols: &[Vec<Fr>], row: usize) -> Fr {
    let rows = cols[0].len();
    lc.terms.iter().fold(Fr::zero(), |acc, (v, k)| {
        let x = match v {
            Var::Cur(j) => cols[*j][row],
            Var::Next(j) => cols[*j].get(row + 1).copied().unwrap_or_default(),
            Var::First => Fr::from(u64::from(row == 0)),
            Var::Last => Fr::from(u64::from(row + 1 == rows)),
            Var::One => Fr::one(),
        };
        acc + x * k
    })
}

fn holds(c: &Constraint, cols: &[Vec<Fr>], row: usize) -> bool {
    eval(&c.a, cols, row) * eval(&c.b, cols, row) == eval(&c.c, cols, row)
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
/// is kept (2^16 moved from the high limb into the low one).
fn changes(cols: &[usize]) -> Vec<Vec<(usize, Fr)>> {
    let two16 = Fr::from(1u64 << 16);
    let deltas = [Fr::one(), -Fr::one(), two16, Fr::from(1u64 << 32)];
    let mut out: Vec<Vec<(usize, Fr)>> = Vec::new();
    for &c in cols {
        out.extend(deltas.iter().map(|d| vec![(c, *d)]));
    }
    for &lo in cols {
        for &hi in cols {
            if lo != hi {
                out.push(vec![(lo, two16), (hi, -Fr::one())]);
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
            .flat_map(|e| e.terms.iter().map(|(c, _)| (*c, false)))
            .collect(),
    };
    let rows = honest.rows();
    let mut f = honest.clone();
    for next in [false, true] {
        let mut cols: Vec<usize> = cells
            .iter()
            .filter(|(c, n)| *n == next && !managed.contains(c))
            .map(|(c, _)| *c)
            .collect();
        cols.sort_unstable();
        cols.dedup();
        let tries = changes(&cols);
        for t in 0..rows {
            let row = t + usize::from(next);
            if row >= rows {
                continue;
            }
            for change in &tries {
                for (c, d) in change {
                    f.cols[*c][row] += d;
                }
                let mut edits: Vec<(usize, usize, Fr)> =
                    change.iter().map(|(c, d)| (*c, row, *d)).collect();
                let fixed = violated(&f, target, t) && repair(&mut f, target, index, &mut edits);
                if fixed {
                    if let Some(stage) = prove_isolated(&f, target) {
                        return Some(stage);
                    }
                }
                for (c, r, d) in edits {
                    f.cols[c][r] -= d;
                }
            }
        }
    }
    let _ = m;
    None
}

/// Whether `target` fails on row `t`.
fn violated(f: &Forge, target: &Target, t: usize) -> bool {
    match target {
        Target::Constraint(c) => !holds(c, &f.cols, t),
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
            if !is_target_constraint(target, c) && !holds(c, &f.cols, r) {
                return Some((c, r));
            }
        }
    }
    None
}

/// Repair the constraints the change broke besides `target`, one cell at a time: for a failing
/// constraint, a cell it reads (not the target's, not a fetched instruction field, not one that
/// memory patching rewrites) in which it is affine, moved to satisfy it. True when, after at
/// most three repairs, every constraint but the target holds near the edits and every lookup
/// but the target finds its tuple there.
fn repair(
    f: &mut Forge,
    target: &Target,
    index: &ColumnIndex,
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
            .flat_map(|x| x.terms.iter().map(|(j, _)| (*j, e)))
            .collect(),
    };
    for _ in 0..3 {
        let Some((c, r0)) = first_violation(f, target, edits) else {
            return lookups_hold_near(f, target, edits);
        };
        let c = c.clone();
        let mut repaired = false;
        for (j, next) in columns_of(&c).collect::<Vec<_>>() {
            let r = r0 + usize::from(next);
            if r >= f.rows()
                || index.managed.contains(&j)
                || index.fetched.contains(&j)
                || target_cells.contains(&(j, r))
                || edits.iter().any(|(ej, er, _)| *ej == j && *er == r)
            {
                continue;
            }
            let residual = |f: &Forge| {
                eval(&c.a, &f.cols, r0) * eval(&c.b, &f.cols, r0) - eval(&c.c, &f.cols, r0)
            };
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
            repaired = true;
            break;
        }
        if !repaired {
            return false;
        }
    }
    first_violation(f, target, edits).is_none() && lookups_hold_near(f, target, edits)
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
    let unsatisfied: Vec<String> = m
        .r1cs
        .unsatisfied(&witness.columns)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let missed = missed_lookups(m, &witness.columns);
    let multisets = unbalanced_multisets(m, &witness.columns, &witness.table_columns);
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
}

/// Every constraint and lookup of `honest`'s machine: the ones isolated (each proven and
/// rejected by the stage it belongs to), and the ones not.
pub fn isolate_all(honest: &Forge) -> (Vec<String>, Vec<String>) {
    let m = &honest.machine;
    let fetched = m
        .lookups
        .iter()
        .filter(|u| u.table == zkvm_prover::machine::TableId::Bytecode)
        .flat_map(|u| u.tuple.iter().flat_map(|e| e.terms.iter().map(|(c, _)| *c)))
        .collect();
    let index = ColumnIndex {
        managed: memory_managed(m),
        fetched,
    };
    let mut targets: Vec<Target> = m.r1cs.constraints.iter().map(Target::Constraint).collect();
    targets.extend(m.lookups.iter().map(Target::Lookup));
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
