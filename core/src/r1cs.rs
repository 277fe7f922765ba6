//! Uniform rank-1 constraint systems: linear combinations over a row and the next row.
//!
//! A [`UniformR1cs`] is a small set of [`Constraint`]s `a · b = c` over the witness columns,
//! required on **every row** `t = 0, …, T-1` of a trace. A [`LinComb`] is a sum of `coefficient ·`
//! [`Var`] terms, where a variable is a column in the current row ([`Var::Cur`]), a column in the
//! next row ([`Var::Next`], zero past the last row: there is no wrap-around), the row selectors
//! [`Var::First`] / [`Var::Last`] (1 only on row 0 / row `T-1`), the constant [`Var::One`], or a
//! public value of the statement ([`Var::Public`]): the same on every row, it is not part of the
//! system but given to the prover and the verifier beside it, and substituted by
//! [`UniformR1cs::bind_public`] before the system is checked or proven. So a constraint system
//! depends on the program alone, and one run's output length or exit code is a public value.
//!
//! The constraints are written once and used three ways: on concrete rows by
//! [`UniformR1cs::check`] (a debug checker that names the failing constraint and row), and
//! symbolically by the Spartan prover and verifier ([`crate::spartan`]).
//!
//! ```
//! use zkvm_core::r1cs::{LinComb, UniformR1cs, Var};
//! use ark_bn254::Fr;
//! let (x, y) = (Var::Cur(0), Var::Cur(1));
//! let mut r1cs = UniformR1cs::new(vec!["x".into(), "y".into()]);
//! // y = x^2 on every row; the next row's x is this row's y + 1 (except after the last row).
//! r1cs.add("square", x, x, y);
//! r1cs.add("step", Var::One - Var::Last, Var::Next(0) - y - 1, LinComb::zero());
//! let x_col: Vec<Fr> = [1u64, 2, 5, 26].map(Fr::from).to_vec();
//! let y_col: Vec<Fr> = [1u64, 4, 25, 676].map(Fr::from).to_vec();
//! assert!(r1cs.check(&[x_col, y_col]).is_ok());
//! ```

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use rayon::prelude::*;
use std::ops::{Add, Mul, Neg, Sub};

/// A variable of a uniform constraint, relative to the row the constraint is applied to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Var {
    /// Column `j` in the current row.
    Cur(usize),
    /// Column `j` in the next row (0 when the current row is the last).
    Next(usize),
    /// 1 on the first row, 0 elsewhere.
    First,
    /// 1 on the last row, 0 elsewhere.
    Last,
    /// The constant 1.
    One,
    /// Public value `i` of the statement, the same on every row ([`UniformR1cs::bind_public`]).
    Public(usize),
}

impl Var {
    /// The variable as a tag and an index, as the system's digest and Spartan's transcript hash
    /// it: one encoding, so two different variables never hash alike.
    pub fn encoding(&self) -> (u8, usize) {
        match *self {
            Var::Cur(j) => (0, j),
            Var::Next(j) => (1, j),
            Var::First => (2, 0),
            Var::Last => (3, 0),
            Var::One => (4, 0),
            Var::Public(i) => (5, i),
        }
    }
}

/// A linear combination `Σ coefficient · variable`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinComb {
    /// The terms; a variable may occur more than once (the coefficients add).
    pub terms: Vec<(Var, Fr)>,
}

impl LinComb {
    /// The empty combination (the constant 0).
    pub fn zero() -> Self {
        Self::default()
    }

    /// A single term.
    pub fn term(var: Var, coeff: Fr) -> Self {
        Self {
            terms: vec![(var, coeff)],
        }
    }

    /// The value with each variable replaced by `value(var)`.
    pub fn evaluate(&self, mut value: impl FnMut(Var) -> Fr) -> Fr {
        self.terms.iter().map(|(v, c)| *c * value(*v)).sum()
    }

    /// The same combination with each variable occurring once and no zero coefficients, sorted.
    pub fn simplified(&self) -> Self {
        let mut terms = self.terms.clone();
        terms.sort_by_key(|(v, _)| *v);
        let mut out: Vec<(Var, Fr)> = Vec::with_capacity(terms.len());
        for (v, c) in terms {
            match out.last_mut() {
                Some((w, d)) if *w == v => *d += c,
                _ => out.push((v, c)),
            }
        }
        out.retain(|(_, c)| !c.is_zero());
        Self { terms: out }
    }

