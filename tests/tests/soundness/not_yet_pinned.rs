// The constraints and lookups that no tamper test pins (see `coverage.rs`): those that are
// defence in depth, each with the argument that another check forces what it states, and
// those still to pin (a list that may only shrink).

/// A read flag is 0 (the cell was never written) or 1. The memory multiset alone forces it: an
/// active read consumes the tuple `(addr, value, ts, flag)`, which some earlier tuple must have
/// produced, and every produced tuple carries the constant flag of the initial memory (0 for
/// zasm) or of a write (1). So no witness can read a flag other than 0 or 1, and the dst slot's
/// `reads a written cell` constraint then forces 1 wherever the slot reads.
const READ_FLAG: &str = "implied by the memory multiset: every produced tuple carries flag 0 \
    (initial memory) or 1 (a write), so a read can only consume 0 or 1";

/// zasm names that no test pins, with why deleting them admits no forgery.
const EXPLAINED_ZASM: &[(&str, &str)] = &[
    ("memory: dst read flag is boolean", READ_FLAG),
    ("memory: op0 read flag is boolean", READ_FLAG),
];

/// zasm names no tamper test pins yet.
const NOT_YET_PINNED_ZASM: &[&str] = &[];

/// The four call flags sum to `sub`, and each nonzero one pins `a7` (or `a0`) to its own value.
const CALL_FLAG: &str = "is_exit + is_write + is_read = sub (0 or 1 from the bytecode table), and \
    a nonzero flag pins sys_a7 to its own number (93, 64, 63): at most one is nonzero, so it equals \
    sub";

/// `w1 + w2 = is_write`, and each pins `a0`.
const WRITE_FD_FLAG: &str = "w1 + w2 = is_write (0 or 1), and a nonzero w1 or w2 pins sys_a0 to 1 \
    or 2: at most one is nonzero, so it equals is_write";

/// RV32IM names that no test pins, with why deleting them admits no forgery.
const EXPLAINED_RV32IM: &[(&str, &str)] = &[
    (
        "boolean: cond",
        "the branch and jump rules set cond to eq, 1 − eq, lt, 1 − lt, 1 (jal) or 0 (no jump \
         outside branches) on every row; the group flags are one-hot from the bytecode table, eq \
         is exact and lt has its own boolean check",
    ),
    (
        "boolean: cont",
        "left·cont_inv = cont and left·(1 − cont) = 0 (left = total − done − count) force cont = 1 \
         when bytes are left and cont = 0 when none are: cont is exactly [left ≠ 0]",
    ),
    (
        "boolean: eof",
        "`stays ended` makes every row after a nonzero eof 1, so a non-boolean value can only sit \
         on the row where it rises; there it forces what eof = 1 would (no data, the next eof 1), \
         and eof = 0 on that row satisfies every rule with the same public statement; eof is in no \
         lookup or memory tuple",
    ),
    (
        "boolean: eq",
        "(X − Y)·eq = 0 and (X − Y)·inv = 1 − eq force eq = 0 when X ≠ Y and eq = 1 when X = Y",
    ),
    (
        "boolean: got",
        "got is 0 off read rows (`got only on read`); on a read row it alone weights the ram \
         slot's memory tuples, and each memory tuple has one producer (timestamps are unique) and \
         one final consumer, so memory balances only with weight 0 or 1",
    ),
    ("boolean: is_exit", CALL_FLAG),
    ("boolean: is_read", CALL_FLAG),
    ("boolean: is_write", CALL_FLAG),
    (
        "boolean: put",
        "put is 0 off public-write rows (`put only on a public write`); on a public write's row no \
         load, store or got flag is on, so put alone weights the ram slot's memory tuples, and \
         each memory tuple has one producer (timestamps are unique) and one final consumer: memory \
         balances only with weight 0 or 1",
    ),
    (
        "boolean: sr",
        "off signed-division rows with a negative dividend s1d = 0 and (1 − s1d)·sr = 0 give \
         sr = 0; with s1d = 1 a non-boolean sr makes the two |r| rules give absr = dr = 2^32 − dr, \
         so dr = 2^31 ≠ 0, and (s1d − sr)·dr = 0 then forces sr = 1",
    ),
    ("boolean: w1", WRITE_FD_FLAG),
    ("boolean: w2", WRITE_FD_FLAG),
    (
        "boolean: yz",
        "Y·yz = 0 and Y·yinv = 1 − yz force yz to be exactly [Y = 0]",
    ),
    (
        "input: eof is the same on a call's chunk rows",
        "eof only rises (`stays ended`); a rise inside a call puts eof = 1 on its later chunk rows, \
         where `no data after the end` allows no word (got = 0, so no lanes: count 0), so the first \
         such row has done = total, no bytes left and ends the call. The read then wrote the bytes \
         of its earlier chunks and returned their count, with the input ended after it (next eof \
         1, so more = 0): exactly the rows of the honest run on an input that ends there, with \
         the rise after the call",
    ),
    (
        "input: not ended at the start",
        "with eof = 1 from the first row, `stays ended` and `no data after the end` make every \
         read return 0 without writing memory: exactly the honest run on the empty input, a \
         valid private input, with the same public statement",
    ),
    (
        "io: a buffer does not wrap around",
        "ecarry = 1 on a second row makes E = a1 + done − base (or − lo) − 2^32, a u32 only if \
         a1 + done ≥ 2^32 + base. On a call's other rows (exit: E unused; debug write, call of no \
         bytes: done = 0 by `a call's first chunk starts at 0`) that is impossible. A chunk row's \
         call began with a RAM word at a1 (done = 0), so a1 < base + 4·2^24 (the verifier accepts \
         at most 2^24 memory cells), and done ≤ 4·2^24 (one chunk per row, at most 2^24 rows): \
         a1 + done < base + 2^27 < 2^32 + base",
    ),
    (
        "io: cont = [bytes left] (inverse)",
        "`no bytes left ends the call` already forces cont = 1 whenever bytes are left; without \
         this rule a row with none left may still say cont = 1 (off a call `chunks only inside a \
         call` forbids it; on an exit the next row would have sub = 2). The extra chunk row that \
         follows starts at done = total with the same total, so any lane on it would leave bytes \
         left forever (counts only grow) and the run never reaches its exit: it has no lanes, \
         changes no byte (a read keeps every byte outside its lanes), outputs nothing, sets a0 to \
         the same total at the same pc, and carries eof; memory, output and registers are those \
         of the honest run",
    ),
    (
        "io: exits and debug writes handle no bytes",
        "on an exit or debug-write row got = put = 0 (`got only on read`, `put only on a public \
         write`), so no lane is on and count = 0; done = 0 on a call's second row; so left = \
         total, and a nonzero total forces cont = 1. After an exit that makes the next row's sub \
         2 (impossible; on the last row total affects nothing). A debug write would continue \
         with the same sys_a7 = 64, sys_a0 = 2 (carried), total (carried) and done (+ 0): bytes \
         are left on every later row, and the run never reaches its exit (the last row exits)",
    ),
];

/// RV32IM names no tamper test pins yet.
const NOT_YET_PINNED_RV32IM: &[&str] = &[];
