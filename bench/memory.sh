#!/usr/bin/env bash
# Offline memory checking and Twist side by side on the same runs (issue 13's offline-vs-Twist
# table): for each size 2^LOG rows, zasm fib and the RV32IM fib guest, each sized to just under
# 2^LOG cycles, proven under `--memory-checking offline` and `twist`, one after the other; prints
# prove time, kHz, peak memory (`/usr/bin/time`), committed elements, proof size, verify time and
# the time of the memory argument's own phase (offline checking shares the GKR phase with the
# lookups; Twist has a phase of its own).
#
#   bash bench/memory.sh [LOG...]          # default: 12 16
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked -q -p zkvm-cli
zkvm=target/release/zkvm
elf=$("$zkvm" build examples/guests/fib 2>/dev/null)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| run | memory | cycles | prove | speed | peak memory | committed elements | proof | verify | gkr phase | twist phase |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
logs=("$@")
[ ${#logs[@]} -gt 0 ] || logs=(12 16)
for log in "${logs[@]}"; do
  rows=$((1 << log))
  # zasm fib(n) runs 5n + 11 cycles; the RV32IM fib guest about 10.05 n + 1,100.
  zasm_n=$(((rows - 11) / 5))
  rv_n=$(((rows - 2000) * 100 / 1005))
  echo "$rv_n" >"$work/in.txt"
  for isa in zasm rv32im; do
    for memory in offline twist; do
      if [ $isa = zasm ]; then
        cmd=("$zkvm" prove examples/zasm/fib.zasm --input "$zasm_n")
      else
        cmd=("$zkvm" prove "$elf" --stdin "$work/in.txt")
      fi
      /usr/bin/time -f '%M' -o "$work/time" "${cmd[@]}" --memory-checking "$memory" --json \
        -o "$work/p" >"$work/out" 2>"$work/err"
      peak=$(($(cat "$work/time") / 1024))
      grep '^{' "$work/out" | jq -r --arg isa "$isa 2^$log" --arg m "$memory" --arg peak "$peak" '
        .report as $r
        | def phase(p): ([$r.phases[] | select(.[0] == p) | .[1]] | if length > 0 then "\(.[0] * 1000 | round / 1000) s" else "-" end);
        "| \($isa) | \($m) | \($r.cycles) | \($r.prove_seconds * 100 | round / 100) s | \($r.cycles / $r.prove_seconds / 1000 * 10 | round / 10) kHz | \($peak) MiB | \($r.committed_elements) | \($r.proof_bytes / 100 | round / 10) KB | \($r.verify_seconds * 1000 | round) ms | \(phase("memory checking and lookups (gkr)")) | \(phase("memory checking (twist)")) |"'
    done
  done
done
