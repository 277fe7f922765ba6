//! RV32IM byte-exact I/O: forged chunk rows of `read(0, buf, n)` and `write(1, buf, n)` — their
//! lanes, the bytes a read may change, the output lanes, and how a call's chunks follow each
//! other (done, total, cont). Each forgery claims another exit code or output than every run of
//! the claimed program gives (or a program whose run faults), and the test asserts which rule
//! names the row it breaks.

use ark_bn254::Fr;
use ark_ff::{Field, One, Zero};
use zkvm_prover::lower::riscv::ram_base;
use zkvm_riscv::{Instruction as I, Program};

use super::forge::{self, Forge};
use super::rv32im::{
    li, operand, pc_of, program, remove_row, row_of, set_eff, set_operand, set_rd, settle_exit, A0,
    A1, A7, CODE, DATA, T0, T1,
};
use super::rv32im_pins::{claim_program, grow_memory, set_from, set_li, stdout, syscall, write};

/// The system call `a7` on `(fd, DATA + off, len)`: [`syscall`] with the `addi` that adds `off`.
fn syscall_at(a7: i32, fd: i32, off: i32, len: i32) -> Vec<I> {
    let mut body = syscall(a7, fd, len);
    body.insert(
        2,
        I::Addi {
            rd: A1,
            rs1: A1,
            imm: off,
        },
    );
    body
}

/// `read(0, DATA + off, 4)`, then `a0 = (a0 << 8) + byte k of the word at DATA` and exit: the
/// exit code is the count and one byte of the buffer's word.
fn read_mix(off: i32, k: i32) -> Program {
    let mut body = syscall_at(63, 0, off, 4);
    body.extend([
        I::Lui {
            rd: T1,
            imm: DATA as i32,
        },
        I::Lbu {
            rd: T0,
            rs1: T1,
            imm: k,
        },
        I::Slli {
            rd: A0,
            rs1: A0,
            imm: 8,
        },
        I::Add {
            rd: A0,
            rs1: A0,
            rs2: T0,
        },
    ]);
    program(&body)
}

/// The honest run of [`read_mix`]`(off, k)` on `input`, whose one chunk row the forger gives
/// the lane ends `lane_end`, the lanes `lane` and the new bytes `bytes` (byte index, value);
/// the count (and a0, total, aux) follow from the lanes, and so does the rest of the run. The
/// exit code the forgery claims.
fn forged_read(
    off: i32,
    k: i32,
    input: &[u8],
    lane_end: [i64; 4],
    lane: [i64; 4],
    bytes: &[(usize, u8)],
) -> (Forge, u32) {
    let mut f = Forge::rv(read_mix(off, k), input);
    let t = row_of(&f, pc_of(5), true);
    assert_eq!(f.get_u("cont", t), 0, "one chunk row");
    for j in 0..4 {
        f.set_i(&format!("lane_end{j}"), t, lane_end[j]);
        f.set_i(&format!("lane{j}"), t, lane[j]);
    }
    let count = lane.iter().sum::<i64>() as u32;
    f.set("total", t, Fr::from(count));
    set_rd(&mut f, t, count);
    f.set("aux_lo", t, Fr::from(4 - count));
    let mut word = operand(&f, t, "y").to_le_bytes();
    for &(j, b) in bytes {
        word[j] = b;
    }
    let word = u32::from_le_bytes(word);
    f.set("ram_new", t, Fr::from(word));
    set_operand(&mut f, t, "y", word);
    f.complete();
    let load = row_of(&f, pc_of(7), false);
    let loaded = f.get_u("ram_old", load) as u32;
    set_operand(&mut f, load, "x", loaded);
    let byte = (loaded >> (8 * k)) & 0xff;
    set_rd(&mut f, load, byte);
    let shift = row_of(&f, pc_of(8), false);
    set_operand(&mut f, shift, "x", count);
    f.set("mx", shift, Fr::from(count));
    f.set("prod", shift, Fr::from(count << 8));
    set_rd(&mut f, shift, count << 8);
    let add = row_of(&f, pc_of(9), false);
    set_operand(&mut f, add, "x", count << 8);
    set_operand(&mut f, add, "y", byte);
    set_rd(&mut f, add, (count << 8) + byte);
    let code = settle_exit(&mut f);
    (f, code)
}

