//! ELF loader tests on hand-built ELF32 files: a valid one, and each kind of malformed input
//! giving its own clear error (never a panic).

use zkvm_riscv::{load_elf, run, ElfError, Instruction as I, RunConfig};

/// A program header: (type, flags, file offset, vaddr, filesz, memsz).
type Ph = (u32, u32, u32, u32, u32, u32);

const PT_LOAD: u32 = 1;
const RX: u32 = 5;
const RW: u32 = 6;

/// An ELF32 little-endian RISC-V executable with the given program headers; `payload` is
/// placed at file offset 0x100.
fn elf(entry: u32, phdrs: &[Ph], payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0u8; 0x100];
    f[..4].copy_from_slice(b"\x7fELF");
    f[4] = 1; // ELFCLASS32
    f[5] = 1; // ELFDATA2LSB
    f[6] = 1; // EV_CURRENT
    let put16 =
        |f: &mut Vec<u8>, at: usize, v: u16| f[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 =
        |f: &mut Vec<u8>, at: usize, v: u32| f[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put16(&mut f, 16, 2); // ET_EXEC
    put16(&mut f, 18, 243); // EM_RISCV
    put32(&mut f, 20, 1);
    put32(&mut f, 24, entry);
    put32(&mut f, 28, 52); // e_phoff
    put32(&mut f, 32, 0); // e_shoff
    put16(&mut f, 40, 52); // e_ehsize
    put16(&mut f, 42, 32); // e_phentsize
    put16(&mut f, 44, phdrs.len() as u16);
    put16(&mut f, 46, 40); // e_shentsize
    for (k, &(ty, flags, off, vaddr, filesz, memsz)) in phdrs.iter().enumerate() {
        let at = 52 + 32 * k;
        for (j, v) in [ty, off, vaddr, vaddr, filesz, memsz, flags, 0x1000]
            .iter()
            .enumerate()
        {
            put32(&mut f, at + 4 * j, *v);
        }
    }
    f.extend_from_slice(payload);
    f
}

/// exit(42) as code bytes.
fn exit42() -> Vec<u8> {
    [
        I::Addi {
            rd: 10,
            rs1: 0,
            imm: 42,
        },
        I::Addi {
            rd: 17,
            rs1: 0,
            imm: 93,
        },
        I::Ecall,
    ]
    .iter()
    .flat_map(|i| i.encode().to_le_bytes())
    .collect()
}

fn valid() -> Vec<u8> {
    let mut payload = exit42();
    payload.extend_from_slice(&[1, 2, 3, 4, 5]);
    elf(
        0x10000,
        &[
            (PT_LOAD, RX, 0x100, 0x10000, 12, 12),
            (PT_LOAD, RW, 0x10c, 0x11000, 5, 0x100),
        ],
        &payload,
    )
}

#[test]
fn loads_and_runs_a_valid_file() {
    let p = load_elf(&valid()).unwrap();
    assert_eq!(p.entry, 0x10000);
    // The two loadable segments, then the loader's stack one guard gap above the next page.
    assert_eq!(p.segments.len(), 3);
    assert!(p.segments[0].flags.exec && !p.segments[0].flags.write);
    assert!(p.segments[1].flags.write && !p.segments[1].flags.exec);
    assert_eq!(p.segments[1].mem_size, 0x100);
    let stack = &p.segments[2];
    assert_eq!(stack.vaddr, 0x12000 + zkvm_riscv::elf::STACK_GUARD);
    assert_eq!(stack.mem_size, zkvm_riscv::elf::STACK_SIZE);
    assert!(stack.flags.write && !stack.flags.exec && stack.data.is_empty());
    assert_eq!(p.span(), (0x10000, stack.end()));
    assert_eq!(u64::from(p.initial_sp), stack.end() - 32);
    let words = p.initial_words();
    assert!(words.contains(&(0x11000, 0x0403_0201)));
    assert!(words.contains(&(0x11004, 0x05)));
    let e = run(&p, &[], &RunConfig::default()).unwrap();
    assert_eq!(e.exit_code, 42);
    assert_eq!(e.summary.cycles, 3);
}

#[test]
fn truncated_files() {
    let good = valid();
    for len in [0, 3, 5, 20, 51] {
        let err = load_elf(&good[..len]).unwrap_err();
        assert!(matches!(err, ElfError::Truncated(_)), "{len} bytes: {err}");
        assert!(err.to_string().contains("truncated"));
    }
    // Program headers cut off.
    let err = load_elf(&good[..70]).unwrap_err();
    assert!(matches!(err, ElfError::Truncated(_)), "{err}");
    // Segment bytes cut off.
    let err = load_elf(&good[..0x108]).unwrap_err();
    assert!(
        matches!(err, ElfError::SegmentOutsideFile { index: 0, .. }),
        "{err}"
    );
}

#[test]
fn not_elf() {
    let err = load_elf(b"#!/bin/sh\necho hi\n").unwrap_err();
    assert!(matches!(err, ElfError::Malformed(_)), "{err}");
}

#[test]
fn sixty_four_bit() {
    let mut f = valid();
    f[4] = 2;
    let err = load_elf(&f).unwrap_err();
    assert_eq!(err, ElfError::Not32Bit);
    assert!(err.to_string().contains("64-bit"));
}

#[test]
fn big_endian() {
    let mut f = valid();
    f[5] = 2;
    let err = load_elf(&f).unwrap_err();
    assert_eq!(err, ElfError::BigEndian);
    assert!(err.to_string().contains("big-endian"));
}

#[test]
fn wrong_machine() {
    let mut f = valid();
    f[18..20].copy_from_slice(&62u16.to_le_bytes());
    let err = load_elf(&f).unwrap_err();
    assert_eq!(
        err,
        ElfError::WrongMachine {
            machine: 62,
            name: "x86-64"
        }
    );
    assert!(err.to_string().contains("not RISC-V"));
}

#[test]
fn not_an_executable() {
    let mut f = valid();
    f[16..18].copy_from_slice(&3u16.to_le_bytes()); // ET_DYN
    assert_eq!(load_elf(&f).unwrap_err(), ElfError::NotExecutable(3));
}

#[test]
fn bad_entry() {
    for entry in [0x11000, 0x10002, 0x20000, 0x1000c] {
        let f = elf(
            entry,
            &[
                (PT_LOAD, RX, 0x100, 0x10000, 12, 12),
                (PT_LOAD, RW, 0x100, 0x11000, 4, 4),
            ],
            &exit42(),
        );
        let err = load_elf(&f).unwrap_err();
        assert_eq!(
            err,
            ElfError::BadEntry(u64::from(entry)),
            "entry {entry:#x}"
        );
        assert!(err.to_string().contains("entry point"));
    }
}

#[test]
fn overlapping_segments() {
    let f = elf(
        0x10000,
        &[
            (PT_LOAD, RX, 0x100, 0x10000, 12, 12),
            (PT_LOAD, RW, 0x100, 0x10008, 4, 0x10),
        ],
        &exit42(),
    );
    let err = load_elf(&f).unwrap_err();
    assert!(
        matches!(
            err,
            ElfError::Overlap {
                a_start: 0x10000,
                b_start: 0x10008,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("overlap"));
}

#[test]
fn segment_outside_address_space() {
    let f = elf(
        0x10000,
        &[
            (PT_LOAD, RX, 0x100, 0x10000, 12, 12),
            (PT_LOAD, RW, 0x100, 0xffff_f000, 4, 0x2000),
        ],
        &exit42(),
    );
    let err = load_elf(&f).unwrap_err();
    assert!(
        matches!(err, ElfError::OutsideAddressSpace { index: 1, .. }),
        "{err}"
    );
}

#[test]
fn file_size_above_memory_size() {
    let f = elf(0x10000, &[(PT_LOAD, RX, 0x100, 0x10000, 12, 8)], &exit42());
    assert!(matches!(
        load_elf(&f).unwrap_err(),
        ElfError::FileSizeExceedsMemSize { .. }
    ));
}

#[test]
fn span_too_large() {
    let f = elf(
        0x10000,
        &[
            (PT_LOAD, RX, 0x100, 0x10000, 12, 12),
            (PT_LOAD, RW, 0x100, 0xf000_0000, 4, 4),
        ],
        &exit42(),
    );
    assert!(matches!(
        load_elf(&f).unwrap_err(),
        ElfError::SpanTooLarge { .. }
    ));
}

#[test]
fn no_segments() {
    let f = elf(0x10000, &[], &[]);
    assert_eq!(load_elf(&f).unwrap_err(), ElfError::NoSegments);
}

#[test]
fn every_prefix_is_an_error_not_a_panic() {
    let good = valid();
    for len in 0..good.len() {
        assert!(
            load_elf(&good[..len]).is_err(),
            "prefix of {len} bytes loaded"
        );
    }
}

#[test]
fn a_compressed_instruction_is_named_as_such() {
    // `c.nop` (0x0001) followed by another: the low bits 01 mark a 16-bit instruction.
    let p = zkvm_riscv::Program {
        entry: 0x1000,
        initial_sp: 0,
        segments: vec![zkvm_riscv::Segment {
            vaddr: 0x1000,
            mem_size: 4,
            data: vec![0x01, 0x00, 0x01, 0x00],
            flags: zkvm_riscv::Flags {
                read: true,
                write: false,
                exec: true,
            },
        }],
        symbols: Vec::new(),
    };
    let err = run(&p, &[], &RunConfig::default()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("compressed instruction") && message.contains("-march=rv32im"),
        "{message}"
    );
}
