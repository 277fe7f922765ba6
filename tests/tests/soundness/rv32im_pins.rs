//! RV32IM: one forgery per constraint or lookup that no other test pinned — system calls, the
//! first and the last row, the cycle counter, stores, upper immediates, operand forms, division,
//! the shift amount's bits, alignment and the memory timestamps. Each starts from the honest
//! witness of a tiny program, changes what the one check guards, patches the rest, and shows
//! that exactly that check (and the verifier) objects. A forgery either claims another result
//! (exit code or output) or claims a program whose interpreter run faults.
//!
//! The other checks of that list are implied, so no forgery can isolate them: the booleans of
//! eq and yz (each is forced to its exact value by its inverse pair of constraints), of cond
//! (equal to eq, 1 − eq, lt, 1 − lt, 1 or 0 by the branch and jump rules), of the three call
//! flags and the two write flags (they add up to sub, resp. the write flag, and each nonzero
//! one pins a7, resp. a0, to its own number), of sr (the two |r| rules and the remainder sign
//! rules leave no other value), of got (the ram slot's weight on a read row: memory balances
//! only with weights 0 or 1), and of eof (a non-boolean value can only sit where the input
//! ends, and 0 there satisfies every rule too); and the input not having ended on the first
//! row (an input that ends there is the empty input, which gives the same rows).

use ark_bn254::Fr;
use ark_ff::{Field, One, Zero};
use zkvm_prover::lower::riscv::{machine, ram_base};
use zkvm_prover::machine::balance::Multiset;
use zkvm_prover::poly::small_value;
use zkvm_riscv::{Instruction as I, Program};

use super::forge::{self, Forge};
use super::rv32im::{
    exit_code, li, one_shifted_by_one, operand, pc_of, program, remove_row, row_of, set_eff,
    set_operand, set_rd, settle_exit, A0, A1, A2, A7, CODE, DATA, T0, T1,
};

/// 16 writable bytes at `DATA` (zeros), as [`program`] has them.
fn data() -> Option<(u32, Vec<u8>, u32)> {
    Some((DATA, vec![0; 16], 16))
}

/// The interpreter's public output (stdout), or `None` if it faults.
pub(super) fn stdout(p: &Program, input: &[u8]) -> Option<Vec<u8>> {
    zkvm_riscv::run(p, input, &Default::default())
        .ok()
        .map(|e| e.stdout)
}

/// Claim that the witness is a run of `p` (same exit code and output).
pub(super) fn claim_program(f: &mut Forge, p: Program) {
    f.program = forge::Program::Rv(p);
    let code = f.public.exit_code;
    f.claim_exit_code(code);
}

/// Make row `t`, an `li rd, _` (`addi rd, x0, _`), load `v`: its immediate (as the claimed
/// program's bytecode has it), its Y and its result.
pub(super) fn set_li(f: &mut Forge, t: usize, v: u32) {
    f.set("imm", t, Fr::from(v));
    set_operand(f, t, "y", v);
    set_rd(f, t, v);
}

/// Redo row `t`'s byte selection from X's bytes (after its address bits changed).
fn reselect(f: &mut Forge, t: usize) {
    let x = operand(f, t, "x");
    set_operand(f, t, "x", x);
}

/// The effective-address limbs of row `t` as a number.
fn eff(f: &Forge, t: usize) -> u32 {
    (f.get_u("eff_lo", t) + (f.get_u("eff_hi", t) << 16)) as u32
}

/// Patch memory, then give the exit's second row (and the padding rows that repeat it) the
/// operands X = a1 and Y = a2 it reads.
pub(super) fn settle_exit_operands(f: &mut Forge) {
    f.complete();
    let exit = f.row_where(&[("is_exit", 1)]);
    for t in exit..f.rows() {
        let (a1, a2) = (f.get_u("v1", t) as u32, f.get_u("v2", t) as u32);
        set_operand(f, t, "x", a1);
        set_operand(f, t, "y", a2);
    }
}

/// Rebuild the machine over a memory of `2^log_size` cells (the honest run's may be too
/// small for an access the forger adds).
pub(super) fn grow_memory(f: &mut Forge, log_size: usize) {
    let forge::Program::Rv(p) = &f.program else {
        unreachable!()
    };
    f.machine = machine(p, log_size);
}

/// Set `v` on rows `from..`.
pub(super) fn set_from(f: &mut Forge, col: &str, from: usize, v: u64) {
    for t in from..f.rows() {
        f.set(col, t, Fr::from(v));
    }
}

// ---------------------------------------------------------------------------------------------
// System calls.

