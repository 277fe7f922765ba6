//! Interpreter tests per instruction with edge values, memory policy, system calls and trace.

use zkvm_riscv::{
    run, Instruction as I, MemAccess, Opcode, Program, RunConfig, RunError, Step, SyscallRecord,
};

const CODE: u32 = 0x1000;
const DATA: u32 = 0x8000;
const DATA_LEN: u32 = 0x1000;

/// `li rd, v` as lui + addi.
fn li(rd: u8, v: u32) -> Vec<I> {
    let lo = ((v << 20) as i32) >> 20;
    let hi = v.wrapping_sub(lo as u32);
    vec![
        I::Lui { rd, imm: hi as i32 },
        I::Addi {
            rd,
            rs1: rd,
            imm: lo,
        },
    ]
}

/// `exit(a0)`.
fn exit() -> Vec<I> {
    let mut v = li(17, 93);
    v.push(I::Ecall);
    v
}

fn program(code: &[I]) -> Program {
    Program::from_instructions(CODE, code, Some((DATA, vec![0u8; 16], DATA_LEN)))
}

fn exec(code: &[I], input: &[u8]) -> Result<zkvm_riscv::Execution, RunError> {
    run(
        &program(code),
        input,
        &RunConfig {
            max_cycles: 100_000,
            record_trace: true,
        },
    )
}

/// Run `op rd=x5, rs1=x6 (a), rs2=x7 (b)` and return x5.
fn rr(op: Opcode, a: u32, b: u32) -> u32 {
    let mut code = li(6, a);
    code.extend(li(7, b));
    code.push(I::from_parts(
        op,
        zkvm_riscv::Operands {
            rd: 5,
            rs1: 6,
            rs2: 7,
            imm: 0,
        },
    ));
    code.extend(exit());
    let e = exec(&code, &[]).unwrap();
    e.regs[5]
}

/// Run `op rd=x5, rs1=x6 (a), imm` and return x5.
fn ri(op: Opcode, a: u32, imm: i32) -> u32 {
    let mut code = li(6, a);
    code.push(I::from_parts(
        op,
        zkvm_riscv::Operands {
            rd: 5,
            rs1: 6,
            rs2: 0,
            imm,
        },
    ));
    code.extend(exit());
    exec(&code, &[]).unwrap().regs[5]
}

const MIN: u32 = 0x8000_0000;
const MAX: u32 = 0x7fff_ffff;
const NEG1: u32 = u32::MAX;

#[test]
fn alu_register_register() {
    use Opcode::*;
    let cases: &[(Opcode, u32, u32, u32)] = &[
        (Add, 1, 2, 3),
        (Add, NEG1, 1, 0),
        (Add, MAX, 1, MIN),
        (Sub, 0, 1, NEG1),
        (Sub, MIN, 1, MAX),
        (Sll, 1, 31, MIN),
        (Sll, 1, 32, 1), // shift amount from the low 5 bits
        (Sll, 3, 33, 6),
        (Slt, NEG1, 0, 1),
        (Slt, 0, NEG1, 0),
        (Slt, MIN, MAX, 1),
        (Slt, 5, 5, 0),
        (Sltu, NEG1, 0, 0),
        (Sltu, 0, NEG1, 1),
        (Sltu, MAX, MIN, 1),
        (Xor, 0xff00_ff00, 0x0ff0_0ff0, 0xf0f0_f0f0),
        (Srl, MIN, 31, 1),
        (Srl, MIN, 63, 1),
        (Srl, NEG1, 4, 0x0fff_ffff),
        (Sra, MIN, 31, NEG1),
        (Sra, MIN, 4, 0xf800_0000),
        (Sra, MAX, 36, 0x07ff_ffff),
        (Or, 0xf0, 0x0f, 0xff),
        (And, 0xf0f0, 0xff00, 0xf000),
        (Mul, 0xffff, 0xffff, 0xfffe_0001),
        (Mul, MIN, NEG1, MIN),
        (Mul, NEG1, NEG1, 1),
        (Mulh, NEG1, NEG1, 0),
        (Mulh, MIN, MIN, 0x4000_0000),
        (Mulh, MIN, 1, NEG1),
        (Mulh, MAX, MAX, 0x3fff_ffff),
        (Mulhsu, NEG1, NEG1, NEG1), // -1 * (2^32-1) = -(2^32-1): high word -1
        (Mulhsu, MIN, NEG1, 0x8000_0000), // -2^31 * (2^32-1) high word
        (Mulhsu, 1, NEG1, 0),
        (Mulhu, NEG1, NEG1, 0xffff_fffe),
        (Mulhu, MIN, 2, 1),
        (Div, 7, 2, 3),
        (Div, (-7i32) as u32, 2, (-3i32) as u32), // rounds toward zero
        (Div, 7, 0, NEG1),                        // division by zero
        (Div, MIN, NEG1, MIN),                    // overflow
        (Divu, 7, 2, 3),
        (Divu, NEG1, 2, MAX),
        (Divu, 7, 0, NEG1),
        (Rem, (-7i32) as u32, 2, NEG1), // sign of the dividend
        (Rem, 7, (-2i32) as u32, 1),
        (Rem, 7, 0, 7),
        (Rem, MIN, NEG1, 0),
        (Remu, NEG1, 10, 5),
        (Remu, 7, 0, 7),
    ];
    for &(op, a, b, want) in cases {
        assert_eq!(rr(op, a, b), want, "{op} {a:#x}, {b:#x}");
    }
}

