//! RV32IM programs from crafted ELF files whose segments are not 4-byte aligned (found by the
//! adversarial review's first round). Each test builds an ELF that `load_elf` accepts, shows
//! what the interpreter does, and forges a run from a hand-made trace: the lowering (which, in
//! these debug-built tests, checks every constraint) or the pipeline verifier must refuse it.

use ark_bn254::Fr;
use zkvm_prover::lower::riscv::lower;
use zkvm_prover::machine::PublicValues;
use zkvm_prover::pipeline::{setup_for, verify_rv32im};
use zkvm_prover::proof::prove;
use zkvm_riscv::{load_elf, run, Instruction, RunConfig, Step, SyscallRecord};

use super::rv32im::{li, A0, A2, A7};

/// A minimal ELF32 RISC-V executable: `(vaddr, memsz, data, flags)` per PT_LOAD segment
/// (flags: 1 X, 2 W, 4 R).
fn elf(entry: u32, segs: &[(u32, u32, Vec<u8>, u32)]) -> Vec<u8> {
    let phnum = segs.len();
    let mut out = Vec::new();
    out.extend_from_slice(&[0x7f, b'E', b'L', b'F', 1, 1, 1, 0]);
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    out.extend_from_slice(&243u16.to_le_bytes()); // EM_RISCV
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&entry.to_le_bytes());
    out.extend_from_slice(&52u32.to_le_bytes()); // phoff
    out.extend_from_slice(&0u32.to_le_bytes()); // shoff
    out.extend_from_slice(&0u32.to_le_bytes()); // flags
    out.extend_from_slice(&52u16.to_le_bytes());
    out.extend_from_slice(&32u16.to_le_bytes());
    out.extend_from_slice(&(phnum as u16).to_le_bytes());
    out.extend_from_slice(&40u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    let mut offset = 52 + 32 * phnum as u32;
    let mut data = Vec::new();
    for (vaddr, memsz, bytes, flags) in segs {
        for v in [
            1u32,
            offset,
            *vaddr,
            *vaddr,
            bytes.len() as u32,
            *memsz,
            *flags,
            1,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        offset += bytes.len() as u32;
        data.extend_from_slice(bytes);
    }
    out.extend_from_slice(&data);
    out
}

fn code(instrs: &[Instruction]) -> Vec<u8> {
    instrs
        .iter()
        .flat_map(|i| i.encode().to_le_bytes())
        .collect()
}

/// A step with its result; [`with_registers`] fills in the registers it read.
fn step(pc: u32, instr: Instruction, rd_val: u32, syscall: Option<SyscallRecord>) -> Step {
    Step {
        pc,
        instr,
        rs1_val: 0,
        rs2_val: 0,
        rd_val,
        rd_old: 0,
        mem: None,
        syscall: syscall.map(Box::new),
    }
}

/// `trace` with the register values an interpreter records (rs1, rs2 and rd before each step),
/// from the registers the steps' results leave; `read` and `write` set a0.
fn with_registers(program: &zkvm_riscv::Program, mut trace: Vec<Step>) -> Vec<Step> {
    let mut regs = zkvm_riscv::initial_registers(program);
    for s in &mut trace {
        let o = s.instr.operands();
        s.rs1_val = regs[usize::from(o.rs1)];
        s.rs2_val = regs[usize::from(o.rs2)];
        let rd = match s.syscall.as_deref() {
            Some(SyscallRecord::Exit { .. }) => None,
            Some(_) => Some(A0),
            None => s.instr.rd(),
        };
        if let Some(rd) = rd.filter(|&rd| rd != 0) {
            s.rd_old = regs[usize::from(rd)];
            regs[usize::from(rd)] = s.rd_val;
        }
    }
    trace
}

/// Lower `trace`, prove, serialize, and run the pipeline verifier on the bytes.
fn forge(
    program: &zkvm_riscv::Program,
    trace: &[Step],
    output: &[Fr],
    exit: u32,
) -> Result<zkvm_prover::pipeline::GuestOutcome, String> {
    let public = PublicValues {
        output: output.to_vec(),
        exit_code: exit,
        shard: None,
    };
    let (machine, witness) = lower(program, trace, &public).map_err(|e| format!("{e}"))?;
    let log_rows = witness.columns[0].len().trailing_zeros() as usize;
    let setup = setup_for(&machine, log_rows).map_err(|e| format!("{e}"))?;
    let (proof, _) = prove(&machine, &public, witness, &setup).map_err(|e| format!("{e}"))?;
    let bytes = proof.to_bytes();
    verify_rv32im(program, &bytes)
        .map(|(o, _)| o)
        .map_err(|e| format!("{e:?}"))
}

use Instruction as I;

/// `write(1, a1, 4)`, then `exit(0)`.
fn write_word_then_exit() -> [I; 7] {
    [
        li(A0, 1),
        li(A2, 4),
        li(A7, 64),
        I::Ecall,
        li(A7, 93),
        li(A0, 0),
        I::Ecall,
    ]
}

/// A code segment at a 2-mod-4 address: the bytecode table holds instructions at pcs the
/// interpreter can never fetch (MisalignedPc). `jal` (even offsets) reaches one.
#[test]
fn code_at_a_misaligned_address_is_not_in_the_bytecode_table() {
    let seg1 = code(&[I::Jal { rd: 0, imm: 0x1002 }]);
    let seg2 = code(&[li(A7, 93), li(A0, 42), I::Ecall]);
    let bytes = elf(
        0x1000,
        &[
            (0x1000, seg1.len() as u32, seg1, 5),
            (0x2002, seg2.len() as u32, seg2, 5),
        ],
    );
    let program = load_elf(&bytes).expect("load_elf accepts the ELF");
    let honest = run(&program, &[], &RunConfig::default());
    eprintln!("interpreter: {honest:?}");
    assert!(
        honest.is_err(),
        "the interpreter faults (on every input: it reads none)"
    );
    let trace = vec![
        step(0x1000, I::Jal { rd: 0, imm: 0x1002 }, 0, None),
        step(0x2002, li(A7, 93), 93, None),
        step(0x2006, li(A0, 42), 42, None),
        step(
            0x200a,
            I::Ecall,
            0,
            Some(SyscallRecord::Exit {
                code: 42,
                a1: 0,
                a2: 0,
            }),
        ),
    ];
    let trace = with_registers(&program, trace);
    let refused = forge(&program, &trace, &[], 42).expect_err("a forgery was accepted");
    eprintln!("refused: {refused}");
}

/// Two read-only segments share one aligned word ([0x2000, 0x2002) and [0x2002, 0x2004)):
/// `initial_words` lists the word twice and the machine's initial memory keeps only the last
/// entry (0x44330000), while the interpreter's memory holds 0x44332211.
#[test]
fn a_word_shared_by_two_segments_holds_both_segments_bytes() {
    let mut text = vec![I::Lui {
        rd: 11,
        imm: 0x2000,
    }];
    text.extend(write_word_then_exit());
    let seg1 = code(&text);
    let bytes = elf(
        0x1000,
        &[
            (0x1000, seg1.len() as u32, seg1, 5),
            (0x2000, 2, vec![0x11, 0x22], 4),
            (0x2002, 2, vec![0x33, 0x44], 4),
        ],
    );
    let program = load_elf(&bytes).expect("load_elf accepts the ELF");
    let honest = run(&program, &[], &RunConfig::default()).expect("runs");
    eprintln!(
        "interpreter stdout: {:02x?}, exit {}",
        honest.stdout, honest.exit_code
    );
    assert_eq!(honest.stdout, vec![0x11, 0x22, 0x33, 0x44]);
    let claimed = [0x00u8, 0x00, 0x33, 0x44];
    let trace = vec![
        step(0x1000, text[0], 0x2000, None),
        step(0x1004, text[1], 1, None),
        step(0x1008, text[2], 4, None),
        step(0x100c, text[3], 64, None),
        step(
            0x1010,
            text[4],
            4,
            Some(SyscallRecord::Write {
                fd: 1,
                addr: 0x2000,
                bytes: claimed.to_vec(),
                words_old: vec![0x4433_2211], // the word in memory
            }),
        ),
        step(0x1014, text[5], 93, None),
        step(0x1018, text[6], 0, None),
        step(
            0x101c,
            text[7],
            0,
            Some(SyscallRecord::Exit {
                code: 0,
                a1: 0x2000,
                a2: 4,
            }),
        ),
    ];
    let trace = with_registers(&program, trace);
    let word = Fr::from(u32::from_le_bytes(claimed));
    let refused = forge(&program, &trace, &[word], 0).expect_err("a forgery was accepted");
    eprintln!("refused: {refused}");
    // The honest run proves, and the verifier reports the interpreter's bytes.
    let (_, bytes, _) =
        zkvm_prover::pipeline::prove_rv32im(&program, &[], 1 << 16).expect("the honest run proves");
    let (verified, _) = verify_rv32im(&program, &bytes).expect("verifies");
    assert_eq!(verified.stdout, honest.stdout);
}

/// The lowest segment starts at 2 mod 4, so 256-byte permission pages (which start at `lo`)
/// cut words in half. The word at 0x1100 has its first half in the writable page 0 and its
/// second half in the read-only page 1; the proof's permission of the whole word is page 0's.
/// `sb` into the read-only byte 0x1102 faults in the interpreter (StoreToReadOnly) but is
/// accepted by the constraints; the proof then outputs the modified read-only word.
#[test]
fn a_word_half_in_a_read_only_page_is_read_only() {
    use zkvm_riscv::MemAccess;
    let mut text = vec![
        I::Lui {
            rd: 11,
            imm: 0x1000,
        },
        I::Addi {
            rd: 11,
            rs1: 11,
            imm: 0x102,
        },
        li(5, 0x55),
        I::Sb {
            rs1: 11,
            rs2: 5,
            imm: 0,
        },
        I::Addi {
            rd: 11,
            rs1: 11,
            imm: -2,
        },
    ];
    text.extend(write_word_then_exit());
    let seg_code = code(&text);
    let bytes = elf(
        0x3000,
        &[
            (0x1002, 0x100, vec![], 6),                   // RW (bss), page 0
            (0x1102, 4, vec![0xaa, 0xbb, 0xcc, 0xdd], 4), // RO, page 1
            (0x3000, seg_code.len() as u32, seg_code, 5),
        ],
    );
    let program = load_elf(&bytes).expect("load_elf accepts the ELF");
    let honest = run(&program, &[], &RunConfig::default());
    eprintln!("interpreter: {:?}", honest.as_ref().map(|e| &e.stdout));
    assert!(
        honest.is_err(),
        "the interpreter faults (it reads no input)"
    );
    let claimed = [0x00u8, 0x00, 0x55, 0xbb];
    let vals = [0x1000, 0x1102, 0x55, 0, 0x1100, 1, 4, 64, 4, 93, 0, 0];
    let trace: Vec<Step> = text
        .iter()
        .zip(vals)
        .enumerate()
        .map(|(i, (ins, v))| {
            let pc = 0x3000 + 4 * i as u32;
            let mut s = step(pc, *ins, v, None);
            if i == 3 {
                s.mem = Some(MemAccess {
                    addr: 0x1102,
                    width: 1,
                    value: 0x55,
                    store: true,
                    word_old: 0xbbaa_0000,
                });
            }
            if i == 8 {
                s.syscall = Some(Box::new(SyscallRecord::Write {
                    fd: 1,
                    addr: 0x1100,
                    bytes: claimed.to_vec(),
                    words_old: vec![0xbb55_0000], // after the store
                }));
            }
            if i == 11 {
                s.syscall = Some(Box::new(SyscallRecord::Exit {
                    code: 0,
                    a1: 0x1100,
                    a2: 4,
                }));
            }
            s
        })
        .collect();
    let trace = with_registers(&program, trace);
    let word = Fr::from(u32::from_le_bytes(claimed));
    let refused = forge(&program, &trace, &[word], 0).expect_err("a forgery was accepted");
    eprintln!("refused: {refused}");
}
