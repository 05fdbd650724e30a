#!/usr/bin/env bash
# The README's demo command, inside a pg_virtualenv cluster: the daemon comes
# up with the demo data, serves metrics that show it, and Ctrl-C (SIGINT)
# stops everything. usage: demo_test.sh SOURCE_DIR SLAMON_BINARY
set -uo pipefail
cd "$1"
export SLAMON_BIN="$2"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log="$(mktemp)"
SLAMON_DEMO_PORT=$port setsid bash scripts/demo.sh --inside >"$log" 2>&1 &
demo=$!
failures=0
checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { checks=$((checks + 1)); }
ready=0
for _ in $(seq 1 150); do
  if curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null; then ready=1; break; fi
  sleep 0.1
done
[[ $ready == 1 ]] && pass || fail "demo daemon not ready within 15 s"
metrics=$(curl -sf "http://127.0.0.1:$port/metrics")
value() { awk -v m="$1" 'index($0, m " ") == 1 { print $2 }' <<<"$metrics"; }
[[ "$(value 'slamon_sla_clocks{state="breached",target="response",ticket_severity="A"}')" -ge 1 ]] && pass || fail "no breached A response in the demo"
[[ "$(value 'slamon_sla_clocks{state="at_risk",target="response",ticket_severity="A"}')" -ge 1 ]] && pass || fail "no at-risk A response in the demo"
[[ "$(value 'slamon_quota_credits{partner="initech"}')" == 1 ]] && pass || fail "initech's new-defect credit missing"
[[ "$(value 'slamon_tickets_outdated_version{product="backup"}')" == 1 ]] && pass || fail "outdated ticket missing"
[[ -n "$(value 'slamon_quota_unlimited{partner="globex"}')" ]] && pass || fail "globex quota missing (credit paid, schema version 2)"
[[ "$(value 'slamon_quota_billable_incidents{partner="globex"}')" == 0 ]] && pass || fail "globex, in its unlimited month, has billable incidents"
[[ -n "$(value 'slamon_quota_billable_incidents{partner="initech"}')" ]] && pass || fail "initech's billable incidents missing"
# Ctrl-C: SIGINT to the demo's process group stops the daemon and the inserter.
kill -INT -- -"$demo"
for _ in $(seq 1 100); do kill -0 "$demo" 2>/dev/null || break; sleep 0.1; done
kill -0 "$demo" 2>/dev/null && fail "demo still running 10 s after SIGINT" || pass
curl -sf "http://127.0.0.1:$port/-/healthy" >/dev/null && fail "daemon still serving after SIGINT" || pass
echo "$checks passed, $failures failed"
[[ $failures == 0 ]] || { cat "$log" | tail -30; exit 1; }
