//! Decoder and encoder tests: words produced by the GNU assembler (riscv64-unknown-elf-as
//! -march=rv32im), each named in a comment, plus illegal words and an encode/decode round trip.

use proptest::prelude::*;
use zkvm_riscv::{decode, Instruction as I, Opcode, Operands};

/// (word, expected instruction); the comment is the assembly the word came from.
fn table() -> Vec<(u32, I)> {
    vec![
        (
            0xfffff537,
            I::Lui {
                rd: 10,
                imm: 0xfffff000u32 as i32,
            },
        ), // lui a0, 0xfffff
        (
            0x80000297,
            I::Auipc {
                rd: 5,
                imm: i32::MIN,
            },
        ), // auipc t0, 0x80000
        (0x001000ef, I::Jal { rd: 1, imm: 2048 }), // jal ra, .+2048
        (0xffdff06f, I::Jal { rd: 0, imm: -4 }),   // jal zero, .-4
        (
            0x800780e7,
            I::Jalr {
                rd: 1,
                rs1: 15,
                imm: -2048,
            },
        ), // jalr ra, -2048(a5)
        (
            0x80b50063,
            I::Beq {
                rs1: 10,
                rs2: 11,
                imm: -4096,
            },
        ), // beq a0, a1, .-4096
        (
            0x7e941fe3,
            I::Bne {
                rs1: 8,
                rs2: 9,
                imm: 4094,
            },
        ), // bne s0, s1, .+4094
        (
            0x0062c463,
            I::Blt {
                rs1: 5,
                rs2: 6,
                imm: 8,
            },
        ), // blt t0, t1, .+8
        (
            0xfed65ce3,
            I::Bge {
                rs1: 12,
                rs2: 13,
                imm: -8,
            },
        ), // bge a2, a3, .-8
        (
            0x01efe163,
            I::Bltu {
                rs1: 31,
                rs2: 30,
                imm: 2,
            },
        ), // bltu x31, x30, .+2
        (
            0x00107863,
            I::Bgeu {
                rs1: 0,
                rs2: 1,
                imm: 16,
            },
        ), // bgeu zero, ra, .+16
        (
            0xfff10503,
            I::Lb {
                rd: 10,
                rs1: 2,
                imm: -1,
            },
        ), // lb a0, -1(sp)
        (
            0x7ff49583,
            I::Lh {
                rd: 11,
                rs1: 9,
                imm: 2047,
            },
        ), // lh a1, 2047(s1)
        (
            0x8002a603,
            I::Lw {
                rd: 12,
                rs1: 5,
                imm: -2048,
            },
        ), // lw a2, -2048(t0)
        (
            0x0001c683,
            I::Lbu {
                rd: 13,
                rs1: 3,
                imm: 0,
            },
        ), // lbu a3, 0(gp)
        (
            0x00425703,
            I::Lhu {
                rd: 14,
                rs1: 4,
                imm: 4,
            },
        ), // lhu a4, 4(tp)
        (
            0xfea10fa3,
            I::Sb {
                rs1: 2,
                rs2: 10,
                imm: -1,
            },
        ), // sb a0, -1(sp)
        (
            0x7eb49fa3,
            I::Sh {
                rs1: 9,
                rs2: 11,
                imm: 2047,
            },
        ), // sh a1, 2047(s1)
        (
            0x00112623,
            I::Sw {
                rs1: 2,
                rs2: 1,
                imm: 12,
            },
        ), // sw ra, 12(sp)
        (
            0xff010113,
            I::Addi {
                rd: 2,
                rs1: 2,
                imm: -16,
            },
        ), // addi sp, sp, -16
        (
            0xfff5a513,
            I::Slti {
                rd: 10,
                rs1: 11,
                imm: -1,
            },
        ), // slti a0, a1, -1
        (
            0xfff5b513,
            I::Sltiu {
                rd: 10,
                rs1: 11,
                imm: -1,
            },
        ), // sltiu a0, a1, -1
        (
            0xfff5c513,
            I::Xori {
                rd: 10,
                rs1: 11,
                imm: -1,
            },
        ), // xori a0, a1, -1
        (
            0x7ff5e513,
            I::Ori {
                rd: 10,
                rs1: 11,
                imm: 2047,
            },
        ), // ori a0, a1, 0x7ff
        (
            0x0ff5f513,
            I::Andi {
                rd: 10,
                rs1: 11,
                imm: 255,
            },
        ), // andi a0, a1, 0xff
        (
            0x01f59513,
            I::Slli {
                rd: 10,
                rs1: 11,
                imm: 31,
            },
        ), // slli a0, a1, 31
        (
            0x0015d513,
            I::Srli {
                rd: 10,
                rs1: 11,
                imm: 1,
            },
        ), // srli a0, a1, 1
        (
            0x41f5d513,
            I::Srai {
                rd: 10,
                rs1: 11,
                imm: 31,
            },
        ), // srai a0, a1, 31
        (
            0x00c58533,
            I::Add {
                rd: 10,
                rs1: 11,
                rs2: 12,
            },
        ), // add a0, a1, a2
        (
            0x41df0fb3,
            I::Sub {
                rd: 31,
                rs1: 30,
                rs2: 29,
            },
        ), // sub t6, t5, t4
        (
            0x01499933,
            I::Sll {
                rd: 18,
                rs1: 19,
                rs2: 20,
            },
        ), // sll s2, s3, s4
        (
            0x017b2ab3,
            I::Slt {
                rd: 21,
                rs1: 22,
                rs2: 23,
            },
        ), // slt s5, s6, s7
        (
            0x01acbc33,
            I::Sltu {
                rd: 24,
                rs1: 25,
                rs2: 26,
            },
        ), // sltu s8, s9, s10
        (
            0x01de4db3,
            I::Xor {
                rd: 27,
                rs1: 28,
                rs2: 29,
            },
        ), // xor s11, t3, t4
        (
            0x011857b3,
            I::Srl {
                rd: 15,
                rs1: 16,
                rs2: 17,
            },
        ), // srl a5, a6, a7
        (
            0x40a55533,
            I::Sra {
                rd: 10,
                rs1: 10,
                rs2: 10,
            },
        ), // sra a0, a0, a0
        (
            0x0020e033,
            I::Or {
                rd: 0,
                rs1: 1,
                rs2: 2,
            },
        ), // or zero, ra, sp
        (
            0x005271b3,
            I::And {
                rd: 3,
                rs1: 4,
                rs2: 5,
            },
        ), // and gp, tp, t0
        (
            0x02c58533,
            I::Mul {
                rd: 10,
                rs1: 11,
                rs2: 12,
            },
        ), // mul a0, a1, a2
        (
            0x02f716b3,
            I::Mulh {
                rd: 13,
                rs1: 14,
                rs2: 15,
            },
        ), // mulh a3, a4, a5
        (
            0x0328a833,
            I::Mulhsu {
                rd: 16,
                rs1: 17,
                rs2: 18,
            },
        ), // mulhsu a6, a7, s2
        (
            0x027332b3,
            I::Mulhu {
                rd: 5,
                rs1: 6,
                rs2: 7,
            },
        ), // mulhu t0, t1, t2
        (
            0x02c5c533,
            I::Div {
                rd: 10,
                rs1: 11,
                rs2: 12,
            },
        ), // div a0, a1, a2
        (
            0x02f756b3,
            I::Divu {
                rd: 13,
                rs1: 14,
                rs2: 15,
            },
        ), // divu a3, a4, a5
        (
            0x0328e833,
            I::Rem {
                rd: 16,
                rs1: 17,
                rs2: 18,
            },
        ), // rem a6, a7, s2
        (
            0x027372b3,
            I::Remu {
                rd: 5,
                rs1: 6,
                rs2: 7,
            },
        ), // remu t0, t1, t2
        (0x0330000f, I::Fence),                    // fence rw, rw
        (0x00000073, I::Ecall),                    // ecall
        (0x00100073, I::Ebreak),                   // ebreak
    ]
}