    /// The variables used.
    pub fn vars(&self) -> impl Iterator<Item = Var> + '_ {
        self.terms.iter().map(|(v, _)| *v)
    }

    /// The columns read on the current row.
    pub fn cur_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.vars().filter_map(|v| match v {
            Var::Cur(c) => Some(c),
            _ => None,
        })
    }

    /// Whether the combination reads only the current row and constants: what the tuples and
    /// numerators of memory checking and lookups are made of, which the verifier evaluates from
    /// the columns' openings at one point.
    pub fn is_row_local(&self) -> bool {
        self.vars().all(|v| matches!(v, Var::Cur(_) | Var::One))
    }

    /// The value on row `row` of `columns` (vectors of values, or polynomials' hypercube
    /// values) of a [row-local](Self::is_row_local) combination.
    ///
    /// # Panics
    /// On any other variable: a lowering that puts one into a fingerprint is a bug, and
    /// `zkvm-prover`'s tests check every machine for it.
    pub fn eval_row<C: AsRef<[Fr]>>(&self, columns: &[C], row: usize) -> Fr {
        self.evaluate(|v| match v {
            Var::Cur(c) => columns[c].as_ref()[row],
            Var::One => Fr::one(),
            other => panic!("{other:?} in a row-local expression"),
        })
    }

    /// The value of a [row-local](Self::is_row_local) combination given the multilinear
    /// extensions of the columns at one point (`column_evals[c]` for column `c`; the constant
    /// column is 1 on the hypercube, so 1 everywhere).
    ///
    /// # Panics
    /// On any other variable, as [`Self::eval_row`].
    pub fn eval_at(&self, column_evals: &[Fr]) -> Fr {
        self.evaluate(|v| match v {
            Var::Cur(c) => column_evals[c],
            Var::One => Fr::one(),
            other => panic!("{other:?} in a row-local expression"),
        })
    }
}

impl From<Var> for LinComb {
    fn from(v: Var) -> Self {
        Self::term(v, Fr::one())
    }
}

impl From<Fr> for LinComb {
    fn from(c: Fr) -> Self {
        Self::term(Var::One, c)
    }
}

impl From<i64> for LinComb {
    fn from(c: i64) -> Self {
        Self::from(fr_from_i64(c))
    }
}

/// `c` as a field element (negative values wrap around the modulus).
pub fn fr_from_i64(c: i64) -> Fr {
    if c >= 0 {
        Fr::from(c as u64)
    } else {
        -Fr::from(c.unsigned_abs())
    }
}

impl<T: Into<LinComb>> Add<T> for LinComb {
    type Output = LinComb;
    fn add(mut self, rhs: T) -> LinComb {
        self.terms.extend(rhs.into().terms);
        self
    }
}

impl<T: Into<LinComb>> Sub<T> for LinComb {
    type Output = LinComb;
    fn sub(mut self, rhs: T) -> LinComb {
        self.terms
            .extend(rhs.into().terms.into_iter().map(|(v, c)| (v, -c)));
        self
    }
}

impl Neg for LinComb {
    type Output = LinComb;
    fn neg(self) -> LinComb {
        LinComb::zero() - self
    }
}

impl Mul<Fr> for LinComb {
    type Output = LinComb;
    fn mul(mut self, k: Fr) -> LinComb {
        for (_, c) in self.terms.iter_mut() {
            *c *= k;
        }
        self
    }
}

impl Mul<i64> for LinComb {
    type Output = LinComb;
    fn mul(self, k: i64) -> LinComb {
        self * fr_from_i64(k)
    }
}

impl<T: Into<LinComb>> Add<T> for Var {
    type Output = LinComb;
    fn add(self, rhs: T) -> LinComb {
        LinComb::from(self) + rhs
    }
}

impl<T: Into<LinComb>> Sub<T> for Var {
    type Output = LinComb;
    fn sub(self, rhs: T) -> LinComb {
        LinComb::from(self) - rhs
    }
}

impl Neg for Var {
    type Output = LinComb;
    fn neg(self) -> LinComb {
        -LinComb::from(self)
    }
}

impl Mul<Fr> for Var {
    type Output = LinComb;
    fn mul(self, k: Fr) -> LinComb {
        LinComb::term(self, k)
    }
}

impl Mul<i64> for Var {
    type Output = LinComb;
    fn mul(self, k: i64) -> LinComb {
        LinComb::term(self, fr_from_i64(k))
    }
}

