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

/// RV32IM names that no test pins, with why deleting them admits no forgery.
const EXPLAINED_RV32IM: &[(&str, &str)] = &[];

/// RV32IM names no tamper test pins yet.
const NOT_YET_PINNED_RV32IM: &[&str] = &[
    "address: half aligned",
    "address: word aligned",
    "alu: lui",
    "boolean: cond",
    "boolean: eof",
    "boolean: eq",
    "boolean: got",
    "boolean: is_exit",
    "boolean: is_read",
    "boolean: is_write",
    "boolean: sh0",
    "boolean: sh1",
    "boolean: sh2",
    "boolean: sh3",
    "boolean: sh4",
    "boolean: sr",
    "boolean: w1",
    "boolean: w2",
    "boolean: yz",
    "div: a < 0 ⇒ r < 0 or r = 0",
    "div: a = q·b + r",
    "div: |b| (b < 0)",
    "ecall: a read of 2 bytes or fewer keeps byte 3",
    "ecall: a0",
    "ecall: a7",
    "ecall: a7 carried",
    "ecall: exit is 93",
    "ecall: got only on read",
    "ecall: read fd 0",
    "ecall: read is 63",
    "ecall: read len 4",
    "ecall: write fd 1",
    "ecall: write fd 2",
    "ecall: write is 64",
    "ecall: write len 4",
    "end: the last row exits",
    "input: not ended at the start",
    "memory: ram timestamp low limb",
    "memory: ram writes a writable cell",
    "memory: rd timestamp low limb",
    "memory: rs1 timestamp low limb",
    "memory: rs2 timestamp low limb",
    "mul: my = 2^shamt",
    "next: cycle",
    "operand: Y = byte·2^24 (lb)",
    "operand: Y = half·2^16 (lh)",
    "operand: Y = imm",
    "shift: 2^(bits 0, 1)",
    "start: sub = 0",
    "store: sw",
];