#[test]
fn alu_register_immediate() {
    use Opcode::*;
    let cases: &[(Opcode, u32, i32, u32)] = &[
        (Addi, 1, -1, 0),
        (Addi, MAX, 1, MIN),
        (Addi, 0, -2048, (-2048i32) as u32),
        (Slti, NEG1, 0, 1),
        (Slti, 0, -1, 0),
        (Sltiu, 0, -1, 1), // immediate sign-extended then compared unsigned
        (Sltiu, NEG1, -1, 0),
        (Sltiu, 0, 1, 1), // seqz
        (Xori, 0x1234, -1, !0x1234),
        (Ori, MIN, 0x7ff, 0x8000_07ff),
        (Andi, NEG1, -2048, 0xffff_f800),
        (Slli, 1, 31, MIN),
        (Slli, NEG1, 0, NEG1),
        (Srli, MIN, 31, 1),
        (Srai, MIN, 31, NEG1),
        (Srai, MAX, 1, 0x3fff_ffff),
    ];
    for &(op, a, imm, want) in cases {
        assert_eq!(ri(op, a, imm), want, "{op} {a:#x}, {imm}");
    }
}

#[test]
fn upper_immediates() {
    let code = vec![
        I::Lui {
            rd: 5,
            imm: 0xfffff000u32 as i32,
        },
        I::Auipc { rd: 6, imm: 0x1000 }, // at CODE + 4
        I::Auipc {
            rd: 7,
            imm: i32::MIN,
        }, // at CODE + 8
    ];
    let mut all = code;
    all.extend(exit());
    let e = exec(&all, &[]).unwrap();
    assert_eq!(e.regs[5], 0xffff_f000);
    assert_eq!(e.regs[6], CODE + 4 + 0x1000);
    assert_eq!(e.regs[7], (CODE + 8).wrapping_add(MIN));
}

#[test]
fn x0_is_hardwired() {
    let mut code = vec![
        I::Addi {
            rd: 0,
            rs1: 0,
            imm: 5,
        },
        I::Lui { rd: 0, imm: 0x1000 },
        I::Jal { rd: 0, imm: 4 },
        I::Add {
            rd: 5,
            rs1: 0,
            rs2: 0,
        },
    ];
    code.extend(exit());
    let e = exec(&code, &[]).unwrap();
    assert_eq!(e.regs[0], 0);
    assert_eq!(e.regs[5], 0);
    let trace = e.trace.unwrap();
    // The trace records each result, also the ones a write to x0 discards (the prover's
    // constraints check the result whether or not it is written).
    assert_eq!(trace[0].rd_val, 5);
    assert_eq!(trace[1].rd_val, 0x1000);
}

