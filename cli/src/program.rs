//! Recognising what kind of program a PROGRAM argument names.

use std::io::Read;
use std::path::{Path, PathBuf};

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

/// A PROGRAM argument as a file to load: a Rust guest crate (a directory with a `Cargo.toml`)
/// is built first and its ELF returned; any other path is returned as it is.
pub fn resolve(path: &Path) -> anyhow::Result<PathBuf> {
    if !path.is_dir() {
        return Ok(path.to_path_buf());
    }
    eprintln!("zkvm: building guest {} ...", path.display());
    zkvm_riscv::build_guest(path, &mut |m| eprintln!("zkvm: {m}"))
        .with_context(|| format!("cannot build the guest {}", path.display()))
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

/// An ELF guest's private input: the file `--stdin` names, or our stdin. Either is read only
/// when the guest reads, so a guest that never reads does not wait for a terminal; on a
/// terminal the first read says what it waits for.
pub fn guest_input(stdin_file: Option<&Path>) -> anyhow::Result<zkvm_riscv::Input<'static>> {
    Ok(match stdin_file {
        Some(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("--stdin: cannot open {}", path.display()))?;
            zkvm_riscv::Input::reader(std::io::BufReader::new(file))
        }
        None => zkvm_riscv::Input::reader(Terminal { told: false }),
    })
}

/// Our stdin, with a hint on a terminal before the first read blocks.
struct Terminal {
    told: bool,
}

impl Read for Terminal {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::io::IsTerminal;
        if !self.told && std::io::stdin().is_terminal() {
            eprintln!("zkvm: the guest reads its private input from stdin; type it and end with Ctrl-D (or pass --stdin FILE)");
        }
        self.told = true;
        std::io::stdin().read(buf)
    }
}

/// After `zkvm run`: warn when `zkvm prove` could not prove a run of `cycles` rows here — past
/// the prover's size limit, or needing more memory than this machine has available.
pub fn warn_if_unprovable(isa: &'static str, cycles: u64) {
    use zkvm_prover::pipeline::{check_memory, MAX_LOG_SIZE};
    if cycles > 1 << MAX_LOG_SIZE {
        eprintln!(
            "zkvm run: warning: {cycles} cycles exceed the prover's limit of 2^{MAX_LOG_SIZE} rows; \
             `zkvm prove` will refuse this run"
        );
    } else if let Err(e) = check_memory(isa, cycles) {
        eprintln!("zkvm run: warning: `zkvm prove` would refuse this run here: {e}");
    }
}
