//! RV32IM control flow: deviated runs (the interpreter's pc set between two instructions) that
//! skip an instruction, start elsewhere or fall through a taken branch or jump, and the cycle
//! counter's start.

use ark_bn254::Fr;
use zkvm_prover::machine::balance::Multiset;

use super::control::add_one_on_every_row;
use super::forge::Forge;
use super::rv32im_pins::write;

/// RV32IM: `a0 = 1`, then `body` at index 1 and `a0 += 1` at index 2 (a branch or jump in
/// `body` to index 3 skips it), then `exit(a0)`.
fn rv_program(body: zkvm_riscv::Instruction) -> zkvm_riscv::Program {
    use zkvm_riscv::Instruction as I;
    let code = [
        I::Addi {
            rd: 10,
            rs1: 0,
            imm: 1,
        },
        body,
        I::Addi {
            rd: 10,
            rs1: 10,
            imm: 1,
        },
        I::Addi {
            rd: 17,
            rs1: 0,
            imm: 93,
        },
        I::Ecall,
    ];
    zkvm_riscv::Program::from_instructions(0x1000, &code, None)
}

#[test]
fn rv32im_a_skipped_instruction_or_another_start_is_rejected() {
    let nop = zkvm_riscv::Instruction::Addi {
        rd: 0,
        rs1: 0,
        imm: 0,
    };
    // Skip `a0 += 1` (exit 1, where every run exits 2).
    let mut f = Forge::rv_deviated(rv_program(nop), &[], 2, |pc| pc + 4);
    assert_eq!(f.public.exit_code, 1);
    f.prove().assert_constraint("pc: next = pc + 4 (+ jump)");
    let t = f.row_where(&[("pc", 0x1004)]);
    f.set_i("pc_new", t, 0x1008);
    f.prove().assert_constraint("next: pc");
    // Start past `a0 = 1`: exit 1.
    let mut f = Forge::rv_deviated(rv_program(nop), &[], 0, |pc| pc + 4);
    assert_eq!(f.public.exit_code, 1);
    f.prove().assert_constraint("start: pc = entry");
}

#[test]
fn rv32im_a_taken_branch_or_a_jump_cannot_fall_through() {
    use zkvm_riscv::Instruction as I;
    for (body, rule) in [
        (
            I::Beq {
                rs1: 0,
                rs2: 0,
                imm: 8,
            },
            "branch: beq",
        ),
        (
            I::Bne {
                rs1: 10,
                rs2: 0,
                imm: 8,
            },
            "branch: bne",
        ),
        (
            I::Blt {
                rs1: 0,
                rs2: 10,
                imm: 8,
            },
            "branch: blt/bltu",
        ),
        (
            I::Bge {
                rs1: 10,
                rs2: 0,
                imm: 8,
            },
            "branch: bge/bgeu",
        ),
        (I::Jal { rd: 0, imm: 8 }, "jal: always jumps"),
    ] {
        // Every run jumps over `a0 += 1` and exits 1; the forger falls through (exit 2), with
        // no jump on the row.
        let mut f = Forge::rv_deviated(rv_program(body), &[], 2, |pc| pc - 4);
        assert_eq!(f.public.exit_code, 2, "{rule}");
        let t = f.row_where(&[("pc", 0x1004)]);
        f.set_i("cond", t, 0);
        f.set_i("delta", t, 0);
        f.prove().assert_constraint(rule);
    }
}

#[test]
fn rv32im_the_cycle_counter_starts_at_zero() {
    let nop = zkvm_riscv::Instruction::Addi {
        rd: 0,
        rs1: 0,
        imm: 0,
    };
    let mut f = Forge::rv(rv_program(nop), &[]);
    add_one_on_every_row(&mut f, "cycle");
    f.prove().assert_constraint("start: cycle 0");
}

#[test]
fn rv32im_the_output_counter_starts_at_zero() {
    // Outputs counted from 1, with a claimed first byte no row writes: the first row's
    // counter and the output multiset both object.
    let mut f = Forge::rv(write(64, 1, 4), &[]);
    add_one_on_every_row(&mut f, "out_idx");
    let mut claimed = vec![Fr::from(9u64)];
    claimed.extend([Fr::from(0u64); 4]);
    f.claim_output(claimed);
    f.prove().assert(
        "spartan",
        &["output: starts at 0"],
        &[],
        &[Multiset::Output],
    );
}

#[test]
fn rv32im_every_output_is_claimed() {
    // The run writes four bytes; a statement with no output leaves it unclaimed.
    let mut f = Forge::rv(write(64, 1, 4), &[]);
    f.claim_output(Vec::new());
    f.prove().assert(
        "spartan",
        &["output: all outputs"],
        &[],
        &[Multiset::Output],
    );
}
