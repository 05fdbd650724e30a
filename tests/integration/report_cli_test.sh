#!/usr/bin/env bash
# `slamon report` against the cluster pg_virtualenv started, on the demo data
# (demo/seed.sql, dated relative to now()): the JSON figures that follow from
# the seed for three partners, the CSV layout, and the exit statuses.
set -uo pipefail
slamon="$1"
src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/cli_checks.sh"

cp "$src/demo/slamon.yml" "$work/slamon.yml"
cat >>"$work/slamon.yml" <<YAML
database:
  dsn: "dbname=$PGDATABASE"
YAML
"$slamon" migrate --config "$work/slamon.yml" >"$work/out" 2>"$work/err"
check "migrate" 0 $?
# The report is evaluated a minute after the seed's now(), before D-100's
# response (due 2 minutes after it) breaches.
at="$(date -u -d '+60 seconds' +%Y-%m-%dT%H:%M:%SZ)"
psql -q -v ON_ERROR_STOP=1 -f "$src/demo/seed.sql" >"$work/out" 2>"$work/err"
check "load demo/seed.sql" 0 $?
from="$(date -u -d '40 days ago' +%F)"
to="$(date -u -d '+2 days' +%F)"

# val EXPRESSION: a value of the JSON report in $work/out (d is the report).
val() {
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(json.dumps(eval(sys.argv[2], {"d": d})))' \
    "$work/out" "$1"
}
# The compliance row of a target and severity, and the sum of a count over
# the severities A-D.
row() { echo "[r for r in d['compliance'] if r['target'] == '$1' and r['severity'] == '$2'][0]"; }
sum_of() { echo "sum(r['$2'] for r in d['compliance'] if r['target'] == '$1' and r['severity'] != 'all')"; }

report() {  # report PARTNER [more options]: JSON into $work/out
  local partner="$1"
  shift
  "$slamon" report --config "$work/slamon.yml" --partner "$partner" --from "$from" \
    --to "$to" --at "$at" "$@" >"$work/out" 2>"$work/err"
}

# --- acme: certified, one response met late, an outdated version ------------
# D-107 (C, opened a day ago on 23.2) is outdated but still supported (two
# newer releases out; docs/design.md §1): its clocks run, and its 8 h response
# was breached 16 h ago (breached_open); workaround (3 days) and resolution
# (30 days) are running.
report acme
check "report acme" 0 $?
same "acme: partner" '"ACME Systems GmbH"' "$(val 'd["partner"]["name"]')"
same "acme: time zone" '"Europe/Berlin"' "$(val 'd["partner"]["timezone"]')"
same "acme: evaluated at --at" "\"$at\"" "$(val 'd["period"]["evaluated_at"]')"
same "acme: from is 00:00 in Berlin" \
  "\"$(date -u -d "TZ=\"Europe/Berlin\" $from 00:00" +%Y-%m-%dT%H:%M:%SZ)\"" \
  "$(val 'd["period"]["from"]')"
same "acme: to is the end of the last day in Berlin" \
  "\"$(date -u -d "TZ=\"Europe/Berlin\" $(date -u -d "$to + 1 day" +%F) 00:00" +%Y-%m-%dT%H:%M:%SZ)\"" \
  "$(val 'd["period"]["to"]')"
same "acme: tickets opened" 5 "$(val 'd["tickets"]["opened"]')"
same "acme: open at the end" 5 "$(val 'd["tickets"]["open_at_end"]')"
same "acme: incidents" 6 "$(val 'd["tickets"]["incidents"]')"
same "acme: response, all severities" \
  '[1, 1, 1, 3, 0.3333333333333333, 0, 2, 2, 0, 0, 0]' \
  "$(val "[$(row response all)[k] for k in ['on_time', 'late', 'breached_open', 'decided', 'compliance', 'overdue', 'running', 'at_risk', 'paused', 'unscheduled', 'not_applicable']]")"
same "acme: response A met late (D-103)" 1 "$(val "$(row response A)['late']")"
same "acme: response B on time (D-106)" 1 "$(val "$(row response B)['on_time']")"
same "acme: workaround on time, running" '[1, 4, 0]' \
  "$(val "[$(row workaround all)[k] for k in ['on_time', 'running', 'not_applicable']]")"
