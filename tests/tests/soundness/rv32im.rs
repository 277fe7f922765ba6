//! RV32IM: forged runs of small programs built from instructions, whose result reaches the exit
//! code (the forger patches the exit's a0 and claims the new code), and crafted ELF files.

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use zkvm_prover::machine::balance::Multiset;
use zkvm_riscv::{Instruction as I, Program};

use super::forge::Forge;
use super::rv32im_pins::{claim_program, write};

pub(super) const CODE: u32 = 0x1000;
pub(super) const DATA: u32 = 0x2000;
pub(super) const A0: u8 = 10;
pub(super) const A1: u8 = 11;
pub(super) const A2: u8 = 12;
pub(super) const A7: u8 = 17;
pub(super) const T0: u8 = 5;
pub(super) const T1: u8 = 6;

pub(super) fn li(rd: u8, imm: i32) -> I {
    assert!((-2048..2048).contains(&imm));
    I::Addi { rd, rs1: 0, imm }
}

/// `body`, then `exit(a0)`; 16 writable bytes at `DATA` (zeros).
pub(super) fn program(body: &[I]) -> Program {
    let mut code = body.to_vec();
    code.extend([li(A7, 93), I::Ecall]);
    Program::from_instructions(CODE, &code, Some((DATA, vec![0; 16], 16)))
}

/// The interpreter's exit code, or `None` if it faults.
pub(super) fn exit_code(p: &Program, input: &[u8]) -> Option<u32> {
    zkvm_riscv::run(p, input, &Default::default())
        .ok()
        .map(|e| e.exit_code)
}

/// The rows of the instruction at `pc` (its second row for an `ecall` with `sub`).
pub(super) fn row_of(f: &Forge, pc: u32, sub: bool) -> usize {
    f.row_where(&[("pc", u64::from(pc)), ("sub", u64::from(sub))])
}

pub(super) fn pc_of(index: usize) -> u32 {
    CODE + 4 * index as u32
}

/// Set rd's value (and limbs) on row `t`.
pub(super) fn set_rd(f: &mut Forge, t: usize, v: u32) {
    f.set("rd_val", t, Fr::from(v));
    f.set("rd_lo", t, Fr::from(v & 0xffff));
    f.set("rd_hi", t, Fr::from(v >> 16));
}

/// The operand on row `t` whose bytes are in columns `{prefix}0..3`.
pub(super) fn operand(f: &Forge, t: usize, prefix: &str) -> u32 {
    (0..4)
        .map(|i| (f.get_u(&format!("{prefix}{i}"), t) as u32) << (8 * i))
        .sum()
}