/// Run a branch on (a, b) and return whether it was taken.
fn taken(op: Opcode, a: u32, b: u32) -> bool {
    let mut code = li(6, a);
    code.extend(li(7, b));
    code.extend(li(5, 0));
    // branch over one instruction that sets x5 = 1
    code.push(I::from_parts(
        op,
        zkvm_riscv::Operands {
            rd: 0,
            rs1: 6,
            rs2: 7,
            imm: 8,
        },
    ));
    code.push(I::Addi {
        rd: 5,
        rs1: 0,
        imm: 1,
    });
    code.extend(exit());
    exec(&code, &[]).unwrap().regs[5] == 0
}

#[test]
fn branches() {
    use Opcode::*;
    let cases: &[(Opcode, u32, u32, bool)] = &[
        (Beq, 5, 5, true),
        (Beq, 5, 6, false),
        (Bne, 5, 6, true),
        (Bne, NEG1, NEG1, false),
        (Blt, NEG1, 0, true),
        (Blt, 0, NEG1, false),
        (Blt, MIN, MAX, true),
        (Blt, 3, 3, false),
        (Bge, 3, 3, true),
        (Bge, 0, NEG1, true),
        (Bge, MIN, MAX, false),
        (Bltu, 0, NEG1, true),
        (Bltu, NEG1, 0, false),
        (Bltu, MAX, MIN, true),
        (Bgeu, NEG1, 0, true),
        (Bgeu, 3, 3, true),
        (Bgeu, 0, 1, false),
    ];
    for &(op, a, b, want) in cases {
        assert_eq!(taken(op, a, b), want, "{op} {a:#x}, {b:#x}");
    }
}

#[test]
fn backward_branch_loop() {
    // x5 = 10; loop: x6 += x5; x5 -= 1; bnez x5, loop
    let mut code = li(5, 10);
    code.extend(li(6, 0));
    code.push(I::Add {
        rd: 6,
        rs1: 6,
        rs2: 5,
    });
    code.push(I::Addi {
        rd: 5,
        rs1: 5,
        imm: -1,
    });
    code.push(I::Bne {
        rs1: 5,
        rs2: 0,
        imm: -8,
    });
    code.extend(exit());
    let e = exec(&code, &[]).unwrap();
    assert_eq!(e.regs[6], 55);
    assert_eq!(e.summary.count(Opcode::Bne), 10);
}

#[test]
fn jumps_link_and_clear_bit0() {
    let code = vec![
        I::Jal { rd: 1, imm: 8 },   // CODE+0 -> CODE+8, ra = CODE+4
        I::Ebreak,                  // CODE+4 (skipped)
        I::Auipc { rd: 6, imm: 0 }, // CODE+8: x6 = CODE+8
        I::Jalr {
            rd: 5,
            rs1: 6,
            imm: 13,
        }, // -> (CODE+8+13) & !1 = CODE+20, x5 = CODE+16
        I::Ebreak,                  // CODE+16 (skipped)
        I::Addi {
            rd: 17,
            rs1: 0,
            imm: 93,
        }, // CODE+20
        I::Ecall,
    ];
    let e = exec(&code, &[]).unwrap();
    assert_eq!(e.regs[1], CODE + 4);
    assert_eq!(e.regs[5], CODE + 16);
}

#[test]
fn jalr_with_rd_equal_rs1_uses_old_value() {
    let code = vec![
        I::Auipc { rd: 6, imm: 0 }, // CODE
        I::Jalr {
            rd: 6,
            rs1: 6,
            imm: 12,
        }, // -> CODE+12, x6 = CODE+8
        I::Ebreak,
        I::Addi {
            rd: 17,
            rs1: 0,
            imm: 93,
        },
        I::Ecall,
    ];
    let e = exec(&code, &[]).unwrap();
    assert_eq!(e.regs[6], CODE + 8);
}

