//! Memory checked by Twist (`--memory-checking twist`): forged address bits, accesses beyond the
//! memory, tampered Twist proofs and relabelled proofs. The forged reads that both arguments
//! must reject are beside their offline twins (`zasm`, `rv32im_pins`: `…_by_twist`).

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use zkvm_prover::lower::zasm;
use zkvm_prover::machine::twist_memory::{MemoryArgument, TwistMemory};
use zkvm_prover::pipeline::{self, ProofOptions};
use zkvm_prover::proof::{MemoryProof, VmProof};

use super::forge::{self, Forge};

/// Two cells written, then output.
const TWO_CELLS: &str =
    "main:\n [ap] = 5, ap++;\n [ap] = 6, ap++;\n output [ap - 2];\n output [ap - 1];\n halt;\n";

/// The first `(row, slot)` whose access is active, with its address.
fn active_access(
    f: &Forge,
    witness_cols: &[Vec<Fr>],
    want: impl Fn(u64) -> bool,
) -> (usize, usize) {
    let m = &f.machine;
    (0..f.rows())
        .flat_map(|t| (0..m.slots.len()).map(move |s| (t, s)))
        .find(|&(t, s)| {
            let slot = &m.slots[s];
            !slot.active.eval_row(witness_cols, t).is_zero()
                && zkvm_prover::poly::small_value(slot.addr.eval_row(witness_cols, t))
                    .is_some_and(&want)
        })
        .expect("an access of that kind")
}

#[test]
fn an_address_bit_that_is_not_boolean_is_rejected() {
    // Address bits (…, 1, 0, …) become (…, 0, 2, …): the same address, but the bits no longer
    // select one cell (read as a one-hot vector, the entries would be 0, 1 and −1, 2).
    let mut f = Forge::zasm(TWO_CELLS, &[]);
    let cols = f.cols.clone();
    // zasm slots commit the memory's full width of bits. Bit i (from the most significant) set
    // and bit i + 1 clear:
    let log_k = f.machine.memory.log_size;
    assert!(f.machine.slots.iter().all(|s| s.address_bits.is_none()));
    let pattern = |a: u64| (0..log_k - 1).find(|i| (a >> (log_k - 2 - i)) & 3 == 2);
    let (t, s) = active_access(&f, &cols, |a| pattern(a).is_some());
    let name = f.machine.slots[s].name.clone();
    let addr = zkvm_prover::poly::small_value(f.machine.slots[s].addr.eval_row(&cols, t));
    let i = pattern(addr.expect("a small address")).expect("the pattern");
    f.prove_twist(|w, twist: &TwistMemory| {
        w.columns[twist.bits[s][i]][t] = Fr::zero();
        w.columns[twist.bits[s][i + 1]][t] = Fr::from(2u64);
    })
    .assert_constraint(&format!(
        "memory (twist): {name} address bit {} is boolean",
        i + 1
    ));
}

#[test]
fn bits_that_spell_another_address_are_rejected() {
    let mut f = Forge::zasm(TWO_CELLS, &[]);
    let cols = f.cols.clone();
    let (t, s) = active_access(&f, &cols, |_| true);
    let name = f.machine.slots[s].name.clone();
    f.prove_twist(|w, twist| {
        let lowest = *twist.bits[s].last().expect("bits");
        w.columns[lowest][t] = Fr::one() - w.columns[lowest][t];
    })
    .assert_constraint(&format!("memory (twist): {name} address is its bits"));
}

#[test]
fn an_access_beyond_the_memory_is_rejected() {
    // The same run over a memory of 2^4 cells: its cells from DATA_START = 16 on are beyond it,
    // and no bits spell their addresses.
    let mut f = Forge::zasm(TWO_CELLS, &[]);
    let forge::Program::Zasm(p) = &f.program else {
        unreachable!()
    };
    f.machine = zasm::machine(p, 4).0;
    let verdict = f.prove_twist(|_, _| {});
    assert_eq!(verdict.rejected_by.as_deref(), Some("spartan"));
    assert!(!verdict.constraints.is_empty());
    for c in &verdict.constraints {
        assert!(c.ends_with("address is its bits"), "{c}");
    }
}

/// An honest Twist proof of `TWO_CELLS` (or of `source`), with its program.
fn twist_proof(source: &str) -> (zkvm_isa::Program, Vec<u8>) {
    let program = zkvm_assembler::assemble_str("twist.zasm", source).expect("assembles");
    let (_, bytes, report) =
        pipeline::prove_zasm_with(&program, &[], 1 << 10, MemoryArgument::Twist).expect("proves");
    assert_eq!(report.memory_checking, "twist");
    pipeline::verify_zasm(&program, &bytes).expect("an honest proof verifies");
    (program, bytes)
}

