//! Prove programs from your own Rust code: load a zasm program or an RV32IM guest, give it
//! private input, execute it, prove the run and verify the proof — what `zkvm run`, `zkvm prove`
//! and `zkvm verify` do, as a library (the command line is built on it).
//!
//! ```
//! use zkvm_host::{Input, Program};
//!
//! // A zasm program that squares its private input and outputs the square.
//! let source = "main:\n [ap] = input, ap++;\n [ap] = [ap - 1] * [ap - 1], ap++;\n output [ap - 1];\n halt;\n";
//! let program = Program::zasm("square.zasm", source)?;
//! let input = Input::new().field(12);
//!
//! // Execute only (fast), then prove and verify.
//! assert_eq!(program.execute(&input)?.output.to_string(), "144\n");
//! let proof = program.prove(&input)?;
//! let verified = program.verify(&proof.bytes)?;
//! assert_eq!(verified.output, proof.output);
//! assert_eq!(verified.output.fields(), Some(&[zkvm_host::Fr::from(144u64)][..]));
//! assert_eq!(verified.exit_code, 0);
//! assert_eq!(verified.program, program.digest());
//! # Ok::<(), zkvm_host::Error>(())
//! ```
//!
//! An RV32IM guest reads its private input as bytes (its stdin, [`Input::bytes`], or a typed
//! value with [`Input::value`]) and its public output is the bytes it wrote to stdout
//! ([`Output::bytes`], [`Output::text`], typed values with [`Output::values`] or
//! [`Output::frames`]).
//!
//! A proof is about one program: [`Program::verify`] checks it against the program it is given
//! and returns what the proof states (public output, exit code, program digest). A proof of a run
//! that exited with a non-zero code is valid; whether to accept that outcome is the caller's
//! choice ([`Verified::exit_code`]).

use std::fmt;
use std::path::Path;
use std::time::Duration;

pub use zkvm_isa::Fr;
pub use zkvm_prover::machine::fetch::FetchArgument;
pub use zkvm_prover::machine::twist_memory::MemoryArgument;
pub use zkvm_prover::machine::ProgramDigest;
pub use zkvm_prover::pipeline::Report;
use zkvm_prover::pipeline::{self, PipelineError};
pub use zkvm_prover::pipeline::{ProofOptions, Sharding};
pub use zkvm_prover::shards::{ShardSelection, ShardedProof};
pub use zkvm_riscv::Input as GuestInput;

/// Why loading, running, proving or verifying failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {path}: {error}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        error: std::io::Error,
    },
    /// A zasm source did not assemble; the rendered diagnostics name each file, line and column.
    #[error("{name} failed to assemble:\n{diagnostics}")]
    Assembly {
        /// The source's name.
        name: String,
        /// The rendered diagnostics.
        diagnostics: String,
    },
    /// Not a valid `.zbin` program.
    #[error("{name} is not a valid .zbin program: {reason}")]
    Zbin {
        /// The file's name.
        name: String,
        /// Why.
        reason: String,
    },
    /// Not a loadable RV32IM ELF executable.
    #[error("{name}: cannot load the ELF: {error}")]
    Elf {
        /// The file's name.
        name: String,
        /// Why.
        error: zkvm_riscv::ElfError,
    },
    /// A file that is none of the program kinds.
    #[error("{0}: not a .zasm source, a .zbin program or an ELF executable")]
    UnknownKind(String),
    /// Input of the wrong kind for the program (bytes for zasm, field elements for a guest).
    #[error("{0}")]
    Input(String),
    /// The program failed while executing.
    #[error("the run failed: {0}")]
    Run(String),
    /// Proving or verifying failed (a failed verification means the proof is not valid for this
    /// program).
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
}

/// The instruction set a program is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    /// zasm, over the BN254 scalar field.
    Zasm,
    /// RV32IM.
    Rv32im,
}

/// A program: a zasm program or an RV32IM guest.
#[derive(Clone, Debug)]
pub enum Program {
    /// A zasm program.
    Zasm(zkvm_isa::Program),
    /// An RV32IM guest.
    Rv32im(zkvm_riscv::Program),
}

/// Private input: field elements for a zasm program, bytes (its stdin) for a guest.
#[derive(Clone, Debug, Default)]
pub struct Input {
    fields: Vec<Fr>,
    bytes: Vec<u8>,
}

impl Input {
    /// No input.
    pub fn new() -> Input {
        Input::default()
    }

    /// Append one field element (zasm).
    pub fn field(mut self, value: impl Into<Fr>) -> Input {
        self.fields.push(value.into());
        self
    }