/// Set operand X or Y (`prefix` "x" or "y") on row `t`, and what the ALU derives from the
/// operands on every row: the bitwise result, the sign bits, `X = Y` and its inverse, `Y = 0`,
/// `|Y|`, and the shift amount `y0 & 31` with its powers of two.
pub(super) fn set_operand(f: &mut Forge, t: usize, prefix: &str, v: u32) {
    for i in 0..4 {
        f.set(&format!("{prefix}{i}"), t, Fr::from((v >> (8 * i)) & 0xff));
    }
    let (x, y) = (operand(f, t, "x"), operand(f, t, "y"));
    let r = match f.get_u("bw_op", t) {
        0 => x & y,
        1 => x | y,
        _ => x ^ y,
    };
    for i in 0..4 {
        f.set(&format!("r{i}"), t, Fr::from((r >> (8 * i)) & 0xff));
    }
    f.set("s1", t, Fr::from(x >> 31));
    f.set("s2", t, Fr::from(y >> 31));
    let d = Fr::from(x) - Fr::from(y);
    f.set("inv", t, ark_ff::Field::inverse(&d).unwrap_or_default());
    f.set("eq", t, Fr::from(u64::from(x == y)));
    let yf = Fr::from(y);
    f.set("yinv", t, ark_ff::Field::inverse(&yf).unwrap_or_default());
    f.set("yz", t, Fr::from(u64::from(y == 0)));
    f.set("absb", t, yf);
    let shamt = y & 31;
    let bit = |i: u32| u64::from((shamt >> i) & 1);
    for i in 0..5 {
        f.set(&format!("sh{i}"), t, Fr::from(bit(i)));
    }
    let p1 = (1 + bit(0)) * (1 + 3 * bit(1));
    let p2 = p1 * (1 + 15 * bit(2));
    let p3 = p2 * (1 + 255 * bit(3));
    f.set("pow_partial1", t, Fr::from(p1));
    f.set("pow_partial2", t, Fr::from(p2));
    f.set("pow_partial3", t, Fr::from(p3));
    f.set("pow", t, Fr::from(1u64 << shamt));
    f.set("powr", t, Fr::from(1u64 << (32 - shamt)));
    // Byte selection by the address's low bits.
    let (b0, b1) = (f.get_u("b0", t) == 1, f.get_u("b1", t) == 1);
    let xb = x.to_le_bytes();
    let (hl, hh) = if b1 { (xb[2], xb[3]) } else { (xb[0], xb[1]) };
    f.set("hl", t, Fr::from(hl));
    f.set("hh", t, Fr::from(hh));
    f.set("byte", t, Fr::from(if b0 { hh } else { hl }));
    let scale = (1 + 255 * u64::from(b0)) * (1 + 65535 * u64::from(b1));
    f.set("scale", t, Fr::from(scale));
}

/// Set the effective address E on row `t`: its limbs, word and low bits.
pub(super) fn set_eff(f: &mut Forge, t: usize, e: u32) {
    f.set("eff_lo", t, Fr::from(e & 0xffff));
    f.set("eff_hi", t, Fr::from(e >> 16));
    f.set("w", t, Fr::from(e >> 2));
    f.set("b0", t, Fr::from(e & 1));
    f.set("b1", t, Fr::from((e >> 1) & 1));
}

/// Patch memory, then carry the exit's a0 (read as the exit row's Y) into the system-call
/// columns and claim it; the exit's second row (repeated as padding) reads a1 as X and E.
pub(super) fn settle_exit(f: &mut Forge) -> u32 {
    f.complete();
    let exit = f.row_where(&[("is_exit", 1)]);
    for t in exit..f.rows() {
        let a1 = f.get_u("v1", t) as u32;
        set_eff(f, t, a1);
        set_operand(f, t, "x", a1);
    }
    let code = f.get_u("v2", exit - 1) as u32;
    set_operand(f, exit - 1, "y", code);
    for t in exit - 1..f.rows() {
        f.set("sys_a0", t, Fr::from(code));
    }
    f.claim_exit_code(code);
    code
}

#[test]
fn an_honest_run_verifies_with_its_known_exit_code() {
    // 6 · 7 − 2 = 40, through mul, sub and a store and load.
    let p = program(&[
        li(T0, 6),
        li(T1, 7),
        I::Mul {
            rd: A0,
            rs1: T0,
            rs2: T1,
        },
        I::Addi {
            rd: A0,
            rs1: A0,
            imm: -2,
        },
        I::Lui {
            rd: A1,
            imm: DATA as i32,
        },
        I::Sw {
            rs1: A1,
            rs2: A0,
            imm: 4,
        },
        I::Lw {
            rd: A0,
            rs1: A1,
            imm: 4,
        },
    ]);
    assert_eq!(exit_code(&p, &[]), Some(40));
    let mut f = Forge::rv(p, &[]);
    assert_eq!(f.public.exit_code, 40);
    let v = f.prove();
    assert_eq!(v.rejected_by, None, "{v:?}");
}

#[test]
fn another_exit_code_is_rejected() {
    let mut f = Forge::rv(program(&[li(A0, 0)]), &[]);
    f.claim_exit_code(1);
    f.prove().assert_constraint("ecall: exit code");
}

