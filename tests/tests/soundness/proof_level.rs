//! Tampered proof files: every field of an honest proof is bound, sizes a proof claims must be
//! the sizes of what it commits to, and a proof names the program it is for.

use std::sync::OnceLock;

use ark_bn254::Fr;
use ark_ff::One;
use zkvm_prover::machine::PublicValues;
use zkvm_prover::pipeline::verify_zasm;
use zkvm_prover::proof::VmProof;

use super::forge::{edit_proof, stage, Forge};
use super::rv32im::{li, A0, A7};

const SOURCE: &str =
    "main:\n [ap] = 5, ap++;\n [ap] = [ap - 1] * 7, ap++;\n output [ap - 1];\n halt;\n";

/// An honest zasm proof and its forge.
fn honest() -> &'static (Forge, Vec<u8>) {
    static H: OnceLock<(Forge, Vec<u8>)> = OnceLock::new();
    H.get_or_init(|| {
        let mut f = Forge::zasm(SOURCE, &[]);
        let witness = f.complete();
        let bytes = f.prove_bytes(witness);
        (f, bytes)
    })
}

#[test]
fn the_honest_proof_verifies_with_its_known_output() {
    let (f, bytes) = honest();
    let zkvm_prover_program = match &f.program {
        super::forge::Program::Zasm(p) => p,
        super::forge::Program::Rv(_) => unreachable!(),
    };
    let (output, _) = verify_zasm(zkvm_prover_program, bytes).expect("verifies");
    assert_eq!(output, vec![Fr::from(35u64)]);
}

#[test]
fn every_field_of_the_proof_is_bound() {
    let (f, bytes) = honest();
    type Edit = fn(&mut VmProof);
    let cases: [(&str, Edit); 15] = [
        ("program digest", |p| p.program_digest[0] ^= 1),
        ("public output", |p| p.public.output[0] += Fr::one()),
        ("exit code", |p| p.public.exit_code = 1),
        ("row count", |p| p.log_rows += 1),
        ("memory size", |p| p.mem_log_size += 1),
        ("column commitments", |p| p.column_commitments.swap(0, 1)),
        ("table commitments", |p| p.table_commitments.swap(0, 1)),
        ("spartan evaluations", |p| {
            p.spartan.outer_evals[0] += Fr::one()
        }),
        ("gkr root", |p| p.gkr.roots[0].numerator += Fr::one()),
        ("leaf column evaluations", |p| {
            p.leaf_column_evals[0] += Fr::one()
        }),
        ("leaf table evaluations", |p| {
            p.leaf_table_evals[1][0] += Fr::one()
        }),
        ("values at the reduced point", |p| {
            p.opening.evals.swap(0, 1)
        }),
        ("opening reduction", |p| {
            p.opening.sumcheck.rounds[0][0] += Fr::one()
        }),
        ("fetch argument", |p| {
            let empty = || zkvm_prover::sumcheck::SumcheckProof { rounds: vec![] };
            p.fetch = zkvm_prover::proof::FetchProof::Shout(zkvm_prover::shout::bits::BitsProof {
                address: empty(),
                cycle: empty(),
                bit_evals: vec![],
            })
        }),
        ("commitment size", |p| p.column_commitments[0].num_vars += 1),
    ];
    for (name, edit) in cases {
        let tampered = edit_proof(bytes, edit);
        assert!(f.verify(&tampered).is_err(), "tampered {name} accepted");
    }
}

#[test]
fn a_commitment_whose_claimed_size_differs_is_rejected_before_any_check() {
    let (f, bytes) = honest();
    for k in [0usize, 3] {
        let tampered = edit_proof(bytes, |p| p.column_commitments[k].num_vars += 1);
        assert_eq!(f.verify(&tampered), Err("shape".into()));
        let tampered = edit_proof(bytes, |p| p.table_commitments[k].num_vars -= 1);
        assert_eq!(f.verify(&tampered), Err("shape".into()));
    }
}

#[test]
fn a_proof_for_another_program_says_so() {
    let (_, bytes) = honest();
    let other = zkvm_assembler::assemble_str("other.zasm", &SOURCE.replace("* 7", "* 6"))
        .expect("assembles");
    let err = verify_zasm(&other, bytes).expect_err("another program's proof was accepted");
    assert_eq!(stage(&err), "program");
    let message = err_chain(&err);
    assert!(
        message.contains("this proof is for another program"),
        "{message}"
    );
}

