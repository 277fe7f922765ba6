//! 256-bit multiplication: zasm and the RV32IM guest agree.
