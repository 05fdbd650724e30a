#!/usr/bin/env bash
# daemon_bench: `slamon run` end to end on a large ticket database (issue 13).
# Printed figures, not a pass/fail test.
#
# usage: tests/bench/daemon_bench.sh TICKETS MIX [--load RATE]
#   TICKETS  open tickets, spread over 1,000 partners (severities A-D in turn)
#   MIX      fresh: opened in the last 10 minutes (nothing at risk or due)
#            aged:  opened over the last 23 days (most at risk or breached)
#            In both, every second ticket has been answered.
#   --load RATE  after the start-up, insert RATE `opened` events a second for
#            60 s (pgbench, one event per transaction) and print the
#            commit-to-metric latency, the database time slamon used and
#            whether every event was applied exactly once.
# Environment: SLAMON (default build/daemon/slamon), LOAD_SECONDS (60),
# PERF_DATA (a file: `perf record $PERF_OPTS` the daemon from its start to
# ready; PERF_OPTS defaults to -g).
#
# It runs itself under pg_virtualenv (a private PostgreSQL 15 in a temporary
# directory, removed at the end) with pg_stat_statements loaded and
# track_commit_timestamp on, and synchronous_commit off (the machine's disk is
# not what is measured). slamon runs with the default config (config/slamon.yml:
# only the database and the listen address changed) as its own role
# `slamon_bench`, so pg_stat_statements tells its queries apart.
#
# What it prints (see docs/testing.md):
#   ready         time from starting the process to /-/ready answering 200,
#                 and the CPU time slamon used until then
#   rss           resident memory after the load, and per ticket
#   scrape        best and worst of 5 GETs of /metrics, and the body's size;
#                 again with Accept-Encoding: gzip (as Prometheus scrapes)
#   log lines     lines slamon logged from its start to the end of the scrapes
#   alerts        the "alerts firing" of the load's log line, and the clocks
#                 at risk / breached of slamon_sla_clocks
#   latency       (--load) for the k-th event by commit time (PostgreSQL's
#                 pg_xact_commit_timestamp of its transaction), the first
#                 /metrics answer with slamon_events_applied_total >= k
#                 minus that commit time; /metrics is read every 5 ms by one
#                 client, so the figures include up to one scrape of delay.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
if [[ -z "${DAEMON_BENCH_INSIDE:-}" ]]; then
  export DAEMON_BENCH_INSIDE=1
  exec pg_virtualenv -t -v 15 -o shared_preload_libraries=pg_stat_statements \
    -o track_commit_timestamp=on -o synchronous_commit=off \
    -o shared_buffers=512MB -o max_wal_size=4GB \
    bash "$0" "$@"
fi

