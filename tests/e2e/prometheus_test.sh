#!/usr/bin/env bash
# Real Prometheus (Debian's, on loopback, temporary storage) scrapes
# `slamon run`, evaluates the shipped rules, and fires SlamonDatabaseDown
# (for: 2m) after PostgreSQL is stopped. Under pg_virtualenv.
# usage: prometheus_test.sh SLAMON_BINARY SOURCE_DIR
set -uo pipefail
slamon="$1"
src="$2"
source "$(dirname "$0")/e2e_checks.sh"

port=$(free_port)
cat >"$work/slamon.yml" <<YAML
database:
  dsn: "dbname=$PGDATABASE"
http:
  listen: "127.0.0.1:$port"
YAML
"$slamon" migrate --config "$work/slamon.yml" >/dev/null || { echo "FAIL: migrate"; exit 1; }
"$slamon" run --config "$work/slamon.yml" >"$work/daemon.log" 2>&1 &
pids+=($!)
cp "$src/prometheus/slamon.rules.yml" "$work/"
cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [slamon.rules.yml]
scrape_configs:
  - job_name: slamon
    static_configs: [{targets: ["127.0.0.1:$port"]}]
YAML
start_prometheus

alert_state() {  # alert_state NAME -> pending, firing or nothing
  curl -sf "http://127.0.0.1:$prom_port/api/v1/alerts" |
    python3 -c "import json,sys; [print(a['state']) for a in json.load(sys.stdin)['data']['alerts'] if a['labels']['alertname'] == sys.argv[1]]" "$1"
}
query() {  # query PROMQL -> the first sample's value
  curl -sf "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" |
    python3 -c "import json,sys; r=json.load(sys.stdin)['data']['result']; print(r[0]['value'][1] if r else '')"
}

for _ in $(seq 1 100); do
  [[ "$(query 'slamon_db_up')" == 1 ]] && break
  sleep 0.2
done
[[ "$(query 'slamon_db_up')" == 1 ]] && pass || fail "Prometheus does not see slamon_db_up 1"
[[ -z "$(alert_state SlamonDatabaseDown)" ]] && pass || fail "SlamonDatabaseDown active while the database is up"

cluster=$(pg_lsclusters -h | awk -v p="$PGPORT" '$3 == p { print $1 " " $2 }')
pg_ctlcluster $cluster stop -m fast
state=""
for _ in $(seq 1 200); do  # up to 200 s: 2 min of `for`, plus scrapes and evaluation
  state=$(alert_state SlamonDatabaseDown)
  [[ "$state" == firing ]] && break
  sleep 1
done
[[ "$state" == firing ]] && pass || fail "SlamonDatabaseDown not firing after the database stopped (state: $state)"
pg_ctlcluster $cluster start

echo "$checks passed, $failures failed"
[[ $failures == 0 ]] || { tail -n 5 "$work/prometheus.log" "$work/daemon.log"; exit 1; }
