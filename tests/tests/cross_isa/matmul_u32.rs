//! Matrix multiplication over u32 (RISC-V's native semantics): zasm and the RV32IM guest agree.
