#!/usr/bin/env bash
# A long database outage: a PostgreSQL 15 cluster of the test's own (not
# pg_virtualenv's, whose port another cluster may take while it is down) on
# a free loopback port is stopped for 20 s under a running `slamon run`, then
# started again; `slamon_db_up` must be 1 within 5 s of the server accepting connections (a 50 s outage once cost
# 19.5 s more: connection failures backed off like failing queries, up to
# 30 s). Why 20 s: with the query back-off (250 ms doubling to 30 s) the
# waits end 0.25, 0.75, 1.75, 3.75, 7.75, 15.75 and 31.75 s into the outage,
# so a server back at ~20 s would be seen only at 31.75 s, ~12 s late; with
# the reconnect back-off (capped at 2 s) it is seen within 2 s and a connect.
# An event committed after the outage is applied too.
# usage: outage_test.sh SLAMON_BINARY
set -uo pipefail
slamon="$1"
source "$(dirname "$0")/e2e_checks.sh"
now_ms() { date +%s%3N; }
outage_s=20

pgbin=/usr/lib/postgresql/15/bin
for tool in "$pgbin/initdb" "$pgbin/pg_ctl" psql pg_isready; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (package postgresql-15)"; exit 1; }
done
# PostgreSQL refuses to run as root: as root it runs as postgres.
as_postgres=()
[[ $(id -u) == 0 ]] && as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups env -C / HOME=/tmp)
cluster="$(mktemp -d -p /dev/shm slamon-outage.XXXXXX 2>/dev/null || mktemp -d)"
((${#as_postgres[@]})) && chmod 755 "$cluster" && chown postgres: "$cluster"
pg_port=$(free_port)
pg_ctl() { "${as_postgres[@]}" "$pgbin/pg_ctl" -D "$cluster/data" -w "$@" >>"$cluster/pg_ctl.log" 2>&1; }
cleanup_cluster() {
  cleanup
  pg_ctl stop -m immediate
  rm -rf "$cluster"
}
trap cleanup_cluster EXIT
"${as_postgres[@]}" "$pgbin/initdb" -D "$cluster/data" -U postgres --auth=trust --no-sync \
  >"$cluster/initdb.log" 2>&1 || { echo "FAIL: initdb: $(tail -n 5 "$cluster/initdb.log")"; exit 1; }
start_pg() {
  pg_ctl start -l "$cluster/postgresql.log" \
    -o "-p $pg_port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off"
}
start_pg || { echo "FAIL: PostgreSQL does not start: $(tail -n 5 "$cluster/postgresql.log")"; exit 1; }
dsn="host=127.0.0.1 port=$pg_port user=postgres dbname=postgres"

printf 'database:\n  dsn: "%s"\n' "$dsn" >"$work/migrate.yml"
"$slamon" migrate --config "$work/migrate.yml" >/dev/null || { echo "FAIL: migrate"; exit 1; }
psql -qX "$dsn" -c "INSERT INTO slamon.partners (id, contract_signed_at) VALUES ('p1', now() - interval '400 days')"
port=$(free_port)
printf 'database:\n  dsn: "%s"\nhttp:\n  listen: "127.0.0.1:%s"\n' "$dsn" "$port" >"$work/slamon.yml"
"$slamon" run --config "$work/slamon.yml" >"$work/slamon.log" 2>&1 &
pids+=($!)
wait_ready "$port" || { echo "FAIL: slamon not ready"; tail -n 20 "$work/slamon.log"; exit 1; }
metric() { curl -sf --max-time 1 "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
wait_metric() {  # wait_metric NAME VALUE SECONDS -> elapsed ms, or fails
  local start=$(now_ms) deadline=$(( $(now_ms) + $3 * 1000 ))
  while (( $(now_ms) <= deadline )); do
    [[ "$(metric "$1")" == "$2" ]] && { echo $(( $(now_ms) - start )); return 0; }
    sleep 0.05
  done
  return 1
}
[[ "$(metric slamon_db_up)" == 1 ]] && pass || fail "slamon_db_up is not 1 at start"

pg_ctl stop -m fast || fail "pg_ctl stop"
wait_metric slamon_db_up 0 10 >/dev/null && pass || fail "slamon_db_up did not drop to 0"
# A daemon started while nothing listens on the port (a closed port) says
# so in libpq's words, on one line.
port2=$(free_port)
printf 'database:\n  dsn: "%s"\nhttp:\n  listen: "127.0.0.1:%s"\n' "$dsn" "$port2" >"$work/closed.yml"
"$slamon" run --config "$work/closed.yml" >"$work/closed.log" 2>&1 &
closed_pid=$!
pids+=($closed_pid)
sleep "$outage_s"
kill "$closed_pid"
refused="connection to server at \"127.0.0.1\", port $pg_port failed: Connection refused"
grep -qF "database unavailable: $refused Is the server running" "$work/closed.log" && pass ||
  fail "a closed port is not logged with libpq's reason: $(grep unavailable "$work/closed.log" | head -n 2)"
start_pg || { fail "PostgreSQL does not start again: $(tail -n 5 "$cluster/postgresql.log")"; exit 1; }
# From when the server accepts connections.
for _ in $(seq 1 200); do pg_isready -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.05; done
took=$(wait_metric slamon_db_up 1 30) && pass || fail "slamon_db_up not back to 1 within 30 s"
echo "outage of ${outage_s} s: slamon_db_up 1 again ${took:-(never)} ms after PostgreSQL accepted connections"
(( ${took:-99999} <= 5000 )) && pass || fail "slamon_db_up back after ${took:-(never)} ms (want <= 5000)"
grep -q "database connected" "$work/slamon.log" && pass || fail "no 'database connected' in the log"
# The connection lost to a fast shutdown, the reconnects refused and the
# leader's lost confirmation each carry libpq's reason (pqxx's own "Could not
# obtain client encoding: not connected." once stood in for it).
lost="lost the connection to the database: FATAL:  terminating connection due to administrator command"
grep -qF "database unavailable: $lost" "$work/slamon.log" && pass ||
  fail "the lost connection is not logged with the server's reason: $(grep unavailable "$work/slamon.log" | head -n 3)"
grep -qF "database unavailable: $refused" "$work/slamon.log" && pass ||
  fail "the refused reconnects are not logged with libpq's reason"
grep -qE "cannot confirm the leadership \((lost the connection to the database|connection to server at)" \
  "$work/slamon.log" && pass || fail "the leader's lost confirmation hides libpq's reason: $(grep -m 1 'cannot confirm' "$work/slamon.log")"
grep -qE "Could not obtain client encoding|Connection to database failed" "$work/slamon.log" &&
  fail "pqxx's message without libpq's reason in the log" || pass

psql -qX "$dsn" -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity)
            VALUES ('T-1', now(), 'opened', 'p1', 'B')"
wait_metric slamon_events_applied_total 1 5 >/dev/null && pass ||
  fail "an event committed after the outage was not applied within 5 s"

echo "$checks passed, $failures failed"
[[ $failures == 0 ]] || { tail -n 20 "$work/slamon.log"; exit 1; }
