#!/usr/bin/env bash
# `slamon run --shard K/N` on the demo data, N = 3 (the demo's partners fall
# into shards 3, 3 and 1, so shard 2 is empty): the shards together show
# exactly what one unsharded daemon shows, no partner in two shards, each
# partner in the shard its md5 names, a ticket opened later only in its
# partner's shard, and one leader per shard. Under pg_virtualenv.
# usage: shard_test.sh SLAMON_BINARY SOURCE_DIR
set -uo pipefail
slamon="$1"
src="$2"
source "$(dirname "$0")/e2e_checks.sh"
shards=(1 2 3)

{
  cat "$src/demo/slamon.yml"
  printf '\ndatabase:\n  dsn: "dbname=%s"\n  poll_interval: 1s\n' "$PGDATABASE"
} >"$work/base.yml"
"$slamon" migrate --config "$work/base.yml" >/dev/null || { echo "FAIL: migrate"; exit 1; }
psql -q -v ON_ERROR_STOP=1 -f "$src/demo/seed.sql" >/dev/null || { echo "FAIL: seed"; exit 1; }

declare -A port
start() {  # start NAME [--shard K/N]
  local name="$1"
  shift
  port[$name]=$(free_port)
  { cat "$work/base.yml"; printf 'http:\n  listen: "127.0.0.1:%s"\n' "${port[$name]}"; } >"$work/$name.yml"
  "$slamon" run --config "$work/$name.yml" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
}
start all
for k in "${shards[@]}"; do start "$k" --shard "$k/3"; done
for name in all "${shards[@]}"; do
  wait_ready "${port[$name]}" || fail "replica $name not ready"
done
scrape() { curl -sf "http://127.0.0.1:${port[$1]}/metrics" | grep -v '^#' >"$work/$1.prom"; }
partner_lines() {
  grep -hE '^slamon_(quota_|partner_|ticket_fees_total|sla_breaches_total)' "${@/#/$work/}" | sort
}
partners_of() { partner_lines "$1.prom" | grep -o 'partner="[^"]*"' | sort -u; }
value() { awk -v m="$2" '$1 == m { print $2 }' "$work/$1.prom"; }
count() { local v; v=$(value "$@"); echo "${v:-0}"; }  # an absent series counts 0
sum_of_shards() { for k in "${shards[@]}"; do count "$k" "$1"; done | paste -sd+ | bc; }
shard_of() {  # the shard md5 names for a partner
  python3 -c 'import hashlib,sys; print(int(hashlib.md5(sys.argv[1].encode()).hexdigest()[:8], 16) % 3 + 1)' "$1"
}

compare() {
  for name in all "${shards[@]}"; do scrape "$name"; done
  [[ -z "$(for k in "${shards[@]}"; do partners_of "$k"; done | sort | uniq -d)" ]] && pass ||
    fail "partners in two shards: $(for k in "${shards[@]}"; do partners_of "$k"; done | sort | uniq -d | tr '\n' ' ')"
  [[ "$(partner_lines 1.prom 2.prom 3.prom)" == "$(partner_lines all.prom)" ]] && pass ||
    fail "shards' partner figures differ from the unsharded daemon's: $(diff <(partner_lines 1.prom 2.prom 3.prom) <(partner_lines all.prom))"
  local metric
  for metric in slamon_open_tickets 'slamon_sla_clocks{state="breached",target="response",ticket_severity="A"}' \
    'slamon_sla_clocks{state="running",target="resolution",ticket_severity="B"}' \
    'slamon_tickets_outdated_version{product="backup"}'; do
    [[ -n "$(value all "$metric")" && "$(sum_of_shards "$metric")" == "$(value all "$metric")" ]] && pass ||
      fail "$metric: shards sum to $(sum_of_shards "$metric"), unsharded $(value all "$metric")"
  done
}
compare

for partner in acme globex initech; do
  partners_of "$(shard_of "$partner")" | grep -qx "partner=\"$partner\"" && pass ||
    fail "$partner not in shard $(shard_of "$partner")/3"
done
[[ -z "$(partners_of 2)" && "$(count 2 slamon_open_tickets)" == 0 ]] && pass || fail "shard 2/3 is not empty"

# A ticket opened now goes to its partner's shard only (the incremental path).
home=$(shard_of acme)
declare -A before
for k in "${shards[@]}"; do before[$k]=$(count "$k" slamon_open_tickets); done
psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity, incidents, product, version)
            VALUES ('SHARD-1', now(), 'opened', 'acme', 'C', 1, 'backup', '24.2')"
for _ in $(seq 1 50); do
  scrape "$home"
  [[ "$(count "$home" slamon_open_tickets)" != "${before[$home]}" ]] && break
  sleep 0.2
done
sleep 1.5  # every replica polls at least once a second
compare
for k in "${shards[@]}"; do
  expected=$((before[$k] + (k == home ? 1 : 0)))
  [[ "$(count "$k" slamon_open_tickets)" == "$expected" ]] && pass ||
    fail "shard $k/3 has $(count "$k" slamon_open_tickets) open tickets after acme's new one, expected $expected"
done

# One leader per shard (and one for the unsharded group): distinct lock keys.
leaders() { for name in all "${shards[@]}"; do leader_of "${port[$name]}"; done | paste -sd' '; }
for _ in $(seq 1 75); do  # a leader sends after its 4 s lease
  [[ "$(leaders)" == "1 1 1 1" ]] && break
  sleep 0.2
done
[[ "$(leaders)" == "1 1 1 1" ]] && pass || fail "not one leader per shard (all, 1/3, 2/3, 3/3): $(leaders)"
grep -q 'shard 1/3' "$work/1.log" && pass || fail "the shard is not in the start-up log"

echo "$checks passed, $failures failed"
[[ $failures == 0 ]] || { tail -n 5 "$work"/*.log; exit 1; }
