//! Building a Rust guest crate into an RV32IM ELF (`zkvm build`).
//!
//! Runs `cargo build --release --target riscv32im-unknown-none-elf` in the guest's directory
//! with the guest's own target directory (`GUEST_DIR/target`), never the host workspace's, and
//! links with the guest SDK's linker script (`-Tlink.x`, found on the search path the SDK's
//! build script sets). The toolchain is the guest crate's own (its `rust-toolchain.toml`), else
//! `stable`, wherever the crate sits: a toolchain file in a directory above it (such as this
//! repository's pinned host toolchain, for which no RV32IM standard library is published) does
//! not apply.
//!
//! The guest's standard library (`core`, `alloc`) comes prebuilt when rustup has the target's
//! `rust-std` (installed, or installable with `rustup target add`, which we try and say so).
//! Where rustup's distribution does not publish it for the toolchain, we build `core` and
//! `alloc` from the toolchain's own sources (the `rust-src` component, installed if missing):
//! cargo's `-Z build-std`, allowed on a stable compiler by `RUSTC_BOOTSTRAP=1` for the guest
//! build only. Both give the same library from the same compiler.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use thiserror::Error;

/// The Rust target every guest is compiled for.
pub const GUEST_TARGET: &str = "riscv32im-unknown-none-elf";

/// Rust flags for guests: link with the SDK's linker script.
pub const GUEST_RUSTFLAGS: &str = "-Clink-arg=-Tlink.x";

/// Why a guest build failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The directory has no `Cargo.toml`.
    #[error("{0}: no Cargo.toml here; give the guest crate's directory")]
    NotACrate(PathBuf),
    /// The directory could not be resolved.
    #[error("{path}: {error}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        error: std::io::Error,
    },
    /// A tool could not be started.
    #[error("cannot run `{tool}`: {error}")]
    Spawn {
        /// The program.
        tool: String,
        /// The error.
        error: std::io::Error,
    },
    /// Neither the prebuilt standard library nor its sources could be installed.
    #[error(
        "the guest's toolchain (its own rust-toolchain.toml, else `{GUEST_TOOLCHAIN}`) has no \
         {GUEST_TARGET} standard library and rustup could install neither the target nor the \
         `rust-src` component ({0}); run `rustup component add rust-src` or `rustup target add \
         {GUEST_TARGET}` by hand for that toolchain"
    )]
    TargetInstall(String),
    /// cargo failed (its diagnostics were shown on stderr).
    #[error("cargo build failed for {dir} ({status})")]
    Cargo {
        /// The guest directory.
        dir: PathBuf,
        /// Exit status.
        status: String,
    },
    /// cargo succeeded but produced no executable.
    #[error("cargo built no executable in {0}; is the guest a binary crate?")]
    NoExecutable(PathBuf),
}

/// The active toolchain's sysroot in `dir`.
fn sysroot(dir: &Path) -> Result<PathBuf, BuildError> {
    let out = toolchain_command("rustc", dir)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|error| BuildError::Spawn {
            tool: "rustc".into(),
            error,
        })?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// Whether the active toolchain in `dir` has the guest target's prebuilt standard library.
pub fn target_installed(dir: &Path) -> Result<bool, BuildError> {
    Ok(sysroot(dir)?
        .join("lib/rustlib")
        .join(GUEST_TARGET)
        .join("lib")
        .is_dir())
}

/// Whether the active toolchain in `dir` has the standard library's sources (`rust-src`).
fn sources_installed(dir: &Path) -> Result<bool, BuildError> {
    Ok(sysroot(dir)?
        .join("lib/rustlib/src/rust/library/core")
        .is_dir())
}

/// The toolchain guests build with unless their crate names one: `stable`, for which rustup
/// publishes the RV32IM standard library (a pinned host toolchain may have none).
pub const GUEST_TOOLCHAIN: &str = "stable";

/// A rustup-proxied tool run in the guest's directory, with the guest's toolchain: the one its
/// own `rust-toolchain.toml` (or `rust-toolchain`) names, else [`GUEST_TOOLCHAIN`] — never one
/// inherited from a directory above the guest, nor the toolchain of a host `cargo` running us
/// (`RUSTUP_TOOLCHAIN`, or `$CARGO` pointing at one toolchain's binary).
fn toolchain_command(tool: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(tool);
    cmd.current_dir(dir)
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("CARGO");
    let own = ["rust-toolchain.toml", "rust-toolchain"]
        .iter()
        .any(|f| dir.join(f).is_file());
    if !own {
        cmd.env("RUSTUP_TOOLCHAIN", GUEST_TOOLCHAIN);
    }
    cmd
}

