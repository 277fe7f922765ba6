//! Proof files.
