//! The same algorithm written in zasm and as a Rust guest on RV32IM gives the same public output
//! (zasm prints field elements, the guests decimal or hex text: both are decoded to integers).
//! One module per algorithm of the benchmark suite; this file holds the shared helpers.

mod matmul;
mod matmul_u32;
mod mimc;
mod sha256;
mod sort;
mod u256mul;

use std::path::{Path, PathBuf};

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn zasm(file: &str, inputs: &[u64]) -> Vec<Fr> {
    let inputs: Vec<Fr> = inputs.iter().map(|v| Fr::from(*v)).collect();
    zasm_fr(file, &inputs)
}

/// [`zasm`] with field-element inputs (values beyond `u64`).
pub fn zasm_fr(file: &str, inputs: &[Fr]) -> Vec<Fr> {
    let program = zkvm_assembler::assemble_file(&root().join(file))
        .unwrap_or_else(|d| panic!("{file}: {}", d.render()));
    zkvm_vm::run(&program, inputs, &zkvm_vm::RunConfig::default())
        .unwrap_or_else(|e| panic!("{file}: {e}"))
        .output
}

/// The guest's public output bytes for the private input `input` (the guest must exit with 0).
pub fn guest_bytes(name: &str, input: &[u8]) -> Vec<u8> {
    let dir = root().join("examples/guests").join(name);
    let elf = zkvm_riscv::build_guest(&dir, &mut |m| eprintln!("{m}"))
        .unwrap_or_else(|e| panic!("building {name}: {e}"));
    let program = zkvm_riscv::load_elf(&std::fs::read(elf).expect("read")).expect("ELF");
    let exec = zkvm_riscv::run(&program, input, &zkvm_riscv::RunConfig::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(exec.exit_code, 0, "{name}");
    exec.stdout
}

/// The guest's public output as text.
pub fn guest(name: &str, input: &str) -> String {
    String::from_utf8(guest_bytes(name, input.as_bytes())).expect("text")
}

pub fn hex(v: &Fr) -> String {
    let bytes = v.into_bigint().to_bytes_be();
    format!(
        "0x{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

#[test]
fn fib_agrees() {
    for n in [0u64, 1, 10, 30, 90] {
        let field = zasm("examples/zasm/fib.zasm", &[n]);
        let text = guest("fib", &n.to_string());
        assert_eq!(
            text,
            format!("{}\n", zkvm_isa::fmt_fr(&field[0])),
            "fib({n})"
        );
    }
}

#[test]
fn factorial_mod_p_agrees() {
    for n in [0u64, 5, 20, 50] {
        let field = zasm("examples/zasm/factorial.zasm", &[n]);
        let text = guest("factorial", &n.to_string());
        assert_eq!(text, format!("{}\n", hex(&field[0])), "{n}!");
    }
}
