//! Proves and verifies the synthetic uniform circuit ([`zkvm_prover::spartan::example`]) with
//! Spartan + Dory and reports phase times and the proof size.
//!
//! `cargo run --release -p zkvm-prover --example uniform_proof -- [log2 rows = 20] [q = 9]`
//! (`q = 9` is 49 constraints over 20 columns per row).

use std::time::Instant;
use zkvm_prover::pcs::DoryPcs;
use zkvm_prover::spartan::{self, example, UniformProof};
use zkvm_prover::transcript::Transcript;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let log_rows: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(20);
    let q: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(9);
    let r1cs = example::circuit(q);
    eprintln!(
        "2^{log_rows} rows, {} columns, {} constraints per row",
        r1cs.num_columns(),
        r1cs.constraints.len()
    );
    let clock = Instant::now();
    let setup = DoryPcs::setup(log_rows)?;
    eprintln!(
        "setup (cached on disk after the first run): {:?}",
        clock.elapsed()
    );
    let clock = Instant::now();
    let columns = example::witness(q, log_rows);
    eprintln!("witness: {:?}", clock.elapsed());
    let clock = Instant::now();
    let (proof, times) =
        spartan::prove_uniform_timed(&setup, &r1cs, &columns, &mut Transcript::new(b"example"))?;
    let prove = clock.elapsed();
    drop(columns);
    let bytes = proof.to_bytes()?;
    let clock = Instant::now();
    let back = UniformProof::from_bytes(&bytes)?;
    spartan::verify_uniform(&setup, &r1cs, &back, &mut Transcript::new(b"example"))?;
    let verify = clock.elapsed();
    println!(
        "log_rows={log_rows} columns={} constraints={} prove_s={:.2} commit_s={:.2} spartan_s={:.2} open_s={:.2} verify_ms={:.1} proof_bytes={}",
        r1cs.num_columns(),
        r1cs.constraints.len(),
        prove.as_secs_f64(),
        times.commit.as_secs_f64(),
        times.spartan.as_secs_f64(),
        times.open.as_secs_f64(),
        verify.as_secs_f64() * 1e3,
        bytes.len()
    );
    Ok(())
}
