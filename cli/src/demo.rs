//! `zkvm demo`: the whole pipeline on a built-in example — run, prove, verify, and watch a
//! tampered proof get rejected.

use ark_bn254::Fr;
use zkvm_prover::pipeline;

use crate::prove_cmd::{output_lines, print_report};

/// The built-in example: Fibonacci in zasm, n from the private input.
const FIB: &str = include_str!("demo_fib.zasm");

/// `zkvm demo`.
pub fn demo() -> anyhow::Result<u8> {
    let n = 1000u64;
    eprintln!("== zkvm demo: fib.zasm with private input n = {n}\n{FIB}");
    let program = zkvm_assembler::assemble_str("demo_fib.zasm", FIB)
        .map_err(|d| anyhow::anyhow!("the built-in example does not assemble:\n{}", d.render()))?;
    eprintln!("== proving (the first run also creates the commitment setup cache) ...");
    let (output, bytes, mut report) = pipeline::prove_zasm(&program, &[Fr::from(n)], 1 << 24)?;
    let (verified, time) = pipeline::verify_zasm(&program, &bytes)?;
    anyhow::ensure!(verified == output, "verified output differs from the run's");
    report.verify_seconds = Some(time.as_secs_f64());
    print_report(&report);
    print!("public output (fib({n}) mod p):\n{}", output_lines(&output));
    eprintln!("== the proof verifies; now flipping one byte in its middle ...");
    let mut tampered = bytes.clone();
    let mid = tampered.len() / 2;
    tampered[mid] ^= 1;
    match pipeline::verify_zasm(&program, &tampered) {
        Ok(_) => anyhow::bail!("a tampered proof was accepted"),
        Err(e) => eprintln!("rejected, as it must be: {:#}", anyhow::Error::from(e)),
    }
    eprintln!("== and claiming another output ...");
    let mut wrong = zkvm_prover::proof::VmProof::from_bytes(&bytes)?;
    wrong.public_output[0] += Fr::from(1u64);
    match pipeline::verify_zasm(&program, &wrong.to_bytes()) {
        Ok(_) => anyhow::bail!("a proof with another output was accepted"),
        Err(e) => eprintln!("rejected, as it must be: {:#}", anyhow::Error::from(e)),
    }
    Ok(0)
}
