//! RV32IM.
