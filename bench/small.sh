#!/usr/bin/env bash
# Small programs: the fixed cost of a proof (issue 13's target: a 100-cycle program in ≤ 0.5 s).
# Proves zasm fib(20) (111 cycles) and the RV32IM fib guest on "20" (1,303 cycles) REPS times
# with each fetch argument and prints the median prove time, proof size and verify time.
#
#   bash bench/small.sh [ZKVM_BINARY] [REPS]    # default: target/release/zkvm, 5
#   ZKVM_MEMORY=twist bash bench/small.sh       # memory checked by Twist (default: offline)
#
# Pass another build's binary to compare two commits in one run (BENCHMARKS.md does).
set -euo pipefail
cd "$(dirname "$0")/.."

zkvm=${1:-target/release/zkvm}
reps=${2:-5}
if [ "$zkvm" = target/release/zkvm ]; then
  cargo build --release --locked -q -p zkvm-cli
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Whether this build has `--fetch` (builds before it fetch by LogUp only).
fetches=(logup)
if "$zkvm" prove --help | grep -q -- --fetch; then
  fetches=(logup shout)
fi

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

measure() {
  local label=$1 fetch=$2
  shift 2
  local times=() sizes=() verifies=()
  for _ in $(seq "$reps"); do
    local flag=()
    [ "$fetch" = logup ] || flag=(--fetch "$fetch")
    [ -z "${ZKVM_MEMORY:-}" ] || flag+=(--memory-checking "$ZKVM_MEMORY")
    "$@" "${flag[@]}" --json -o "$work/p" >"$work/json" 2>/dev/null
    times+=("$(jq '.report.prove_seconds' "$work/json")")
    sizes+=("$(jq '.report.proof_bytes' "$work/json")")
    verifies+=("$(jq '.report.verify_seconds // empty' "$work/json")")
  done
  printf '%-28s %-6s prove %6.3f s  proof %7d bytes  verify %6.3f s\n' "$label" "$fetch" \
    "$(printf '%s\n' "${times[@]}" | median)" "$(printf '%s\n' "${sizes[@]}" | median)" \
    "$(printf '%s\n' "${verifies[@]:-0}" | median)"
}

for fetch in "${fetches[@]}"; do
  measure "zasm fib(20), 111 cycles" "$fetch" "$zkvm" prove examples/zasm/fib.zasm --input 20
  echo 20 >"$work/in"
  measure "rv32im fib(20), 1303 cycles" "$fetch" "$zkvm" prove examples/guests/fib --stdin "$work/in"
done