/// `a0 = 5`, then the system call `a7` (93 is exit).
fn call(a7: i32) -> Program {
    Program::from_instructions(CODE, &[li(A0, 5), li(A7, a7), I::Ecall], data())
}

/// The honest `exit(5)`, claimed as the program that calls 94 (the interpreter faults): the
/// row that sets a7 loads 94, and the ecall's first row reads it.
fn exit_claimed_as_call_94() -> (Forge, usize) {
    assert_eq!(exit_code(&call(94), &[]), None);
    let mut f = Forge::rv(call(93), &[]);
    claim_program(&mut f, call(94));
    set_li(&mut f, 1, 94);
    f.complete();
    let first = row_of(&f, pc_of(2), false);
    set_operand(&mut f, first, "x", 94);
    (f, first)
}

#[test]
fn a_call_cannot_take_another_number_than_a7() {
    // The call's a7 column keeps 93 while the register holds 94: exit(5) from a faulting run.
    let (mut f, _) = exit_claimed_as_call_94();
    f.prove().assert_constraint("ecall: a7");
}

#[test]
fn a_call_number_cannot_change_between_its_rows() {
    // The first row reads 94; the second row says 93.
    let (mut f, first) = exit_claimed_as_call_94();
    f.set("sys_a7", first, Fr::from(94u64));
    f.prove().assert_constraint("ecall: a7 carried");
}

#[test]
fn only_call_93_exits() {
    // The call is 94 throughout, and the forger exits with it.
    let (mut f, first) = exit_claimed_as_call_94();
    set_from(&mut f, "sys_a7", first, 94);
    f.prove().assert_constraint("ecall: exit is 93");
}

#[test]
fn an_exit_cannot_take_another_code_than_a0() {
    // exit(5): the call's a0 column says 42 from its first row on.
    let mut f = Forge::rv(call(93), &[]);
    let first = row_of(&f, pc_of(2), false);
    set_from(&mut f, "sys_a0", first, 42);
    f.claim_exit_code(42);
    f.prove().assert_constraint("ecall: a0");
}

/// The system call `a7` on `(fd, DATA, len)`: `read` (63) or `write` (64) of the buffer at
/// `DATA`.
pub(super) fn syscall(a7: i32, fd: i32, len: i32) -> Vec<I> {
    vec![
        li(A0, fd),
        I::Lui {
            rd: A1,
            imm: DATA as i32,
        },
        li(A2, len),
        li(A7, a7),
        I::Ecall,
    ]
}

/// `write(fd, DATA, len)` (call `a7`), then `exit(0)`.
pub(super) fn write(a7: i32, fd: i32, len: i32) -> Program {
    let mut body = syscall(a7, fd, len);
    body.push(li(A0, 0));
    program(&body)
}

#[test]
fn only_call_64_writes() {
    // The honest write(1, DATA, 4), claimed as call 65 (the interpreter faults).
    let claimed = write(65, 1, 4);
    assert_eq!(stdout(&claimed, &[]), None);
    let mut f = Forge::rv(write(64, 1, 4), &[]);
    claim_program(&mut f, claimed);
    set_li(&mut f, 3, 65);
    f.complete();
    let first = row_of(&f, pc_of(4), false);
    set_operand(&mut f, first, "x", 65);
    for t in [first, first + 1] {
        f.set("sys_a7", t, Fr::from(65u64));
    }
    f.prove().assert_constraint("ecall: write is 64");
}

/// Make row `t` a public write's only chunk row, of the four bytes of the (aligned) word at
/// its address (a1 − ram base): X = Y = the word, every lane an output lane, `total` 4.
fn make_public_chunk(f: &mut Forge, t: usize) {
    let base = match &f.program {
        forge::Program::Rv(p) => ram_base(p),
        _ => unreachable!(),
    };
    let a1 = f.get_u("v1", t) as u32;
    f.set("w2", t, Fr::zero());
    f.set("w1", t, Fr::one());
    f.set("put", t, Fr::one());
    for k in 0..4 {
        for col in ["lane_end", "lane", "out_lane"] {
            f.set(&format!("{col}{k}"), t, Fr::one());
        }
    }
    f.set("total", t, Fr::from(4u64));
    set_eff(f, t, a1 - base);
    f.complete();
    let word = f.get_u("ram_old", t) as u32;
    set_operand(f, t, "x", word);
    set_operand(f, t, "y", word);
}

