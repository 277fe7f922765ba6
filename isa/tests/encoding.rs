//! Encoding and decoding are inverse on every valid instruction; invalid words are rejected.

use proptest::prelude::*;
use zkvm_isa::*;

fn reg() -> impl Strategy<Value = Reg> {
    prop_oneof![Just(Reg::Ap), Just(Reg::Fp)]
}

fn opcode() -> impl Strategy<Value = Opcode> {
    (0u64..Opcode::COUNT as u64).prop_map(|c| Opcode::from_code(c).expect("valid code"))
}

/// Random fields, then forced into canonical form (unused slots default, fixed fields set).
fn instruction() -> impl Strategy<Value = Instruction> {
    (
        (any::<i16>(), any::<i16>(), any::<i16>(), any::<[u64; 4]>()),
        (reg(), reg(), 0u8..4, 0u8..3, 0u8..4, 0u8..3),
        opcode(),
    )
        .prop_map(|((od, o0, o1, imm), (dr, r0, s1, res, pc, ap), opcode)| {
            let mut ins = Instruction {
                off_dst: od,
                off_op0: o0,
                off_op1: o1,
                imm: None,
                dst_reg: dr,
                op0_reg: r0,
                op1_src: [Op1Src::Imm, Op1Src::Ap, Op1Src::Fp, Op1Src::Op0][s1 as usize],
                res: [Res::Op1, Res::Add, Res::Mul][res as usize],
                pc_update: [
                    PcUpdate::Regular,
                    PcUpdate::JumpAbs,
                    PcUpdate::JumpRel,
                    PcUpdate::Jnz,
                ][pc as usize],
                ap_update: [ApUpdate::None, ApUpdate::Add, ApUpdate::Inc][ap as usize],
                opcode,
            };
            canonicalize(&mut ins, imm);
            ins
        })
}

fn canonicalize(ins: &mut Instruction, imm: [u64; 4]) {
    if !matches!(ins.opcode, Opcode::Assign | Opcode::AssertEq) {
        ins.res = Res::Op1;
    }
    match ins.opcode {
        Opcode::Nop => {
            if ins.pc_update == PcUpdate::Regular {
                ins.ap_update = ApUpdate::Add;
            } else if ins.ap_update == ApUpdate::Add {
                ins.ap_update = ApUpdate::Inc;
            }
        }
        Opcode::Call => {
            if !matches!(ins.pc_update, PcUpdate::JumpAbs | PcUpdate::JumpRel) {
                ins.pc_update = PcUpdate::JumpRel;
            }
            ins.ap_update = ApUpdate::None;
            if ins.op1_src == Op1Src::Op0 {
                ins.op1_src = Op1Src::Fp;
            }
            (ins.dst_reg, ins.off_dst, ins.op0_reg, ins.off_op0) = (Reg::Ap, 0, Reg::Ap, 1);
        }
        Opcode::Ret => {
            *ins = Instruction::ret();
        }
        Opcode::Halt => {
            ins.pc_update = PcUpdate::Regular;
            ins.ap_update = ApUpdate::None;
        }
        _ => {
            ins.pc_update = PcUpdate::Regular;
            if ins.ap_update == ApUpdate::Add {
                ins.ap_update = ApUpdate::None;
            }
        }
    }
    if !ins.has_op1() {
        ins.op1_src = Op1Src::Ap;
        ins.off_op1 = 0;
    }
    if ins.op1_src == Op1Src::Imm {
        ins.off_op1 = 0;
        let bytes: Vec<u8> = imm.iter().flat_map(|l| l.to_le_bytes()).collect();
        ins.imm = Some(<Fr as ark_ff::PrimeField>::from_le_bytes_mod_order(&bytes));
    }
    if ins.dst_use() == SlotUse::None {
        (ins.dst_reg, ins.off_dst) = (Reg::Ap, 0);
    }
    if ins.op0_use() == SlotUse::None {
        (ins.op0_reg, ins.off_op0) = (Reg::Ap, 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn encode_then_decode_is_identity(ins in instruction()) {
        prop_assert!(ins.validate().is_ok(), "{:?}", ins.validate());
        let words = encode_program(&[ins]);
        let back = decode_program(&words).unwrap();
        prop_assert_eq!(back, vec![ins]);
    }

    /// Words next to valid ones (a valid instruction's word with one bit flipped): each decodes
    /// to an instruction whose word is the same, or is refused.
    #[test]
    fn decode_then_encode_is_identity(ins in instruction(), bit in 0u32..63, imm in any::<u64>()) {
        let word = ins.word() ^ (1 << bit);
        let imm = Instruction::word_has_imm(word).then(|| Fr::from(imm));
        if let Ok(ins) = Instruction::decode_word(word, imm) {
            prop_assert_eq!(ins.word(), word);
            prop_assert_eq!(ins.imm, imm);
        }
    }

    #[test]
    fn zbin_round_trip(prog in proptest::collection::vec(instruction(), 1..20)) {
        let p = Program { instructions: prog, entry: 0, debug: None };
        let back = Program::from_zbin(&p.to_zbin()).unwrap();
        prop_assert_eq!(back, p);
    }
}

#[test]
fn invalid_words_are_rejected() {
    // res = 3 is not a res.
    assert!(Instruction::decode_word(3 << 52 | 1 << 58, Some(Fr::from(1u64))).is_err());
    // ap_update = 3.
    assert!(Instruction::decode_word(3 << 56 | 1 << 58, None).is_err());
    // opcode 13 does not exist.
    assert!(Instruction::decode_word(13 << 58, None).is_err());
    // halt with an unused dst offset set.
    let halt = Instruction::DEFAULT.word();
    assert!(Instruction::decode_word(halt, None).is_ok());
    assert!(Instruction::decode_word(halt + 1, None).is_err());
    // a word above 2^63 as a field element.
    assert!(Instruction::decode(&[Fr::from(u64::MAX)]).is_err());
    // a missing immediate
    let jmp = Instruction {
        opcode: Opcode::Nop,
        pc_update: PcUpdate::JumpAbs,
        op1_src: Op1Src::Imm,
        imm: Some(Fr::from(0u64)),
        ..Instruction::DEFAULT
    };
    assert!(jmp.validate().is_ok());
    assert!(matches!(
        Instruction::decode(&[Fr::from(jmp.word())]),
        Err(DecodeError::MissingImmediate(_))
    ));
    // a truncated zbin
    let p = Program {
        instructions: vec![jmp],
        entry: 0,
        debug: None,
    };
    let bytes = p.to_zbin();
    assert!(Program::from_zbin(&bytes[..bytes.len() - 3]).is_err());
    assert!(Program::from_zbin(b"ZBIX").is_err());
}
