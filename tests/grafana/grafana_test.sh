#!/usr/bin/env bash
# The Grafana dashboards against real data, under pg_virtualenv: two `slamon
# run` replicas loaded with the demo data (demo/seed.sql) send alerts to a
# real Alertmanager and are scraped by a real Prometheus (every second; job
# `slamon` scrapes both replicas, job `slamon-one` only the first). After a
# few events (a clock stopped on time, one late, a fresh breach, a bad row)
# and enough scrapes for the rate windows, check_dashboards.py runs every
# dashboard query and template query through Prometheus and every alert table
# filter through Alertmanager (see there for what it checks).
# usage: grafana_test.sh SLAMON_BINARY SOURCE_DIR
set -uo pipefail
slamon="$1"
src="$2"
source "$src/tests/e2e/e2e_checks.sh"

port1=$(free_port)
port2=$(free_port)
start_alertmanager

for port in "$port1" "$port2"; do
  {
    cat "$src/demo/slamon.yml"
    cat <<YAML
database:
  dsn: "dbname=$PGDATABASE"
  poll_interval: 1s
http:
  listen: "127.0.0.1:$port"
alerting:
  alertmanagers: ["http://127.0.0.1:$am_port"]
  resend_interval: 10s
YAML
  } >"$work/slamon-$port.yml"
done
"$slamon" migrate --config "$work/slamon-$port1.yml" >/dev/null || { echo "FAIL: migrate"; exit 1; }
psql -q -v ON_ERROR_STOP=1 -f "$src/demo/seed.sql" || { echo "FAIL: loading demo/seed.sql"; exit 1; }
for port in "$port1" "$port2"; do
  "$slamon" run --config "$work/slamon-$port.yml" >"$work/replica-$port.log" 2>&1 &
  pids+=($!)
done
for port in "$port1" "$port2"; do
  wait_ready "$port" && pass || fail "replica on $port not ready"
done

cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: slamon
    static_configs: [{targets: ["127.0.0.1:$port1", "127.0.0.1:$port2"]}]
  - job_name: slamon-one
    static_configs: [{targets: ["127.0.0.1:$port1"]}]
YAML
start_prometheus
start=$(date +%s)
query() {  # query PROMQL -> the first sample's value
  local out
  out=$(curl -sf "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1") || return
  python3 -c "import json,sys; r=json.loads(sys.argv[1])['data']['result']; print(r[0]['value'][1] if r else '')" "$out"
}
scraped=""
for _ in $(seq 1 100); do
  scraped=$(query 'count(slamon_ready{job="slamon"} == 1) + count(slamon_ready{job="slamon-one"} == 1)')
  [[ "$scraped" == 3 ]] && break
  sleep 0.2
done
[[ "$scraped" == 3 ]] && pass || fail "Prometheus does not see both replicas ready (got '$scraped')"

# Events while Prometheus watches, so that the windows of increase() see them:
# D-101 (B, due in 10 min) answered on time, D-109 (A, breached) answered late,
# G-1 (acme, A, opened 3h59m50s ago) breaches in 10 s, and a row of an unknown kind.
psql -q -v ON_ERROR_STOP=1 <<'SQL' || fail "inserting the test's events"
INSERT INTO slamon.ticket_events (ticket_id, at, kind) VALUES
  ('D-101', now(), 'responded'),
  ('D-109', now(), 'responded');
INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity, product, version) VALUES
  ('G-1', now() - interval '3 hours 59 minutes 50 seconds', 'opened', 'acme', 'A', 'backup', '24.2');
INSERT INTO slamon.ticket_events (ticket_id, at, kind) VALUES ('G-1', now(), 'escalated');
SQL

am_has() {  # am_has ALERTNAME TICKET -> yes when Alertmanager has it active
  local out
  out=$(curl -sf "http://127.0.0.1:$am_port/api/v2/alerts?active=true") || return
  python3 -c "import json,sys; print('yes' if any(a['labels'].get('alertname') == sys.argv[2] and a['labels'].get('ticket') == sys.argv[3] for a in json.loads(sys.argv[1])) else '')" "$out" "$1" "$2"
}
breached=""
for _ in $(seq 1 60); do
  breached=$(am_has SlaBreached G-1)
  [[ "$breached" == yes ]] && break
  sleep 0.5
done
[[ "$breached" == yes ]] && pass || fail "G-1's SlaBreached did not reach Alertmanager"

# Rate windows of 30 s ($__rate_interval) need 30 s of scrapes after the events.
while ((SECONDS < 45)); do sleep 1; done
# Also wait until the breach has been scraped by both jobs.
for _ in $(seq 1 20); do
  b=$(query 'min(sum by (job) (slamon_sla_breaches_total{partner="acme",target="response",ticket_severity="A"}))')
  [[ "$b" == 2 ]] && break
  sleep 0.5
done
sleep 2

out=$(python3 "$(dirname "$0")/check_dashboards.py" "$src/grafana" \
  --prometheus "http://127.0.0.1:$prom_port" --alertmanager "http://127.0.0.1:$am_port" \
  --job slamon --single-job slamon-one --partner acme --start "$start" \
  --rate-interval 30s --interval 15s ${GRAFANA_TEST_VERBOSE:+--verbose})
echo "$out"
summary=$(tail -1 <<<"$out")
if [[ "$summary" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  checks=$((checks + BASH_REMATCH[1]))
  failures=$((failures + BASH_REMATCH[2]))
else
  fail "check_dashboards.py did not finish: $summary"
fi

echo "took $SECONDS s"
echo "$checks passed, $failures failed"
[[ $failures == 0 ]] || {
  tail -n 5 "$work/prometheus.log" "$work/am.log" "$work/replica-$port1.log" "$work/replica-$port2.log"
  exit 1
}
