//! The RV32IM frontend: ELF loader, decoder, interpreter and execution trace.
