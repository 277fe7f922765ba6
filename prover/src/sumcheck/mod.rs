//! The sumcheck protocol (Lund–Fortnow–Karloff–Nisan): prover and verifier.
