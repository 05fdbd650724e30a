#!/usr/bin/env bash
# `slamon run` end to end, under pg_virtualenv (a throwaway PostgreSQL 15):
# readiness, metrics that move within a second of a commit, a breach within a
# second of its deadline, SIGHUP with a broken config, the database going away
# and coming back, restart reproducing the counters, sd_notify messages, and a
# clean SIGTERM. usage: run_test.sh SLAMON_BINARY
set -uo pipefail
slamon="$1"
source "$(dirname "$0")/e2e_checks.sh"
now_ms() { date +%s%3N; }

port=$(free_port)
cat >"$work/slamon.yml" <<YAML
database:
  dsn: "dbname=$PGDATABASE"
  poll_interval: 2s
http:
  listen: "127.0.0.1:$port"
policies:
  default:
    warn_at: [0.5]
    severities:
      A:
        response: {within: 6s}
YAML
"$slamon" migrate --config "$work/slamon.yml" >/dev/null || { echo "FAIL: migrate"; exit 1; }
psql -q -c "INSERT INTO slamon.partners VALUES ('p1', 'One', now() - interval '400 days', 'Europe/Berlin', 'default')"

# sd_notify messages arrive on a test socket.
python3 - "$work/notify.sock" "$work/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(4096).decode() + "\n")
PY
pids+=($!)
# Python may take seconds to start on a busy machine: wait for its socket.
for _ in $(seq 1 200); do [[ -S "$work/notify.sock" ]] && break; sleep 0.05; done

start_daemon() {
  NOTIFY_SOCKET="$work/notify.sock" WATCHDOG_USEC=2000000 "$slamon" run --config "$work/slamon.yml" >>"$work/daemon.log" 2>&1 &
  daemon=$!
  pids+=("$daemon")
  for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "FAIL: daemon not ready within 10 s"; tail -20 "$work/daemon.log"; exit 1
}
metric() {  # metric 'name{labels}' -> value or empty
  curl -sf "http://127.0.0.1:$port/metrics" | awk -v m="$1" 'index($0, m " ") == 1 { print $2 }'
}
wait_metric() {  # wait_metric 'name{labels}' VALUE TIMEOUT_MS -> prints elapsed ms
  local start=$(now_ms) deadline=$(( $(now_ms) + $3 ))
  while (( $(now_ms) <= deadline )); do
    if [[ "$(metric "$1")" == "$2" ]]; then echo $(( $(now_ms) - start )); return 0; fi
    sleep 0.05
  done
  echo "timeout"; return 1
}

start_daemon
pass
grep -q "READY=1" "$work/notify.log" && pass || fail "no READY=1 on NOTIFY_SOCKET: $(cat "$work/notify.log")"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/-/healthy")" == 200 ]] && pass || fail "/-/healthy"
sleep 1.2
grep -q "WATCHDOG=1" "$work/notify.log" && pass || fail "no WATCHDOG=1 with WatchdogSec set"
[[ "$(metric 'slamon_db_up')" == 1 ]] && pass || fail "slamon_db_up is not 1"

# A commit shows in /metrics within a second.
running='slamon_sla_clocks{state="running",target="response",ticket_severity="A"}'
psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity) VALUES ('T-1', now(), 'opened', 'p1', 'A')"
committed=$(now_ms)
took=$(wait_metric "$running" 1 1000) && pass || fail "opened ticket not in metrics within 1 s ($took)"
deadline_ms=$(( committed + 6000 ))
# At risk at half the budget, breached at the deadline (within a second).
took=$(wait_metric 'slamon_sla_clocks{state="at_risk",target="response",ticket_severity="A"}' 1 5000) && pass || fail "never at risk"
took=$(wait_metric 'slamon_sla_clocks{state="breached",target="response",ticket_severity="A"}' 1 8000) && pass || fail "never breached"
late=$(( $(now_ms) - deadline_ms ))
(( late <= 1000 )) && pass || fail "breach seen ${late} ms after the deadline (want <= 1000)"
[[ "$(metric 'slamon_sla_breaches_total{partner="p1",target="response",ticket_severity="A"}')" == 1 ]] && pass || fail "breach counter"
grep -q "SlaBreached firing ticket=T-1" "$work/daemon.log" && pass || fail "breach not logged"
# Respond a full second after the deadline (instants are whole seconds).
sleep 1.1
psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind) VALUES ('T-1', now(), 'responded')"
took=$(wait_metric 'slamon_sla_met_total{outcome="late",target="response",ticket_severity="A"}' 1 1000) && pass || fail "late response not counted within 1 s"

# A bad row is counted and skipped; the daemon goes on.
psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind) VALUES ('T-2', now(), 'answered')"
took=$(wait_metric 'slamon_events_rejected_total{reason="unknown_kind"}' 1 2000) && pass || fail "bad row not counted"
grep -q 'unknown event kind "answered"' "$work/daemon.log" && pass || fail "bad row not logged"

