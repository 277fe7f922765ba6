//! Loading static RV32 ELF executables into a [`Program`].

use goblin::elf::{header, program_header, Elf};
use thiserror::Error;

use crate::instruction::{decode, Instruction};

/// The largest span of guest memory (lowest to highest loaded address) a program may have.
/// The interpreter backs the whole span with one flat, lazily zeroed allocation.
pub const MAX_SPAN: u64 = 1 << 30;

/// Why an ELF file was rejected.
#[derive(Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ElfError {
    /// The file is shorter than an ELF header or a table it declares.
    #[error("truncated ELF file: {0}")]
    Truncated(String),
    /// The file is not an ELF file or goblin could not parse it.
    #[error("not a valid ELF file: {0}")]
    Malformed(String),
    /// A 64-bit ELF.
    #[error("64-bit ELF: an RV32 executable (ELFCLASS32) is required")]
    Not32Bit,
    /// A big-endian ELF.
    #[error("big-endian ELF: RISC-V executables are little-endian")]
    BigEndian,
    /// Another machine than RISC-V.
    #[error("ELF machine is {machine} ({name}), not RISC-V (243)")]
    WrongMachine {
        /// `e_machine`.
        machine: u16,
        /// Its name.
        name: &'static str,
    },
    /// Not an executable (`ET_EXEC`).
    #[error("ELF type {0} is not an executable (ET_EXEC); link the program statically")]
    NotExecutable(u16),
    /// No loadable segment.
    #[error("the ELF file has no loadable segment")]
    NoSegments,
    /// A segment's file bytes are outside the file.
    #[error(
        "segment {index} file range {offset:#x}+{size:#x} is outside the file ({file_len} bytes)"
    )]
    SegmentOutsideFile {
        /// Program header index.
        index: usize,
        /// `p_offset`.
        offset: u64,
        /// `p_filesz`.
        size: u64,
        /// The file length.
        file_len: usize,
    },
    /// A segment's file size exceeds its memory size.
    #[error("segment {index}: file size {filesz:#x} exceeds memory size {memsz:#x}")]
    FileSizeExceedsMemSize {
        /// Program header index.
        index: usize,
        /// `p_filesz`.
        filesz: u64,
        /// `p_memsz`.
        memsz: u64,
    },
    /// A segment does not fit in the 32-bit address space.
    #[error("segment {index} at {vaddr:#x}+{memsz:#x} is outside the 32-bit address space")]
    OutsideAddressSpace {
        /// Program header index.
        index: usize,
        /// `p_vaddr`.
        vaddr: u64,
        /// `p_memsz`.
        memsz: u64,
    },
    /// Two segments overlap.
    #[error("segments overlap: [{a_start:#x}, {a_end:#x}) and [{b_start:#x}, {b_end:#x})")]
    Overlap {
        /// First segment start.
        a_start: u64,
        /// First segment end.
        a_end: u64,
        /// Second segment start.
        b_start: u64,
        /// Second segment end.
        b_end: u64,
    },
    /// The loaded segments span too much memory.
    #[error("the segments span {span:#x} bytes, more than the supported {max:#x}")]
    SpanTooLarge {
        /// Highest end minus lowest start.
        span: u64,
        /// [`MAX_SPAN`].
        max: u64,
    },
    /// The entry point is not inside an executable segment, or is misaligned.
    #[error("entry point {0:#x} is not a 4-byte aligned address inside an executable segment")]
    BadEntry(u64),
    /// The ELF header says the code uses compressed instructions.
    #[error(
        "the program was built with the C extension (compressed instructions, ELF flag \
         EF_RISCV_RVC), which zkvm does not run: rebuild for RV32IM (gcc/clang: \
         -march=rv32im -mabi=ilp32; Rust: --target riscv32im-unknown-none-elf)"
    )]
    CompressedInstructions,
}

