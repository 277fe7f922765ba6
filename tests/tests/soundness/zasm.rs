//! zasm: forged runs of small programs. Most forgeries start from the honest run of a
//! neighbouring program (one immediate or offset changed, which the VM runs), and claim it as a
//! run of the program that a user verifies, whose every run prints something else or faults.

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use zkvm_prover::lower::zasm;
use zkvm_prover::machine::balance::Multiset;

use super::forge::{Forge, Program};

pub(super) fn assemble(source: &str) -> zkvm_isa::Program {
    zkvm_assembler::assemble_str("claimed.zasm", source).expect("assembles")
}

/// The honest run of `honest`, claimed as a run of `claimed`: every row fetches `claimed`'s
/// instruction at its pc (where there is one); values are left to the test to patch.
pub(super) fn forge_as(claimed: &str, honest: &str) -> Forge {
    let mut f = Forge::zasm(honest, &[]);
    let program = assemble(claimed);
    let fields = zasm::machine(&program, f.machine.memory.log_size).1.fields;
    let table = zasm::bytecode_table(&program);
    for t in 0..f.rows() {
        let pc = f.cols[fields[0]][t];
        if let Some(row) = table.iter().find(|r| r[0] == pc) {
            for (c, v) in fields.iter().zip(row) {
                f.cols[*c][t] = *v;
            }
        }
    }
    f.program = Program::Zasm(program);
    f.claim_output_from_witness();
    rederive(&mut f);
    f
}

/// Patch the columns that follow from the (patched) memory values on every row: the slot
/// addresses, `op0 · op1`, and — except on `jnz` rows, whose branch a test may be forging —
/// `[dst ≠ 0]`, its inverse and the jump delta.
fn rederive(f: &mut Forge) {
    f.complete();
    for t in 0..f.rows() {
        rederive_addresses(f, t);
        rederive_alu(f, t);
    }
}

/// Row `t`'s slot addresses from its registers, offsets and (for a double dereference) op0.
fn rederive_addresses(f: &mut Forge, t: usize) {
    let (ap, fp) = (f.get("ap", t), f.get("fp", t));
    let base = |fp_flag: Fr| if fp_flag.is_one() { fp } else { ap };
    let dst = base(f.get("dst_fp", t)) + f.get("off_dst", t);
    let op0 = base(f.get("op0_fp", t)) + f.get("off_op0", t);
    f.set("dst_addr", t, dst);
    f.set("op0_addr", t, op0);
    let op1_base = if f.get("op1_ap", t).is_one() {
        Some(ap)
    } else if f.get("op1_fp", t).is_one() {
        Some(fp)
    } else if f.get("op1_op0", t).is_one() {
        Some(f.get("op0_read_value", t))
    } else {
        None
    };
    if let Some(b) = op1_base {
        let a = b + f.get("off_op1", t);
        f.set("op1_addr", t, a);
    }
}

/// Row `t`'s `op0 · op1`, and, unless it is a `jnz` row, `[dst ≠ 0]`, its inverse and the jump
/// delta.
fn rederive_alu(f: &mut Forge, t: usize) {
    let (x, y, d) = (
        f.get("op0_read_value", t),
        f.get("op1_read_value", t),
        f.get("dst_read_value", t),
    );
    f.set("prod", t, x * y);
    if f.get("pc_jnz", t).is_zero() {
        let nz = !d.is_zero();
        f.set(
            "dst_inv",
            t,
            ark_ff::Field::inverse(&d).unwrap_or(Fr::zero()),
        );
        f.set("nz", t, Fr::from(u64::from(nz)));
        let delta = if nz { y - Fr::one() } else { Fr::zero() };
        f.set("jump_delta", t, delta);
    }
}

/// Rows fetching the instruction at `pc`.
pub(super) fn rows_at(f: &Forge, pc: u64) -> Vec<usize> {
    f.rows_where(&[("pc", pc)])
}

