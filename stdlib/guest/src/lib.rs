//! The `no_std` SDK every zkvm RV32IM guest depends on.
//!
//! - [`entry!`] names the guest's `main`; `_start` (here) sets `sp` and `gp`, calls it, and
//!   exits with code 0 when it returns.
//! - Private input (fd 0): [`read`], [`read_exact`], [`read_to_vec`], [`read_to_string`],
//!   [`read_numbers`], [`read_number`], [`read_u32`].
//! - Public output (fd 1): [`commit`], [`commit_u32`], [`print!`], [`println!`].
//! - Typed values (feature `serde`): `read_value::<T>()` and `commit_value(&T)`, postcard frames
//!   that the host writes with `zkvm_host::Input::value` and reads with
//!   `zkvm_host::Output::values`.
//! - Debug text (fd 2, not part of the public output): [`debug!`].
//! - [`exit`] ends the run with a code.
//! - A bump allocator over the heap section makes `alloc` (Vec, String, BTreeMap) work.
//! - The panic handler writes `panicked at FILE:LINE: MESSAGE` to fd 2 and exits with code 101.
//!
//! System calls follow the Linux RV32 ABI (number in a7: read 63, write 64, exit 93), so a
//! guest is also an ordinary static Linux executable that `qemu-riscv32` runs. The memory
//! layout and the linker script are described in the README.
#![no_std]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::fmt;

/// System-call numbers (Linux RV32).
pub mod syscall {
    /// `read(fd, buf, count)`.
    pub const READ: u32 = 63;
    /// `write(fd, buf, count)`.
    pub const WRITE: u32 = 64;
    /// `exit(code)`.
    pub const EXIT: u32 = 93;
}

/// The exit code of a panicking guest.
pub const PANIC_EXIT_CODE: u32 = 101;

#[cfg(target_arch = "riscv32")]
core::arch::global_asm!(
    ".section .text._start, \"ax\"",
    ".globl _start",
    "_start:",
    ".option push",
    ".option norelax",
    "    la gp, __global_pointer$",
    ".option pop",
    "    la sp, __stack_top",
    "    call __zkvm_main",
    "    li a0, 0",
    "    li a7, 93",
    "    ecall",
);

/// Name the guest's entry function (`fn()`), called by `_start`; returning exits with code 0.
#[macro_export]
macro_rules! entry {
    ($path:path) => {
        #[no_mangle]
        extern "C" fn __zkvm_main() {
            let f: fn() = $path;
            f();
            $crate::exit(0)
        }
    };
}

#[cfg(target_arch = "riscv32")]
fn raw_syscall3(number: u32, a0: u32, a1: u32, a2: u32) -> u32 {
    let ret: u32;
    // SAFETY: the zkvm/Linux system calls used here read or write only the buffer passed in
    // a1..a1+a2, which the safe callers derive from a live slice.
    unsafe {
        core::arch::asm!("ecall", inlateout("a0") a0 => ret, in("a1") a1, in("a2") a2,
                         in("a7") number, options(nostack));
    }
    ret
}

#[cfg(not(target_arch = "riscv32"))]
fn raw_syscall3(_number: u32, _a0: u32, _a1: u32, _a2: u32) -> u32 {
    panic!("zkvm-guest system calls only exist on riscv32")
}

/// Write `bytes` to file descriptor `fd`, all of them. Public output (fd 1) goes through
/// [`commit`]'s buffer, so that it stays in order with the rest of the output.
pub fn write_fd(fd: u32, bytes: &[u8]) {
    if fd == 1 {
        commit(bytes);
    } else {
        write_raw(fd, bytes);
    }
}

fn write_raw(fd: u32, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        let n = raw_syscall3(
            syscall::WRITE,
            fd,
            bytes.as_ptr() as u32,
            bytes.len() as u32,
        );
        if n as i32 <= 0 {
            exit(PANIC_EXIT_CODE);
        }
        bytes = &bytes[(n as usize).min(bytes.len())..];
    }
}

/// Public output buffered into fewer, larger `write` calls (a call costs two rows plus one per
/// word of its buffer).
struct OutputBuffer {
    bytes: UnsafeCell<[u8; OUTPUT_BUFFER]>,
    len: UnsafeCell<usize>,
}

const OUTPUT_BUFFER: usize = 256;

// SAFETY: a guest runs on one hart with no threads or interrupts, so the cells are never
// accessed concurrently, and no reference into them outlives a call below.
unsafe impl Sync for OutputBuffer {}