#[test]
fn misaligned_jump_target_faults() {
    let code = vec![
        I::Auipc { rd: 6, imm: 0 },
        I::Jalr {
            rd: 0,
            rs1: 6,
            imm: 6,
        },
    ];
    assert_eq!(
        exec(&code, &[]).unwrap_err(),
        RunError::MisalignedPc { pc: CODE + 6 }
    );
}

#[test]
fn loads_extend_and_stores_truncate() {
    let mut code = li(10, DATA);
    code.extend(li(5, 0x8081_82ff));
    code.extend([
        I::Sw {
            rs1: 10,
            rs2: 5,
            imm: 0,
        },
        I::Lb {
            rd: 11,
            rs1: 10,
            imm: 0,
        }, // 0xff -> -1
        I::Lbu {
            rd: 12,
            rs1: 10,
            imm: 0,
        }, // 0xff
        I::Lh {
            rd: 13,
            rs1: 10,
            imm: 2,
        }, // 0x8081 -> sign-extended
        I::Lhu {
            rd: 14,
            rs1: 10,
            imm: 2,
        }, // 0x8081
        I::Lb {
            rd: 15,
            rs1: 10,
            imm: 1,
        }, // 0x82 -> sign-extended
        I::Sb {
            rs1: 10,
            rs2: 5,
            imm: 4,
        }, // stores 0xff
        I::Sh {
            rs1: 10,
            rs2: 5,
            imm: 6,
        }, // stores 0x82ff
        I::Lw {
            rd: 16,
            rs1: 10,
            imm: 4,
        }, // 0x82ff00ff
        I::Addi {
            rd: 9,
            rs1: 10,
            imm: 8,
        },
        I::Lw {
            rd: 28,
            rs1: 9,
            imm: -8,
        }, // negative offset
    ]);
    code.extend(exit());
    let e = exec(&code, &[]).unwrap();
    assert_eq!(e.regs[11], NEG1);
    assert_eq!(e.regs[12], 0xff);
    assert_eq!(e.regs[13], 0xffff_8081);
    assert_eq!(e.regs[14], 0x8081);
    assert_eq!(e.regs[15], 0xffff_ff82);
    assert_eq!(e.regs[16], 0x82ff_00ff);
    assert_eq!(e.regs[28], 0x8081_82ff);
    let trace = e.trace.unwrap();
    let lh = trace
        .iter()
        .find(|s| s.instr.opcode() == Opcode::Lh)
        .unwrap();
    assert_eq!(
        lh.mem,
        Some(MemAccess {
            addr: DATA + 2,
            width: 2,
            value: 0xffff_8081,
            store: false,
            word_old: 0x8081_82ff,
        })
    );
    let sh = trace
        .iter()
        .find(|s| s.instr.opcode() == Opcode::Sh)
        .unwrap();
    assert_eq!(
        sh.mem,
        Some(MemAccess {
            addr: DATA + 6,
            width: 2,
            value: 0x82ff,
            store: true,
            word_old: 0xff,
        })
    );
    assert_eq!(sh.mem.map(|m| m.word_new()), Some(0x82ff_00ff));
    assert_eq!(sh.rs2_val, 0x8081_82ff);
}

#[test]
fn misaligned_accesses_fault() {
    for (ins, width, store) in [
        (
            I::Lw {
                rd: 5,
                rs1: 10,
                imm: 2,
            },
            4,
            false,
        ),
        (
            I::Lh {
                rd: 5,
                rs1: 10,
                imm: 1,
            },
            2,
            false,
        ),
        (
            I::Lhu {
                rd: 5,
                rs1: 10,
                imm: 3,
            },
            2,
            false,
        ),
        (
            I::Sw {
                rs1: 10,
                rs2: 5,
                imm: 1,
            },
            4,
            true,
        ),
        (
            I::Sh {
                rs1: 10,
                rs2: 5,
                imm: 3,
            },
            2,
            true,
        ),
    ] {
        let mut code = li(10, DATA);
        code.push(ins);
        code.extend(exit());
        let err = exec(&code, &[]).unwrap_err();
        let pc = CODE + 8;
        let addr = DATA.wrapping_add(ins.operands().imm as u32);
        assert_eq!(
            err,
            RunError::MisalignedAccess {
                pc,
                addr,
                width,
                store
            },
            "{ins}"
        );
        assert!(err.to_string().contains("misaligned"));
    }
}

