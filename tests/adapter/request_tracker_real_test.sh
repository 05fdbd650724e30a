#!/usr/bin/env bash
# The Request Tracker adapter (adapters/request-tracker) on a real RT:
# Debian's request-tracker5 with its database initialised by RT's own
# rt-setup-database in the cluster pg_virtualenv started, and tickets driven
# through RT's Perl API (rt_drive.pl) — on the web and by the mail gateway,
# replies by staff and requestors, comments, stall, reopen, resolve, reject,
# delete, merge, custom field changes. The adapter is installed midway: the
# history before is copied, the rest fed by the trigger in RT's own database
# role. Then every row of slamon.ticket_events and `slamon explain` on the
# tickets, against the mapping table of adapters/request-tracker/README.md.
# usage: request_tracker_real_test.sh SLAMON SOURCE_DIR
set -uo pipefail
slamon="$1"
adapter="$2/adapters/request-tracker"
drive="$2/tests/adapter/rt_drive.pl"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$2/tests/integration/cli_checks.sh"
source "$2/tests/adapter/adapter_checks.sh"

if [[ ! -x /usr/sbin/rt-setup-database-5 ]]; then
  echo "FAIL: request-tracker5 is not installed (scripts/install-deps.sh installs it)"
  exit 1
fi

# RT's configuration: only this file (RT_SITE_CONFIG) and an empty
# directory instead of the package's RT_SiteConfig.d (debconf's settings).
mkdir "$work/site.d"
cat >"$work/RT_SiteConfig.pm" <<PERL
Set(\$rtname, 'slamon.test');
Set(\$Organization, 'slamon.test');
Set(\$Timezone, 'UTC');
Set(\$DatabaseType, 'Pg');
Set(\$DatabaseHost, '$PGHOST');
Set(\$DatabasePort, '$PGPORT');
Set(\$DatabaseName, 'rt5');
Set(\$DatabaseUser, 'rt_user');
Set(\$DatabasePassword, 'rt_pass');
Set(\$DatabaseAdmin, '$PGUSER');
Set(\$LogToSTDERR, 'error');
Set(\$LogToSyslog, undef);
Set(\$LogToFile, undef);
Set(\$MailCommand, 'testfile');
1;
PERL
export RT_SITE_CONFIG="$work/RT_SiteConfig.pm" RT_SITE_CONFIG_DIR="$work/site.d"
export PGDATABASE=rt5

# rt CHECK PHASE: runs a phase of rt_drive.pl.
rt() {
  perl "$drive" "$2" >"$work/out" 2>"$work/err"
  check "$1" 0 $?
}

/usr/sbin/rt-setup-database-5 --action init --dba "$PGUSER" --dba-password "$PGPASSWORD" \
  </dev/null >"$work/out" 2>"$work/err"
check "rt-setup-database-5 --action init" 0 $?
if ((failures)); then finish; exit; fi

cat >"$work/slamon.yml" <<YAML
database:
  dsn: "dbname=rt5"
YAML
"$slamon" migrate --config "$work/slamon.yml" >"$work/out" 2>"$work/err"
check "slamon migrate in RT's database" 0 $?
sql "partner p1 (p2 is left out on purpose)" <<'SQL'
INSERT INTO slamon.partners (id, name, contract_signed_at, timezone)
  VALUES ('p1', 'Acme GmbH', '2026-01-01T00:00:00Z', 'UTC');
SQL

rt "RT: users, rights, custom fields" setup
rt "RT: history before the adapter" before
sql "install the adapter" -f "$adapter/view.sql" </dev/null
same "the install copies the history" 9 "$(query 'SELECT count(*) FROM slamon.ticket_events')"
rt "RT: history after the adapter" after

# What real RT wrote, which the four cases of issue 15 depend on.
same "RT stores the long Workaround in LargeContent, Content NULL" "t|t" \
  "$(query "SELECT v.Content IS NULL, length(v.LargeContent) > 255
            FROM ObjectCustomFieldValues v JOIN CustomFields cf ON cf.id = v.CustomField
            WHERE cf.Name = 'Workaround' AND v.ObjectId = 1")"
same "RT-4, created resolved, has no Status transaction" "resolved|0" \
  "$(query "SELECT tk.Status, (SELECT count(*) FROM Transactions t WHERE t.ObjectType = 'RT::Ticket'
                               AND t.ObjectId = 4 AND t.Type = 'Status')
            FROM Tickets tk WHERE tk.id = 4")"
