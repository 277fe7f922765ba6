//! The soundness suite: a malicious prover changes the witness (or the proof) and the verifier
//! rejects. One test per class of attack, on a zasm program that exercises every constraint
//! family (field add and mul, jumps, calls, memory reads and writes, output).

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use std::sync::OnceLock;
use zkvm_prover::lower::{zasm, Witness};
use zkvm_prover::machine::{table_cols, Machine};
use zkvm_prover::pcs::DorySetup;
use zkvm_prover::pipeline::setup_for;
use zkvm_prover::proof::{prove, verify, VmProof};

const PROGRAM: &str = r#"
main:
    [ap] = input, ap++;
    [ap] = 3, ap++;
    [ap] = [ap - 1] * [ap - 2], ap++;
    [ap] = [ap - 1] + 7, ap++;
    call square;
    output [ap - 1];
    [ap] = 0, ap++;
    jmp done if [ap - 1] != 0;
    output [ap - 2];
done:
    halt;
square:
    [ap] = [fp - 3] * [fp - 3], ap++;
    ret;
"#;

struct Honest {
    program: zkvm_isa::Program,
    output: Vec<Fr>,
    machine: Machine,
    witness: Witness,
    setup: DorySetup,
}

fn honest() -> &'static Honest {
    static H: OnceLock<Honest> = OnceLock::new();
    H.get_or_init(|| {
        let program = zkvm_assembler::assemble_str("soundness.zasm", PROGRAM).expect("assembles");
        let config = zkvm_vm::RunConfig {
            record_trace: true,
            ..Default::default()
        };
        let exec = zkvm_vm::run(&program, &[Fr::from(5u64)], &config).expect("runs");
        let trace = exec.trace.unwrap();
        let (machine, witness) = zasm::lower(&program, &trace, &exec.output).expect("lowers");
        let setup =
            setup_for(&machine, witness.columns[0].len().trailing_zeros() as usize).expect("setup");
        Honest {
            program,
            output: exec.output,
            machine,
            witness,
            setup,
        }
    })
}

fn col(name: &str) -> usize {
    let m = &honest().machine;
    m.column_names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// The first row where every `(column, value)` holds.
fn row_where(conds: &[(&str, u64)]) -> usize {
    let w = &honest().witness;
    (0..w.columns[0].len())
        .find(|&t| {
            conds
                .iter()
                .all(|(c, v)| w.columns[col(c)][t] == Fr::from(*v))
        })
        .unwrap_or_else(|| panic!("no row with {conds:?}"))
}

/// Prove with a tampered witness and check that verification fails.
fn assert_rejected(tamper: impl FnOnce(&mut Witness)) {
    let h = honest();
    let mut witness = h.witness.clone();
    tamper(&mut witness);
    let (proof, _) = prove(&h.machine, witness, &h.setup).expect("the prover runs");
    let bytes = proof.to_bytes();
    let proof = VmProof::from_bytes(&bytes).expect("well-formed");
    let (verifier_machine, _) = zasm::machine(
        &h.program,
        &proof.public_output,
        proof.mem_log_size as usize,
    );
    assert!(
        verify(&verifier_machine, &proof, &h.setup).is_err(),
        "a tampered witness was accepted"
    );
}

fn honest_proof() -> &'static VmProof {
    static P: OnceLock<VmProof> = OnceLock::new();
    P.get_or_init(|| {
        let h = honest();
        prove(&h.machine, h.witness.clone(), &h.setup)
            .expect("proves")
            .0
    })
}

fn verify_proof(proof: &VmProof) -> bool {
    let h = honest();
    let (m, _) = zasm::machine(
        &h.program,
        &proof.public_output,
        proof.mem_log_size as usize,
    );
    verify(&m, proof, &h.setup).is_ok()
}

#[test]
fn honest_proof_verifies() {
    assert!(verify_proof(honest_proof()));
    assert_eq!(honest().output, vec![Fr::from(484u64), Fr::from(484u64)]);
}

#[test]
fn wrong_field_add_result_is_rejected() {
    let t = row_where(&[("res_add", 1), ("op_assign", 1)]);
    assert_rejected(|w| {
        w.columns[col("res")][t] += Fr::one();
        w.columns[col("dst_write_value")][t] += Fr::one();
    });
}

#[test]
fn wrong_field_mul_result_is_rejected() {
    let t = row_where(&[("res_mul", 1), ("op_assign", 1)]);
    assert_rejected(|w| {
        w.columns[col("prod")][t] += Fr::one();
        w.columns[col("res")][t] += Fr::one();
        w.columns[col("dst_write_value")][t] += Fr::one();
    });
}

#[test]
fn branch_taken_that_should_not_be_is_rejected() {
    let t = row_where(&[("pc_jnz", 1), ("nz", 0)]);
    assert_rejected(|w| {
        let op1 = w.columns[col("op1_read")][t];
        w.columns[col("nz")][t] = Fr::one();
        w.columns[col("jump_delta")][t] = op1 - Fr::one();
        w.columns[col("pc_new")][t] = w.columns[col("pc")][t] + op1;
    });
}

#[test]
fn instruction_not_in_the_program_is_rejected() {
    let t = row_where(&[("op_assign", 1)]);
    assert_rejected(|w| {
        w.columns[col("off_dst")][t] += Fr::one();
        w.columns[col("dst_addr")][t] += Fr::one();
    });
}

