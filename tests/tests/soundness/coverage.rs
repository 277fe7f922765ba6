//! Which constraints and lookups the tamper tests pin down.
//!
//! Removing a constraint or a lookup can only turn a test red if some test relies on it to
//! reject a forgery. A tamper test asserts the exact set of constraints and lookups that catch
//! its forgery, so a name asserted somewhere in this suite is pinned: deleting it makes that
//! test fail; so is every name for which [`isolate_all`] finds and proves a forgery that only
//! it catches. These tests list the names of both machines pinned neither way and compare them
//! with `not_yet_pinned.rs`: its explained names are defence in depth (another check already
//! forces what they state, argued beside each name), and its list of names still to pin may
//! only shrink. A new constraint or lookup needs a tamper test or an explanation, and a newly
//! pinned one must leave the lists.

use ark_bn254::Fr;
use zkvm_prover::machine::Machine;

use super::forge::Forge;
use super::isolation::isolate_all;

/// The sources of the zasm tamper tests (a name both machines share counts only where a test
/// of that machine asserts it).
const ZASM_SUITE: &[&str] = &[
    include_str!("control.rs"),
    include_str!("zasm.rs"),
    include_str!("proof_level.rs"),
];

/// The sources of the RV32IM tamper tests.
const RV32IM_SUITE: &[&str] = &[
    include_str!("control_rv32im.rs"),
    include_str!("rv32im.rs"),
    include_str!("rv32im_pins.rs"),
    include_str!("io.rs"),
    include_str!("elf_layout.rs"),
    include_str!("proof_level.rs"),
];

include!("not_yet_pinned.rs");

fn names(m: &Machine) -> Vec<String> {
    let constraints = m.r1cs.constraints.iter().map(|c| c.name.clone());
    let lookups = m.lookups.iter().map(|l| l.name.clone());
    let mut all: Vec<String> = constraints.chain(lookups).collect();
    all.sort();
    all.dedup();
    all
}

/// The names of `honest`'s machine that no hand-made tamper test asserts and no isolated
/// forgery pins.
fn unpinned(isa: &str, honest: &Forge, suite: &[&str]) -> Vec<String> {
    let asserted = |n: &str| suite.iter().any(|src| src.contains(&format!("\"{n}\"")));
    // The search and its proofs are the costly part: only names no tamper test asserts.
    let (isolated, open) = isolate_all(honest, |n| !asserted(n));
    let all = names(&honest.machine);
    let mut open: Vec<String> = open.into_iter().filter(|n| !isolated.contains(n)).collect();
    open.sort();
    open.dedup();
    eprintln!(
        "{isa}: {} of {} constraints and lookups pinned ({} by an isolated forgery)",
        all.len() - open.len(),
        all.len(),
        isolated.len()
    );
    open
}

/// `open` (the names no test pins) must be exactly the `explained` names and the `listed` ones
/// (still to pin); each explanation must say something.
#[track_caller]
fn check(isa: &str, open: &[String], explained: &[(&str, &str)], listed: &[&str]) {
    let known: Vec<String> = explained
        .iter()
        .map(|(n, _)| n)
        .chain(listed)
        .map(|s| s.to_string())
        .collect();
    let newly_pinned: Vec<&String> = known.iter().filter(|n| !open.contains(n)).collect();
    let unlisted: Vec<&String> = open.iter().filter(|n| !known.contains(n)).collect();
    assert!(
        newly_pinned.is_empty() && unlisted.is_empty(),
        "{isa}: pinned now, remove from the lists in not_yet_pinned.rs: {newly_pinned:?}; \
         not pinned by any tamper test: {unlisted:?}"
    );
    for (name, why) in explained {
        assert!(why.len() > 40, "{isa}: {name:?} needs a real explanation");
    }
}

/// Every kind of zasm instruction: assignments (op1 immediate, from ap, from fp, double
/// dereference), add, mul, assert, jumps (abs, rel, jnz both ways), call and ret, ap += k,
/// input, advice and output.
const ZASM_ALL: &str = r#"
main:
    [ap] = input, ap++;
    [ap] = 3, ap++;
    [ap] = [ap - 1] * [ap - 2], ap++;
    [ap] = [ap - 1] + 7, ap++;
    assert [ap - 1] == [ap - 2] + 7;
    [ap] = 16, ap++;
    [ap] = [[ap - 1] + 0], ap++;
    [ap] = advice inv([ap - 1]), ap++;
    call square;
    output [ap - 1];
    ap += 2;
    [ap] = 0, ap++;
    jmp rel 2 if [ap - 1] != 0;
    [ap] = 1, ap++;
    jmp skip if [ap - 1] != 0;
    output [ap - 1];
skip:
    jmp abs done;
done:
    [fp] = [fp] + 0;
    halt;
