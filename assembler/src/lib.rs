//! The `.zasm` assembler: logos lexer, lalrpop grammar, ariadne diagnostics.