static OUTPUT: OutputBuffer = OutputBuffer {
    bytes: UnsafeCell::new([0; OUTPUT_BUFFER]),
    len: UnsafeCell::new(0),
};

/// Append `bytes` to the public output (fd 1), byte for byte; buffered, and flushed when the
/// buffer fills and when the guest exits.
pub fn commit(bytes: &[u8]) {
    // SAFETY: single-threaded guest (see `OutputBuffer`).
    unsafe {
        let buf = &mut *OUTPUT.bytes.get();
        let len = &mut *OUTPUT.len.get();
        for &b in bytes {
            buf[*len] = b;
            *len += 1;
            if *len == OUTPUT_BUFFER {
                flush_output();
            }
        }
    }
}

/// Write the buffered public output.
fn flush_output() {
    // SAFETY: single-threaded guest (see `OutputBuffer`).
    unsafe {
        let len = &mut *OUTPUT.len.get();
        if *len > 0 {
            let buf = &*OUTPUT.bytes.get();
            write_raw(1, &buf[..*len]);
            *len = 0;
        }
    }
}

/// Append `v` to the public output as 4 little-endian bytes.
pub fn commit_u32(v: u32) {
    commit(&v.to_le_bytes());
}

/// Read up to `buf.len()` bytes of private input; returns how many (0 at the end of input).
pub fn read(buf: &mut [u8]) -> usize {
    if buf.is_empty() {
        return 0;
    }
    let n = raw_syscall3(syscall::READ, 0, buf.as_mut_ptr() as u32, buf.len() as u32);
    if n as i32 <= 0 {
        0
    } else {
        (n as usize).min(buf.len())
    }
}

/// Fill `buf` from the private input; returns false if the input ended first.
pub fn read_exact(buf: &mut [u8]) -> bool {
    let mut done = 0;
    while done < buf.len() {
        let n = read(&mut buf[done..]);
        if n == 0 {
            return false;
        }
        done += n;
    }
    true
}

/// All remaining private input.
pub fn read_to_vec() -> Vec<u8> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 256];
    loop {
        let n = read(&mut chunk);
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

/// All remaining private input as text (invalid UTF-8 is a panic).
pub fn read_to_string() -> String {
    match String::from_utf8(read_to_vec()) {
        Ok(s) => s,
        Err(_) => panic!("private input is not UTF-8"),
    }
}

/// All remaining private input as whitespace-separated decimal numbers (e.g. `"30"` or
/// `"5 3 9"`); a word that does not parse as a `T` is a panic that names it.
pub fn read_numbers<T: core::str::FromStr>() -> Vec<T> {
    read_to_string()
        .split_whitespace()
        .map(|word| match word.parse() {
            Ok(v) => v,
            Err(_) => panic!(
                "private input: `{word}` is not a {}",
                core::any::type_name::<T>()
            ),
        })
        .collect()
}

/// All remaining private input as exactly one decimal number (e.g. `"30"`): [`read_numbers`],
/// and a panic if the input holds none or more than one.
pub fn read_number<T: core::str::FromStr>() -> T {
    let mut numbers = read_numbers::<T>();
    match (numbers.pop(), numbers.is_empty()) {
        (Some(n), true) => n,
        _ => panic!("private input: expected one decimal number"),
    }
}

/// Four little-endian bytes of private input (panics if the input ends first).
pub fn read_u32() -> u32 {
    let mut b = [0u8; 4];
    if !read_exact(&mut b) {
        panic!("private input ended before a u32");
    }
    u32::from_le_bytes(b)
}

/// Read one typed value from the private input, as the host's `zkvm_host::Input::value` wrote
/// it: a frame of its postcard encoding's length (a little-endian `u32`) and the encoding. A
/// missing or malformed frame is a panic that says so.
#[cfg(feature = "serde")]
pub fn read_value<T: serde::de::DeserializeOwned>() -> T {
    let len = read_u32() as usize;
    let mut frame = alloc::vec![0u8; len];
    if !read_exact(&mut frame) {
        panic!("private input ended inside a {len}-byte value");
    }
    match postcard::from_bytes(&frame) {
        Ok(v) => v,
        Err(e) => panic!(
            "private input is not a {}: {e}",
            core::any::type_name::<T>()
        ),
    }
}

/// Append one typed value to the public output as a frame (see [`read_value`]); the host reads
/// the values back with `zkvm_host::Output::frames`.
#[cfg(feature = "serde")]
pub fn commit_value<T: serde::Serialize>(value: &T) {
    let body = match postcard::to_allocvec(value) {
        Ok(body) => body,
        Err(e) => panic!("cannot encode a {}: {e}", core::any::type_name::<T>()),
    };
    commit_u32(body.len() as u32);
    commit(&body);
}

/// End the run with `code` (a Linux process reports its low 8 bits).
pub fn exit(code: u32) -> ! {
    flush_output();
    raw_syscall3(syscall::EXIT, code, 0, 0);
    #[allow(clippy::empty_loop)]
    loop {}
}

/// A `fmt::Write` sink for a file descriptor.
pub struct Fd(pub u32);

impl fmt::Write for Fd {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        write_fd(self.0, s.as_bytes());
        Ok(())
    }
}

