//! Small C and assembly programs, compiled at test time by riscv64-unknown-elf-gcc
//! (`-march=rv32im -mabi=ilp32 -nostdlib -static`) into a temporary directory, run on zkvm and
//! under qemu-riscv32.

use zkvm_prover::machine::twist_memory::MemoryArgument;
use zkvm_riscv::RunError;

use crate::common::{differential, gcc, gcc_with, have_gcc, have_qemu, qemu, zkvm};

/// `_start`: our own stack (never the one the loader provides), call `main`, exit with its
/// return value.
const START_S: &str = r#"
    .section .text.start, "ax"
    .globl _start
_start:
    la sp, __stack_top
    call main
    li a7, 93
    ecall
    .bss
    .align 4
__stack: .space 65536
__stack_top:
"#;

/// System calls and the helpers gcc may call in freestanding code.
const RT_H: &str = r#"
typedef unsigned int u32;
typedef int i32;
static inline long sys3(long n, long x, long y, long z) {
    register long a0 __asm__("a0") = x;
    register long a1 __asm__("a1") = y;
    register long a2 __asm__("a2") = z;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}
static void write_all(int fd, const void *p, u32 n) {
    const char *c = p;
    while (n) { long k = sys3(64, fd, (long)c, n); if (k <= 0) sys3(93, 99, 0, 0); c += k; n -= k; }
}
static u32 slen(const char *s) { u32 n = 0; while (s[n]) n++; return n; }
static void puts1(const char *s) { write_all(1, s, slen(s)); }
static void putu(u32 v) {
    char buf[12]; int i = 11; buf[i] = 0;
    do { buf[--i] = '0' + v % 10; v /= 10; } while (v);
    puts1(buf + i);
}
static void puti(i32 v) { if (v < 0) { puts1("-"); putu(-(u32)v); } else putu(v); }
static void puthex(u32 v) {
    char buf[11]; buf[0] = '0'; buf[1] = 'x'; buf[10] = 0;
    for (int i = 0; i < 8; i++) buf[9 - i] = "0123456789abcdef"[(v >> (4 * i)) & 15];
    puts1(buf);
}
void *memset(void *d, int c, u32 n) { char *p = d; while (n--) *p++ = c; return d; }
void *memcpy(void *d, const void *s, u32 n) { char *p = d; const char *q = s; while (n--) *p++ = *q++; return d; }
"#;

fn c_program(name: &str, body: &str, input: &[u8]) -> Option<zkvm_riscv::Execution> {
    c_program_with(name, body, input, false)
}

/// [`c_program`], and the run proven and verified: the proof states qemu's stdout, byte for
/// byte, and its exit code.
fn c_program_proven(name: &str, body: &str, input: &[u8]) -> Option<zkvm_riscv::Execution> {
    c_program_with(name, body, input, true)
}