    /// Append field elements (zasm).
    pub fn fields(mut self, values: impl IntoIterator<Item = Fr>) -> Input {
        self.fields.extend(values);
        self
    }

    /// Append bytes to a guest's stdin.
    pub fn bytes(mut self, bytes: &[u8]) -> Input {
        self.bytes.extend_from_slice(bytes);
        self
    }

    /// Append a typed value to a guest's stdin, as the guest SDK's `read_value::<T>()` reads it:
    /// a postcard frame ([`frame`]).
    pub fn value<T: serde::Serialize>(mut self, value: &T) -> Input {
        self.bytes.extend(frame(value));
        self
    }
}

/// A typed value as one frame of a byte stream: its postcard encoding's length as a
/// little-endian `u32`, then the encoding.
pub fn frame<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let body = postcard::to_stdvec(value).expect("postcard encodes any serde value to a Vec");
    let mut out = (body.len() as u32).to_le_bytes().to_vec();
    out.extend(&body);
    out
}

/// A program's public output: field elements (zasm) or the bytes a guest wrote to stdout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// zasm: the values of `output`, in order.
    Fields(Vec<Fr>),
    /// RV32IM: stdout.
    Bytes(Vec<u8>),
}

impl Output {
    /// The field elements of a zasm output.
    pub fn fields(&self) -> Option<&[Fr]> {
        match self {
            Output::Fields(v) => Some(v),
            Output::Bytes(_) => None,
        }
    }

    /// The bytes of a guest's output.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Output::Bytes(b) => Some(b),
            Output::Fields(_) => None,
        }
    }

    /// A guest's output as text, when it is UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    /// The typed values a guest committed with the SDK's `commit_value`, all of type `T`, in
    /// order; an error names the frame that does not decode as `T`.
    pub fn values<T: serde::de::DeserializeOwned>(&self) -> Result<Vec<T>, Error> {
        let mut frames = self.frames()?;
        let mut values = Vec::new();
        while !frames.is_empty() {
            values.push(frames.read()?);
        }
        Ok(values)
    }

    /// The frames a guest committed with `commit_value`, to read one value (of any type) at a
    /// time.
    pub fn frames(&self) -> Result<Frames<'_>, Error> {
        let bytes = self
            .bytes()
            .ok_or_else(|| Error::Input("a zasm output holds field elements, not frames".into()))?;
        Ok(Frames {
            rest: bytes,
            index: 0,
        })
    }
}

/// A guest's output read frame by frame ([`Output::frames`]).
#[derive(Clone, Debug)]
pub struct Frames<'a> {
    rest: &'a [u8],
    index: usize,
}

impl Frames<'_> {
    /// Whether every frame has been read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Decode the next frame as a `T`; an error names the frame.
    pub fn read<T: serde::de::DeserializeOwned>(&mut self) -> Result<T, Error> {
        let index = self.index;
        let bad = |why: &str| Error::Input(format!("output frame {index}: {why}"));
        let len = self
            .rest
            .get(..4)
            .map(|l| u32::from_le_bytes(l.try_into().expect("4 bytes")) as usize)
            .ok_or_else(|| bad("truncated length"))?;
        let body = self
            .rest
            .get(4..4 + len)
            .ok_or_else(|| bad("truncated value"))?;
        let value = postcard::from_bytes(body).map_err(|e| bad(&e.to_string()))?;
        self.rest = &self.rest[4 + len..];
        self.index += 1;
        Ok(value)
    }
}

/// A field element in decimal: `-k` for a small negative `k`, else the canonical value.
pub fn fmt_field(x: &Fr) -> String {
    match zkvm_isa::fr_to_i64(x) {
        Some(v) => v.to_string(),
        None => x.to_string(),
    }
}

/// A byte string as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// zasm values one per line in decimal; a guest's bytes as text when UTF-8, else as hex.
impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::Fields(v) => v.iter().try_for_each(|x| writeln!(f, "{}", fmt_field(x))),
            Output::Bytes(b) => match std::str::from_utf8(b) {
                Ok(text) => f.write_str(text),
                Err(_) => writeln!(f, "0x{}", hex(b)),
            },
        }
    }
}

/// A finished run.
#[derive(Clone, Debug)]
pub struct Execution {
    /// The public output.
    pub output: Output,
    /// The exit code (0 for zasm).
    pub exit_code: u32,
    /// Instructions executed.
    pub cycles: u64,
    /// What a guest wrote to stderr (debug text, not part of any proof).
    pub debug: Vec<u8>,
}

/// A proof of a run, with what it states and what proving cost.
#[derive(Clone, Debug)]
pub struct Proof {
    /// The proof file's bytes.
    pub bytes: Vec<u8>,
    /// The public output.
    pub output: Output,
    /// The exit code.
    pub exit_code: u32,
    /// Cycles, sizes and time per phase.
    pub report: Report,
}

