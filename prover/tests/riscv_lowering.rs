//! RV32IM lowering: real runs lower to witnesses that satisfy every constraint, lookup and memory
//! check (`finish_witness`), and a tampered result is rejected by the debug checker, naming the
//! constraint of its instruction group.
//!
//! The hand-written programs are assembled with `riscv64-unknown-elf-gcc` at run time (skipped
//! with a printed notice when it is absent, and failing when `CI` is set); the fib guest is
//! built with the guest builder.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use ark_bn254::Fr;
use ark_ff::One;
use zkvm_prover::lower::riscv::{lower, machine, public_output_bytes};
use zkvm_prover::lower::{LowerError, Witness};
use zkvm_prover::machine::{Machine, PublicValues};
use zkvm_prover::poly::small_value;
use zkvm_prover::r1cs::{R1csError, UniformR1cs};
use zkvm_riscv::{load_elf, run, Program, RunConfig};

const GCC: &str = "riscv64-unknown-elf-gcc";

/// Output macro and entry shared by the assembly tests: `OUT reg` appends `reg` to the public
/// output through an aligned buffer (clobbers a0, a1, a2, a7, t6).
const PRELUDE: &str = r#"
    .option norelax
    .macro OUT reg
    la t6, outbuf
    sw \reg, 0(t6)
    li a0, 1
    mv a1, t6
    li a2, 4
    li a7, 64
    ecall
    .endm
    .macro EXIT code
    li a0, \code
    li a7, 93
    ecall
    .endm
    .data
    .balign 4
outbuf: .word 0
scratch: .word 0x80ff7f01, 0xdeadbeef, 0, 0
    .text
    .globl _start
_start:
"#;

/// A missing tool: a failure with `CI` set (`.ci/run` installs them), else a notice.
fn skip(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} (CI is set: tests may not skip)");
    }
    eprintln!("notice: {what}; skipping");
}

