//! Twist: read-write memory checking by one-hot addressing and increments (Setty and Thaler,
//! "Twist and Shout", ePrint 2025/105: the Twist PIOP for `d = 1`, with its read-checking and
//! Val-evaluation sumchecks, and Shout's Hamming-weight and Booleanity checks of the one-hot
//! address). The zkVM's proofs use [`bits`] instead: the address committed as bits, and
//! inactive accesses; this module is the reference form, tested and benchmarked beside it.
//!
//! **Statement.** A memory of `K = 2^log_k` cells with public initial values `init(k)`, and
//! `T = 2^log_t` accesses (`log_t ≥ 1`). Access `j` touches the cell `a_j`, committed as the
//! one-hot matrix `ra(k, j) = [a_j = k]` ([`OneHotMle`]); it reads `rv_j` and leaves `wv_j` in the
//! cell (a plain read writes back the value it read). The claim: every read returns what the
//! latest earlier access to its cell left there, or `init` if there was none.
//!
//! **Increments.** Every access reads and writes one cell, so the write address is the read
//! address (`wa = ra`) and the increment `Inc(j) = wv_j − rv_j` is virtual: nothing beyond the
//! values and the address is committed. The value of cell `k` before access `j` is
//!
//! ```text
//! Val(k, j) = init(k) + Σ_{j'} ra(k, j') · Inc(j') · LT(j', j),   LT(j', j) = [j' < j],
//! ```
//!
//! and the reads are correct iff `rv_j = Val(a_j, j)` for every `j`: by induction over the
//! accesses to a cell, the first reads `init`, and each later one `init` plus the increments so
//! far, which telescope to the value the previous access left.
//!
//! **Address.** The caller computes each access's address `addr_j` in its own columns; `ra` must
//! encode that address: `Σ_k k · ra(k, j) = addr_j` (Jolt's "raf" evaluation), which, with
//! one-hot `ra`, also keeps every address below `K`.
//!
//! **Protocol.** After the statement (`K`, `T`, `init`, the point `r_cycle` and the claims
//! `rv(r_cycle)`, `addr(r_cycle)`) the verifier draws `β, γ, δ` and `r_bool ∈ F^log_k`.
//! 1. *Read checking*, one sumcheck over `(k, j)`, address variables first, batched as in Shout:
//!    `Σ_{k,j} eq(r_cycle, j) · ra · [Val + β + δ·k + γ · eq(r_bool, k) · (ra − 1)]
//!    = rv(r_cycle) + β + δ · addr(r_cycle)`,
//!    which holds for one-hot `ra` iff the reads and addresses are correct at a random point; the
//!    `β` term is the Hamming weight (one hot entry per cycle), the `δ` term the address, the `γ`
//!    term Booleanity. It ends at `(r_k, r_j)`, with `ra(r_k, r_j)` left for the commitment and
//!    `Val(r_k, r_j)` claimed. `k`'s extension `id(r_k) = Σ_i 2^(log_k − 1 − i) r_{k,i}` the
//!    verifier computes itself.
//! 2. *Val evaluation*, one sumcheck over `j'`, degree 3:
//!    `Val(r_k, r_j) − init(r_k) = Σ_{j'} ra(r_k, j') · (wv − rv)(j') · LT(j', r_j)`.
//!    The verifier evaluates `init(r_k)` (`O(K)`, it is public) and `LT` ([`lt_eval`], `O(log T)`)
//!    itself; `ra(r_k, r'')`, `rv(r'')` and `wv(r'')` at the final point `r''` are left to the
//!    caller ([`TwistClaims`]).
//!
//! **Prover.** Address variables are bound first, as in Shout, but `Val` changes with time, so
//! every address round sweeps the accesses in order: with `i` variables bound, the memory is a
//! table of `2^(log_k − i)` partly bound cells, read at each access and updated by its increment
//! (`O(T + K)` per round, `O((T + K) log K)` in all, never `K · T`). Then `ra(r_k, j)` and
//! `Val(r_k, j)` are dense vectors of `T` values and the cycle rounds run the dense prover.

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, One, Zero};
use rayon::prelude::*;