#[test]
fn an_exit_code_from_a_wrong_sum_is_rejected() {
    let mut f = Forge::rv(program(&[li(A0, 0)]), &[]);
    set_rd(&mut f, 0, 1);
    assert_eq!(settle_exit(&mut f), 1);
    f.prove().assert_constraint("alu: add");
}

#[test]
fn a_signed_comparison_cannot_drop_the_sign_of_x() {
    // −1 < 1: the forger calls −1 non-negative (s1 = 0) to get 0.
    let p = program(&[
        li(T0, -1),
        li(T1, 1),
        I::Slt {
            rd: A0,
            rs1: T0,
            rs2: T1,
        },
    ]);
    assert_eq!(exit_code(&p, &[]), Some(1));
    let mut f = Forge::rv(p, &[]);
    let t = row_of(&f, pc_of(2), false);
    for col in ["s1", "sd", "lt"] {
        f.set(col, t, Fr::zero());
    }
    set_rd(&mut f, t, 0);
    assert_eq!(settle_exit(&mut f), 0);
    f.prove().assert_lookup("sign: X", Multiset::Range16);
}

#[test]
fn a_signed_comparison_cannot_drop_the_sign_of_y() {
    // 1 < −1 is false: the forger calls −1 non-negative (s2 = 0) to get 1.
    let p = program(&[
        li(T0, -1),
        li(T1, 1),
        I::Slt {
            rd: A0,
            rs1: T1,
            rs2: T0,
        },
    ]);
    assert_eq!(exit_code(&p, &[]), Some(0));
    let mut f = Forge::rv(p, &[]);
    let t = row_of(&f, pc_of(2), false);
    f.set("s2", t, Fr::zero());
    f.set("sd", t, Fr::zero());
    f.set("lt", t, Fr::one());
    set_rd(&mut f, t, 1);
    assert_eq!(settle_exit(&mut f), 1);
    f.prove().assert_lookup("sign: Y", Multiset::Range16);
}

#[test]
fn a_shift_by_another_amount_is_rejected() {
    forge_shift_by_two()
        .prove()
        .assert_lookup("shift: shamt = y0 & 31", Multiset::Bitwise);
}

/// `t0 = 1; a0 = t0 << 1`, exit code 2: a shift, whose amount goes through the bitwise table.
pub(super) fn one_shifted_by_one() -> Program {
    program(&[
        li(T0, 1),
        I::Slli {
            rd: A0,
            rs1: T0,
            imm: 1,
        },
    ])
}

/// 1 << 1 = 2; the forger shifts by 2 (so that only the bitwise lookup `y0 & 31` objects).
pub(super) fn forge_shift_by_two() -> Forge {
    let p = one_shifted_by_one();
    assert_eq!(exit_code(&p, &[]), Some(2));
    let mut f = Forge::rv(p, &[]);
    let t = row_of(&f, pc_of(1), false);
    f.set("sh0", t, Fr::zero());
    f.set("sh1", t, Fr::one());
    for col in [
        "pow_partial1",
        "pow_partial2",
        "pow_partial3",
        "pow",
        "my",
        "prod",
    ] {
        f.set(col, t, Fr::from(4u64));
    }
    f.set("powr", t, Fr::from(1u64 << 30));
    set_rd(&mut f, t, 4);
    assert_eq!(settle_exit(&mut f), 4);
    f
}