#[test]
fn out_of_bounds_and_read_only_faults() {
    let mut code = li(10, DATA + DATA_LEN);
    code.push(I::Lw {
        rd: 5,
        rs1: 10,
        imm: 0,
    });
    let err = exec(&code, &[]).unwrap_err();
    assert!(
        matches!(err, RunError::OutOfBounds { addr, store: false, .. } if addr == DATA + DATA_LEN)
    );

    let mut code = li(10, 0);
    code.push(I::Sb {
        rs1: 10,
        rs2: 0,
        imm: 0,
    });
    assert!(matches!(
        exec(&code, &[]).unwrap_err(),
        RunError::OutOfBounds { store: true, .. }
    ));

    // A store into the code segment.
    let mut code = li(10, CODE);
    code.push(I::Sw {
        rs1: 10,
        rs2: 0,
        imm: 0,
    });
    assert_eq!(
        exec(&code, &[]).unwrap_err(),
        RunError::StoreToReadOnly {
            pc: CODE + 8,
            addr: CODE
        }
    );

    // Running off the end of the code.
    let code = vec![I::Addi {
        rd: 5,
        rs1: 0,
        imm: 1,
    }];
    assert_eq!(
        exec(&code, &[]).unwrap_err(),
        RunError::FetchOutsideCode { pc: CODE + 4 }
    );
}

#[test]
fn illegal_word_in_code_faults_when_executed() {
    let mut p = program(&[I::Jal { rd: 0, imm: 8 }, I::Fence, I::Fence]);
    // Replace the second word by an illegal one: skipped, so fine.
    p.segments[0].data[4..8].copy_from_slice(&0u32.to_le_bytes());
    // Third word: a CSR instruction, executed.
    p.segments[0].data[8..12].copy_from_slice(&0x3400_1073u32.to_le_bytes());
    let err = run(&p, &[], &RunConfig::default()).unwrap_err();
    assert_eq!(
        err,
        RunError::IllegalInstruction {
            pc: CODE + 8,
            word: 0x3400_1073
        }
    );
}

#[test]
fn ebreak_and_fence() {
    let code = vec![I::Fence, I::Ebreak];
    assert_eq!(
        exec(&code, &[]).unwrap_err(),
        RunError::Breakpoint { pc: CODE + 4 }
    );
}

#[test]
fn cycle_limit() {
    let code = vec![I::Jal { rd: 0, imm: 0 }];
    let err = run(
        &program(&code),
        &[],
        &RunConfig {
            max_cycles: 1000,
            record_trace: false,
        },
    )
    .unwrap_err();
    assert_eq!(
        err,
        RunError::CycleLimit {
            limit: 1000,
            pc: CODE
        }
    );
}

/// write(fd, DATA, len) after storing `msg` at DATA, then exit(code).
fn write_prog(fd: u32, msg: &[u8], code_val: u32) -> Vec<I> {
    let mut code = li(10, DATA);
    for (k, &b) in msg.iter().enumerate() {
        code.extend(li(5, u32::from(b)));
        code.push(I::Sb {
            rs1: 10,
            rs2: 5,
            imm: k as i32,
        });
    }
    code.extend(li(11, DATA));
    code.extend(li(10, fd));
    code.extend(li(12, msg.len() as u32));
    code.extend(li(17, 64));
    code.push(I::Ecall);
    code.push(I::Addi {
        rd: 20,
        rs1: 10,
        imm: 0,
    }); // keep the returned count
    code.extend(li(10, code_val));
    code.extend(exit());
    code
}

