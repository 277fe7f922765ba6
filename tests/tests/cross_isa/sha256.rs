//! SHA-256: zasm and the RV32IM guest agree.
