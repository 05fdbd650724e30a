#!/usr/bin/env bash
# evaluate_memory: what `slamon evaluate` holds to be independent of line
# order — every event until the end of input, packed. Feeds N tickets twice —
# once all closed (three events each), once all left open (two events each) —
# and prints the peak resident memory of each run. Not part of the pass/fail
# suite.
# usage: tests/bench/evaluate_memory.sh [SLAMON_BINARY] [N]
set -euo pipefail
slamon="${1:-build/daemon/slamon}"
n="${2:-200000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

generate() {  # generate N closed|open
  awk -v n="$1" -v mode="$2" 'BEGIN {
    print "{\"type\":\"partner\",\"id\":\"p1\",\"contract_signed_at\":\"2025-01-01T00:00:00Z\",\"timezone\":\"Europe/Berlin\"}";
    for (i = 0; i < n; i++) {
      d = sprintf("2026-%02d-%02dT%02d:%02d:00Z", 1 + i % 10, 1 + i % 28, i % 24, i % 60);
      printf "{\"type\":\"event\",\"ticket\":\"T-%d\",\"at\":\"%s\",\"kind\":\"opened\",\"partner\":\"p1\",\"severity\":\"B\",\"product\":\"backup\",\"version\":\"24.1\"}\n", i, d;
      printf "{\"type\":\"event\",\"ticket\":\"T-%d\",\"at\":\"%s\",\"kind\":\"responded\"}\n", i, d;
      if (mode == "closed") printf "{\"type\":\"event\",\"ticket\":\"T-%d\",\"at\":\"%s\",\"kind\":\"closed\"}\n", i, d;
    }
  }'
}

for mode in closed open; do
  generate "$n" "$mode" >"$work/$mode.jsonl"
  size=$(du -m "$work/$mode.jsonl" | cut -f1)
  /usr/bin/time -f "%M %e" -o "$work/time" "$slamon" evaluate --at 2026-12-01T00:00:00Z \
    <"$work/$mode.jsonl" >/dev/null
  read -r rss_kb seconds <"$work/time"
  printf '%-7s tickets %7d  input %4d MiB  peak RSS %6.1f MiB  %5.2f s  %.0f bytes/ticket\n' \
    "$mode" "$n" "$size" "$(echo "$rss_kb / 1024" | bc -l)" "$seconds" \
    "$(echo "$rss_kb * 1024 / $n" | bc -l)"
done
