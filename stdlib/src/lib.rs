//! The zasm standard library, embedded so that `include "std/…";` works from anywhere.
