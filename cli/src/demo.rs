//! `zkvm demo`: the whole pipeline on a built-in example — run, prove, verify, and watch a
//! tampered proof get rejected.

use ark_bn254::Fr;
use zkvm_host::{Input, Program};

use crate::prove_cmd::print_report;

/// The built-in example: Fibonacci in zasm, n from the private input.
const FIB: &str = include_str!("demo_fib.zasm");

/// `zkvm demo`.
pub fn demo() -> anyhow::Result<u8> {
    let n = 1000u64;
    eprintln!("== zkvm demo: fib.zasm with private input n = {n}\n{FIB}");
    let program = Program::zasm("demo_fib.zasm", FIB)?;
    eprintln!("== proving (the first run also creates the commitment setup cache) ...");
    let proof = program.prove(&Input::new().field(n))?;
    let verified = program.verify(&proof.bytes)?;
    anyhow::ensure!(
        verified.output == proof.output,
        "verified output differs from the run's"
    );
    let mut report = proof.report;
    report.verify_seconds = Some(verified.time.as_secs_f64());
    print_report(&report);
    print!("public output (fib({n}) mod p):\n{}", verified.output);
    eprintln!("== the proof verifies; now flipping one byte in its middle ...");
    let mut tampered = proof.bytes.clone();
    let mid = tampered.len() / 2;
    tampered[mid] ^= 1;
    match program.verify(&tampered) {
        Ok(_) => anyhow::bail!("a tampered proof was accepted"),
        Err(e) => eprintln!("rejected, as it must be: {:#}", anyhow::Error::from(e)),
    }
    eprintln!("== and claiming another output ...");
    let mut wrong = zkvm_prover::proof::VmProof::from_bytes(&proof.bytes)?;
    wrong.public.output[0] += Fr::from(1u64);
    match program.verify(&wrong.to_bytes()) {
        Ok(_) => anyhow::bail!("a proof with another output was accepted"),
        Err(e) => eprintln!("rejected, as it must be: {:#}", anyhow::Error::from(e)),
    }
    Ok(0)
}
