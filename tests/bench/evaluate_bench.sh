#!/usr/bin/env bash
# evaluate_bench: how long `slamon evaluate` takes and how much memory it
# holds at TICKETS tickets (default 1,000,000). Not part of the pass/fail suite.
#
# The input looks like a help desk's export: 1,000 partners in 8 time zones
# with certifications, 40 releases, and TICKETS tickets of the four
# severities, their events interleaved in time order as a database dump gives
# them (a ticket's later events come thousands of lines after its opening).
# A quarter of the tickets stay open (responded only), the others get a
# workaround and are resolved and closed, one in ten waits and resumes, one in
# twenty is re-classified, one in fifty changes its incidents; 4-5 events a
# ticket on average.
#
# Runs the binary RUNS times (default 3) and prints each run's wall time, CPU
# time (user + system) and peak RSS, and the best of each (take the best:
# other work on the host only ever adds; on a loaded host the CPU time is the
# steadier figure). With --compare OLD_BINARY it also runs OLD_BINARY on the same
# input, prints its figures, and checks that both outputs (stdout, stderr and
# exit status) are byte-identical. EVALUATE_BENCH_KEEP=FILE keeps a copy of
# the input in FILE.
#
# usage: tests/bench/evaluate_bench.sh [--compare OLD_BINARY] [SLAMON_BINARY] [TICKETS] [RUNS]
set -euo pipefail
old=""
if [[ "${1:-}" == "--compare" ]]; then
  old="$2"
  shift 2
fi
slamon="${1:-build/daemon/slamon}"
n="${2:-1000000}"
runs="${3:-3}"
at="2026-12-01T00:00:00Z"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

awk -v n="$n" 'BEGIN {
  split("UTC Europe/Berlin America/New_York Asia/Tokyo Australia/Sydney Asia/Kolkata America/Sao_Paulo Europe/London", zones, " ");
  for (p = 0; p < 1000; p++) {
    printf "{\"type\":\"partner\",\"id\":\"partner-%03d\",\"name\":\"Partner %d GmbH\",\"contract_signed_at\":\"20%02d-%02d-01T00:00:00Z\",\"timezone\":\"%s\",\"policy\":\"default\"}\n", p, p, 23 + p % 3, 1 + p % 12, zones[1 + p % 8];
    for (c = 0; c < 1 + p % 3; c++)
      printf "{\"type\":\"certification\",\"partner\":\"partner-%03d\",\"employee\":\"emp-%d\",\"passed_at\":\"2025-%02d-15T00:00:00Z\"}\n", p, c, 1 + (p + c) % 12;
  }
  for (v = 0; v < 20; v++) {
    printf "{\"type\":\"release\",\"product\":\"backup\",\"version\":\"%d.%d\",\"released_at\":\"20%02d-%02d-01T00:00:00Z\"}\n", 22 + int(v / 4), 1 + v % 4, 22 + int(v / 4), 1 + 3 * (v % 4);
    printf "{\"type\":\"release\",\"product\":\"mail\",\"version\":\"%d.0\",\"released_at\":\"20%02d-%02d-01T00:00:00Z\"}\n", 7 + v, 21 + int(v / 4), 1 + 3 * (v % 4);
  }
  split("A B C D", sev, " ");
  # Ticket i opens at base + i * step seconds, over the ~330 days before
  # the evaluation instant; its k-th later event is written lag_k tickets on.
  base = 1735689600;  # 2025-01-01T00:00:00Z
  step = int(28000000 / n); if (step < 1) step = 1;
  lag = 3000;
  for (i = 0; i < n + 5 * lag; i++) {
    if (i < n) emit(i, 0);
    for (k = 1; k <= 5; k++) if (i - k * lag >= 0 && i - k * lag < n) emit(i - k * lag, k);
  }
}
function iso(t) { return strftime("%Y-%m-%dT%H:%M:%SZ", t, 1) }
function ev(t, at, kind, extra) {
  printf "{\"type\":\"event\",\"ticket\":\"T-%d\",\"at\":\"%s\",\"kind\":\"%s\"%s}\n", t, iso(at), kind, extra;
}
function emit(t, k,    o, p) {
  o = base + t * step;
  if (k == 0) {
    p = (t * 7919) % 1000;
    if (t % 2 == 0) prod = sprintf("\"product\":\"backup\",\"version\":\"%d.%d\"", 22 + int((t % 20) / 4), 1 + t % 4);
    else prod = sprintf("\"product\":\"mail\",\"version\":\"%d.0\"", 7 + t % 20);
    ev(t, o, "opened", sprintf(",\"partner\":\"partner-%03d\",\"severity\":\"%s\",\"incidents\":%d,%s", p, sev[1 + int(t / 3) % 4], 1 + (t % 7 == 0), prod));
  } else if (k == 1) ev(t, o + 600 + t % 3600, "responded", "");
  else if (t % 4 == 3) return;  # stays open
  else if (k == 2) {
    if (t % 20 == 0) ev(t, o + 4000, "severity", sprintf(",\"severity\":\"%s\"", sev[1 + (t + 1) % 4]));
    else if (t % 50 == 1) ev(t, o + 4000, "incidents", ",\"incidents\":2");
    ev(t, o + 7200 + t % 86400, "workaround", "");
  } else if (k == 3) {
    if (t % 10 == 2) { ev(t, o + 90000, "waiting", ""); ev(t, o + 180000, "resumed", ""); }
    ev(t, o + 200000 + t % 400000, "resolved", "");
  } else if (k == 4) ev(t, o + 700000, "closed", "");
}' >"$work/input.jsonl"

