//! Which multisets of a witness fail to balance: a diagnosis of memory checking, lookups and the
//! public output without a proof.
//!
//! The verifier checks one random linear combination of every fraction (LogUp); this module
//! evaluates the same fractions at random challenges but sums them per multiset — the tuples of
//! one fingerprint tag — so that a failure names the argument that caught it: memory, the
//! public output, instruction fetch, the 16-bit ranges or the bitwise table (and `Padding` for
//! multiplicity on table rows whose tag is 0). Tests of malicious witnesses use it to show that
//! a tamper trips exactly the mechanism it targets; debugging a lowering is its other use.

use std::collections::BTreeMap;

use ark_bn254::Fr;
use ark_ff::{Field, UniformRand, Zero};
use rand_chacha::rand_core::SeedableRng;

use super::fractions::{table_values, Challenges};
use super::{tags, Machine, PublicValues, TableId};

/// A multiset the proof balances, named by its fingerprint tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Multiset {
    /// Memory tuples: initial and final memory, reads and writes.
    Memory,
    /// The public output.
    Output,
    /// Instruction fetch against the bytecode table.
    Bytecode,
    /// 16-bit range checks.
    Range16,
    /// The byte-wise bitwise table.
    Bitwise,
    /// 8-bit range checks (a short run's halves of the 16-bit ones).
    Range8,
    /// The nibble-wise bitwise table (a short run's halves of the byte-wise one).
    Bitwise4,
    /// Table rows that belong to no table (tag 0): padding.
    Padding,
    /// Any other tag (never built by a lowering).
    Unknown,
}

fn multiset_of(tag: Fr) -> Multiset {
    let is = |t: u64| tag == Fr::from(t);
    if tag.is_zero() {
        Multiset::Padding
    } else if is(tags::MEMORY) {
        Multiset::Memory
    } else if is(tags::OUTPUT) {
        Multiset::Output
    } else if is(TableId::Bytecode.tag()) {
        Multiset::Bytecode
    } else if is(TableId::Range16.tag()) {
        Multiset::Range16
    } else if is(TableId::Bitwise.tag()) {
        Multiset::Bitwise
    } else if is(TableId::Range8.tag()) {
        Multiset::Range8
    } else if is(TableId::Bitwise4.tag()) {
        Multiset::Bitwise4
    } else {
        Multiset::Unknown
    }
}

/// The multisets that do not balance on `columns` and `table_columns` (a complete witness) with
/// the public values `public`, in order; empty when memory checking, every lookup and the
/// public output hold.
pub fn unbalanced_multisets(
    machine: &Machine,
    public: &PublicValues,
    columns: &[Vec<Fr>],
    table_columns: &[Vec<Fr>],
) -> Vec<Multiset> {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(0x0062_616c_616e_6365);
    let cycle = machine.cycle_families();
    let tables = machine.table_families();
    let width = cycle
        .iter()
        .map(|f| f.tuple.len())
        .chain(tables.iter().map(|f| f.tuple.len()))
        .max()
        .unwrap_or(1);
    let ch = Challenges::new(Fr::rand(&mut rng), Fr::rand(&mut rng), width);
    let mut sums: BTreeMap<Multiset, Fr> = BTreeMap::new();
    let mut add = |tag: Fr, numerator: Fr, denominator: Fr| {
        if !numerator.is_zero() {
            let inv = denominator.inverse().unwrap_or(Fr::zero());
            *sums.entry(multiset_of(tag)).or_insert(Fr::zero()) += numerator * inv;
        }
    };
    let rows = columns.first().map_or(0, Vec::len);
    for fam in &cycle {
        for t in 0..rows {
            let values: Vec<Fr> = fam.tuple.iter().map(|e| e.eval_row(columns, t)).collect();
            let numerator = fam.numerator.eval_row(columns, t);
            add(values[0], numerator, ch.denominator(values.into_iter()));
        }
    }
    for fam in &tables {
        let numerator = table_values(&fam.numerator, fam.log_size, table_columns);
        let comps: Vec<Vec<Fr>> = fam
            .tuple
            .iter()
            .map(|e| table_values(e, fam.log_size, table_columns))
            .collect();
        for (j, n) in numerator.iter().enumerate() {
            add(
                comps[0][j],
                fam.sign * n,
                ch.denominator(comps.iter().map(|c| c[j])),
            );
        }
    }
    for (i, v) in public.output.iter().enumerate() {
        let tuple = [Fr::from(tags::OUTPUT), Fr::from(i as u64), *v];
        add(tuple[0], -Fr::from(1u64), ch.denominator(tuple.into_iter()));
    }
    sums.into_iter()
        .filter(|(_, s)| !s.is_zero())
        .map(|(m, _)| m)
        .collect()
}