fn tmp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zkvm-riscv-lowering-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Assemble `body` (after the prelude) into a program, or `None` (with a notice) without gcc.
fn assemble(name: &str, body: &str) -> Option<Program> {
    if Command::new(GCC).arg("--version").output().is_err() {
        skip(&format!("{GCC} not found; the assembled program `{name}`"));
        return None;
    }
    let dir = tmp_dir();
    let src = dir.join(format!("{name}.S"));
    let elf = dir.join(format!("{name}.elf"));
    std::fs::write(&src, format!("{PRELUDE}{body}")).expect("write source");
    let out = Command::new(GCC)
        .args(["-march=rv32im", "-mabi=ilp32", "-nostdlib", "-static", "-o"])
        .arg(&elf)
        .arg(&src)
        .output()
        .expect("run gcc");
    assert!(
        out.status.success(),
        "gcc failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(load_elf(&std::fs::read(&elf).expect("read elf")).expect("load elf"))
}

struct Lowered {
    machine: Machine,
    public: PublicValues,
    witness: Witness,
    stdout: Vec<u8>,
}

fn run_and_lower(program: &Program, input: &[u8]) -> Result<Lowered, LowerError> {
    let exec = run(
        program,
        input,
        &RunConfig {
            max_cycles: 1 << 22,
            record_trace: true,
        },
    )
    .expect("the program runs");
    let public = PublicValues {
        output: public_output_bytes(&exec.stdout),
        exit_code: exec.exit_code,
        shard: None,
    };
    let trace = exec.trace.expect("trace");
    let (machine, witness) = lower(program, &trace, &public)?;
    Ok(Lowered {
        machine,
        public,
        witness,
        stdout: exec.stdout,
    })
}

impl Lowered {
    /// The constraint system with the run's public values bound.
    fn r1cs(&self) -> UniformR1cs {
        self.public.bind(&self.machine).expect("bound")
    }
}

fn col(m: &Machine, name: &str) -> usize {
    m.column_names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn words(stdout: &[u8]) -> Vec<u32> {
    stdout
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// Rows whose bytecode flag `flag` is set.
fn rows_with(l: &Lowered, flag: &str) -> Vec<usize> {
    let c = col(&l.machine, flag);
    (0..l.witness.columns[c].len())
        .filter(|&t| l.witness.columns[c][t] == Fr::one())
        .collect()
}

/// Add 1 (mod 2^32) to rd's value on `row`, keep its limbs consistent, and run the checker.
fn tamper_rd(l: &Lowered, row: usize) -> R1csError {
    let mut cols = l.witness.columns.clone();
    let (rd, lo, hi) = (
        col(&l.machine, "rd_val"),
        col(&l.machine, "rd_lo"),
        col(&l.machine, "rd_hi"),
    );
    let v = small_value(cols[rd][row]).expect("u32") as u32;
    let w = v.wrapping_add(1);
    cols[rd][row] = Fr::from(w);
    cols[lo][row] = Fr::from(w & 0xffff);
    cols[hi][row] = Fr::from(w >> 16);
    l.r1cs()
        .check(&cols)
        .expect_err("a tampered result must be rejected")
}

fn assert_rejected(l: &Lowered, flag: &str, constraint: &str) {
    let rows = rows_with(l, flag);
    assert!(!rows.is_empty(), "the program executes `{flag}`");
    match tamper_rd(l, rows[0]) {
        R1csError::Unsatisfied {
            constraint: name,
            row,
            ..
        } => {
            assert_eq!(row, rows[0], "{flag}: failing row");
            assert!(
                name.contains(constraint),
                "{flag}: failed `{name}`, expected `{constraint}`"
            );
        }
        e => panic!("{flag}: unexpected error {e}"),
    }
}

const BASIC: &str = r#"
    # ADD/ADDI/SUB with carries and borrows.
    li s0, -1
    addi s1, s0, 1          # 0xffffffff + 1 = 0
    OUT s1
    li s2, 0x7fffffff
    add s3, s2, s2          # 0xfffffffe
    OUT s3
    sub s4, zero, s0        # 0 - (-1) = 1
    OUT s4
    sub s5, s1, s4          # 0 - 1 = 0xffffffff
    OUT s5
    addi s6, s2, -2048
    OUT s6
    lui s7, 0xfffff
    OUT s7
    auipc s8, 0x80000
    OUT s8
    # Branches, signed and unsigned, taken and not.
    li t0, -5
    li t1, 3
    li s9, 0
    blt t0, t1, 1f
    addi s9, s9, 1
1:  bltu t0, t1, 1f
    addi s9, s9, 2
1:  bge t1, t0, 1f
    addi s9, s9, 4
1:  bgeu t1, t0, 1f
    addi s9, s9, 8
1:  beq t0, t0, 1f
    addi s9, s9, 16
1:  bne t0, t0, 1f
    addi s9, s9, 32
1:  beq t0, t1, 1f
    addi s9, s9, 64
1:  OUT s9
    # JAL/JALR: a call, and a jalr whose target has bit 0 set.
    jal ra, func
    OUT s10
    la t2, after
    addi t2, t2, 1
    jalr s11, 0(t2)
    li s10, 99
after:
    OUT s10
    # LW/SW.
    la t3, scratch
    lw t4, 0(t3)
    OUT t4
    sw s3, 8(t3)
    lw t5, 8(t3)
    OUT t5
    # Private input: words until the end of the input, summed.
    li s0, 0
2:  li a0, 0
    la a1, scratch
    addi a1, a1, 12
    li a2, 4
    li a7, 63
    ecall
    beqz a0, 3f
    lw t0, 12(t3)
    add s0, s0, t0
    j 2b
3:  OUT s0
    # Debug text (fd 2): no effect on the public output.
    li a0, 2
    la a1, scratch
    li a2, 3
    li a7, 64
    ecall
    addi x0, x0, 0
    fence
    EXIT 7
func:
    li s10, 1234
    ret
"#;

#[test]
fn basic_program_lowers_and_tampering_is_rejected() {
    let Some(program) = assemble("basic", BASIC) else {
        return;
    };
    let mut input = Vec::new();
    for v in [5u32, 0xffff_fff0, 100] {
        input.extend_from_slice(&v.to_le_bytes());
    }
    let l = run_and_lower(&program, &input).expect("lowers");
    let out = words(&l.stdout);
    assert_eq!(out[0], 0);
    assert_eq!(out[1], 0xffff_fffe);
    assert_eq!(out[7], 2 + 8 + 32 + 64, "branch outcomes");
    assert_eq!(out[8], 1234);
    assert_eq!(out[9], 1234, "jalr cleared bit 0 and skipped the li");
    assert_eq!(out[12], 5u32.wrapping_add(0xffff_fff0).wrapping_add(100));
    assert_rejected(&l, "add", "alu: add");
    assert_rejected(&l, "subop", "alu: sub");
    assert_rejected(&l, "lui", "alu: lui");
    assert_rejected(&l, "auipc", "alu: auipc");
    assert_rejected(&l, "jal", "jump: rd = pc + 4");
    assert_rejected(&l, "lw", "load: lw");

    // A branch taken that should not be: flip the condition and the jump.
    let mut cols = l.witness.columns.clone();
    let t = rows_with(&l, "beq")[1];
    let (cond, delta, pc_new) = (
        col(&l.machine, "cond"),
        col(&l.machine, "delta"),
        col(&l.machine, "pc_new"),
    );
    assert_eq!(cols[cond][t], Fr::from(0u64), "beq t0, t1 is not taken");
    let simm = cols[col(&l.machine, "simm_m4")][t];
    cols[cond][t] = Fr::one();
    cols[delta][t] = simm;
    cols[pc_new][t] += simm;
    assert!(matches!(
        l.r1cs().check(&cols),
        Err(R1csError::Unsatisfied { ref constraint, .. }) if constraint == "branch: beq"
    ));

    // A wrong exit code fails the exit constraint.
    let wrong = PublicValues {
        exit_code: 8,
        ..l.public.clone()
    };
    assert!(matches!(
        wrong.bind(&l.machine).expect("bound").check(&l.witness.columns),
        Err(R1csError::Unsatisfied { ref constraint, .. }) if constraint == "ecall: exit code"
    ));
    // A stored word out of range breaks the memory or the constraints.
    let mut cols = l.witness.columns.clone();
    let t = rows_with(&l, "sw")[0];
    cols[col(&l.machine, "ram_new")][t] += Fr::from(1u64 << 32);
    assert!(l.r1cs().check(&cols).is_err());
}

const ALU: &str = r#"
    li s0, 0x80000000
    li s1, 0x7fffffff
    li s2, -1
    li s3, 0x0f0f00ff
    # Bitwise.
    and t0, s3, s2
    OUT t0
    or t0, s3, s0
    OUT t0
    xor t0, s3, s2
    OUT t0
    andi t0, s3, -16
    OUT t0
    ori t0, s3, 0x700
    OUT t0
    xori t0, s3, -1
    OUT t0
    # Comparisons.
    slt t0, s0, s1
    OUT t0
    sltu t0, s0, s1
    OUT t0
    slt t0, s2, zero
    OUT t0
    sltu t0, zero, s2
    OUT t0
    slti t0, s2, -1
    OUT t0
    sltiu t0, s1, -1
    OUT t0
    slt t0, s1, s1
    OUT t0
    # Shifts, by register (amount taken mod 32) and immediate.
    li t1, 33
    sll t0, s2, t1
    OUT t0
    srl t0, s0, t1
    OUT t0
    sra t0, s0, t1
    OUT t0
    li t1, 31
    sll t0, s3, t1
    OUT t0
    srl t0, s2, t1
    OUT t0
    sra t0, s0, t1
    OUT t0
    sll t0, s3, zero
    OUT t0
    slli t0, s3, 4
    OUT t0
    srli t0, s3, 4
    OUT t0
    srai t0, s0, 4
    OUT t0
    srai t0, s1, 0
    OUT t0
    EXIT 0
"#;

#[test]
fn logic_comparisons_and_shifts_lower() {
    let Some(program) = assemble("alu", ALU) else {
        return;
    };
    let l = run_and_lower(&program, &[]).expect("lowers");
    let out = words(&l.stdout);
    let (x80, x7f, m1, f) = (0x8000_0000u32, 0x7fff_ffffu32, u32::MAX, 0x0f0f_00ffu32);
    assert_eq!(
        out,
        vec![
            f & m1,
            f | x80,
            f ^ m1,
            f & !15,
            f | 0x700,
            !f,
            1,
            0,
            1,
            1,
            0,
            1,
            0,
            m1 << 1,
            x80 >> 1,
            ((x80 as i32) >> 1) as u32,
            f << 31,
            m1 >> 31,
            ((x80 as i32) >> 31) as u32,
            f,
            f << 4,
            f >> 4,
            ((x80 as i32) >> 4) as u32,
            x7f,
        ]
    );
    assert_rejected(&l, "bit", "alu: bitwise");
    assert_rejected(&l, "slt", "alu: slt");
    assert_rejected(&l, "sltu", "alu: slt");
    assert_rejected(&l, "sll", "alu: sll/mul low word");
    assert_rejected(&l, "srl", "alu: srl/sra/mulh* high word");
    assert_rejected(&l, "sra", "alu: srl/sra/mulh* high word");
}

const BYTES: &str = r#"
    la s0, scratch          # 0x80ff7f01, 0xdeadbeef
    lb t0, 0(s0)
    OUT t0
    lb t0, 1(s0)
    OUT t0
    lb t0, 2(s0)
    OUT t0
    lb t0, 3(s0)
    OUT t0
    lbu t0, 3(s0)
    OUT t0
    lbu t0, 2(s0)
    OUT t0
    lh t0, 0(s0)
    OUT t0
    lh t0, 2(s0)
    OUT t0
    lhu t0, 2(s0)
    OUT t0
    lhu t0, 4(s0)
    OUT t0
    li t1, 0x1234abcd
    sb t1, 4(s0)
    sb t1, 5(s0)
    sb t1, 6(s0)
    sb t1, 15(s0)
    lw t0, 4(s0)
    OUT t0
    sh t1, 8(s0)
    sh t1, 14(s0)
    lw t0, 8(s0)
    OUT t0
    lw t0, 12(s0)
    OUT t0
    EXIT 0
"#;

#[test]
fn byte_and_half_accesses_lower() {
    let Some(program) = assemble("bytes", BYTES) else {
        return;
    };
    let l = run_and_lower(&program, &[]).expect("lowers");
    let out = words(&l.stdout);
    assert_eq!(
        out,
        vec![
            1,
            0x7f,
            0xffff_ffff,
            0xffff_ff80,
            0x80,
            0xff,
            0x7f01,
            0xffff_80ff,
            0x80ff,
            0xbeef,
            0xdecd_cdcd,
            0x0000_abcd,
            0xabcd_0000,
        ]
    );
    assert_rejected(&l, "lb", "load: lb");
    assert_rejected(&l, "lbu", "load: lbu");
    assert_rejected(&l, "lh", "load: lh");
    assert_rejected(&l, "lhu", "load: lhu");
    // A stored byte changed: the word no longer matches the insertion.
    let mut cols = l.witness.columns.clone();
    let t = rows_with(&l, "sb")[0];
    cols[col(&l.machine, "ram_new")][t] += Fr::one();
    assert!(matches!(
        l.r1cs().check(&cols),
        Err(R1csError::Unsatisfied { ref constraint, .. }) if constraint == "store: sb/sh word"
    ));
}

const MULDIV: &str = r#"
    li s0, 0x80000000
    li s1, -1
    li s2, 7
    li s3, -7
    li s4, 0xfffffff0
    li s5, 2
    mul t0, s1, s1
    OUT t0
    mulh t0, s1, s1
    OUT t0
    mulhu t0, s1, s1
    OUT t0
    mulhsu t0, s1, s1
    OUT t0
    mulh t0, s0, s0
    OUT t0
    mulhsu t0, s0, s1
    OUT t0
    mulhu t0, s0, s2
    OUT t0
    mul t0, s3, s2
    OUT t0
    div t0, s3, s5
    OUT t0
    rem t0, s3, s5
    OUT t0
    div t0, s4, s5
    OUT t0
    rem t0, s4, s5
    OUT t0
    divu t0, s3, s5
    OUT t0
    remu t0, s3, s5
    OUT t0
    div t0, s2, zero
    OUT t0
    rem t0, s3, zero
    OUT t0
    divu t0, s2, zero
    OUT t0
    remu t0, s3, zero
    OUT t0
    div t0, s0, s1
    OUT t0
    rem t0, s0, s1
    OUT t0
    div t0, s2, s3
    OUT t0
    rem t0, s2, s3
    OUT t0
    divu t0, s1, s1
    OUT t0
    EXIT 0
"#;

#[test]
fn multiplication_and_division_lower() {
    let Some(program) = assemble("muldiv", MULDIV) else {
        return;
    };
    let l = run_and_lower(&program, &[]).expect("lowers");
    let out = words(&l.stdout);
    let m = |v: i64| v as u32;
    assert_eq!(
        out,
        vec![
            1,
            0,
            0xffff_fffe,
            0xffff_ffff,
            0x4000_0000,
            0x8000_0000,
            3,
            m(-49),
            m(-3),
            m(-1),
            m(-8),
            0,
            0xffff_fff9 / 2,
            1,
            u32::MAX,
            m(-7),
            u32::MAX,
            m(-7),
            0x8000_0000,
            0,
            m(-1),
            0,
            1,
        ]
    );
    for (flag, constraint) in [
        ("mul", "alu: sll/mul low word"),
        ("mulh", "alu: srl/sra/mulh* high word"),
        ("mulhu", "alu: srl/sra/mulh* high word"),
        ("mulhsu", "alu: srl/sra/mulh* high word"),
        ("div", "div: rd = q"),
        ("divu", "div: rd = q"),
        ("rem", "rem: rd = r"),
        ("remu", "rem: rd = r"),
    ] {
        assert_rejected(&l, flag, constraint);
    }
    // A wrong but consistent division: q one less, r one divisor more (r ≥ |b|).
    let mut cols = l.witness.columns.clone();
    let t = rows_with(&l, "divu")[0]; // divu t0, -7, 2
    for (name, d) in [("rd_val", -1i64), ("dq", -1), ("mx", -1)] {
        cols[col(&l.machine, name)][t] += if d < 0 { -Fr::one() } else { Fr::one() };
    }
    let (lo, hi) = (col(&l.machine, "rd_lo"), col(&l.machine, "rd_hi"));
    let q = small_value(cols[col(&l.machine, "rd_val")][t]).expect("u32");
    cols[lo][t] = Fr::from(q & 0xffff);
    cols[hi][t] = Fr::from(q >> 16);
    let two = Fr::from(2u64);
    cols[col(&l.machine, "prod")][t] -= two;
    cols[col(&l.machine, "dr")][t] += two;
    cols[col(&l.machine, "absr")][t] += two;
    let r = small_value(cols[col(&l.machine, "dr")][t]).expect("u32");
    cols[col(&l.machine, "aux_lo")][t] = Fr::from(r & 0xffff);
    cols[col(&l.machine, "aux_hi")][t] = Fr::from(r >> 16);
    // |b| − 1 − |r| is now negative: no u32 limbs can satisfy the bound.
    assert!(matches!(
        l.r1cs().check(&cols),
        Err(R1csError::Unsatisfied { ref constraint, .. }) if constraint == "div: |r| < |b| (unless b = 0)"
    ));
}

#[test]
fn unsupported_io_is_unprovable() {
    let Some(program) = assemble(
        "badio",
        r#"
    li a0, 1
    la a1, scratch
    li a2, 3
    li a7, 64
    ecall
    EXIT 0
"#,
    ) else {
        return;
    };
    let exec = run(
        &program,
        &[],
        &RunConfig {
            max_cycles: 1000,
            record_trace: true,
        },
    )
    .expect("runs");
    let trace = exec.trace.expect("trace");
    match lower(&program, &trace, &PublicValues::default()) {
        Err(LowerError::Unprovable(msg)) => assert!(msg.contains("at pc 0x"), "{msg}"),
        other => panic!("expected Unprovable, got {:?}", other.map(|_| ())),
    }
}

fn fib_elf() -> Option<&'static PathBuf> {
    static ELF: OnceLock<Option<PathBuf>> = OnceLock::new();
    ELF.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/guests/fib");
        match zkvm_riscv::build_guest(&dir, &mut |m| eprintln!("{m}")) {
            Ok(p) => Some(p),
            Err(e) => {
                skip(&format!("cannot build the fib guest ({e})"));
                None
            }
        }
    })
    .as_ref()
}

