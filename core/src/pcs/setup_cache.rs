//! The Dory setup, generated transparently and cached on disk.
//!
//! The setup is a list of `2^⌈L/2⌉` generators in G1 and in G2 (plus two blinding generators),
//! sampled by hashing to the curve — each point is found from a pseudo-random x-coordinate drawn
//! from ChaCha20 seeded with a public constant, so nobody knows a discrete-log relation between
//! them (a "nothing up my sleeve" transparent setup, Dory §3; Lee 2021) — and the verifier's
//! precomputed pairings derived from them. Prover and verifier on different machines derive the
//! same parameters.
//!
//! Deriving the verifier part costs a few thousand pairings, so both parts are cached in
//! `$ZKVM_CACHE_DIR` (default `$HOME/.cache/zkvm`, or `./.zkvm-cache` without `$HOME`) as
//! `dory-bn254-L<L>-v1.bin`: magic `ZKVMDORY`, format version (u32 LE), `L` (u32 LE), body length
//! (u64 LE), the body (the arkworks-serialized prover and verifier setups, uncompressed), and the
//! Keccak-256 of the body. A missing, truncated, corrupt or mismatching file is regenerated and
//! rewritten atomically (write to a temporary file, then rename); if the directory is not
//! writable the freshly generated setup is used without caching.

use super::PcsError;
use ark_bn254::{G1Projective, G2Projective};
use ark_ec::CurveGroup;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use ark_std::UniformRand;
use dory_pcs::backends::arkworks::{
    ArkG1, ArkG2, ArkworksProverSetup, ArkworksVerifierSetup, BN254,
};
use dory_pcs::primitives::arithmetic::PairingCurve;
use dory_pcs::{ProverSetup, VerifierSetup};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use sha3::{Digest, Keccak256};
use std::io::Write;
use std::path::PathBuf;

/// The environment variable naming the cache directory.
pub const CACHE_DIR_ENV: &str = "ZKVM_CACHE_DIR";
const MAGIC: &[u8; 8] = b"ZKVMDORY";
const VERSION: u32 = 1;
const SEED_DOMAIN: &[u8] = b"zkvm dory transparent setup v1";

/// The directory the setup is cached in: `$ZKVM_CACHE_DIR`, else `$HOME/.cache/zkvm`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(CACHE_DIR_ENV) {
        return PathBuf::from(dir);
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".cache").join("zkvm"),
        None => PathBuf::from(".zkvm-cache"),
    }
}

fn file_name(log_n: usize) -> String {
    format!("dory-bn254-L{log_n}-v{VERSION}.bin")
}

/// Generates the setup for `log_n` (even) variables deterministically.
pub(crate) fn generate(log_n: usize) -> (ProverSetup<BN254>, VerifierSetup<BN254>) {
    let _span =
        tracing::info_span!(target: "zkvm::prover", "dory setup generation", log_n).entered();
    let mut seed = [0u8; 32];
    let mut h = Keccak256::new();
    h.update(SEED_DOMAIN);
    h.update((log_n as u64).to_le_bytes());
    seed.copy_from_slice(&h.finalize());
    let mut rng = ChaCha20Rng::from_seed(seed);
    let n = 1usize << log_n.div_ceil(2);
    // UniformRand for curve points samples an x-coordinate and clears the cofactor: the discrete
    // logarithms of the generators are unknown. Normalised so that z = 1 (free affine conversion).
    let g1: Vec<G1Projective> = (0..n + 1).map(|_| G1Projective::rand(&mut rng)).collect();
    let g2: Vec<G2Projective> = (0..n + 1).map(|_| G2Projective::rand(&mut rng)).collect();
    let g1: Vec<ArkG1> = G1Projective::normalize_batch(&g1)
        .into_iter()
        .map(|a| ArkG1(a.into()))
        .collect();
    let g2: Vec<ArkG2> = G2Projective::normalize_batch(&g2)
        .into_iter()
        .map(|a| ArkG2(a.into()))
        .collect();
    let (h1, g1_vec) = (g1[n], g1[..n].to_vec());
    let (h2, g2_vec) = (g2[n], g2[..n].to_vec());
    let ht = BN254::pair(&h1, &h2);
    let prover = ProverSetup {
        g1_vec,
        g2_vec,
        h1,
        h2,
        ht,
    };
    let verifier = prover.to_verifier_setup();
    (prover, verifier)
}

