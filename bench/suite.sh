#!/usr/bin/env bash
# The benchmark suite of BENCHMARKS.md: every algorithm as zasm, as a Rust guest on RV32IM and,
# for the arithmetic kernels, as a direct circuit, run through `zkvm compare` at two sizes.
#
#   bash bench/suite.sh small|large [ALGORITHM...]     # default: every algorithm
#   ZKVM_FETCH=logup,shout bash bench/suite.sh small   # every program under both fetch arguments
#   ZKVM_MEMORY=offline,twist bash bench/suite.sh small # ... and under both memory arguments
#
# Each comparison's table is written to bench/results/SIZE/ALGORITHM.txt, after the command
# that produced it (inputs it generates go to bench/results/SIZE/inputs). Proving the large size needs about
# 8 GB of memory and about an hour on 2 cores (the MiMC guest, 4.9 M cycles, is proven in shards
# within 4 GiB); run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

size=${1:?usage: bench/suite.sh small|large [ALGORITHM...]}
shift
case $size in small | large) ;; *) echo "size must be small or large" >&2; exit 2 ;; esac
all=(fib factorial matmul matmul_u32 mimc sha256 sort u256mul)
algorithms=("${@:-${all[@]}}")

cargo build --release --locked -q -p zkvm-cli
zkvm=target/release/zkvm
out=bench/results/$size
inputs=$out/inputs
mkdir -p "$inputs"

# Sizes: (small, large).
pick() { if [ "$size" = small ]; then echo "$1"; else echo "$2"; fi; }

# n pseudo-random u32 values (the LCG x <- 69069 x + 1 mod 2^32, exact in awk's doubles): as
# "n v0 v1 ..." for zasm, and as little-endian words for the guest.
sort_values() {
  awk -v n="$1" 'BEGIN { print n; x = 1
    for (i = 0; i < n; i++) { x = (x * 69069 + 1) % 4294967296; printf "%.0f\n", x } }' >"$2"
  LC_ALL=C awk -v n="$1" 'BEGIN { x = 1
    for (i = 0; i < n; i++) { x = (x * 69069 + 1) % 4294967296; y = x
      for (b = 0; b < 4; b++) { printf "%c", y % 256; y = int(y / 256) } } }' >"$3"
}

# A message of n printable ASCII bytes: raw for the guest, "n b0 b1 ..." for zasm.
sha_message() {
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "%c", 32 + (7 * i + 3) % 95 }' >"$2"
  awk -v n="$1" 'BEGIN { print n; for (i = 0; i < n; i++) print 32 + (7 * i + 3) % 95 }' >"$3"
}

# The instruction-fetch and memory-checking arguments each program is proven with (`zkvm
# compare --fetch --memory-checking`).
fetch=${ZKVM_FETCH:-logup}
memory=${ZKVM_MEMORY:-offline}

run() {
  local name=$1
  shift
  echo "== $name ($size): zkvm compare $* --fetch $fetch --memory-checking $memory" >&2
  {
    echo "\$ zkvm compare $* --fetch $fetch --memory-checking $memory"
    "$zkvm" compare "$@" --fetch "$fetch" --memory-checking "$memory"
  } >"$out/$name.txt"
}

# `run NAME` on the zasm program and the guest NAME, both given the one number $2 (the zasm
# program as input 1, the guest as text), and the options that follow.
run_on_n() {
  local name=$1 n=$2
  shift 2
  run "$name" examples/zasm/"$name".zasm examples/guests/"$name" \
    --input 1="$n" --stdin 2=@text:"$n" "$@"
}

for algorithm in "${algorithms[@]}"; do
  case $algorithm in
    fib) run_on_n fib "$(pick 1000 20000)" ;;
    factorial) run_on_n factorial "$(pick 20 100)" ;;
    matmul)
      n=$(pick 2 4)
      run_on_n matmul "$n" --baseline matmul:"$n"
      ;;
    matmul_u32) run_on_n matmul_u32 "$(pick 8 16)" ;;
    mimc)
      # The guest's field arithmetic costs ~1,350 cycles a multiplication: one hash is 2^19
      # rows, ten are 4.9 M cycles (2^23 rows), proven in shards within a 4 GiB budget.
      n=$(pick 1 10)
      budget=()
      [ "$size" = large ] && budget=(--memory-budget 4)
      run mimc examples/zasm/mimc.zasm examples/guests/mimc \
        --input 1=1,2,"$n" --stdin 2=@text:"1 2 $n" --baseline mimc:"$n":1:2 "${budget[@]}"
      ;;
    sha256)
      n=$(pick 55 247)
      sha_message "$n" "$inputs/sha256.bin" "$inputs/sha256.txt"
      run sha256 examples/zasm/sha256.zasm examples/guests/sha256 \
        --input 1=@"$inputs/sha256.txt" --stdin 2="$inputs/sha256.bin"
      ;;
    sort)
      n=$(pick 64 256)
      sort_values "$n" "$inputs/sort.txt" "$inputs/sort.bin"
      run sort examples/zasm/sort.zasm examples/guests/sort \
        --input 1=@"$inputs/sort.txt" --stdin 2="$inputs/sort.bin"
      ;;
    u256mul)
      k=$(pick 10 100)
      run u256mul examples/zasm/u256mul.zasm examples/guests/u256mul \
        --input 1="$k" --stdin 2=@text:"$k"
      ;;
    *)
      echo "unknown algorithm $algorithm (one of: ${all[*]})" >&2
      exit 2
      ;;
  esac
done