/// What a valid proof states.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The public output.
    pub output: Output,
    /// The exit code the run ended with (a run that failed is proven too).
    pub exit_code: u32,
    /// The program the proof is about.
    pub program: ProgramDigest,
    /// The verifier's time.
    pub time: Duration,
}

/// The default limit on executed instructions.
pub const DEFAULT_MAX_CYCLES: u64 = 1 << 24;

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|error| Error::Io {
        path: path.display().to_string(),
        error,
    })
}

impl Program {
    /// Load a `.zasm` source (assembled), a `.zbin` program or an RV32IM ELF executable,
    /// recognised by the ELF magic and then by the extension.
    pub fn load(path: impl AsRef<Path>) -> Result<Program, Error> {
        let path = path.as_ref();
        let bytes = read(path)?;
        let name = path.display().to_string();
        if bytes.starts_with(b"\x7fELF") {
            return Program::elf(&name, &bytes);
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("zasm") => match zkvm_assembler::assemble_file(path) {
                Ok(p) => Ok(Program::Zasm(p)),
                Err(d) => Err(Error::Assembly {
                    name,
                    diagnostics: d.render(),
                }),
            },
            Some("zbin") => zkvm_isa::Program::from_zbin(&bytes)
                .map(Program::Zasm)
                .map_err(|e| Error::Zbin {
                    name,
                    reason: e.to_string(),
                }),
            _ => Err(Error::UnknownKind(name)),
        }
    }

    /// Assemble zasm `source`; `name` names it in diagnostics.
    pub fn zasm(name: &str, source: &str) -> Result<Program, Error> {
        zkvm_assembler::assemble_str(name, source)
            .map(Program::Zasm)
            .map_err(|d| Error::Assembly {
                name: name.into(),
                diagnostics: d.render(),
            })
    }

    /// Load an RV32IM ELF executable from its bytes; `name` names it in errors.
    pub fn elf(name: &str, bytes: &[u8]) -> Result<Program, Error> {
        zkvm_riscv::load_elf(bytes)
            .map(Program::Rv32im)
            .map_err(|error| Error::Elf {
                name: name.into(),
                error,
            })
    }

    /// The instruction set.
    pub fn isa(&self) -> Isa {
        match self {
            Program::Zasm(_) => Isa::Zasm,
            Program::Rv32im(_) => Isa::Rv32im,
        }
    }

    /// The digest that identifies the program (what `zkvm id` prints and every proof binds).
    pub fn digest(&self) -> ProgramDigest {
        match self {
            Program::Zasm(p) => zkvm_prover::lower::zasm::program_digest(p),
            Program::Rv32im(p) => zkvm_prover::lower::riscv::program_digest(p),
        }
    }

