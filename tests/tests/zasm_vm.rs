//! Runtime faults of the zasm VM (each with cycle, pc and source line), and trace properties.

use zkvm_assembler::assemble_str;
use zkvm_isa::{Fr, Opcode, DATA_START};
use zkvm_vm::{run, Fault, RunConfig, VmError};

fn fail(src: &str, inputs: &[u64], max_cycles: u64) -> VmError {
    let p = assemble_str("f.zasm", src).unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let inputs: Vec<Fr> = inputs.iter().map(|&v| Fr::from(v)).collect();
    let cfg = RunConfig {
        max_cycles,
        ..RunConfig::default()
    };
    run(&p, &inputs, &cfg).expect_err("should fault")
}

#[test]
fn failed_assert() {
    let e = fail(
        "main:\n    [ap] = 3, ap++;\n    assert [ap - 1] == 4;\n    halt;\n",
        &[],
        100,
    );
    assert_eq!(
        e.fault,
        Fault::AssertFailed {
            left: "3".into(),
            right: "4".into()
        }
    );
    assert_eq!((e.cycle, e.pc), (1, 1));
    assert_eq!(e.location.as_deref(), Some("f.zasm:3:5"));
    assert_eq!(
        e.to_string(),
        "assertion failed: 3 != 4 (cycle 1, pc 1, at f.zasm:3:5): `assert [ap - 1] == 4;`"
    );
}

#[test]
fn unwritten_read() {
    let e = fail("main:\n    output [fp - 3];\n    halt;\n", &[], 100);
    assert_eq!(
        e.fault,
        Fault::UnwrittenRead {
            addr: DATA_START - 3
        }
    );
    assert_eq!(e.location.as_deref(), Some("f.zasm:2:5"));
}

#[test]
fn cycle_limit() {
    let e = fail("main:\nloop:\n    jmp loop;\n", &[], 1000);
    assert_eq!(e.fault, Fault::CycleLimit { max: 1000 });
    assert_eq!(e.cycle, 1000);
}

#[test]
fn jump_outside_the_program() {
    let e = fail("main:\n    jmp rel 5;\n    halt;\n", &[], 100);
    assert_eq!(
        e.fault,
        Fault::JumpOutside {
            target: "5".into(),
            len: 2
        }
    );
    let e = fail(
        "main:\n    [ap] = -1, ap++;\n    jmp abs [ap - 1];\n",
        &[],
        100,
    );
    assert!(matches!(e.fault, Fault::JumpOutside { .. }), "{e}");
    assert_eq!(e.location.as_deref(), Some("f.zasm:3:5"));
}

#[test]
fn input_exhausted() {
    let e = fail(
        "main:\n    [ap] = input, ap++;\n    [ap] = input, ap++;\n    halt;\n",
        &[1],
        100,
    );
    assert_eq!(e.fault, Fault::InputExhausted { read: 1 });
    assert_eq!(e.location.as_deref(), Some("f.zasm:3:5"));
}

#[test]
fn invalid_advice() {
    let e = fail(
        "main:\n    [ap] = 0, ap++;\n    [ap] = advice inv([ap - 1]);\n    halt;\n",
        &[],
        100,
    );
    assert_eq!(
        e.fault,
        Fault::InvalidAdvice {
            kind: "inv",
            arg: "0".into()
        }
    );
    assert_eq!(e.location.as_deref(), Some("f.zasm:3:5"));
    let e = fail("main:\n    [ap] = advice sqrt(5);\n    halt;\n", &[], 100);
    assert!(
        matches!(e.fault, Fault::InvalidAdvice { kind: "sqrt", .. }),
        "{e}"
    );
}

#[test]
fn negative_address() {
    let e = fail("main:\n    ap += -17;\n    halt;\n", &[], 100);
    assert!(matches!(e.fault, Fault::ApOutOfRange { .. }), "{e}");
    let e = fail(
        "main:\n    [ap] = 5, ap++;\n    [ap] = [[ap - 1] - 6];\n    halt;\n",
        &[],
        100,
    );
    assert!(matches!(e.fault, Fault::AddressOutOfRange { .. }), "{e}");
}

