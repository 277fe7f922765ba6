/work/main/examples/guests/fib/examples/guests/fib/target/riscv32im-unknown-none-elf/release/deps/fib-1b497788efe6c686.d: src/main.rs

/work/main/examples/guests/fib/examples/guests/fib/target/riscv32im-unknown-none-elf/release/deps/fib-1b497788efe6c686: src/main.rs

src/main.rs:
