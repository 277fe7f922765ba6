/work/main/examples/guests/fib/examples/guests/fib/target/riscv32im-unknown-none-elf/release/deps/zkvm_guest-fd86b8bc96297586.d: /work/main/stdlib/guest/src/lib.rs

/work/main/examples/guests/fib/examples/guests/fib/target/riscv32im-unknown-none-elf/release/deps/libzkvm_guest-fd86b8bc96297586.rlib: /work/main/stdlib/guest/src/lib.rs

/work/main/examples/guests/fib/examples/guests/fib/target/riscv32im-unknown-none-elf/release/deps/libzkvm_guest-fd86b8bc96297586.rmeta: /work/main/stdlib/guest/src/lib.rs

/work/main/stdlib/guest/src/lib.rs:
