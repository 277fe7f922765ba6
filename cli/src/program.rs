//! Recognising what kind of program a PROGRAM argument names.

use std::io::Read;
use std::path::Path;

use anyhow::Context;

/// The kinds of program the command line accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// zasm assembly source, assembled on the fly.
    ZasmSource,
    /// An assembled zasm program.
    ZasmBinary,
    /// An RV32IM ELF executable.
    Elf,
}

/// Decide the kind from the file's first bytes (ELF magic) and then its extension.
pub fn detect(path: &Path) -> anyhow::Result<Kind> {
    let mut magic = [0u8; 4];
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let n = file
        .read(&mut magic)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if n == 4 && magic == *b"\x7fELF" {
        return Ok(Kind::Elf);
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("zasm") => Ok(Kind::ZasmSource),
        Some("zbin") => Ok(Kind::ZasmBinary),
        _ => anyhow::bail!(
            "{}: not a .zasm source, a .zbin program or an ELF executable",
            path.display()
        ),
    }
}