/// One constraint `a · b = c`, required on every row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    /// A name for error messages (`"alu.add"`, `"pc.next"`, …).
    pub name: String,
    /// Left factor.
    pub a: LinComb,
    /// Right factor.
    pub b: LinComb,
    /// Product.
    pub c: LinComb,
}

impl Constraint {
    /// The constraint `a · b = c` named `name`.
    pub fn new(
        name: impl Into<String>,
        a: impl Into<LinComb>,
        b: impl Into<LinComb>,
        c: impl Into<LinComb>,
    ) -> Self {
        Self {
            name: name.into(),
            a: a.into(),
            b: b.into(),
            c: c.into(),
        }
    }

    /// The variables used by the constraint.
    pub fn vars(&self) -> impl Iterator<Item = Var> + '_ {
        self.a.vars().chain(self.b.vars()).chain(self.c.vars())
    }
}

/// Why a witness does not satisfy a uniform R1CS, or does not fit it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum R1csError {
    /// A constraint fails on a row.
    #[error("constraint `{constraint}` (#{index}) is not satisfied at row {row}")]
    Unsatisfied {
        /// The constraint's name.
        constraint: String,
        /// Its index in [`UniformR1cs::constraints`].
        index: usize,
        /// The row.
        row: usize,
    },
    /// The witness has the wrong number of columns, or columns of different lengths.
    #[error("witness shape: {0}")]
    Shape(String),
    /// A constraint uses a public value that was not bound ([`UniformR1cs::bind_public`]).
    #[error("constraint `{constraint}` uses public value {index}, which is not bound")]
    UnboundPublic {
        /// The constraint's name.
        constraint: String,
        /// The public value's index.
        index: usize,
    },
    /// A constraint refers to a column that does not exist.
    #[error("constraint `{constraint}` uses column {column} of {num_columns}")]
    UnknownColumn {
        /// The constraint's name.
        constraint: String,
        /// The column index used.
        column: usize,
        /// The number of columns.
        num_columns: usize,
    },
}

/// A uniform R1CS: named columns and constraints applied to every row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UniformR1cs {
    /// One name per witness column; column `j` is `Var::Cur(j)` / `Var::Next(j)`.
    pub column_names: Vec<String>,
    /// The constraints.
    pub constraints: Vec<Constraint>,
}

impl UniformR1cs {
    /// A system over these columns with no constraints yet.
    pub fn new(column_names: Vec<String>) -> Self {
        Self {
            column_names,
            constraints: Vec::new(),
        }
    }

    /// Adds the constraint `a · b = c` named `name`.
    pub fn add(
        &mut self,
        name: impl Into<String>,
        a: impl Into<LinComb>,
        b: impl Into<LinComb>,
        c: impl Into<LinComb>,
    ) {
        self.constraints.push(Constraint::new(name, a, b, c));
    }

    /// The number of witness columns.
    pub fn num_columns(&self) -> usize {
        self.column_names.len()
    }

    /// SHA3-256 of the constraints (their matrices, not their names): the proof transcript
    /// absorbs it, so every constant of the system (an entry point, a memory bound) and the
    /// place of every public value is fixed before any challenge.
    pub fn digest(&self) -> [u8; 32] {
        use ark_serialize::CanonicalSerialize;
        use sha3::{Digest, Sha3_256};
        let mut h = Sha3_256::new();
        h.update((self.num_columns() as u64).to_le_bytes());
        h.update((self.constraints.len() as u64).to_le_bytes());
        let mut coeff = Vec::with_capacity(32);
        for c in &self.constraints {
            for lc in [&c.a, &c.b, &c.c] {
                h.update((lc.terms.len() as u64).to_le_bytes());
                for (var, k) in &lc.terms {
                    let (tag, index) = var.encoding();
                    h.update([tag]);
                    h.update((index as u64).to_le_bytes());
                    coeff.clear();
                    k.serialize_compressed(&mut coeff)
                        .expect("writing into a Vec cannot fail");
                    h.update(&coeff);
                }
            }
        }
        h.finalize().into()
    }