/// The size of the stack the loader gives every ELF program, in bytes.
pub const STACK_SIZE: u32 = 256 << 10;

/// The gap left unmapped between the highest segment and the stack, in bytes: a store that
/// overflows the stack faults there instead of overwriting the program's data.
pub const STACK_GUARD: u32 = 4 << 10;

/// The stack the loader places above the program, as Linux's RV32 ABI sets it up for a static
/// executable: `sp` 16-byte aligned, pointing at `argc` = 0, followed by a null `argv`
/// terminator, a null `envp` terminator and an `AT_NULL` auxiliary-vector entry (all zero, as
/// the fresh stack is). Returns the stack segment and the initial `sp`, or `None` when the
/// program leaves no room below 4 GiB.
fn loader_stack(segments: &[Segment]) -> Option<(Segment, u32)> {
    let top_of_program = segments.iter().map(Segment::end).max()?;
    let bottom = top_of_program.next_multiple_of(1 << 12) + u64::from(STACK_GUARD);
    let top = bottom + u64::from(STACK_SIZE);
    if top > 1 << 32 {
        return None;
    }
    // argc, argv[0] = NULL, envp[0] = NULL, auxv[0] = (AT_NULL, 0): five zero words.
    let sp = (top - 5 * 4) & !15;
    let stack = Segment {
        vaddr: bottom as u32,
        mem_size: STACK_SIZE,
        data: Vec::new(),
        flags: Flags {
            read: true,
            write: true,
            exec: false,
        },
    };
    Some((stack, sp as u32))
}

/// Permissions of a segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Flags {
    /// Readable.
    pub read: bool,
    /// Writable.
    pub write: bool,
    /// Executable.
    pub exec: bool,
}

/// log2 of the granularity of write permissions, in bytes.
pub const PAGE_SHIFT: u32 = 8;

/// One loadable segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Start address.
    pub vaddr: u32,
    /// Size in memory; bytes past `data.len()` are zero (bss).
    pub mem_size: u32,
    /// The bytes from the file.
    pub data: Vec<u8>,
    /// Permissions.
    pub flags: Flags,
}

impl Segment {
    /// One past the last address.
    pub fn end(&self) -> u64 {
        u64::from(self.vaddr) + u64::from(self.mem_size)
    }

    /// Whether `addr` lies in the segment.
    pub fn contains(&self, addr: u32) -> bool {
        addr >= self.vaddr && u64::from(addr) < self.end()
    }
}

/// A named address from the symbol table (functions and objects), for disassembly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    /// Address.
    pub addr: u32,
    /// Size in bytes (0 when unknown).
    pub size: u32,
    /// Name.
    pub name: String,
    /// Whether it is a function.
    pub is_func: bool,
}

/// A loaded RV32 program: entry point, initial memory image and stack pointer. The other
/// registers start at 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// The entry point (initial pc).
    pub entry: u32,
    /// The initial `sp` (x2): the top of the loader's stack (see [`load_elf`]), or 0 for a
    /// program built without one.
    pub initial_sp: u32,
    /// Loadable segments, sorted by address, non-overlapping.
    pub segments: Vec<Segment>,
    /// Symbols, sorted by address.
    pub symbols: Vec<Symbol>,
}

impl Program {
    /// Build a program from instructions placed at `base` (executable) and an optional
    /// writable data segment. Used by tests and benchmarks; `entry` is `base`.
    pub fn from_instructions(
        base: u32,
        code: &[Instruction],
        data: Option<(u32, Vec<u8>, u32)>,
    ) -> Program {
        let bytes: Vec<u8> = code.iter().flat_map(|i| i.encode().to_le_bytes()).collect();
        let mut segments = vec![Segment {
            vaddr: base,
            mem_size: bytes.len() as u32,
            data: bytes,
            flags: Flags {
                read: true,
                write: false,
                exec: true,
            },
        }];
        if let Some((vaddr, data, mem_size)) = data {
            segments.push(Segment {
                vaddr,
                mem_size: mem_size.max(data.len() as u32),
                data,
                flags: Flags {
                    read: true,
                    write: true,
                    exec: false,
                },
            });
        }
        segments.sort_by_key(|s| s.vaddr);
        Program {
            entry: base,
            initial_sp: 0,
            segments,
            symbols: Vec::new(),
        }
    }

