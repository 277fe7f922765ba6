//! zasm control flow: forged runs that change a register between two cycles (the VM's debugger
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
pub(super) fn add_one_on_every_row(f: &mut Forge, name: &str) {
    for t in 0..f.rows() {
        let v = f.get(name, t);
        f.set(name, t, v + Fr::one());
    }
}

fn output(f: &Forge) -> Vec<u64> {
    let out = &f.public.output;
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
