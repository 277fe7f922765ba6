//! Sorting u32 values: zasm and the RV32IM guest agree.
