//! `zkvm build`, and `disasm`/`run` for RV32IM ELF programs.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::RunArgs;

/// Arguments of `zkvm build`.
#[derive(Args)]
pub struct BuildArgs {
    /// The guest crate's directory.
    pub guest_dir: PathBuf,
}

/// `zkvm build`.
pub fn build(args: &BuildArgs) -> anyhow::Result<u8> {
    anyhow::bail!("zkvm build {}: not built yet", args.guest_dir.display())
}

/// `zkvm disasm` for ELF files.
pub fn disasm(path: &Path) -> anyhow::Result<u8> {
    anyhow::bail!("zkvm disasm {}: not built yet", path.display())
}

/// `zkvm run` for ELF files.
pub fn run(args: &RunArgs) -> anyhow::Result<u8> {
    anyhow::bail!(
        "zkvm run {}: the RISC-V frontend is not built yet",
        args.program.display()
    )
}
