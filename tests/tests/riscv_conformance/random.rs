//! Seeded random instruction streams over every RV32IM opcode, compared with qemu-riscv32.
//!
//! Each program initialises x1..x29 with random and edge values, then runs random items:
//! register-register and register-immediate ALU operations (M extension included), upper
//! immediates, loads and stores at data-dependent addresses inside a 1 KiB scratch area,
//! forward branches over random code, counted backward loops, `jal`/`jalr` with random link
//! registers, and `fence`. x0 is a legal destination. Reserved: x28 (loop counter), x30
//! (scratch base), x31 (address temporary). At the end the program writes all 32 registers and
//! the scratch area with the `write` system call; zkvm's and qemu's bytes must be equal.

use std::fmt::Write as _;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use zkvm_riscv::Opcode;

use crate::common::{gcc, have_gcc, have_qemu, qemu, zkvm};

const EDGE: [u32; 10] = [
    0,
    1,
    2,
    u32::MAX,
    0x8000_0000,
    0x7fff_ffff,
    31,
    32,
    0xffff_f800,
    0x0000_07ff,
];

const R_OPS: [&str; 18] = [
    "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "mul", "mulh", "mulhsu",
    "mulhu", "div", "divu", "rem", "remu",
];
const I_OPS: [&str; 6] = ["addi", "slti", "sltiu", "xori", "ori", "andi"];
const SHIFT_OPS: [&str; 3] = ["slli", "srli", "srai"];
const BRANCHES: [&str; 6] = ["beq", "bne", "blt", "bge", "bltu", "bgeu"];
const LOADS: [(&str, u32); 5] = [("lb", 1), ("lh", 2), ("lw", 4), ("lbu", 1), ("lhu", 2)];
const STORES: [(&str, u32); 3] = [("sb", 1), ("sh", 2), ("sw", 4)];

struct Gen {
    rng: ChaCha8Rng,
    asm: String,
    label: usize,
}

impl Gen {
    fn rd(&mut self) -> u32 {
        self.rng.gen_range(0..28) // x0..x27
    }
    fn rs(&mut self) -> u32 {
        self.rng.gen_range(0..31) // x0..x30
    }
    fn imm12(&mut self) -> i32 {
        if self.rng.gen_bool(0.2) {
            *[-2048, 2047, -1, 0, 1].choose(&mut self.rng).unwrap_or(&0)
        } else {
            self.rng.gen_range(-2048..2048)
        }
    }
    fn line(&mut self, s: String) {
        self.asm.push_str("    ");
        self.asm.push_str(&s);
        self.asm.push('\n');
    }
    fn fresh(&mut self) -> usize {
        self.label += 1;
        self.label
    }

    /// One straight-line item (no control flow).
    fn simple(&mut self) {
        let (rd, rs1, rs2) = (self.rd(), self.rs(), self.rs());
        match self.rng.gen_range(0..10) {
            0..=3 => {
                let op = *R_OPS.choose(&mut self.rng).unwrap_or(&"add");
                self.line(format!("{op} x{rd}, x{rs1}, x{rs2}"));
            }
            4 | 5 => {
                let op = *I_OPS.choose(&mut self.rng).unwrap_or(&"addi");
                let imm = self.imm12();
                self.line(format!("{op} x{rd}, x{rs1}, {imm}"));
            }
            6 => {
                let op = *SHIFT_OPS.choose(&mut self.rng).unwrap_or(&"slli");
                let sh = self.rng.gen_range(0..32);
                self.line(format!("{op} x{rd}, x{rs1}, {sh}"));
            }
            7 => {
                let op = if self.rng.gen_bool(0.5) {
                    "lui"
                } else {
                    "auipc"
                };
                let imm: u32 = self.rng.gen_range(0..1 << 20);
                self.line(format!("{op} x{rd}, {imm:#x}"));
            }
            8 => {
                // Load at a data-dependent, aligned address inside the scratch area.
                let (op, w) = *LOADS.choose(&mut self.rng).unwrap_or(&("lw", 4));
                let off = self.rng.gen_range(0..16 / w) * w;
                self.line(format!("andi x31, x{rs1}, 0x3f0"));
                self.line("add x31, x31, x30".into());
                self.line(format!("{op} x{rd}, {off}(x31)"));
            }
            _ => {
                let (op, w) = *STORES.choose(&mut self.rng).unwrap_or(&("sw", 4));
                let off = self.rng.gen_range(0..16 / w) * w;
                self.line(format!("andi x31, x{rs1}, 0x3f0"));
                self.line("add x31, x31, x30".into());
                self.line(format!("{op} x{rs2}, {off}(x31)"));
            }
        }
    }

