//! `zkvm asm`, and `disasm`/`run` for zasm programs.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use zkvm_isa::{Fr, Program};
use zkvm_vm::{Access, RunConfig};

use crate::program::{detect, Kind};
use crate::RunArgs;

/// Arguments of `zkvm asm`.
#[derive(Args)]
pub struct AsmArgs {
    /// The .zasm source file.
    pub source: PathBuf,
    /// Output file (default: the source with the extension .zbin).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// Assembles `path`, printing the diagnostics on stderr on failure.
fn assemble(path: &Path) -> anyhow::Result<Option<Program>> {
    match zkvm_assembler::assemble_file(path) {
        Ok(p) => Ok(Some(p)),
        Err(d) => {
            eprint!("{}", d.render());
            let n = d.errors.len();
            eprintln!(
                "error: {} failed to assemble ({n} error{})",
                path.display(),
                if n == 1 { "" } else { "s" }
            );
            Ok(None)
        }
    }
}

/// Loads a `.zasm` (assembling it) or `.zbin` program; `None` when assembly failed.
pub fn load(path: &Path) -> anyhow::Result<Option<Program>> {
    match detect(path)? {
        Kind::ZasmSource => assemble(path),
        _ => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let p = Program::from_zbin(&bytes)
                .with_context(|| format!("{} is not a valid .zbin program", path.display()))?;
            Ok(Some(p))
        }
    }
}

/// `zkvm asm`.
pub fn asm(args: &AsmArgs) -> anyhow::Result<u8> {
    let Some(program) = assemble(&args.source)? else {
        return Ok(1);
    };
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| args.source.with_extension("zbin"));
    std::fs::write(&out, program.to_zbin())
        .with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!(
        "wrote {} ({} instructions, {} words)",
        out.display(),
        program.instructions.len(),
        program.words().len()
    );
    Ok(0)
}

/// `zkvm disasm` for zasm programs.
pub fn disasm(path: &Path) -> anyhow::Result<u8> {
    let Some(program) = load(path)? else {
        return Ok(1);
    };
    print!("{}", program.disassemble());
    Ok(0)
}

/// Parses a private input value: decimal or 0x-hex, optionally negative (taken mod p).
pub fn parse_input(s: &str) -> anyhow::Result<Fr> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    let ok = match digits.strip_prefix("0x") {
        Some(h) => !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()),
        None => !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()),
    };
    anyhow::ensure!(
        ok,
        "bad --input value `{s}`: expected a decimal or 0x-hex number"
    );
    let v = zkvm_assembler::parse_number(digits);
    Ok(if neg { -v } else { v })
}

/// Expands `--input` arguments into single values: an argument `@FILE` stands for the values in
/// FILE (separated by whitespace or commas), any other argument is one value. Every value is
/// checked with [`parse_input`]; an error names the file and the offending value.
pub fn expand_inputs(args: &[String]) -> anyhow::Result<Vec<String>> {
    let mut values = Vec::new();
    for arg in args {
        match arg.strip_prefix('@') {
            Some(file) => {
                let text = std::fs::read_to_string(file)
                    .with_context(|| format!("--input @{file}: cannot read `{file}`"))?;
                for v in text.split(|c: char| c.is_whitespace() || c == ',') {
                    if !v.is_empty() {
                        parse_input(v).with_context(|| format!("--input @{file}"))?;
                        values.push(v.to_string());
                    }
                }
            }
            None => {
                parse_input(arg)?;
                values.push(arg.clone());
            }
        }
    }
    Ok(values)
}

/// Parses `--input` arguments (values or `@FILE`, see [`expand_inputs`]) into field elements.
pub fn parse_inputs(args: &[String]) -> anyhow::Result<Vec<Fr>> {
    expand_inputs(args)?
        .iter()
        .map(|s| parse_input(s))
        .collect()
}

fn access_str(a: &Option<Access>) -> String {
    match a {
        None => "-".into(),
        Some(a) => format!(
            "{}[{}]={}",
            if a.write { "W" } else { "R" },
            a.addr,
            zkvm_isa::fmt_fr(&a.value)
        ),
    }
}

/// `zkvm run` for zasm programs.
pub fn run(args: &RunArgs) -> anyhow::Result<u8> {
    crate::usage_ensure!(
        args.stdin.is_none(),
        "--stdin is for ELF guests; a zasm program takes its private input with --input"
    );
    let inputs = parse_inputs(&args.input)?;
    let Some(program) = load(&args.program)? else {
        return Ok(1);
    };
    let config = RunConfig {
        max_cycles: args.max_cycles,
        record_trace: args.trace,
        ..RunConfig::default()
    };
    let start = std::time::Instant::now();
    let ex = match zkvm_vm::run(&program, &inputs, &config) {
        Ok(ex) => ex,
        Err(e) => {
            eprintln!("error: {} failed: {e}", args.program.display());
            return Ok(1);
        }
    };
    let elapsed = start.elapsed();
    if let Some(trace) = &ex.trace {
        for (i, s) in trace.iter().enumerate() {
            let ins = program.instructions[s.pc as usize];
            let advice = s
                .advice
                .map(|a| format!(" advice={}", zkvm_isa::fmt_fr(&a)))
                .unwrap_or_default();
            eprintln!(
                "{i:>6} pc={:<4} ap={:<6} fp={:<6} {:<40} dst:{} op0:{} op1:{}{advice}",
                s.pc,
                s.ap,
                s.fp,
                format!("{ins};"),
                access_str(&s.accesses[0]),
                access_str(&s.accesses[1]),
                access_str(&s.accesses[2]),
            );
        }
    }
    let output = zkvm_host::Output::Fields(ex.output.clone());
    let s = &ex.summary;
    crate::program::warn_if_unprovable("zasm", s.cycles);
    if args.json {
        let counts: serde_json::Map<String, serde_json::Value> = s
            .opcode_counts
            .iter()
            .map(|(o, c)| (o.name().to_string(), serde_json::Value::from(*c)))
            .collect();
        let j = serde_json::json!({
            "isa": "zasm",
            "public_output": crate::prove_cmd::output_json(&output),
            "exit_code": 0,
            "cycles": s.cycles,
            "seconds": elapsed.as_secs_f64(),
            "opcodes": counts,
            "memory_cells": s.memory_cells,
            "inputs_read": s.inputs_read,
            "instructions": program.instructions.len(),
        });
        println!("{j}");
    } else {
        print!("{output}");
    }
    if args.stats && !args.json {
        eprintln!("cycles:        {}", s.cycles);
        eprintln!("memory cells:  {}", s.memory_cells);
        eprintln!("inputs read:   {}", s.inputs_read);
        eprintln!("outputs:       {}", ex.output.len());
        eprintln!("program size:  {} instructions", program.instructions.len());
        eprintln!("run time:      {:.3} ms", elapsed.as_secs_f64() * 1e3);
        eprintln!("opcode mix:");
        for (o, c) in &s.opcode_counts {
            eprintln!("  {:<12} {c}", o.name());
        }
    }
    Ok(0)
}