#[test]
fn fib_guest_lowers() {
    let Some(elf) = fib_elf() else { return };
    let program = load_elf(&std::fs::read(elf).expect("read")).expect("load");
    // "20\n" is 3 bytes: the guest's one read of input is short (end of input).
    let input: &[u8] = b"20\n";
    let exec = run(
        &program,
        input,
        &RunConfig {
            max_cycles: 1 << 22,
            record_trace: true,
        },
    )
    .expect("fib runs");
    assert_eq!(exec.stdout, b"6765\n", "byte-exact output");
    let trace = exec.trace.as_deref().expect("trace");
    let public = PublicValues {
        output: public_output_bytes(&exec.stdout),
        exit_code: exec.exit_code,
        shard: None,
    };
    let (m, w) = lower(&program, trace, &public).expect("the fib guest lowers");
    assert!(w.columns[0].len() >= trace.len());
    assert_eq!(m.column_names.len(), w.columns.len());
}

const C_PROGRAM: &str = r#"
typedef unsigned int u32;
typedef int i32;
asm(".section .text._start\n.globl _start\n_start:\n la sp, stack + 4096\n call main\n li a7, 93\n ecall\n");
unsigned char stack[4096] __attribute__((aligned(16)));
static volatile u32 word;

static void put(u32 v) {
    word = v;
    register u32 a0 asm("a0") = 1;
    register u32 a1 asm("a1") = (u32)&word;
    register u32 a2 asm("a2") = 4;
    register u32 a7 asm("a7") = 64;
    asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
}