/// Make row `t`, a public write's only chunk row, a debug write's row (no RAM word, no lanes,
/// no bytes handled; its buffer checked against the program's span).
fn make_debug_row(f: &mut Forge, t: usize) {
    f.set("w1", t, Fr::zero());
    f.set("w2", t, Fr::one());
    f.set("put", t, Fr::zero());
    for k in 0..4 {
        for col in ["lane_end", "lane", "out_lane"] {
            f.set(&format!("{col}{k}"), t, Fr::zero());
        }
    }
    f.set("total", t, Fr::zero());
    let (a1, len) = (f.get_u("v1", t) as u32, f.get_u("v2", t));
    let (lo, hi) = match &f.program {
        forge::Program::Rv(p) => p.span(),
        _ => unreachable!(),
    };
    set_eff(f, t, a1 - lo);
    set_operand(f, t, "x", a1);
    set_operand(f, t, "y", len as u32);
    let aux = hi - u64::from(lo) - u64::from(a1 - lo) - len;
    f.set("aux_lo", t, Fr::from(aux & 0xffff));
    f.set("aux_hi", t, Fr::from(aux >> 16));
}

#[test]
fn a_debug_write_cannot_become_public_output() {
    // write(2, DATA, 4) prints nothing public; the forger calls it a write to fd 1 of the four
    // (zero) bytes at DATA.
    let p = write(64, 2, 4);
    assert_eq!(stdout(&p, &[]), Some(Vec::new()));
    let mut f = Forge::rv(p, &[]);
    grow_memory(&mut f, 11);
    let second = row_of(&f, pc_of(4), true);
    make_public_chunk(&mut f, second);
    set_from(&mut f, "out_idx", second + 1, 4);
    f.claim_output_from_witness();
    assert_eq!(f.public.output, vec![Fr::zero(); 4]);
    f.prove().assert_constraint("ecall: write fd 1");
}

#[test]
fn public_output_cannot_be_hidden_as_a_debug_write() {
    // write(1, DATA, 4) prints four bytes; the forger calls it a write to fd 2 and claims none.
    let p = write(64, 1, 4);
    assert_eq!(stdout(&p, &[]), Some(vec![0; 4]));
    let mut f = Forge::rv(p, &[]);
    let second = row_of(&f, pc_of(4), true);
    make_debug_row(&mut f, second);
    set_from(&mut f, "out_idx", second + 1, 0);
    f.claim_output(Vec::new());
    f.prove().assert_constraint("ecall: write fd 2");
}

#[test]
fn a_public_write_handles_len_bytes() {
    // The claimed program writes 8 bytes; the forger's write stops after 4 (one chunk row,
    // which returns 4 and ends the call), and the proof claims 4 bytes of output.
    let claimed = write(64, 1, 8);
    assert_eq!(stdout(&claimed, &[]), Some(vec![0; 8]));
    let mut f = Forge::rv(write(64, 1, 4), &[]);
    claim_program(&mut f, claimed);
    set_li(&mut f, 2, 8);
    settle_exit_operands(&mut f);
    assert_eq!(f.public.output.len(), 4);
    f.prove()
        .assert_constraint("io: a public write handles len bytes");
}

#[test]
fn only_a_read_writes_input_into_memory() {
    // t1 = 17, t0 = t0 + t1, then a0 = the word at DATA (0). The forger's add also writes the
    // byte 7 into DATA's first lane, as a read's chunk row would (its "len" is t1 = 17, its
    // total 1, so that len − total = 16 is also the room a read of nothing would check from
    // DATA to the end of the program), and the run exits 7. (A debug write, which used to be this attack's target,
    // cannot handle a byte: `exits and debug writes handle no bytes`.)
    let p = program(&[
        li(T1, 17),
        I::Add {
            rd: T0,
            rs1: T0,
            rs2: T1,
        },
        I::Lui {
            rd: A1,
            imm: DATA as i32,
        },
        I::Lw {
            rd: A0,
            rs1: A1,
            imm: 0,
        },
    ]);
    assert_eq!(exit_code(&p, &[]), Some(0));
    let mut f = Forge::rv(p.clone(), &[]);
    let t = 1;
    f.set("got", t, Fr::one());
    f.set("lane_end0", t, Fr::one());
    f.set("lane0", t, Fr::one());
    f.set("total", t, Fr::one());
    f.set("aux_lo", t, Fr::from(16u64));
    set_eff(&mut f, t, DATA - ram_base(&p));
    f.set("ram_new", t, Fr::from(7u64));
    set_operand(&mut f, t, "x", 0);
    set_operand(&mut f, t, "y", 7);
    set_rd(&mut f, t, 7);
    f.complete();
    set_rd(&mut f, 3, 7);
    assert_eq!(settle_exit(&mut f), 7);
    f.prove().assert_constraint("ecall: got only on read");
}

