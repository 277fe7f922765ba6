//! Instruction fetch by Shout ([`FetchArgument::Shout`]): forged fetches proven with the real
//! prover against the Shout-fetch machine, and rejected by `zkvm verify` at the Shout stage —
//! a field that is not the instruction's, bits naming another instruction (a read at the wrong
//! time), a padding row of the table (an address out of range), non-boolean bits (two hot
//! entries, or two half-hot ones), a proof made with another bytecode table, and tampered
//! proof files. The same forgeries under LogUp are in [`super::zasm`].

use ark_bn254::Fr;
use ark_ff::{Field, One};
use zkvm_prover::lower::zasm;
use zkvm_prover::proof::FetchProof;

use super::forge::{edit_proof, Forge, Program};
use super::rv32im::{li, program, A0};
use super::zasm::assemble;

const SHOUT: &str = "instruction fetch (shout)";

const CLAIMED: &str = "main:\n [ap] = 5, ap++;\n output [ap - 1];\n halt;\n";
const NEIGHBOUR: &str = "main:\n [ap] = 7, ap++;\n output [ap - 1];\n halt;\n";

/// The neighbour's honest run claimed as a run of `CLAIMED` (which only ever outputs 5): the
/// rows keep the neighbour's fields, so `[ap] = 7` is fetched where the program has `5`.
fn claimed_from_neighbour() -> Forge {
    let mut f = Forge::zasm(NEIGHBOUR, &[]);
    f.program = Program::Zasm(assemble(CLAIMED));
    f.claim_output_from_witness();
    assert_eq!(f.public.output, vec![Fr::from(7u64)]);
    f
}

#[test]
fn honest_runs_of_both_isas_verify_with_shout_fetch() {
    let verdict = Forge::zasm(CLAIMED, &[]).prove_shout(|_, _| {});
    assert_eq!(verdict.rejected_by, None, "{verdict:?}");
    // One instruction: a table of one row, no bits at all.
    let verdict = Forge::zasm("main:\n halt;\n", &[]).prove_shout(|_, _| {});
    assert_eq!(verdict.rejected_by, None, "{verdict:?}");
    let rv = program(&[li(A0, 3), li(A0, 4)]);
    let verdict = Forge::rv(rv, &[]).prove_shout(|_, _| {});
    assert_eq!(verdict.rejected_by, None, "{verdict:?}");
}

#[test]
fn a_field_that_is_not_the_instructions_is_rejected() {
    // Every constraint holds and memory balances: only the fetch can object.
    claimed_from_neighbour()
        .prove_shout(|_, _| {})
        .assert(SHOUT, &[], &[], &[]);
}

#[test]
fn a_proof_made_with_another_bytecode_table_is_rejected() {
    // The forger proves with the neighbour's table under the claimed program's digest: the
    // witness is consistent with the table it used, which is not the program's.
    let mut f = claimed_from_neighbour();
    f.machine.bytecode = zasm::bytecode_table(&assemble(NEIGHBOUR));
    f.prove_shout(|_, _| {}).assert(SHOUT, &[], &[], &[]);
}

#[test]
fn bits_naming_another_instruction_are_rejected() {
    // Row 0 fetches `[ap] = 5` (index 0), and its bits say index 1 (`output`).
    let mut f = Forge::zasm(CLAIMED, &[]);
    f.prove_shout(|w, fetch| {
        let last = *fetch.bits.last().expect("three instructions: two bits");
        w.columns[last][0] = Fr::one();
    })
    .assert(SHOUT, &[], &[], &[]);
}

#[test]
fn a_padding_row_of_the_table_is_never_fetched() {
    // Three instructions pad the table to four rows; the claimed program jumps to index 3,
    // where a neighbour with a fourth instruction (`halt`) runs on. The forger's bits name the
    // padding row 3, whose fields are zeros and whose validity is 0.
    let claimed = "main:\n [ap] = 2, ap++;\n jmp rel [ap - 1];\n halt;\n";
    let mut f = Forge::zasm(&format!("{claimed} halt;\n"), &[]);
    f.program = Program::Zasm(assemble(claimed));
    f.claim_output_from_witness();
    let verdict = f.prove_shout(|_, _| {});
    assert_eq!(verdict.rejected_by.as_deref(), Some(SHOUT), "{verdict:?}");
}