    /// The system with each [`Var::Public`]`(i)` replaced by the constant `values[i]`: what
    /// the prover and the verifier check for one statement.
    pub fn bind_public(&self, values: &[Fr]) -> Result<Self, R1csError> {
        let bind = |name: &str, lc: &LinComb| -> Result<LinComb, R1csError> {
            let mut terms = Vec::with_capacity(lc.terms.len());
            for &(v, k) in &lc.terms {
                terms.push(match v {
                    Var::Public(i) => match values.get(i) {
                        Some(value) => (Var::One, k * value),
                        None => {
                            return Err(R1csError::UnboundPublic {
                                constraint: name.to_string(),
                                index: i,
                            })
                        }
                    },
                    _ => (v, k),
                });
            }
            Ok(LinComb { terms })
        };
        let constraints = self
            .constraints
            .iter()
            .map(|c| {
                Ok(Constraint {
                    name: c.name.clone(),
                    a: bind(&c.name, &c.a)?,
                    b: bind(&c.name, &c.b)?,
                    c: bind(&c.name, &c.c)?,
                })
            })
            .collect::<Result<_, R1csError>>()?;
        Ok(Self {
            column_names: self.column_names.clone(),
            constraints,
        })
    }

    /// The system for one segment of a longer run: a shard of a continuation, proven on its own
    /// and joined to its neighbours through the state at its two ends, given in
    /// [`UniformR1cs::next_columns`] order.
    ///
    /// - `entry`, for a segment that does not hold the run's first row: [`Var::First`] reads 0
    ///   (the run's first-row constraints are some other segment's), and each carried column
    ///   is pinned to its entry value on the segment's first row.
    /// - `exit`, for a segment that does not hold the run's last row: [`Var::Last`] reads 0,
    ///   and on the segment's last row `Var::Next(j)` reads `exit[j]`: the first row of the
    ///   next segment, whose entry must be the same values. Every transition constraint then
    ///   holds across the boundary as it does inside a segment.
    pub fn bind_segment(
        &self,
        entry: Option<&[Fr]>,
        exit: Option<&[Fr]>,
    ) -> Result<Self, R1csError> {
        let carried = self.next_columns();
        for values in [entry, exit].into_iter().flatten() {
            if values.len() != carried.len() {
                return Err(R1csError::Shape(format!(
                    "a segment boundary of {} values for {} carried columns",
                    values.len(),
                    carried.len()
                )));
            }
        }
        let exit_of = |j: usize| {
            let k = carried.binary_search(&j).expect("a carried column");
            exit.map(|e| e[k])
        };
        let bind = |lc: &LinComb| {
            let mut terms = Vec::with_capacity(lc.terms.len());
            for &(v, k) in &lc.terms {
                match v {
                    Var::First if entry.is_some() => {}
                    Var::Last if exit.is_some() => {}
                    Var::Next(j) => {
                        terms.push((v, k));
                        if let Some(value) = exit_of(j) {
                            terms.push((Var::Last, k * value));
                        }
                    }
                    _ => terms.push((v, k)),
                }
            }
            LinComb { terms }
        };
        let mut constraints: Vec<Constraint> = self
            .constraints
            .iter()
            .map(|c| Constraint {
                name: c.name.clone(),
                a: bind(&c.a),
                b: bind(&c.b),
                c: bind(&c.c),
            })
            .collect();
        if let Some(entry) = entry {
            for (&j, value) in carried.iter().zip(entry) {
                constraints.push(Constraint {
                    name: format!("segment entry: {}", self.column_names[j]),
                    a: Var::First.into(),
                    b: LinComb::from(Var::Cur(j)) - *value,
                    c: LinComb::zero(),
                });
            }
        }
        Ok(Self {
            column_names: self.column_names.clone(),
            constraints,
        })
    }

