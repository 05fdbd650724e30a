#!/usr/bin/env bash
# `slamon explain` against the cluster pg_virtualenv started: one ticket read
# from the database, its --json line equal to what `slamon evaluate` prints
# for the same data, the human report, and the exit statuses.
set -uo pipefail
slamon="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/cli_checks.sh"

cat >"$work/slamon.yml" <<YAML
database:
  dsn: "dbname=$PGDATABASE"
YAML
"$slamon" migrate --config "$work/slamon.yml" >"$work/out" 2>"$work/err"
check "migrate" 0 $?

# The data: the docs/design.md example's partner, ticket T-1 with a pause, one event
# before it was opened (rejected), one row that is not an event (skipped),
# and other tickets that must not show up: T-0, opened earlier in the same
# quota period with 20 incidents, makes T-1's one incident the 21st of the
# period, past the limit of 20: billable (T-2 opens at T-1's instant but
# sorts after it by id).
psql -q -v ON_ERROR_STOP=1 >"$work/out" 2>"$work/err" <<'SQL'
INSERT INTO slamon.partners (id, name, contract_signed_at, timezone, policy)
  VALUES ('p1', 'Acme GmbH', '2026-01-10T00:00:00Z', 'Europe/Berlin', 'default');
INSERT INTO slamon.certifications (partner_id, employee, passed_at) VALUES
  ('p1', 'e1', '2025-06-01T00:00:00Z'), ('p1', 'e2', '2025-09-01T00:00:00Z');
INSERT INTO slamon.releases (product, version, released_at) VALUES
  ('backup', '24.1', '2026-06-01T00:00:00Z'), ('backup', '24.2', '2026-12-15T00:00:00Z');
INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity, incidents, product, version) VALUES
  ('T-1', '2026-11-04T10:00:00Z', 'opened', 'p1', 'A', 1, 'backup', '24.1'),
  ('T-1', '2026-11-04T09:00:00Z', 'responded', NULL, NULL, NULL, NULL, NULL),
  ('T-1', '2026-11-04T11:00:00Z', 'responded', NULL, NULL, NULL, NULL, NULL),
  ('T-1', '2026-11-04T11:30:00Z', 'answered', NULL, NULL, NULL, NULL, NULL),
  ('T-1', '2026-11-04T12:00:00Z', 'waiting', NULL, NULL, NULL, NULL, NULL),
  ('T-1', '2026-11-04T14:00:00Z', 'resumed', NULL, NULL, NULL, NULL, NULL),
  ('T-2', '2026-11-04T10:00:00Z', 'opened', 'p1', 'B', 1, 'backup', '24.1'),
  ('T-0', '2026-10-01T10:00:00Z', 'opened', 'p1', 'C', 20, 'backup', '24.1');
SQL
check "insert the data" 0 $?