/// The VM's outputs for `source` (no input), or `None` if it faults.
fn vm_output(source: &str) -> Option<Vec<Fr>> {
    let program = assemble(source);
    zkvm_vm::run(&program, &[], &Default::default())
        .ok()
        .map(|e| e.output)
}

#[test]
fn an_honest_run_verifies_with_its_known_output() {
    // ((5 · 3) + 7)² = 484, through a call, a jnz and memory reads and writes.
    let source = r#"
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
    let mut f = Forge::zasm(source, &[Fr::from(5u64)]);
    assert_eq!(f.public.output, vec![Fr::from(484u64); 2]);
    let verdict = f.prove();
    assert_eq!(verdict.rejected_by, None, "{verdict:?}");
    assert!(verdict.constraints.is_empty() && verdict.multisets.is_empty());
}

/// A program that jumps over `[ap] = 666` and only ever outputs 42 (six instructions: rows 6
/// and 7 of its bytecode table are padding).
pub(super) const SKIPS_666: &str = r#"
main:
    jmp skip;
    [ap] = 666, ap++;
    jmp out;
skip:
    [ap] = 42, ap++;
out:
    output [ap - 1];
    halt;
"#;

/// Hole 1 of the audit: the bytecode table's all-zero padding rows were a valid "no-op"
/// instruction at pc 0. Now their tag is 0, so no fetch can match them.
#[test]
fn a_padding_row_of_the_bytecode_table_cannot_be_fetched() {
    let claimed = SKIPS_666;
    assert_eq!(vm_output(claimed), Some(vec![Fr::from(42u64)]));
    // The neighbour runs `ap += 0` at pc 0, a row that satisfies every constraint once its
    // fetched fields are all zero: the forger fetches the padding row instead.
    let honest = claimed.replacen("jmp skip;", "ap += 0;", 1);
    let mut f = forge_as(claimed, &honest);
    let fields = zasm::machine(&assemble(claimed), 4).1.fields;
    for t in rows_at(&f, 0) {
        for c in &fields[1..] {
            f.cols[*c][t] = Fr::zero();
        }
    }
    assert_eq!(f.public.output, vec![Fr::from(666u64)]);
    f.prove().assert(
        "memory checking and lookups",
        &[],
        &["instruction fetch"],
        &[Multiset::Bytecode, Multiset::Padding],
    );
}

/// Hole 2: `call abs [ap + 1]` must read its target before writing the return address there.
#[test]
fn call_reads_its_target_before_writing_the_return_address() {
    let claimed = r#"
main:
    [ap + 1] = 5;
    call abs [ap + 1];
    [ap] = 666, ap++;
    output [ap - 1];
    halt;
f:
    [ap] = 42, ap++;
    output [ap - 1];
    halt;
"#;
    // Completeness: the honest call reads 5 and jumps to `f`.
    assert_eq!(vm_output(claimed), Some(vec![Fr::from(42u64)]));
    let mut honest = Forge::zasm(claimed, &[]);
    assert_eq!(honest.prove().rejected_by, None);
    // The forgery falls through: its call reads 2, the return address it writes itself.
    let mut f = forge_as(claimed, &claimed.replacen("= 5;", "= 2;", 1));
    let t0 = rows_at(&f, 0)[0];
    for col in ["op1_read_value", "res", "dst_write_value"] {
        f.set(col, t0, Fr::from(5u64));
    }
    let call = rows_at(&f, 1)[0];
    f.pin_read("op1", call);
    assert_eq!(f.get("op1_read_value", call), Fr::from(2u64));
    assert_eq!(f.public.output, vec![Fr::from(666u64)]);
    rederive(&mut f);
    f.prove().assert_multiset(Multiset::Memory);
}

