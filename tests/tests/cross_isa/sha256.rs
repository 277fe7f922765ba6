//! SHA-256: zasm and the RV32IM guest agree.

use ark_bn254::Fr;
use ark_ff::{BigInteger, Field, PrimeField};

use crate::{guest, root, zasm};

const SHA256: &str = "examples/zasm/sha256.zasm";

/// The two-block message of FIPS 180-4's examples (56 bytes).
const FIPS_56: &str = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

/// The zasm program's input: L, then the L bytes.
fn inputs(message: &[u8]) -> Vec<u64> {
    let mut inputs = vec![message.len() as u64];
    inputs.extend(message.iter().map(|&b| u64::from(b)));
    inputs
}

/// The zasm digest as 64 hex digits: the 8 output words, big-endian.
fn zasm_digest(message: &[u8]) -> String {
    hex_digest(&zasm(SHA256, &inputs(message)))
}

/// 8 digest words as 64 hex digits, big-endian.
fn hex_digest(words: &[Fr]) -> String {
    assert_eq!(words.len(), 8, "8 digest words");
    words
        .iter()
        .map(|w| {
            let bytes = w.into_bigint().to_bytes_be();
            let (high, low) = bytes.split_at(bytes.len() - 4);
            assert!(high.iter().all(|&b| b == 0), "a digest word is a u32");
            low.iter().map(|b| format!("{b:02x}")).collect::<String>()
        })
        .collect()
}

/// A deterministic printable ASCII message of `len` bytes.
fn message(len: usize) -> String {
    (0..len)
        .map(|i| char::from(b' ' + ((i * 37 + 11) % 95) as u8))
        .collect()
}

#[test]
fn sha256_agrees() {
    let mut messages: Vec<String> = [0, 55, 64, 119, 200].into_iter().map(message).collect();
    messages.push("abc".into());
    messages.push(FIPS_56.into());
    for m in &messages {
        assert_eq!(
            format!("{}\n", zasm_digest(m.as_bytes())),
            guest("sha256", m),
            "{} bytes",
            m.len()
        );
    }
}

