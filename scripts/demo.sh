#!/usr/bin/env bash
# The demo: install dependencies, build, start a private PostgreSQL cluster
# (pg_virtualenv: no system service, removed on exit), create the schema, load
# demo partners, certifications, releases and tickets (some at risk or about to
# breach within minutes), keep adding ticket events at a slow pace, and run
# `slamon run` in the foreground with metrics on http://127.0.0.1:9464/metrics.
# Ctrl-C stops everything it started. SLAMON_DEMO_PORT picks another port.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" != "--inside" ]]; then
  bash scripts/install-deps.sh
  bash scripts/build.sh >/dev/null
  exec pg_virtualenv -t -v 15 bash "$0" --inside
fi

port="${SLAMON_DEMO_PORT:-9464}"
slamon="${SLAMON_BIN:-./build/daemon/slamon}"
work="$(mktemp -d)"
config="$work/slamon.yml"
cp demo/slamon.yml "$config"
cat >>"$config" <<YAML
database:
  dsn: ""            # the private cluster, through PGHOST/PGPORT/PGUSER/PGPASSWORD
  poll_interval: 2s
http:
  listen: "127.0.0.1:$port"
YAML
"$slamon" migrate --config "$config"
psql -q -v ON_ERROR_STOP=1 -f demo/seed.sql

# New events every 20 seconds: tickets open, get answered, resolved, closed.
(
  n=200
  severities=(A B C D)
  partners=(acme globex initech)
  while sleep 20; do
    n=$((n + 1))
    psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity, product, version)
                VALUES ('D-$n', now(), 'opened', '${partners[n % 3]}', '${severities[n % 4]}', 'backup', '24.2')" || true
    for step in "2 responded" "6 resolved" "9 closed"; do
      set -- $step
      (( n - $1 > 200 )) || continue
      psql -q -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind)
                  VALUES ('D-$((n - $1))', now(), '$2')" || true
    done
  done
) &
inserter=$!
trap 'kill $inserter 2>/dev/null; rm -rf "$work"' EXIT

echo "slamon demo: metrics on http://127.0.0.1:$port/metrics (Ctrl-C stops)"
"$slamon" run --config "$config"
