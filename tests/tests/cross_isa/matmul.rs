//! Matrix multiplication over the BN254 scalar field: zasm and the RV32IM guest agree.