#[test]
fn only_call_63_reads() {
    // The honest read(0, DATA, 4), claimed as call 62 (the interpreter faults).
    let claimed = program(&syscall(62, 0, 4));
    assert_eq!(exit_code(&claimed, b"abcd"), None);
    let mut f = Forge::rv(program(&syscall(63, 0, 4)), b"abcd");
    claim_program(&mut f, claimed);
    set_li(&mut f, 3, 62);
    f.complete();
    let first = row_of(&f, pc_of(4), false);
    set_operand(&mut f, first, "x", 62);
    for t in [first, first + 1] {
        f.set("sys_a7", t, Fr::from(62u64));
    }
    f.prove().assert_constraint("ecall: read is 63");
}

#[test]
fn input_is_read_from_fd_0_only() {
    // The claimed program reads fd 3 (the interpreter faults); the forger reads the input.
    let claimed = program(&syscall(63, 3, 4));
    assert_eq!(exit_code(&claimed, b"abcd"), None);
    let mut f = Forge::rv(program(&syscall(63, 0, 4)), b"abcd");
    claim_program(&mut f, claimed);
    set_li(&mut f, 0, 3);
    f.complete();
    let first = row_of(&f, pc_of(4), false);
    set_operand(&mut f, first, "y", 3);
    for t in [first, first + 1] {
        f.set("sys_a0", t, Fr::from(3u64));
    }
    f.prove().assert_constraint("ecall: read fd 0");
}

#[test]
fn a_read_returns_at_most_len() {
    // The claimed program reads 4 bytes and exits with the count (4, or less if the input is
    // shorter); the forger's read returns 8 bytes (two chunk rows), after which the input
    // ends, and the run exits 8.
    let claimed = program(&syscall(63, 0, 4));
    assert_eq!(exit_code(&claimed, b"abcdefgh"), Some(4));
    let mut f = Forge::rv(program(&syscall(63, 0, 8)), b"abcdefgh");
    assert_eq!(f.public.exit_code, 8);
    claim_program(&mut f, claimed);
    set_li(&mut f, 2, 4);
    settle_exit_operands(&mut f);
    let last = row_of(&f, pc_of(4), true) + 1;
    assert_eq!(f.get_u("cont", last), 0);
    // The input ends after the read (no more data is read).
    f.set("more", last, Fr::zero());
    set_from(&mut f, "eof", last + 1, 1);
    f.prove()
        .assert_constraint("io: a read returns at most len");
}

#[test]
fn a_read_of_two_bytes_keeps_byte_3() {
    // Two bytes of input: the read changes the word's first two bytes. The program then loads
    // its byte 3 (0); the forger's read made it 7.
    let mut body = syscall(63, 0, 4);
    body.push(I::Lbu {
        rd: A0,
        rs1: A1,
        imm: 3,
    });
    let p = program(&body);
    assert_eq!(exit_code(&p, b"xy"), Some(0));
    let mut f = Forge::rv(p, b"xy");
    let second = row_of(&f, pc_of(4), true);
    let lanes: Vec<u64> = (0..4)
        .map(|k| f.get_u(&format!("lane{k}"), second))
        .collect();
    assert_eq!(lanes, [1, 1, 0, 0]);
    let word = operand(&f, second, "y") | (7 << 24);
    f.set("ram_new", second, Fr::from(word));
    set_operand(&mut f, second, "y", word);
    f.complete();
    let load = row_of(&f, pc_of(5), false);
    set_operand(&mut f, load, "x", word);
    set_rd(&mut f, load, 7);
    assert_eq!(settle_exit(&mut f), 7);
    f.prove()
        .assert_constraint("io: a read keeps byte 3 outside its lanes");
}

// ---------------------------------------------------------------------------------------------
// The first and the last row, and the cycle counter.

#[test]
fn a_run_cannot_start_inside_a_system_call() {
    // The claimed program is one `ecall`, with a7 = 0 (the interpreter faults). The forger
    // starts at its second row, where nothing read a7, and exits with 42.
    let claimed = Program::from_instructions(CODE, &[I::Ecall], data());
    assert_eq!(exit_code(&claimed, &[]), None);
    let honest = Program::from_instructions(CODE, &[li(A7, 93), I::Ecall], data());
    let mut f = Forge::rv(honest, &[]);
    remove_row(&mut f, 0);
    remove_row(&mut f, 0);
    claim_program(&mut f, claimed);
    set_from(&mut f, "idx", 0, 1);
    set_from(&mut f, "pc", 0, u64::from(CODE));
    set_from(&mut f, "pc_new", 0, u64::from(CODE));
    set_from(&mut f, "sys_a0", 0, 42);
    f.claim_exit_code(42);
    f.prove().assert_constraint("start: sub = 0");
}

