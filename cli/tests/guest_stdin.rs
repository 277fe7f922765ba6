//! An ELF guest's private input: read only when the guest reads, from stdin or `--stdin FILE`,
//! the same for `run` and `prove`.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::zkvm;

/// Assemble `source` into a static RV32IM executable `dir/name` with riscv64-unknown-elf-gcc,
/// or `None` (with a notice) where it is not installed; CI must have it.
fn assemble(dir: &Path, name: &str, source: &str) -> Option<PathBuf> {
    let src = dir.join(format!("{name}.S"));
    std::fs::write(&src, source).expect("write source");
    let elf = dir.join(name);
    let out = Command::new("riscv64-unknown-elf-gcc")
        .args(["-march=rv32im", "-mabi=ilp32", "-nostdlib", "-static", "-o"])
        .arg(&elf)
        .arg(&src)
        .output();
    match out {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(elf)
        }
        Err(_) if std::env::var_os("CI").is_none() => {
            eprintln!("NOTICE: riscv64-unknown-elf-gcc is not installed; test skipped");
            None
        }
        Err(e) => panic!("riscv64-unknown-elf-gcc is required in CI: {e}"),
    }
}

/// `exit(7)` without reading anything.
const NO_READ: &str = "    .globl _start\n_start:\n    li a0, 7\n    li a7, 93\n    ecall\n";

/// Sum the input as little-endian words, read 4 bytes at a time into a word on the stack the
/// loader provides, write the sum (4 bytes) and exit 0.
const SUM_INPUT: &str = r#"
    .globl _start
_start:
    addi sp, sp, -16
    li s0, 0
1:  sw zero, 0(sp)
    li a0, 0
    mv a1, sp
    li a2, 4
    li a7, 63
    ecall
    beqz a0, 2f
    lw t0, 0(sp)
    add s0, s0, t0
    j 1b
2:  sw s0, 0(sp)
    li a0, 1
    mv a1, sp
    li a2, 4
    li a7, 64
    ecall
    li a0, 0
    li a7, 93
    ecall
"#;

#[test]
fn a_guest_that_never_reads_does_not_wait_for_stdin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(elf) = assemble(dir.path(), "no_read", NO_READ) else {
        return;
    };
    // Our stdin stays open and empty, as a terminal would: the run must end on its own.
    let mut child = Command::new(env!("CARGO_BIN_EXE_zkvm"))
        .arg("run")
        .arg(&elf)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zkvm starts");
    let _open_stdin = child.stdin.take();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().expect("kill");
            panic!("`zkvm run` waited for stdin although the guest never reads it");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(7));
}

#[test]
fn stdin_from_a_file_or_a_pipe_feeds_run_and_prove_alike() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(elf) = assemble(dir.path(), "sum", SUM_INPUT) else {
        return;
    };
    let elf = elf.to_str().expect("utf-8 path");
    // 1 + 2 + 3 as words, and a last, short word 4.
    let input: Vec<u8> = [1u32, 2, 3]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .chain([4])
        .collect();
    let file = dir.path().join("input.bin");
    std::fs::write(&file, &input).expect("write");
    let file = file.to_str().expect("utf-8 path");
    let expected = 10u32.to_le_bytes();

    let out = Command::new(env!("CARGO_BIN_EXE_zkvm"))
        .args(["run", elf])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().expect("stdin").write_all(&input)?;
            child.wait_with_output()
        })
        .expect("zkvm runs");
    assert_eq!(
        (out.status.code(), out.stdout.as_slice()),
        (Some(0), &expected[..])
    );

    let from_file = Command::new(env!("CARGO_BIN_EXE_zkvm"))
        .args(["run", elf, "--stdin", file])
        .output()
        .expect("zkvm runs");
    assert_eq!(from_file.stdout, expected);

    let proof = dir.path().join("sum.proof");
    let proof = proof.to_str().expect("utf-8 path");
    let (code, _, err) = zkvm(&["prove", elf, "--stdin", file, "-o", proof]);
    assert_eq!(code, 0, "{err}");
    let verified = Command::new(env!("CARGO_BIN_EXE_zkvm"))
        .args(["verify", elf, proof])
        .output()
        .expect("zkvm runs");
    assert_eq!(verified.status.code(), Some(0));
    assert_eq!(verified.stdout, expected);

    // --stdin names its file when it cannot be opened, and is refused for zasm programs.
    let (code, _, err) = zkvm(&["run", elf, "--stdin", "/nonexistent/input"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--stdin") && err.contains("/nonexistent/input"),
        "{err}"
    );
    let (code, _, err) = zkvm(&["run", "examples/zasm/sum.zasm", "--stdin", file]);
    assert_eq!(code, 2, "a usage error");
    assert!(err.contains("--stdin is for ELF guests"), "{err}");
}
