//! The zasm lowering produces a witness that satisfies every constraint, on real programs.

use ark_bn254::Fr;
use zkvm_prover::lower::zasm;
use zkvm_prover::machine::PublicValues;

const PROGRAM: &str = r#"
main:
    [ap] = 0, ap++;
    [ap] = 1, ap++;
    [ap] = input, ap++;
loop:
    [ap] = [ap - 2], ap++;
    [ap] = [ap - 4] + [ap - 3], ap++;
    [ap] = [ap - 3] + -1, ap++;
    jmp loop if [ap - 1] != 0;
    output [ap - 3];
    [ap] = 5, ap++;
    call square;
    output [ap - 1];
    halt;
square:
    [ap] = [fp - 3] * [fp - 3], ap++;
    ret;
"#;

fn run(src: &str, input: &[u64]) -> (zkvm_isa::Program, zkvm_vm::Execution) {
    let program = zkvm_assembler::assemble_str("test.zasm", src).expect("assembles");
    let inputs: Vec<Fr> = input.iter().map(|v| Fr::from(*v)).collect();
    let config = zkvm_vm::RunConfig {
        record_trace: true,
        ..Default::default()
    };
    let exec = zkvm_vm::run(&program, &inputs, &config).expect("runs");
    (program, exec)
}

/// The run's public values: its output, exit code 0.
fn public(exec: &zkvm_vm::Execution) -> PublicValues {
    PublicValues {
        output: exec.output.clone(),
        exit_code: 0,
        shard: None,
    }
}

#[test]
fn fib_with_a_call_lowers_to_a_satisfying_witness() {
    let (program, exec) = run(PROGRAM, &[10]);
    assert_eq!(exec.output, vec![Fr::from(55u64), Fr::from(25u64)]);
    let trace = exec.trace.as_ref().unwrap();
    let (machine, witness) = zasm::lower(&program, trace, &public(&exec)).expect("lowers");
    assert_eq!(witness.columns.len(), machine.column_names.len());
    assert!(witness.columns[0].len().is_power_of_two());
}

#[test]
fn fib_with_a_call_proves_and_verifies() {
    use zkvm_prover::pcs::DoryPcs;
    let (program, exec) = run(PROGRAM, &[10]);
    let trace = exec.trace.as_ref().unwrap();
    let public = public(&exec);
    let (machine, witness) = zasm::lower(&program, trace, &public).expect("lowers");
    let setup = DoryPcs::setup(18).expect("setup");
    let (proof, _stats) =
        zkvm_prover::proof::prove(&machine, &public, witness, &setup).expect("proves");
    let bytes = proof.to_bytes();
    let proof = zkvm_prover::proof::VmProof::from_bytes(&bytes).expect("reads back");
    assert_eq!(proof.public, public);
    // The verifier's machine depends on the program and the memory size alone.
    let (verifier_machine, _) = zasm::machine(&program, proof.mem_log_size as usize);
    zkvm_prover::proof::verify(&verifier_machine, &proof, &setup).expect("verifies");
    let mut wrong_output = proof.clone();
    wrong_output.public.output[0] += Fr::from(1u64);
    assert!(zkvm_prover::proof::verify(&verifier_machine, &wrong_output, &setup).is_err());
    let mut wrong_exit = proof.clone();
    wrong_exit.public.exit_code = 1;
    assert!(zkvm_prover::proof::verify(&verifier_machine, &wrong_exit, &setup).is_err());
}