same "RT records the merge on both tickets, naming the survivor" \
  "7|fsck.com-rt://slamon.test/ticket/7
8|fsck.com-rt://slamon.test/ticket/7" \
  "$(query "SELECT ObjectId, NewValue FROM Transactions
            WHERE Type = 'AddLink' AND Field = 'MergedInto' ORDER BY ObjectId")"
same "RT 5.0.3 leaves the merged ticket's status" new "$(query 'SELECT Status FROM Tickets WHERE id = 8')"
same "the mail gateway sets no custom field: RT-9's came by transactions" 0 \
  "$(query "SELECT count(*) FROM ObjectCustomFieldValues v WHERE v.ObjectId = 9
            AND NOT EXISTS (SELECT 1 FROM Transactions t WHERE t.NewReference = v.id)")"
same "RT-9's requestor was created by the mail gateway" dave@acme.example \
  "$(query 'SELECT u.Name FROM Tickets tk JOIN Users u ON u.id = tk.Creator WHERE tk.id = 9')"

# Every row, in seq order: the copy (in the order of the transactions), then
# the trigger's; below it, the README's mapping rows they come from.
cat >"$work/want" <<'ROWS'
RT-1|2026-11-02 09:00:00+00|opened|p1|A|1|backup|24.1
RT-1|2026-11-02 10:15:00+00|responded|||||
RT-1|2026-11-02 12:00:00+00|waiting|||||
RT-1|2026-11-03 12:00:00+00|resumed|||||
RT-1|2026-11-03 13:00:00+00|workaround|||||
RT-1|2026-11-04 09:00:00+00|resolved|||||
RT-1|2026-11-05 09:00:00+00|reopened|||||
RT-2|2026-11-09 08:00:00+00|opened|p1|C|2|backup|24.1
RT-2|2026-11-09 09:00:00+00|severity||B|||
RT-1|2026-11-05 10:00:00+00|waiting|||||
RT-1|2026-11-06 10:00:00+00|resumed|||||
RT-1|2026-11-06 10:00:00+00|resolved|||||
RT-2|2026-11-09 10:00:00+00|incidents|||3||
RT-2|2026-11-09 11:00:00+00|responded|||||
RT-2|2026-11-09 12:00:00+00|waiting|||||
RT-2|2026-11-09 13:00:00+00|defect_confirmed|||||
RT-4|2026-11-10 09:00:00+00|opened|p1|C|1|backup|24.1
RT-4|2026-11-10 09:00:00+00|resolved|||||
RT-5|2026-11-10 10:00:00+00|opened|p1|D|1||
RT-6|2026-11-10 10:30:00+00|opened|p2|D|1||
RT-5|2026-11-10 11:00:00+00|closed|||||
RT-6|2026-11-10 11:30:00+00|closed|||||
RT-7|2026-11-11 09:00:00+00|opened|p1|B|1||
RT-8|2026-11-11 09:30:00+00|opened|p1|B|1||
RT-8|2026-11-11 10:00:00+00|closed|||||
RT-9|2026-11-12 09:00:00+00|opened|p1|C|1||
RT-9|2026-11-12 09:20:00+00|responded|||||
RT-9|2026-11-13 08:00:00+00|severity||A|||
ROWS
# RT-1: Create; first staff Correspond (not the requestor's, not the
#   Comment); new/open -> stalled; stalled -> open; Workaround filled in
#   (LargeContent); open -> resolved; resolved -> open (RT reopens it on the
#   requestor's reply); open -> stalled; stalled -> resolved.
# RT-2: Create; Severity set; Incidents set; first staff Correspond; open ->
#   stalled; Defect confirmed.
# RT-3: no Partner: nothing.  RT-4: created resolved: opened, resolved.
# RT-5: -> rejected: closed.  RT-6: -> deleted: closed.
# RT-7/8: merge: the merged ticket closed, the survivor's row nothing.
# RT-9: by mail; fed when Partner and Severity are set (09:31): opened at
#   its creation with the severity then known, its history (the staff reply
#   at 09:20), then as any ticket (Severity set).
fed_events "$work/want"

