//! The versioned binary proof format, and bounded serialization helpers.
//!
//! A serialized object is
//!
//! ```text
//! magic   4 bytes  "ZKVP"
//! version u16 LE   FORMAT_VERSION (bumped on any incompatible change)
//! kind    u16 LE   what follows (ProofKind)
//! length  u64 LE   length of the body in bytes
//! body             the object, arkworks `CanonicalSerialize`, compressed points
//! ```
//!
//! Vectors in the body are a `u64` length followed by the elements. Deserializing checks the
//! magic, version, kind and exact length (no trailing bytes), validates every group element
//! (on the curve, in the subgroup) and bounds every length before allocating, so garbage or
//! truncated input is an error, never a panic or a huge allocation.
//!
//! (`ark-serialize`'s own `Vec` impl pre-allocates whatever length the input claims, so the proof
//! types implement their serialization with [`write_vec`] / [`read_vec`] instead.)

use ark_serialize::{
    CanonicalDeserialize, CanonicalSerialize, Compress, SerializationError, Validate,
};
use std::io::{Read, Write};

/// The magic bytes of every zkvm proof file.
pub const MAGIC: [u8; 4] = *b"ZKVP";
/// The current format version. 3: the constraint system is fixed by the program, and the
/// public values (exit code, output) are bound as [`crate::r1cs::Var::Public`] (a version-2
/// proof would not verify against it).
/// 4: the proof records its instruction-fetch argument (LogUp or Shout).
/// 5: the proof records its range and bitwise tables (full or split).
/// 6: the proof records its memory-checking argument (offline or Twist).
pub const FORMAT_VERSION: u16 = 7;
/// The most elements any vector in a proof may claim.
pub const MAX_VEC_LEN: u64 = 1 << 24;

/// What a serialized object is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u16)]
pub enum ProofKind {
    /// A [`crate::spartan::UniformProof`].
    Uniform = 1,
    /// A [`crate::sumcheck::SumcheckProof`].
    Sumcheck = 2,
    /// Reserved for the zkvm's full proof (defined by the VM proving layer).
    Zkvm = 3,
    /// Reserved for a run proven in shards, or some of its shards (the VM proving layer).
    ZkvmShards = 4,
}

/// Why bytes could not be read as a proof.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// Fewer bytes than the header.
    #[error("truncated: {0} bytes, the header alone is 16")]
    Truncated(usize),
    /// Not a zkvm proof.
    #[error("bad magic bytes {0:02x?}")]
    BadMagic([u8; 4]),
    /// Written by an incompatible version.
    #[error("format version {found}, this build reads {FORMAT_VERSION}")]
    UnsupportedVersion {
        /// The file's version.
        found: u16,
    },
    /// A different kind of object.
    #[error("object kind {found}, expected {expected}")]
    WrongKind {
        /// The kind asked for.
        expected: u16,
        /// The kind in the header.
        found: u16,
    },
    /// The body length does not match.
    #[error("body length {declared} declared, {actual} present")]
    Length {
        /// Declared.
        declared: u64,
        /// Present.
        actual: usize,
    },
    /// The body does not decode.
    #[error("malformed body: {0}")]
    Body(String),
}