usage() { echo "usage: $0 TICKETS fresh|aged [--load RATE]" >&2; exit 2; }
(( $# >= 2 )) || usage
tickets="$1"
mix="$2"
shift 2
rate=0
while (( $# > 0 )); do
  case "$1" in
    --load) rate="${2:?}"; shift 2 ;;
    *) usage ;;
  esac
done
[[ "$tickets" =~ ^[0-9]+$ ]] || usage
[[ "$mix" == fresh || "$mix" == aged ]] || usage
slamon="${SLAMON:-$root/build/daemon/slamon}"
load_seconds="${LOAD_SECONDS:-60}"
[[ -x "$slamon" ]] || { echo "no slamon binary at $slamon (build it, or set SLAMON)" >&2; exit 1; }

work="$(mktemp -d)"
daemon=""
cleanup() {
  [[ -n "$daemon" ]] && kill -TERM "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
  [[ -n "${KEEP_LOG:-}" ]] && cp "$work/daemon.log" "$KEEP_LOG"
  rm -rf "$work"
}
trap cleanup EXIT
now_ms() { date +%s%3N; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
metrics() { curl -sf --max-time 30 "http://127.0.0.1:$port/metrics"; }
# sum_metric NAME [LABEL_MATCH]: the sum of a metric's series in /metrics.
sum_metric() {
  metrics | awk -v m="$1" -v l="${2:-}" '
    { name = $1; sub(/\{.*/, "", name) }
    name == m && index($1, l) { s += $NF } END { printf "%.0f\n", s }'
}

# The schema, as an administrator, and the daemon's role.
printf 'database:\n  dsn: "dbname=%s"\n' "$PGDATABASE" >"$work/admin.yml"
psql -q -c "CREATE ROLE slamon_bench LOGIN PASSWORD 'bench'" \
  -c "CREATE EXTENSION pg_stat_statements"
"$slamon" migrate --config "$work/admin.yml" --grant-to slamon_bench >/dev/null
printf 'bench' >"$work/db-password"
chmod 600 "$work/db-password"
# The default config, with only the database and the listen address changed.
sed -e "s|^  dsn: .*|  dsn: \"host=$PGHOST port=$PGPORT dbname=$PGDATABASE user=slamon_bench\"\n  password_file: $work/db-password|" \
  -e "s|^  listen: .*|  listen: \"127.0.0.1:$port\"|" "$root/config/slamon.yml" >"$work/slamon.yml"

# TICKETS tickets over 1,000 partners: ticket g belongs to partner g mod 1000
# and has severity A, B, C, D in turn. `fresh` opens them over the last
# 10 minutes, `aged` over the last 23 days (a spread by g * 7919, so
# neighbouring tickets are days apart); even tickets were answered one minute
# (fresh) or one hour (aged) after opening, never after now.
if [[ "$mix" == fresh ]]; then span=600 answer="1 minute"; else span=1987200 answer="1 hour"; fi
started=$(now_ms)
psql -q <<SQL
INSERT INTO slamon.partners (id, name, contract_signed_at, timezone)
  SELECT 'P-' || p, 'Partner ' || p, now() - interval '400 days',
         (ARRAY['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'])[1 + p % 4]
  FROM generate_series(0, 999) p;
CREATE TEMP TABLE opened AS
  SELECT g, now() - ((g::int8 * 7919) % $span) * interval '1 second' AS at
  FROM generate_series(1, $tickets) g;
INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity)
  SELECT 'T-' || g, at, 'opened', 'P-' || (g % 1000), (ARRAY['A', 'B', 'C', 'D'])[1 + g % 4]
  FROM opened ORDER BY g;
INSERT INTO slamon.ticket_events (ticket_id, at, kind)
  SELECT 'T-' || g, least(at + interval '$answer', now()), 'responded'
  FROM opened WHERE g % 2 = 0 ORDER BY g;
SQL
psql -q -c "VACUUM ANALYZE slamon.ticket_events"
events=$(psql -tAc "SELECT count(*) FROM slamon.ticket_events")
echo "daemon_bench: $tickets tickets ($mix), $events events, inserted in $(( $(now_ms) - started )) ms"
echo "slamon: $slamon ($("$slamon" version 2>/dev/null | head -1))"

# Start-up.
psql -qtAc "SELECT pg_stat_statements_reset()" >/dev/null
started=$(now_ms)
"$slamon" run --config "$work/slamon.yml" >"$work/daemon.log" 2>&1 &
daemon=$!
perf=""
if [[ -n "${PERF_DATA:-}" ]]; then
  # shellcheck disable=SC2086 # PERF_OPTS is a list of options
  perf record ${PERF_OPTS:--g} -q -o "$PERF_DATA" -p "$daemon" 2>/dev/null &
  perf=$!
fi
ready_ms=""
for _ in $(seq 1 30000); do
  if curl -sf --max-time 1 "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then
    ready_ms=$(( $(now_ms) - started ))
    break
  fi
  kill -0 "$daemon" 2>/dev/null || { echo "slamon exited:"; tail -20 "$work/daemon.log"; exit 1; }
  sleep 0.02
done
[[ -n "$ready_ms" ]] || { echo "not ready within 10 minutes"; exit 1; }
if [[ -n "$perf" ]]; then kill -INT "$perf"; wait "$perf" || true; fi
rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$daemon/status")
# CPU seconds of all its threads until ready (utime + stime, in clock ticks):
# a figure that means something on a shared machine, where wall time does not.
cpu_s=$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / hz }' \
  "/proc/$daemon/stat")
# ... and of each thread (the event loop is the process's own id).
threads_cpu=$(for t in /proc/$daemon/task/*; do
  awk -v hz="$(getconf CLK_TCK)" -v main="$daemon" -v tid="${t##*/}" '{
    sub(/^.*\) /, ""); s = ($12 + $13) / hz
    if (s >= 0.1) printf "%s %.1f s, ", (tid == main ? "event loop" : "thread " tid), s }' "$t/stat"