static int get(u32 *v) {
    register u32 a0 asm("a0") = 0;
    register u32 a1 asm("a1") = (u32)&word;
    register u32 a2 asm("a2") = 4;
    register u32 a7 asm("a7") = 63;
    asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    *v = word;
    return a0 == 4;
}

static i32 data[40];
static signed char bytes[40];
static short halves[40];

int main(void) {
    u32 n;
    if (!get(&n)) return 3;
    u32 a = 0, b = 1;
    for (u32 i = 0; i < n; i++) { u32 c = a + b; a = b; b = c; }
    put(a);
    u32 seed = n;
    for (int i = 0; i < 40; i++) {
        seed = seed * 1103515245u + 12345u;
        data[i] = (i32)seed;
        bytes[i] = (signed char)(seed >> 7);
        halves[i] = (short)(seed >> 3);
    }
    for (int i = 1; i < 40; i++) {
        i32 x = data[i];
        int j = i - 1;
        while (j >= 0 && data[j] > x) { data[j + 1] = data[j]; j--; }
        data[j + 1] = x;
    }
    i32 acc = 0;
    for (int i = 0; i < 40; i++) {
        acc += data[i] / (i - 20 + (i == 20)) + data[i] % 13 + bytes[i] * halves[i];
        acc ^= (acc << 3) | ((u32)acc >> 29);
        acc += (i32)(((long long)data[i] * acc) >> 32);
        acc += acc >> (i & 7);
    }
    put(data[0]);
    put(data[39]);
    put((u32)acc);
    return 0;
}
"#;

