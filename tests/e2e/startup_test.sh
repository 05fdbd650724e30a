#!/usr/bin/env bash
# The initial load of a large ticket database, under pg_virtualenv: while it
# runs, /-/healthy and /metrics answer within two seconds (they once did
# not answer for 18 s), /-/ready is 503, the
# replica does not lead, and SIGTERM stops it within two seconds; afterwards
# it turns ready and leads. usage: startup_test.sh SLAMON_BINARY [ROWS]
set -uo pipefail
slamon="$1"
rows="${2:-600000}"
source "$(dirname "$0")/e2e_checks.sh"
now_ms() { date +%s%3N; }

port=$(free_port)
cat >"$work/slamon.yml" <<YAML
database:
  dsn: "dbname=$PGDATABASE"
http:
  listen: "127.0.0.1:$port"
YAML
"$slamon" migrate --config "$work/slamon.yml" >/dev/null || { echo "FAIL: migrate"; exit 1; }
# Closed tickets of the last weeks, four events each.
tickets=$(( rows / 4 ))
psql -q <<SQL
INSERT INTO slamon.partners VALUES ('p1', 'One', now() - interval '400 days', 'UTC', 'default');
INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity)
  SELECT 'T-' || g, now() - interval '30 days' + g * interval '1 second', 'opened', 'p1', 'C'
  FROM generate_series(1, $tickets) g;
INSERT INTO slamon.ticket_events (ticket_id, at, kind)
  SELECT 'T-' || g, now() - interval '30 days' + g * interval '1 second' + interval '1 hour', k
  FROM generate_series(1, $tickets) g, unnest(ARRAY['responded', 'resolved', 'closed']) k;
SQL

healthy_ms() {  # the time /-/healthy takes to answer 200, or 9999
  local start=$(now_ms)
  curl -sf --max-time 2 "http://127.0.0.1:$port/-/healthy" >/dev/null || { echo 9999; return; }
  echo $(( $(now_ms) - start ))
}
code_of() { curl -s -o /dev/null --max-time 2 -w '%{http_code}' "http://127.0.0.1:$port$1"; }
metric() { curl -sf --max-time 2 "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }

# 1. Probe while it loads.
"$slamon" run --config "$work/slamon.yml" >>"$work/daemon.log" 2>&1 &
daemon=$!
pids+=("$daemon")
# HTTP comes up first; measure from then on.
for _ in $(seq 1 100); do [[ "$(code_of /-/healthy)" == 200 ]] && break; sleep 0.05; done
loading=0 slowest=0 led_while_loading=0
for _ in $(seq 1 600); do
  [[ "$(code_of /-/ready)" == 200 ]] && break
  took=$(healthy_ms)
  (( took > slowest )) && slowest=$took
  if [[ "$(code_of /-/ready)" == 503 && "$(metric slamon_db_up)" == 1 ]]; then
    loading=$((loading + 1))
    [[ "$(metric slamon_leader)" == 1 ]] && led_while_loading=1
  fi
  sleep 0.1
done
(( loading >= 1 )) && pass || fail "the load was observed only $loading times: raise ROWS (now $rows)"
(( slowest <= 2000 )) && pass || fail "/-/healthy took ${slowest} ms during the load (want <= 2000)"
(( led_while_loading == 0 )) && pass || fail "the replica led while it was loading"
[[ "$(code_of /-/ready)" == 200 ]] && pass || fail "not ready after the load"
for _ in $(seq 1 100); do [[ "$(metric slamon_leader)" == 1 ]] && break; sleep 0.1; done
[[ "$(metric slamon_leader)" == 1 ]] && pass || fail "no leadership within 10 s of the load"
grep -q "ticket database loaded" "$work/daemon.log" && pass || fail "load not logged"
kill -TERM "$daemon"; wait "$daemon"

# 2. SIGTERM in the middle of a load stops within two seconds.
"$slamon" run --config "$work/slamon.yml" >>"$work/daemon2.log" 2>&1 &
daemon=$!
pids+=("$daemon")
for _ in $(seq 1 200); do
  [[ "$(metric slamon_db_up)" == 1 ]] && break
  sleep 0.05
done
[[ "$(code_of /-/ready)" == 503 ]] && pass || fail "already ready: cannot stop it during the load"
start=$(now_ms)
kill -TERM "$daemon"
for _ in $(seq 1 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.05; done
stopped=$(( $(now_ms) - start ))
kill -0 "$daemon" 2>/dev/null && fail "still running 5 s after SIGTERM during the load"
wait "$daemon"
status=$?
(( stopped <= 2000 )) && pass || fail "SIGTERM during the load took ${stopped} ms (want <= 2000)"
[[ $status == 0 ]] && pass || fail "exit status $status after SIGTERM during the load"

echo "startup: $checks checks passed, $failures failed (load observed $loading times, healthy <= ${slowest} ms, stop ${stopped} ms)"
(( failures == 0 ))