/// Hole 3: a double dereference `[[ap - 1] + 100]` with op0 = −84 read cell 16 through the
/// field's wrap-around; the VM faults, since op0 is not a u32.
#[test]
fn a_double_dereference_cannot_wrap_the_field() {
    let base = zkvm_isa::DATA_START as i64;
    let claimed = format!(
        r#"
main:
    [ap] = 42, ap++;
    [ap] = {}, ap++;
    [ap] = [[ap - 1] + 100], ap++;
    output [ap - 1];
    halt;
"#,
        base - 100
    );
    assert_eq!(vm_output(&claimed), None);
    let honest = claimed
        .replacen(&format!("= {},", base - 100), &format!("= {base},"), 1)
        .replacen("+ 100]", "+ 0]", 1);
    let mut f = forge_as(&claimed, &honest);
    let t1 = rows_at(&f, 1)[0];
    for col in ["op1_read_value", "res", "dst_write_value"] {
        f.set_i(col, t1, base - 100);
    }
    // The forger satisfies the limb constraint with a limb out of range.
    let t2 = rows_at(&f, 2)[0];
    f.set_i("op0_lo", t2, base - 100);
    f.set_i("op0_hi", t2, 0);
    assert_eq!(f.public.output, vec![Fr::from(42u64)]);
    rederive(&mut f);
    f.prove()
        .assert_lookup("range: dereferenced op0 low limb", Multiset::Range16);
}

#[test]
fn a_jump_outside_the_program_is_rejected() {
    let claimed = "main:\n [ap] = 2, ap++;\n jmp rel [ap - 1];\n halt;\n";
    assert_eq!(vm_output(claimed), None);
    // The neighbour has a `halt` at pc 3, one past the claimed program's end.
    let mut f = forge_as(claimed, &format!("{claimed} halt;\n"));
    assert!(!rows_at(&f, 3).is_empty());
    rederive(&mut f);
    f.prove()
        .assert_lookup("instruction fetch", Multiset::Bytecode);
}

const BRANCH: &str = r#"
main:
    [ap] = VALUE, ap++;
    jmp skip if [ap - 1] != 0;
    [ap] = 1, ap++;
    output [ap - 1];
    halt;
skip:
    [ap] = 2, ap++;
    output [ap - 1];
    halt;
"#;

/// Sets the branch value: the assignment's immediate and what it writes.
fn set_branch_value(f: &mut Forge, v: u64) {
    let t = rows_at(f, 0)[0];
    for col in ["op1_read_value", "res", "dst_write_value"] {
        f.set(col, t, Fr::from(v));
    }
}

#[test]
fn a_branch_on_zero_cannot_be_taken() {
    let claimed = BRANCH.replace("VALUE", "0");
    assert_eq!(vm_output(&claimed), Some(vec![Fr::one()]));
    let mut f = forge_as(&claimed, &BRANCH.replace("VALUE", "5"));
    set_branch_value(&mut f, 0);
    assert_eq!(f.public.output, vec![Fr::from(2u64)]);
    f.prove().assert_constraint("jnz: dst · inv = nz");
}

#[test]
fn a_branch_on_nonzero_must_be_taken() {
    let claimed = BRANCH.replace("VALUE", "5");
    assert_eq!(vm_output(&claimed), Some(vec![Fr::from(2u64)]));
    let mut f = forge_as(&claimed, &BRANCH.replace("VALUE", "0"));
    set_branch_value(&mut f, 5);
    assert_eq!(f.public.output, vec![Fr::one()]);
    f.prove().assert_constraint("jnz: dst ≠ 0 ⇒ nz = 1");
}

/// `[ap] = [ap - 1] OP 3` then output it; the forger adds 1 to the result.
fn forge_alu(op: &str) -> Forge {
    let source = format!(
        "main:\n [ap] = 5, ap++;\n [ap] = [ap - 1] {op} 3, ap++;\n output [ap - 1];\n halt;\n"
    );
    let mut f = Forge::zasm(&source, &[]);
    let t = rows_at(&f, 1)[0];
    for col in ["res", "dst_write_value"] {
        let v = f.get(col, t) + Fr::one();
        f.set(col, t, v);
    }
    f.claim_output_from_witness();
    rederive(&mut f);
    f
}