use crate::one_hot::OneHotMle;
use crate::poly::{eq_eval, eq_table, lt_eval, lt_table, DenseMle};
use crate::shout::RaClaim;
use crate::sumcheck::{self, interpolate, SumcheckError, SumcheckProof};
use crate::transcript::Transcript;

/// Transcript labels of Twist.
pub mod labels {
    /// The memory's size and the run's length.
    pub const SHAPE: &[u8] = b"twist-shape";
    /// The initial memory.
    pub const INIT: &[u8] = b"twist-init";
    /// The caller's cycle point.
    pub const POINT: &[u8] = b"twist-point";
    /// The claimed evaluations of the values read and of the addresses.
    pub const CLAIMS: &[u8] = b"twist-claims";
    /// `ra` and `Val` at the read-checking sumcheck's final point.
    pub const READ_EVALS: &[u8] = b"twist-read-evals";
    /// `ra`, `wv` and `rv` at the Val-evaluation sumcheck's final point.
    pub const VAL_EVALS: &[u8] = b"twist-val-evals";
}

/// A Twist proof: the two sumchecks and the values at their final points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwistProof {
    /// Read checking over `(k, j)`, degree 3.
    pub read_checking: SumcheckProof,
    /// `ra(r_k, r_j)`.
    pub ra_eval: Fr,
    /// `Val(r_k, r_j)`, proven by the Val-evaluation sumcheck.
    pub val_eval: Fr,
    /// Val evaluation over `j'`, degree 3.
    pub val_evaluation: SumcheckProof,
    /// `ra(r_k, r'')`.
    pub val_ra_eval: Fr,
    /// `wv(r'')`.
    pub write_eval: Fr,
    /// `rv(r'')`.
    pub read_eval: Fr,
}

crate::impl_serialization!(TwistProof {
    read_checking: one,
    ra_eval: one,
    val_eval: one,
    val_evaluation: one,
    val_ra_eval: one,
    write_eval: one,
    read_eval: one,
});

/// What the caller must check against its commitments once Twist's verifier accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwistClaims {
    /// `ra` at the read-checking point and at the Val-evaluation point, address variables first.
    pub ra: [RaClaim; 2],
    /// The cycle point `r''` of the values read and written.
    pub point: Vec<Fr>,
    /// `rv(r'')`.
    pub read: Fr,
    /// `wv(r'')`.
    pub write: Fr,
}

/// Why a Twist proof was rejected, or could not be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TwistError {
    /// The memory, the accesses and the point do not fit together.
    #[error("twist: {0}")]
    Shape(String),
    /// A round of the read-checking sumcheck does not match its claim.
    #[error("twist read checking: {0}")]
    ReadChecking(SumcheckError),
    /// Read checking's final value is not what `ra`, `Val` and the points give.
    #[error(
        "twist: read checking's final check failed (a wrong value read, or an address not one-hot)"
    )]
    ReadCheckingFinal,
    /// A round of the Val-evaluation sumcheck does not match its claim.
    #[error("twist Val evaluation: {0}")]
    ValEvaluation(SumcheckError),
    /// Val evaluation's final value is not what `ra`, the increments and `LT` give.
    #[error("twist: Val evaluation's final check failed (a wrong increment or a wrong Val)")]
    ValEvaluationFinal,
    /// A round of the bits sumcheck of Twist over bits ([`bits`]) does not match its claim.
    #[error("twist address bits: {0}")]
    Bits(SumcheckError),
    /// The bits sumcheck's final value is not what the bits give.
    #[error("twist: the address bits' final check failed (addresses other than the bits spell)")]
    BitsFinal,
}