    /// Lowest loaded address and one past the highest.
    pub fn span(&self) -> (u32, u64) {
        let lo = self.segments.iter().map(|s| s.vaddr).min().unwrap_or(0);
        let hi = self.segments.iter().map(Segment::end).max().unwrap_or(0);
        (lo, hi)
    }

    /// Whether stores are allowed, per [`PAGE_SHIFT`]-sized page of the span (page `k` starts at
    /// `span().0 + k · 2^PAGE_SHIFT`): pages of writable, non-executable segments, except that a
    /// page shared with a read-only or executable segment stays read-only as a whole. The
    /// interpreter enforces this, and the prover binds the same permissions into its proofs.
    pub fn writable_pages(&self) -> Vec<bool> {
        let (lo, hi) = self.span();
        let span = hi.saturating_sub(u64::from(lo)) as usize;
        let pages = span.div_ceil(1 << PAGE_SHIFT);
        let mut writable = vec![false; pages];
        let page_range = |seg: &Segment| {
            let off = (seg.vaddr - lo) as usize;
            let last = (off + seg.mem_size as usize).div_ceil(1 << PAGE_SHIFT);
            (off >> PAGE_SHIFT, last.min(pages))
        };
        for seg in self
            .segments
            .iter()
            .filter(|s| s.flags.write && !s.flags.exec)
        {
            let (first, last) = page_range(seg);
            writable[first..last].iter_mut().for_each(|w| *w = true);
        }
        for seg in self
            .segments
            .iter()
            .filter(|s| !s.flags.write || s.flags.exec)
        {
            let (first, last) = page_range(seg);
            writable[first..last].iter_mut().for_each(|w| *w = false);
        }
        writable
    }

    /// The initial memory image as aligned little-endian words `(address, value)`, covering the
    /// file-backed bytes of every segment; every other address starts at zero. A word shared by
    /// two segments holds the bytes of both.
    pub fn initial_words(&self) -> Vec<(u32, u32)> {
        let mut words: std::collections::BTreeMap<u32, [u8; 4]> = Default::default();
        for seg in &self.segments {
            for (off, byte) in seg.data.iter().enumerate() {
                let a = seg.vaddr.wrapping_add(off as u32);
                words.entry(a & !3).or_default()[(a & 3) as usize] = *byte;
            }
        }
        words
            .into_iter()
            .map(|(a, w)| (a, u32::from_le_bytes(w)))
            .collect()
    }

    /// Every aligned 4-byte word of the executable segments, decoded (`Err` for data or illegal
    /// words): the words the interpreter can fetch (a pc is always a multiple of 4).
    pub fn code(&self) -> Vec<(u32, Result<Instruction, crate::DecodeError>)> {
        let mut out = Vec::new();
        for seg in self.segments.iter().filter(|s| s.flags.exec) {
            let mut addr = (u64::from(seg.vaddr) + 3) & !3;
            while addr + 4 <= seg.end() {
                let off = (addr - u64::from(seg.vaddr)) as usize;
                let mut w = [0u8; 4];
                for (k, b) in w.iter_mut().enumerate() {
                    *b = seg.data.get(off + k).copied().unwrap_or(0);
                }
                out.push((addr as u32, decode(u32::from_le_bytes(w))));
                addr += 4;
            }
        }
        out
    }

    /// The function symbol covering `addr`, if any.
    pub fn symbol_at(&self, addr: u32) -> Option<&Symbol> {
        self.symbols.iter().find(|s| s.addr == addr && s.is_func)
    }
}