done)
hwm_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$daemon/status")
startup_db=$(psql -tAc "SELECT coalesce(round(sum(total_exec_time)), 0) || ' ms in ' || coalesce(sum(calls), 0) || ' calls'
  FROM pg_stat_statements WHERE userid = 'slamon_bench'::regrole")

# scrapes [CURL_OPTION...]: best, worst (ms) and size of 5 GETs of /metrics.
scrapes() {
  local best="" worst=0 size=0 took ms
  for _ in 1 2 3 4 5; do
    read -r took size < <(curl -sf --max-time 60 -o /dev/null -w '%{time_total} %{size_download}\n' \
      "$@" "http://127.0.0.1:$port/metrics")
    ms=$(python3 -c "print(round($took * 1000, 1))")
    if [[ -z "$best" ]] || python3 -c "import sys; sys.exit(0 if $ms < $best else 1)"; then best=$ms; fi
    python3 -c "import sys; sys.exit(0 if $ms > $worst else 1)" && worst=$ms
  done
  echo "$best $worst $size"
}
read -r best worst size < <(scrapes)
# As Prometheus asks: the body gzipped (not decompressed here).
read -r gz_best gz_worst gz_size < <(scrapes -H 'Accept-Encoding: gzip')
log_lines=$(wc -l <"$work/daemon.log")
firing=$(grep -o '[0-9]* alerts firing' "$work/daemon.log" | head -1 | cut -d' ' -f1 || true)
at_risk=$(sum_metric slamon_sla_clocks 'state="at_risk"')
breached=$(sum_metric slamon_sla_clocks 'state="breached"')
folded=$(sum_metric slamon_alerts_folded)
open=$(sum_metric slamon_open_tickets)

printf 'ready        %d ms (%s s of CPU: %s load average %s)\n' "$ready_ms" "$cpu_s" \
  "$threads_cpu" "$(cut -d' ' -f1 /proc/loadavg)"
printf 'rss          %.1f MiB after the load (peak %.1f MiB), %.0f bytes per ticket\n' \
  "$(echo "$rss_kb / 1024" | bc -l)" "$(echo "$hwm_kb / 1024" | bc -l)" \
  "$(echo "$rss_kb * 1024 / $tickets" | bc -l)"
printf 'scrape       best %s ms, worst %s ms of 5, %d bytes\n' "$best" "$worst" "$size"
printf 'scrape gzip  best %s ms, worst %s ms of 5, %d bytes (Accept-Encoding: gzip)\n' \
  "$gz_best" "$gz_worst" "$gz_size"
printf 'log lines    %d at start-up\n' "$log_lines"
printf 'alerts       %s firing at ready (log), %s folded; clocks at risk %s, breached %s; open tickets %s\n' \
  "${firing:-?}" "$folded" "$at_risk" "$breached" "$open"
printf 'database     %s for the start-up (pg_stat_statements, role slamon_bench)\n' "$startup_db"

(( rate > 0 )) || exit 0

# Load: RATE events a second, one `opened` event per transaction, for
# LOAD_SECONDS seconds; each a new ticket L-n (n from a sequence), so the
# count of applied events and of open tickets must each grow by exactly the
# number inserted.
psql -q -c "CREATE SEQUENCE bench_load"
cat >"$work/load.sql" <<'SQL'
\set p random(0, 999)
INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity)
  VALUES ('L-' || nextval('bench_load'), now(), 'opened', 'P-' || :p, 'C');
SQL
applied0=$(sum_metric slamon_events_applied_total)
rejected0=$(sum_metric slamon_events_rejected_total)
open0=$open
psql -qtAc "SELECT pg_stat_statements_reset()" >/dev/null
# The scraper: every 5 ms, the time a /metrics answer arrived and the
# applied count it showed, until told to stop.
cat >"$work/scrape.py" <<'PY'
import http.client, os, sys, time
port, out, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(out, "w") as f:
    while not os.path.exists(stop):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", "/metrics")
        body = c.getresponse().read()
        got = time.time()
        c.close()
        at = body.find(b"\nslamon_events_applied_total ")
        if at >= 0:
            value = body[at + 1:body.index(b"\n", at + 1)].split()[1]
            f.write("%.6f %s\n" % (got, value.decode()))
        time.sleep(0.005)
