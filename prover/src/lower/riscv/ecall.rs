//! System calls: `exit`, `write` to fd 1 (public output) or fd 2 (debug text), and `read` from
//! fd 0 (private input), byte-exact in chunk rows; and the public output's count.
//!
//! Each `ecall` is a first row (`sub` = 0: reads a7 and a0 into `sys_a7`, `sys_a0`) and one or
//! more second rows (`sub` = 1; the bytecode table holds both; the row after a sub-0 row is a
//! sub-1 row of the same pc, as is the row after a sub-1 row with `cont`; any other row is
//! entered with `sub` = 0). Sub-1 rows read a1 and a2, write a0, and carry a7 and a0. Boolean
//! flags tied to a7's value pick the call: `exit` (93; a0 must be the public exit code; the exit
//! is the last real row and padding rows repeat it), `write` (64) to fd 1 (`w1`) or fd 2 (`w2`:
//! no effect but a0 := len, its buffer bounds-checked), and `read` (63) from fd 0.
//!
//! **Chunk rows.** A `write(1, buf, len)` or a `read(0, buf, len)` is handled by chunk rows (its
//! sub-1 rows), one per RAM word its buffer touches: chunk row j covers the bytes `s .. e` of
//! the word at `a1 + done` (`s` its low bits, `e ≤ 4`), where `done` counts the bytes of
//! earlier chunks (0 on the first) and `total` is the bytes handled in all (`len` for a write,
//! the bytes read for a read: at most `len`). The lanes `lane[k] = [s ≤ k < e]` come from the
//! pointer's low bits and monotone `lane_end[k] = [k < e]`; a chunk that stops short of its
//! word's end is the call's last; `cont = [total ≠ done + count]` (an inverse) continues the call
//! on the next row, which starts at `done + count`. A write's word is read and kept (X = Y = the
//! word) and its lane bytes `x_k` are public output elements `out_idx + (lanes before k)` (one
//! element per byte, through four output lanes); a read's word is written with new bytes `y_k`
//! in its lanes (range-checked, private) and the old ones elsewhere. a0 := `done + count` on
//! each chunk row. A call of no bytes is one chunk row with no lanes whose buffer is
//! bounds-checked like a debug write's. n bytes cost about n/4 + 2 rows. The input is one byte
//! string: a read returns all it asked for unless the input ends there (`eof` from the next row
//! on, the same on a call's chunk rows), and after the end every read returns 0.

use ark_bn254::Fr;
use ark_ff::{Field as _, Zero};

use super::columns::RvCols;
use super::flags::{Field, Flags};
use super::trace::RowIn;
use super::{fi, Scratch, SYS_EXIT, SYS_READ, SYS_WRITE};
use crate::machine::{cur, next, one, public, public_value, zero, Builder};
use crate::r1cs::{LinComb, Var};

/// The program's part in the system calls: its memory span `[lo, hi)`. (The exit code and the
/// output's length are the statement's public values, read as [`public_value`].)
pub struct Span {
    /// The lowest loaded address.
    pub lo: u32,
    /// One past the highest.
    pub hi: u64,
}

/// The system-call, chunk-row, input and output constraints.
pub fn eval(bld: &mut Builder, c: &RvCols, span: &Span) {
    for (name, col) in [
        ("is_exit", c.is_exit),
        ("is_write", c.is_write),
        ("is_read", c.is_read),
        ("w1", c.w1),
        ("w2", c.w2),
        ("got", c.got),
        ("put", c.put),
        ("cont", c.cont),
        ("eof", c.eof),
    ] {
        bld.boolean(&format!("boolean: {name}"), col);
    }
    for (i, col) in c.lane_end.iter().enumerate() {
        bld.boolean(&format!("boolean: lane_end{i}"), *col);
    }
    calls(bld, c, span);
    chunks(bld, c);
    input(bld, c);
    output(bld, c);
}

