//! The guest's private input (fd 0): bytes given up front, or a reader pulled from only when
//! the guest reads, so that `zkvm run` never waits on a terminal for a guest that reads nothing.

use std::fmt;
use std::io::Read;

/// A guest's private input stream.
pub struct Input<'a> {
    /// The bytes pulled so far (all of them, for an input given as bytes).
    bytes: std::borrow::Cow<'a, [u8]>,
    /// How many of them the guest has read.
    pos: usize,
    /// Where more bytes come from, until it reports the end.
    reader: Option<Box<dyn Read + 'a>>,
}

impl<'a> Input<'a> {
    /// Input pulled from `reader` as the guest reads it.
    pub fn reader(reader: impl Read + 'a) -> Input<'a> {
        Input {
            bytes: Vec::new().into(),
            pos: 0,
            reader: Some(Box::new(reader)),
        }
    }

    /// Take up to `n` bytes, fewer only at the end of the input (a reader is read until it has
    /// `n` bytes or reports its end, so a run does not depend on how a pipe delivers them).
    pub fn take(&mut self, n: usize) -> std::io::Result<&[u8]> {
        while self.bytes.len() - self.pos < n {
            let Some(reader) = self.reader.as_mut() else {
                break;
            };
            let want = n - (self.bytes.len() - self.pos);
            let mut chunk = vec![0; want.min(1 << 16)];
            let got = match reader.read(&mut chunk) {
                Ok(got) => got,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if got == 0 {
                self.reader = None;
            }
            self.bytes.to_mut().extend_from_slice(&chunk[..got]);
        }
        let start = self.pos;
        self.pos = (start + n).min(self.bytes.len());
        Ok(&self.bytes[start..self.pos])
    }

    /// The bytes the guest has read so far.
    pub fn consumed(&self) -> &[u8] {
        &self.bytes[..self.pos]
    }
}

impl<'a> From<&'a [u8]> for Input<'a> {
    fn from(bytes: &'a [u8]) -> Input<'a> {
        Input {
            bytes: bytes.into(),
            pos: 0,
            reader: None,
        }
    }
}

impl<'a> From<&'a Vec<u8>> for Input<'a> {
    fn from(bytes: &'a Vec<u8>) -> Input<'a> {
        Input::from(bytes.as_slice())
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for Input<'a> {
    fn from(bytes: &'a [u8; N]) -> Input<'a> {
        Input::from(bytes.as_slice())
    }
}

impl fmt::Debug for Input<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Input")
            .field("pulled", &self.bytes.len())
            .field("read", &self.pos)
            .field("more", &self.reader.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out one byte per call, as a slow pipe may.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = *first;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn a_reader_fills_each_read_until_its_end() {
        let mut input = Input::reader(Trickle(b"abcdef"));
        assert_eq!(input.take(4).unwrap(), b"abcd");
        assert_eq!(input.take(4).unwrap(), b"ef");
        assert_eq!(input.take(4).unwrap(), b"");
        assert_eq!(input.consumed(), b"abcdef");
    }

    #[test]
    fn bytes_are_read_in_order() {
        let mut input = Input::from(b"xyz");
        assert_eq!(input.take(2).unwrap(), b"xy");
        assert_eq!(input.take(0).unwrap(), b"");
        assert_eq!(input.take(9).unwrap(), b"z");
    }
}
