#!/usr/bin/env bash
# The push API end to end (docs/help-desks.md "Push API"), under pg_virtualenv:
# the real daemon with ingest enabled, writing as role slamon_ingest with the
# grants the docs give. A good batch, a bad batch (nothing stored), a retried
# batch (stored once), wrong credentials (401, nothing stored), an oversized
# body (413, nothing stored), then 200 requests a second for 30 s on loopback
# (some retried concurrently) with every event stored and applied exactly once
# and /metrics answering meanwhile. The token and the role's password never
# reach the log or /metrics.
# usage: ingest_test.sh SLAMON_BINARY [LOAD_SECONDS]
set -uo pipefail
slamon="$1"
load_seconds="${2:-30}"
here="$(dirname "$0")"
source "$here/e2e_checks.sh"

token="T0KEN-S3CRET-$RANDOM"
ingest_password="ingest-PW-$RANDOM"
printf 'bearer %s\n' "$token" >"$work/ingest-credentials"
printf '%s\n' "$ingest_password" >"$work/ingest-db-password"
port=$(free_port)
url="http://127.0.0.1:$port/api/v1/events"

"$slamon" migrate --config <(printf 'database:\n  dsn: "dbname=%s"\n' "$PGDATABASE") \
  >"$work/migrate.log" 2>&1 || fail "migrate: $(cat "$work/migrate.log")"
# The role and grants of docs/help-desks.md "The database role".
psql -q -v ON_ERROR_STOP=1 >"$work/grant.log" 2>&1 <<SQL || fail "grants: $(cat "$work/grant.log")"
CREATE ROLE slamon_ingest LOGIN PASSWORD '$ingest_password';
GRANT USAGE ON SCHEMA slamon TO slamon_ingest;
GRANT SELECT, INSERT ON slamon.ticket_events, slamon.certifications TO slamon_ingest;
GRANT SELECT, INSERT, UPDATE ON slamon.partners, slamon.releases TO slamon_ingest;
GRANT USAGE ON SEQUENCE slamon.ticket_events_seq_seq TO slamon_ingest;
SQL
psql -q -c "INSERT INTO slamon.partners VALUES ('acme', 'Acme', '2025-01-01T00:00:00Z', 'UTC', 'default')"

start_replica "$port" "ingest:
  enabled: true
  credentials_file: $work/ingest-credentials
  max_body_bytes: 65536
  database_password_file: $work/ingest-db-password
"
log="$work/replica-$port.log"