#[test]
fn a_run_cannot_stop_before_it_exits() {
    // a0 = 1, a7 = 93, exit: the forger keeps the first two rows and claims exit code 7.
    let p = program(&[li(A0, 1)]);
    assert_eq!(exit_code(&p, &[]), Some(1));
    let mut f = Forge::rv(p, &[]);
    for col in f.cols.iter_mut() {
        col.truncate(2);
    }
    f.claim_exit_code(7);
    f.prove().assert_constraint("end: the last row exits");
}

/// Pin the read of `slot` on row `t`: value `v`, written at timestamp `ts`.
fn stale_read(f: &mut Forge, slot: &str, t: usize, v: u32, ts: u64) {
    f.pin_read(slot, t);
    let col = match slot {
        "rs1" => "v1",
        "rs2" => "v2",
        "ram" => "ram_old",
        _ => "rd_old",
    };
    f.set(col, t, Fr::from(v));
    if slot == "ram" {
        f.set("ram_new", t, Fr::from(v));
    }
    f.set(&format!("{slot}_read_ts"), t, Fr::from(ts));
}

/// The timestamp of slot `s` (rs1 0, rs2 1, ram 2, rd 3) on cycle `c`.
fn ts(c: u64, s: u64) -> u64 {
    4 * c + s + 1
}

#[test]
fn the_cycle_counter_cannot_go_back() {
    // a0 = 5, a7 = 93, a0 = 9, exit: the exit reads 9. The forger's exit rows count again
    // from cycle 2, between the two writes of a0, and read 5.
    let p = program(&[li(A0, 5), li(A7, 93), li(A0, 9)]);
    assert_eq!(exit_code(&p, &[]), Some(9));
    let mut f = Forge::rv(p, &[]);
    let first = row_of(&f, pc_of(4), false);
    assert_eq!(first, 4);
    for t in first..f.rows() {
        f.set("cycle", t, Fr::from(t as u64 - 2));
    }
    // The exit (cycle 2) reads a7 and a0 as rows 1 and 0 wrote them; the writes of rows 2 and
    // 3 (cycles 2 and 3) overwrite what the exit read.
    stale_read(&mut f, "rs1", first, 93, ts(1, 3));
    stale_read(&mut f, "rs2", first, 5, ts(0, 3));
    stale_read(&mut f, "rd", 2, 5, ts(2, 1));
    stale_read(&mut f, "rd", 3, 93, ts(2, 0));
    assert_eq!(settle_exit(&mut f), 5);
    f.prove().assert_constraint("next: cycle");
}

// ---------------------------------------------------------------------------------------------
// Memory: timestamps and permissions.

#[test]
fn a_register_read_from_the_future_is_rejected() {
    // t0 = 5, then a0 = t0 (+ 0) through rs1 or rs2, then t0 = 9: the run exits 5. The forger's
    // read takes the 9 that the next row writes; memory balances (t0's final tuple is the 5),
    // only the timestamp range check objects.
    for (slot, read, name) in [
        (
            "rs1",
            I::Addi {
                rd: A0,
                rs1: T0,
                imm: 0,
            },
            "memory: rs1 timestamp low limb",
        ),
        (
            "rs2",
            I::Add {
                rd: A0,
                rs1: 0,
                rs2: T0,
            },
            "memory: rs2 timestamp low limb",
        ),
    ] {
        let p = program(&[li(T0, 5), read, li(T0, 9)]);
        assert_eq!(exit_code(&p, &[]), Some(5));
        let mut f = Forge::rv(p, &[]);
        stale_read(&mut f, slot, 1, 9, ts(2, 3));
        set_operand(&mut f, 1, if slot == "rs1" { "x" } else { "y" }, 9);
        set_rd(&mut f, 1, 9);
        assert_eq!(settle_exit(&mut f), 9);
        f.prove().assert_lookup(name, Multiset::Range16);
    }
}

#[test]
fn a_load_from_the_future_is_rejected() {
    // a0 = the word at DATA (0), then DATA = 5: the forger's load takes the 5.
    let p = program(&[
        li(T0, 5),
        I::Lui {
            rd: A1,
            imm: DATA as i32,
        },
        I::Lw {
            rd: A0,
            rs1: A1,
            imm: 0,
        },
        I::Sw {
            rs1: A1,
            rs2: T0,
            imm: 0,
        },
    ]);
    assert_eq!(exit_code(&p, &[]), Some(0));
    let mut f = Forge::rv(p, &[]);
    stale_read(&mut f, "ram", 2, 5, ts(3, 2));
    set_rd(&mut f, 2, 5);
    assert_eq!(settle_exit(&mut f), 5);
    f.clone()
        .prove()
        .assert_lookup("memory: ram timestamp low limb", Multiset::Range16);
    f.prove_twist(|_, _| {}).assert_twist();
}