fn machine_name(m: u16) -> &'static str {
    match m {
        header::EM_386 => "x86",
        header::EM_X86_64 => "x86-64",
        header::EM_ARM => "ARM",
        header::EM_AARCH64 => "AArch64",
        header::EM_MIPS => "MIPS",
        header::EM_PPC => "PowerPC",
        header::EM_PPC64 => "PowerPC64",
        header::EM_NONE => "none",
        _ => "unknown",
    }
}

/// Parse and check a static RV32 little-endian executable.
///
/// Checks, in order: size and magic, class (32-bit), data encoding (little-endian), machine
/// (RISC-V), type (`ET_EXEC`), each `PT_LOAD` segment (file range inside the file, file size not
/// above memory size, inside the 32-bit address space), segments pairwise disjoint, the whole
/// span at most [`MAX_SPAN`], and the entry point aligned inside an executable segment.
pub fn load_elf(bytes: &[u8]) -> Result<Program, ElfError> {
    // Check the identification bytes ourselves first so the common mistakes get a precise error.
    if bytes.len() < 4 || &bytes[..4] != b"\x7fELF" {
        if bytes.len() < 4 && b"\x7fELF".starts_with(bytes) {
            return Err(ElfError::Truncated(format!("{} bytes", bytes.len())));
        }
        return Err(ElfError::Malformed("missing the \\x7fELF magic".into()));
    }
    if bytes.len() < 6 {
        return Err(ElfError::Truncated(format!("{} bytes", bytes.len())));
    }
    match bytes[header::EI_CLASS] {
        header::ELFCLASS32 => {}
        header::ELFCLASS64 => return Err(ElfError::Not32Bit),
        c => return Err(ElfError::Malformed(format!("unknown ELF class {c}"))),
    }
    match bytes[header::EI_DATA] {
        header::ELFDATA2LSB => {}
        header::ELFDATA2MSB => return Err(ElfError::BigEndian),
        d => return Err(ElfError::Malformed(format!("unknown data encoding {d}"))),
    }
    if bytes.len() < header::header32::SIZEOF_EHDR {
        return Err(ElfError::Truncated(format!(
            "{} bytes, shorter than the 52-byte ELF32 header",
            bytes.len()
        )));
    }
    let machine = u16::from_le_bytes([bytes[18], bytes[19]]);
    if machine != header::EM_RISCV {
        return Err(ElfError::WrongMachine {
            machine,
            name: machine_name(machine),
        });
    }
    let phoff = u64::from(u32::from_le_bytes([
        bytes[28], bytes[29], bytes[30], bytes[31],
    ]));
    let phentsize = u64::from(u16::from_le_bytes([bytes[42], bytes[43]]));
    let phnum = u64::from(u16::from_le_bytes([bytes[44], bytes[45]]));
    if phoff + phentsize * phnum > bytes.len() as u64 {
        return Err(ElfError::Truncated(format!(
            "{phnum} program headers at offset {phoff:#x} end past the file's {} bytes",
            bytes.len()
        )));
    }
    let elf = Elf::parse(bytes).map_err(|e| {
        let msg = e.to_string();
        if ["too short", "too big", "end of", "offset", "bounds"]
            .iter()
            .any(|k| msg.contains(k))
        {
            ElfError::Truncated(msg)
        } else {
            ElfError::Malformed(msg)
        }
    })?;
    if elf.header.e_type != header::ET_EXEC {
        return Err(ElfError::NotExecutable(elf.header.e_type));
    }
    const EF_RISCV_RVC: u32 = 1;
    if elf.header.e_flags & EF_RISCV_RVC != 0 {
        return Err(ElfError::CompressedInstructions);
    }

    let mut segments = Vec::new();
    for (index, ph) in elf.program_headers.iter().enumerate() {
        if ph.p_type != program_header::PT_LOAD || ph.p_memsz == 0 {
            continue;
        }
        if ph.p_filesz > ph.p_memsz {
            return Err(ElfError::FileSizeExceedsMemSize {
                index,
                filesz: ph.p_filesz,
                memsz: ph.p_memsz,
            });
        }
        let file_end = ph.p_offset.checked_add(ph.p_filesz);
        if file_end.is_none_or(|e| e > bytes.len() as u64) {
            return Err(ElfError::SegmentOutsideFile {
                index,
                offset: ph.p_offset,
                size: ph.p_filesz,
                file_len: bytes.len(),
            });
        }
        if ph.p_vaddr + ph.p_memsz > 1 << 32 {
            return Err(ElfError::OutsideAddressSpace {
                index,
                vaddr: ph.p_vaddr,
                memsz: ph.p_memsz,
            });
        }
        let data = bytes[ph.p_offset as usize..(ph.p_offset + ph.p_filesz) as usize].to_vec();
        segments.push(Segment {
            vaddr: ph.p_vaddr as u32,
            mem_size: ph.p_memsz as u32,
            data,
            flags: Flags {
                read: ph.p_flags & program_header::PF_R != 0,
                write: ph.p_flags & program_header::PF_W != 0,
                exec: ph.p_flags & program_header::PF_X != 0,
            },
        });
    }
    if segments.is_empty() {
        return Err(ElfError::NoSegments);
    }
    segments.sort_by_key(|s| s.vaddr);
    for pair in segments.windows(2) {
        if pair[0].end() > u64::from(pair[1].vaddr) {
            return Err(ElfError::Overlap {
                a_start: u64::from(pair[0].vaddr),
                a_end: pair[0].end(),
                b_start: u64::from(pair[1].vaddr),
                b_end: pair[1].end(),
            });
        }
    }
    let initial_sp = match loader_stack(&segments) {
        Some((stack, sp)) => {
            segments.push(stack);
            sp
        }
        None => 0,
    };
    let lo = u64::from(segments[0].vaddr);
    let hi = segments.iter().map(Segment::end).max().unwrap_or(lo);
    if hi - lo > MAX_SPAN {
        return Err(ElfError::SpanTooLarge {
            span: hi - lo,
            max: MAX_SPAN,
        });
    }
    let entry = elf.entry;
    let entry_ok = entry % 4 == 0
        && entry < 1 << 32
        && segments.iter().any(|s| {
            s.flags.exec && s.contains(entry as u32) && u64::from(entry as u32) + 4 <= s.end()
        });
    if !entry_ok {
        return Err(ElfError::BadEntry(entry));
    }

    let in_exec = |a: u64| {
        a < 1 << 32
            && segments
                .iter()
                .any(|s| s.flags.exec && s.contains(a as u32))
    };
    let mut symbols: Vec<Symbol> = elf
        .syms
        .iter()
        .filter_map(|s| {
            use goblin::elf::sym::{STT_FUNC, STT_NOTYPE, STT_OBJECT};
            let ty = s.st_type();
            if ty != STT_FUNC && ty != STT_OBJECT && ty != STT_NOTYPE {
                return None;
            }
            let name = elf.strtab.get_at(s.st_name)?;
            if name.is_empty()
                || name.starts_with('$')
                || name.starts_with(".L")
                || s.st_shndx == 0
                || s.st_shndx == goblin::elf::section_header::SHN_ABS as usize
            {
                return None;
            }
            Some(Symbol {
                addr: s.st_value as u32,
                size: s.st_size as u32,
                name: name.to_string(),
                is_func: ty == STT_FUNC || (ty == STT_NOTYPE && in_exec(s.st_value)),
            })
        })
        .collect();
    symbols.sort_by(|a, b| (a.addr, &a.name).cmp(&(b.addr, &b.name)));

    Ok(Program {
        entry: entry as u32,
        initial_sp,
        segments,
        symbols,
    })
}