#[test]
fn write_syscall() {
    let e = exec(&write_prog(1, b"hi\n", 7), &[]).unwrap();
    assert_eq!(e.stdout, b"hi\n");
    assert!(e.stderr.is_empty());
    assert_eq!(e.exit_code, 7);
    assert_eq!(e.regs[20], 3, "write returns the byte count");
    let e = exec(&write_prog(2, b"dbg", 0), &[]).unwrap();
    assert_eq!(e.stderr, b"dbg");
    assert!(e.stdout.is_empty());
    let err = exec(&write_prog(3, b"x", 0), &[]).unwrap_err();
    assert!(matches!(
        err,
        RunError::BadFd {
            number: 64,
            fd: 3,
            ..
        }
    ));

    let trace = exec(&write_prog(1, b"ok", 0), &[]).unwrap().trace.unwrap();
    let step = trace.iter().find(|s| s.syscall.is_some()).unwrap();
    assert_eq!(
        step.syscall.as_deref(),
        Some(&SyscallRecord::Write {
            fd: 1,
            addr: DATA,
            bytes: b"ok".to_vec(),
            words_old: vec![u32::from_le_bytes(*b"ok\0\0")],
        })
    );
    assert_eq!((step.rd_old, step.rd_val), (1, 2), "a0: fd, then the count");
    let last = trace.last().unwrap();
    assert_eq!(
        last.syscall.as_deref(),
        Some(&SyscallRecord::Exit {
            code: 0,
            a1: DATA,
            a2: 2
        })
    );
    assert_eq!(last.syscall.as_ref().unwrap().args(), [0, DATA, 2, 93]);
}

/// read(0, DATA, n) twice, then exit with the two counts in x20, x21 and the first word in x22.
fn read_prog(n: u32) -> Vec<I> {
    let mut code = Vec::new();
    for dst in [20u8, 21] {
        code.extend(li(10, 0));
        code.extend(li(11, DATA));
        code.extend(li(12, n));
        code.extend(li(17, 63));
        code.push(I::Ecall);
        code.push(I::Addi {
            rd: dst,
            rs1: 10,
            imm: 0,
        });
        if dst == 20 {
            code.extend(li(9, DATA));
            code.push(I::Lw {
                rd: 22,
                rs1: 9,
                imm: 0,
            });
        }
    }
    code.extend(li(10, 0));
    code.extend(exit());
    code
}

#[test]
fn read_syscall() {
    let e = exec(&read_prog(4), b"abcdef").unwrap();
    assert_eq!(e.regs[20], 4);
    assert_eq!(e.regs[21], 2, "short read at the end of input");
    assert_eq!(e.regs[22], u32::from_le_bytes(*b"abcd"));
    let e = exec(&read_prog(4), b"").unwrap();
    assert_eq!(e.regs[20], 0, "end of input reads 0 bytes");
    let reads = |input: &[u8]| -> Vec<SyscallRecord> {
        exec(&read_prog(4), input)
            .unwrap()
            .trace
            .unwrap()
            .into_iter()
            .filter_map(|s| s.syscall.map(|b| *b))
            .collect()
    };
    let r = reads(b"xyz");
    assert_eq!(
        r[0],
        SyscallRecord::Read {
            fd: 0,
            addr: DATA,
            count: 4,
            bytes: b"xyz".to_vec(),
            words_old: vec![0],
        }
    );
    assert_eq!(r[0].args(), [0, DATA, 4, 63]);
    assert_eq!(
        r[1],
        SyscallRecord::Read {
            fd: 0,
            addr: DATA,
            count: 4,
            bytes: vec![],
            words_old: vec![],
        }
    );
    // The second read records the word the first one stored.
    assert_eq!(
        reads(b"abcdef")[1],
        SyscallRecord::Read {
            fd: 0,
            addr: DATA,
            count: 4,
            bytes: b"ef".to_vec(),
            words_old: vec![u32::from_le_bytes(*b"abcd")],
        }
    );
}

#[test]
fn unknown_syscall_is_an_error() {
    let mut code = li(17, 214); // brk
    code.push(I::Ecall);
    let err = exec(&code, &[]).unwrap_err();
    assert_eq!(
        err,
        RunError::UnknownSyscall {
            pc: CODE + 8,
            number: 214
        }
    );
    assert!(err.to_string().contains("214"));
}

