#!/usr/bin/env bash
# Two `slamon run` replicas and a real Alertmanager (under pg_virtualenv):
# a breached ticket's SlaBreached alert is firing; SIGKILL the leader; the
# other replica takes over and the alert stays active all along, with the
# same startsAt (no resolve and refire). usage: ha_alerts_test.sh SLAMON_BINARY
set -uo pipefail
slamon="$1"
kill_signal=KILL
source "$(dirname "$0")/e2e_checks.sh"

start_alertmanager

alerting="alerting:
  alertmanagers: [\"http://127.0.0.1:$am_port\"]
  resend_interval: 3s
"
# ends_at = now + 4 x resend_interval (12 s) outlasts a takeover: up to 2 s to
# notice, the 4 s lease, one resend interval.
breached_starts_at() {  # the active SlaBreached alert's startsAt, or nothing
  curl -sf "http://127.0.0.1:$am_port/api/v2/alerts?active=true" |
    python3 -c "import json,sys; [print(a['startsAt']) for a in json.load(sys.stdin) if a['labels'].get('alertname') == 'SlaBreached' and a['status']['state'] == 'active']"
}

"$slamon" migrate --config <(printf 'database:\n  dsn: "dbname=%s"\n' "$PGDATABASE") >/dev/null ||
  { echo "FAIL: migrate"; exit 1; }
# A ticket whose 4 h response deadline passed an hour ago.
psql -q -c "INSERT INTO slamon.partners VALUES ('p1', 'One', now() - interval '400 days', 'UTC', 'default')"
psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity) VALUES ('T-1', now() - interval '5 hours', 'opened', 'p1', 'A')"
a=$(free_port); b=$(free_port)
start_replica "$a" "$alerting"; pa=$replica
start_replica "$b" "$alerting"; pb=$replica
for _ in $(seq 1 100); do  # the load, a leader check and the 4 s lease
  [[ -n "$(breached_starts_at)" ]] && break
  sleep 0.2
done
first=$(breached_starts_at)
[[ -n "$first" ]] && pass || fail "SlaBreached never reached Alertmanager"
if [[ "$(leader_of "$a")" == 1 ]]; then leader=$pa; other=$b; else leader=$pb; other=$a; fi
kill -9 "$leader"
gaps=0
for _ in $(seq 1 60); do  # 15 s, every 0.25 s
  now=$(breached_starts_at)
  [[ "$now" == "$first" ]] || gaps=$((gaps + 1))
  sleep 0.25
done
[[ "$(leader_of "$other")" == 1 ]] && pass || fail "the other replica did not take over within 15 s"
[[ $gaps == 0 ]] && pass || fail "SlaBreached was not continuously active with startsAt $first ($gaps gaps)"

echo "$checks passed, $failures failed"
[[ $failures == 0 ]] || { tail -n 5 "$work"/replica-*.log; exit 1; }