#[test]
fn a_division_by_a_positive_divisor_cannot_call_it_negative() {
    // −7 / 2 = −3. The forger makes b = 2 − 2^32 (sign bit set) and gets q = 0, r = −7:
    // |r| < |b| and a = q·b + r hold; only the divisor's sign ties it to Y.
    let p = program(&[
        li(T0, -7),
        li(T1, 2),
        I::Div {
            rd: A0,
            rs1: T0,
            rs2: T1,
        },
    ]);
    assert_eq!(exit_code(&p, &[]), Some(-3i32 as u32));
    let mut f = Forge::rv(p, &[]);
    let t = row_of(&f, pc_of(2), false);
    let two32 = 1i64 << 32;
    for (col, v) in [
        ("div_sign_b", 1),
        ("my", 2 - two32),
        ("mx", 0),
        ("prod", 0),
        ("dq", 0),
        ("sq", 0),
        ("dr", two32 - 7),
        ("sr", 1),
        ("absb", two32 - 2),
        ("absr", 7),
    ] {
        f.set_i(col, t, v);
    }
    // E = |b| − 1 − |r| = 2^32 − 10, whose low bits (b0 = 0, b1 = 1) select bytes of X.
    let eff = (two32 - 2 - 1 - 7) as u64;
    f.set("eff_lo", t, Fr::from(eff & 0xffff));
    f.set("eff_hi", t, Fr::from(eff >> 16));
    f.set("w", t, Fr::from(eff >> 2));
    f.set("b1", t, Fr::one());
    let (x2, x3) = (f.get("x2", t), f.get("x3", t));
    f.set("hl", t, x2);
    f.set("hh", t, x3);
    f.set("byte", t, x2);
    f.set("scale", t, Fr::from(65536u64));
    let r = (two32 - 7) as u64;
    f.set("aux_lo", t, Fr::from(r & 0xffff));
    f.set("aux_hi", t, Fr::from(r >> 16));
    set_rd(&mut f, t, 0);
    assert_eq!(settle_exit(&mut f), 0);
    f.prove().assert_constraint("div: divisor sign");
}

#[test]
fn a_load_from_outside_the_program_is_rejected() {
    // The claimed program loads the word past its data (the interpreter faults); the forger
    // starts from the run that loads the data's last word.
    let claimed = program(&[
        I::Lui {
            rd: A1,
            imm: DATA as i32,
        },
        I::Lw {
            rd: A0,
            rs1: A1,
            imm: 16,
        },
    ]);
    assert_eq!(exit_code(&claimed, &[]), None);
    let honest = program(&[
        I::Lui {
            rd: A1,
            imm: DATA as i32,
        },
        I::Lw {
            rd: A0,
            rs1: A1,
            imm: 12,
        },
    ]);
    let mut f = Forge::rv(honest, &[]);
    f.program = super::forge::Program::Rv(claimed);
    f.claim_exit_code(0);
    let t = row_of(&f, pc_of(1), false);
    f.set("imm", t, Fr::from(16u64));
    let w = f.get("w", t) + Fr::one();
    f.set("w", t, w);
    let e = f.get_u("eff_lo", t) + 4;
    f.set("eff_lo", t, Fr::from(e));
    // Refetch: the claimed program's bytecode row for this pc has imm = 16.
    f.prove()
        .assert_constraint("memory: ram touches an accessible cell");
}

/// `read(0, DATA, 4)` twice, then exit with the second read's return value.
fn two_reads() -> Program {
    let read = [
        li(A0, 0),
        I::Lui {
            rd: A1,
            imm: DATA as i32,
        },
        li(A2, 4),
        li(A7, 63),
        I::Ecall,
    ];
    let mut body = read.to_vec();
    body.extend(read);
    program(&body)
}