#[test]
fn decodes_gnu_as_words() {
    for (word, want) in table() {
        assert_eq!(decode(word), Ok(want), "word {word:#010x}");
    }
}

#[test]
fn table_covers_every_opcode() {
    let mut seen: Vec<Opcode> = table().iter().map(|(_, i)| i.opcode()).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen, Opcode::ALL.to_vec());
    for (k, op) in Opcode::ALL.iter().enumerate() {
        assert_eq!(*op as usize, k);
    }
}

#[test]
fn encodes_to_gnu_as_words() {
    for (word, ins) in table() {
        if ins == I::Fence {
            continue; // we encode `fence iorw, iorw`
        }
        assert_eq!(ins.encode(), word, "{ins}");
    }
}

#[test]
fn rejects_illegal_words() {
    for word in [
        0x0000_0000u32, // all zeros: defined illegal
        0xffff_ffff,    // all ones
        0x0000_4501,    // c.li a0, 0 (compressed)
        0x3400_1073,    // csrrw zero, mscratch, zero (Zicsr)
        0x0000_100f,    // fence.i (Zifencei)
        0x0205_1513,    // slli with imm[5] set (RV64 shamt)
        0x4205_5513,    // srai with imm[5] set
        0x2005_d513,    // srli with funct7 0x10
        0x40c5_f533,    // and with funct7 0x20
        0x04c5_8533,    // add with funct7 0x02
        0x0000_2063,    // branch funct3 2
        0x0000_3003,    // ld (RV64)
        0x0000_3023,    // sd (RV64)
        0x0000_1067,    // jalr funct3 1
        0x0000_0573,    // ecall with rd = a0
        0x0020_0073,    // system funct12 2 (uret)
        0x3020_0073,    // mret
        0x0000_001b,    // addiw (RV64)
    ] {
        let err = decode(word).unwrap_err();
        assert_eq!(err.word, word);
        assert!(err.to_string().contains(&format!("{word:#010x}")));
    }
}

