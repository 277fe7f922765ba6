//! Puts the linker script `link.x` on the linker search path of every crate that depends on
//! this SDK; the guest links with `-Tlink.x` (set by `zkvm build`, or by the guest's
//! `.cargo/config.toml` for a plain `cargo build`).

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::copy("link.x", out.join("link.x")).expect("copy link.x to OUT_DIR");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=link.x");
    println!("cargo:rerun-if-changed=build.rs");
}