/// The exit codes of [`read_mix`]`(off, k)` over some inputs (of every length up to 4).
fn honest_codes(off: i32, k: i32) -> Vec<u32> {
    let p = read_mix(off, k);
    let inputs: [&[u8]; 6] = [b"", b"x", b"xy", b"xyz", b"wxyz", b"\x07\x07\x07\x07"];
    inputs
        .iter()
        .map(|i| super::rv32im::exit_code(&p, i).expect("runs"))
        .collect()
}

#[test]
fn a_read_changes_no_byte_before_its_buffer_or_past_its_count() {
    // read(0, DATA + 1, 4) of one byte ("x") changes byte 1 only; the forger also makes byte 0
    // (before the buffer) or byte 2 (past the count) 7, and the run exits 1·256 + 7.
    for (k, name) in [
        (0, "io: a read keeps byte 0 outside its lanes"),
        (2, "io: a read keeps byte 2 outside its lanes"),
    ] {
        let (mut f, code) = forged_read(1, k, b"x", [1, 1, 0, 0], [0, 1, 0, 0], &[(k as usize, 7)]);
        assert_eq!(code, 256 + 7);
        // Every run with count 1 leaves byte k as it was (0).
        assert!(!honest_codes(1, k).contains(&code), "{name}");
        f.prove().assert_constraint(name);
    }
}

#[test]
fn a_reads_lanes_are_contiguous() {
    // read(0, DATA, 4) of "xyz" changes bytes 0..3. The forger's lane ends skip one byte and
    // take byte 3 instead (still 3 bytes), which becomes 7: the run exits 3·256 + 7, where every
    // run that returns 3 leaves byte 3 at 0.
    for (lane_end, skipped, name) in [
        ([1, 0, 1, 1], 1, "io: lane 2 ends no later than lane 1"),
        ([1, 1, 0, 1], 2, "io: lane 3 ends no later than lane 2"),
    ] {
        let bytes = [(skipped, 0), (3, 7)];
        let (mut f, code) = forged_read(0, 3, b"xyz", lane_end, lane_end, &bytes);
        assert_eq!(code, 3 * 256 + 7);
        assert!(!honest_codes(0, 3).contains(&code), "{name}");
        f.prove().assert_constraint(name);
    }
}

#[test]
fn a_lane_end_is_a_bit() {
    // A lane end of −1 (after a 1) makes its lane −1: the chunk changes one byte more than it
    // counts. read(0, DATA, 4) of "x" (count 1) also changes byte 1; of "xy" (count 2) byte 2.
    for (input, lane_end, k, name) in [
        (&b"x"[..], [1, 1, -1, 0], 1, "boolean: lane_end2"),
        (&b"xy"[..], [1, 1, 1, -1], 2, "boolean: lane_end3"),
    ] {
        let count = input.len() as u32;
        let (mut f, code) = forged_read(0, k, input, lane_end, lane_end, &[(k as usize, 7)]);
        assert_eq!(code, count * 256 + 7);
        assert!(!honest_codes(0, k).contains(&code), "{name}");
        f.prove().assert_constraint(name);
    }
}

/// `write(1, DATA + off, len)`, then `exit(0)`.
fn write_at(off: i32, len: i32) -> Program {
    let mut body = syscall_at(64, 1, off, len);
    body.push(li(A0, 0));
    program(&body)
}