    fn fields<'a>(&self, input: &'a Input) -> Result<&'a [Fr], Error> {
        if !input.bytes.is_empty() {
            return Err(Error::Input(
                "a zasm program takes field elements as input, not bytes".into(),
            ));
        }
        Ok(&input.fields)
    }

    fn stdin<'a>(&self, input: &'a Input) -> Result<GuestInput<'a>, Error> {
        if !input.fields.is_empty() {
            return Err(Error::Input(
                "an RV32IM guest reads bytes (its stdin) as input, not field elements".into(),
            ));
        }
        Ok(GuestInput::from(&input.bytes))
    }

    /// Run the program on `input` (no proof).
    pub fn execute(&self, input: &Input) -> Result<Execution, Error> {
        match self {
            Program::Zasm(_) => self.execute_with(self.fields(input)?, None, DEFAULT_MAX_CYCLES),
            Program::Rv32im(_) => {
                self.execute_with(&[], Some(self.stdin(input)?), DEFAULT_MAX_CYCLES)
            }
        }
    }

    /// [`Program::execute`] with zasm inputs or a guest's stdin (bytes or a reader pulled from
    /// as the guest reads), and a limit on the instructions executed.
    pub fn execute_with(
        &self,
        fields: &[Fr],
        stdin: Option<GuestInput<'_>>,
        max_cycles: u64,
    ) -> Result<Execution, Error> {
        match self {
            Program::Zasm(p) => {
                let config = zkvm_vm::RunConfig {
                    max_cycles,
                    ..Default::default()
                };
                let e = zkvm_vm::run(p, fields, &config).map_err(|e| Error::Run(e.to_string()))?;
                Ok(Execution {
                    output: Output::Fields(e.output),
                    exit_code: 0,
                    cycles: e.summary.cycles,
                    debug: Vec::new(),
                })
            }
            Program::Rv32im(p) => {
                let config = zkvm_riscv::RunConfig {
                    max_cycles,
                    record_trace: false,
                };
                let stdin = stdin.unwrap_or_else(|| GuestInput::from(&[]));
                let e =
                    zkvm_riscv::run(p, stdin, &config).map_err(|e| Error::Run(e.to_string()))?;
                Ok(Execution {
                    output: Output::Bytes(e.stdout),
                    exit_code: e.exit_code,
                    cycles: e.summary.cycles,
                    debug: e.stderr,
                })
            }
        }
    }

    /// Run the program on `input` and prove the run.
    pub fn prove(&self, input: &Input) -> Result<Proof, Error> {
        match self {
            Program::Zasm(_) => self.prove_with(
                self.fields(input)?,
                None,
                DEFAULT_MAX_CYCLES,
                ProofOptions::default(),
            ),
            Program::Rv32im(_) => self.prove_with(
                &[],
                Some(self.stdin(input)?),
                DEFAULT_MAX_CYCLES,
                ProofOptions::default(),
            ),
        }
    }

    /// [`Program::prove`] with zasm inputs or a guest's stdin (bytes or a reader pulled from as
    /// the guest reads), a limit on the instructions executed, and the memory-checking and
    /// instruction-fetch arguments (a [`ProofOptions`], or one argument).
    pub fn prove_with(
        &self,
        fields: &[Fr],
        stdin: Option<GuestInput<'_>>,
        max_cycles: u64,
        options: impl Into<ProofOptions>,
    ) -> Result<Proof, Error> {
        let options = options.into();
        match self {
            Program::Zasm(p) => {
                let (output, bytes, report) =
                    pipeline::prove_zasm_with(p, fields, max_cycles, options)?;
                Ok(Proof {
                    bytes,
                    output: Output::Fields(output),
                    exit_code: 0,
                    report,
                })
            }
            Program::Rv32im(p) => {
                let stdin = stdin.unwrap_or_else(|| GuestInput::from(&[]));
                let (outcome, bytes, report) =
                    pipeline::prove_rv32im_with(p, stdin, max_cycles, options)?;
                Ok(Proof {
                    bytes,
                    output: Output::Bytes(outcome.stdout),
                    exit_code: outcome.exit_code,
                    report,
                })
            }
        }
    }

    /// Verify a proof (the bytes of a proof file) for this program; returns what it states.
    pub fn verify(&self, proof: &[u8]) -> Result<Verified, Error> {
        match self {
            Program::Zasm(p) => {
                let (output, time) = pipeline::verify_zasm(p, proof)?;
                Ok(Verified {
                    output: Output::Fields(output),
                    exit_code: 0,
                    program: self.digest(),
                    time,
                })
            }
            Program::Rv32im(p) => {
                let (outcome, time) = pipeline::verify_rv32im(p, proof)?;
                Ok(Verified {
                    output: Output::Bytes(outcome.stdout),
                    exit_code: outcome.exit_code,
                    program: self.digest(),
                    time,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_through_an_output() {
        let mut bytes = frame(&(7u32, String::from("seven")));
        bytes.extend(frame(&(8u32, String::from("eight!"))));
        let values: Vec<(u32, String)> = Output::Bytes(bytes.clone()).values().unwrap();
        assert_eq!(values, vec![(7, "seven".into()), (8, "eight!".into())]);
        // A truncated stream names the frame.
        let err = Output::Bytes(bytes[..bytes.len() - 8].to_vec())
            .values::<(u32, String)>()
            .unwrap_err();
        assert!(err.to_string().contains("frame 1"), "{err}");
    }

    #[test]
    fn outputs_print_in_one_format() {
        let fields = Output::Fields(vec![Fr::from(3u64), -Fr::from(1u64)]);
        assert_eq!(fields.to_string(), "3\n-1\n");
        assert_eq!(Output::Bytes(b"hi\n".to_vec()).to_string(), "hi\n");
        assert_eq!(Output::Bytes(vec![0xff, 0]).to_string(), "0xff00\n");
    }

    #[test]
    fn input_of_the_wrong_kind_is_refused() {
        let program = Program::zasm("p.zasm", "main:\n halt;\n").unwrap();
        let err = program.execute(&Input::new().bytes(b"x")).unwrap_err();
        assert!(err.to_string().contains("field elements"), "{err}");
    }

    #[test]
    fn an_assembly_error_names_the_line() {
        let err = Program::zasm("bad.zasm", "main:\n [ap] = ;\n halt;\n").unwrap_err();
        assert!(err.to_string().contains("bad.zasm:2:"), "{err}");
    }
}
