#!/usr/bin/env bash
# Alerts from `slamon run` to a real Alertmanager (Debian's
# prometheus-alertmanager on a loopback port), under pg_virtualenv: a ticket
# whose warning point and deadline are seconds ahead shows up as SlaAtRisk,
# then SlaBreached, with the right labels; a `responded` event resolves it.
# usage: alerts_test.sh SLAMON_BINARY
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
policies:
  default:
    warn_at: [0.5]
    severities:
      A:
        response: {within: 8s}
YAML
"$slamon" migrate --config "$work/slamon.yml" >/dev/null || { echo "FAIL: migrate"; exit 1; }
psql -q -c "INSERT INTO slamon.partners VALUES ('p1', 'One', now() - interval '400 days', 'UTC', 'default')"
"$slamon" run --config "$work/slamon.yml" >"$work/daemon.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && curl -sf "http://127.0.0.1:$am_port/-/ready" >/dev/null && break
  sleep 0.1
done
# The replica must lead before it sends (after the 4 s lease).
for _ in $(seq 1 75); do
  [[ "$(curl -sf "http://127.0.0.1:$port/metrics")" == *$'\nslamon_leader 1'* ]] && break
  sleep 0.2
done

active() {  # active ALERTNAME -> the active alert's labels as JSON, or nothing
  curl -sf "http://127.0.0.1:$am_port/api/v2/alerts?active=true&silenced=false&inhibited=false" |
    python3 -c "import json,sys; [print(json.dumps(a['labels'], sort_keys=True)) for a in json.load(sys.stdin) if a['labels'].get('alertname') == sys.argv[1] and a['status']['state'] == 'active']" "$1"
}
wait_active() {  # wait_active ALERTNAME SECONDS WANT(yes|no)
  local start=$SECONDS
  while (( SECONDS - start <= $2 )); do
    if [[ -n "$(active "$1")" ]]; then [[ $3 == yes ]] && return 0; else [[ $3 == no ]] && return 0; fi
    sleep 0.2
  done
  return 1
}

psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity) VALUES ('T-1', now(), 'opened', 'p1', 'A')"
wait_active SlaAtRisk 8 yes && pass || fail "SlaAtRisk never reached Alertmanager"
labels=$(active SlaAtRisk)
[[ "$labels" == *'"partner": "p1"'* && "$labels" == *'"target": "response"'* && "$labels" == *'"ticket": "T-1"'* && "$labels" == *'"ticket_severity": "A"'* && "$labels" == *'"severity": "warning"'* ]] && pass || fail "SlaAtRisk labels: $labels"
wait_active SlaBreached 10 yes && pass || fail "SlaBreached never reached Alertmanager"
labels=$(active SlaBreached)
[[ "$labels" == *'"severity": "critical"'* && "$labels" == *'"ticket": "T-1"'* ]] && pass || fail "SlaBreached labels: $labels"
wait_active SlaAtRisk 6 no && pass || fail "SlaAtRisk still active after the breach"
sleep 1
psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind) VALUES ('T-1', now(), 'responded')"
wait_active SlaBreached 6 no && pass || fail "SlaBreached not resolved after the response"
# Alertmanager down for a minute and back: the firing alerts arrive.
kill "$alertmanager"
wait "$alertmanager" 2>/dev/null
psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity) VALUES ('T-2', now() - interval '1 minute', 'opened', 'p1', 'A')"
sleep 60
failed=$(curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^slamon_alert_send_failures_total')
[[ "$failed" =~ \}\ [1-9] ]] && pass || fail "no send failures counted while Alertmanager was down: $failed"
start_alertmanager am2
t2_breached() {
  curl -sf "http://127.0.0.1:$am_port/api/v2/alerts?active=true" |
    python3 -c "import json,sys; [print('yes') for a in json.load(sys.stdin) if a['labels'].get('alertname') == 'SlaBreached' and a['labels'].get('ticket') == 'T-2']"
}
arrived=""
for _ in $(seq 1 60); do
  arrived=$(t2_breached)
  [[ -n "$arrived" ]] && break
  sleep 0.5
done
[[ -n "$arrived" ]] && pass || fail "T-2's SlaBreached did not arrive after Alertmanager came back"
sent=$(curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^slamon_alerts_sent_total')
[[ "$sent" =~ \}\ [1-9] ]] && pass || fail "slamon_alerts_sent_total did not count: $sent"

echo "$checks passed, $failures failed"
[[ $failures == 0 ]] || { tail -20 "$work/daemon.log"; tail -5 "$work/am.log"; exit 1; }