#[test]
fn stale_memory_read_is_rejected() {
    // The row computing [ap-1] * [ap-2] reads op0; claim it read the older value 0.
    let t = row_where(&[("res_mul", 1), ("op0_read", 1)]);
    assert_rejected(|w| {
        let old = w.columns[col("op0_read")][t];
        w.columns[col("op0_read")][t] = Fr::zero();
        w.columns[col("op0_write_value")][t] = Fr::zero();
        let delta = w.columns[col("op1_read")][t] * old;
        w.columns[col("prod")][t] -= delta;
        w.columns[col("res")][t] -= delta;
        w.columns[col("dst_write_value")][t] -= delta;
    });
}

#[test]
fn read_from_another_address_is_rejected() {
    let t = row_where(&[("op1_read", 1), ("op1_ap", 1)]);
    assert_rejected(|w| {
        w.columns[col("op1_addr")][t] += Fr::one();
    });
}

#[test]
fn timestamps_out_of_order_are_rejected() {
    let t = row_where(&[("op0_read", 1)]);
    assert_rejected(|w| {
        // Claim the value was written in the future; the limbs then cannot be 16-bit.
        let now = w.columns[col("cycle")][t] * Fr::from(3u64) + Fr::one();
        let claimed = now + Fr::from(5u64);
        w.columns[col("op0_read_ts")][t] = claimed;
        let diff = now - claimed - Fr::one();
        w.columns[col("op0_ts_lo")][t] = diff;
        w.columns[col("op0_ts_hi")][t] = Fr::zero();
    });
}

#[test]
fn register_out_of_range_is_rejected() {
    let t = row_where(&[("op_assign", 1)]);
    assert_rejected(|w| {
        // Same ap, but with a high limb of 2^16: the range lookup must fail.
        w.columns[col("ap_hi")][t] += Fr::one();
        w.columns[col("ap_lo")][t] -= Fr::from(1u64 << 16);
    });
}

#[test]
fn reads_that_change_memory_are_rejected() {
    let t = row_where(&[("dst_read", 1), ("op_output", 1)]);
    assert_rejected(|w| {
        w.columns[col("dst_write_value")][t] += Fr::one();
    });
}

#[test]
fn a_read_claiming_an_unwritten_cell_is_rejected() {
    // Every read carries the "initialised" flag 1 (the VM faults on a never-written cell); a
    // read that claims the flag 0 of the initial memory is refused.
    let t = row_where(&[("dst_read", 1), ("op_output", 1)]);
    assert_rejected(|w| {
        w.columns[col("dst_read_flag")][t] = Fr::zero();
    });
}

#[test]
fn the_initialised_flag_is_bound_by_memory_checking() {
    // The initial memory's tuples have flag 0 and every write sets it to 1. Were the flag left
    // out of the memory fingerprint, a read of a never-written cell could be matched against
    // the initial tuple (value 0). Claiming a written cell ends unwritten must break the
    // multiset equality.
    assert_rejected(|w| {
        let flags = &mut w.table_columns[table_cols::MEM_FINAL_FLAG];
        let k = flags
            .iter()
            .position(|f| f.is_one())
            .expect("a written cell");
        flags[k] = Fr::zero();
    });
}

#[test]
fn wrong_public_output_is_rejected() {
    let h = honest();
    let mut wrong = h.output.clone();
    wrong[1] += Fr::one();
    // A prover claiming another output with the honest witness.
    let (machine, _) = zasm::machine(&h.program, &wrong, h.machine.memory.log_size);
    let (proof, _) = prove(&machine, h.witness.clone(), &h.setup).expect("the prover runs");
    assert!(!verify_proof(&proof));
    // An honest proof presented with another output.
    let mut proof = honest_proof().clone();
    proof.public_output = wrong;
    assert!(!verify_proof(&proof));
}

#[test]
fn every_field_of_the_proof_is_bound() {
    let base = honest_proof();
    let mut cases: Vec<(&str, VmProof)> = Vec::new();
    let mut p = base.clone();
    p.column_commitments.swap(0, 1);
    cases.push(("column commitments", p));
    let mut p = base.clone();
    p.table_commitments.swap(0, 1);
    cases.push(("table commitments", p));
    let mut p = base.clone();
    p.spartan.outer_evals[0] += Fr::one();
    cases.push(("spartan evaluations", p));
    let mut p = base.clone();
    p.gkr.roots[0].numerator += Fr::one();
    cases.push(("gkr root", p));
    let mut p = base.clone();
    p.leaf_column_evals[0] += Fr::one();
    cases.push(("leaf column evaluations", p));
    let mut p = base.clone();
    p.leaf_table_evals[1][0] += Fr::one();
    cases.push(("leaf table evaluations", p));
    let mut p = base.clone();
    p.openings.swap(0, 1);
    cases.push(("openings", p));
    let mut p = base.clone();
    p.log_rows += 1;
    cases.push(("row count", p));
    let mut p = base.clone();
    p.mem_log_size += 1;
    cases.push(("memory size", p));
    let mut p = base.clone();
    p.exit_code = 1;
    cases.push(("exit code", p));
    for (name, proof) in cases {
        assert!(!verify_proof(&proof), "tampered {name} accepted");
    }
}

#[test]
fn flipped_bytes_in_the_proof_file_are_rejected() {
    let bytes = honest_proof().to_bytes();
    let n = bytes.len();
    for pos in [
        0,
        5,
        9,
        17,
        40,
        n / 7,
        n / 3,
        n / 2,
        2 * n / 3,
        n - 40,
        n - 1,
    ] {
        let mut b = bytes.clone();
        b[pos] ^= 0x01;
        let ok = VmProof::from_bytes(&b)
            .map(|p| verify_proof(&p))
            .unwrap_or(false);
        assert!(!ok, "flipping byte {pos} of {n} was accepted");
    }
    assert!(
        VmProof::from_bytes(&bytes[..n / 2]).is_err(),
        "a truncated proof was read"
    );
}
