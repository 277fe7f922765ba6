//! `zkvm new NAME`: a guest project that builds, runs and proves at once.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

/// Arguments of `zkvm new`.
#[derive(Args)]
pub struct NewArgs {
    /// The directory to create; its last component names the crate.
    pub path: PathBuf,
}

/// The guest SDK in this checkout, which the new project depends on by path.
fn sdk_dir() -> anyhow::Result<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../stdlib/guest");
    dir.canonicalize().with_context(|| {
        format!(
            "the guest SDK is not at {} (this zkvm was built from a checkout that has moved)",
            dir.display()
        )
    })
}

/// The new project's `src/main.rs`: the example guest `fib`, so that the template is built and
/// tested with the examples.
const MAIN_RS: &str = include_str!("../../examples/guests/fib/src/main.rs");

const TOOLCHAIN: &str = r#"# Guests build with stable: `zkvm build` uses rustup's prebuilt RV32IM library where it is
# published, else builds core and alloc from the toolchain's sources (rust-src).
[toolchain]
channel = "stable"
components = ["rust-src"]
profile = "minimal"
"#;

const CARGO_CONFIG: &str = r#"# Lets a plain `cargo build --release` build the guest as `zkvm build` does where the
# prebuilt RV32IM library is installed (`zkvm build` also works without it).
[build]
target = "riscv32im-unknown-none-elf"

[target.riscv32im-unknown-none-elf]
rustflags = ["-C", "link-arg=-Tlink.x"]
"#;

fn cargo_toml(name: &str, sdk: &Path) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
# Add `features = ["serde"]` for typed input and output (`read_value`, `commit_value`).
zkvm-guest = {{ path = "{}" }}

# A guest is its own workspace.
[workspace]

[profile.release]
panic = "abort"
opt-level = 3
codegen-units = 1
lto = true
"#,
        sdk.display()
    )
}

fn readme(name: &str) -> String {
    format!(
        "# {name}\n\nA zkvm RV32IM guest (`src/main.rs`).\n\n```sh\n\
         zkvm build .                         # prints the ELF's path\n\
         echo 20 | zkvm run $(zkvm build .)   # 6765\n\
         echo 20 | zkvm prove $(zkvm build .) -o {name}.proof\n\
         zkvm verify $(zkvm build .) {name}.proof\n```\n"
    )
}

/// A crate name cargo accepts: ASCII letters, digits, `-` and `_`, not starting with a digit.
fn crate_name(path: &Path) -> anyhow::Result<String> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("{}: no directory name to name the crate", path.display()))?;
    let ok = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    anyhow::ensure!(
        ok,
        "`{name}` is not a crate name: use ASCII letters, digits, `-` and `_`, not starting with a digit"
    );
    Ok(name.to_string())
}

/// `zkvm new`.
pub fn new(args: &NewArgs) -> anyhow::Result<u8> {
    let name = crate_name(&args.path)?;
    anyhow::ensure!(
        !args.path.exists(),
        "{} already exists; give a new directory",
        args.path.display()
    );
    let sdk = sdk_dir()?;
    let files: [(&str, String); 6] = [
        ("Cargo.toml", cargo_toml(&name, &sdk)),
        ("rust-toolchain.toml", TOOLCHAIN.into()),
        (".cargo/config.toml", CARGO_CONFIG.into()),
        ("src/main.rs", MAIN_RS.into()),
        (".gitignore", "/target\n*.proof\n".into()),
        ("README.md", readme(&name)),
    ];
    for (file, text) in files {
        let path = args.path.join(file);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "created the guest `{name}` in {}; next: `echo 20 | zkvm prove $(zkvm build {})`",
        args.path.display(),
        args.path.display()
    );
    Ok(0)
}