#[test]
fn sha256_fips_vectors() {
    // FIPS 180-4 examples (and the empty message).
    assert_eq!(
        zasm_digest(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        zasm_digest(FIPS_56.as_bytes()),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
    assert_eq!(
        zasm_digest(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn sha256_rejects_a_byte_out_of_range() {
    let program = zkvm_assembler::assemble_file(&root().join(SHA256))
        .unwrap_or_else(|d| panic!("{}", d.render()));
    let run = |bytes: &[Fr]| {
        let mut inputs = vec![Fr::from(bytes.len() as u64)];
        inputs.extend_from_slice(bytes);
        zkvm_vm::run(&program, &inputs, &zkvm_vm::RunConfig::default())
    };
    let abc: Vec<Fr> = b"abc".iter().map(|&b| Fr::from(u64::from(b))).collect();
    assert!(run(&abc).is_ok());
    for bad in [Fr::from(256u64), -Fr::from(1u64)] {
        let mut bytes = abc.clone();
        bytes[1] = bad;
        assert!(run(&bytes).is_err(), "byte {bad} must be rejected");
    }
}

// ---- Lying provers ----
//
// Every advice value of sha256.zasm is an `advice div` quotient, in three macros: `split` (the
// bytes and carry of a sum of words), `extract_lo` (5-digit base-4 chunks of a spread sum) and
// `extract_ch` (3-digit base-7 chunks). Each test below rewrites one macro's advice lines to
// `input` (same instruction count, so the program is otherwise unchanged), feeds the honest
// quotients (recorded from a traced run of the real program) to show that they reproduce the
// digest, then changes some of them and checks that the run fails. The rewritten text must
// appear exactly once, so a rename breaks these tests loudly.

/// `split`'s advice: x div 2^8, 2^16, 2^24 and the carry x div 2^32.
const SPLIT_ADVICE: [&str; 4] = [
    "    [fp + Q + 1] = advice div(x, 0x100);",
    "    [fp + Q + 2] = advice div(x, 0x10000);",
    "    [fp + Q + 3] = advice div(x, 0x1000000);",
    "    [fp + Q + 4] = advice div(x, 0x100000000);  // the carry",
];

/// `extract_lo`'s advice: s div 1024^c for c = 1 .. 6.
const LO_ADVICE: [&str; 6] = [
    "    [fp + Q + 1] = advice div(s, P1024_1);",
    "    [fp + Q + 2] = advice div(s, P1024_2);",
    "    [fp + Q + 3] = advice div(s, P1024_3);",
    "    [fp + Q + 4] = advice div(s, P1024_4);",
    "    [fp + Q + 5] = advice div(s, P1024_5);",
    "    [fp + Q + 6] = advice div(s, P1024_6);",
];

/// `extract_ch`'s advice: s div 343^c for c = 1 .. 10.
const CH_ADVICE: [&str; 10] = [
    "    [fp + Q + 1] = advice div(s, P343_1);",
    "    [fp + Q + 2] = advice div(s, P343_2);",
    "    [fp + Q + 3] = advice div(s, P343_3);",
    "    [fp + Q + 4] = advice div(s, P343_4);",
    "    [fp + Q + 5] = advice div(s, P343_5);",
    "    [fp + Q + 6] = advice div(s, P343_6);",
    "    [fp + Q + 7] = advice div(s, P343_7);",
    "    [fp + Q + 8] = advice div(s, P343_8);",
    "    [fp + Q + 9] = advice div(s, P343_9);",
    "    [fp + Q + 10] = advice div(s, P343_10);",
];

/// `text` with `old` (which must occur exactly once) replaced by `new`.
fn replace_once(text: &str, old: &str, new: &str) -> String {
    assert_eq!(
        text.matches(old).count(),
        1,
        "expected once in sha256.zasm:\n{old}"
    );
    text.replace(old, new)
}

/// sha256.zasm with the consecutive advice `lines` reading `input` instead.
fn lying_source(lines: &[&str]) -> String {
    let honest = std::fs::read_to_string(root().join(SHA256)).expect("read sha256.zasm");
    let lying: Vec<String> = lines
        .iter()
        .map(|line| {
            let (dst, _) = line.split_once(" = advice div(").expect("an advice line");
            format!("{dst} = input;")
        })
        .collect();
    replace_once(&honest, &lines.join("\n"), &lying.join("\n"))
}

fn assemble(source: &str) -> zkvm_isa::Program {
    zkvm_assembler::assemble_str("sha256.zasm", source)
        .unwrap_or_else(|d| panic!("{}", d.render_plain()))
}

/// Faults of a range check or lookup of sha256.zasm: a read of [v + c] with v no u32 (an address
/// out of range) or beyond the top table (a never-written cell).
fn is_range_fault(fault: &zkvm_vm::Fault) -> bool {
    matches!(
        fault,
        zkvm_vm::Fault::UnwrittenRead { .. } | zkvm_vm::Fault::AddressOutOfRange { .. }
    )
}

/// A lying variant of sha256.zasm for one message, with the honest advice it must be fed.
struct Lying {
    source: String,
    program: zkvm_isa::Program,
    /// The honest digest.
    digest: Vec<Fr>,
    /// The variant's honest input: L, the bytes and the advice values, in the order read.
    inputs: Vec<Fr>,
    /// Per macro use, in execution order: the positions in `inputs` of its quotients.
    calls: Vec<Vec<usize>>,
    /// Per macro use: the dividend (x or s).
    dividends: Vec<Fr>,
}

impl Lying {
    fn new(lines: &[&str], message: &[u8]) -> Lying {
        let source = lying_source(lines);
        let program = assemble(&source);
        let honest = zkvm_assembler::assemble_file(&root().join(SHA256))
            .unwrap_or_else(|d| panic!("{}", d.render_plain()));
        // The rewrite changes only the advice instructions, each into an `input`.
        assert_eq!(program.instructions.len(), honest.instructions.len());
        let rewritten: Vec<bool> = honest
            .instructions
            .iter()
            .zip(&program.instructions)
            .map(|(h, l)| {
                if h == l {
                    return false;
                }
                assert!(
                    matches!(h.opcode, zkvm_isa::Opcode::Advice(_))
                        && l.opcode == zkvm_isa::Opcode::Input,
                    "{h:?} -> {l:?}"
                );
                true
            })
            .collect();
        assert!(rewritten.iter().any(|&r| r));

        let config = zkvm_vm::RunConfig {
            record_trace: true,
            ..zkvm_vm::RunConfig::default()
        };
        let message_fr: Vec<Fr> = inputs(message).into_iter().map(Fr::from).collect();
        let exec = zkvm_vm::run(&honest, &message_fr, &config).expect("honest run");
        let (mut inputs, mut calls, mut dividends) =
            (Vec::new(), Vec::<Vec<usize>>::new(), Vec::new());
        for step in exec.trace.as_deref().expect("trace") {
            let pc = step.pc as usize;
            let value = step.advice;
            if rewritten[pc] {
                // The quotients of one macro use run back to back, all dividing the same value.
                let dividend = step.accesses[1].expect("op0 read").value;
                if calls.last().is_none_or(|c| c.len() == lines.len()) {
                    calls.push(Vec::new());
                    dividends.push(dividend);
                }
                assert_eq!(dividends.last(), Some(&dividend));
                calls.last_mut().expect("a call").push(inputs.len());
                inputs.push(value.expect("advice value"));
            } else if honest.instructions[pc].opcode == zkvm_isa::Opcode::Input {
                inputs.push(value.expect("input value"));
            }
        }
        assert_eq!(calls.last().map(Vec::len), Some(lines.len()));
        Lying {
            source,
            program,
            digest: exec.output,
            inputs,
            calls,
            dividends,
        }
    }

    /// The quotients of macro use `call`.
    fn quotients(&self, call: usize) -> Vec<Fr> {
        self.calls[call].iter().map(|&i| self.inputs[i]).collect()
    }

    /// The honest inputs with the quotients of macro use `call` replaced by `q`.
    fn with(&self, call: usize, q: &[Fr]) -> Vec<Fr> {
        let mut inputs = self.inputs.clone();
        for (&i, v) in self.calls[call].iter().zip(q) {
            inputs[i] = *v;
        }
        inputs
    }

    fn run(&self, inputs: &[Fr]) -> Result<Vec<Fr>, zkvm_vm::Fault> {
        run_program(&self.program, inputs)
    }

    /// Asserts that quotients `q` for macro use `call` make the run fail in a range check.
    fn assert_rejected(&self, call: usize, q: &[Fr], what: &str) {
        match self.run(&self.with(call, q)) {
            Err(fault) => assert!(is_range_fault(&fault), "use {call}, {what}: {fault}"),
            Ok(out) => panic!("use {call}, {what}: accepted, output {out:?}"),
        }
    }

    /// Every quotient of macro use `call` off by one either way.
    fn assert_off_by_one_rejected(&self, call: usize) {
        let honest = self.quotients(call);
        for k in 0..honest.len() {
            for delta in [Fr::from(1u64), -Fr::from(1u64)] {
                let mut q = honest.clone();
                q[k] += delta;
                self.assert_rejected(call, &q, &format!("quotient {} {delta:+}", k + 1));
            }
        }
    }

    /// The quotients q_c = floor(v / base^c) shifted to q_c + sign base^(top - c) for c >= 1:
    /// every chunk q_c - base q_(c+1) below the top one keeps its value, the top chunk moves by
    /// `sign` (so the result would change) and only the lowest chunk, v - base q_1, absorbs the
    /// difference (sign base^top). The run must fail.
    fn assert_top_shift_rejected(&self, call: usize, base: u64) {
        let honest = self.quotients(call);
        let top = honest.len();
        for sign in [Fr::from(1u64), -Fr::from(1u64)] {
            let q: Vec<Fr> = honest
                .iter()
                .enumerate()
                .map(|(i, &q)| q + sign * Fr::from(base).pow([(top - 1 - i) as u64]))
                .collect();
            self.assert_rejected(call, &q, &format!("top chunk {sign:+}"));
        }
    }
}

fn run_program(program: &zkvm_isa::Program, inputs: &[Fr]) -> Result<Vec<Fr>, zkvm_vm::Fault> {
    zkvm_vm::run(program, inputs, &zkvm_vm::RunConfig::default())
        .map(|e| e.output)
        .map_err(|e| e.fault)
}

/// The honest advice, fed back, reproduces the digest.
fn assert_honest(lying: &Lying) {
    assert_eq!(
        hex_digest(&lying.digest),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(lying.run(&lying.inputs), Ok(lying.digest.clone()));
}

/// `split`: a sum x of words is cut into bytes b_k = q_k - 256 q_(k+1) (q_0 = x) and a carry
/// q_4, each range-checked, and the word is x - 2^32 q_4.
#[test]
fn sha256_pins_the_byte_splits() {
    let lying = Lying::new(&SPLIT_ADVICE, b"abc");
    assert_honest(&lying);
    // H(0) into records -4 .. -1, the length field, 2 per round, 1 per scheduled word, H += ....
    assert_eq!(lying.calls.len(), 8 + 1 + 2 * 64 + 48 + 8);
    let h0 = 8 + 1 + 2 * 64 + 48; // the last block's H0 + a: the first digest word
    for call in [0, 8, 9, 10, 8 + 1 + 32, h0, h0 + 7] {
        lying.assert_off_by_one_rejected(call);
    }
    // In every use: the carry by +-1, the other quotients by +-2^24, 2^16, 2^8: bytes 1 .. 3
    // unchanged, byte 0 and the word off by -+2^32.
    for call in 0..lying.calls.len() {
        lying.assert_top_shift_rejected(call, 256);
    }

    // A prover claiming the first digest word is H0 + 1: the bytes of H0 + 1 and the quotients
    // that make split's field identities hold for them. Every byte passes its check; the carry,
    // (x - (H0 + 1)) / 2^32 in the field, is no small integer and fails its range check...
    let x = lying.dividends[h0];
    let wrong = (zkvm_isa::fr_to_u64(&lying.digest[0]).expect("u32") + 1) % (1 << 32);
    let bytes = wrong.to_le_bytes().map(|b| Fr::from(u64::from(b)));
    let b256 = Fr::from(256u64);
    let q4 = (x - Fr::from(wrong)) * Fr::from(1u64 << 32).inverse().expect("invertible");
    let q3 = bytes[3] + b256 * q4;
    let q2 = bytes[2] + b256 * q3;
    let q1 = bytes[1] + b256 * q2;
    assert_eq!(x - b256 * q1, bytes[0]);
    let q = [q1, q2, q3, q4];
    lying.assert_rejected(h0, &q, "first word + 1");
    // ... which is what stops it: without that check, the run outputs the wrong digest.
    let unchecked = assemble(&replace_once(
        &lying.source,
        "    range_check([fp + Q + 4], n);\n",
        "",
    ));
    let mut forged = lying.digest.clone();
    forged[0] = Fr::from(wrong);
    assert_eq!(run_program(&unchecked, &lying.with(h0, &q)), Ok(forged));
}

/// `extract_lo`: a spread sum s (base 4) is cut into 5-digit chunks q_c - 1024 q_(c+1)
/// (q_0 = s), each range-checked by its lookup in LO, the topmost table.
#[test]
fn sha256_pins_the_base4_extractions() {
    let lying = Lying::new(&LO_ADVICE, b"abc");
    assert_honest(&lying);
    // Σ1(e), Σ0(a) and a ^ b ^ c per round, σ0 and σ1 per scheduled word.
    assert_eq!(lying.calls.len(), 3 * 64 + 2 * 48);
    for call in [0, 1, 2, 3 * 16, 3 * 16 + 1, 3 * 64 + 2 * 48 - 1] {
        lying.assert_off_by_one_rejected(call);
    }
    for call in 0..lying.calls.len() {
        lying.assert_top_shift_rejected(call, 1024);
    }
}

/// `extract_ch`: the base-7 sum for Ch is cut into 3-digit chunks q_c - 343 q_(c+1)
/// (q_0 = s), each range-checked by a read at the top of the tables before its CH7 lookup.
#[test]
fn sha256_pins_the_base7_extractions() {
    let lying = Lying::new(&CH_ADVICE, b"abc");
    assert_honest(&lying);
    assert_eq!(lying.calls.len(), 64);
    for call in [0, 1, 17, 63] {
        lying.assert_off_by_one_rejected(call);
    }
    for call in 0..lying.calls.len() {
        lying.assert_top_shift_rejected(call, 343);
    }

    // q_1 - 1 moves chunk 0 up by 343 and chunk 1 down by 1. CH7 is not the topmost table:
    // its lookup alone would read LO[chunk 0] and go on. Take the last round whose chunk 1 is
    // not 0 (so it stays in range; after it no later Ch needs recomputed advice): the chunk's
    // range check rejects the lie...
    let call = (0..lying.calls.len())
        .rev()
        .find(|&c| {
            let q = lying.quotients(c);
            zkvm_isa::fr_to_u64(&(q[0] - Fr::from(343u64) * q[1])).expect("a chunk") > 0
        })
        .expect("a round with chunk 1 > 0");
    let mut q = lying.quotients(call);
    q[0] -= Fr::from(1u64);
    lying.assert_rejected(call, &q, "chunk 0 + 343");
    // ... and without it the run succeeds with a wrong digest.
    let unchecked = assemble(&replace_once(
        &lying.source,
        "    range_check([fp + CHUNK], 343);\n",
        "",
    ));
    let forged = run_program(&unchecked, &lying.with(call, &q)).expect("accepted unchecked");
    assert_ne!(forged, lying.digest);
}

/// The invariant behind the lookups and range checks: the program first writes its tables,
/// each cell once, upward from its first write; every later write goes below them. So the
/// tables keep their constants and nothing is ever written above the topmost one (a range
/// check reads past the top and faults on a never-written cell).
#[test]
fn sha256_never_writes_at_or_above_the_tables() {
    let program = zkvm_assembler::assemble_file(&root().join(SHA256))
        .unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let config = zkvm_vm::RunConfig {
        record_trace: true,
        ..zkvm_vm::RunConfig::default()
    };
    for m in [message(3), FIPS_56.into(), message(200)] {
        let input: Vec<Fr> = inputs(m.as_bytes()).into_iter().map(Fr::from).collect();
        let exec = zkvm_vm::run(&program, &input, &config).expect("run");
        let writes: Vec<u32> = exec
            .trace
            .as_deref()
            .expect("trace")
            .iter()
            .flat_map(|s| s.accesses.iter().flatten())
            .filter(|a| a.write)
            .map(|a| a.addr)
            .collect();
        let tables = writes[0];
        let n = writes.iter().take_while(|&&a| a >= tables).count();
        assert!(
            writes[..n].iter().zip(tables..).all(|(&a, b)| a == b),
            "the tables are written in order"
        );
        assert_eq!(n, 4 * 1024 + 256 + 256 + 343 + 1024, "table cells");
        assert!(writes[n..].iter().all(|&a| a < tables), "{} bytes", m.len());
    }
}