#[test]
fn input_cannot_go_on_after_a_read_returned_nothing() {
    // With 4 bytes of input the reads return 4 then 0. The forger claims the first read
    // returned nothing and the second all 4 bytes (exit 4): no single input does that.
    let p = two_reads();
    assert_eq!(exit_code(&p, b"abcd"), Some(0));
    let honest = Forge::rv(p, b"abcd");
    let mut f = honest.clone();
    let first = row_of(&f, pc_of(4), true);
    let second = row_of(&f, pc_of(9), true);
    assert_eq!(f.get_u("got", first), 1);
    // Swap the two reads' results (the RAM word is written by the second read instead).
    for col in [
        "got",
        "total",
        "lane0",
        "lane1",
        "lane2",
        "lane3",
        "lane_end0",
        "lane_end1",
        "lane_end2",
        "lane_end3",
        "cont_inv",
        "rd_val",
        "rd_lo",
        "rd_hi",
        "ram_old",
        "ram_new",
        "ram_perm",
        "w",
        "eff_lo",
        "eff_hi",
        "aux_lo",
        "aux_hi",
        "x0",
        "x1",
        "x2",
        "x3",
        "y0",
        "y1",
        "y2",
        "y3",
        "r0",
        "r1",
        "r2",
        "r3",
        "s1",
        "s2",
        "inv",
        "eq",
        "yinv",
        "yz",
        "absb",
        "hl",
        "hh",
        "byte",
        "scale",
        "b0",
        "b1",
        "sh0",
        "sh1",
        "sh2",
        "sh3",
        "sh4",
        "pow_partial1",
        "pow_partial2",
        "pow_partial3",
        "pow",
        "powr",
    ] {
        let (a, b) = (f.get(col, first), f.get(col, second));
        f.set(col, first, b);
        f.set(col, second, a);
    }
    // The forger keeps "the input has not ended" (eof = 0) throughout.
    for t in 0..f.rows() {
        f.set("eof", t, Fr::zero());
        let more = f.get("is_read", t);
        f.set("more", t, more);
    }
    assert_eq!(settle_exit(&mut f), 4);
    f.prove()
        .assert_constraint("input: a read followed by more input returns all it asked for");
}

#[test]
fn a_short_read_keeps_the_bytes_past_its_count() {
    // One byte of input: the read changes the first byte of the word and nothing else. The
    // program then loads the word's second byte into a0. The forger claims it became 7.
    let p = program(&[
        li(A0, 0),
        I::Lui {
            rd: A1,
            imm: DATA as i32,
        },
        li(A2, 4),
        li(A7, 63),
        I::Ecall,
        I::Lui {
            rd: A1,
            imm: DATA as i32,
        },
        I::Lbu {
            rd: A0,
            rs1: A1,
            imm: 1,
        },
    ]);
    assert_eq!(exit_code(&p, b"x"), Some(0));
    let mut f = Forge::rv(p, b"x");
    let read = row_of(&f, pc_of(4), true);
    let word = f.get_u("ram_new", read) + (7 << 8);
    f.set("ram_new", read, Fr::from(word));
    set_operand(&mut f, read, "y", word as u32);
    let load = row_of(&f, pc_of(6), false);
    f.complete();
    // The load's X is the word, its selected byte 7.
    set_operand(&mut f, load, "x", word as u32);
    set_rd(&mut f, load, 7);
    assert_eq!(settle_exit(&mut f), 7);
    f.prove()
        .assert_constraint("io: a read keeps byte 1 outside its lanes");
}

#[test]
fn a_debug_write_needs_its_buffer_in_memory() {
    // write(2, DATA + 4096, 4): the buffer is past the program's memory, the interpreter
    // faults. The forger starts from the run that writes DATA.
    let body = |hi: i32| {
        [
            li(A0, 2),
            I::Lui {
                rd: A1,
                imm: (DATA as i32) + (hi << 12),
            },
            li(A2, 4),
            li(A7, 64),
            I::Ecall,
            li(A0, 0),
        ]
    };
    let claimed = program(&body(1));
    assert_eq!(exit_code(&claimed, &[]), None);
    let mut f = Forge::rv(program(&body(0)), &[]);
    f.program = super::forge::Program::Rv(claimed);
    f.claim_exit_code(0);
    let lui = row_of(&f, pc_of(1), false);
    let a1 = DATA + 4096;
    f.set("imm", lui, Fr::from(a1));
    set_rd(&mut f, lui, a1);
    f.complete();
    let write = row_of(&f, pc_of(4), true);
    // E = a1 − lo is fine; aux = hi − lo − E − 4 is negative: the forger satisfies the
    // constraint with a limb out of range.
    let (lo, hi) = match &f.program {
        super::forge::Program::Rv(p) => p.span(),
        _ => unreachable!(),
    };
    set_eff(&mut f, write, a1 - lo);
    set_operand(&mut f, write, "x", a1);
    let aux = hi as i64 - i64::from(a1 - lo) - 4 - i64::from(lo);
    f.set_i("aux_lo", write, aux);
    f.set("aux_hi", write, Fr::zero());
    settle_exit(&mut f);
    f.prove()
        .assert_lookup("range: aux low limb", Multiset::Range16);
}