/// The claimed evaluations, at the caller's point `r_cycle`, of the two columns Twist ties to
/// memory: the values read and the addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccessClaims {
    /// `rv(r_cycle)`.
    pub read: Fr,
    /// `addr(r_cycle)`.
    pub address: Fr,
}

/// The verifier's challenges.
struct Challenges {
    beta: Fr,
    gamma: Fr,
    delta: Fr,
    r_bool: Vec<Fr>,
}

fn check_shape(init_len: usize, log_t: usize, r_cycle: &[Fr]) -> Result<usize, TwistError> {
    if !init_len.is_power_of_two() || init_len > 1 << 32 {
        return Err(TwistError::Shape(format!(
            "a memory of {init_len} cells is not a power of two up to 2^32"
        )));
    }
    if log_t == 0 {
        return Err(TwistError::Shape("a run of one access".into()));
    }
    if r_cycle.len() != log_t {
        return Err(TwistError::Shape(format!(
            "a point of {} coordinates for 2^{log_t} accesses",
            r_cycle.len()
        )));
    }
    Ok(init_len.trailing_zeros() as usize)
}

/// Binds the statement — the shape, the whole initial memory (a prover choosing an entry after
/// `r_k` could meet the final check with any claim) and the claims — and draws the challenges.
fn challenges(
    init: &[Fr],
    r_cycle: &[Fr],
    claims: AccessClaims,
    transcript: &mut Transcript,
) -> Challenges {
    let log_k = init.len().trailing_zeros() as usize;
    transcript.absorb_u64(labels::SHAPE, ((log_k as u64) << 32) | r_cycle.len() as u64);
    transcript.absorb_fields(labels::INIT, init);
    // The point too: the callers draw it from this transcript, and binding it here keeps the
    // one-hotness checks sound for a caller that would not.
    transcript.absorb_fields(labels::POINT, r_cycle);
    transcript.absorb_fields(labels::CLAIMS, &[claims.read, claims.address]);
    Challenges {
        beta: transcript.challenge(),
        gamma: transcript.challenge(),
        delta: transcript.challenge(),
        r_bool: transcript.challenges(log_k),
    }
}

impl Challenges {
    /// Read checking's claimed sum.
    fn claim(&self, claims: AccessClaims) -> Fr {
        claims.read + self.beta + self.delta * claims.address
    }

    /// Read checking's summand at one `(k, j)`, with `id` the address `k` (or its extension):
    /// `eq(r_cycle, j) · ra · (val + β + δ · id + γ · eq_bool · (ra − 1))`.
    fn read_summand(&self, eq_cycle: Fr, ra: Fr, val: Fr, id: Fr, eq_bool: Fr) -> Fr {
        eq_cycle
            * ra
            * (val + self.beta + self.delta * id + self.gamma * eq_bool * (ra - Fr::one()))
    }
}

/// `id(r_k) = Σ_i 2^(log_k − 1 − i) r_{k,i}`: the extension of `k ↦ k`, most significant first.
fn id_eval(r_k: &[Fr]) -> Fr {
    r_k.iter().fold(Fr::zero(), |acc, r| acc.double() + r)
}

/// One address round of the prover: variable `i` (of weight `half`) is next, the ones above it
/// are bound.
struct AddressRound<'a> {
    half: usize,
    /// The initial memory bound on the top variables: `2 · half` partly bound cells.
    memory: &'a [Fr],
    /// `eq(r_bool, ·)` bound likewise.
    eq_bool: &'a [Fr],
    /// `e[k] = eq(r_1..r_i, k's high bits)`.
    e: &'a [Fr],
    /// The bound part of the address's extension.
    id_bound: Fr,
}