/// Formatted text to the public output.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {{
        let _ = core::fmt::Write::write_fmt(&mut $crate::Fd(1), format_args!($($arg)*));
    }};
}

/// Formatted text and a newline to the public output.
#[macro_export]
macro_rules! println {
    () => { $crate::commit(b"\n") };
    ($($arg:tt)*) => {{
        $crate::print!($($arg)*);
        $crate::commit(b"\n");
    }};
}

/// Formatted debug text and a newline to fd 2 (not part of the public output).
#[macro_export]
macro_rules! debug {
    ($($arg:tt)*) => {{
        let _ = core::fmt::Write::write_fmt(&mut $crate::Fd(2), format_args!($($arg)*));
        $crate::write_fd(2, b"\n");
    }};
}

#[cfg(target_arch = "riscv32")]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    use core::fmt::Write;
    let mut fd = Fd(2);
    let _ = match info.location() {
        Some(l) => write!(
            fd,
            "panicked at {}:{}: {}\n",
            l.file(),
            l.line(),
            info.message()
        ),
        None => write!(fd, "panicked: {}\n", info.message()),
    };
    exit(PANIC_EXIT_CODE)
}

/// A bump allocator over `[__heap_start, __heap_end)`: allocation is a pointer increment,
/// `dealloc` frees only the most recent allocation, and `realloc` of the most recent
/// allocation grows in place. Guests are short single-threaded runs, so memory that is freed
/// out of order is simply not reused. Exhausting the heap is an allocation error (a panic).
pub struct BumpAlloc {
    /// Next free address (0 before the first allocation).
    next: UnsafeCell<usize>,
}

// SAFETY: a guest runs on one hart with no threads or interrupts, so the cell is never accessed
// concurrently.
unsafe impl Sync for BumpAlloc {}

impl BumpAlloc {
    /// An allocator that starts at the heap section on first use.
    pub const fn new() -> Self {
        BumpAlloc {
            next: UnsafeCell::new(0),
        }
    }
}

impl Default for BumpAlloc {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(target_arch = "riscv32")]
fn heap_bounds() -> (usize, usize) {
    extern "C" {
        static __heap_start: u8;
        static __heap_end: u8;
    }
    // Only the addresses of the linker-script symbols are taken, never their contents.
    (
        core::ptr::addr_of!(__heap_start) as usize,
        core::ptr::addr_of!(__heap_end) as usize,
    )
}

#[cfg(not(target_arch = "riscv32"))]
fn heap_bounds() -> (usize, usize) {
    (0, 0)
}

// SAFETY: returned blocks are disjoint, aligned as asked, and inside the heap section.
unsafe impl GlobalAlloc for BumpAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let (start, end) = heap_bounds();
        let next = &mut *self.next.get();
        if *next == 0 {
            *next = start;
        }
        let Some(p) = next
            .checked_add(layout.align() - 1)
            .map(|p| p & !(layout.align() - 1))
        else {
            return core::ptr::null_mut();
        };
        match p.checked_add(layout.size()) {
            Some(e) if e <= end => {
                *next = e;
                p as *mut u8
            }
            _ => core::ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let next = &mut *self.next.get();
        if ptr as usize + layout.size() == *next {
            *next = ptr as usize;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let (_, end) = heap_bounds();
        let next = &mut *self.next.get();
        if ptr as usize + layout.size() == *next {
            if let Some(e) = (ptr as usize).checked_add(new_size) {
                if e <= end {
                    *next = e;
                    return ptr;
                }
            }
            return core::ptr::null_mut();
        }
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        let new = self.alloc(new_layout);
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
        }
        new
    }
}

#[cfg(target_arch = "riscv32")]
#[global_allocator]
static ALLOCATOR: BumpAlloc = BumpAlloc::new();
