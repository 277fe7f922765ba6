//! MiMC-7 over BN254: zasm and the RV32IM guest agree.