/// Which call a second row makes, what it reads and returns, and the exit.
fn calls(bld: &mut Builder, c: &RvCols, span: &Span) {
    let sub = || c.f(Field::Sub);
    bld.when(c.ecall0())
        .assert_zero("ecall: a7", cur(c.sys_a7) - cur(c.v1));
    bld.when(c.ecall0())
        .assert_zero("ecall: a0", cur(c.sys_a0) - cur(c.v2));
    let carry_gate = || c.ecall0() + cur(c.is_exit) + cur(c.cont) - Var::Last;
    bld.when(carry_gate())
        .assert_zero("ecall: a7 carried", next(c.sys_a7) - cur(c.sys_a7));
    bld.when(carry_gate())
        .assert_zero("ecall: a0 carried", next(c.sys_a0) - cur(c.sys_a0));
    bld.assert_zero(
        "ecall: one call per second row",
        cur(c.is_exit) + cur(c.is_write) + cur(c.is_read) - sub(),
    );
    bld.when(cur(c.is_exit))
        .assert_zero("ecall: exit is 93", cur(c.sys_a7) - i64::from(SYS_EXIT));
    bld.when(cur(c.is_write))
        .assert_zero("ecall: write is 64", cur(c.sys_a7) - i64::from(SYS_WRITE));
    bld.when(cur(c.is_read))
        .assert_zero("ecall: read is 63", cur(c.sys_a7) - i64::from(SYS_READ));
    bld.assert_zero("ecall: write fd", cur(c.w1) + cur(c.w2) - cur(c.is_write));
    bld.when(cur(c.w1))
        .assert_zero("ecall: write fd 1", cur(c.sys_a0) - 1);
    bld.when(cur(c.w2))
        .assert_zero("ecall: write fd 2", cur(c.sys_a0) - 2);
    bld.when(cur(c.is_read))
        .assert_zero("ecall: read fd 0", cur(c.sys_a0));
    bld.when(one() - cur(c.is_read))
        .assert_zero("ecall: got only on read", cur(c.got));
    bld.when(cur(c.w2))
        .assert_zero("ecall: debug write returns len", c.rd() - cur(c.v2));
    bld.when(cur(c.w1) + cur(c.is_read)).assert_zero(
        "ecall: a read or public write returns its count so far",
        c.rd() - cur(c.done) - c.count(),
    );
    // A write to fd 2, or a read or public write of nothing, touches no RAM word: its buffer
    // [a1, a1 + n) must still lie in the program's memory [lo, hi), as the interpreter checks
    // (E = a1 − lo and aux = hi − lo − E − n are u32; n = 0 for a public write of nothing).
    let room = fi(i128::from(span.hi) - i128::from(span.lo));
    bld.when(cur(c.w2) + cur(c.w1) - cur(c.put)).assert_zero(
        "ecall: debug write buffer in memory",
        c.aux() - room + c.eff() + cur(c.v2),
    );
    bld.when(cur(c.is_read) - cur(c.got)).assert_zero(
        "ecall: empty read buffer in memory",
        c.aux() - room + c.eff(),
    );
    bld.when(cur(c.is_exit)).assert_zero(
        "ecall: exit code",
        cur(c.sys_a0) - public_value(public::EXIT_CODE),
    );
    bld.constrain(
        "end: the last row exits",
        LinComb::from(Var::Last),
        cur(c.is_exit) - 1,
        zero(),
    );
}

/// Reads and public writes of any length and alignment: the call's second row is its first
/// chunk row, and chunk rows follow each other until `total` bytes are done.
fn chunks(bld: &mut Builder, c: &RvCols) {
    let sub = || c.f(Field::Sub);
    bld.when(one() - cur(c.w1))
        .assert_zero("io: put only on a public write", cur(c.put));
    bld.when(one() - cur(c.got) - cur(c.put))
        .assert_zero("io: lanes only on a chunk row with a word", c.count());
    bld.when(sub())
        .assert_zero("io: a buffer does not wrap around", cur(c.ecarry));
    bld.constrain("io: b01 = b0 · b1", cur(c.b0), cur(c.b1), cur(c.b01));
    // [s ≤ k] for k = 0..3, from the low bits of the pointer.
    let starts = [
        one() - cur(c.b0) - cur(c.b1) + cur(c.b01),
        one() - cur(c.b1),
        one() - cur(c.b01),
        one(),
    ];
    for (k, start) in starts.into_iter().enumerate() {
        bld.constrain(
            &format!("io: lane {k} = [s ≤ {k}] · [{k} < e]"),
            start,
            cur(c.lane_end[k]),
            cur(c.lane[k]),
        );
        bld.constrain(
            &format!("io: out lane {k} = w1 · lane {k}"),
            cur(c.w1),
            cur(c.lane[k]),
            cur(c.out_lane[k]),
        );
        // A read changes only the bytes in its lanes (on an output chunk X = Y anyway).
        bld.when(cur(c.got) - cur(c.lane[k])).assert_zero(
            &format!("io: a read keeps byte {k} outside its lanes"),
            cur(c.y[k]) - cur(c.x[k]),
        );
    }
    for k in 0..3 {
        bld.when(cur(c.lane_end[k + 1])).assert_zero(
            &format!("io: lane {} ends no later than lane {k}", k + 1),
            one() - cur(c.lane_end[k]),
        );
    }
    let left = || cur(c.total) - cur(c.done) - c.count();
    bld.when(one() - cur(c.lane_end[3])).assert_zero(
        "io: a chunk short of its word's end is the call's last",
        left(),
    );
    bld.constrain(
        "io: cont = [bytes left] (inverse)",
        left(),
        cur(c.cont_inv),
        cur(c.cont),
    );
    bld.constrain(
        "io: no bytes left ends the call",
        left(),
        one() - cur(c.cont),
        zero(),
    );
    bld.when(one() - sub())
        .assert_zero("io: chunks only inside a call", cur(c.cont));
    bld.when(one() - sub())
        .assert_zero("io: done is 0 outside a call", cur(c.done));
    bld.constrain(
        "io: a call's first chunk starts at 0",
        c.ecall0(),
        next(c.done),
        zero(),
    );
    bld.when(cur(c.cont)).assert_zero(
        "io: the next chunk starts after this one",
        next(c.done) - cur(c.done) - c.count(),
    );
    bld.when(cur(c.cont))
        .assert_zero("io: total carried", next(c.total) - cur(c.total));
    bld.when(cur(c.w1)).assert_zero(
        "io: a public write handles len bytes",
        cur(c.total) - cur(c.v2),
    );
    bld.when(cur(c.is_exit) + cur(c.w2))
        .assert_zero("io: exits and debug writes handle no bytes", cur(c.total));
    // aux = len − total is a u32 on a read's chunk rows with a word.
    bld.when(cur(c.got)).assert_zero(
        "io: a read returns at most len",
        c.aux() - cur(c.v2) + cur(c.total),
    );
}