PY
python3 "$work/scrape.py" "$port" "$work/scrapes" "$work/stop" &
scraper=$!
pgbench -n -c 4 -j 2 -R "$rate" -T "$load_seconds" -f "$work/load.sql" >"$work/pgbench.log" 2>&1 ||
  { echo "pgbench failed:"; cat "$work/pgbench.log"; }
inserted=$(psql -tAc "SELECT count(*) FROM slamon.ticket_events WHERE ticket_id LIKE 'L-%'")
for _ in $(seq 1 300); do
  (( $(sum_metric slamon_events_applied_total) >= applied0 + inserted )) && break
  sleep 0.1
done
sleep 1
touch "$work/stop"
wait "$scraper"
load_db=$(psql -tAc "SELECT coalesce(round(sum(total_exec_time)), 0) || ' ms in ' || coalesce(sum(calls), 0) || ' calls'
  FROM pg_stat_statements WHERE userid = 'slamon_bench'::regrole")
top_db=$(psql -tAc "SELECT '  ' || round(total_exec_time) || ' ms, ' || calls || ' calls: ' || left(regexp_replace(query, '\s+', ' ', 'g'), 90)
  FROM pg_stat_statements WHERE userid = 'slamon_bench'::regrole ORDER BY total_exec_time DESC LIMIT 3")
psql -tAc "SELECT extract(epoch FROM pg_xact_commit_timestamp((xid::text::int8 % 4294967296)::text::xid))
  FROM slamon.ticket_events WHERE ticket_id LIKE 'L-%' ORDER BY 1" >"$work/commits"
applied=$(( $(sum_metric slamon_events_applied_total) - applied0 ))
rejected=$(( $(sum_metric slamon_events_rejected_total) - rejected0 ))
opened=$(( $(sum_metric slamon_open_tickets) - open0 ))

python3 - "$work/commits" "$work/scrapes" "$applied0" <<'PY'
import bisect, sys
commits = [float(l) for l in open(sys.argv[1]) if l.strip()]
scrapes = [tuple(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
base = float(sys.argv[3])
times = [t for t, _ in scrapes]
counts = [c - base for _, c in scrapes]
lat, unseen = [], 0
for k, committed in enumerate(commits, 1):
    i = bisect.bisect_left(counts, k)  # counts only grow
    if i == len(counts):
        unseen += 1
        continue
    # the first answer at or after the commit showing >= k events
    j = max(i, bisect.bisect_left(times, committed))
    lat.append((times[j] - committed) * 1000 if j < len(times) else float("nan"))
lat.sort()
gaps = [b - a for a, b in zip(times, times[1:])]
def pct(p):
    return lat[min(len(lat) - 1, int(p / 100 * len(lat)))] if lat else float("nan")
print("latency      commit to /metrics over %d events: p50 %.0f ms, p99 %.0f ms, max %.0f ms%s"
      % (len(lat), pct(50), pct(99), lat[-1] if lat else float("nan"),
         ", %d never seen" % unseen if unseen else ""))
print("             (/metrics read %d times, every %.1f ms on average)"
      % (len(times), 1000 * sum(gaps) / max(1, len(gaps))))
PY
rate_done=$(awk '/^tps = / { print $3; exit }' "$work/pgbench.log")
printf 'load         %s events inserted in %d s (pgbench: %s tx/s)\n' "$inserted" "$load_seconds" "${rate_done:-?}"
printf 'exactly once %s: applied %d, rejected %d, open tickets +%d (each must equal the inserted count, rejected 0)\n' \
  "$( (( applied == inserted && rejected == 0 && opened == inserted )) && echo yes || echo NO)" \
  "$applied" "$rejected" "$opened"
printf 'database     %s during the load (pg_stat_statements, role slamon_bench); top:\n%s\n' \
  "$load_db" "$top_db"