#[test]
fn a_wrong_sum_is_rejected() {
    let mut f = forge_alu("+");
    assert_eq!(f.public.output, vec![Fr::from(9u64)]);
    f.prove().assert_constraint("alu: res = op0 + op1");
}

#[test]
fn a_wrong_product_is_rejected() {
    let mut f = forge_alu("*");
    assert_eq!(f.public.output, vec![Fr::from(16u64)]);
    f.prove().assert_constraint("alu: res = op0 * op1");
}

#[test]
fn a_wrong_product_column_is_rejected() {
    let mut f = forge_alu("*");
    let t = rows_at(&f, 1)[0];
    f.set("prod", t, Fr::from(16u64));
    f.prove().assert_constraint("alu: op0 * op1");
}

const TWO_CELLS: &str =
    "main:\n [ap] = 5, ap++;\n [ap] = 6, ap++;\n output [ap - 2];\n output [ap - 1];\n halt;\n";

/// The first output claims the neighbouring cell's value, with the right timestamp.
fn forge_stale_read() -> Forge {
    let mut f = Forge::zasm(TWO_CELLS, &[]);
    let t = rows_at(&f, 2)[0];
    f.pin_read("dst", t);
    for col in ["dst_read_value", "dst_write_value"] {
        f.set(col, t, Fr::from(6u64));
    }
    f.claim_output_from_witness();
    assert_eq!(f.public.output, vec![Fr::from(6u64); 2]);
    rederive(&mut f);
    f
}

#[test]
fn a_stale_read_is_rejected() {
    forge_stale_read().prove().assert_multiset(Multiset::Memory);
}

#[test]
fn a_stale_read_is_rejected_by_twist() {
    forge_stale_read().prove_twist(|_, _| {}).assert_twist();
}

#[test]
fn a_read_that_changes_the_cell_is_rejected() {
    let mut f = Forge::zasm(TWO_CELLS, &[]);
    let t = rows_at(&f, 2)[0];
    f.set("dst_write_value", t, Fr::from(99u64));
    f.prove()
        .assert_constraint("memory: dst read keeps the value");
}

/// Reads of a cell that no run has written yet: `output [ap]` before `[ap] = 7`.
const UNWRITTEN: &str = "main:\n [ap + 1] = 3;\n output [ap];\n [ap] = 7;\n halt;\n";

/// The neighbour writes [ap] first, so its output row reads an initialised cell.
fn forge_unwritten() -> (Forge, usize) {
    assert_eq!(vm_output(UNWRITTEN), None);
    let f = forge_as(
        UNWRITTEN,
        &UNWRITTEN.replacen("[ap + 1] = 3", "[ap] = 3", 1),
    );
    let t = rows_at(&f, 1)[0];
    (f, t)
}

/// The output reads the 7 that the next row writes.
fn forge_read_from_the_future() -> Forge {
    let (mut f, t) = forge_unwritten();
    let later_write = 3 * (t as u64 + 1) + 2 + 1; // slot dst (2) of the next row
    f.pin_read("dst", t);
    for col in ["dst_read_value", "dst_write_value"] {
        f.set(col, t, Fr::from(7u64));
    }
    f.set("dst_read_ts", t, Fr::from(later_write));
    f.set("dst_read_flag", t, Fr::one());
    f.claim_output_from_witness();
    assert_eq!(f.public.output, vec![Fr::from(7u64)]);
    rederive(&mut f);
    f
}

#[test]
fn a_read_from_the_future_is_rejected() {
    // Memory balances (the cell's final tuple is its initial one), only the timestamp range
    // check objects.
    forge_read_from_the_future()
        .prove()
        .assert_lookup("memory: dst timestamp low limb", Multiset::Range16);
}

#[test]
fn a_read_from_the_future_is_rejected_by_twist() {
    forge_read_from_the_future()
        .prove_twist(|_, _| {})
        .assert_twist();
}

