//! Control flow: forged runs that change a register between two cycles (the VM's debugger
//! interface sets it, and the run goes on from there), so that each row's next registers are
//! the following row's and exactly one update rule is broken; then the transition itself, the
//! first row and the last row.

use ark_bn254::Fr;
use ark_ff::One;
use zkvm_prover::machine::balance::Multiset;

use super::forge::Forge;

/// Two cells written, the second printed: the VM prints 2.
const STRAIGHT: &str = "main:\n [ap] = 1, ap++;\n [ap] = 2, ap++;\n output [ap - 1];\n halt;\n";

/// A jump (written by `jump`) over `[ap] = 3`: the VM prints 1.
fn jumping(jump: &str) -> String {
    format!(
        "main:\n [ap] = 1, ap++;\n {jump};\n [ap] = 3, ap++;\ntwo:\n output [ap - 1];\n halt;\n"
    )
}

/// A call to a function that halts: the return address and the caller's fp are never read.
const CALL_HALT: &str =
    "main:\n call f;\n halt;\nf:\n [ap] = 7, ap++;\n output [ap - 1];\n halt;\n";

/// A call and a return.
const CALL_RET: &str = "main:\n call f;\n output [ap - 1];\n halt;\nf:\n [ap] = 7, ap++;\n ret;\n";

/// A program, the cycle before which a register changes, the change, and the rule it breaks.
type Deviation = (&'static str, u64, fn(&mut zkvm_vm::Registers), &'static str);

/// Add 1 to column `name` on every row.
fn add_one_on_every_row(f: &mut Forge, name: &str) {
    for t in 0..f.rows() {
        let v = f.get(name, t);
        f.set(name, t, v + Fr::one());
    }
}

fn output(f: &Forge) -> Vec<u64> {
    let out = &f.machine.public_output;
    out.iter()
        .map(|v| zkvm_isa::fr_to_u64(v).expect("small"))
        .collect()
}

#[test]
fn a_skipped_instruction_is_rejected() {
    // Skip `[ap] = 2`: the run prints 1.
    let mut f = Forge::zasm_deviated(STRAIGHT, &[], 1, |r| r.pc += 1);
    assert_eq!(output(&f), [1]);
    f.prove().assert_constraint("pc: regular");
    // The same skip with the first row's own next pc honest: the transition objects.
    f.set_i("pc_new", 0, 1);
    f.prove().assert_constraint("next: pc");
}

#[test]
fn a_jump_cannot_land_elsewhere() {
    for (jump, rule) in [
        ("jmp abs two", "pc: jump abs"),
        ("jmp rel 2", "pc: jump rel"),
        ("jmp two if [ap - 1] != 0", "pc: jnz"),
    ] {
        // Land on `[ap] = 3` instead of `two`: the run prints 3.
        let mut f = Forge::zasm_deviated(&jumping(jump), &[], 2, |r| r.pc -= 1);
        assert_eq!(output(&f), [3], "{jump}");
        f.prove().assert_constraint(rule);
    }
}

#[test]
fn ap_and_fp_follow_their_update_rules() {
    let cases: [Deviation; 6] = [
        (STRAIGHT, 1, |r| r.ap += 1, "ap: ++"),
        (
            "main:\n [ap] = 1, ap++;\n ap += 2;\n [ap] = 2, ap++;\n halt;\n",
            2,
            |r| r.ap += 1,
            "ap: += res",
        ),
        (CALL_HALT, 1, |r| r.ap += 1, "ap: call"),
        (CALL_HALT, 1, |r| r.fp += 1, "fp: call"),
        (CALL_RET, 3, |r| r.fp += 1, "fp: ret"),
        (STRAIGHT, 0, |r| r.ap += 1, "start: ap"),
    ];
    for (source, cycle, change, rule) in cases {
        let mut f = Forge::zasm_deviated(source, &[], cycle, change);
        f.prove().assert_constraint(rule);
    }
    // The transitions: an honest update on the row, another register on the next.
    let mut f = Forge::zasm_deviated(STRAIGHT, &[], 1, |r| r.ap += 1);
    let ap = f.get("ap", 0);
    f.set("ap_new", 0, ap + Fr::one());
    f.prove().assert_constraint("next: ap");
    let mut f = Forge::zasm_deviated(STRAIGHT, &[], 1, |r| r.fp += 1);
    let fp = f.get("fp", 0);
    f.set("fp_new", 0, fp);
    f.prove().assert_constraint("next: fp");
}

#[test]
fn a_run_starts_at_main_with_ap_and_fp_at_the_data_segment() {
    let mut f = Forge::zasm_deviated(STRAIGHT, &[], 0, |r| r.pc = 1);
    f.prove().assert_constraint("start: pc = main");
    let mut f = Forge::zasm_deviated(STRAIGHT, &[], 0, |r| r.fp += 1);
    f.prove().assert_constraint("start: fp");
}

#[test]
fn the_cycle_counter_starts_at_zero() {
    // Every row one cycle later (memory timestamps follow): only the first row objects.
    let mut f = Forge::zasm(STRAIGHT, &[]);
    add_one_on_every_row(&mut f, "cycle");
    f.prove().assert_constraint("start: cycle 0");
}

#[test]
fn a_call_writes_the_callers_fp_and_return_address() {
    for (column, rule) in [
        ("dst_write_value", "call: [ap] = fp"),
        ("op0_write_value", "call: [ap + 1] = pc + 1"),
    ] {
        let mut f = Forge::zasm(CALL_HALT, &[]);
        let v = f.get(column, 0);
        f.set(column, 0, v + Fr::one());
        f.prove().assert_constraint(rule);
    }
}

#[test]
fn a_run_must_end_in_halt() {
    // On input 1 the program spins forever; the forger stops it after four cycles and claims
    // it halted with no output.
    let spin =
        "main:\n [ap] = input, ap++;\n jmp spin if [ap - 1] != 0;\n halt;\nspin:\n jmp rel 0;\n";
    let mut f = Forge::zasm_deviated(spin, &[Fr::one()], 3, |r| r.pc = 2);
    // Rows 0..3 are input, jnz, spin, halt: the last becomes a second spin row.
    assert_eq!(f.rows(), 4);
    for c in 0..f.cols.len() {
        if c != f.col("cycle") {
            f.cols[c][3] = f.cols[c][2];
        }
    }
    f.set_i("pc_new", 2, 3);
    f.set_i("pc_new", 3, 3);
    f.prove().assert_constraint("end: the last row halts");
}

#[test]
fn the_output_counter_starts_at_zero() {
    // Outputs counted from 1, and a claimed first output no row prints: the first row's
    // counter and the output multiset both object.
    let mut f = Forge::zasm(STRAIGHT, &[]);
    add_one_on_every_row(&mut f, "out_idx");
    f.claim_output(vec![Fr::from(9u64), Fr::from(2u64)]);
    f.prove().assert(
        "spartan",
        &["output: starts at 0"],
        &[],
        &[Multiset::Output],
    );
}

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
    assert_eq!(f.machine.exit_code, 1);
    f.prove().assert_constraint("pc: next = pc + 4 (+ jump)");
    let t = f.row_where(&[("pc", 0x1004)]);
    f.set_i("pc_new", t, 0x1008);
    f.prove().assert_constraint("next: pc");
    // Start past `a0 = 1`: exit 1.
    let mut f = Forge::rv_deviated(rv_program(nop), &[], 0, |pc| pc + 4);
    assert_eq!(f.machine.exit_code, 1);
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
        assert_eq!(f.machine.exit_code, 2, "{rule}");
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
