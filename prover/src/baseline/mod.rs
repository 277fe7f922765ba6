//! Direct-circuit baselines: arithmetic kernels written straight as uniform R1CS, with **no VM**
//! (no fetch, decode, register file or memory checking), proven with the same Spartan + Dory
//! backend as the zkVM ([`crate::spartan`], [`crate::pcs`]). `zkvm compare --baseline` puts one
//! beside the VM columns, so the VM's overhead over a hand-written circuit is measured.
//!
//! Two kernels ([`Kernel`]):
//!
//! - **Matrix multiplication** `C = A·B` over the field, `n × n`, with the matrices of the example
//!   programs (`examples/zasm/matmul.zasm`, `examples/guests/matmul`): `A[i][l] = −(i + l + 1)`,
//!   `B[l][j] = l·j + 1`. One row per multiply-accumulate (`n³` rows, `i, j, l` loops with `l`
//!   innermost): counters `i, j, l` with end-of-loop flags, `a`, `b`, `p = a·b`, the running sum
//!   `acc`. The inputs are fixed functions of the counters, so they need no memory argument. The
//!   public output (all of `C`) is bound by a digest: `h ← h·w + acc` at the end of each dot
//!   product, and `h` on the last row must equal `Σ C_k w^{n²−1−k}`, where `w` is hashed from `n`
//!   and the claimed `C` (Keccak, [`Transcript`]); a false claim passes only if `w` is a root of
//!   a nonzero polynomial of degree `< n²` (Schwartz–Zippel, probability `n²/|F|`).
//! - **MiMC-7** (Albrecht–Grassi–Rechberger–Roy–Tiessen 2016, "MiMC: Efficient encryption and
//!   cryptographic hashing with minimal multiplicative complexity"), as circomlib's `mimc7.hash`:
//!   `x ← (x + k + c_i)⁷` for 91 rounds, output `x + k`, with circomlib's constants
//!   ([`mimc_round_constants`]), chained `n` times as in `examples/zasm/mimc.zasm` and
//!   `examples/guests/mimc`: `h_0 = x`, `h_{i+1} = mimc7.hash(h_i, k)`, output `h_n`. One row
//!   per round (`91·n` rows): `t², t⁴, t⁶, t⁷` with `t = x + k + c` (four multiplications, as in
//!   the zasm program), and `x ← t⁷ + k·e` where the flag `e` is 1 on the last round of each
//!   hash (the feed-forward `+ k`). The round constants `c` and the flags `e` are **fixed
//!   columns**: the prover commits to them like any column, and the verifier recomputes those
//!   commitments from the public constants (Dory commitments are deterministic) and rejects a
//!   proof whose commitments differ — preprocessed columns, as a verifying key would hold them.
//!   The input `x` and key `k` are public constants of the circuit.
//!
//! Rows are padded to a power of two. An `act` flag (Boolean, 1 on the first row, never rising
//! again) and a counter `cnt` of active rows (`cnt` on the last row = the number of real rows)
//! switch the kernel off on the padding rows, which keep satisfying every constraint.
//! Public values (inputs, outputs, the digest) are constants in the constraints, so they enter
//! the transcript with the constraint system's digest.
//!
//! Each kernel's circuit and witness are in its own file (`matmul.rs`, `mimc.rs`); [`prove`] and
//! [`verify`] are Spartan's own [`spartan::prove_uniform_timed`] and [`spartan::verify_uniform`],
//! with the fixed columns' commitments checked first.

mod matmul;
mod mimc;

use std::time::{Duration, Instant};

use ark_bn254::Fr;
use ark_ff::{One, PrimeField};

use crate::format::FormatError;
use crate::pcs::{DoryPcs, PcsError};
use crate::pipeline::{peak_memory_bytes, Report};
use crate::poly::DenseMle;
use crate::r1cs::{LinComb, R1csError, UniformR1cs, Var};
use crate::spartan::{self, SpartanError, UniformProof};
use crate::transcript::Transcript;

pub use matmul::matmul_reference;
use matmul::{matmul_circuit, matmul_witness};
use mimc::{mimc_circuit, mimc_fixed_commitments, mimc_witness};
pub use mimc::{mimc_reference, mimc_round_constants, MIMC_ROUNDS};

/// The largest number of rows (log) a baseline may use.
pub const MAX_LOG_ROWS: usize = 24;

