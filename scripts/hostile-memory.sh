#!/usr/bin/env bash
# Peak memory and time of the CLI on each hostile workbook (docs/input.md#workbook-limits-and-memory):
#   cargo run --release -p tierwise-workbook --example hostile -- DIR
#   scripts/hostile-memory.sh [BIN] [DIR]     (default target/release/tierwise, target/hostile)
# Each run is capped at 60 s and 6 GiB of address space (ulimit -v), so that a reader that trusts
# the file stops there instead of taking the machine. Prints: file, exit code, seconds, peak RSS in
# MiB, the first line of standard error.
set -uo pipefail
BIN="${1:-target/release/tierwise}"
DIR="${2:-target/hostile}"
printf '%-26s %5s %7s %9s  %s\n' file exit seconds 'peak MiB' message
for f in "$DIR"/*; do
  out=$( (ulimit -v $((6 << 20)); /usr/bin/time -v timeout 60 "$BIN" analyze "$f" --out /dev/null) 2>&1 )
  code=$(printf '%s\n' "$out" | sed -n 's/.*Exit status: //p')
  sig=$(printf '%s\n' "$out" | sed -n 's/.*terminated by signal \([0-9]*\).*/\1/p')
  [ -n "$sig" ] && code="sig$sig"
  secs=$(printf '%s\n' "$out" | sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p')
  kb=$(printf '%s\n' "$out" | sed -n 's/.*Maximum resident set size (kbytes): //p')
  msg=$(printf '%s\n' "$out" | grep -v -E '^(\s+(Command|User|System|Percent|Elapsed|Average|Maximum|Major|Minor|Voluntary|Involuntary|Swaps|File|Socket|Signals|Page|Exit|Command being)|Command (exited|terminated))' | grep -v '^$' | head -1 | cut -c1-110)
  printf '%-26s %5s %7s %9s  %s\n' "$(basename "$f")" "$code" "$secs" "$((kb / 1024))" "$msg"
done
