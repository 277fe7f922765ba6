//! The `.zbin` file format.
//!
//! ```text
//! magic    "ZBIN"                      4 bytes
//! version  u32 LE (= 1)
//! entry    u32 LE                      index of the first instruction
//! n_words  u32 LE                      number of field words
//! words    n_words × 32 bytes          canonical little-endian field elements
//! has_dbg  u8 (0 or 1)
//! debug    when has_dbg = 1:
//!          n_files u32, then per file: len u32 + UTF-8 bytes
//!          n_locs u32, then per instruction: file u32, line u32, col u32
//!          n_labels u32, then per label: len u32 + UTF-8 bytes, pc u32
//! ```

use ark_ff::{BigInteger, PrimeField};

use crate::{decode_program, DebugInfo, DecodeError, Fr, Program, SourceLoc};

const MAGIC: &[u8; 4] = b"ZBIN";
const VERSION: u32 = 1;

/// Why bytes are not a valid `.zbin` program.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ZbinError {
    /// Wrong magic number.
    #[error("not a .zbin file (bad magic number)")]
    BadMagic,
    /// Unsupported format version.
    #[error("unsupported .zbin version {0}")]
    BadVersion(u32),
    /// The file ends early.
    #[error("truncated .zbin file (at byte {0})")]
    Truncated(usize),
    /// A word is not a canonical field element.
    #[error("word {0} is not a canonical field element")]
    NonCanonical(usize),
    /// An instruction does not decode.
    #[error("invalid instruction: {0}")]
    Decode(#[from] DecodeError),
    /// The entry point is outside the program.
    #[error("entry point {entry} outside the program ({len} instructions)")]
    BadEntry {
        /// The entry point.
        entry: u32,
        /// Number of instructions.
        len: usize,
    },
    /// Bad debug section.
    #[error("invalid debug section: {0}")]
    BadDebug(String),
    /// Bytes after the end.
    #[error("{0} unexpected bytes after the end of the program")]
    Trailing(usize),
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ZbinError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or(ZbinError::Truncated(self.pos))?;
        let s = self
            .bytes
            .get(self.pos..end)
            .ok_or(ZbinError::Truncated(self.pos))?;
        self.pos = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, ZbinError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn string(&mut self) -> Result<String, ZbinError> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|e| ZbinError::BadDebug(e.to_string()))
    }
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

impl Program {
    /// Serialises the program to the `.zbin` format.
    pub fn to_zbin(&self) -> Vec<u8> {
        let words = self.words();
        let mut out = Vec::with_capacity(17 + 32 * words.len());
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, VERSION);
        put_u32(&mut out, self.entry);
        put_u32(&mut out, words.len() as u32);
        for w in &words {
            let mut b = w.into_bigint().to_bytes_le();
            b.resize(32, 0);
            out.extend_from_slice(&b);
        }
        match &self.debug {
            None => out.push(0),
            Some(d) => {
                out.push(1);
                put_u32(&mut out, d.files.len() as u32);
                for f in &d.files {
                    put_str(&mut out, f);
                }
                put_u32(&mut out, d.locs.len() as u32);
                for l in &d.locs {
                    put_u32(&mut out, l.file);
                    put_u32(&mut out, l.line);
                    put_u32(&mut out, l.col);
                }
                put_u32(&mut out, d.labels.len() as u32);
                for (name, pc) in &d.labels {
                    put_str(&mut out, name);
                    put_u32(&mut out, *pc);
                }
            }
        }
        out
    }

    /// Parses a `.zbin` file; every instruction is decoded and validated.
    pub fn from_zbin(bytes: &[u8]) -> Result<Program, ZbinError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(4).map_err(|_| ZbinError::BadMagic)? != MAGIC {
            return Err(ZbinError::BadMagic);
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(ZbinError::BadVersion(version));
        }
        let entry = r.u32()?;
        let n = r.u32()? as usize;
        let mut words = Vec::with_capacity(n.min(1 << 20));
        for i in 0..n {
            let b = r.take(32)?;
            let big = bigint_from_le(b);
            words.push(Fr::from_bigint(big).ok_or(ZbinError::NonCanonical(i))?);
        }
        let instructions = decode_program(&words)?;
        if entry as usize >= instructions.len() {
            return Err(ZbinError::BadEntry {
                entry,
                len: instructions.len(),
            });
        }
        let debug = match r.take(1)?[0] {
            0 => None,
            1 => {
                let nf = r.u32()? as usize;
                let mut files = Vec::new();
                for _ in 0..nf {
                    files.push(r.string()?);
                }
                let nl = r.u32()? as usize;
                if nl != instructions.len() {
                    return Err(ZbinError::BadDebug(format!(
                        "{nl} locations for {} instructions",
                        instructions.len()
                    )));
                }
                let mut locs = Vec::with_capacity(nl);
                for _ in 0..nl {
                    let file = r.u32()?;
                    if file as usize >= files.len() {
                        return Err(ZbinError::BadDebug(format!("file index {file}")));
                    }
                    locs.push(SourceLoc {
                        file,
                        line: r.u32()?,
                        col: r.u32()?,
                    });
                }
                let nlab = r.u32()? as usize;
                let mut labels = Vec::new();
                for _ in 0..nlab {
                    let name = r.string()?;
                    labels.push((name, r.u32()?));
                }
                Some(DebugInfo {
                    files,
                    locs,
                    labels,
                })
            }
            v => return Err(ZbinError::BadDebug(format!("flag byte {v}"))),
        };
        if r.pos != bytes.len() {
            return Err(ZbinError::Trailing(bytes.len() - r.pos));
        }
        Ok(Program {
            instructions,
            entry,
            debug,
        })
    }
}

fn bigint_from_le(b: &[u8]) -> ark_ff::BigInt<4> {
    let mut limbs = [0u64; 4];
    for (i, chunk) in b.chunks(8).take(4).enumerate() {
        let mut a = [0u8; 8];
        a[..chunk.len()].copy_from_slice(chunk);
        limbs[i] = u64::from_le_bytes(a);
    }
    ark_ff::BigInt::new(limbs)
}