/// Serializes `value` as a `kind` object with the header.
pub fn to_bytes<T: CanonicalSerialize>(kind: ProofKind, value: &T) -> Result<Vec<u8>, FormatError> {
    let mut body = Vec::with_capacity(value.compressed_size());
    value
        .serialize_compressed(&mut body)
        .map_err(|e| FormatError::Body(e.to_string()))?;
    let mut out = Vec::with_capacity(body.len() + 16);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(kind as u16).to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Reads a `kind` object written by [`to_bytes`].
pub fn from_bytes<T: CanonicalDeserialize>(
    kind: ProofKind,
    bytes: &[u8],
) -> Result<T, FormatError> {
    let header = bytes.get(..16).ok_or(FormatError::Truncated(bytes.len()))?;
    let field = |r: std::ops::Range<usize>| header.get(r).unwrap_or(&[]);
    let magic: [u8; 4] = field(0..4).try_into().unwrap_or_default();
    if magic != MAGIC {
        return Err(FormatError::BadMagic(magic));
    }
    let version = u16::from_le_bytes(field(4..6).try_into().unwrap_or_default());
    if version != FORMAT_VERSION {
        return Err(FormatError::UnsupportedVersion { found: version });
    }
    let found = u16::from_le_bytes(field(6..8).try_into().unwrap_or_default());
    if found != kind as u16 {
        return Err(FormatError::WrongKind {
            expected: kind as u16,
            found,
        });
    }
    let declared = u64::from_le_bytes(field(8..16).try_into().unwrap_or_default());
    let body = bytes.get(16..).unwrap_or(&[]);
    if declared != body.len() as u64 {
        return Err(FormatError::Length {
            declared,
            actual: body.len(),
        });
    }
    let mut reader = body;
    let value = T::deserialize_with_mode(&mut reader, Compress::Yes, Validate::Yes)
        .map_err(|e| FormatError::Body(e.to_string()))?;
    if !reader.is_empty() {
        return Err(FormatError::Body(format!(
            "{} trailing bytes",
            reader.len()
        )));
    }
    Ok(value)
}

/// Writes a vector as a `u64` length and its elements.
pub fn write_vec<T: CanonicalSerialize, W: Write>(
    v: &[T],
    mut w: W,
    compress: Compress,
) -> Result<(), SerializationError> {
    (v.len() as u64).serialize_with_mode(&mut w, compress)?;
    for x in v {
        x.serialize_with_mode(&mut w, compress)?;
    }
    Ok(())
}

/// The size [`write_vec`] writes.
pub fn vec_size<T: CanonicalSerialize>(v: &[T], compress: Compress) -> usize {
    8 + v.iter().map(|x| x.serialized_size(compress)).sum::<usize>()
}

/// Reads a vector written by [`write_vec`], refusing lengths above [`MAX_VEC_LEN`] and never
/// reserving more than a small amount ahead of the bytes actually read.
pub fn read_vec<T: CanonicalDeserialize, R: Read>(
    mut r: R,
    compress: Compress,
    validate: Validate,
) -> Result<Vec<T>, SerializationError> {
    let len = u64::deserialize_with_mode(&mut r, compress, validate)?;
    if len > MAX_VEC_LEN {
        return Err(SerializationError::InvalidData);
    }
    let mut out = Vec::with_capacity((len as usize).min(1024));
    for _ in 0..len {
        out.push(T::deserialize_with_mode(&mut r, compress, validate)?);
    }
    Ok(out)
}

/// Writes a vector of vectors as a `u64` count and each vector with [`write_vec`].
pub fn write_vecs<T: CanonicalSerialize, W: Write>(
    v: &[Vec<T>],
    mut w: W,
    compress: Compress,
) -> Result<(), SerializationError> {
    (v.len() as u64).serialize_with_mode(&mut w, compress)?;
    for x in v {
        write_vec(x, &mut w, compress)?;
    }
    Ok(())
}

/// The size [`write_vecs`] writes.
pub fn vecs_size<T: CanonicalSerialize>(v: &[Vec<T>], compress: Compress) -> usize {
    8 + v.iter().map(|x| vec_size(x, compress)).sum::<usize>()
}

/// Reads what [`write_vecs`] wrote, refusing a count above `max` before reading any vector.
pub fn read_vecs<T: CanonicalDeserialize, R: Read>(
    mut r: R,
    compress: Compress,
    validate: Validate,
    max: u64,
) -> Result<Vec<Vec<T>>, SerializationError> {
    let n = u64::deserialize_with_mode(&mut r, compress, validate)?;
    if n > max {
        return Err(SerializationError::InvalidData);
    }
    (0..n)
        .map(|_| read_vec(&mut r, compress, validate))
        .collect()
}

/// Implements `ark-serialize`'s `Valid` (which checks nothing more: the reads validate every
/// element and bound every length), `CanonicalSerialize` and `CanonicalDeserialize` for the
/// proof type `$ty` (the caller's crate depends on `ark-serialize`).
///
/// From its fields, in the order written, each `one` (the field's own impl), `vec`
/// ([`write_vec`], [`read_vec`]) or `vecs(max)` ([`write_vecs`], [`read_vecs`]), with an
/// optional condition that a value read must meet (else `InvalidData`):
///
/// ```ignore
/// impl_serialization!(FractionalSumProof { roots: vec, layers: vec }
///     if |p| p.layers.len() <= MAX_NUM_VARS);
/// ```
///
/// or from the three bodies, naming the receiver, writer, reader, `Compress` and `Validate`:
///
/// ```ignore
/// impl_serialization!(DoryProof {
///     write(self, w, c) { ... }
///     size(self, c) { ... }
///     read(r, c, v) { ... }
/// });
/// ```
#[macro_export]
macro_rules! impl_serialization {
    ($ty:ident {
        write($s:ident, $w:ident, $c:ident) $write:block
        size($s2:ident, $c2:ident) $size:block
        read($r:ident, $c3:ident, $v:ident) $read:block
    }) => {
        impl ::ark_serialize::Valid for $ty {
            fn check(&self) -> ::core::result::Result<(), ::ark_serialize::SerializationError> {
                Ok(())
            }
        }

        impl ::ark_serialize::CanonicalSerialize for $ty {
            fn serialize_with_mode<W: ::std::io::Write>(
                &$s,
                mut $w: W,
                $c: ::ark_serialize::Compress,
            ) -> ::core::result::Result<(), ::ark_serialize::SerializationError> $write

            fn serialized_size(&$s2, $c2: ::ark_serialize::Compress) -> usize $size
        }

        impl ::ark_serialize::CanonicalDeserialize for $ty {
            fn deserialize_with_mode<R: ::std::io::Read>(
                mut $r: R,
                $c3: ::ark_serialize::Compress,
                $v: ::ark_serialize::Validate,
            ) -> ::core::result::Result<Self, ::ark_serialize::SerializationError> $read
        }
    };
    ($ty:ident { $($field:ident: $kind:ident $(($max:expr))?),* $(,)? }
        $(if |$p:ident| $ok:expr)?) => {
        $crate::impl_serialization!($ty {
            write(self, w, c) {
                $($crate::impl_serialization!(@write [$kind $(($max))?] &self.$field, &mut w, c)?;)*
                Ok(())
            }
            size(self, c) {
                0 $(+ $crate::impl_serialization!(@size [$kind $(($max))?] &self.$field, c))*
            }
            read(r, c, v) {
                let value = Self {
                    $($field: $crate::impl_serialization!(@read [$kind $(($max))?] &mut r, c, v)?,)*
                };
                $(
                    let $p = &value;
                    if !($ok) {
                        return Err(::ark_serialize::SerializationError::InvalidData);
                    }
                )?
                Ok(value)
            }
        });
    };
    (@write [one] $x:expr, $w:expr, $c:expr) => {
        ::ark_serialize::CanonicalSerialize::serialize_with_mode($x, $w, $c)
    };
    (@write [vec] $x:expr, $w:expr, $c:expr) => { $crate::format::write_vec($x, $w, $c) };
    (@write [vecs($max:expr)] $x:expr, $w:expr, $c:expr) => {
        $crate::format::write_vecs($x, $w, $c)
    };
    (@size [one] $x:expr, $c:expr) => {
        ::ark_serialize::CanonicalSerialize::serialized_size($x, $c)
    };
    (@size [vec] $x:expr, $c:expr) => { $crate::format::vec_size($x, $c) };
    (@size [vecs($max:expr)] $x:expr, $c:expr) => { $crate::format::vecs_size($x, $c) };
    (@read [one] $r:expr, $c:expr, $v:expr) => {
        ::ark_serialize::CanonicalDeserialize::deserialize_with_mode($r, $c, $v)
    };
    (@read [vec] $r:expr, $c:expr, $v:expr) => { $crate::format::read_vec($r, $c, $v) };
    (@read [vecs($max:expr)] $r:expr, $c:expr, $v:expr) => {
        $crate::format::read_vecs($r, $c, $v, $max)
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;

    #[derive(Debug, PartialEq)]
    struct V {
        items: Vec<Fr>,
    }
    crate::impl_serialization!(V { items: vec });

    #[test]
    fn round_trip_and_rejections() {
        let v = V {
            items: (0..5u64).map(Fr::from).collect(),
        };
        let bytes = to_bytes(ProofKind::Sumcheck, &v).unwrap();
        assert_eq!(from_bytes::<V>(ProofKind::Sumcheck, &bytes).unwrap(), v);
        assert!(matches!(
            from_bytes::<V>(ProofKind::Uniform, &bytes),
            Err(FormatError::WrongKind { .. })
        ));
        for cut in 0..bytes.len() {
            assert!(
                from_bytes::<V>(ProofKind::Sumcheck, &bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(from_bytes::<V>(ProofKind::Sumcheck, &long).is_err());
        // A huge claimed vector length is refused without allocating.
        let mut huge = bytes.clone();
        huge[16 + 7] = 0x7f;
        assert!(from_bytes::<V>(ProofKind::Sumcheck, &huge).is_err());
    }
}
