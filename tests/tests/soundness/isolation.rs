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
                let ok = isolated_near(&f, target, index, t, row);
                if ok {
                    if let Some(stage) = prove_isolated(&f, target) {
                        return Some(stage);
                    }
                }
                for (c, d) in change {
                    f.cols[*c][row] -= d;
                }
            }
        }
    }
    let _ = m;
    None
}

/// The cheap test: on the rows a change on `row` can affect, `target` fails and every other
/// constraint touching a changed column (and every lookup reading one) holds.
fn isolated_near(f: &Forge, target: &Target, index: &ColumnIndex, t: usize, row: usize) -> bool {
    let m = &f.machine;
    match target {
        Target::Constraint(c) => {
            if holds(c, &f.cols, t) {
                return false;
            }
        }
        Target::Lookup(u) => {
            if lookup_hits(m, u, &f.cols, t) {
                return false;
            }
        }
    }
    let near = [row.saturating_sub(1), row];
    index.constraints.iter().all(|&k| {
        let c = &m.r1cs.constraints[k];
        matches!(target, Target::Constraint(x) if x.name == c.name)
            || near.iter().all(|&r| holds(c, &f.cols, r))
    }) && m.lookups.iter().all(|u| {
        matches!(target, Target::Lookup(x) if x.name == u.name)
            || near.iter().all(|&r| lookup_hits(m, u, &f.cols, r))
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

/// Per machine: the columns memory patching rewrites, and every constraint (all are checked
/// near a change; the cheap part is the row window).
struct ColumnIndex {
    managed: Vec<usize>,
    constraints: Vec<usize>,
}

/// Every constraint and lookup of `honest`'s machine: the ones isolated (each proven and
/// rejected by the stage it belongs to), and the ones not.
pub fn isolate_all(honest: &Forge) -> (Vec<String>, Vec<String>) {
    let m = &honest.machine;
    let index = ColumnIndex {
        managed: memory_managed(m),
        constraints: (0..m.r1cs.constraints.len()).collect(),
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
