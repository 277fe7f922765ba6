#!/usr/bin/env bash
# Runs of any length in bounded memory (issue 14): zasm fib and the RV32IM fib guest, each
# sized to just under 2^LOG rows, proven in shards under a peak-memory budget (default 4 GiB,
# `ZKVM_BUDGET=GIB` to change it), then verified by a separate `zkvm verify`; prints prove
# time, kHz, peak memory (`/usr/bin/time`), shards, proof size and verify time (the prover's
# own check, setup excluded, and the `zkvm verify` process's wall time, setup loading included).
#
#   bash bench/shards.sh [ISA:LOG...]        # default: rv32im:20 zasm:20
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked -q -p zkvm-cli
zkvm=target/release/zkvm
elf=$("$zkvm" build examples/guests/fib 2>/dev/null)
budget=${ZKVM_BUDGET:-4}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| run | cycles | shards | prove | speed | peak memory | proof | verify (in prover) | zkvm verify (process) |"
echo "|---|---|---|---|---|---|---|---|---|"
runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=(rv32im:20 zasm:20)
for run in "${runs[@]}"; do
  isa=${run%%:*}
  log=${run##*:}
  rows=$((1 << log))
  # zasm fib(n) runs 5n + 11 cycles; the RV32IM fib guest about 10.05 n + 1,100.
  if [ "$isa" = zasm ]; then
    program=examples/zasm/fib.zasm
    args=(--input $(((rows - 11) / 5)))
  else
    program=$elf
    echo $(((rows - 2000) * 100 / 1005)) >"$work/in.txt"
    args=(--stdin "$work/in.txt")
  fi
  /usr/bin/time -f '%M' -o "$work/time" "$zkvm" prove "$program" "${args[@]}" \
    --memory-budget "$budget" --json -o "$work/p" >"$work/out" 2>"$work/err" || {
    cat "$work/err" >&2
    exit 1
  }
  peak=$(($(cat "$work/time") / 1024))
  start=$(date +%s.%N)
  "$zkvm" verify "$program" "$work/p" >/dev/null 2>&1
  verify=$(echo "$(date +%s.%N) - $start" | bc)
  grep '^{' "$work/out" | jq -r --arg run "$isa 2^$log" --arg peak "$peak" --arg v "$verify" '
    .report as $r
    | "| \($run) | \($r.cycles) | \($r.shards) of 2^\($r.shard_log_rows // "-") | \($r.prove_seconds * 10 | round / 10) s | \($r.cycles / $r.prove_seconds / 1000 * 10 | round / 10) kHz | \($peak) MiB | \($r.proof_bytes / 1000 | round) KB | \($r.verify_seconds * 100 | round / 100) s | \($v | tonumber * 100 | round / 100) s |"'
done
