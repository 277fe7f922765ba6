//! The zasm interpreter: runs a program and records its execution trace.
