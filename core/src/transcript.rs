//! Fiat–Shamir transcript over Keccak-256.
//!
//! Every message is absorbed with a label and its length before the challenge that depends on
//! it; challenges are squeezed as 512 bits and reduced modulo the BN254 scalar field, so their
//! bias is below 2^-250.

use ark_bn254::Fr;
use ark_ff::PrimeField;
use ark_serialize::CanonicalSerialize;
use sha3::{Digest, Keccak256};

/// Labels used by the protocols in this crate; one place so that no two messages share a label.
pub mod labels {
    /// Domain separator of every zkvm transcript.
    pub const PROTOCOL: &[u8] = b"zkvm-v1";
    /// A challenge squeezed from the transcript.
    pub const CHALLENGE: &[u8] = b"challenge";
}

/// A Fiat–Shamir transcript: a running Keccak-256 state over everything absorbed so far.
#[derive(Clone, Debug)]
pub struct Transcript {
    state: [u8; 32],
}

impl Transcript {
    /// A new transcript for a protocol instance named `domain`.
    pub fn new(domain: &[u8]) -> Self {
        let mut t = Self { state: [0u8; 32] };
        t.absorb_bytes(labels::PROTOCOL, domain);
        t
    }

    /// Absorb raw bytes under `label`.
    pub fn absorb_bytes(&mut self, label: &[u8], bytes: &[u8]) {
        let mut h = Keccak256::new();
        h.update(self.state);
        h.update((label.len() as u64).to_le_bytes());
        h.update(label);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
        self.state = h.finalize().into();
    }

    /// Absorb a u64 under `label`.
    pub fn absorb_u64(&mut self, label: &[u8], value: u64) {
        self.absorb_bytes(label, &value.to_le_bytes());
    }

    /// Absorb one field element under `label`.
    pub fn absorb_field(&mut self, label: &[u8], value: &Fr) {
        self.absorb_serializable(label, value);
    }

    /// Absorb a slice of field elements under `label`.
    pub fn absorb_fields(&mut self, label: &[u8], values: &[Fr]) {
        let mut bytes = Vec::with_capacity(values.len() * 32);
        for v in values {
            v.serialize_compressed(&mut bytes)
                .expect("serializing into a Vec cannot fail");
        }
        self.absorb_bytes(label, &bytes);
    }

    /// Absorb anything arkworks can serialize (group elements, commitments) under `label`.
    pub fn absorb_serializable<T: CanonicalSerialize>(&mut self, label: &[u8], value: &T) {
        let mut bytes = Vec::new();
        value
            .serialize_compressed(&mut bytes)
            .expect("serializing into a Vec cannot fail");
        self.absorb_bytes(label, &bytes);
    }

    /// Squeeze a uniformly distributed field element (bias below 2^-250).
    pub fn challenge(&mut self) -> Fr {
        let mut wide = [0u8; 64];
        for (i, half) in wide.chunks_mut(32).enumerate() {
            let mut h = Keccak256::new();
            h.update(self.state);
            h.update(labels::CHALLENGE);
            h.update([i as u8]);
            half.copy_from_slice(&h.finalize());
        }
        self.absorb_bytes(labels::CHALLENGE, &wide);
        Fr::from_le_bytes_mod_order(&wide)
    }

    /// Squeeze `n` challenges.
    pub fn challenges(&mut self, n: usize) -> Vec<Fr> {
        (0..n).map(|_| self.challenge()).collect()
    }

    /// The current 32-byte state, for binding external protocols to this transcript.
    pub fn state(&self) -> [u8; 32] {
        self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(values: &[u64]) -> Vec<Fr> {
        let mut t = Transcript::new(b"test");
        let mut out = Vec::new();
        for v in values {
            t.absorb_field(b"v", &Fr::from(*v));
            out.push(t.challenge());
        }
        out
    }

    #[test]
    fn changing_any_absorbed_value_changes_every_later_challenge() {
        let base = run(&[1, 2, 3, 4, 5]);
        for i in 0..5 {
            let mut vals = vec![1, 2, 3, 4, 5];
            vals[i] += 100;
            let other = run(&vals);
            assert_eq!(
                base[..i],
                other[..i],
                "challenges before the change must not move"
            );
            for j in i..5 {
                assert_ne!(
                    base[j], other[j],
                    "challenge {j} did not change after value {i}"
                );
            }
        }
    }

    #[test]
    fn labels_separate_domains() {
        let mut a = Transcript::new(b"test");
        let mut b = Transcript::new(b"test");
        a.absorb_bytes(b"x", b"1");
        b.absorb_bytes(b"y", b"1");
        assert_ne!(a.challenge(), b.challenge());
    }
}