/// Remove row `t` (the rows after it move up; the last row, a padding row, is repeated), and
/// renumber the cycle column.
pub(super) fn remove_row(f: &mut Forge, t: usize) {
    for col in f.cols.iter_mut() {
        col.remove(t);
        let last = *col.last().expect("rows");
        col.push(last);
    }
    for t in 0..f.rows() {
        f.set("cycle", t, Fr::from(t as u64));
    }
}

#[test]
fn an_exit_cannot_be_entered_without_its_first_row() {
    // The first row of an ecall reads a7 and a0 into the call's columns; without it, the exit
    // code would be the forger's to choose.
    let mut f = Forge::rv(program(&[li(A0, 0)]), &[]);
    let first = row_of(&f, pc_of(2), false);
    remove_row(&mut f, first);
    for t in first..f.rows() {
        f.set("sys_a0", t, Fr::from(7u64));
    }
    f.claim_exit_code(7);
    f.prove().assert_constraint(
        "next: sub follows an ecall's first row, a chunk row with more to do, or an exit",
    );
}

#[test]
fn a_system_call_cannot_skip_its_second_row() {
    // write(1, DATA, 4) then exit: without the write's second row the output would be empty.
    let mut f = Forge::rv(write(64, 1, 4), &[]);
    assert_eq!(f.public.output.len(), 4);
    let second = row_of(&f, pc_of(4), true);
    remove_row(&mut f, second);
    // The first row now hands over to the next instruction, as a regular row would; the call's
    // a7 and a0 are carried into that row, and no output was counted.
    f.set("pc_new", second - 1, Fr::from(u64::from(pc_of(5))));
    for col in ["sys_a7", "sys_a0"] {
        let v = f.get(col, second - 1);
        f.set(col, second, v);
    }
    for t in second..f.rows() {
        f.set("out_idx", t, Fr::zero());
    }
    f.claim_output(Vec::new());
    f.prove().assert(
        "spartan",
        &[
            "pc: ecall",
            "next: sub follows an ecall's first row, a chunk row with more to do, or an exit",
        ],
        &[],
        &[],
    );
}

#[test]
fn an_exit_code_cannot_be_changed_after_the_call_read_it() {
    // Adversarial round 4: exit(7), with only the carried a0 of the exit row (and the padding
    // rows that repeat it) changed, claimed as exit code 42.
    let mut f = Forge::rv(program(&[li(A0, 7)]), &[]);
    let exit = row_of(&f, pc_of(2), true);
    for t in exit..f.rows() {
        f.set("sys_a0", t, Fr::from(42u64));
    }
    f.claim_exit_code(42);
    f.prove().assert_constraint("ecall: a0 carried");
}

#[test]
fn the_initial_stack_pointer_is_the_loaders() {
    // `exit(sp)`: the witness is an honest run of the same code started with another sp (as a
    // prover who picks its own stack would make it), claimed as a run of the real program, its
    // first read of x2 kept as the prover made it. The verifier rebuilds the initial memory,
    // which holds x2, from the program, so the memory multiset cannot balance.
    let body = [I::Addi {
        rd: A0,
        rs1: 2,
        imm: 0,
    }];
    let mut real = program(&body);
    real.initial_sp = 0x0010_0000;
    let mut moved = real.clone();
    moved.initial_sp = 0x0020_0000;
    assert_eq!(exit_code(&real, &[]), Some(0x0010_0000));
    let mut f = Forge::rv(moved, &[]);
    assert_eq!(f.public.exit_code, 0x0020_0000);
    claim_program(&mut f, real);
    f.pin_read("rs1", 0);
    f.prove().assert_multiset(Multiset::Memory);
}
