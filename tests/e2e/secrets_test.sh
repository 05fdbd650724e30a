#!/usr/bin/env bash
# Secrets and URI dsns end to end, under pg_virtualenv: a `postgresql://` dsn
# with a password_file reaches the database and leads (the leader connection
# once got text appended to the URI and never connected, silently); a wrong
# database name, a webhook token in a URL path and the password itself never
# appear in a log, an error or /metrics. usage: secrets_test.sh SLAMON_BINARY
set -uo pipefail
slamon="$1"
source "$(dirname "$0")/e2e_checks.sh"

password="${PGPASSWORD:?pg_virtualenv sets PGPASSWORD}"
printf '%s\n' "$password" >"$work/db-password"
unset PGPASSWORD
host="${PGHOST:-localhost}"
[[ "$host" == /* ]] && host=localhost
uri="postgresql://${PGUSER}@${host}:${PGPORT}"
port=$(free_port)
cat >"$work/slamon.yml" <<YAML
database:
  dsn: "$uri/$PGDATABASE?connect_timeout=5"
  password_file: $work/db-password
http:
  listen: "127.0.0.1:$port"
alerting:
  webhooks: ["http://127.0.0.1:1/hooks/WEBHOOK-S3CRET-TOKEN"]
YAML
sed "s|$uri/$PGDATABASE|$uri/no_such_db|" "$work/slamon.yml" >"$work/wrongdb.yml"

"$slamon" migrate --config "$work/slamon.yml" >"$work/migrate.log" 2>&1 || fail "migrate with a URI dsn"
pass

"$slamon" run --config "$work/slamon.yml" >>"$work/daemon.log" 2>&1 &
pids+=($!)
wait_ready "$port" || fail "not ready with a URI dsn"
pass
for _ in $(seq 1 100); do [[ "$(leader_of "$port")" == 1 ]] && break; sleep 0.1; done
[[ "$(leader_of "$port")" == 1 ]] || fail "a URI dsn never leads (slamon_leader $(leader_of "$port"))"
pass
psql -q -c "INSERT INTO slamon.partners VALUES ('p1', 'One', now() - interval '400 days', 'UTC', 'default')"
psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity) VALUES ('T-1', now() - interval '2 days', 'opened', 'p1', 'A')"
sleep 3
curl -sf "http://127.0.0.1:$port/metrics" >"$work/metrics.txt" || fail "scrape"
grep -q 'slamon_alert_send_failures_total{receiver="http://127.0.0.1:1"}\|slamon_alerts_sent_total{receiver="http://127.0.0.1:1"}' "$work/metrics.txt" ||
  fail "the webhook is not labelled scheme://host:port: $(grep receiver= "$work/metrics.txt" | head -3)"
pass

# explain, report and run against a database that does not exist: a clear
# error, without the password in it.
"$slamon" explain --config "$work/wrongdb.yml" T-1 >"$work/explain.out" 2>"$work/explain.err"
[[ $? != 0 ]] || fail "explain against a missing database exits 0"
grep -q 'no_such_db' "$work/explain.err" || fail "explain does not name the missing database: $(cat "$work/explain.err")"
pass
"$slamon" migrate --config "$work/wrongdb.yml" >"$work/migrate-wrong.log" 2>&1
pass

for f in "$work"/daemon.log "$work"/explain.err "$work"/migrate.log "$work"/migrate-wrong.log "$work"/metrics.txt; do
  checks=$((checks + 1))
  if grep -qF -- "$password" "$f"; then fail "the database password is in $(basename "$f")"; fi
  if grep -q 'S3CRET' "$f"; then fail "the webhook token is in $(basename "$f")"; fi
done

echo "$checks passed, $failures failed"
[[ $failures == 0 ]]
