//! `zkvm asm`, and `disasm`/`run` for zasm programs.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::RunArgs;

/// Arguments of `zkvm asm`.
#[derive(Args)]
pub struct AsmArgs {
    /// The .zasm source file.
    pub source: PathBuf,
    /// Output file (default: the source with the extension .zbin).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `zkvm asm`.
pub fn asm(args: &AsmArgs) -> anyhow::Result<u8> {
    anyhow::bail!(
        "zkvm asm {}: the assembler is not built yet",
        args.source.display()
    )
}

/// `zkvm disasm` for zasm programs.
pub fn disasm(path: &Path) -> anyhow::Result<u8> {
    anyhow::bail!("zkvm disasm {}: not built yet", path.display())
}

/// `zkvm run` for zasm programs.
pub fn run(args: &RunArgs) -> anyhow::Result<u8> {
    anyhow::bail!(
        "zkvm run {}: the zasm VM is not built yet",
        args.program.display()
    )
}
