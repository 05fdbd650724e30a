#!/usr/bin/env bash
# Bounded alert volume against a real Alertmanager, under pg_virtualenv: with
# alerting.max_ticket_alerts 2, five breached tickets reach Alertmanager as
# the two most overdue SlaBreached alerts plus one SlaAlertsFolded with count
# 3; answering the tickets unfolds and then resolves everything.
# usage: fold_test.sh SLAMON_BINARY
set -uo pipefail
slamon="$1"
source "$(dirname "$0")/e2e_checks.sh"

port=$(free_port)
start_alertmanager
cat >"$work/slamon.yml" <<YAML
database:
  dsn: "dbname=$PGDATABASE"
  poll_interval: 2s
http:
  listen: "127.0.0.1:$port"
alerting:
  alertmanagers: ["http://127.0.0.1:$am_port"]
  resend_interval: 2s
  max_ticket_alerts: 2
policies:
  default:
    severities:
      A:
        response: {within: 1h}
        workaround: none
YAML
"$slamon" migrate --config "$work/slamon.yml" >/dev/null || { echo "FAIL: migrate"; exit 1; }
psql -q -c "INSERT INTO slamon.partners VALUES ('p1', 'One', now() - interval '400 days', 'UTC', 'default')"
# A's response target is 1 h here: opened 2..6 hours ago, all breached; F-5
# (6 h ago) and F-4 are the most overdue.
for i in 1 2 3 4 5; do
  psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity) VALUES ('F-$i', now() - interval '$((i + 1)) hours', 'opened', 'p1', 'A')"
done
"$slamon" run --config "$work/slamon.yml" >"$work/daemon.log" 2>&1 &
pids+=($!)
wait_ready "$port" || fail "not ready"

alerts() {  # alerts -> "NAME TICKET COUNT" per active alert, sorted
  curl -sf "http://127.0.0.1:$am_port/api/v2/alerts?active=true" |
    python3 -c "
import json, sys
for a in json.load(sys.stdin):
    if a['status']['state'] != 'active' or not a['labels']['alertname'].startswith('Sla'): continue
    l = a['labels']
    print(l['alertname'], l.get('ticket', '-'), a['annotations'].get('count', '-'))" | sort
}
want="SlaAlertsFolded - 3
SlaBreached F-4 -
SlaBreached F-5 -"
got=""
for _ in $(seq 1 100); do
  got=$(alerts)
  [[ "$got" == "$want" ]] && break
  sleep 0.2
done
[[ "$got" == "$want" ]] && pass || fail "folded alerts: want
$want
got
$got"
metric=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '$1 == "slamon_alerts_folded" { print $2 }')
[[ "$metric" == 3 ]] && pass || fail "slamon_alerts_folded $metric, want 3"

# F-5 answered: F-3 takes its place, two stay folded.
psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind) VALUES ('F-5', now(), 'responded')"
want="SlaAlertsFolded - 2
SlaBreached F-3 -
SlaBreached F-4 -"
for _ in $(seq 1 100); do
  got=$(alerts)
  [[ "$got" == "$want" ]] && break
  sleep 0.2
done
[[ "$got" == "$want" ]] && pass || fail "after F-5's response: want
$want
got
$got"

# All answered: nothing is active any more, the aggregate included.
for i in 1 2 3 4; do
  psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind) VALUES ('F-$i', now(), 'responded')"
done
for _ in $(seq 1 100); do
  got=$(alerts)
  [[ -z "$got" ]] && break
  sleep 0.2
done
[[ -z "$got" ]] && pass || fail "still active after every response: $got"

echo "$checks passed, $failures failed"
[[ $failures == 0 ]] || { tail -20 "$work/daemon.log"; tail -5 "$work/am.log"; exit 1; }