/// Where a guest's `core` and `alloc` come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdLibrary {
    /// rustup's prebuilt `rust-std` for the target.
    Prebuilt,
    /// Built with the guest from the toolchain's `rust-src` (`-Z build-std`).
    FromSource,
}

/// `rustup ARGS…` for the guest's toolchain; its output is kept for the error, not shown.
fn rustup(dir: &Path, args: &[&str]) -> Result<Result<(), String>, BuildError> {
    let out = toolchain_command("rustup", dir)
        .args(args)
        .output()
        .map_err(|error| BuildError::Spawn {
            tool: "rustup".into(),
            error,
        })?;
    if out.status.success() {
        return Ok(Ok(()));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Ok(Err(format!(
        "`rustup {}`: {}",
        args.join(" "),
        first.trim()
    )))
}

/// Make the guest's standard library available: the prebuilt target if installed or
/// installable, else the sources to build it from. `log` receives a line for each install.
pub fn ensure_std_library(dir: &Path, log: &mut dyn FnMut(&str)) -> Result<StdLibrary, BuildError> {
    if target_installed(dir)? {
        return Ok(StdLibrary::Prebuilt);
    }
    log(&format!(
        "the {GUEST_TARGET} target is not installed; installing it with `rustup target add {GUEST_TARGET}`"
    ));
    let target_error = match rustup(dir, &["target", "add", GUEST_TARGET])? {
        Ok(()) => return Ok(StdLibrary::Prebuilt),
        Err(e) => e,
    };
    log(&format!(
        "rustup has no prebuilt {GUEST_TARGET} library for this toolchain; building core and \
         alloc from the toolchain's sources instead"
    ));
    if !sources_installed(dir)? {
        log("installing the sources with `rustup component add rust-src`");
        if let Err(src_error) = rustup(dir, &["component", "add", "rust-src"])? {
            return Err(BuildError::TargetInstall(format!(
                "{target_error}; {src_error}"
            )));
        }
    }
    Ok(StdLibrary::FromSource)
}

/// Build the guest crate in `dir` in release mode and return the ELF's path. cargo's own
/// progress and diagnostics go to this process's stderr; `log` receives our messages.
pub fn build_guest(dir: &Path, log: &mut dyn FnMut(&str)) -> Result<PathBuf, BuildError> {
    if !dir.join("Cargo.toml").is_file() {
        return Err(BuildError::NotACrate(dir.to_path_buf()));
    }
    let dir = &dir.canonicalize().map_err(|error| BuildError::Io {
        path: dir.to_path_buf(),
        error,
    })?;
    let std_library = ensure_std_library(dir, log)?;
    let target_dir = dir.join("target");
    let mut cmd = toolchain_command("cargo", dir);
    cmd.args(["build", "--release", "--target", GUEST_TARGET]);
    if std_library == StdLibrary::FromSource {
        // `compiler-builtins-mem`: memcpy and friends, which the prebuilt library has too.
        cmd.args([
            "-Z",
            "build-std=core,alloc",
            "-Z",
            "build-std-features=compiler-builtins-mem",
        ])
        .env("RUSTC_BOOTSTRAP", "1");
    }
    cmd.arg("--target-dir")
        .arg(&target_dir)
        .arg("--message-format=json-render-diagnostics")
        .current_dir(dir)
        // The host build's settings must not leak into the guest build.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env("CARGO_ENCODED_RUSTFLAGS", GUEST_RUSTFLAGS)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = cmd.spawn().map_err(|error| BuildError::Spawn {
        tool: "cargo".into(),
        error,
    })?;
    let mut elf = None;
    if let Some(out) = child.stdout.take() {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if msg["reason"] == "compiler-artifact" {
                if let Some(exe) = msg["executable"].as_str() {
                    elf = Some(PathBuf::from(exe));
                }
            }
        }
    }
    let status = child.wait().map_err(|error| BuildError::Spawn {
        tool: "cargo".into(),
        error,
    })?;
    if !status.success() {
        return Err(BuildError::Cargo {
            dir: dir.to_path_buf(),
            status: status.to_string(),
        });
    }
    elf.ok_or_else(|| BuildError::NoExecutable(dir.to_path_buf()))
}
