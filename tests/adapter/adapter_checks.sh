# Helpers shared by the adapter tests (sourced, after
# tests/integration/cli_checks.sh). The sourcing script sets `work` (a
# scratch directory) and `slamon` (the binary), and writes the slamon config
# to $work/slamon.yml; psql reaches the database through the PG* variables.

# sql DESCRIPTION [psql options]: runs stdin, checks it succeeded.
sql() {
  local what="$1"
  shift
  psql -X -q -v ON_ERROR_STOP=1 "$@" >"$work/out" 2>"$work/err"
  check "$what" 0 $?
}
# query SQL: its rows, fields separated by |.
query() { psql -X -q -A -t -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
# field FILE PATH: a value of the JSON line in FILE ("clocks.response.status").
field() {
  python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v = v[k]
print(json.dumps(v) if not isinstance(v, str) else v)' "$1" "$2" 2>&1
}
# explain AT TICKET: `slamon explain --json --at AT TICKET`, checked, its
# line into $work/json.
explain() {
  "$slamon" explain --config "$work/slamon.yml" --json --at "$1" "$2" >"$work/out" 2>"$work/err"
  check "explain --json --at $1 $2" 0 $?
  cp "$work/out" "$work/json"
}
# fed_events WANT: the rows of slamon.ticket_events in seq order
# (ticket|at|kind|partner|severity|incidents|product|version) are those of
# the file WANT, the view slamon_rt.ticket_events maps as many, RT's role
# rt_user has no right on schema slamon, and unknown_partners names p2 (one
# ticket).
fed_events() {
  PGTZ=UTC query "SELECT ticket_id, at, kind, partner_id, severity, incidents, product, version
                  FROM slamon.ticket_events ORDER BY seq" >"$work/got"
  same "slamon.ticket_events holds exactly the mapped events" "$(cat "$1")" "$(cat "$work/got")"
  if ! diff -u "$1" "$work/got" >"$work/diff"; then sed 's/^/  /' "$work/diff"; fi
  same "the view maps the same rows" "$(wc -l <"$1")" \
    "$(query 'SELECT count(*) FROM slamon_rt.ticket_events')"
  same "RT's role has no right on schema slamon" "f|f" \
    "$(query "SELECT has_schema_privilege('rt_user', 'slamon', 'USAGE'),
                     has_table_privilege('rt_user', 'slamon.ticket_events', 'INSERT')")"
  same "unknown_partners names p2" "p2|1" \
    "$(query 'SELECT partner_id, tickets FROM slamon_rt.unknown_partners')"
}