square:
    [ap] = [fp - 3] * [fp - 3], ap++;
    ret;
"#;

#[test]
fn every_zasm_constraint_and_lookup_is_pinned_or_listed() {
    let honest = Forge::zasm(ZASM_ALL, &[Fr::from(5u64)]);
    check(
        "zasm",
        &unpinned("zasm", &honest, ZASM_SUITE),
        EXPLAINED_ZASM,
        NOT_YET_PINNED_ZASM,
    );
}

/// Every RV32IM instruction group, loads and stores of each width, and each system call.
fn rv_all() -> zkvm_riscv::Program {
    use zkvm_riscv::{Instruction as I, Opcode, Operands};
    let li = |rd, imm| I::Addi { rd, rs1: 0, imm };
    let (a0, a1, a2, a7, t0, t1, t2) = (10, 11, 12, 17, 5, 6, 7);
    let data = 0x2000;
    // Every R-type operation, t2 = t0 op t1.
    let r_type = [
        Opcode::Add,
        Opcode::Sub,
        Opcode::Slt,
        Opcode::Sltu,
        Opcode::Xor,
        Opcode::Or,
        Opcode::And,
        Opcode::Sll,
        Opcode::Srl,
        Opcode::Sra,
        Opcode::Mul,
        Opcode::Mulh,
        Opcode::Mulhsu,
        Opcode::Mulhu,
        Opcode::Div,
        Opcode::Divu,
        Opcode::Rem,
        Opcode::Remu,
    ]
    .map(|op| {
        I::from_parts(
            op,
            Operands {
                rd: t2,
                rs1: t0,
                rs2: t1,
                imm: 0,
            },
        )
    });
    let mut code = vec![li(t0, -7), li(t1, 3)];
    code.extend(r_type);
    code.extend([
        I::Div {
            rd: t2,
            rs1: t0,
            rs2: 0,
        },
        I::Lui { rd: a1, imm: data },
        I::Auipc {
            rd: t2,
            imm: 0x1000,
        },
        I::Sw {
            rs1: a1,
            rs2: t0,
            imm: 0,
        },
        I::Sh {
            rs1: a1,
            rs2: t1,
            imm: 6,
        },
        I::Sb {
            rs1: a1,
            rs2: t1,
            imm: 9,
        },
        I::Lw {
            rd: t2,
            rs1: a1,
            imm: 0,
        },
        I::Lh {
            rd: t2,
            rs1: a1,
            imm: 2,
        },
        I::Lhu {
            rd: t2,
            rs1: a1,
            imm: 2,
        },
        I::Lb {
            rd: t2,
            rs1: a1,
            imm: 1,
        },
        I::Lbu {
            rd: t2,
            rs1: a1,
            imm: 1,
        },
        I::Beq {
            rs1: t0,
            rs2: t1,
            imm: 8,
        },
        I::Bne {
            rs1: t0,
            rs2: t1,
            imm: 8,
        },
        li(t2, 0),
        I::Blt {
            rs1: t0,
            rs2: t1,
            imm: 8,
        },
        li(t2, 0),
        I::Bge {
            rs1: t0,
            rs2: t1,
            imm: 8,
        },
        I::Bltu {
            rs1: t0,
            rs2: t1,
            imm: 8,
        },
        li(t2, 0),
        I::Bgeu {
            rs1: t0,
            rs2: t1,
            imm: 8,
        },
        li(t2, 0),
        I::Jal { rd: 1, imm: 8 },
        li(t2, 0),
        I::Auipc { rd: t2, imm: 0 },
        I::Jalr {
            rd: 1,
            rs1: t2,
            imm: 12,
        },
        li(t2, 0),
        li(t2, 0),
        // read(0, data + 12, 4), twice (the second at the end of the input).
        li(a0, 0),
        I::Addi {
            rd: a1,
            rs1: a1,
            imm: 12,
        },
        li(a2, 4),
        li(a7, 63),
        I::Ecall,
        li(a0, 0),
        I::Ecall,
        // write(1, data + 12, 4); write(2, data, 3).
        li(a0, 1),
        li(a7, 64),
        I::Ecall,
        li(a0, 2),
        I::Addi {
            rd: a1,
            rs1: a1,
            imm: -12,
        },
        li(a2, 3),
        I::Ecall,
        li(a0, 0),
        li(a7, 93),
        I::Ecall,
    ]);
    zkvm_riscv::Program::from_instructions(0x1000, &code, Some((data as u32, vec![0; 16], 16)))
}

#[test]
fn every_rv32im_constraint_and_lookup_is_pinned_or_listed() {
    let honest = Forge::rv(rv_all(), b"xyz");
    check(
        "rv32im",
        &unpinned("rv32im", &honest, RV32IM_SUITE),
        EXPLAINED_RV32IM,
        NOT_YET_PINNED_RV32IM,
    );
}
