//! Matrix multiplication over u32 and over the field: zasm and the RV32IM guest agree.