    /// One item, possibly with control flow.
    fn item(&mut self, in_loop: bool) {
        match self.rng.gen_range(0..20) {
            0..=13 => self.simple(),
            14 | 15 => {
                let op = *BRANCHES.choose(&mut self.rng).unwrap_or(&"beq");
                let (a, b) = (self.rs(), self.rs());
                let l = self.fresh();
                self.line(format!("{op} x{a}, x{b}, .Lf{l}"));
                for _ in 0..self.rng.gen_range(1..4) {
                    self.simple();
                }
                self.asm.push_str(&format!(".Lf{l}:\n"));
            }
            16 if !in_loop => {
                let l = self.fresh();
                let n = self.rng.gen_range(1..6);
                self.line(format!("li x28, {n}"));
                self.asm.push_str(&format!(".Lloop{l}:\n"));
                for _ in 0..self.rng.gen_range(2..7) {
                    self.item(true);
                }
                self.line("addi x28, x28, -1".into());
                let back = if self.rng.gen_bool(0.5) {
                    "bne x28, x0"
                } else {
                    "blt x0, x28"
                };
                self.line(format!("{back}, .Lloop{l}"));
            }
            17 => {
                let rd = self.rd();
                let l = self.fresh();
                self.line(format!("jal x{rd}, .Lj{l}"));
                self.simple();
                self.asm.push_str(&format!(".Lj{l}:\n"));
            }
            18 => {
                // jalr with a non-zero offset; an odd target checks that bit 0 is cleared.
                let rd = self.rd();
                let l = self.fresh();
                let d = *[0i32, 4, 8, -4, 1, 2047]
                    .choose(&mut self.rng)
                    .unwrap_or(&0);
                let imm = if d == 1 { 1 } else { d };
                let base_adj = if d == 1 { 0 } else { d };
                self.line(format!("la x31, .Lj{l}"));
                self.line(format!("addi x31, x31, {}", -base_adj));
                self.line(format!("jalr x{rd}, {imm}(x31)"));
                self.simple();
                self.asm.push_str(&format!(".Lj{l}:\n"));
            }
            _ => self.line("fence".into()),
        }
    }
}

/// The assembly text of the program for `seed`.
fn program(seed: u64, items: usize) -> String {
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(seed),
        asm: String::new(),
        label: 0,
    };
    g.asm.push_str("    .globl _start\n    .text\n_start:\n");
    g.line("la x30, scratch".into());
    for r in 1..30 {
        let v = if g.rng.gen_bool(0.4) {
            *EDGE.choose(&mut g.rng).unwrap_or(&0)
        } else {
            g.rng.gen()
        };
        g.line(format!("li x{r}, {v:#x}"));
    }
    for _ in 0..items {
        g.item(false);
    }
    g.line("la x31, out".into());
    for r in 0..31 {
        g.line(format!("sw x{r}, {}(x31)", 4 * r));
    }
    g.line("li a7, 64".into());
    g.line("li a0, 1".into());
    g.line("mv a1, x31".into());
    g.line("li a2, 128".into());
    g.line("ecall".into());
    g.line("li a7, 64".into());
    g.line("li a0, 1".into());
    g.line("la a1, scratch".into());
    g.line("li a2, 1024".into());
    g.line("ecall".into());
    g.line("li a7, 93".into());
    g.line("li a0, 0".into());
    g.line("ecall".into());
    let _ = write!(
        g.asm,
        "    .data\n    .align 4\nscratch:\n{}out: .space 128\n",
        (0..256)
            .map(|k| format!("    .word {:#x}\n", (k as u32).wrapping_mul(0x9e37_79b9)))
            .collect::<String>()
    );
    g.asm
}

#[test]
fn random_instruction_streams_match_qemu() {
    let test = "random instruction streams";
    if !have_gcc(test) {
        return;
    }
    let with_qemu = have_qemu(test);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut executed = [0u64; Opcode::COUNT];
    let seeds = 0..24u64;
    for seed in seeds {
        let asm = program(seed, 300);
        let elf = gcc(
            dir.path(),
            &format!("random{seed}"),
            &[(&format!("random{seed}.S"), &asm)],
        );
        let ours = zkvm(&elf, b"", false).unwrap_or_else(|e| {
            let keep = std::env::temp_dir().join(format!("zkvm-random{seed}.S"));
            let _ = std::fs::write(&keep, &asm);
            panic!(
                "seed {seed}: zkvm failed: {e} (program kept in {})",
                keep.display()
            )
        });
        assert_eq!(ours.stdout.len(), 128 + 1024);
        for op in Opcode::ALL {
            executed[op as usize] += ours.summary.count(op);
        }
        if with_qemu {
            let reference = qemu(&elf, b"");
            if ours.stdout != reference.stdout || reference.code != Some(0) {
                let keep = std::env::temp_dir().join(format!("zkvm-random{seed}.S"));
                let _ = std::fs::write(&keep, &asm);
                let regs = |b: &[u8]| -> Vec<String> {
                    b.chunks(4)
                        .take(32)
                        .map(|c| format!("{:02x?}", c))
                        .collect()
                };
                let diffs: Vec<String> = regs(&ours.stdout)
                    .iter()
                    .zip(regs(&reference.stdout))
                    .enumerate()
                    .filter(|(_, (a, b))| **a != *b)
                    .map(|(r, (a, b))| format!("x{r}: zkvm {a} qemu {b}"))
                    .collect();
                panic!(
                    "seed {seed}: output differs from qemu (exit {:?}); registers: {diffs:?}; program kept in {}",
                    reference.code,
                    keep.display()
                );
            }
        }
    }
    // Every opcode but ebreak (tested on its own: qemu stops with SIGTRAP) ran, so each was
    // compared with qemu.
    let missing: Vec<Opcode> = Opcode::ALL
        .into_iter()
        .filter(|&op| op != Opcode::Ebreak && executed[op as usize] == 0)
        .collect();
    assert!(missing.is_empty(), "opcodes never executed: {missing:?}");
}