# SIGHUP with a broken config keeps the running one.
cp "$work/slamon.yml" "$work/good.yml"
echo "policies: [broken" >>"$work/slamon.yml"
kill -HUP "$daemon"
sleep 0.5
kill -0 "$daemon" 2>/dev/null && pass || fail "daemon died on SIGHUP with a broken config"
grep -q "reload failed: keeping the running config" "$work/daemon.log" && pass || fail "failed reload not logged"
grep -q "RELOADING=1" "$work/notify.log" && pass || fail "no RELOADING=1"
cp "$work/good.yml" "$work/slamon.yml"

# The database goes away and comes back: db_up 0, then 1, nothing lost.
before=$(curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^slamon_sla_(met|breaches)_total' | sort)
cluster=$(pg_lsclusters -h | awk -v p="$PGPORT" '$3 == p { print $1 " " $2 }')
pg_ctlcluster $cluster stop -m fast
took=$(wait_metric 'slamon_db_up' 0 8000) && pass || fail "slamon_db_up did not drop to 0"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")" == 200 ]] && pass || fail "metrics not served while the database is down"
pg_ctlcluster $cluster start
psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity) VALUES ('T-3', now(), 'opened', 'p1', 'B')"
took=$(wait_metric 'slamon_db_up' 1 40000) && pass || fail "slamon_db_up did not come back to 1"
took=$(wait_metric 'slamon_sla_clocks{state="running",target="response",ticket_severity="B"}' 1 5000) && pass || fail "event committed after the outage not applied"
after=$(curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^slamon_sla_(met|breaches)_total' | sort)
[[ "$before" == "$after" ]] && pass || fail "counters changed across the outage: $(diff <(echo "$before") <(echo "$after"))"

# SIGTERM stops cleanly; a restart reproduces the counters.
kill -TERM "$daemon"
wait "$daemon"
status=$?
[[ $status == 0 ]] && pass || fail "exit status $status after SIGTERM"
grep -q "STOPPING=1" "$work/notify.log" && pass || fail "no STOPPING=1"
start_daemon
restarted=$(curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^slamon_sla_(met|breaches)_total' | sort)
[[ "$after" == "$restarted" ]] && pass || fail "counters differ after restart: $(diff <(echo "$after") <(echo "$restarted"))"
kill -TERM "$daemon"; wait "$daemon"

# promtool accepts what /metrics serves.
start_daemon
curl -sf "http://127.0.0.1:$port/metrics" >"$work/metrics.txt"
promtool check metrics <"$work/metrics.txt" >"$work/promtool.out" 2>&1 && pass || fail "promtool check metrics: $(cat "$work/promtool.out")"
kill -TERM "$daemon"; wait "$daemon"

# TLS and basic auth: a wrong password is refused, the right one served.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -keyout "$work/tls.key" -out "$work/tls.crt" >/dev/null 2>&1
printf 's3cret\n' >"$work/http-password"
cat >"$work/tls.yml" <<YAML
database:
  dsn: "dbname=$PGDATABASE"
http:
  listen: "127.0.0.1:$port"
  tls: {cert_file: $work/tls.crt, key_file: $work/tls.key}
  basic_auth: {username: prometheus, password_file: $work/http-password}
YAML
"$slamon" run --config "$work/tls.yml" >>"$work/daemon.log" 2>&1 &
daemon=$!
pids+=("$daemon")
code=000
for _ in $(seq 1 100); do
  code=$(curl -sk -o /dev/null -w '%{http_code}' -u prometheus:s3cret "https://127.0.0.1:$port/-/ready")
  [[ $code == 200 ]] && break
  sleep 0.1
done
[[ $code == 200 ]] && pass || fail "TLS with the right password: $code"
code=$(curl -sk -o /dev/null -w '%{http_code}' -u prometheus:wrong "https://127.0.0.1:$port/metrics")
[[ $code == 401 ]] && pass || fail "TLS with a wrong password: $code, want 401"
code=$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/metrics")
[[ $code == 401 ]] && pass || fail "TLS without a password: $code, want 401"
tls_metrics=$(curl -sf --cacert "$work/tls.crt" -u prometheus:s3cret "https://127.0.0.1:$port/metrics")
[[ "$tls_metrics" == *$'\nslamon_build_info'* ]] && pass || fail "metrics over verified TLS"
curl -s "http://127.0.0.1:$port/metrics" -o /dev/null -w '%{http_code}' | grep -q '^400$' && pass || fail "plain HTTP to the TLS port is not refused"
kill -TERM "$daemon"; wait "$daemon"

echo "$checks passed, $failures failed"
[[ $failures == 0 ]] || { echo "--- daemon log"; tail -40 "$work/daemon.log"; exit 1; }