impl AddressRound<'_> {
    /// The round polynomial at `X = 0, 2, 3` ([`sweep`]).
    fn sums(
        &self,
        addresses: &[u32],
        eq_cycle: &[Fr],
        increments: &[Fr],
        ch: &Challenges,
    ) -> [Fr; 3] {
        sweep(
            self.memory,
            self.e,
            addresses,
            increments,
            |j, memory, sums: &mut [Fr; 3]| self.read(memory, addresses[j], eq_cycle[j], ch, sums),
        )
    }

    /// Adds access `a`'s summand at `X = 0, 2, 3` (`ra` is `E · X` or `E · (1 − X)`, zero at
    /// `X = 0` when the bit is set).
    fn read(&self, memory: &[Fr], a: u32, eq_cycle: Fr, ch: &Challenges, sums: &mut [Fr; 3]) {
        let a = a as usize;
        let half = self.half;
        let rest = a & (half - 1);
        let bit = a & half != 0;
        let (v0, v1) = (memory[rest], memory[rest + half]);
        let (b0, b1) = (self.eq_bool[rest], self.eq_bool[rest + half]);
        let id0 = self.id_bound + Fr::from(rest as u64);
        let id_step = Fr::from(half as u64);
        let e = self.e[a];
        for (sum, x) in sums.iter_mut().zip([0u64, 2, 3]) {
            let xf = Fr::from(x);
            let ra_x = match (bit, x) {
                (true, 0) => continue,
                (true, _) => e * xf,
                (false, 0) => e,
                (false, _) => e * (Fr::one() - xf),
            };
            let val_x = v0 + xf * (v1 - v0);
            let b_x = b0 + xf * (b1 - b0);
            *sum += ch.read_summand(eq_cycle, ra_x, val_x, id0 + xf * id_step, b_x);
        }
    }
}

/// One address round's pass over the accesses (see the module's *Prover*): in time order, each
/// access `j` adds its summands to the sums through `read(j, memory, sums)` and then its
/// increment, `e[a_j] · increments[j]`, to its partly bound cell (`memory` holds the partly
/// bound cells, `a_j`'s is `a_j mod memory.len()`). Chunks of accesses run in parallel, each
/// from a snapshot of the memory at its start (one cheap sequential pass of increments).
pub(crate) fn sweep<const N: usize>(
    memory: &[Fr],
    e: &[Fr],
    addresses: &[u32],
    increments: &[Fr],
    read: impl Fn(usize, &[Fr], &mut [Fr; N]) + Sync,
) -> [Fr; N] {
    let mask = memory.len() - 1;
    let apply = |memory: &mut [Fr], j: usize| {
        if !increments[j].is_zero() {
            let a = addresses[j] as usize;
            memory[a & mask] += e[a] * increments[j];
        }
    };
    let chunk = addresses
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(1 << 12);
    let mut snapshots = vec![memory.to_vec()];
    let starts: Vec<usize> = (0..addresses.len()).step_by(chunk).collect();
    for &start in &starts[1..] {
        let mut memory = snapshots.last().expect("one snapshot").clone();
        (start - chunk..start).for_each(|j| apply(&mut memory, j));
        snapshots.push(memory);
    }
    starts
        .into_par_iter()
        .zip(snapshots)
        .map(|(start, mut memory)| {
            let mut sums = [Fr::zero(); N];
            for j in start..(start + chunk).min(addresses.len()) {
                read(j, &memory, &mut sums);
                apply(&mut memory, j);
            }
            sums
        })
        .reduce(
            || [Fr::zero(); N],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        )
}