fn c_program_with(
    name: &str,
    body: &str,
    input: &[u8],
    prove: bool,
) -> Option<zkvm_riscv::Execution> {
    let test = format!("C program {name}");
    if !have_gcc(&test) {
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let src = format!("{RT_H}\n{body}");
    let elf = gcc(dir.path(), name, &[("start.S", START_S), ("main.c", &src)]);
    let run = differential(&elf, input, &test);
    if prove {
        let program = zkvm_riscv::load_elf(&std::fs::read(&elf).expect("read")).expect("loads");
        for memory in MemoryArgument::ALL {
            let (_, proof, _) =
                zkvm_prover::pipeline::prove_rv32im_with(&program, input, 1 << 22, memory)
                    .unwrap_or_else(|e| panic!("{test} ({memory}): {e}"));
            let (verified, _) = zkvm_prover::pipeline::verify_rv32im(&program, &proof)
                .unwrap_or_else(|e| panic!("{test} ({memory}): {e}"));
            assert_eq!(
                verified.stdout, run.stdout,
                "{test} ({memory}): proven stdout"
            );
            assert_eq!(
                verified.exit_code, run.exit_code,
                "{test} ({memory}): proven exit code"
            );
        }
    }
    Some(run)
}

#[test]
fn c_hello() {
    let body =
        r#"int main(void) { puts1("hello, world\n"); write_all(2, "debug\n", 6); return 0; }"#;
    if let Some(e) = c_program_proven("hello", body, b"") {
        assert_eq!(e.stdout, b"hello, world\n");
        assert_eq!(e.stderr, b"debug\n");
    }
}

#[test]
fn c_odd_sized_writes_and_chunked_reads_prove_byte_for_byte() {
    // Reads of 1 to 13 bytes into buffers at every offset mod 4, echoed back by writes of every
    // size and alignment, then a table of slices of a string (sizes 0 to 40, offsets 0 to 3),
    // and an empty read and write in between.
    let body = r#"
static const char text[] = "Sphinx of black quartz, judge my vow! 0123456789";
int main(void) {
    char buf[64]; u32 total = 0, size = 1, off = 0;
    for (;;) {
        long n = sys3(63, 0, (long)(buf + off), size);
        if (n <= 0) break;
        write_all(1, buf + off, n);
        total += n; size = size % 13 + 1; off = (off + 1) % 4;
    }
    sys3(63, 0, (long)buf, 5);
    sys3(64, 1, (long)buf, 0);
    for (u32 len = 0; len <= 40; len += 3)
        for (u32 at = 0; at < 4; at++) { write_all(1, text + at, len); write_all(1, "|", 1); }
    putu(total);
    return 0;
}"#;
    let input: Vec<u8> = (0..700u32).map(|i| (i * 37 % 251) as u8).collect();
    if let Some(e) = c_program_proven("odd_io", body, &input) {
        assert!(e.stdout.starts_with(&input));
        assert!(e.stdout.ends_with(b"|700"));
    }
}

#[test]
fn c_exit_code() {
    if let Some(e) = c_program("exit42", "int main(void) { return 42; }", b"") {
        assert_eq!(e.exit_code, 42);
    }
}

#[test]
fn c_sieve() {
    let body = r#"
static unsigned char composite[20001];
int main(void) {
    u32 count = 0, last = 0, sum = 0;
    for (u32 i = 2; i <= 20000; i++) {
        if (composite[i]) continue;
        count++; last = i; sum += i * i;
        for (u32 j = i * i; j <= 20000; j += i) composite[j] = 1;
    }
    putu(count); puts1(" "); putu(last); puts1(" "); puthex(sum); puts1("\n");
    return 0;
}"#;
    if let Some(e) = c_program("sieve", body, b"") {
        // 2262 primes below 20000, the largest 19997.
        assert!(String::from_utf8_lossy(&e.stdout).starts_with("2262 19997 "));
    }
}

#[test]
fn c_echo_upper() {
    let body = r#"
int main(void) {
    char buf[7]; u32 total = 0;
    for (;;) {
        long n = sys3(63, 0, (long)buf, sizeof buf);
        if (n <= 0) break;
        for (long i = 0; i < n; i++) if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] -= 32;
        write_all(1, buf, n); total += n;
    }
    return total & 0xff;
}"#;
    let input = b"the quick brown fox jumps over the lazy dog\n".repeat(10);
    if let Some(e) = c_program_proven("echo_upper", body, &input) {
        assert_eq!(e.stdout, input.to_ascii_uppercase());
        assert_eq!(e.exit_code, (input.len() & 0xff) as u32);
    }
}

#[test]
fn c_arithmetic_edges() {
    let body = r#"
static volatile i32 vals[] = { 0, 1, -1, 2, -2, 7, -7, 0x7fffffff, (i32)0x80000000, 12345, -98765 };
int main(void) {
    u32 n = sizeof vals / sizeof vals[0];
    for (u32 i = 0; i < n; i++) for (u32 j = 0; j < n; j++) {
        i32 a = vals[i], b = vals[j];
        puthex((u32)a * (u32)b); puts1(" ");
        puthex((u32)(((long long)a * b) >> 32)); puts1(" ");
        puthex((u32)(((unsigned long long)(u32)a * (u32)b) >> 32)); puts1(" ");
        puthex((u32)(((long long)a * (unsigned long long)(u32)b) >> 32)); puts1(" ");
        if (b != 0) {
            puthex((u32)a / (u32)b); puts1(" "); puthex((u32)a % (u32)b); puts1(" ");
            if (!(a == (i32)0x80000000 && b == -1)) { puti(a / b); puts1(" "); puti(a % b); }
        }
        puts1(" "); puthex((u32)a >> (b & 31)); puts1(" "); puthex((u32)(a >> (b & 31)));
        puts1(" "); puthex((u32)a << (b & 31)); puts1(" "); putu(a < b); putu((u32)a < (u32)b);
        puts1("\n");
    }
    return 0;
}"#;
    if let Some(e) = c_program("arith", body, b"") {
        assert_eq!(e.stdout.iter().filter(|&&c| c == b'\n').count(), 121);
    }
}

