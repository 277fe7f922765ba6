//! The zasm standard library, embedded so that `include "std/…";` works from anywhere.
//!
//! The `.zasm` files live in `stdlib/zasm/` and are compiled into this crate with
//! `include_str!`; the assembler (`zkvm-assembler`) looks them up with [`get`].
//!
//! | file | routines |
//! |------|----------|
//! | `std/field.zasm` | `inv`, `div`, `pow` (field inverse and division with advice + check, exponentiation) |
//! | `std/bits.zasm` | `bits`, `range_check` (bit decomposition with booleanity and range checks) |
//! | `std/u32.zasm` | `u32.add`, `u32.mul`, `u32.and`, `u32.xor`, `u32.shl`, `u32.shr` (range-checked) |
//! | `std/mem.zasm` | `memcpy`, `memset`, `get_fp` |
//! | `std/range.zasm` | `range.check` (range check unrolled over base-4 digits, ~3.5 cycles per bit) |

/// Every standard-library file, as `(include path, source)`.
pub const FILES: &[(&str, &str)] = &[
    ("std/field.zasm", include_str!("../zasm/field.zasm")),
    ("std/bits.zasm", include_str!("../zasm/bits.zasm")),
    ("std/u32.zasm", include_str!("../zasm/u32.zasm")),
    ("std/mem.zasm", include_str!("../zasm/mem.zasm")),
    ("std/range.zasm", include_str!("../zasm/range.zasm")),
];

/// The source of the standard-library file `path` (e.g. `"std/field.zasm"`).
pub fn get(path: &str) -> Option<&'static str> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, s)| *s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn files_are_found() {
        assert!(super::get("std/field.zasm").is_some());
        assert!(super::get("std/nope.zasm").is_none());
    }
}