#[test]
fn only_a_writes_lanes_are_output() {
    // write(1, DATA + off, 1) outputs one byte; the forger also outputs byte k of the word
    // (an output lane that is no lane), and claims two bytes.
    for (off, k, name) in [
        (1, 0, "io: out lane 0 = w1 · lane 0"),
        (0, 1, "io: out lane 1 = w1 · lane 1"),
        (1, 2, "io: out lane 2 = w1 · lane 2"),
    ] {
        let p = write_at(off, 1);
        assert_eq!(stdout(&p, &[]), Some(vec![0]));
        let mut f = Forge::rv(p, &[]);
        let t = row_of(&f, pc_of(5), true);
        f.set(&format!("out_lane{k}"), t, Fr::one());
        set_from(&mut f, "out_idx", t + 1, 2);
        f.claim_output_from_witness();
        assert_eq!(f.public.output, vec![Fr::zero(); 2], "{name}");
        f.prove().assert_constraint(name);
    }
}

#[test]
fn an_add_cannot_load_a_word_as_a_public_write() {
    // a0 = t0 + t1 = 0. The forger's add reads the word at DATA (5) as a public write's chunk
    // row does (put), and adds it to itself: exit 10.
    let code = [
        I::Add {
            rd: A0,
            rs1: T0,
            rs2: T1,
        },
        li(A7, 93),
        I::Ecall,
    ];
    let mut data = vec![0; 16];
    data[0] = 5;
    let p = Program::from_instructions(CODE, &code, Some((DATA, data, 16)));
    assert_eq!(super::rv32im::exit_code(&p, &[]), Some(0));
    let mut f = Forge::rv(p.clone(), &[]);
    grow_memory(&mut f, 11);
    let t = 0;
    f.set("put", t, Fr::one());
    let e = DATA - ram_base(&p);
    set_eff(&mut f, t, e);
    // The buffer check of a public write of nothing, which put = 1 turns around (gate −1).
    let (lo, hi) = p.span();
    let aux = hi - u64::from(lo) - u64::from(e);
    f.set("aux_lo", t, Fr::from(aux & 0xffff));
    f.set("aux_hi", t, Fr::from(aux >> 16));
    f.complete();
    set_operand(&mut f, t, "x", 5);
    set_operand(&mut f, t, "y", 5);
    set_rd(&mut f, t, 10);
    assert_eq!(settle_exit(&mut f), 10);
    f.prove()
        .assert_constraint("io: put only on a public write");
}

#[test]
fn a_call_cannot_skip_its_first_row_through_a_chunk() {
    // The claimed program is write(2, DATA, 4): no public output. The forger's `li a7, 64`
    // row says "more to do" (cont, total 4) and carries a7 = 64 and a0 = 1 into the call's
    // chunk row, which follows it directly: the ecall's first row, which would read a0 = 2,
    // is gone, and the proof claims four bytes of output.
    let claimed = write(64, 2, 4);
    assert_eq!(stdout(&claimed, &[]), Some(Vec::new()));
    let mut f = Forge::rv(write(64, 1, 4), &[]);
    claim_program(&mut f, claimed);
    set_li(&mut f, 0, 2);
    let t = row_of(&f, pc_of(3), false);
    f.set("cont", t, Fr::one());
    f.set("total", t, Fr::from(4u64));
    f.set("cont_inv", t, Fr::from(4u64).inverse().expect("nonzero"));
    f.set("sys_a7", t, Fr::from(64u64));
    f.set("sys_a0", t, Fr::one());
    remove_row(&mut f, t + 1);
    assert_eq!(f.public.output, vec![Fr::zero(); 4]);
    // Outside a call no lane can be on (no word), so lane_end3 = 0 and the chunk-short rule
    // also holds the row to no bytes left: each of the two rules alone stops the forgery.
    f.prove().assert(
        "spartan",
        &[
            "io: a chunk short of its word's end is the call's last",
            "io: chunks only inside a call",
        ],
        &[],
        &[],
    );
}