#[test]
fn a_register_write_cannot_overwrite_a_later_read() {
    // t0 = 5, t0 = 9, a0 = t0: the run exits 9. The forger's last row reads the stale 5 (a
    // valid earlier write), and the second write claims to overwrite that read — from the
    // future — so that memory balances.
    let p = program(&[
        li(T0, 5),
        li(T0, 9),
        I::Addi {
            rd: A0,
            rs1: T0,
            imm: 0,
        },
    ]);
    assert_eq!(exit_code(&p, &[]), Some(9));
    let mut f = Forge::rv(p, &[]);
    stale_read(&mut f, "rs1", 2, 5, ts(0, 3));
    stale_read(&mut f, "rd", 1, 5, ts(2, 0));
    set_operand(&mut f, 2, "x", 5);
    set_rd(&mut f, 2, 5);
    assert_eq!(settle_exit(&mut f), 5);
    f.prove()
        .assert_lookup("memory: rd timestamp low limb", Multiset::Range16);
}

#[test]
fn a_store_into_code_is_rejected() {
    // The claimed program stores into its code (the interpreter faults); the forger starts
    // from the run that stores into DATA.
    let body = |page: u32| {
        program(&[
            li(T0, 5),
            I::Lui {
                rd: A1,
                imm: page as i32,
            },
            I::Sw {
                rs1: A1,
                rs2: T0,
                imm: 0,
            },
        ])
    };
    let claimed = body(CODE);
    assert_eq!(exit_code(&claimed, &[]), None);
    let mut f = Forge::rv(body(DATA), &[]);
    claim_program(&mut f, claimed.clone());
    f.set("imm", 1, Fr::from(CODE));
    set_rd(&mut f, 1, CODE);
    set_eff(&mut f, 2, CODE - ram_base(&claimed));
    set_operand(&mut f, 2, "x", CODE);
    assert_eq!(settle_exit(&mut f), 0);
    f.clone()
        .prove()
        .assert_constraint("memory: ram writes a writable cell");
    f.clone()
        .prove_twist(|_, _| {})
        .assert_constraint("memory: ram writes a writable cell");
    // Claiming the code cell writable satisfies the constraint; Twist's cells carry their
    // public permission, so the store reads a cell that is not there.
    let ram_perm = f.col("ram_perm");
    f.prove_twist(|w, _| w.columns[ram_perm][2] = Fr::from(2u64))
        .assert_twist();
}

// ---------------------------------------------------------------------------------------------
// The ALU: stores, upper immediates, operand forms.

#[test]
fn a_stored_word_is_rs2() {
    // DATA = 5, a0 = DATA's word: the forger stores 7.
    let p = program(&[
        li(T0, 5),
        I::Lui {
            rd: A1,
            imm: DATA as i32,
        },
        I::Sw {
            rs1: A1,
            rs2: T0,
            imm: 0,
        },
        I::Lw {
            rd: A0,
            rs1: A1,
            imm: 0,
        },
    ]);
    assert_eq!(exit_code(&p, &[]), Some(5));
    let mut f = Forge::rv(p, &[]);
    f.set("ram_new", 2, Fr::from(7u64));
    set_rd(&mut f, 3, 7);
    assert_eq!(settle_exit(&mut f), 7);
    f.prove().assert_constraint("store: sw");
}

#[test]
fn lui_loads_its_immediate() {
    let p = program(&[I::Lui {
        rd: A0,
        imm: CODE as i32,
    }]);
    assert_eq!(exit_code(&p, &[]), Some(CODE));
    let mut f = Forge::rv(p, &[]);
    set_rd(&mut f, 0, DATA);
    assert_eq!(settle_exit(&mut f), DATA);
    f.prove().assert_constraint("alu: lui");
}

#[test]
fn an_immediate_operand_is_the_immediate() {
    // a0 = 0 + 5; the forger's Y is 9.
    let mut f = Forge::rv(program(&[li(A0, 5)]), &[]);
    set_operand(&mut f, 0, "y", 9);
    set_rd(&mut f, 0, 9);
    assert_eq!(settle_exit(&mut f), 9);
    f.prove().assert_constraint("operand: Y = imm");
}