#[test]
fn compiled_c_program_lowers() {
    if Command::new(GCC).arg("--version").output().is_err() {
        skip(&format!("{GCC} not found; the compiled C program"));
        return;
    }
    let dir = tmp_dir();
    let (src, elf) = (dir.join("prog.c"), dir.join("prog.elf"));
    std::fs::write(&src, C_PROGRAM).expect("write");
    let out = Command::new(GCC)
        .args([
            "-march=rv32im",
            "-mabi=ilp32",
            "-O2",
            "-nostdlib",
            "-static",
            "-ffreestanding",
            "-Wl,--no-relax",
            "-o",
        ])
        .arg(&elf)
        .arg(&src)
        .output()
        .expect("gcc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let program = load_elf(&std::fs::read(&elf).expect("read")).expect("load");
    let l = run_and_lower(&program, &30u32.to_le_bytes()).expect("lowers");
    let out = words(&l.stdout);
    assert_eq!(out[0], 832_040);
    assert_eq!(out.len(), 4);
    assert!((out[1] as i32) <= (out[2] as i32), "sorted");
    for flag in [
        "mul", "mulh", "div", "rem", "lb", "lh", "sb", "sh", "sll", "sra",
    ] {
        assert!(
            !rows_with(&l, flag).is_empty(),
            "the program executes {flag}"
        );
    }
    // Without input the program exits with code 3, which is proven as such.
    let l = run_and_lower(&program, &[]).expect("lowers");
    assert!(l.stdout.is_empty());
}

#[test]
fn small_program_proves_and_verifies() {
    let Some(program) = assemble("alu_e2e", ALU) else {
        return;
    };
    let (outcome, proof, _) =
        zkvm_prover::pipeline::prove_rv32im(&program, &[], 1 << 16).expect("proves");
    let (verified, _) = zkvm_prover::pipeline::verify_rv32im(&program, &proof).expect("verifies");
    assert_eq!(verified.stdout, outcome.stdout);
    assert_eq!(verified.exit_code, 0);
    let mut bad = proof.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 1;
    assert!(zkvm_prover::pipeline::verify_rv32im(&program, &bad).is_err());
}

#[test]
fn machine_accepts_any_claimed_memory_size() {
    let Some(program) = assemble("sizes", "    EXIT 0\n") else {
        return;
    };
    for log_size in [0, 6, 63, 64, 200, usize::MAX] {
        let m = machine(&program, log_size);
        assert_eq!(m.memory.log_size, log_size);
    }
    assert!(machine(&program, 0).memory.init.is_empty());
}

/// Memory permissions are enforced: a store must hit a writable word, and the permissions in the
/// proof are the ones the verifier derives from the ELF.
#[test]
fn stores_into_read_only_memory_are_rejected() {
    let Some(program) = assemble("bytes_perm", BYTES) else {
        return;
    };
    let l = run_and_lower(&program, &[]).expect("lowers");
    let perm = col(&l.machine, "ram_perm");
    let row = *rows_with(&l, "sw").first().expect("a store");
    assert_eq!(l.witness.columns[perm][row], Fr::from(2u64));
    // The constraint: a write needs permission 2.
    let mut cols = l.witness.columns.clone();
    cols[perm][row] = Fr::one();
    let err = l
        .r1cs()
        .check(&cols)
        .expect_err("a store to a read-only word");
    assert!(err.to_string().contains("writes a writable cell"), "{err}");
    // The multiset: a verifier whose layout makes every RAM word read-only rejects the proof of
    // a run that stores (the prover's tuples carry permission 2, the initial memory's 1).
    let setup = zkvm_prover::pipeline::setup_for(
        &l.machine,
        l.witness.columns[0].len().trailing_zeros() as usize,
    )
    .expect("setup");
    let (proof, _) = zkvm_prover::proof::prove(&l.machine, &l.public, l.witness.clone(), &setup)
        .expect("proves");
    zkvm_prover::proof::verify(&l.machine, &proof, &setup).expect("the honest layout verifies");
    let mut read_only = l.machine.clone();
    for range in read_only
        .memory
        .permissions
        .as_mut()
        .expect("RISC-V has permissions")
    {
        if range.0 >= 32 {
            range.2 = 1;
        }
    }
    assert!(zkvm_prover::proof::verify(&read_only, &proof, &setup).is_err());
}
