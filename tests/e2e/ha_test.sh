#!/usr/bin/env bash
# Two `slamon run` replicas on one database (under pg_virtualenv): exactly one
# leads; SIGKILL the leader and the other takes over within 15 s; a clean stop
# of a leader hands over within the check interval plus the 4 s lease.
# usage: ha_test.sh SLAMON_BINARY
set -uo pipefail
slamon="$1"
kill_signal=KILL
source "$(dirname "$0")/e2e_checks.sh"
wait_leader() {  # wait_leader PORT SECONDS -> elapsed seconds, or fails
  local start=$SECONDS
  while (( SECONDS - start <= $2 )); do
    [[ "$(leader_of "$1")" == 1 ]] && { echo $(( SECONDS - start )); return 0; }
    sleep 0.2
  done
  return 1
}

"$slamon" migrate --config <(printf 'database:\n  dsn: "dbname=%s"\n' "$PGDATABASE") >/dev/null ||
  { echo "FAIL: migrate"; exit 1; }
a=$(free_port); b=$(free_port)
start_replica "$a"; pa=$replica
start_replica "$b"; pb=$replica
# One of them takes the lock and, after the 4 s lease, leads.
for _ in $(seq 1 75); do
  [[ "$(leader_of "$a")$(leader_of "$b")" == *1* ]] && break
  sleep 0.2
done
sleep 2.5  # the other has checked the lock at least once since
la=$(leader_of "$a"); lb=$(leader_of "$b")
[[ "$la$lb" == "10" || "$la$lb" == "01" ]] && pass || fail "want exactly one leader, got a=$la b=$lb"
if [[ "$la" == 1 ]]; then leader=$pa; other=$b; else leader=$pb; other=$a; fi

kill -9 "$leader"
took=$(wait_leader "$other" 15) && pass || fail "no takeover within 15 s after SIGKILL"
echo "takeover after SIGKILL: ${took:-?} s"

# A clean stop hands over after the lease.
c=$(free_port)
start_replica "$c"; pc=$replica
sleep 2
[[ "$(leader_of "$c")" == 0 ]] && pass || fail "a third replica leads while another does"
if [[ "$other" == "$a" ]]; then kill -TERM "$pa"; else kill -TERM "$pb"; fi
took=$(wait_leader "$c" 8) && pass || fail "no takeover within 8 s after SIGTERM"
echo "takeover after SIGTERM: ${took:-?} s"

echo "$checks passed, $failures failed"
[[ $failures == 0 ]] || { tail -n 5 "$work"/replica-*.log; exit 1; }
