#!/usr/bin/env bash
# zkvm and Miden VM side by side on fib, in one run (issue 13's peer comparison): for each size
# 2^LOG rows, zasm fib, the RV32IM fib guest and Miden's fib, each sized to just under 2^LOG
# cycles, proven one after the other; prints cycles, prove time, kHz (cycles per second of
# proving), peak memory (`/usr/bin/time`) and proof size.
#
#   bash bench/miden.sh [LOG...]          # default: 16 18
#
# Needs Miden VM: cargo install miden-vm --version 0.23.5 --features executable,concurrent
# Miden proves `begin push.0 push.1 repeat.N swap dup.1 add end swap drop swap drop end`.
set -euo pipefail
cd "$(dirname "$0")/.."

miden=${MIDEN:-miden-vm}
if ! command -v "$miden" >/dev/null; then
  echo "miden-vm not found: cargo install miden-vm --version 0.23.5 --features executable,concurrent" >&2
  exit 2
fi
cargo build --release --locked -q -p zkvm-cli
zkvm=target/release/zkvm
elf=$("$zkvm" build examples/guests/fib 2>/dev/null)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs "$@" under /usr/bin/time; sets wall (s) and peak (MiB).
timed() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>&1
  read -r wall kb <"$work/time"
  peak=$((kb / 1024))
}

row() { # prover cycles seconds peak proof_bytes
  awk -v p="$1" -v c="$2" -v s="$3" -v m="$4" -v b="$5" 'BEGIN {
    printf "| %-18s | %9d | %8.2f s | %6.1f kHz | %6d MiB | %7.1f KB |\n", p, c, s, c / s / 1000, m, b / 1000 }'
}

# The prove time and sizes of a zkvm run, from its --json report.
zkvm_row() { # label
  row "$1" "$(jq .report.cycles "$work/out.json")" "$(jq .report.prove_seconds "$work/out.json")" \
    "$peak" "$(jq .report.proof_bytes "$work/out.json")"
}

echo "| prover | cycles | prove | speed | peak memory | proof |"
echo "|---|---|---|---|---|---|"
logs=("$@")
[ ${#logs[@]} -gt 0 ] || logs=(16 18)
for log in "${logs[@]}"; do
  rows=$((1 << log))
  echo "| **2^$log rows** | | | | | |"

  # zasm fib(n) runs 5n + 11 cycles.
  n=$(((rows - 11) / 5))
  timed "$zkvm" prove examples/zasm/fib.zasm --input "$n" --json -o "$work/p"
  grep '^{' "$work/out" >"$work/out.json"
  zkvm_row "zkvm zasm"

  # The RV32IM fib guest runs about 10.05 n + 1,100 cycles.
  n=$(((rows - 1300) * 100 / 1005))
  echo "$n" >"$work/in.txt"
  timed "$zkvm" prove "$elf" --stdin "$work/in.txt" --json -o "$work/p"
  grep '^{' "$work/out" >"$work/out.json"
  zkvm_row "zkvm rv32im"

  # Miden: about 3.05 cycles per iteration, so N = 0.32·2^LOG stays under 2^LOG rows.
  n=$((rows * 32 / 100))
  echo "begin push.0 push.1 repeat.$n swap dup.1 add end swap drop swap drop end" >"$work/fib.masm"
  cycles=$("$miden" run "$work/fib.masm" 2>&1 | grep -oE 'VM cycles: [0-9]+' | grep -oE '[0-9]+')
  timed "$miden" prove "$work/fib.masm" -p "$work/fib.proof"
  ms=$(grep -oE 'proved in [0-9]+ ms' "$work/out" | grep -oE '[0-9]+')
  row "Miden VM 0.23.5" "$cycles" "$(awk -v ms="$ms" 'BEGIN { print ms / 1000 }')" "$peak" \
    "$(stat -c %s "$work/fib.proof")"
done