fn rejection(program: &zkvm_isa::Program, bytes: &[u8]) -> String {
    forge::stage(&pipeline::verify_zasm(program, bytes).expect_err("rejected"))
}

fn twist_part(proof: &mut VmProof) -> &mut zkvm_prover::machine::twist_memory::TwistMemoryProof {
    match &mut proof.memory {
        MemoryProof::Twist(p) => p,
        MemoryProof::Offline => panic!("a Twist proof"),
    }
}

#[test]
fn tampered_twist_proofs_are_rejected_by_twist() {
    let (program, bytes) = twist_proof(TWO_CELLS);
    type Edit = fn(&mut VmProof);
    let edits: [(&str, Edit); 6] = [
        ("Val at read checking's point", |p| {
            twist_part(p).twist.read_val += Fr::one()
        }),
        ("ra at Val evaluation's point", |p| {
            twist_part(p).twist.val_ra += Fr::one()
        }),
        ("a value written", |p| {
            twist_part(p).twist.val_values.write += Fr::one()
        }),
        ("a column at read checking's point", |p| {
            twist_part(p).read_evals[0] += Fr::one()
        }),
        ("a column at Val evaluation's point", |p| {
            let evals = &mut twist_part(p).val_evals;
            *evals.last_mut().expect("values") += Fr::one()
        }),
        ("an address bit", |p| {
            twist_part(p).bit_evals[0] += Fr::one()
        }),
    ];
    for (what, edit) in edits {
        let forged = forge::edit_proof(&bytes, edit);
        assert_eq!(
            rejection(&program, &forged),
            "memory checking (twist)",
            "{what}"
        );
    }
}

#[test]
fn a_claim_that_an_unused_timestamp_column_is_nonzero_is_rejected() {
    // No constraint reads the timestamp columns under Twist and they are never committed (the
    // opening refuses any nonzero claim about one), but Spartan's inner check binds every
    // column's claimed value, and objects first.
    let (program, bytes) = twist_proof(TWO_CELLS);
    let (machine, _) = zasm::machine(
        &program,
        VmProof::from_bytes(&bytes).unwrap().mem_log_size as usize,
    );
    let unused = machine
        .with_memory(MemoryArgument::Twist)
        .unwrap()
        .twist_memory
        .unwrap()
        .unused[0];
    let forged = forge::edit_proof(&bytes, |p| p.spartan.inner_evals[unused] += Fr::one());
    assert_eq!(rejection(&program, &forged), "spartan");
}

#[test]
fn relabelled_proofs_are_rejected() {
    let (program, twist) = twist_proof(TWO_CELLS);
    let (_, offline, _) =
        pipeline::prove_zasm_with(&program, &[], 1 << 10, ProofOptions::default()).unwrap();
    // A Twist proof read as an offline one, and the reverse.
    let as_offline = forge::edit_proof(&twist, |p| p.memory = MemoryProof::Offline);
    assert_eq!(rejection(&program, &as_offline), "shape");
    let twist_part = VmProof::from_bytes(&twist).unwrap().memory;
    let as_twist = forge::edit_proof(&offline, |p| p.memory = twist_part);
    assert_eq!(rejection(&program, &as_twist), "shape");
}

#[test]
fn a_load_from_a_no_access_cell_is_rejected_by_twist() {
    // `lw a0, 16(a1)` reads past the program's 16 data bytes (the interpreter faults). The cell's
    // permission is 0; the R1CS lets an access claim only 1 or 2, and whichever the forger
    // claims, Twist's cells carry their public permission.
    use super::rv32im::{exit_code, pc_of, program, row_of, A0, A1, DATA};
    use super::rv32im_pins::claim_program;
    use zkvm_riscv::Instruction as I;
    let load = |offset: i32| {
        program(&[
            I::Lui {
                rd: A1,
                imm: DATA as i32,
            },
            I::Lw {
                rd: A0,
                rs1: A1,
                imm: offset,
            },
        ])
    };
    assert_eq!(exit_code(&load(16), &[]), None);
    for claimed_permission in [0u64, 1, 2] {
        let mut f = Forge::rv(load(12), &[]);
        claim_program(&mut f, load(16));
        let t = row_of(&f, pc_of(1), false);
        f.set("imm", t, Fr::from(16u64));
        let w = f.get("w", t) + Fr::one();
        f.set("w", t, w);
        let low = f.get_u("eff_lo", t) + 4;
        f.set("eff_lo", t, Fr::from(low));
        let ram_perm = f.col("ram_perm");
        let verdict = f.prove_twist(|w, _| w.columns[ram_perm][t] = Fr::from(claimed_permission));
        match claimed_permission {
            0 => verdict.assert_constraint("memory: ram touches an accessible cell"),
            _ => verdict.assert_twist(),
        }
    }
}
