//! Shared helpers of the RISC-V conformance tests: building guests once per run, compiling
//! small C and assembly programs with riscv64-unknown-elf-gcc, and running an ELF both on zkvm
//! and under qemu-riscv32.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

use zkvm_riscv::{load_elf, run, Execution, RunConfig, RunError};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn on_path(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A tool a test needs is missing: with `CI` set (where `.ci/run` installs every tool) that is
/// a failure; elsewhere the test prints a notice and skips that part.
fn missing(test: &str, what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {what} (CI is set: tests may not skip)");
    }
    eprintln!("NOTICE: {test}: {what}; skipping");
}

/// Whether qemu-riscv32 is installed; prints a notice naming `test` when it is not (and fails
/// when `CI` is set).
pub fn have_qemu(test: &str) -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    let have = *HAVE.get_or_init(|| on_path("qemu-riscv32"));
    if !have {
        missing(test, "qemu-riscv32 not found (Debian package qemu-user)");
    }
    have
}

/// Whether riscv64-unknown-elf-gcc is installed; prints a notice naming `test` when it is not
/// (and fails when `CI` is set).
pub fn have_gcc(test: &str) -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    let have = *HAVE.get_or_init(|| on_path("riscv64-unknown-elf-gcc"));
    if !have {
        missing(
            test,
            "riscv64-unknown-elf-gcc not found (Debian package gcc-riscv64-unknown-elf)",
        );
    }
    have
}

/// Build the example guest `name` (once per test run) and return its ELF path.
pub fn guest_elf(name: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let map = BUILT.get_or_init(|| Mutex::new(HashMap::new()));
    // Holding the lock while building serialises cargo invocations, which would contend for
    // the same machine anyway.
    let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(p) = map.get(name) {
        return p.clone();
    }
    let dir = repo_root().join("examples/guests").join(name);
    let elf = zkvm_riscv::build_guest(&dir, &mut |m| eprintln!("{m}"))
        .unwrap_or_else(|e| panic!("building guest {name}: {e}"));
    map.insert(name.to_string(), elf.clone());
    elf
}

/// The outcome of a run under qemu.
#[derive(Debug)]
pub struct QemuRun {
    /// fd 1.
    pub stdout: Vec<u8>,
    /// fd 2.
    pub stderr: Vec<u8>,
    /// Exit code, if it exited.
    pub code: Option<i32>,
    /// Terminating signal, if killed.
    pub signal: Option<i32>,
}

/// Run `elf` under qemu-riscv32 with `input` on stdin.
pub fn qemu(elf: &Path, input: &[u8]) -> QemuRun {
    use std::os::unix::process::ExitStatusExt;
    let mut child = Command::new("qemu-riscv32")
        .arg(elf)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start qemu-riscv32");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // The guest may exit without reading everything.
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for qemu-riscv32");
    let _ = writer.join();
    QemuRun {
        stdout: out.stdout,
        stderr: out.stderr,
        code: out.status.code(),
        signal: out.status.signal(),
    }
}

/// Run `elf` on zkvm with `input`, recording the trace when `trace` is set.
pub fn zkvm(elf: &Path, input: &[u8], trace: bool) -> Result<Execution, RunError> {
    let bytes = std::fs::read(elf).expect("read ELF");
    let program = load_elf(&bytes).unwrap_or_else(|e| panic!("{}: {e}", elf.display()));
    run(
        &program,
        input,
        &RunConfig {
            max_cycles: 1 << 32,
            record_trace: trace,
        },
    )
}

/// Run on both and assert byte-identical stdout and the same exit code; returns zkvm's run.
pub fn differential(elf: &Path, input: &[u8], test: &str) -> Execution {
    let ours = zkvm(elf, input, false).unwrap_or_else(|e| panic!("{test}: zkvm: {e}"));
    if have_qemu(test) {
        let reference = qemu(elf, input);
        assert_eq!(
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&reference.stdout),
            "{test}: stdout differs from qemu-riscv32"
        );
        assert_eq!(ours.stdout, reference.stdout, "{test}: stdout bytes differ");
        assert_eq!(
            Some((ours.exit_code & 0xff) as i32),
            reference.code,
            "{test}: exit code differs from qemu-riscv32 (qemu stderr: {})",
            String::from_utf8_lossy(&reference.stderr)
        );
        assert_eq!(
            ours.stderr, reference.stderr,
            "{test}: debug output differs"
        );
    }
    ours
}

/// Flags for riscv64-unknown-elf-gcc building static RV32IM executables without a libc.
pub const GCC_FLAGS: &[&str] = &[
    "-march=rv32im",
    "-mabi=ilp32",
    "-nostdlib",
    "-static",
    "-ffreestanding",
    "-fno-builtin",
    "-O2",
    // Linker relaxation would turn `la` into gp-relative addressing, which needs gp set up.
    "-mno-relax",
    "-Wl,--no-relax",
];

/// Compile `sources` (file name, text) into `dir/name` with gcc, [`GCC_FLAGS`] and libgcc;
/// panics with gcc's message.
pub fn gcc(dir: &Path, name: &str, sources: &[(&str, &str)]) -> PathBuf {
    gcc_with(GCC_FLAGS, &["-lgcc"], dir, name, sources)
}

/// [`gcc`] with other `flags` (before the sources) and `libs` (after them).
pub fn gcc_with(
    flags: &[&str],
    libs: &[&str],
    dir: &Path,
    name: &str,
    sources: &[(&str, &str)],
) -> PathBuf {
    let mut cmd = Command::new("riscv64-unknown-elf-gcc");
    cmd.args(flags);
    for (file, text) in sources {
        let path = dir.join(file);
        std::fs::write(&path, text).expect("write source");
        cmd.arg(&path);
    }
    let out_path = dir.join(name);
    cmd.args(libs).arg("-o").arg(&out_path);
    let out = cmd.output().expect("run riscv64-unknown-elf-gcc");
    assert!(
        out.status.success(),
        "gcc {name} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out_path
}