# The same data as `slamon evaluate` reads it.
cat >"$work/input.jsonl" <<'JSONL'
{"type":"partner","id":"p1","name":"Acme GmbH","contract_signed_at":"2026-01-10T00:00:00Z","timezone":"Europe/Berlin","policy":"default"}
{"type":"certification","partner":"p1","employee":"e1","passed_at":"2025-06-01T00:00:00Z"}
{"type":"certification","partner":"p1","employee":"e2","passed_at":"2025-09-01T00:00:00Z"}
{"type":"release","product":"backup","version":"24.1","released_at":"2026-06-01T00:00:00Z"}
{"type":"release","product":"backup","version":"24.2","released_at":"2026-12-15T00:00:00Z"}
{"type":"event","ticket":"T-1","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"A","incidents":1,"product":"backup","version":"24.1"}
{"type":"event","ticket":"T-1","at":"2026-11-04T09:00:00Z","kind":"responded"}
{"type":"event","ticket":"T-1","at":"2026-11-04T11:00:00Z","kind":"responded"}
{"type":"event","ticket":"T-1","at":"2026-11-04T11:30:00Z","kind":"answered"}
{"type":"event","ticket":"T-1","at":"2026-11-04T12:00:00Z","kind":"waiting"}
{"type":"event","ticket":"T-1","at":"2026-11-04T14:00:00Z","kind":"resumed"}
{"type":"event","ticket":"T-0","at":"2026-10-01T10:00:00Z","kind":"opened","partner":"p1","severity":"C","incidents":20,"product":"backup","version":"24.1"}
JSONL

# --json is evaluate's ticket line, at several instants.
for at in 2026-11-04T13:00:00Z 2026-11-05T09:45:00Z 2026-11-06T15:00:00Z 2026-12-20T00:00:00Z; do
  "$slamon" evaluate --config "$work/slamon.yml" --at "$at" <"$work/input.jsonl" \
    >"$work/evaluate.out" 2>"$work/evaluate.err"
  want="$(grep -F '"type":"ticket","ticket":"T-1"' "$work/evaluate.out")"
  "$slamon" explain --config "$work/slamon.yml" --json --at "$at" T-1 >"$work/out" 2>"$work/err"
  check "explain --json at $at" 0 $?
  same "explain --json at $at equals evaluate's line" "$want" "$(cat "$work/out")"
  same "explain --json at $at prints one line" 1 "$(wc -l <"$work/out")"
done
contains "--json: T-1's incident is billable, in the period from 9 February" "$work/out" \
  '"incidents":1,"billable_incidents":1,"quota_period_start":"2026-02-09T00:00:00Z"'
contains "--json names the skipped row on stderr" "$work/err" \
  'ticket_events seq 4 (ticket T-1): unknown event kind "answered"'

# The human report: facts, events, clocks.
"$slamon" explain --config "$work/slamon.yml" --at 2026-11-05T09:45:00Z T-1 >"$work/out" 2>"$work/err"
check "explain T-1" 0 $?
report="$work/out"
contains "billing" "$report" \
  "  billable    1 of 1 incidents, quota period from 2026-02-09T00:00:00Z"
contains "header" "$report" "ticket T-1 at 2026-11-05T09:45:00Z"
contains "partner" "$report" '  partner     p1 "Acme GmbH", time zone Europe/Berlin, policy default'
contains "product" "$report" "  product     backup 24.1, supported"
contains "fee" "$report" "  fee         no"
contains "state" "$report" "  state       open"
contains "opened event" "$report" \
  "  2026-11-04T10:00:00Z  seq 1  opened partner=p1 severity=A incidents=1 product=backup version=24.1"
contains "rejected event" "$report" "      rejected (before_opened): is before the ticket was opened at 2026-11-04T10:00:00Z"
contains "skipped row" "$report" \
  '  seq 4  unknown_kind: ticket_events seq 4 (ticket T-1): unknown event kind "answered"'
contains "response stopped" "$report" "  stopped at  2026-11-04T11:00:00Z, 3h before the deadline"
contains "workaround deadline" "$report" "  deadline    2026-11-05T12:00:00Z, 2h 15m left"
contains "workaround elapsed" "$report" "  elapsed     21h 45m"
contains "workaround budget" "$report" "  budget      1d"
contains "workaround at risk" "$report" "  at risk     yes, since 2026-11-05T06:00:00Z"
if [[ $failures != 0 ]]; then sed 's/^/  | /' "$report"; fi

"$slamon" explain --config "$work/slamon.yml" --at 2026-11-06T15:00:00Z T-1 >"$work/out" 2>"$work/err"
check "explain T-1 later" 0 $?
contains "workaround overdue" "$work/out" "  deadline    2026-11-05T12:00:00Z, overdue by 1d 3h"
contains "workaround breached" "$work/out" "  breached    yes, at 2026-11-05T12:00:00Z"

# Failures and usage.
"$slamon" explain --config "$work/slamon.yml" T-9 >"$work/out" 2>"$work/err"
check "unknown ticket" 1 $?
contains "unknown ticket is named" "$work/err" "ticket T-9 has no events in slamon.ticket_events"
"$slamon" explain --config "$work/slamon.yml" --at 2026-11-04T08:00:00Z T-1 >"$work/out" 2>"$work/err"
check "ticket not yet opened" 1 $?
contains "not yet opened says so" "$work/err" "was opened at 2026-11-04T10:00:00Z, after the evaluation instant"
"$slamon" explain --config "$work/slamon.yml" >"$work/out" 2>"$work/err"
check "missing TICKET" 2 $?
contains "missing TICKET is named" "$work/err" "TICKET is required"
"$slamon" explain --config "$work/slamon.yml" --frobnicate T-1 >"$work/out" 2>"$work/err"
check "unknown option" 2 $?
contains "unknown option is named" "$work/err" "unknown option --frobnicate"
"$slamon" explain T-1 >"$work/out" 2>"$work/err"
check "missing --config" 2 $?
"$slamon" explain --config "$work/slamon.yml" --at tomorrow T-1 >"$work/out" 2>"$work/err"
check "bad --at" 2 $?
"$slamon" explain --config "$work/nope.yml" T-1 >"$work/out" 2>"$work/err"
check "missing config file" 78 $?
cat >"$work/down.yml" <<YAML
database:
  dsn: "host=$work port=1 dbname=nope connect_timeout=2"
YAML
"$slamon" explain --config "$work/down.yml" T-1 >"$work/out" 2>"$work/err"
check "database unreachable" 1 $?
"$slamon" explain --help >"$work/out" 2>"$work/err"
check "explain --help" 0 $?
contains "explain --help shows usage" "$work/out" "usage: slamon explain"

finish