#[test]
fn display_is_assembly() {
    assert_eq!(decode(0xff010113).unwrap().to_string(), "addi sp, sp, -16");
    assert_eq!(decode(0x00112623).unwrap().to_string(), "sw ra, 12(sp)");
    assert_eq!(decode(0x8002a603).unwrap().to_string(), "lw a2, -2048(t0)");
    assert_eq!(decode(0xfffff537).unwrap().to_string(), "lui a0, 0xfffff");
    assert_eq!(
        decode(0x80b50063).unwrap().to_asm(0x11000),
        "beq a0, a1, 0x10000"
    );
    assert_eq!(decode(0x001000ef).unwrap().to_asm(0x100), "jal ra, 0x900");
}

fn arb_instruction() -> impl Strategy<Value = I> {
    (0..Opcode::COUNT, 0u8..32, 0u8..32, 0u8..32, any::<i32>()).prop_map(
        |(k, rd, rs1, rs2, raw)| {
            let op = Opcode::ALL[k];
            use zkvm_riscv::Format;
            let imm = match op.format() {
                Format::I if matches!(op, Opcode::Slli | Opcode::Srli | Opcode::Srai) => raw & 31,
                Format::I | Format::S => (raw << 20) >> 20,
                Format::B => ((raw << 19) >> 19) & !1,
                Format::J => ((raw << 11) >> 11) & !1,
                Format::U => raw & !0xfff,
                Format::R | Format::None => 0,
            };
            I::from_parts(op, Operands { rd, rs1, rs2, imm })
        },
    )
}

proptest! {
    #[test]
    fn encode_decode_round_trip(ins in arb_instruction()) {
        prop_assert_eq!(decode(ins.encode()), Ok(ins));
        prop_assert_eq!(I::from_parts(ins.opcode(), ins.operands()), ins);
    }

    /// Words next to valid ones (a valid encoding with one bit flipped, so about half decode):
    /// each decodes to an instruction that encodes back to the same word, or is refused.
    #[test]
    fn decode_encode_round_trip(ins in arb_instruction(), bit in 0u32..32) {
        let word = ins.encode() ^ (1 << bit);
        if let Ok(ins) = decode(word) {
            let again = decode(ins.encode());
            prop_assert_eq!(again, Ok(ins));
            if ins != I::Fence {
                prop_assert_eq!(ins.encode(), word);
            }
        }
    }
}