/// The audit's hole 1 under Shout: rows that fetch "all fields zero" — the padding rows'
/// content, index 0 included — and whose bits name a padding row satisfy every constraint and
/// every claimed field. Only the validity column tells a padding row from an instruction.
#[test]
fn a_padding_row_with_all_fields_zero_is_never_fetched() {
    let claimed = super::zasm::SKIPS_666;
    let honest = claimed.replacen("jmp skip;", "ap += 0;", 1);
    let mut f = super::zasm::forge_as(claimed, &honest);
    let fields = zasm::machine(&assemble(claimed), 4).1.fields;
    let rows = super::zasm::rows_at(&f, 0);
    for &t in &rows {
        for c in &fields[1..] {
            f.cols[*c][t] = Fr::from(0u64);
        }
    }
    assert_eq!(f.public.output, vec![Fr::from(666u64)]);
    f.prove_shout(|w, fetch| {
        for &t in &rows {
            for (i, c) in fetch.bits.iter().enumerate() {
                // 6 = 0b110, most significant bit first.
                w.columns[*c][t] = Fr::from(u64::from(i < 2));
            }
        }
    })
    .assert(SHOUT, &[], &[], &[]);
}

#[test]
fn non_boolean_bits_are_rejected() {
    let half = Fr::from(2u64).inverse().expect("2 is invertible");
    for (what, value) in [
        ("two hot entries (b = 2)", Fr::from(2u64)),
        ("two half-hot entries (b = 1/2)", half),
        ("b = -1", -Fr::one()),
    ] {
        let verdict = Forge::zasm(CLAIMED, &[]).prove_shout(|w, fetch| {
            w.columns[fetch.bits[0]][1] = value;
        });
        assert_eq!(verdict.rejected_by.as_deref(), Some(SHOUT), "{what}");
    }
}

#[test]
fn an_rv32im_field_that_is_not_the_instructions_is_rejected() {
    // The honest run of `li a0, 4; exit(a0)` claimed as a run of `li a0, 3; exit(a0)`, which
    // only ever exits with 3: every constraint holds and memory balances, and only the fetch
    // of the immediate objects.
    let mut f = Forge::rv(program(&[li(A0, 4)]), &[]);
    super::rv32im_pins::claim_program(&mut f, program(&[li(A0, 3)]));
    assert_eq!(f.public.exit_code, 4);
    f.prove_shout(|_, _| {}).assert(SHOUT, &[], &[], &[]);
}

#[test]
fn tampered_shout_proofs_are_rejected() {
    let mut f = Forge::zasm(CLAIMED, &[]);
    let (machine, witness) = f.shout_witness(|_, _| {});
    let mut g = f.clone();
    g.machine = machine;
    let bytes = g.prove_bytes(witness);
    assert_eq!(g.verify(&bytes), Ok(()));
    // The proof says LogUp but commits to the Shout machine's columns.
    let as_logup = edit_proof(&bytes, |p| p.fetch = FetchProof::LogUp);
    assert_eq!(g.verify(&as_logup).unwrap_err(), "shape");
    // A bit's value at the final point.
    let wrong_bit = edit_proof(&bytes, |p| {
        if let FetchProof::Shout(s) = &mut p.fetch {
            s.bit_evals[0] += Fr::one();
        }
    });
    assert_eq!(g.verify(&wrong_bit).unwrap_err(), SHOUT);
    // A round of the cycle sumcheck.
    let wrong_round = edit_proof(&bytes, |p| {
        if let FetchProof::Shout(s) = &mut p.fetch {
            s.cycle.rounds[0][0] += Fr::one();
        }
    });
    assert_eq!(g.verify(&wrong_round).unwrap_err(), SHOUT);
    // A bit's value at the reduced opening point.
    let bits_start = g.machine.shout_fetch.as_ref().expect("shout").bits[0];
    let committed_bit = zkvm_prover::proof::committed_columns(&g.machine)
        .iter()
        .position(|c| *c == bits_start)
        .expect("the bits are committed");
    let wrong_opened_bit = edit_proof(&bytes, |p| p.opening.evals[committed_bit] += Fr::one());
    assert_eq!(g.verify(&wrong_opened_bit).unwrap_err(), "opening");
}

/// A bytecode of 2^16 + 1 rows is the LogUp machine's largest table, but a Shout machine commits
/// no bytecode multiplicities: the verifier must size its commitment setup for the machine the
/// proof is for (an adversarial round found honest Shout proofs of such programs rejected).
#[test]
fn an_honest_shout_proof_of_a_large_program_verifies() {
    let mut source = String::from("main:\n jmp skip;\n");
    source.push_str(&" [ap] = 1, ap++;\n".repeat(65_535));
    source.push_str("skip:\n halt;\n");
    let program = assemble(&source);
    assert_eq!(program.instructions.len(), 65_537);
    let (_, proof, _) = zkvm_prover::pipeline::prove_zasm_with(
        &program,
        &[],
        1 << 10,
        zkvm_prover::machine::fetch::FetchArgument::Shout,
    )
    .expect("proves");
    zkvm_prover::pipeline::verify_zasm(&program, &proof).expect("verifies");
}