    /// Checks that every constraint only uses existing columns, and no unbound public value.
    pub fn validate(&self) -> Result<(), R1csError> {
        let m = self.num_columns();
        for c in &self.constraints {
            for v in c.vars() {
                match v {
                    Var::Cur(j) | Var::Next(j) if j >= m => {
                        return Err(R1csError::UnknownColumn {
                            constraint: c.name.clone(),
                            column: j,
                            num_columns: m,
                        })
                    }
                    Var::Public(index) => {
                        return Err(R1csError::UnboundPublic {
                            constraint: c.name.clone(),
                            index,
                        })
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// The sorted columns used as [`Var::Next`] by some constraint: the state one row hands to
    /// the next (a shard boundary's carried columns, [`UniformR1cs::bind_segment`]).
    pub fn next_columns(&self) -> Vec<usize> {
        let mut cols: Vec<usize> = self
            .constraints
            .iter()
            .flat_map(|c| c.vars())
            .filter_map(|v| match v {
                Var::Next(j) => Some(j),
                _ => None,
            })
            .collect();
        cols.sort_unstable();
        cols.dedup();
        cols
    }

    /// The value of `var` on `row` of a witness of `columns` (each `num_rows` long); an unbound
    /// [`Var::Public`] reads 0 (bind the system first: [`UniformR1cs::bind_public`]).
    pub fn value(columns: &[Vec<Fr>], var: Var, row: usize) -> Fr {
        let num_rows = columns.first().map_or(0, Vec::len);
        let get = |j: usize, r: usize| {
            columns
                .get(j)
                .and_then(|c| c.get(r))
                .copied()
                .unwrap_or_default()
        };
        match var {
            Var::Cur(j) => get(j, row),
            Var::Next(j) => get(j, row + 1),
            Var::First => Fr::from(u64::from(row == 0)),
            Var::Last => Fr::from(u64::from(row + 1 == num_rows)),
            Var::One => Fr::one(),
            Var::Public(_) => Fr::zero(),
        }
    }

    /// Every constraint that fails on some row, with the first such row (in constraint order;
    /// the witness must have the system's shape).
    pub fn unsatisfied(&self, columns: &[Vec<Fr>]) -> Vec<(String, usize)> {
        let num_rows = columns.first().map_or(0, Vec::len);
        self.constraints
            .par_iter()
            .filter_map(|c| {
                (0..num_rows)
                    .find(|&row| {
                        let val = |v| Self::value(columns, v, row);
                        c.a.evaluate(val) * c.b.evaluate(val) != c.c.evaluate(val)
                    })
                    .map(|row| (c.name.clone(), row))
            })
            .collect()
    }

    /// Checks every constraint on every row; the error names the first failure.
    pub fn check(&self, columns: &[Vec<Fr>]) -> Result<(), R1csError> {
        self.validate()?;
        if columns.len() != self.num_columns() {
            return Err(R1csError::Shape(format!(
                "{} columns for {} column names",
                columns.len(),
                self.num_columns()
            )));
        }
        let num_rows = columns.first().map_or(0, Vec::len);
        if let Some((j, c)) = columns
            .iter()
            .enumerate()
            .find(|(_, c)| c.len() != num_rows)
        {
            return Err(R1csError::Shape(format!(
                "column {j} (`{}`) has {} rows, column 0 has {num_rows}",
                self.column_names.get(j).map_or("", String::as_str),
                c.len()
            )));
        }
        // Rows in parallel; the error names the first unsatisfied (row, constraint).
        let failure = (0..num_rows).into_par_iter().find_map_first(|row| {
            self.constraints.iter().enumerate().find_map(|(index, c)| {
                let val = |v| Self::value(columns, v, row);
                (c.a.evaluate(val) * c.b.evaluate(val) != c.c.evaluate(val)).then(|| {
                    R1csError::Unsatisfied {
                        constraint: c.name.clone(),
                        index,
                        row,
                    }
                })
            })
        });
        failure.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fib() -> UniformR1cs {
        // a' = b, b' = a + b on every row but the last; a = 0, b = 1 on the first.
        let (a, b) = (Var::Cur(0), Var::Cur(1));
        let mut r = UniformR1cs::new(vec!["a".into(), "b".into()]);
        let not_last = Var::One - Var::Last;
        r.add(
            "a.next",
            not_last.clone(),
            Var::Next(0) - b,
            LinComb::zero(),
        );
        r.add("b.next", not_last, Var::Next(1) - a - b, LinComb::zero());
        r.add("a.init", Var::First, a, LinComb::zero());
        r.add("b.init", Var::First, b - 1, LinComb::zero());
        r
    }

    fn fib_columns(n: usize) -> Vec<Vec<Fr>> {
        let (mut a, mut b) = (vec![Fr::zero()], vec![Fr::one()]);
        for i in 1..n {
            a.push(b[i - 1]);
            b.push(a[i - 1] + b[i - 1]);
        }
        vec![a, b]
    }

    #[test]
    fn checker_accepts_and_names_failures() {
        let r = fib();
        let mut cols = fib_columns(7);
        assert_eq!(r.check(&cols), Ok(()));
        cols[1][4] += Fr::one();
        assert_eq!(
            r.check(&cols),
            Err(R1csError::Unsatisfied {
                constraint: "b.next".into(),
                index: 1,
                row: 3
            })
        );
        let mut cols = fib_columns(7);
        cols[0][0] = Fr::one();
        assert!(matches!(
            r.check(&cols),
            Err(R1csError::Unsatisfied { row: 0, .. })
        ));
        cols[0].pop();
        assert!(matches!(r.check(&cols), Err(R1csError::Shape(_))));
    }

    /// A run split into three segments: each checks on its own rows against the state at its
    /// ends, and a wrong boundary value, or a first-row constraint in a later segment, fails.
    #[test]
    fn segments_of_a_run_check_against_their_boundaries() {
        let r = fib();
        assert_eq!(r.next_columns(), vec![0, 1]);
        let cols = fib_columns(12);
        let rows = |lo: usize, hi: usize| -> Vec<Vec<Fr>> {
            cols.iter().map(|c| c[lo..hi].to_vec()).collect()
        };
        let state = |t: usize| vec![cols[0][t], cols[1][t]];
        let (first, middle, last) = (rows(0, 4), rows(4, 8), rows(8, 12));
        let (s4, s8) = (state(4), state(8));
        let bind = |entry: Option<&[Fr]>, exit: Option<&[Fr]>| r.bind_segment(entry, exit).unwrap();
        assert_eq!(bind(None, Some(&s4)).check(&first), Ok(()));
        assert_eq!(bind(Some(&s4), Some(&s8)).check(&middle), Ok(()));
        assert_eq!(bind(Some(&s8), None).check(&last), Ok(()));
        // An exit that is not the next row: the last row's transition fails.
        let wrong = [s8[0], s8[1] + Fr::one()];
        assert!(matches!(
            bind(Some(&s4), Some(&wrong)).check(&middle),
            Err(R1csError::Unsatisfied { row: 3, .. })
        ));
        // An entry other than the first row: the entry constraint fails.
        assert!(matches!(
            bind(Some(&wrong), Some(&s8)).check(&middle),
            Err(R1csError::Unsatisfied { row: 0, .. })
        ));
        // Without an entry, a later segment is held to the run's first-row constraints.
        assert!(r
            .bind_segment(None, Some(&s8))
            .unwrap()
            .check(&middle)
            .is_err());
        assert!(matches!(
            r.bind_segment(Some(&s4[..1]), None),
            Err(R1csError::Shape(_))
        ));
    }

    #[test]
    fn builder_arithmetic() {
        let l = (Var::Cur(0) * 3 - Var::Cur(1) + 5) * 2i64;
        let v = l.evaluate(|v| match v {
            Var::Cur(0) => Fr::from(10u64),
            Var::Cur(1) => Fr::from(4u64),
            _ => Fr::one(),
        });
        assert_eq!(v, Fr::from(62u64));
        let s = (Var::Cur(0) + Var::Cur(0) - Var::Cur(0) * 2 + 1).simplified();
        assert_eq!(s.terms, vec![(Var::One, Fr::one())]);
        let mut bad = fib();
        bad.add("oops", Var::Cur(7), Var::One, LinComb::zero());
        assert!(matches!(
            bad.validate(),
            Err(R1csError::UnknownColumn { column: 7, .. })
        ));
    }

    #[test]
    fn public_values_are_bound_before_checking() {
        // fib whose last b is public value 0.
        let mut r = fib();
        r.add(
            "b.out",
            Var::Last,
            Var::Cur(1) - Var::Public(0),
            LinComb::zero(),
        );
        let cols = fib_columns(7);
        // Unbound, the system neither checks nor proves.
        assert!(matches!(
            r.check(&cols),
            Err(R1csError::UnboundPublic { index: 0, .. })
        ));
        assert_eq!(
            r.check(&cols).map_err(|e| e.to_string()),
            Err("constraint `b.out` uses public value 0, which is not bound".into())
        );
        assert!(matches!(
            r.bind_public(&[]),
            Err(R1csError::UnboundPublic { index: 0, .. })
        ));
        assert_eq!(
            r.bind_public(&[Fr::from(13u64)]).unwrap().check(&cols),
            Ok(())
        );
        assert!(matches!(
            r.bind_public(&[Fr::from(14u64)]).unwrap().check(&cols),
            Err(R1csError::Unsatisfied { row: 6, .. })
        ));
        // The digest tells a public value from a constant of the same value.
        let mut constant = fib();
        constant.add("b.out", Var::Last, Var::Cur(1) - 13, LinComb::zero());
        assert_ne!(r.digest(), constant.digest());
        assert_eq!(
            r.bind_public(&[Fr::from(13u64)]).unwrap().digest(),
            constant.digest()
        );
    }
}