#[test]
fn c_bytes_halves_and_recursion() {
    let body = r#"
struct rec { signed char c; unsigned char uc; short s; unsigned short us; i32 w; };
static struct rec recs[64];
static u32 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(void) {
    for (int i = 0; i < 64; i++) {
        recs[i].c = (signed char)(i * 37); recs[i].uc = (unsigned char)(i * 91);
        recs[i].s = (short)(i * 3001); recs[i].us = (unsigned short)(i * 4099); recs[i].w = i * -123457;
    }
    i32 acc = 0;
    for (int i = 0; i < 64; i++) acc = acc * 31 + recs[i].c + recs[i].uc + recs[i].s + recs[i].us + recs[i].w;
    puthex((u32)acc); puts1(" "); putu(fib(20)); puts1("\n");
    return 0;
}"#;
    if let Some(e) = c_program("structs", body, b"") {
        assert!(String::from_utf8_lossy(&e.stdout).ends_with(" 6765\n"));
    }
}

/// Assembly that writes registers (128 bytes) after a sequence of edge-case computations,
/// without any C. sp is not written out: qemu's loader sets it, zkvm starts every register at 0.
#[test]
fn asm_division_and_shift_edges() {
    let test = "asm division edges";
    if !have_gcc(test) {
        return;
    }
    let src = r#"
    .globl _start
_start:
    li t0, 0x80000000
    li t1, -1
    div   a0, t0, t1      # overflow: -2^31
    rem   a1, t0, t1      # 0
    div   a2, t0, zero    # -1
    divu  a3, t0, zero    # 2^32 - 1
    rem   a4, t0, zero    # dividend
    remu  a5, t1, zero    # dividend
    mulh  a6, t0, t0
    mulhsu a7, t1, t1
    mulhu s2, t1, t1
    sra   s3, t0, t1      # shift by 31
    sll   s4, t1, t1
    srl   s5, t0, t1
    sltiu s6, zero, 1
    slti  s7, t1, 0
    addi  zero, t1, 1     # x0 stays 0
    lui   s8, 0xfffff
    auipc s9, 0
    sub   s9, s9, s9
    la    t2, out
    sw zero, 0(t2)
    sw ra, 4(t2)
    sw gp, 12(t2)
    sw tp, 16(t2)
    sw t0, 20(t2)
    sw t1, 24(t2)
    sw a0, 40(t2)
    sw a1, 44(t2)
    sw a2, 48(t2)
    sw a3, 52(t2)
    sw a4, 56(t2)
    sw a5, 60(t2)
    sw a6, 64(t2)
    sw a7, 68(t2)
    sw s2, 72(t2)
    sw s3, 76(t2)
    sw s4, 80(t2)
    sw s5, 84(t2)
    sw s6, 88(t2)
    sw s7, 92(t2)
    sw s8, 96(t2)
    sw s9, 100(t2)
    fence
    li a7, 64
    li a0, 1
    mv a1, t2
    li a2, 128
    ecall
    li a7, 93
    li a0, 0
    ecall
    .bss
    .align 4
out: .space 128
"#;
    let dir = tempfile::tempdir().expect("temp dir");
    let elf = gcc(dir.path(), "divedges", &[("div.S", src)]);
    let e = differential(&elf, b"", test);
    let word = |k: usize| u32::from_le_bytes(e.stdout[4 * k..4 * k + 4].try_into().unwrap());
    assert_eq!(word(10), 0x8000_0000);
    assert_eq!(word(11), 0);
    assert_eq!(word(12), u32::MAX);
    assert_eq!(word(13), u32::MAX);
    assert_eq!(word(14), 0x8000_0000);
    assert_eq!(word(15), u32::MAX);
    assert_eq!(word(16), 0x4000_0000);
    assert_eq!(word(19), 0xffff_ffff);
    assert_eq!(word(0), 0);
}