/// The input is one byte string read in order: a read returns a whole word unless the input
/// ends there, and once it has ended every read returns 0.
fn input(bld: &mut Builder, c: &RvCols) {
    bld.constrain(
        "input: not ended at the start",
        LinComb::from(Var::First),
        cur(c.eof),
        zero(),
    );
    // eof · (1 − next eof) = 0 on every row but the last (which has no next row).
    bld.when(cur(c.eof))
        .assert_zero("input: stays ended", one() - Var::Last - next(c.eof));
    bld.when(cur(c.cont)).assert_zero(
        "input: eof is the same on a call's chunk rows",
        next(c.eof) - cur(c.eof),
    );
    bld.constrain(
        "input: read_last = read · (1 − cont)",
        cur(c.is_read),
        one() - cur(c.cont),
        cur(c.read_last),
    );
    bld.constrain(
        "input: more = read_last · (1 − next eof)",
        cur(c.read_last),
        one() - next(c.eof),
        cur(c.more),
    );
    bld.when(cur(c.more)).assert_zero(
        "input: a read followed by more input returns all it asked for",
        cur(c.total) - cur(c.v2),
    );
    bld.when(cur(c.eof))
        .assert_zero("input: no data after the end", cur(c.got));
}

/// The output counter: it starts at 0, counts each row's output lanes, and ends at the public
/// output's length.
fn output(bld: &mut Builder, c: &RvCols) {
    bld.constrain(
        "output: starts at 0",
        LinComb::from(Var::First),
        cur(c.out_idx),
        zero(),
    );
    let lanes = || (0..4).fold(zero(), |acc, k| acc + cur(c.out_lane[k]));
    bld.constrain(
        "output: counts",
        one() - Var::Last,
        next(c.out_idx) - cur(c.out_idx) - lanes(),
        zero(),
    );
    bld.constrain(
        "output: all outputs",
        LinComb::from(Var::Last),
        cur(c.out_idx) + lanes() - public_value(public::OUTPUT_LEN),
        zero(),
    );
}

/// A buffer that is only bounds-checked (a debug write, or a read or public write of nothing):
/// the address unit holds `a1 − lo`, and `aux` will hold the room left after the buffer.
pub fn fill_buffer(r: &RowIn, span: (u32, u64), s: &mut Scratch) {
    if r.w2 || (r.is_read && !r.got) || (r.w1 && !r.put) {
        let (lo, hi) = span;
        let len = if r.w2 { r.v2 } else { 0 };
        s.e = i128::from(r.v1) - i128::from(lo);
        s.buffer_room = Some((i128::from(hi) - i128::from(lo) - s.e - i128::from(len)) as u64);
    }
}

/// The call flags, the chunk row's lanes and counters, and the input's end.
pub fn fill(c: &RvCols, v: &mut [Fr], r: &RowIn, flags: Flags, s: &mut Scratch) {
    v[c.is_exit] = Fr::from(r.is_exit);
    v[c.is_write] = Fr::from(r.w1 || r.w2);
    v[c.is_read] = Fr::from(r.is_read);
    v[c.w1] = Fr::from(r.w1);
    v[c.w2] = Fr::from(r.w2);
    v[c.got] = Fr::from(r.got);
    v[c.put] = Fr::from(r.put);
    v[c.done] = Fr::from(r.done);
    v[c.total] = Fr::from(r.total);
    v[c.b01] = Fr::from(s.b0 && s.b1);
    for k in 0..4u32 {
        let lane = r.lane_start <= k && k < r.lane_end;
        v[c.lane_end[k as usize]] = Fr::from(k < r.lane_end);
        v[c.lane[k as usize]] = Fr::from(lane);
        v[c.out_lane[k as usize]] = Fr::from(lane && r.w1);
    }
    v[c.cont] = Fr::from(r.cont);
    let left = i128::from(r.total) - i128::from(r.done) - i128::from(r.lane_end - r.lane_start);
    v[c.cont_inv] = fi(left).inverse().unwrap_or(Fr::zero());
    v[c.read_last] = Fr::from(r.is_read && !r.cont);
    if r.got {
        s.aux = u64::from(r.v2 - r.total);
    }
    v[c.eof] = Fr::from(r.eof);
    v[c.more] = Fr::from(r.more);
    if flags.is(Field::Ecall) {
        v[c.sys_a7] = Fr::from(r.sys_a7);
        v[c.sys_a0] = Fr::from(r.sys_a0);
    }
    if let Some(room) = s.buffer_room {
        s.aux = room;
    }
}
