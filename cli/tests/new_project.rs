//! `zkvm new` → `zkvm build` → `zkvm prove` → `zkvm verify`, and guests that sit below a
//! directory whose `rust-toolchain.toml` pins a toolchain without the RV32IM target.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::zkvm;

/// `zkvm build DIR`'s ELF path.
fn build(dir: &Path) -> String {
    let (code, out, err) = zkvm(&["build", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "zkvm build {}: {err}", dir.display());
    out.trim().to_string()
}

/// fib(20) as the guest prints it, byte for byte.
fn fib20(out: &[u8]) -> bool {
    out == b"6765\n"
}

/// Run `zkvm args…` with `stdin` piped in: exit code and stdout.
fn zkvm_with_stdin(args: &[&str], stdin: &[u8]) -> (i32, Vec<u8>) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_zkvm"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("zkvm starts");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().expect("zkvm runs");
    (out.status.code().unwrap_or(-1), out.stdout)
}

#[test]
fn a_new_project_builds_runs_proves_and_verifies() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A parent directory pinning a toolchain that does not exist: the guest must not inherit it.
    std::fs::write(
        dir.path().join("rust-toolchain.toml"),
        "[toolchain]\nchannel = \"0.0.1-no-such-toolchain\"\n",
    )
    .unwrap();
    let project = dir.path().join("hello-guest");
    let (code, _, err) = zkvm(&["new", project.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let elf = build(&project);
    let (code, out) = zkvm_with_stdin(&["run", &elf], b"20\n");
    assert!(code == 0 && fib20(&out), "{code} {out:?}");
    let proof = dir.path().join("hello.proof");
    let proof = proof.to_str().unwrap();
    // prove and verify take the project directory as well as the ELF (the crate is built).
    let dir_arg = project.to_str().unwrap();
    let (code, out) = zkvm_with_stdin(&["prove", dir_arg, "-o", proof], b"20\n");
    assert!(code == 0 && fib20(&out), "{code} {out:?}");
    let (code, out) = zkvm_with_stdin(&["verify", &elf, proof], b"");
    assert!(code == 0 && fib20(&out), "{code} {out:?}");
    let (code, out) = zkvm_with_stdin(&["verify", dir_arg, proof], b"");
    assert!(code == 0 && fib20(&out), "{code} {out:?}");

    // Without its own toolchain file, the guest builds with stable, not the parent's pin.
    std::fs::remove_file(project.join("rust-toolchain.toml")).unwrap();
    build(&project);

    // An existing directory and a bad crate name are refused, naming them.
    let (code, _, err) = zkvm(&["new", project.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    let bad = dir.path().join("9lives");
    let (code, _, err) = zkvm(&["new", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("`9lives` is not a crate name"), "{err}");
}