same "acme: resolution paused (D-106), running" '[1, 4, 0]' \
  "$(val "[$(row resolution all)[k] for k in ['paused', 'running', 'not_applicable']]")"
for target in response workaround resolution; do
  for count in on_time late breached_open overdue running paused unscheduled not_applicable; do
    same "acme: $target $count: the severities add up to all" \
      "$(val "$(row $target all)['$count']")" "$(val "$(sum_of $target $count)")"
  done
  same "acme: $target: each open ticket's clock counted once" 5 \
    "$(val "sum($(row $target all)[k] for k in ['on_time', 'late', 'breached_open', 'overdue', 'running', 'paused', 'unscheduled', 'not_applicable'])")"
done
same "acme: the two breaches, by deadline" \
  '[["D-107", "C", "response", "breached_open", false], ["D-103", "A", "response", "late", true]]' \
  "$(val '[[b["ticket"], b["severity"], b["target"], b["outcome"], b["stopped_at"] is not None] for b in d["breaches"]]')"
same "acme: one quota period, 20 incidents" '[[false, 6, 20, 0, 0, 0, 0, 6, 0]]' \
  "$(val '[[q["unlimited"], q["incidents_used"], q["incidents_limit"], q["credits"], q["over_quota"], q["billable_incidents"], q["fees"], q["incidents_in_report"], q["billable_in_report"]] for q in d["quota"]]')"
same "acme: nothing billable" '[]' "$(val 'd["billing"]')"
same "acme: certified" '[true, 2]' \
  "$(val '[d["certification"]["certified"], d["certification"]["certified_employees"]]')"
same "acme: no fees" '[]' "$(val 'd["fees"]')"
same "acme: D-107 is outdated" '[["D-107", "C", "backup", "23.2", "outdated"]]' \
  "$(val '[[t["ticket"], t["severity"], t["product"], t["version"], t["status"]] for t in d["unsupported"]]')"
if [[ $failures != 0 ]]; then sed 's/^/  | /' "$work/out" "$work/err" | head -120; fi

# --- globex: not certified, a breach still open, unlimited first month ------
report globex
check "report globex" 0 $?
same "globex: breached and not met (D-109)" \
  '[["D-109", "A", "response", "breached_open", null]]' \
  "$(val '[[b["ticket"], b["severity"], b["target"], b["outcome"], b["stopped_at"]] for b in d["breaches"]]')"
same "globex: response compliance (D-105 on time, D-109 not)" '[1, 1, 0.5]' \
  "$(val "[$(row response all)[k] for k in ['on_time', 'breached_open', 'compliance']]")"
same "globex: response D on time (D-105)" 1 "$(val "$(row response D)['on_time']")"
same "globex: every ticket carries a fee" \
  '[["D-105", "not_certified"], ["D-102", "not_certified"], ["D-109", "not_certified"]]' \
  "$(val '[[t["ticket"], t["reason"]] for t in d["fees"]]')"
same "globex: not certified" '[false, 1, null]' \
  "$(val '[d["certification"][k] for k in ["certified", "certified_employees", "certified_until"]]')"
same "globex: unlimited quota period" '[[true, null, 3, 3]]' \
  "$(val '[[q["unlimited"], q["incidents_limit"], q["incidents_used"], q["fees"]] for q in d["quota"]]')"

# --- initech: a contract anniversary in the period, a new-defect credit -----
report initech
check "report initech" 0 $?
same "initech: policy" '"premium"' "$(val 'd["partner"]["policy"]')"
same "initech: two quota periods" '[[0, 20, 0], [21, 21, 1]]' \
  "$(val '[[q["incidents_used"], q["incidents_limit"], q["credits"]] for q in d["quota"]]')"

# --- CSV ---------------------------------------------------------------------
report acme --format csv
check "report acme --format csv" 0 $?
tr -d '\r' <"$work/out" >"$work/csv"
same "csv: CRLF line ends" "$(wc -l <"$work/out")" "$(grep -c $'\r$' "$work/out")"
same "csv: seven sections" 7 "$(grep -c '^section,' "$work/csv")"
contains "csv: report header" "$work/csv" \
  "section,partner,name,timezone,policy,from,to,evaluated_at,tickets_opened,tickets_open_at_end,incidents,certified,certified_employees,certified_until"