/// The output claims the unwritten cell holds 0, with the "initialised" flag `flag`.
fn forge_unwritten_read(flag: Fr) -> Forge {
    let (mut f, t) = forge_unwritten();
    f.pin_read("dst", t);
    for col in ["dst_read_value", "dst_write_value", "dst_read_ts"] {
        f.set(col, t, Fr::zero());
    }
    f.set("dst_read_flag", t, flag);
    f.claim_output_from_witness();
    assert_eq!(f.public.output, vec![Fr::zero()]);
    rederive(&mut f);
    f
}

#[test]
fn a_read_of_an_unwritten_cell_claimed_initialised_is_rejected() {
    forge_unwritten_read(Fr::one())
        .prove()
        .assert_multiset(Multiset::Memory);
}

#[test]
fn a_read_of_an_unwritten_cell_claimed_initialised_is_rejected_by_twist() {
    forge_unwritten_read(Fr::one())
        .prove_twist(|_, _| {})
        .assert_twist();
}

#[test]
fn a_read_of_an_unwritten_cell_is_rejected() {
    // The constraint is shared by both memory arguments.
    forge_unwritten_read(Fr::zero())
        .prove()
        .assert_constraint("memory: dst reads a written cell");
    forge_unwritten_read(Fr::zero())
        .prove_twist(|_, _| {})
        .assert_constraint("memory: dst reads a written cell");
}

#[test]
fn ap_cannot_leave_the_u32_range() {
    forge_ap_beyond_u32()
        .prove()
        .assert_lookup("range: ap low limb", Multiset::Range16);
}

/// `ap += 2^32 − 1` from ap = 16: ap = 2^32 + 15, as limbs 0xffff (high) and 2^16 + 15 (low),
/// so that only the low limb's range check can object.
pub(super) fn forge_ap_beyond_u32() -> Forge {
    let claimed = "main:\n ap += 4294967295;\n halt;\n";
    assert_eq!(vm_output(claimed), None);
    let mut f = forge_as(claimed, "main:\n ap += 1;\n halt;\n");
    let k = Fr::from(u64::from(u32::MAX));
    let ap = f.get("ap", 0) + k;
    for col in ["op1_read_value", "res"] {
        f.set(col, 0, k);
    }
    f.set("ap_new", 0, ap);
    let top = 0xffffu64 << 16;
    for t in 1..f.rows() {
        f.set("ap", t, ap);
        f.set("ap_new", t, ap);
        f.set("ap_hi", t, Fr::from(0xffffu64));
        f.set("ap_lo", t, ap - Fr::from(top));
    }
    rederive(&mut f);
    f
}

#[test]
fn reordered_skipped_or_extended_output_is_rejected() {
    let honest = Forge::zasm(TWO_CELLS, &[]);
    let (five, six) = (Fr::from(5u64), Fr::from(6u64));
    assert_eq!(honest.public.output, vec![five, six]);
    let mut f = honest.clone();
    f.claim_output(vec![six, five]);
    f.prove().assert_multiset(Multiset::Output);
    for claim in [vec![five], vec![five, six, six]] {
        let mut f = honest.clone();
        f.claim_output(claim);
        f.prove().assert(
            "spartan",
            &["output: all outputs"],
            &[],
            &[Multiset::Output],
        );
    }
}

#[test]
fn tampered_multiplicities_are_rejected() {
    use zkvm_prover::machine::table_cols;
    let mut f = Forge::zasm(TWO_CELLS, &[]);
    f.prove_edited(|w| w.table_columns[table_cols::MULT_RANGE16][7] += Fr::one())
        .assert_multiset(Multiset::Range16);
    f.prove_edited(|w| w.table_columns[table_cols::MULT_BYTECODE][0] -= Fr::one())
        .assert_multiset(Multiset::Bytecode);
    // The final memory is a multiset too.
    f.prove_edited(|w| w.table_columns[table_cols::MEM_FINAL_VALUE][16] += Fr::one())
        .assert_multiset(Multiset::Memory);
}