if [[ -n "${EVALUATE_BENCH_KEEP:-}" ]]; then cp "$work/input.jsonl" "$EVALUATE_BENCH_KEEP"; fi
printf 'input: %d tickets, %d lines, %d MiB\n' "$n" "$(wc -l <"$work/input.jsonl")" \
  "$(du -m "$work/input.jsonl" | cut -f1)"

measure() {  # measure LABEL BINARY OUT
  local label="$1" binary="$2" out="$3" best_s="" best_cpu="" best_rss="" status
  for ((r = 1; r <= runs; r++)); do
    status=0
    /usr/bin/time -f "%M %e %U %S" -o "$work/time" "$binary" evaluate --at "$at" \
      <"$work/input.jsonl" >"$out.stdout" 2>"$out.stderr" || status=$?
    echo "$status" >"$out.status"
    read -r rss_kb seconds user system <"$work/time"
    cpu="$(echo "$user + $system" | bc -l)"
    printf '%-4s run %d: %6.2f s  CPU %6.2f s  peak RSS %6.1f MiB\n' "$label" "$r" "$seconds" \
      "$cpu" "$(echo "$rss_kb / 1024" | bc -l)"
    if [[ -z "$best_s" ]] || (($(echo "$seconds < $best_s" | bc -l))); then best_s="$seconds"; fi
    if [[ -z "$best_cpu" ]] || (($(echo "$cpu < $best_cpu" | bc -l))); then best_cpu="$cpu"; fi
    if [[ -z "$best_rss" ]] || ((rss_kb < best_rss)); then best_rss="$rss_kb"; fi
  done
  printf '%-4s best: %6.2f s  CPU %6.2f s  peak RSS %6.1f MiB (%.0f bytes a ticket), exit %s, %d output lines, %d error lines\n' \
    "$label" "$best_s" "$best_cpu" "$(echo "$best_rss / 1024" | bc -l)" \
    "$(echo "$best_rss * 1024 / $n" | bc -l)" "$(cat "$out.status")" \
    "$(wc -l <"$out.stdout")" "$(wc -l <"$out.stderr")"
}

measure new "$slamon" "$work/new"
if [[ -n "$old" ]]; then
  measure old "$old" "$work/old"
  for part in stdout stderr status; do
    if ! cmp -s "$work/old.$part" "$work/new.$part"; then
      echo "DIFFERENT $part: the outputs of $old and $slamon differ" >&2
      exit 1
    fi
  done
  echo "outputs identical (stdout, stderr, exit status)"
fi
