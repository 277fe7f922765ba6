//! The example guests: known outputs, and the same bytes and exit code under qemu-riscv32.

use ark_ff::{BigInteger, PrimeField};
use rand::{Rng, SeedableRng};

use crate::common::{differential, guest_elf, zkvm};

/// A guest's public output as text (byte for byte: no padding).
fn text(stdout: &[u8]) -> String {
    String::from_utf8(stdout.to_vec()).expect("UTF-8 output")
}

#[test]
fn fib_known_values() {
    let elf = guest_elf("fib");
    for (n, want) in [
        ("0", "0"),
        ("1", "1"),
        ("2", "1"),
        ("10", "55"),
        ("30\n", "832040"),
        (" 90 ", "2880067194370816120"),
        ("93", "12200160415121876738"),
    ] {
        let e = differential(&elf, n.as_bytes(), &format!("fib {n:?}"));
        assert_eq!(text(&e.stdout), format!("{want}\n"), "fib({n})");
        assert_eq!(e.exit_code, 0);
    }
}

#[test]
fn panicking_guest_exits_101_with_message() {
    let elf = guest_elf("fib");
    let e = differential(&elf, b"thirty", "fib with bad input");
    assert_eq!(e.exit_code, 101);
    assert!(e.stdout.is_empty());
    let msg = String::from_utf8_lossy(&e.stderr);
    assert!(
        msg.starts_with("panicked at ") && msg.contains("`thirty` is not a u32"),
        "{msg}"
    );
}

/// n! in the BN254 scalar field, computed with arkworks, as the guest prints it.
fn factorial_hex(n: u64) -> String {
    let mut f = ark_bn254::Fr::from(1u64);
    for k in 2..=n {
        f *= ark_bn254::Fr::from(k);
    }
    let bytes = f.into_bigint().to_bytes_be();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("0x{hex}\n")
}

#[test]
fn factorial_mod_bn254() {
    let elf = guest_elf("factorial");
    // 20! = 2432902008176640000 fits in 64 bits.
    let e = differential(&elf, b"20", "factorial 20");
    assert_eq!(
        text(&e.stdout),
        format!("0x{:064x}\n", 2432902008176640000u64)
    );
    for n in [0u64, 1, 57, 100, 300] {
        let e = differential(&elf, n.to_string().as_bytes(), &format!("factorial {n}"));
        assert_eq!(text(&e.stdout), factorial_hex(n), "{n}!");
    }
}

/// C = A B with A[i][l] = -(i + l + 1) mod 2^32 and B[l][j] = l j + 1, wrapping u32
/// arithmetic, as the guest writes it (row-major little-endian words).
fn matmul_expected(n: usize) -> Vec<u8> {
    let a = |i: usize, l: usize| 0u32.wrapping_sub((i + l + 1) as u32);
    let b = |l: usize, j: usize| (l as u32).wrapping_mul(j as u32).wrapping_add(1);
    let mut c = Vec::new();
    for i in 0..n {
        for j in 0..n {
            c.push((0..n).fold(0u32, |acc, k| {
                acc.wrapping_add(a(i, k).wrapping_mul(b(k, j)))
            }));
        }
    }
    words(&c)
}

#[test]
fn matmul() {
    let elf = guest_elf("matmul_u32");
    let e = differential(&elf, b"2", "matmul 2");
    // A = [[-1, -2], [-2, -3]], B = [[1, 1], [1, 2]]: C = [[-3, -5], [-5, -8]] mod 2^32
    assert_eq!(
        e.stdout,
        words(&[4294967293, 4294967291, 4294967291, 4294967288])
    );
    for n in [0usize, 1, 7, 16] {
        let e = differential(&elf, n.to_string().as_bytes(), &format!("matmul {n}"));
        assert_eq!(e.stdout, matmul_expected(n), "n = {n}");
    }
}

/// The u256mul kernel (x = r, acc = 0; k times: (hi, lo) = x q, x = lo, acc += hi mod 2^256,
/// r and q the BN254 moduli) with arkworks' 256-bit integers, as the guest prints it.
fn u256mul_expected(k: u32) -> String {
    use ark_ff::BigInt;
    let mut x: BigInt<4> = ark_bn254::Fr::MODULUS;
    let q: BigInt<4> = ark_bn254::Fq::MODULUS;
    let mut acc = BigInt::<4>::zero();
    for _ in 0..k {
        let (lo, hi) = x.mul(&q);
        x = lo;
        acc.add_with_carry(&hi);
    }
    let hex = |v: &BigInt<4>| -> String {
        let bytes = v.to_bytes_be();
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    };
    format!("0x{}\n0x{}\n", hex(&x), hex(&acc))
}

#[test]
fn u256mul() {
    let elf = guest_elf("u256mul");
    // k = 0: x = r itself.
    let e = differential(&elf, b"0", "u256mul 0");
    assert_eq!(
        text(&e.stdout),
        "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001\n\
         0x0000000000000000000000000000000000000000000000000000000000000000\n"
    );
    for k in [1u32, 2, 7, 50] {
        let e = differential(&elf, k.to_string().as_bytes(), &format!("u256mul {k}"));
        assert_eq!(text(&e.stdout), u256mul_expected(k), "k = {k}");
        assert_eq!(e.exit_code, 0);
    }
}