/// Make row `t`, a chunk row of `write(1, DATA, _)`, start at `done` (the word at
/// `DATA + done`) with no lanes, and claim the `out` zero bytes written before it.
fn empty_chunk(f: &mut Forge, t: usize, done: u32, out: usize) {
    f.set("done", t, Fr::from(done));
    for k in 0..4 {
        for col in ["lane_end", "lane", "out_lane"] {
            f.set(&format!("{col}{k}"), t, Fr::zero());
        }
    }
    let p = match &f.program {
        forge::Program::Rv(p) => p.clone(),
        _ => unreachable!(),
    };
    set_eff(f, t, DATA + done - ram_base(&p));
    set_from(f, "out_idx", t + 1, out as u64);
    f.claim_output(vec![Fr::zero(); out]);
}

#[test]
fn a_public_write_cannot_start_past_its_first_byte() {
    // write(1, DATA, 4): the forger's chunk row starts at done = 4 (the word at DATA + 4),
    // with no lanes and nothing left, and the proof claims no output.
    let mut f = Forge::rv(write(64, 1, 4), &[]);
    let t = row_of(&f, pc_of(4), true);
    empty_chunk(&mut f, t, 4, 0);
    f.prove()
        .assert_constraint("io: a call's first chunk starts at 0");
}

#[test]
fn a_public_write_cannot_skip_bytes_between_chunks() {
    // write(1, DATA, 8): the forger's second chunk row starts at done = 8 (past the buffer),
    // with no lanes and nothing left: the proof claims 4 bytes of output.
    let mut f = Forge::rv(write(64, 1, 8), &[]);
    let t = row_of(&f, pc_of(4), true) + 1;
    assert_eq!(f.get_u("done", t), 4);
    empty_chunk(&mut f, t, 8, 4);
    f.prove()
        .assert_constraint("io: the next chunk starts after this one");
}

#[test]
fn a_reads_total_is_carried_across_its_chunks() {
    // The claimed program reads 4 bytes and exits with the count (at most 4). The forger
    // starts from read(0, DATA, 9) of 9 bytes (three chunk rows) and lowers the total of the
    // first two chunks to 3 and 4 (each within len 4, each with bytes left), and the last
    // chunk, a wordless one, ends the call with total 8: the run exits 8, the input ended.
    let claimed = program(&syscall(63, 0, 4));
    let input = b"abcdefghi";
    assert_eq!(super::rv32im::exit_code(&claimed, input), Some(4));
    let mut f = Forge::rv(program(&syscall(63, 0, 9)), input);
    claim_program(&mut f, claimed.clone());
    set_li(&mut f, 2, 4);
    let t = row_of(&f, pc_of(4), true);
    for (row, total, left) in [(t, 3i64, -1i64), (t + 1, 4, -4)] {
        f.set_i("total", row, total);
        f.set(
            "cont_inv",
            row,
            Fr::from(left as i32).inverse().expect("nonzero"),
        );
        f.set_i("aux_lo", row, 4 - total);
    }
    let last = t + 2;
    assert_eq!(f.get_u("done", last), 8);
    f.set("got", last, Fr::zero());
    for k in 0..4 {
        for col in ["lane_end", "lane"] {
            f.set(&format!("{col}{k}"), last, Fr::zero());
        }
    }
    f.set("total", last, Fr::from(8u64));
    set_rd(&mut f, last, 8);
    let (lo, hi) = claimed.span();
    let e = DATA + 8 - lo;
    set_eff(&mut f, last, e);
    let aux = hi - u64::from(lo) - u64::from(e);
    f.set("aux_lo", last, Fr::from(aux & 0xffff));
    f.set("aux_hi", last, Fr::from(aux >> 16));
    // The input ends after the read.
    f.set("more", last, Fr::zero());
    set_from(&mut f, "eof", last + 1, 1);
    f.complete();
    set_operand(&mut f, last, "x", DATA);
    set_operand(&mut f, last, "y", 4);
    assert_eq!(settle_exit(&mut f), 8);
    let exit = f.row_where(&[("is_exit", 1)]);
    for row in exit..f.rows() {
        set_operand(&mut f, row, "y", 4);
    }
    f.prove().assert_constraint("io: total carried");
}