#[test]
fn a_signed_load_extends_the_loaded_sign() {
    // lb / lh of a zero byte / half give 0; the forger's Y has its sign bit set, and the load
    // sign-extends it.
    for (load, result, name) in [
        (
            I::Lb {
                rd: A0,
                rs1: A1,
                imm: 0,
            },
            0xffff_ff00,
            "operand: Y = byte·2^24 (lb)",
        ),
        (
            I::Lh {
                rd: A0,
                rs1: A1,
                imm: 0,
            },
            0xffff_0000,
            "operand: Y = half·2^16 (lh)",
        ),
    ] {
        let p = program(&[
            I::Lui {
                rd: A1,
                imm: DATA as i32,
            },
            load,
        ]);
        assert_eq!(exit_code(&p, &[]), Some(0));
        let mut f = Forge::rv(p, &[]);
        set_operand(&mut f, 1, "y", 0x8000_0000);
        set_rd(&mut f, 1, result);
        assert_eq!(settle_exit(&mut f), result);
        f.prove().assert_constraint(name);
    }
}

// ---------------------------------------------------------------------------------------------
// Division.

/// `a0 = a / b` (signed).
fn division(a: i32, b: i32) -> (Forge, usize) {
    let p = program(&[
        li(T0, a),
        li(T1, b),
        I::Div {
            rd: A0,
            rs1: T0,
            rs2: T1,
        },
    ]);
    assert_eq!(exit_code(&p, &[]), Some(a.wrapping_div(b) as u32));
    (Forge::rv(p, &[]), 2)
}

/// Set the division's quotient `q` (and the multiplier's product) and remainder `r`, with
/// `|r|`, on row `t`.
fn set_quotient(f: &mut Forge, t: usize, q: i64, r: i64, y: i64) {
    let two32 = 1i64 << 32;
    let qu = q.rem_euclid(two32);
    let ru = r.rem_euclid(two32);
    for (col, v) in [
        ("dq", qu),
        ("sq", i64::from(q < 0)),
        ("mx", q),
        ("prod", q * y),
        ("dr", ru),
        ("sr", i64::from(r < 0)),
        ("absr", r.abs()),
        ("aux_lo", ru & 0xffff),
        ("aux_hi", ru >> 16),
    ] {
        f.set_i(col, t, v);
    }
    set_rd(f, t, qu as u32);
}

#[test]
fn a_quotient_must_divide() {
    // 7 / 2 = 3 r 1; the forger says 2 r 1 (|r| < |b| still holds).
    let (mut f, t) = division(7, 2);
    set_quotient(&mut f, t, 2, 1, 2);
    assert_eq!(settle_exit(&mut f), 2);
    f.prove().assert_constraint("div: a = q·b + r");
}

#[test]
fn a_negative_divisor_has_its_true_magnitude() {
    // 7 / −2 = −3 r 1; the forger calls |b| 8, so that 7 = 0·(−2) + 7 with |r| < |b|.
    let (mut f, t) = division(7, -2);
    set_quotient(&mut f, t, 0, 7, -2);
    f.set("absb", t, Fr::from(8u64));
    assert_eq!(eff(&f, t), 0); // |b| − 1 − |r| as before
    assert_eq!(settle_exit(&mut f), 0);
    f.prove().assert_constraint("div: |b| (b < 0)");
}

#[test]
fn a_negative_dividend_leaves_no_positive_remainder() {
    // −7 / 2 = −3 r −1; the forger rounds down: −4 r 1.
    let (mut f, t) = division(-7, 2);
    set_quotient(&mut f, t, -4, 1, 2);
    assert_eq!(settle_exit(&mut f), -4i32 as u32);
    f.prove().assert_constraint("div: a < 0 ⇒ r < 0 or r = 0");
}

// ---------------------------------------------------------------------------------------------
// Shifts.