#[test]
fn a_failing_assertion_cannot_pass() {
    let claimed = "main:\n [ap] = 4, ap++;\n assert [ap - 1] == 5;\n output [ap - 1];\n halt;\n";
    assert_eq!(vm_output(claimed), None);
    let mut f = forge_as(claimed, &claimed.replacen("== 5", "== 4", 1));
    let t = rows_at(&f, 1)[0];
    for col in ["op1_read_value", "res"] {
        f.set(col, t, Fr::from(5u64));
    }
    rederive(&mut f);
    assert_eq!(f.public.output, vec![Fr::from(4u64)]);
    f.prove().assert_constraint("assert: dst == res");
}

#[test]
fn an_immediate_cannot_be_read_as_another_value() {
    // `[ap] = 5` read as `[ap] = 6`: the run prints 6, where every run prints 5.
    let mut f = Forge::zasm("main:\n [ap] = 5, ap++;\n output [ap - 1];\n halt;\n", &[]);
    for col in ["op1_read_value", "res", "dst_write_value"] {
        f.set_i(col, 0, 6);
    }
    f.claim_output_from_witness();
    assert_eq!(f.public.output, vec![Fr::from(6u64)]);
    rederive(&mut f);
    f.prove().assert_constraint("op1: immediate");
}

/// Two cells, 5 then 7, then `read_first`, whose instruction at `pc` reads the first cell
/// through op1; the run prints what it read.
fn forge_second_cell_read(read_first: &str, pc: u64) -> Forge {
    let source = format!(
        "main:\n [ap] = 5, ap++;\n [ap] = 7, ap++;\n {read_first}\n output [ap - 1];\n halt;\n"
    );
    assert_eq!(vm_output(&source), Some(vec![Fr::from(5u64)]));
    let mut f = Forge::zasm(&source, &[]);
    let t = rows_at(&f, pc)[0];
    // op1 reads the second cell instead: the run prints 7, where every run prints 5.
    let second = f.get("op1_addr", t) + Fr::one();
    f.set("op1_addr", t, second);
    for col in ["op1_read_value", "res", "dst_write_value"] {
        f.set_i(col, t, 7);
    }
    f.complete();
    for t in 0..f.rows() {
        rederive_alu(&mut f, t);
    }
    f.claim_output_from_witness();
    assert_eq!(f.public.output, vec![Fr::from(7u64)]);
    f
}

#[test]
fn an_operand_cannot_be_read_from_beside_fp() {
    let mut f = forge_second_cell_read("[ap] = [fp + 0], ap++;", 2);
    f.prove().assert_constraint("addr: op1 from fp");
}

#[test]
fn a_double_dereference_cannot_read_beside_its_pointer() {
    // The first cell is the first of the data segment.
    let pointer = zkvm_isa::DATA_START;
    let read = format!("[ap] = {pointer}, ap++;\n [ap] = [[ap - 1] + 0], ap++;");
    let mut f = forge_second_cell_read(&read, 3);
    f.prove().assert_constraint("addr: op1 double dereference");
}

/// The op0 and op1 twins of [`UNWRITTEN`]: the instruction at pc 1 reads `[ap]` through op0
/// (`[ap + 1] = [ap] + 1`) or op1 (`[ap + 1] = [ap]`) before `[ap] = 7` writes it; the run
/// would print `[ap + 1]`. The honest neighbour writes `[ap] = 3` first. Returns the forge
/// and the reading row.
fn forge_unwritten_operand(read: &str) -> (Forge, usize) {
    let claimed =
        format!("main:\n [ap + 2] = 3;\n {read};\n [ap] = 7;\n output [ap + 1];\n halt;\n");
    assert_eq!(vm_output(&claimed), None);
    let f = forge_as(&claimed, &claimed.replacen("[ap + 2] = 3", "[ap] = 3", 1));
    let t = rows_at(&f, 1)[0];
    (f, t)
}