#[test]
fn sha256_test_vectors() {
    let elf = guest_elf("sha256");
    // FIPS 180-2 appendix B vectors, and the empty message.
    for (msg, digest) in [
        (
            &b"abc"[..],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            &b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"[..],
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
        (
            &b""[..],
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
    ] {
        let e = differential(&elf, msg, "sha256");
        assert_eq!(text(&e.stdout), format!("{digest}\n"));
    }
    // A longer input crosses many read() calls.
    let big = vec![b'a'; 100_000];
    differential(&elf, &big, "sha256 100 kB");
}

/// Little-endian u32 words, the sort guest's input and output format.
fn words(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

#[test]
fn sort() {
    let elf = guest_elf("sort");
    let e = differential(&elf, &words(&[5, 3, 9, 3, 1]), "sort small");
    assert_eq!(e.stdout, words(&[1, 3, 3, 5, 9, 4]));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut values: Vec<u32> = (0..2000).map(|_| rng.gen_range(0..5000)).collect();
    let e = differential(&elf, &words(&values), "sort 2000");
    let mut distinct = values.clone();
    distinct.sort_unstable();
    distinct.dedup();
    values.sort_unstable();
    values.push(distinct.len() as u32);
    assert_eq!(e.stdout, words(&values));
    // Input that is not whole words is refused with a message.
    let e = differential(&elf, b"12345", "sort, 5 bytes");
    assert_eq!(e.exit_code, 101);
    assert!(String::from_utf8_lossy(&e.stderr).contains("not a whole number of u32 words"));
}

#[test]
fn trace_run_agrees_with_fast_run() {
    let elf = guest_elf("sort");
    let input = words(&[10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    let fast = zkvm(&elf, &input, false).unwrap();
    let traced = zkvm(&elf, &input, true).unwrap();
    assert_eq!(fast.stdout, traced.stdout);
    assert_eq!(fast.summary, traced.summary);
    let trace = traced.trace.unwrap();
    assert_eq!(trace.len() as u64, traced.summary.cycles);
    // Every load's recorded value is what landed in rd; every step's successor pc is a
    // legal successor.
    for w in trace.windows(2) {
        let (s, next) = (&w[0], &w[1]);
        if let Some(m) = s.mem.filter(|m| !m.store) {
            assert_eq!(m.value, s.rd_val, "load at {:#x}", s.pc);
        }
        let o = s.instr.operands();
        let fallthrough = s.pc.wrapping_add(4);
        let ok = match s.instr.opcode().class() {
            zkvm_riscv::InstrClass::Branch => {
                next.pc == fallthrough || next.pc == s.pc.wrapping_add(o.imm as u32)
            }
            _ => match s.instr.opcode() {
                zkvm_riscv::Opcode::Jal => next.pc == s.pc.wrapping_add(o.imm as u32),
                zkvm_riscv::Opcode::Jalr => next.pc == s.rs1_val.wrapping_add(o.imm as u32) & !1,
                _ => next.pc == fallthrough,
            },
        };
        assert!(ok, "step at {:#x} -> {:#x}", s.pc, next.pc);
    }
}

#[test]
fn typed_values_go_in_and_come_out_through_the_host_api() {
    use zkvm_host::{Input, Program};
    #[derive(serde::Serialize)]
    struct Query<'a> {
        label: &'a str,
        numbers: Vec<u64>,
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Summary {
        label: String,
        count: u32,
        sum: u64,
        max: Option<u64>,
    }
    let elf = guest_elf("typed_io");
    let program = Program::load(&elf).expect("loads");
    let query = Query {
        label: "ünïcode label",
        numbers: vec![u64::MAX, 3, 1 << 40, 7],
    };
    let input = Input::new().value(&query);
    // Under qemu too: the frames are plain bytes on stdin and stdout.
    let run = differential(&elf, &zkvm_host::frame(&query), "typed_io");
    let proof = program.prove(&input).expect("proves");
    let verified = program.verify(&proof.bytes).expect("verifies");
    assert_eq!(verified.output.bytes(), Some(&run.stdout[..]));
    let mut frames = verified.output.frames().expect("a guest's output");
    let summary: Summary = frames.read().expect("the summary");
    let sorted: Vec<u64> = frames.read().expect("the sorted numbers");
    assert!(frames.is_empty());
    let sum = query.numbers.iter().fold(0u64, |s, x| s.wrapping_add(*x));
    assert_eq!(
        summary,
        Summary {
            label: "ünïcode label".into(),
            count: 4,
            sum,
            max: Some(u64::MAX),
        }
    );
    assert_eq!(sorted, vec![3, 7, 1 << 40, u64::MAX]);
    // A truncated input is the guest's panic, named.
    let truncated = &zkvm_host::frame(&query)[..9];
    let e = differential(&elf, truncated, "typed_io truncated");
    assert_eq!(e.exit_code, 101);
    assert!(
        String::from_utf8_lossy(&e.stderr).contains("private input ended inside"),
        "{}",
        String::from_utf8_lossy(&e.stderr)
    );
}
