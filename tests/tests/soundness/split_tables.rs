//! Short runs with split range and bitwise tables ([`LookupTables::Split`]): forged halves
//! proven with the real prover against the split-table machine and rejected by `zkvm verify` —
//! a 16-bit limb out of range however the forger splits it (a high byte of 256, an address out
//! of the 8-bit table; or a low byte past it), a wrong bitwise result, a nibble out of range,
//! tampered multiplicities of the half tables, and proofs relabelled between full and split
//! tables. The same forgeries against the full tables are in [`super::zasm`] and
//! [`super::rv32im`].

use ark_bn254::Fr;
use ark_ff::One;
use zkvm_prover::machine::balance::Multiset;
use zkvm_prover::machine::split_tables::{HighHalf, LookupTables};
use zkvm_prover::machine::table_cols;
use zkvm_prover::pipeline;
use zkvm_prover::proof::VmProof;

use super::forge::{edit_proof, honest_high, stage, Forge};
use super::rv32im::{
    exit_code, forge_shift_by_two, li, one_shifted_by_one, pc_of, program, row_of, A0, T0, T1,
};
use super::zasm::forge_ap_beyond_u32;

const SHIFT: &str = "shift: shamt = y0 & 31";

/// An honest RV32IM run with a bitwise lookup (the shift amount of `slli`).
fn honest_shift() -> Forge {
    Forge::rv(one_shifted_by_one(), &[])
}

#[test]
fn honest_short_runs_of_both_isas_verify_with_split_tables() {
    let zasm = "main:\n [ap] = 5, ap++;\n output [ap - 1];\n halt;\n";
    let verdict = Forge::zasm(zasm, &[]).prove_split(honest_high, |_| {});
    assert_eq!(verdict.rejected_by, None, "{verdict:?}");
    let verdict = honest_shift().prove_split(honest_high, |_| {});
    assert_eq!(verdict.rejected_by, None, "{verdict:?}");
}

#[test]
fn the_prover_splits_short_runs_only_and_the_proof_says_so() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/zasm/fib.zasm");
    let fib = zkvm_assembler::assemble_file(std::path::Path::new(path)).expect("fib assembles");
    // fib(n) runs 5n + 11 cycles: 2^7 rows for n = 20, 2^13 for n = 900. zasm's largest full
    // table has 2^16 rows: runs of up to 2^12 rows split.
    let mut proofs = Vec::new();
    for (n, tables) in [(20u64, LookupTables::Split), (900, LookupTables::Full)] {
        let (_, bytes, report) =
            pipeline::prove_zasm(&fib, &[Fr::from(n)], 1 << 20).expect("fib proves");
        let proof = VmProof::from_bytes(&bytes).expect("a proof");
        assert_eq!(proof.tables, tables, "n = {n}");
        assert_eq!(report.tables, tables.name());
        pipeline::verify_zasm(&fib, &bytes).expect("an honest proof verifies");
        proofs.push(bytes);
    }
    // Relabelled, each proof is for a machine with other columns and lookups.
    for (bytes, other) in proofs.iter().zip([LookupTables::Full, LookupTables::Split]) {
        let relabelled = edit_proof(bytes, |p| p.tables = other);
        let error = pipeline::verify_zasm(&fib, &relabelled).expect_err("relabelled");
        assert_eq!(stage(&error), "shape", "{error}");
    }
}

#[test]
fn a_16_bit_limb_out_of_range_is_rejected_however_it_is_split() {
    // ap's low limb is 2^16 + 15. Split honestly, its high byte is 256: an address beyond the
    // 8-bit table.
    forge_ap_beyond_u32()
        .prove_split(honest_high, |_| {})
        .assert_lookup("range: ap low limb (high byte)", Multiset::Range8);
    // A high byte of 255 is in range; the low byte is then 2^16 + 15 − 255·2^8 = 271.
    let high_255 = |half: &HighHalf, row, whole| {
        if half.name == "range: ap low limb: high half" {
            Fr::from(255u64)
        } else {
            honest_high(half, row, whole)
        }
    };
    forge_ap_beyond_u32()
        .prove_split(high_255, |_| {})
        .assert_lookup("range: ap low limb (low byte)", Multiset::Range8);
}

#[test]
fn a_wrong_bitwise_result_is_rejected_in_nibbles() {
    // 1 & 31 claimed to be 2: the low nibbles (1, 15) → 2 miss; the high ones (0, 1) → 0 hold.
    forge_shift_by_two()
        .prove_split(honest_high, |_| {})
        .assert_lookup(&format!("{SHIFT} (low nibbles)"), Multiset::Bitwise4);
}

#[test]
fn a_nibble_out_of_range_is_rejected() {
    // On the `slli` row, 1 & 31 with 31 split as high nibble 2 and low nibble 31 − 32 = −1: the
    // high nibbles (0, 2) → 0 are a row of the table, the low nibble is no address in it.
    let f = honest_shift();
    let slli = row_of(&f, pc_of(1), false);
    let bump = |half: &HighHalf, row, whole| {
        let high = honest_high(half, row, whole);
        if row == slli && half.name == format!("{SHIFT} b: high half") {
            high + Fr::one()
        } else {
            high
        }
    };
    f.clone()
        .prove_split(bump, |_| {})
        .assert_lookup(&format!("{SHIFT} (low nibbles)"), Multiset::Bitwise4);
}

#[test]
fn tampered_multiplicities_of_the_half_tables_are_rejected() {
    let zasm = "main:\n [ap] = 5, ap++;\n output [ap - 1];\n halt;\n";
    Forge::zasm(zasm, &[])
        .prove_split(honest_high, |w| {
            w.table_columns[table_cols::MULT_RANGE8][7] += Fr::one()
        })
        .assert_multiset(Multiset::Range8);
    honest_shift()
        .prove_split(honest_high, |w| {
            w.table_columns[table_cols::MULT_BITWISE4][1] += Fr::one()
        })
        .assert_multiset(Multiset::Bitwise4);
}

#[test]
fn an_operand_past_a_byte_is_caught_by_the_high_nibbles() {
    use zkvm_riscv::Instruction as I;
    // sll by a register holding 257 = 0x101: bytes y0 = 1, y1 = 1. The forger moves y1 into y0
    // (y0 = 257, y1 = 0): y is unchanged and 257 & 31 = 1 is still the shift amount, so the low
    // nibbles (1, 15) → 1 hold; only y0's high nibble, 16, is no address in the nibble table
    // (in both lookups of y0: the shift amount's and the byte check's).
    let p = program(&[
        li(T0, 1),
        li(T1, 257),
        I::Sll {
            rd: A0,
            rs1: T0,
            rs2: T1,
        },
    ]);
    assert_eq!(exit_code(&p, &[]), Some(2));
    let mut f = Forge::rv(p, &[]);
    let t = row_of(&f, pc_of(2), false);
    f.set("y0", t, Fr::from(257u64));
    f.set("y1", t, Fr::from(0u64));
    f.prove_split(honest_high, |_| {}).assert(
        "memory checking and lookups",
        &[],
        &[
            "bytes: operand byte 0 (high nibbles)",
            &format!("{SHIFT} (high nibbles)"),
        ],
        &[Multiset::Bitwise4],
    );
}