# post NAME BODY_FILE [CURL_ARGS...]: POSTs with the right token unless
# CURL_ARGS say otherwise; status in $status, answer in $work/NAME.out.
post() {
  local name="$1" file="$2"
  shift 2
  local auth=(-H "Authorization: Bearer $token")
  [[ $# -gt 0 ]] && auth=("$@")
  status=$(curl -s -o "$work/$name.out" -w '%{http_code}' -H 'Content-Type: application/json' \
    "${auth[@]}" --data-binary "@$file" "$url")
}
stored() { psql -qAt -c "SELECT count(*) FROM slamon.ticket_events WHERE event_id IS NOT NULL"; }
metric() { curl -sf "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
expect() {  # expect WHAT WANT GOT
  if [[ "$2" == "$3" ]]; then pass; else fail "$1: want $2, got $3"; fi
}

# A good batch: a partner update, a certification, a ticket's opened and
# responded. By hand: 2 events stored, 2 reference records.
cat >"$work/good.json" <<'JSON'
[
  {"type": "partner", "id": "acme", "name": "Acme Corp", "contract_signed_at": "2025-01-01T00:00:00Z",
   "timezone": "Europe/Berlin"},
  {"type": "certification", "partner": "acme", "employee": "e1", "passed_at": "2025-02-01T00:00:00Z"},
  {"type": "event", "event_id": "zendesk:100:1", "ticket": "ZD-100", "kind": "opened",
   "at": "2026-12-01T09:00:00+01:00", "partner": "acme", "severity": "A", "product": "backup"},
  {"type": "event", "event_id": "zendesk:100:2", "ticket": "ZD-100", "kind": "responded",
   "at": "2026-12-01T09:20:00+01:00"}
]
JSON
post good "$work/good.json"
expect "good batch status" 200 "$status"
expect "good batch answer" '{"duplicate":0,"references":2,"stored":2}' "$(cat "$work/good.out")"
expect "good batch rows (ticket, at UTC, kind, partner, severity, product)" \
  "ZD-100|2026-12-01 08:00:00+00|opened|acme|A|backup|zendesk:100:1
ZD-100|2026-12-01 08:20:00+00|responded||||zendesk:100:2" \
  "$(PGTZ=UTC psql -qAt -c "SELECT ticket_id, at, kind, partner_id, severity, product, event_id
      FROM slamon.ticket_events ORDER BY seq")"
expect "partner updated" "Acme Corp|Europe/Berlin|1" \
  "$(psql -qAt -c "SELECT name, timezone, (SELECT count(*) FROM slamon.certifications) FROM slamon.partners")"
expect "written on a connection as slamon_ingest" t \
  "$(psql -qAt -c "SELECT count(*) > 0 FROM pg_stat_activity WHERE usename = 'slamon_ingest'")"

# A bad batch: the third record lacks "at". Nothing of it is stored.
cat >"$work/bad.json" <<'JSON'
[
  {"type": "event", "event_id": "zendesk:101:1", "ticket": "ZD-101", "kind": "opened",
   "at": "2026-12-01T10:00:00Z", "partner": "acme", "severity": "B"},
  {"type": "event", "event_id": "zendesk:101:2", "ticket": "ZD-101", "kind": "responded",
   "at": "2026-12-01T10:05:00Z"},
  {"type": "event", "event_id": "zendesk:101:3", "ticket": "ZD-101", "kind": "closed"}
]
JSON
post bad "$work/bad.json"
expect "bad batch status" 400 "$status"
expect "bad batch answer" '{"error":"record 3 (index 2): ticket ZD-101: missing field \"at\"","index":2}' \
  "$(cat "$work/bad.out")"
expect "nothing of the bad batch stored" 2 "$(stored)"

# The good batch again, as a retried webhook: stored once.
post retried "$work/good.json"
expect "retried batch status" 200 "$status"
expect "retried batch answer" '{"duplicate":2,"references":2,"stored":0}' "$(cat "$work/retried.out")"
expect "retried batch stored once" 2 "$(stored)"

# Wrong credentials: 401, nothing stored.
sed 's/zendesk:100:/zendesk:102:/; s/ZD-100/ZD-102/' "$work/good.json" >"$work/other.json"
post wrong "$work/other.json" -H "Authorization: Bearer not-$token"
expect "wrong token status" 401 "$status"
post none "$work/other.json" -H "X-Nothing: 1"
expect "no credentials status" 401 "$status"
post basic "$work/other.json" -u "user:$token"
expect "basic auth for a bearer token status" 401 "$status"
expect "nothing stored without credentials" 2 "$(stored)"
www=$(curl -s -o /dev/null -D - --data-binary '{}' "$url" | tr -d '\r' | awk -F': ' 'tolower($1) == "www-authenticate" { print $2 }')
expect "401 names the scheme" 'Bearer realm="slamon"' "$www"

# An oversized body (over max_body_bytes 65536): 413, nothing stored.
python3 - "$work/big.json" <<'PY'
import json, sys
events = [{"type": "event", "event_id": f"big:{i}", "ticket": f"BIG-{i}", "kind": "opened",
           "at": "2026-12-01T10:00:00Z", "partner": "acme", "severity": "C"} for i in range(1000)]
open(sys.argv[1], "w").write(json.dumps(events))
PY
post big "$work/big.json"
expect "oversized body status" 413 "$status"
expect "nothing of the oversized body stored" 2 "$(stored)"
# GET is not how events come in.
expect "GET status" 405 "$(curl -s -o /dev/null -w '%{http_code}' "$url")"

# What the metrics say so far: by hand, 1 stored + 1 retried (both 200),
# 1 invalid, 3 unauthorized + 1 (the WWW-Authenticate probe), 1 too large;
# events: 2 stored, 2 duplicate.
expect "requests stored" 2 "$(metric 'slamon_ingest_requests_total{result="stored"}')"
expect "requests invalid" 1 "$(metric 'slamon_ingest_requests_total{result="invalid"}')"
expect "requests unauthorized" 4 "$(metric 'slamon_ingest_requests_total{result="unauthorized"}')"
expect "requests too large" 1 "$(metric 'slamon_ingest_requests_total{result="too_large"}')"
expect "requests unavailable" 0 "$(metric 'slamon_ingest_requests_total{result="unavailable"}')"
expect "events stored" 2 "$(metric slamon_ingest_events_stored_total)"
expect "events duplicate" 2 "$(metric slamon_ingest_events_duplicate_total)"

# The daemon applied what was stored: 2 events, no rejections.
for _ in $(seq 1 50); do [[ "$(metric slamon_events_applied_total)" == 2 ]] && break; sleep 0.1; done
expect "events applied by the daemon" 2 "$(metric slamon_events_applied_total)"

# Load: 200 requests a second for $load_seconds s, every 10th sent twice at
# once. By hand: 200 * 30 = 6000 requests of 2 new events (12000 stored) and
# 600 retries (1200 duplicates); every answer 200.
rate=200
requests=$((rate * load_seconds))
retries=$(((requests + 9) / 10))
scrapes="$work/scrapes.txt"
(
  while sleep 0.5; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 5 \
      "http://127.0.0.1:$port/metrics" >>"$scrapes"
  done
) &
scraper=$!
pids+=("$scraper")
python3 "$here/ingest_load.py" "$port" "$token" "$rate" "$load_seconds" 10 load >"$work/load.json" \
  2>"$work/load.err" || fail "load client: $(cat "$work/load.err")"
kill "$scraper" 2>/dev/null
echo "load: $(cat "$work/load.json")"
load_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$work/load.json"; }
expect "load: every request answered 200" "{'200': $((requests + retries))}" "$(load_field load '["statuses"]')"
expect "load: events stored" $((2 * requests)) "$(load_field load '["stored"]')"
expect "load: duplicates" $((2 * retries)) "$(load_field load '["duplicate"]')"
rate_achieved=$(load_field load '["rate"]')
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 190 else 1)" "$rate_achieved" ||
  fail "load: only $rate_achieved requests a second (want 200)"
pass
expect "load: rows, distinct event ids" "$((2 * requests))|$((2 * requests))" \
  "$(psql -qAt -c "SELECT count(*), count(DISTINCT event_id) FROM slamon.ticket_events WHERE event_id LIKE 'load:%'")"
expect "load: every ticket has its two events once" "$requests" \
  "$(psql -qAt -c "SELECT count(*) FROM (SELECT ticket_id FROM slamon.ticket_events
      WHERE event_id LIKE 'load:%' GROUP BY ticket_id
      HAVING count(*) = 2 AND count(*) FILTER (WHERE kind = 'opened') = 1) t")"
# Applied exactly once by the daemon: applied = rows, nothing rejected.
want_applied=$((2 + 2 * requests))
for _ in $(seq 1 100); do [[ "$(metric slamon_events_applied_total)" == "$want_applied" ]] && break; sleep 0.2; done
expect "load: events applied by the daemon" "$want_applied" "$(metric slamon_events_applied_total)"
expect "load: events rejected" "" \
  "$(curl -sf "http://127.0.0.1:$port/metrics" | awk '$1 ~ /^slamon_events_rejected_total/ && $2 != 0')"
# /metrics answered throughout, each within a second.
slow=$(awk '$1 != 200 || $2 > 1.0' "$scrapes" | wc -l)
[[ -s "$scrapes" && $slow == 0 ]] || fail "/metrics during the load: $slow slow or failed of $(wc -l <"$scrapes"): $(awk '$1 != 200 || $2 > 1.0' "$scrapes" | head -3)"
pass

# No secret in the log or /metrics.
curl -sf "http://127.0.0.1:$port/metrics" >"$work/metrics.txt"
for f in "$log" "$work/metrics.txt"; do
  if grep -qF -- "$token" "$f"; then fail "the token is in $(basename "$f")"; else pass; fi
  if grep -qF -- "$ingest_password" "$f"; then fail "the role's password is in $(basename "$f")"; else pass; fi
done
grep -q 'accepting events on POST /api/v1/events as database role slamon_ingest' "$log" ||
  fail "the log does not say the push API is on: $(head -5 "$log")"

echo "$checks passed, $failures failed"
[[ $failures == 0 ]]