/// Proves that the accesses at `ra`'s addresses, reading `reads` and writing `writes`, are
/// consistent with the memory `init`; returns the proof and the claims at `r_cycle` (the
/// addresses' claim from `ra`'s addresses). `ra`, `reads` and `writes` must be committed, and
/// `r_cycle` drawn, before this call.
pub fn prove(
    init: &[Fr],
    ra: &OneHotMle,
    reads: &[Fr],
    writes: &[Fr],
    r_cycle: &[Fr],
    transcript: &mut Transcript,
) -> Result<(TwistProof, AccessClaims), TwistError> {
    let log_t = ra.log_t();
    let log_k = check_shape(init.len(), log_t, r_cycle)?;
    if log_k != ra.log_k() || reads.len() != 1 << log_t || writes.len() != 1 << log_t {
        return Err(TwistError::Shape(format!(
            "2^{log_k} cells, addresses of {} bits, {} reads and {} writes for 2^{log_t} accesses",
            ra.log_k(),
            reads.len(),
            writes.len()
        )));
    }
    let _span =
        tracing::debug_span!(target: "zkvm::prover", "twist::prove", log_k, log_t).entered();
    let addresses = ra.addresses();
    let eq_cycle = eq_table(r_cycle);
    let claims = AccessClaims {
        read: crate::poly::inner_product(reads, &eq_cycle),
        address: addresses
            .par_iter()
            .zip(eq_cycle.par_iter())
            .map(|(a, e)| Fr::from(*a) * e)
            .sum(),
    };
    let ch = challenges(init, r_cycle, claims, transcript);
    let increments: Vec<Fr> = writes.par_iter().zip(reads).map(|(w, r)| *w - r).collect();

    // Address rounds (see the module's *Prover*). `e[k] = eq(r_1..r_i, k's high bits)`,
    // `init_bound` the initial memory and `eq_bool` the Booleanity weights bound on the top variables, and
    // `id_bound` the bound part of the address's extension.
    let mut claim = ch.claim(claims);
    let mut id_bound = Fr::zero();
    let mut rounds = Vec::with_capacity(log_k + log_t);
    let mut e = vec![Fr::one(); init.len()];
    let mut init_bound = DenseMle::new(init.to_vec());
    let mut eq_bool = DenseMle::new(eq_table(&ch.r_bool));
    for i in 0..log_k {
        let half = 1usize << (log_k - 1 - i);
        let round_state = AddressRound {
            half,
            memory: init_bound.evals(),
            eq_bool: eq_bool.evals(),
            e: &e,
            id_bound,
        };
        let sums = round_state.sums(addresses, &eq_cycle, &increments, &ch);
        let round = vec![sums[0], claim - sums[0], sums[1], sums[2]];
        transcript.absorb_fields(sumcheck::labels::ROUND_POLY, &round);
        let r = transcript.challenge();
        claim = interpolate(&round, r);
        rounds.push(round);
        for (k, e_k) in e.iter_mut().enumerate() {
            *e_k *= if k & half != 0 { r } else { Fr::one() - r };
        }
        init_bound.bind_top(r);
        eq_bool.bind_top(r);
        id_bound += r * Fr::from(half as u64);
    }

    // Cycle rounds: ra(r_k, j) = e[a_j] and Val(r_k, j) (a prefix sum of the increments) are
    // dense vectors of T values.
    let (init_k, eq_bool_k) = (init_bound.evals()[0], eq_bool.evals()[0]);
    let ra_k: Vec<Fr> = addresses.par_iter().map(|a| e[*a as usize]).collect();
    let mut val_k = Vec::with_capacity(1 << log_t);
    let mut running = init_k;
    for (ra_j, inc) in ra_k.iter().zip(&increments) {
        val_k.push(running);
        running += *ra_j * inc;
    }
    let combine = |p: &[Fr]| ch.read_summand(p[0], p[1], p[2], id_bound, eq_bool_k);
    let polys = vec![
        DenseMle::new(eq_cycle),
        DenseMle::new(ra_k.clone()),
        DenseMle::new(val_k),
    ];
    let (cycle_rounds, r_j, evals) = sumcheck::prove(claim, polys, 3, combine, transcript);
    rounds.extend(cycle_rounds.rounds);
    let (ra_eval, val_eval) = (evals[1], evals[2]);
    transcript.absorb_fields(labels::READ_EVALS, &[ra_eval, val_eval]);

    let (val_evaluation, [val_ra_eval, write_eval, read_eval]) =
        prove_val_evaluation(ra_k, reads, writes, &r_j, val_eval - init_k, transcript);
    Ok((
        TwistProof {
            read_checking: SumcheckProof { rounds },
            ra_eval,
            val_eval,
            val_evaluation,
            val_ra_eval,
            write_eval,
            read_eval,
        },
        claims,
    ))
}