#[test]
fn trace_matches_cycles_and_fast_path_records_nothing() {
    let mut code = li(5, 3);
    code.push(I::Add {
        rd: 6,
        rs1: 5,
        rs2: 5,
    });
    code.extend(exit());
    let p = program(&code);
    let fast = run(
        &p,
        &[],
        &RunConfig {
            max_cycles: 100,
            record_trace: false,
        },
    )
    .unwrap();
    assert!(fast.trace.is_none());
    let traced = run(
        &p,
        &[],
        &RunConfig {
            max_cycles: 100,
            record_trace: true,
        },
    )
    .unwrap();
    let trace = traced.trace.unwrap();
    assert_eq!(trace.len() as u64, traced.summary.cycles);
    assert_eq!(fast.summary, traced.summary);
    assert_eq!(fast.regs, traced.regs);
    assert_eq!(
        trace[2],
        Step {
            pc: CODE + 8,
            instr: I::Add {
                rd: 6,
                rs1: 5,
                rs2: 5
            },
            rs1_val: 3,
            rs2_val: 3,
            rd_val: 6,
            rd_old: 0,
            mem: None,
            syscall: None,
        }
    );
    // pcs chain: every step's successor is pc + 4 in straight-line code.
    for w in trace.windows(2) {
        assert_eq!(w[1].pc, w[0].pc + 4);
    }
    let classes = traced.summary.per_class();
    let total: u64 = classes.iter().map(|(_, n)| n).sum();
    assert_eq!(total, traced.summary.cycles);
}

#[test]
fn hand_built_invalid_programs_are_errors() {
    let mut p = program(&[I::Ecall]);
    p.segments[1].vaddr = CODE; // overlaps the code
    assert!(matches!(
        run(&p, &[], &RunConfig::default()),
        Err(RunError::InvalidProgram(_))
    ));
    let mut p = program(&[I::Ecall]);
    p.segments[1].data = vec![0; DATA_LEN as usize + 1];
    assert!(matches!(
        run(&p, &[], &RunConfig::default()),
        Err(RunError::InvalidProgram(_))
    ));
    let mut p = program(&[I::Ecall]);
    p.segments.clear();
    assert!(matches!(
        run(&p, &[], &RunConfig::default()),
        Err(RunError::InvalidProgram(_))
    ));
}

/// A load at either end of an image whose ends are not 4-byte aligned records the whole word,
/// the bytes outside guest memory as 0; a step records each instruction's old rd.
#[test]
fn old_values_are_recorded() {
    let mut code = li(10, 0x802);
    code.push(I::Lbu {
        rd: 10,
        rs1: 10,
        imm: 1,
    });
    code.extend(li(11, 0x9000));
    code.push(I::Lbu {
        rd: 11,
        rs1: 11,
        imm: 0,
    });
    code.extend(exit());
    let mut p = program(&code);
    for (vaddr, data) in [(0x802, vec![0x11, 0x22]), (0x9000, vec![0x33])] {
        p.segments.push(zkvm_riscv::Segment {
            vaddr,
            mem_size: data.len() as u32,
            data,
            flags: zkvm_riscv::Flags {
                read: true,
                write: false,
                exec: false,
            },
        });
    }
    let config = RunConfig {
        max_cycles: 100,
        record_trace: true,
    };
    let trace = run(&p, &[], &config).unwrap().trace.unwrap();
    let loads: Vec<(u32, u32, u32)> = trace
        .iter()
        .filter_map(|s| s.mem.map(|m| (m.word_old, s.rd_old, s.rd_val)))
        .collect();
    assert_eq!(loads, [(0x2211_0000, 0x802, 0x22), (0x33, 0x9000, 0x33)]);
}

/// One step is stored per cycle: it stays small (a system call's record is boxed).
#[test]
fn a_step_is_small() {
    assert!(std::mem::size_of::<Step>() <= 56);
}