contains "csv: report row" "$work/csv" "report,acme,ACME Systems GmbH,Europe/Berlin,default,"
contains "csv: compliance header" "$work/csv" \
  "section,target,severity,on_time,late,breached_open,decided,compliance,overdue,running,at_risk,paused,unscheduled,not_applicable"
contains "csv: response all" "$work/csv" "compliance,response,all,1,1,1,3,0.3333,0,2,2,0,0,0"
contains "csv: breach header" "$work/csv" "section,ticket,severity,target,deadline,stopped_at,outcome"
same "csv: the breach row" 1 "$(grep -cE '^breach,D-103,A,response,[0-9TZ:-]+,[0-9TZ:-]+,late$' "$work/csv")"
contains "csv: quota header" "$work/csv" \
  "section,period_start,period_end,unlimited,incidents_used,incidents_limit,credits,over_quota,billable_incidents,fees,incidents_in_report,billable_in_report"
same "csv: the quota row" 1 "$(grep -cE '^quota,[0-9TZ:-]+,[0-9TZ:-]+,false,6,20,0,0,0,0,6,0$' "$work/csv")"
contains "csv: billing header" "$work/csv" "section,ticket,severity,opened_at,quota_period_start,incidents,billable_incidents"
contains "csv: fee header" "$work/csv" "section,ticket,severity,opened_at,reason"
contains "csv: unsupported header" "$work/csv" "section,ticket,severity,opened_at,product,version,status"
same "csv: the unsupported row" 1 "$(grep -cE '^unsupported,D-107,C,[0-9TZ:-]+,backup,23.2,outdated$' "$work/csv")"
same "csv: sections separated by one empty line" 6 "$(grep -c '^$' "$work/csv")"

# --- failures and usage --------------------------------------------------------
report nobody
check "unknown partner" 1 $?
contains "unknown partner is named" "$work/err" 'unknown partner "nobody"'
"$slamon" report --config "$work/slamon.yml" --from "$from" --to "$to" >"$work/out" 2>"$work/err"
check "missing --partner" 2 $?
contains "missing --partner is named" "$work/err" "--partner ID is required"
"$slamon" report --config "$work/slamon.yml" --partner acme --to "$to" >"$work/out" 2>"$work/err"
check "missing --from" 2 $?
"$slamon" report --config "$work/slamon.yml" --partner acme --from yesterday --to "$to" \
  >"$work/out" 2>"$work/err"
check "bad --from" 2 $?
contains "bad --from is named" "$work/err" '--from: "yesterday" is neither a date'
"$slamon" report --config "$work/slamon.yml" --partner acme --from 2026-02-30 --to "$to" \
  >"$work/out" 2>"$work/err"
check "impossible date" 2 $?
report acme --format xml
check "unknown format" 2 $?
contains "unknown format is named" "$work/err" '--format: unknown format "xml"'
"$slamon" report --config "$work/slamon.yml" --partner acme --from "$to" --to "$from" \
  >"$work/out" 2>"$work/err"
check "reversed period" 2 $?
contains "reversed period says so" "$work/err" "the period is empty"
report acme --at "$(date -u -d '50 days ago' +%Y-%m-%dT%H:%M:%SZ)"
check "period after --at" 2 $?
contains "period after --at says so" "$work/err" "nothing to report yet"
report acme --at tomorrow
check "bad --at" 2 $?
report acme --frobnicate
check "unknown option" 2 $?
"$slamon" report --partner acme --from "$from" --to "$to" >"$work/out" 2>"$work/err"
check "missing --config" 2 $?
"$slamon" report --config "$work/nope.yml" --partner acme --from "$from" --to "$to" \
  >"$work/out" 2>"$work/err"
check "missing config file" 78 $?
cat >"$work/down.yml" <<YAML
database:
  dsn: "host=$work port=1 dbname=nope connect_timeout=2"
YAML
"$slamon" report --config "$work/down.yml" --partner acme --from "$from" --to "$to" \
  >"$work/out" 2>"$work/err"
check "database unreachable" 1 $?
"$slamon" report --help >"$work/out" 2>"$work/err"
check "report --help" 0 $?
contains "report --help shows usage" "$work/out" "usage: slamon report"

finish
