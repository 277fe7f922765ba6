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
        "input: not ended at the start",
        "with eof = 1 from the first row, `stays ended` and `no data after the end` make every \
         read return 0 without writing memory: exactly the honest run on the empty input, a \
         valid private input, with the same public statement",
    ),
];

/// RV32IM names no tamper test pins yet.
const NOT_YET_PINNED_RV32IM: &[&str] = &[];