/// Transcript domain of the proofs.
const DOMAIN: &[u8] = b"zkvm-baseline";

/// Why a baseline could not be built, proven or verified.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BaselineError {
    /// The kernel specification is malformed.
    #[error("bad baseline `{spec}`: {reason}")]
    BadSpec {
        /// The text given.
        spec: String,
        /// What is wrong.
        reason: String,
    },
    /// The kernel needs more rows than [`MAX_LOG_ROWS`] allows.
    #[error("{kernel} needs {rows} rows, more than 2^{MAX_LOG_ROWS}")]
    TooLarge {
        /// The kernel.
        kernel: String,
        /// Rows needed.
        rows: u64,
    },
    /// The claimed output has the wrong length for the kernel.
    #[error("{kernel}: {got} output values, expected {expected}")]
    OutputLength {
        /// The kernel.
        kernel: String,
        /// Values expected.
        expected: usize,
        /// Values given.
        got: usize,
    },
    /// The witness does not satisfy the circuit (a bug in the witness generator).
    #[error("witness: {0}")]
    Witness(#[from] R1csError),
    /// Proving or verifying failed.
    #[error(transparent)]
    Spartan(#[from] SpartanError),
    /// The commitment scheme failed.
    #[error(transparent)]
    Pcs(#[from] PcsError),
    /// The proof bytes are malformed.
    #[error(transparent)]
    Format(#[from] FormatError),
}

/// A kernel with its size parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// `n × n` matrix multiplication over the field.
    MatMul {
        /// The dimension.
        n: usize,
    },
    /// The chain of `hashes` MiMC-7 hashes (circomlib's `mimc7.hash`) from public `x` with the
    /// public `key`.
    Mimc {
        /// Hashes of 91 rounds each (at least 1).
        hashes: usize,
        /// The input.
        x: Fr,
        /// The key.
        key: Fr,
    },
}

/// A kernel's satisfying witness.
#[derive(Clone, Debug)]
pub struct Witness {
    /// The columns, each `padded_rows` long.
    pub columns: Vec<Vec<Fr>>,
    /// The public output.
    pub output: Vec<Fr>,
    /// Rows doing real work (before padding).
    pub rows: usize,
}

/// A [`BaselineError::BadSpec`] for `spec`.
fn bad(spec: &str, reason: impl Into<String>) -> BaselineError {
    BaselineError::BadSpec {
        spec: spec.to_string(),
        reason: reason.into(),
    }
}

/// `s`, the `what` of `spec`, as a non-negative integer.
fn parse_usize(spec: &str, s: &str, what: &str) -> Result<usize, BaselineError> {
    s.parse::<usize>()
        .map_err(|_| bad(spec, format!("{what} `{s}` is not a non-negative integer")))
}

/// `s`, a parameter of `spec`, as a decimal field element.
fn parse_fr(spec: &str, s: &str) -> Result<Fr, BaselineError> {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        s.parse::<Fr>()
            .map_err(|()| bad(spec, format!("`{s}` is not a field element")))
    } else {
        Err(bad(spec, format!("`{s}` is not a decimal number")))
    }
}

/// `log2` of the padded rows for `rows` rows of work (an error above [`MAX_LOG_ROWS`]).
fn rows_log(kernel: &Kernel, rows: u64) -> Result<usize, BaselineError> {
    // One more row than the work, so that the last row is never an active one.
    let total = rows.saturating_add(1);
    let log = total.next_power_of_two().trailing_zeros() as usize;
    if total > 1 << MAX_LOG_ROWS {
        return Err(BaselineError::TooLarge {
            kernel: kernel.name(),
            rows,
        });
    }
    Ok(log)
}

impl Kernel {
    /// Parses `matmul:N`, or `mimc[:N[:X:KEY]]`: `N` chained MiMC-7 hashes (default 1) from `X`
    /// with key `KEY` (decimal field elements, default 1 and 2).
    pub fn parse(spec: &str) -> Result<Self, BaselineError> {
        let parts: Vec<&str> = spec.split(':').collect();
        match parts.as_slice() {
            ["matmul", n] => {
                let n = parse_usize(spec, n, "the dimension")?;
                if n == 0 {
                    return Err(bad(spec, "the dimension must be at least 1"));
                }
                Ok(Kernel::MatMul { n })
            }
            ["mimc"] => Ok(Kernel::Mimc {
                hashes: 1,
                x: Fr::one(),
                key: Fr::from(2u64),
            }),
            ["mimc", n, rest @ ..] => {
                let hashes = parse_usize(spec, n, "the number of hashes")?;
                if hashes == 0 {
                    return Err(bad(spec, "at least one hash"));
                }
                let (x, key) = match rest {
                    [] => (Fr::one(), Fr::from(2u64)),
                    [x, k] => (parse_fr(spec, x)?, parse_fr(spec, k)?),
                    _ => return Err(bad(spec, "expected mimc:N or mimc:N:X:KEY")),
                };
                Ok(Kernel::Mimc { hashes, x, key })
            }
            _ => Err(bad(spec, "expected matmul:N or mimc[:N[:X:KEY]]")),
        }
    }

    /// A short name (`matmul:4`, `mimc:10`).
    pub fn name(&self) -> String {
        match self {
            Kernel::MatMul { n } => format!("matmul:{n}"),
            Kernel::Mimc { hashes, .. } => format!("mimc:{hashes}"),
        }
    }

    /// The full specification, every parameter included: [`Kernel::parse`] reads it back.
    pub fn spec(&self) -> String {
        match self {
            Kernel::MatMul { n } => format!("matmul:{n}"),
            Kernel::Mimc { hashes, x, key } => {
                format!("mimc:{hashes}:{}:{}", x.into_bigint(), key.into_bigint())
            }
        }
    }

    /// Rows doing real work: `n³` multiply-accumulates, or one per round (91 per hash).
    pub fn work_rows(&self) -> u64 {
        match self {
            Kernel::MatMul { n } => (*n as u64).saturating_pow(3),
            Kernel::Mimc { hashes, .. } => (*hashes as u64).saturating_mul(MIMC_ROUNDS as u64),
        }
    }

    /// The output computed in plain Rust, with no circuit.
    pub fn reference_output(&self) -> Vec<Fr> {
        match self {
            Kernel::MatMul { n } => matmul_reference(*n),
            Kernel::Mimc { hashes, x, key } => vec![mimc_reference(*hashes, *x, *key)],
        }
    }

    /// The constraint system for the claimed public `output`.
    pub fn circuit(&self, output: &[Fr]) -> Result<UniformR1cs, BaselineError> {
        rows_log(self, self.work_rows())?;
        let expected = match self {
            Kernel::MatMul { n } => n * n,
            Kernel::Mimc { .. } => 1,
        };
        if output.len() != expected {
            return Err(BaselineError::OutputLength {
                kernel: self.name(),
                expected,
                got: output.len(),
            });
        }
        Ok(match self {
            Kernel::MatMul { n } => matmul_circuit(*n, output),
            Kernel::Mimc { hashes, x, key } => mimc_circuit(*hashes, *x, *key, output[0]),
        })
    }

    /// The satisfying witness and the output.
    pub fn witness(&self) -> Result<Witness, BaselineError> {
        let log = rows_log(self, self.work_rows())?;
        Ok(match self {
            Kernel::MatMul { n } => matmul_witness(*n, 1 << log),
            Kernel::Mimc { hashes, x, key } => mimc_witness(*hashes, *x, *key, 1 << log),
        })
    }
}

/// The shared `act`/`cnt` constraints: `act` Boolean, 1 on the first row, never 0 → 1; `cnt`
/// counts the active rows and equals `work` on the last row.
fn activity(r: &mut UniformR1cs, act: usize, cnt: usize, work: u64) {
    let not_last = || Var::One - Var::Last;
    let (a, c) = (Var::Cur(act), Var::Cur(cnt));
    r.add("act.bool", a, a - 1, LinComb::zero());
    r.add(
        "act.monotone",
        Var::One - a,
        Var::Next(act),
        LinComb::zero(),
    );
    r.add("act.init", Var::First, a - 1, LinComb::zero());
    r.add(
        "cnt.step",
        not_last(),
        Var::Next(cnt) - c - a,
        LinComb::zero(),
    );
    r.add("cnt.init", Var::First, c, LinComb::zero());
    r.add(
        "cnt.final",
        Var::Last,
        c - LinComb::from(Fr::from(work)),
        LinComb::zero(),
    );
}

/// The `act` and `cnt` columns on `rows` rows with `work` active rows.
fn activity_columns(rows: usize, work: usize) -> (Vec<Fr>, Vec<Fr>) {
    let act = (0..rows).map(|t| Fr::from(u64::from(t < work))).collect();
    let cnt = (0..rows).map(|t| Fr::from(t.min(work) as u64)).collect();
    (act, cnt)
}

/// Proves a kernel with [`spartan::prove_uniform_timed`]: the public output, the proof bytes (the
/// versioned [`UniformProof`] format) and a [`Report`] (`cycles` = rows doing work,
/// `padded_cycles` = rows; no lookups or memory). The phases mirror the zkVM prover's: witness
/// generation, commit columns, spartan, openings, serialize. Setup (cached on disk) is excluded
/// from the time, as in the pipeline.
pub fn prove(kernel: &Kernel) -> Result<(Vec<Fr>, Vec<u8>, Report), BaselineError> {
    let clock = Instant::now();
    let witness = kernel.witness()?;
    let r1cs = kernel.circuit(&witness.output)?;
    let rows = witness.columns.first().map_or(0, Vec::len);
    let columns: Vec<DenseMle> = witness.columns.into_iter().map(DenseMle::new).collect();
    let witness_time = clock.elapsed();
    let setup = DoryPcs::setup(rows.trailing_zeros() as usize)?;
    let (proof, times) =
        spartan::prove_uniform_timed(&setup, &r1cs, &columns, &mut Transcript::new(DOMAIN))?;
    let clock = Instant::now();
    let bytes = proof.to_bytes()?;
    let phases: Vec<(String, f64)> = [
        ("witness generation", witness_time),
        ("commit columns", times.commit),
        ("spartan", times.spartan),
        ("openings", times.open),
        ("serialize", clock.elapsed()),
    ]
    .into_iter()
    .map(|(name, time)| (name.to_string(), time.as_secs_f64()))
    .collect();
    let report = Report {
        isa: format!("circuit ({})", kernel.name()),
        cycles: witness.rows as u64,
        padded_cycles: rows as u64,
        columns_per_cycle: r1cs.num_columns(),
        committed_elements: (columns.len() * rows) as u64,
        committed_small_elements: times.small_elements,
        constraints_per_cycle: r1cs.constraints.len(),
        prove_seconds: phases.iter().map(|(_, s)| s).sum(),
        phases,
        peak_memory_bytes: peak_memory_bytes(),
        proof_bytes: bytes.len(),
        ..Report::default()
    };
    Ok((witness.output, bytes, report))
}

/// Verifies a proof that `kernel` outputs `output` with [`spartan::verify_uniform`], after
/// checking the fixed columns' commitments; returns the verifier time (setup excluded).
pub fn verify(
    kernel: &Kernel,
    output: &[Fr],
    proof_bytes: &[u8],
) -> Result<Duration, BaselineError> {
    let r1cs = kernel.circuit(output)?;
    let proof = UniformProof::from_bytes(proof_bytes)?;
    let n = proof.num_rows_log as usize;
    let expected = rows_log(kernel, kernel.work_rows())?;
    if n != expected {
        return Err(
            SpartanError::Malformed(format!("2^{n} rows, the kernel has 2^{expected}")).into(),
        );
    }
    let setup = DoryPcs::setup(n)?;
    // Preprocessing (a verifying key would hold it): the fixed columns' commitments.
    let fixed = match kernel {
        Kernel::MatMul { .. } => Vec::new(),
        Kernel::Mimc { hashes, .. } => mimc_fixed_commitments(&setup, *hashes, n)?,
    };
    let start = Instant::now();
    for (j, expected) in &fixed {
        if proof.commitments.get(*j) != Some(expected) {
            return Err(SpartanError::Malformed(format!(
                "the commitment to the fixed column {j} is not the public one"
            ))
            .into());
        }
    }
    spartan::verify_uniform(&setup, &r1cs, &proof, &mut Transcript::new(DOMAIN))?;
    Ok(start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kernels() -> Vec<Kernel> {
        vec![
            Kernel::MatMul { n: 1 },
            Kernel::MatMul { n: 2 },
            Kernel::MatMul { n: 3 },
            Kernel::MatMul { n: 4 },
            Kernel::Mimc {
                hashes: 1,
                x: Fr::from(5u64),
                key: Fr::from(9u64),
            },
            Kernel::parse("mimc:2").unwrap(),
            Kernel::parse("mimc:3:3:4").unwrap(),
        ]
    }

    #[test]
    fn circuits_are_satisfied_and_outputs_match_plain_rust() {
        for k in kernels() {
            let w = k.witness().unwrap();
            assert_eq!(w.output, k.reference_output(), "{}", k.name());
            let r1cs = k.circuit(&w.output).unwrap();
            r1cs.check(&w.columns)
                .unwrap_or_else(|e| panic!("{}: {e}", k.name()));
            assert!(w.columns[0].len().is_power_of_two());
            assert!(w.columns[0].len() > w.rows);
            assert_eq!(w.rows as u64, k.work_rows());
        }
    }

    #[test]
    fn a_wrong_output_or_tampered_cell_is_caught_by_the_checker() {
        for k in kernels() {
            let w = k.witness().unwrap();
            let mut wrong = w.output.clone();
            wrong[0] += Fr::one();
            assert!(k.circuit(&wrong).unwrap().check(&w.columns).is_err());
            let r1cs = k.circuit(&w.output).unwrap();
            // Every cell of the first two rows, of a middle row and (for MiMC) of the last
            // round of the first hash (where the feed-forward happens) matters.
            let rows = w.columns[0].len();
            for row in [0, 1, rows / 2, MIMC_ROUNDS - 1] {
                if row >= rows {
                    continue;
                }
                for j in 0..w.columns.len() {
                    // The fixed columns are checked by commitment, not by the constraints.
                    if matches!(k, Kernel::Mimc { .. }) && (j == mimc::mi::C || j == mimc::mi::E) {
                        continue;
                    }
                    // The inverse advice is free where the counter is at its end.
                    if r1cs.column_names[j].ends_with("_inv") {
                        continue;
                    }
                    let mut cols = w.columns.clone();
                    cols[j][row] += Fr::one();
                    assert!(
                        r1cs.check(&cols).is_err(),
                        "{}: column {} row {row} is unconstrained",
                        k.name(),
                        r1cs.column_names[j]
                    );
                }
            }
        }
    }

    #[test]
    fn proofs_verify_and_a_false_output_or_tampered_proof_is_rejected() {
        for k in [Kernel::MatMul { n: 3 }, Kernel::parse("mimc:2").unwrap()] {
            let (out, bytes, report) = prove(&k).unwrap();
            assert_eq!(out, k.reference_output());
            assert_eq!(report.proof_bytes, bytes.len());
            assert_eq!(report.cycles, k.work_rows());
            // Counters and flags go through the small-value path, field elements do not.
            let rows = report.padded_cycles * report.columns_per_cycle as u64;
            assert_eq!(report.committed_elements, rows);
            assert!(report.committed_small_elements > 0, "{}", k.name());
            assert!(report.committed_small_elements < rows, "{}", k.name());
            let phases: Vec<&str> = report.phases.iter().map(|(p, _)| p.as_str()).collect();
            assert_eq!(
                phases,
                [
                    "witness generation",
                    "commit columns",
                    "spartan",
                    "openings",
                    "serialize"
                ]
            );
            verify(&k, &out, &bytes).unwrap();
            let mut wrong = out.clone();
            wrong[0] += Fr::one();
            assert!(verify(&k, &wrong, &bytes).is_err(), "{}", k.name());
            let mut tampered = bytes.clone();
            let i = tampered.len() / 2;
            tampered[i] ^= 1;
            assert!(verify(&k, &out, &tampered).is_err(), "{}", k.name());
        }
    }

    #[test]
    fn specs_parse_and_bad_ones_are_errors() {
        assert_eq!(Kernel::parse("matmul:5").unwrap(), Kernel::MatMul { n: 5 });
        assert_eq!(Kernel::parse("mimc:3").unwrap().name(), "mimc:3");
        assert_eq!(
            Kernel::parse("mimc").unwrap(),
            Kernel::Mimc {
                hashes: 1,
                x: Fr::one(),
                key: Fr::from(2u64)
            }
        );
        assert_eq!(Kernel::parse("mimc:10").unwrap().work_rows(), 910);
        for k in kernels() {
            assert_eq!(Kernel::parse(&k.spec()).unwrap(), k);
        }
        for bad in [
            "",
            "matmul",
            "matmul:0",
            "matmul:x",
            "mimc:0",
            "mimc:2:1",
            "mimc:1:x:2",
            "sha:3",
        ] {
            assert!(Kernel::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            Kernel::MatMul { n: 1000 }.witness(),
            Err(BaselineError::TooLarge { .. })
        ));
    }
}