/// Set the reading row's result (and so the cell it writes and the output) to `res`.
fn claim_result(f: &mut Forge, t: usize, res: u64) {
    for col in ["res", "dst_write_value"] {
        f.set(col, t, Fr::from(res));
    }
    rederive(f);
    f.claim_output_from_witness();
    assert_eq!(f.public.output, vec![Fr::from(res)]);
}

#[test]
fn an_operand_read_of_an_unwritten_cell_is_rejected() {
    // op0 reads the unwritten cell as 0 and says so (read flag 0): the run prints 0 + 1.
    let (mut f, t) = forge_unwritten_operand("[ap + 1] = [ap] + 1");
    f.pin_read("op0", t);
    for col in [
        "op0_read_value",
        "op0_write_value",
        "op0_read_ts",
        "op0_read_flag",
    ] {
        f.set(col, t, Fr::zero());
    }
    claim_result(&mut f, t, 1);
    f.prove()
        .assert_constraint("memory: op0 reads a written cell");
}

#[test]
fn an_operand_read_from_the_future_is_rejected() {
    // As `a_read_from_the_future_is_rejected`, through op0 (prints 7 + 1) and op1 (prints 7).
    for (slot, read, res, check) in [
        (
            "op0",
            "[ap + 1] = [ap] + 1",
            8,
            "memory: op0 timestamp low limb",
        ),
        (
            "op1",
            "[ap + 1] = [ap]",
            7,
            "memory: op1 timestamp low limb",
        ),
    ] {
        let (mut f, t) = forge_unwritten_operand(read);
        let later_write = 3 * (t as u64 + 1) + 2 + 1; // slot dst (2) of the next row
        f.pin_read(slot, t);
        f.set(&format!("{slot}_read_value"), t, Fr::from(7u64));
        f.set(&format!("{slot}_read_ts"), t, Fr::from(later_write));
        if slot == "op0" {
            f.set("op0_write_value", t, Fr::from(7u64));
            f.set("op0_read_flag", t, Fr::one());
        }
        claim_result(&mut f, t, res);
        f.prove().assert_lookup(check, Multiset::Range16);
    }
}

#[test]
fn fp_cannot_leave_the_u32_range() {
    // `ret` restores fp from [fp − 2], which the callee overwrote with 2^32 + 15: the VM faults.
    // The honest neighbour overwrites it with the fp it already holds.
    let body = |saved: u64| format!("main:\n call f;\n halt;\nf:\n [fp - 2] = {saved};\n ret;\n");
    let fp = u64::from(zkvm_isa::DATA_START);
    let big = (1u64 << 32) + 15;
    assert_eq!(vm_output(&body(big)), None);
    let mut f = forge_as(&body(big), &body(fp));
    let write = rows_at(&f, 2)[0];
    for col in ["op1_read_value", "res", "dst_write_value"] {
        f.set(col, write, Fr::from(big));
    }
    let ret = rows_at(&f, 3)[0];
    f.set("fp_new", ret, Fr::from(big));
    // 2^32 + 15 as limbs 0xffff (high) and 2^16 + 15 (low): only the low limb's range check
    // can object.
    let top = 0xffffu64 << 16;
    for t in ret + 1..f.rows() {
        f.set("fp", t, Fr::from(big));
        f.set("fp_new", t, Fr::from(big));
        f.set("fp_hi", t, Fr::from(0xffffu64));
        f.set("fp_lo", t, Fr::from(big - top));
    }
    rederive(&mut f);
    f.prove()
        .assert_lookup("range: fp low limb", Multiset::Range16);
}

#[test]
fn a_zasm_run_cannot_claim_a_nonzero_exit_code() {
    // zasm has no exit code: the statement's is 0, bound by a constraint on the public value.
    let mut f = Forge::zasm(TWO_CELLS, &[]);
    f.claim_exit_code(1);
    f.prove().assert_constraint("end: a zasm run exits with 0");
}