#[test]
fn ebreak_traps_on_both() {
    let test = "asm ebreak";
    if !have_gcc(test) {
        return;
    }
    let src = "    .globl _start\n_start:\n    nop\n    ebreak\n    li a7, 93\n    ecall\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let elf = gcc(dir.path(), "ebreak", &[("ebreak.S", src)]);
    let err = zkvm(&elf, b"", false).unwrap_err();
    assert!(matches!(err, RunError::Breakpoint { .. }), "{err}");
    if have_qemu(test) {
        let q = qemu(&elf, b"");
        assert_eq!(q.signal, Some(5), "qemu should stop with SIGTRAP: {q:?}");
    }
}

#[test]
fn misaligned_access_faults_here_but_qemu_emulates() {
    let test = "asm misaligned";
    if !have_gcc(test) {
        return;
    }
    let src = "    .globl _start\n_start:\n    la t0, buf\n    lw a0, 1(t0)\n    li a7, 93\n    ecall\n    .data\n    .align 4\nbuf: .word 0x11223344, 0x55667788\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let elf = gcc(dir.path(), "misaligned", &[("mis.S", src)]);
    let err = zkvm(&elf, b"", false).unwrap_err();
    assert!(
        matches!(
            err,
            RunError::MisalignedAccess {
                width: 4,
                store: false,
                ..
            }
        ),
        "{err}"
    );
    if have_qemu(test) {
        // qemu-user emulates misaligned accesses (exit code = low byte of 0x88112233).
        assert_eq!(qemu(&elf, b"").code, Some(0x33));
    }
}

#[test]
fn unknown_syscall_is_an_error_here() {
    let test = "asm unknown syscall";
    if !have_gcc(test) {
        return;
    }
    let src = "    .globl _start\n_start:\n    li a7, 172\n    ecall\n    li a7, 93\n    ecall\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let elf = gcc(dir.path(), "getpid", &[("getpid.S", src)]);
    let err = zkvm(&elf, b"", false).unwrap_err();
    assert!(
        matches!(err, RunError::UnknownSyscall { number: 172, .. }),
        "{err}"
    );
}

#[test]
fn a_c_start_runs_on_the_loaders_stack_and_proves() {
    // `_start` is C: it pushes a frame on the stack the loader set up, recurses, and keeps a
    // local array; the result is written as one word and as the exit code.
    let test = "C _start";
    if !have_gcc(test) {
        return;
    }
    let src = format!(
        "{RT_H}\n{}",
        r#"
static u32 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
void _start(void) {
    volatile u32 local[48];
    for (int i = 0; i < 48; i++) local[i] = fib(i % 10);
    u32 sum = 0;
    for (int i = 0; i < 48; i++) sum += local[i];
    write_all(1, &sum, 4);
    sys3(93, sum & 0x7f, 0, 0);
}
"#
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let elf = gcc(dir.path(), "c_start", &[("start.c", &src)]);
    let run = differential(&elf, b"", test);
    let sum: u32 = (0..48)
        .map(|i| [0, 1, 1, 2, 3, 5, 8, 13, 21, 34][i % 10])
        .sum();
    assert_eq!(run.stdout, sum.to_le_bytes());
    assert_eq!(
        run.exit_code,
        sum & 0x7f,
        "the ABI words above sp are not zero"
    );

    let program = zkvm_riscv::load_elf(&std::fs::read(&elf).expect("read")).expect("loads");
    assert_ne!(program.initial_sp, 0);
    for memory in MemoryArgument::ALL {
        let (outcome, proof, _) =
            zkvm_prover::pipeline::prove_rv32im_with(&program, b"", 1 << 20, memory)
                .expect("proves");
        let (verified, _) =
            zkvm_prover::pipeline::verify_rv32im(&program, &proof).expect("verifies");
        assert_eq!(verified.stdout, run.stdout, "{memory}");
        assert_eq!(verified.exit_code, run.exit_code, "{memory}");
        assert_eq!(outcome.exit_code, run.exit_code, "{memory}");
    }
}

#[test]
fn a_compressed_build_is_refused_with_the_fix() {
    let test = "C rv32imac";
    if !have_gcc(test) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let flags = ["-march=rv32imac", "-mabi=ilp32", "-nostdlib", "-static"];
    let src = "void _start(void) { for (;;) {} }\n";
    let elf = gcc_with(&flags, &[], dir.path(), "c", &[("c.c", src)]);
    let err = zkvm_riscv::load_elf(&std::fs::read(&elf).expect("read")).unwrap_err();
    assert_eq!(err, zkvm_riscv::ElfError::CompressedInstructions);
    assert!(err.to_string().contains("-march=rv32im"), "{err}");
}