# The clocks the events give (built-in policy, partner p1 in UTC).
# RT-1 on 2026-11-06 00:00: response met at the first staff reply; the
# workaround met after a day's pause (deadline moved by it); resolution
# paused again (stalled since 11-05 10:00) with 3h + 21h + 1h counted.
explain 2026-11-06T00:00:00Z RT-1
same "RT-1 response stopped at the first staff reply" 2026-11-02T10:15:00Z \
  "$(field "$work/json" clocks.response.stopped_at)"
same "RT-1 workaround stopped at the Workaround field" 2026-11-03T13:00:00Z \
  "$(field "$work/json" clocks.workaround.stopped_at)"
same "RT-1 workaround deadline moved by the pause" 2026-11-04T09:00:00Z \
  "$(field "$work/json" clocks.workaround.deadline)"
same "RT-1 resolution paused while stalled" paused "$(field "$work/json" clocks.resolution.status)"
same "RT-1 resolution elapsed" $((25 * 3600)) "$(field "$work/json" clocks.resolution.elapsed_seconds)"
explain 2026-11-07T00:00:00Z RT-1
same "RT-1 resolution stopped at the resolve" 2026-11-06T10:00:00Z \
  "$(field "$work/json" clocks.resolution.stopped_at)"
same "RT-1 resolved" resolved "$(field "$work/json" state)"

# RT-2: opened as C, re-classified B: response 4h from 08:00, met at 11:00.
explain 2026-11-10T12:00:00Z RT-2
same "RT-2 severity B" B "$(field "$work/json" severity)"
same "RT-2 incidents" 3 "$(field "$work/json" incidents)"
same "RT-2 response deadline for B" 2026-11-09T12:00:00Z "$(field "$work/json" clocks.response.deadline)"
same "RT-2 workaround paused" paused "$(field "$work/json" clocks.workaround.status)"
same "RT-2 defect confirmed" true "$(field "$work/json" defect_confirmed)"

# RT-3 had no Partner.
"$slamon" explain --config "$work/slamon.yml" --json RT-3 >"$work/out" 2>"$work/err"
check "RT-3 is not fed" 1 $?

# RT-4 (created resolved): resolved at creation, no clock left running.
explain 2026-11-20T00:00:00Z RT-4
same "RT-4 resolved" resolved "$(field "$work/json" state)"
same "RT-4 resolution stopped at creation" 2026-11-10T09:00:00Z \
  "$(field "$work/json" clocks.resolution.stopped_at)"
same "RT-4 response met at creation" "stopped|false" \
  "$(field "$work/json" clocks.response.status)|$(field "$work/json" clocks.response.breached)"

# RT-5 rejected, RT-6 deleted (unknown partner p2).
explain 2026-11-20T00:00:00Z RT-5
same "RT-5 closed by the reject" closed "$(field "$work/json" state)"
explain 2026-11-20T00:00:00Z RT-6
same "RT-6 closed by the delete, partner p2" "closed|p2" \
  "$(field "$work/json" state)|$(field "$work/json" partner)"

# RT-7 survives the merge: still open, its response clock running; RT-8
# is closed by it.
explain 2026-11-11T12:00:00Z RT-7
same "RT-7 open after the merge" open "$(field "$work/json" state)"
same "RT-7 response running" running "$(field "$work/json" clocks.response.status)"
same "RT-7 response deadline" 2026-11-11T13:00:00Z "$(field "$work/json" clocks.response.deadline)"
explain 2026-11-11T12:00:00Z RT-8
same "RT-8 closed by the merge" closed "$(field "$work/json" state)"
same "RT-8 response stopped at the merge" 2026-11-11T10:00:00Z \
  "$(field "$work/json" clocks.response.stopped_at)"

# RT-9 (mail, triaged C, re-classified A): A's targets from its creation
# (retroactive): response met at the reply before triage, workaround
# breached a day after the mail arrived.
explain 2026-11-13T12:00:00Z RT-9
same "RT-9 partner and severity" "p1|A" "$(field "$work/json" partner)|$(field "$work/json" severity)"
same "RT-9 response deadline for A from the mail" 2026-11-12T13:00:00Z \
  "$(field "$work/json" clocks.response.deadline)"
same "RT-9 response stopped at the reply before triage" 2026-11-12T09:20:00Z \
  "$(field "$work/json" clocks.response.stopped_at)"
same "RT-9 workaround breached a day after the mail" "true|2026-11-13T09:00:00Z" \
  "$(field "$work/json" clocks.workaround.breached)|$(field "$work/json" clocks.workaround.breached_at)"

finish
