//! The zasm instruction set: instructions, operands, encoding to and from field words, semantics.