/// `a0 = x << shamt` (slli) with the shift amount's bits `sh` (Σ sh_i·2^i = shamt, as the
/// lookup wants) and what follows from them: the powers of two, the product and rd. The
/// forged result.
fn shift_with_bits(x: i32, shamt: i32, sh: [Fr; 5]) -> (Forge, u32) {
    let p = program(&[
        li(T0, x),
        I::Slli {
            rd: A0,
            rs1: T0,
            imm: shamt,
        },
    ]);
    assert_eq!(exit_code(&p, &[]), Some((x << shamt) as u32));
    let mut f = Forge::rv(p, &[]);
    let t = 1;
    let sum: Fr = (0..5).map(|i| sh[i] * Fr::from(1u64 << i)).sum();
    assert_eq!(sum, Fr::from(shamt as u64));
    let factor = |i: usize| Fr::one() + sh[i] * Fr::from((1u64 << (1 << i)) - 1);
    let p1 = factor(0) * factor(1);
    let p2 = p1 * factor(2);
    let p3 = p2 * factor(3);
    let pow = p3 * factor(4);
    for (i, bit) in sh.iter().enumerate() {
        f.set(&format!("sh{i}"), t, *bit);
    }
    for (col, v) in [
        ("pow_partial1", p1),
        ("pow_partial2", p2),
        ("pow_partial3", p3),
        ("pow", pow),
        ("my", pow),
    ] {
        f.set(col, t, v);
    }
    f.set(
        "powr",
        t,
        Fr::from(1u64 << 32) * pow.inverse().expect("nonzero"),
    );
    let prod = Fr::from(x as u64) * pow;
    f.set("prod", t, prod);
    let prod = small_value(prod).expect("a 64-bit product");
    f.set("aux_lo", t, Fr::from((prod >> 32) & 0xffff));
    f.set("aux_hi", t, Fr::from(prod >> 48));
    set_rd(&mut f, t, prod as u32);
    let code = settle_exit(&mut f);
    (f, code)
}

#[test]
fn a_shift_amount_bit_is_a_bit() {
    // Each bit i set to 2 (bit 4 to 1/16, as no integer fits): Σ sh_i·2^i is still the shift
    // amount, but the power of two is not.
    let bits = |i: usize, v: Fr| {
        let mut sh = [Fr::zero(); 5];
        sh[i] = v;
        sh
    };
    let two = Fr::from(2u64);
    let sixteenth = Fr::from(16u64).inverse().expect("nonzero");
    for (i, x, shamt, forged, name) in [
        (0, 1, 2, 3, "boolean: sh0"),
        (1, 1, 4, 7, "boolean: sh1"),
        (2, 1, 8, 31, "boolean: sh2"),
        (3, 1, 16, 511, "boolean: sh3"),
        (4, 16, 1, 65551, "boolean: sh4"),
    ] {
        let v = if i == 4 { sixteenth } else { two };
        let (mut f, code) = shift_with_bits(x, shamt, bits(i, v));
        assert_eq!(code, forged, "{name}");
        f.prove().assert_constraint(name);
    }
}

#[test]
fn a_shift_multiplies_by_its_power_of_two() {
    // 1 << 1 = 2: the forger multiplies by 4 (my) or makes 2^(bits 0, 1) 4 (the powers).
    let p = one_shifted_by_one;
    assert_eq!(exit_code(&p(), &[]), Some(2));
    let mut f = Forge::rv(p(), &[]);
    for col in ["my", "prod"] {
        f.set(col, 1, Fr::from(4u64));
    }
    set_rd(&mut f, 1, 4);
    assert_eq!(settle_exit(&mut f), 4);
    f.prove().assert_constraint("mul: my = 2^shamt");

    let mut f = Forge::rv(p(), &[]);
    for col in [
        "pow_partial1",
        "pow_partial2",
        "pow_partial3",
        "pow",
        "my",
        "prod",
    ] {
        f.set(col, 1, Fr::from(4u64));
    }
    f.set("powr", 1, Fr::from(1u64 << 30));
    set_rd(&mut f, 1, 4);
    assert_eq!(settle_exit(&mut f), 4);
    f.prove().assert_constraint("shift: 2^(bits 0, 1)");
}

// ---------------------------------------------------------------------------------------------
// Alignment.

#[test]
fn a_misaligned_access_is_rejected() {
    // The claimed program loads a half at DATA + 1 or a word at DATA + 2 (the interpreter
    // faults); the forger starts from the aligned load.
    for (load, offset, name) in [
        (
            (|imm| I::Lhu {
                rd: A0,
                rs1: A1,
                imm,
            }) as fn(i32) -> I,
            1,
            "address: half aligned",
        ),
        (
            |imm| I::Lw {
                rd: A0,
                rs1: A1,
                imm,
            },
            2,
            "address: word aligned",
        ),
    ] {
        let body = |imm| {
            program(&[
                I::Lui {
                    rd: A1,
                    imm: DATA as i32,
                },
                load(imm),
            ])
        };
        assert_eq!(exit_code(&body(offset), &[]), None);
        let mut f = Forge::rv(body(0), &[]);
        claim_program(&mut f, body(offset));
        f.set("imm", 1, Fr::from(offset as u32));
        let e = eff(&f, 1) + offset as u32;
        set_eff(&mut f, 1, e);
        reselect(&mut f, 1);
        f.prove().assert_constraint(name);
    }
}
