//! `zkvm build`, and `disasm`/`run` for RV32IM ELF programs.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use zkvm_riscv::{Emulator, InstrClass, Opcode, RunConfig};

use crate::RunArgs;

/// Arguments of `zkvm build`.
#[derive(Args)]
pub struct BuildArgs {
    /// The guest crate's directory.
    pub guest_dir: PathBuf,
}

/// `zkvm build`: compile the guest for riscv32im-unknown-none-elf in release mode and print the
/// ELF's path on stdout.
pub fn build(args: &BuildArgs) -> anyhow::Result<u8> {
    let elf = zkvm_riscv::build_guest(&args.guest_dir, &mut |msg| eprintln!("zkvm build: {msg}"))?;
    println!("{}", elf.display());
    Ok(0)
}

fn load(path: &Path) -> anyhow::Result<zkvm_riscv::Program> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    zkvm_riscv::load_elf(&bytes).with_context(|| format!("{}: cannot load the ELF", path.display()))
}

/// `zkvm disasm` for ELF files: every word of the executable segments with its address and
/// symbol labels.
pub fn disasm(path: &Path) -> anyhow::Result<u8> {
    let program = load(path)?;
    match write_disasm(&program) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(0),
    }
}

fn write_disasm(program: &zkvm_riscv::Program) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    writeln!(out, "; entry {:#010x}", program.entry)?;
    for (addr, ins) in program.code() {
        for sym in program
            .symbols
            .iter()
            .filter(|s| s.addr == addr && s.is_func)
        {
            writeln!(out, "\n{addr:08x} <{}>:", sym.name)?;
        }
        let word = program
            .segments
            .iter()
            .find(|s| s.contains(addr))
            .map(|s| {
                let off = (addr - s.vaddr) as usize;
                let mut b = [0u8; 4];
                for (k, x) in b.iter_mut().enumerate() {
                    *x = s.data.get(off + k).copied().unwrap_or(0);
                }
                u32::from_le_bytes(b)
            })
            .unwrap_or(0);
        match ins {
            Ok(i) => writeln!(out, "{addr:8x}:  {word:08x}  {}", i.to_asm(addr))?,
            Err(_) => writeln!(out, "{addr:8x}:  {word:08x}  .word {word:#010x}")?,
        }
    }
    out.flush()
}

/// `zkvm run` for ELF files: private input from stdin, public output to stdout, debug output to
/// stderr, the guest's exit code (low 8 bits) as ours.
pub fn run(args: &RunArgs) -> anyhow::Result<u8> {
    crate::usage_ensure!(
        args.input.is_empty(),
        "--input is for zasm programs; an ELF guest reads its private input from stdin"
    );
    let program = load(&args.program)?;
    let input = crate::program::guest_input(args.stdin.as_deref())?;
    let config = RunConfig {
        max_cycles: args.max_cycles,
        record_trace: args.trace,
    };
    let mut machine = Emulator::new(&program, input)?;
    let started = std::time::Instant::now();
    let result = machine.run(&config);
    let elapsed = started.elapsed();
    if !args.json {
        crate::prove_cmd::print_output(&zkvm_host::Output::Bytes(machine.stdout().to_vec()))?;
    }
    std::io::stderr().write_all(machine.stderr())?;
    let code = result.with_context(|| format!("{}: the guest failed", args.program.display()))?;
    let execution = machine.into_execution(code);
    if let Some(trace) = &execution.trace {
        let mut err = std::io::BufWriter::new(std::io::stderr().lock());
        for step in trace {
            write!(err, "{:08x}  {:<28}", step.pc, step.instr.to_asm(step.pc))?;
            if let Some(rd) = step.instr.rd().filter(|&r| r != 0) {
                write!(
                    err,
                    " {}={:#x}",
                    zkvm_riscv::instruction::REG_NAMES[usize::from(rd)],
                    step.rd_val
                )?;
            }
            if let Some(m) = &step.mem {
                let kind = if m.store { "store" } else { "load" };
                write!(err, " {kind}{}[{:#x}]={:#x}", m.width * 8, m.addr, m.value)?;
            }
            if let Some(s) = &step.syscall {
                write!(err, " {s:?}")?;
            }
            writeln!(err)?;
        }
    }
    let s = &execution.summary;
    crate::program::warn_if_unprovable("rv32im", s.cycles);
    if args.json {
        let classes: serde_json::Map<String, serde_json::Value> = s
            .per_class()
            .into_iter()
            .map(|(c, n)| (c.name().to_string(), n.into()))
            .collect();
        let mix: serde_json::Map<String, serde_json::Value> = s
            .mix()
            .into_iter()
            .map(|(o, n)| (o.mnemonic().to_string(), n.into()))
            .collect();
        let output = zkvm_host::Output::Bytes(execution.stdout.clone());
        let json = serde_json::json!({
            "isa": "rv32im",
            "public_output": crate::prove_cmd::output_json(&output),
            "exit_code": execution.exit_code,
            "cycles": s.cycles,
            "seconds": elapsed.as_secs_f64(),
            "opcodes": mix,
            "classes": classes,
        });
        println!("{json}");
    }
    if args.stats && !args.json {
        print_stats(s, elapsed, execution.exit_code);
    }
    Ok((execution.exit_code & 0xff) as u8)
}

fn print_stats(s: &zkvm_riscv::Summary, elapsed: std::time::Duration, exit_code: u32) {
    let total = s.cycles.max(1) as f64;
    eprintln!(
        "cycles: {}  exit code: {exit_code}  time: {:.3} s ({:.1} M instr/s)",
        s.cycles,
        elapsed.as_secs_f64(),
        s.cycles as f64 / elapsed.as_secs_f64().max(1e-9) / 1e6
    );
    eprintln!("{:<8} {:>12} {:>7}", "class", "count", "share");
    for (c, n) in s.per_class() {
        if n > 0 || c == InstrClass::Alu {
            eprintln!("{:<8} {n:>12} {:>6.2}%", c.name(), 100.0 * n as f64 / total);
        }
    }
    let mix: Vec<(Opcode, u64)> = s.mix();
    let top: Vec<String> = mix
        .iter()
        .take(12)
        .map(|(o, n)| format!("{o} {n}"))
        .collect();
    eprintln!("top opcodes: {}", top.join(", "));
}