/// The Val-evaluation sumcheck: `claim = Val(r_k, r_j) − init(r_k) = Σ_j' ra(r_k, j') ·
/// (wv − rv)(j') · LT(j', r_j)`, given `ra(r_k, ·)`. Returns the proof and `ra(r_k, r'')`,
/// `wv(r'')`, `rv(r'')`, absorbed.
fn prove_val_evaluation(
    ra_k: Vec<Fr>,
    reads: &[Fr],
    writes: &[Fr],
    r_j: &[Fr],
    claim: Fr,
    transcript: &mut Transcript,
) -> (SumcheckProof, [Fr; 3]) {
    let polys = vec![
        DenseMle::new(ra_k),
        DenseMle::new(writes.to_vec()),
        DenseMle::new(reads.to_vec()),
        DenseMle::new(lt_table(r_j)),
    ];
    let combine = |p: &[Fr]| p[0] * (p[1] - p[2]) * p[3];
    let (proof, _, evals) = sumcheck::prove(claim, polys, 3, combine, transcript);
    let evals = [evals[0], evals[1], evals[2]];
    transcript.absorb_fields(labels::VAL_EVALS, &evals);
    (proof, evals)
}

/// Verifies a Twist proof that `2^log_t` accesses to the memory `init` read values whose
/// evaluation at `r_cycle` is `claims.read`, at addresses whose evaluation there is
/// `claims.address`; returns the claims left for the commitment scheme.
pub fn verify(
    init: &[Fr],
    log_t: usize,
    r_cycle: &[Fr],
    claims: AccessClaims,
    proof: &TwistProof,
    transcript: &mut Transcript,
) -> Result<TwistClaims, TwistError> {
    let log_k = check_shape(init.len(), log_t, r_cycle)?;
    let ch = challenges(init, r_cycle, claims, transcript);
    let read = sumcheck::verify(
        ch.claim(claims),
        log_k + log_t,
        3,
        &proof.read_checking,
        transcript,
    )
    .map_err(TwistError::ReadChecking)?;
    transcript.absorb_fields(labels::READ_EVALS, &[proof.ra_eval, proof.val_eval]);
    let (r_k, r_j) = read.point.split_at(log_k);
    let expected = ch.read_summand(
        eq_eval(r_cycle, r_j),
        proof.ra_eval,
        proof.val_eval,
        id_eval(r_k),
        eq_eval(&ch.r_bool, r_k),
    );
    if expected != read.expected {
        return Err(TwistError::ReadCheckingFinal);
    }

    let init_k = DenseMle::new(init.to_vec()).evaluate(r_k);
    let val = sumcheck::verify(
        proof.val_eval - init_k,
        log_t,
        3,
        &proof.val_evaluation,
        transcript,
    )
    .map_err(TwistError::ValEvaluation)?;
    transcript.absorb_fields(
        labels::VAL_EVALS,
        &[proof.val_ra_eval, proof.write_eval, proof.read_eval],
    );
    let expected =
        proof.val_ra_eval * (proof.write_eval - proof.read_eval) * lt_eval(&val.point, r_j);
    if expected != val.expected {
        return Err(TwistError::ValEvaluationFinal);
    }
    let at = |cycle: &[Fr]| [r_k, cycle].concat();
    Ok(TwistClaims {
        ra: [
            RaClaim {
                point: at(r_j),
                value: proof.ra_eval,
            },
            RaClaim {
                point: at(&val.point),
                value: proof.val_ra_eval,
            },
        ],
        point: val.point,
        read: proof.read_eval,
        write: proof.write_eval,
    })
}

pub mod bits;
#[cfg(test)]
mod tests;