fn decode(bytes: &[u8], log_n: usize) -> Option<(ProverSetup<BN254>, VerifierSetup<BN254>)> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let version = u32::from_le_bytes(rest.get(0..4)?.try_into().ok()?);
    let l = u32::from_le_bytes(rest.get(4..8)?.try_into().ok()?);
    let len = u64::from_le_bytes(rest.get(8..16)?.try_into().ok()?);
    if version != VERSION || l as usize != log_n {
        return None;
    }
    let len = usize::try_from(len).ok()?;
    let body = rest.get(16..16usize.checked_add(len)?)?;
    let digest = rest.get(16 + len..)?;
    if digest != Keccak256::digest(body).as_slice() {
        return None;
    }
    let mut reader = body;
    let p = ArkworksProverSetup::deserialize_with_mode(&mut reader, Compress::No, Validate::Yes)
        .ok()?;
    let v = ArkworksVerifierSetup::deserialize_with_mode(&mut reader, Compress::No, Validate::Yes)
        .ok()?;
    if !reader.is_empty() || p.g1_vec.len() != 1 << log_n.div_ceil(2) {
        return None;
    }
    Some((p.into_inner(), v.into_inner()))
}

fn encode(p: &ProverSetup<BN254>, v: &VerifierSetup<BN254>, log_n: usize) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    ArkworksProverSetup(p.clone())
        .serialize_with_mode(&mut body, Compress::No)
        .ok()?;
    ArkworksVerifierSetup(v.clone())
        .serialize_with_mode(&mut body, Compress::No)
        .ok()?;
    let mut out = Vec::with_capacity(body.len() + 60);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(log_n as u32).to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&Keccak256::digest(&body));
    Some(out)
}

/// The setup for `log_n` variables (`log_n` even): from the cache, or generated and cached.
pub(crate) fn load_or_generate(
    log_n: usize,
) -> Result<(ProverSetup<BN254>, VerifierSetup<BN254>), PcsError> {
    let dir = cache_dir();
    let path = dir.join(file_name(log_n));
    if let Ok(bytes) = std::fs::read(&path) {
        if let Some(setup) = decode(&bytes, log_n) {
            return Ok(setup);
        }
        tracing::warn!(path = %path.display(), "cached Dory setup is corrupt; regenerating");
    }
    let (p, v) = generate(log_n);
    let bytes = encode(&p, &v, log_n)
        .ok_or_else(|| PcsError::Setup("could not serialize the setup".into()))?;
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        let tmp = dir.join(format!("{}.{}.tmp", file_name(log_n), std::process::id()));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)
    };
    if let Err(e) = write() {
        tracing::warn!(path = %path.display(), error = %e, "could not cache the Dory setup");
    }
    Ok((p, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_and_corruption_is_detected() {
        let (p, v) = generate(4);
        let bytes = encode(&p, &v, 4).unwrap();
        let (p2, _) = decode(&bytes, 4).expect("round trip");
        assert_eq!(p2.g1_vec, p.g1_vec);
        assert!(decode(&bytes, 6).is_none(), "wrong size must not load");
        for pos in [3, 20, bytes.len() / 2, bytes.len() - 1] {
            let mut bad = bytes.clone();
            bad[pos] ^= 1;
            assert!(decode(&bad, 4).is_none(), "flipped byte {pos} accepted");
        }
        assert!(decode(&bytes[..bytes.len() - 10], 4).is_none());
        // Deterministic: the same parameters on every machine.
        let (p3, _) = generate(4);
        assert_eq!(p3.g2_vec, p.g2_vec);
    }
}