#[test]
fn trace_records_every_access() {
    let src = "sq:\n    [ap] = [fp - 3] * [fp - 3], ap++;\n    ret;\nmain:\n    [ap] = input, ap++;\n    call sq;\n    output [ap - 1];\n    [ap] = advice sqrt([ap - 1]);\n    halt;\n";
    let p = assemble_str("t.zasm", src).unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let cfg = RunConfig {
        record_trace: true,
        ..RunConfig::default()
    };
    let ex = run(&p, &[Fr::from(7u64)], &cfg).expect("run");
    assert_eq!(ex.output, vec![Fr::from(49u64)]);
    let t = ex.trace.expect("trace");
    assert_eq!(t.len(), 7);
    let s = DATA_START;
    // input: writes [s], advice = 7
    assert_eq!((t[0].pc, t[0].ap, t[0].fp), (p.entry, s, s));
    assert_eq!(t[0].advice, Some(Fr::from(7u64)));
    let w = t[0].accesses[0].expect("dst");
    assert!(w.write && w.addr == s && w.value == Fr::from(7u64));
    // call: writes [s+1] = fp, [s+2] = return pc
    let c = &t[1];
    assert_eq!(p.instructions[c.pc as usize].opcode, Opcode::Call);
    let (a0, a1) = (c.accesses[0].expect("dst"), c.accesses[1].expect("op0"));
    assert!(a0.write && a0.addr == s + 1 && a0.value == Fr::from(u64::from(s)));
    assert!(a1.write && a1.addr == s + 2 && a1.value == Fr::from(u64::from(c.pc + 1)));
    // inside sq: fp = ap = s + 3; reads [fp - 3] twice, writes [fp]
    assert_eq!((t[2].fp, t[2].ap), (s + 3, s + 3));
    let [d, o0, o1] = t[2].accesses;
    assert!(d.expect("dst").write && d.expect("dst").value == Fr::from(49u64));
    assert_eq!(o0.expect("op0").addr, s);
    assert_eq!(o1.expect("op1").addr, s);
    // ret: reads [fp - 2] and [fp - 1]
    let r = t[3].accesses;
    assert_eq!(r[0].expect("dst").addr, s + 1);
    assert!(r[1].is_none());
    assert_eq!(r[2].expect("op1").addr, s + 2);
    assert_eq!((t[4].fp, t[4].ap), (s, s + 4));
    // advice sqrt(49) = 7
    assert_eq!(t[5].advice, Some(Fr::from(7u64)));
    // halt: no access
    assert!(t[6].accesses.iter().all(Option::is_none));
    assert_eq!(ex.final_state.pc, t[6].pc);
    assert_eq!(ex.summary.cycles, 7);
    assert_eq!(ex.summary.memory_cells, 5);
    let calls = ex
        .summary
        .opcode_counts
        .iter()
        .find(|(o, _)| *o == Opcode::Call);
    assert_eq!(calls, Some(&(Opcode::Call, 1)));
}

#[test]
fn read_before_write_within_a_step() {
    let p = assemble_str(
        "t.zasm",
        "main:\n    [fp] = 5;\n    [fp] = [fp] + 1;\n    output [fp];\n    halt;\n",
    )
    .unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let ex = run(
        &p,
        &[],
        &RunConfig {
            record_trace: true,
            ..RunConfig::default()
        },
    )
    .expect("run");
    assert_eq!(ex.output, vec![Fr::from(6u64)]);
    let t = ex.trace.expect("trace");
    let [d, o0, _] = t[1].accesses;
    assert_eq!(o0.expect("op0").value, Fr::from(5u64));
    assert_eq!(d.expect("dst").value, Fr::from(6u64));
}

#[test]
fn a_fault_in_a_called_routine_shows_its_call_chain() {
    let src = "main:\n    [ap] = 0, ap++;\n    call f;\n    halt;\nf:\n    call g;\n    ret;\ng:\n    [ap] = 7, ap++;\n    assert [ap - 1] == 8;\n    ret;\n";
    let e = fail(src, &[], 100);
    assert_eq!(e.location.as_deref(), Some("f.zasm:10:5"));
    assert_eq!(*e.called_from, ["f.zasm:6:5", "f.zasm:3:5"]);
    let message = e.to_string();
    assert!(
        message.ends_with("\n    called from f.zasm:6:5\n    called from f.zasm:3:5"),
        "{message}"
    );
    // A fault in main has no call chain.
    let e = fail("main:\n    assert [ap] == 1;\n    halt;\n", &[], 100);
    assert!(e.called_from.is_empty());
}