fn err_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

#[test]
fn flipped_bytes_in_the_proof_file_are_rejected() {
    let (f, bytes) = honest();
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
        assert!(
            f.verify(&b).is_err(),
            "flipping byte {pos} of {n} was accepted"
        );
    }
    assert_eq!(f.verify(&bytes[..n / 2]), Err("format".into()));
}

/// Round 2 of the adversarial review: a hand-built zasm program with an instruction the decoder
/// refuses (a `call` whose dst is not `[ap + 0]`). The VM gives its fields one meaning, the
/// constraints another; the verifier refuses the program before looking at the proof.
#[test]
fn a_proof_about_an_invalid_zasm_program_is_refused() {
    use zkvm_prover::{lower, pipeline, proof};
    let src = "main:\n [ap] = 99;\n call f;\n halt;\nf:\n output [fp - 2];\n halt;\n";
    let mut bad = zkvm_assembler::assemble_str("bad.zasm", src).expect("assembles");
    bad.instructions[1].off_dst = 5;
    assert!(bad.instructions[1].validate().is_err());
    let cfg = zkvm_vm::RunConfig {
        record_trace: true,
        ..Default::default()
    };
    let exec = zkvm_vm::run(&bad, &[], &cfg).expect("the VM runs it");
    assert_eq!(exec.output, vec![Fr::from(16u64)]);
    // The constraints' reading: call writes fp at [ap + 5], so [16] keeps 99.
    let mut trace = exec.trace.expect("trace");
    let call = trace.iter().position(|s| s.pc == 1).expect("the call");
    let dst = trace[call].accesses[0].as_mut().expect("dst");
    (dst.addr, dst.old) = (21, Fr::from(0u64));
    let out = trace.iter().position(|s| s.pc == 3).expect("the output");
    let dst = trace[out].accesses[0].as_mut().expect("dst");
    (dst.value, dst.old) = (Fr::from(99u64), Fr::from(99u64));
    let public = PublicValues {
        output: vec![Fr::from(99u64)],
        exit_code: 0,
        shard: None,
    };
    let (machine, witness) = lower::zasm::lower(&bad, &trace, &public).expect("lowers");
    let log_rows = witness.columns[0].len().trailing_zeros() as usize;
    let setup = pipeline::setup_for(&machine, log_rows).expect("setup");
    let (p, _) = proof::prove(&machine, &public, witness, &setup).expect("proves");
    let err = pipeline::verify_zasm(&bad, &p.to_bytes()).expect_err("accepted");
    assert!(
        matches!(err, pipeline::PipelineError::InvalidProgram(_)),
        "{err}"
    );
}

/// Round 2: a hand-built RV32IM program the interpreter refuses (a read-only copy of its code
/// segment at the same address): a proof of the valid program must not verify for it.
#[test]
fn a_proof_about_an_invalid_rv32im_program_is_refused() {
    use zkvm_prover::pipeline;
    use zkvm_riscv::{Flags, Instruction as I, Program};
    let code = [li(A0, 42), li(A7, 93), I::Ecall];
    let p = Program::from_instructions(0x1000, &code, None);
    let (_, bytes, _) = pipeline::prove_rv32im(&p, &[], 1 << 10).expect("honest proof");
    let mut bad = p.clone();
    let mut copy = p.segments[0].clone();
    copy.flags = Flags {
        read: true,
        write: false,
        exec: false,
    };
    bad.segments.push(copy);
    assert!(zkvm_riscv::run(&bad, &[], &Default::default()).is_err());
    let err = pipeline::verify_rv32im(&bad, &bytes).expect_err("accepted");
    assert!(
        matches!(err, pipeline::PipelineError::InvalidProgram(_)),
        "{err}"
    );
}

/// Round 3: programs that differ only in an advice kind have the same bytecode rows (advice is
/// unconstrained either way), but they are different programs and have different digests.
#[test]
fn programs_differing_only_in_an_advice_kind_have_different_digests() {
    use zkvm_prover::lower::zasm::program_digest;
    let asm = |kind: &str| {
        let src =
            format!("main:\n [ap] = 4, ap++;\n [ap] = advice {kind}([ap - 1]), ap++;\n halt;\n");
        zkvm_assembler::assemble_str("advice.zasm", &src).expect("assembles")
    };
    assert_ne!(program_digest(&asm("inv")), program_digest(&asm("sqrt")));
}
