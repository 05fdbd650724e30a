#!/usr/bin/env bash
# The Request Tracker adapter (adapters/request-tracker) against the cluster
# pg_virtualenv started: RT's tables (schema-minimal.sql) owned by RT's own
# role, RT history written before the adapter is installed (copied by the
# install) and after it (fed by the trigger, in RT's transactions, also one
# that rolls back), the exact rows of slamon.ticket_events, a second install
# that adds nothing, and `slamon explain` on the fed tickets.
# usage: request_tracker_test.sh SLAMON SOURCE_DIR
set -uo pipefail
slamon="$1"
adapter="$2/adapters/request-tracker"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$2/tests/integration/cli_checks.sh"
source "$2/tests/adapter/adapter_checks.sh"

cat >"$work/slamon.yml" <<YAML
database:
  dsn: "dbname=$PGDATABASE"
YAML

# rt DESCRIPTION: runs stdin as RT's database role.
rt() {
  { echo 'SET ROLE rt_user;'; cat; } | sql "$1"
}

"$slamon" migrate --config "$work/slamon.yml" >"$work/out" 2>"$work/err"
check "slamon migrate" 0 $?

# RT's tables, owned by RT's role, which gets no grant on schema slamon.
sql "create RT's role" <<'SQL'
CREATE ROLE rt_user;
GRANT CREATE ON SCHEMA public TO rt_user;
SQL
{ echo 'SET ROLE rt_user;'; cat "$adapter/schema-minimal.sql"; } | sql "schema-minimal.sql"

# slamon's reference data: partner p1 (p2 is left out on purpose).
sql "partners and releases" <<'SQL'
INSERT INTO slamon.partners (id, name, contract_signed_at, timezone)
  VALUES ('p1', 'Acme GmbH', '2026-01-01T00:00:00Z', 'UTC');
INSERT INTO slamon.releases (product, version, released_at)
  VALUES ('backup', '24.1', '2026-06-01T00:00:00Z');
SQL

# RT's setup, and helpers that write what RT writes: a ticket with custom
# field values given at creation (no transaction of their own), a
# transaction, and a single-value custom field change (new value, old value
# disabled, a CustomField transaction referencing both).
rt "RT setup" <<'SQL'
INSERT INTO Users (id, Name, EmailAddress) VALUES
  (10, 'alice', 'alice@vendor.example'), (11, 'bob', 'bob@vendor.example'),
  (20, 'carol', 'carol@acme.example');
INSERT INTO Groups (id, Name, Domain, Instance) VALUES
  (1, 'Privileged', 'SystemInternal', 0), (2, 'Unprivileged', 'SystemInternal', 0);
INSERT INTO GroupMembers (GroupId, MemberId) VALUES (1, 10), (1, 11), (2, 20);
INSERT INTO CustomFields (id, Name, Type, MaxValues, LookupType) VALUES
  (1, 'Partner', 'Select', 1, 'RT::Queue-RT::Ticket'),
  (2, 'Severity', 'Select', 1, 'RT::Queue-RT::Ticket'),
  (3, 'Incidents', 'Freeform', 1, 'RT::Queue-RT::Ticket'),
  (4, 'Product', 'Select', 1, 'RT::Queue-RT::Ticket'),
  (5, 'Version', 'Freeform', 1, 'RT::Queue-RT::Ticket'),
  (6, 'Workaround', 'Freeform', 1, 'RT::Queue-RT::Ticket'),
  (7, 'Defect', 'Select', 1, 'RT::Queue-RT::Ticket'),
  (8, 'Severity', 'Select', 1, 'RT::Class-RT::Article');  -- not a ticket field

CREATE FUNCTION rt_value(ticket int, at timestamp, creator int, cf int, content text) RETURNS int
LANGUAGE sql AS $$
  INSERT INTO ObjectCustomFieldValues (CustomField, ObjectType, ObjectId, Content, Creator, Created)
  VALUES (cf, 'RT::Ticket', ticket, content, creator, at) RETURNING id
$$;
CREATE FUNCTION rt_txn(ticket int, at timestamp, creator int, type text, field text DEFAULT NULL,
                       oldv text DEFAULT NULL, newv text DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO Transactions (ObjectType, ObjectId, Type, Field, OldValue, NewValue, Creator, Created)
  VALUES ('RT::Ticket', ticket, type, field, oldv, newv, creator, at)
$$;
CREATE FUNCTION rt_create(ticket int, at timestamp, creator int, fields text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO Tickets (id, EffectiveId, Queue, Status, Creator, Created)
  VALUES (ticket, ticket, 1, 'new', creator, at);
  FOR i IN 1 .. coalesce(array_length(fields, 1), 0) BY 2 LOOP
    PERFORM rt_value(ticket, at, creator, fields[i]::int, fields[i + 1]);
  END LOOP;
  PERFORM rt_txn(ticket, at, creator, 'Create');
END $$;
CREATE FUNCTION rt_status(ticket int, at timestamp, creator int, old text, new text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE Tickets SET Status = new WHERE id = ticket;
  PERFORM rt_txn(ticket, at, creator, 'Status', 'Status', old, new);
END $$;
CREATE FUNCTION rt_set_field(ticket int, at timestamp, creator int, cf int, content text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  old_id int;
  new_id int;
BEGIN
  SELECT id INTO old_id FROM ObjectCustomFieldValues
  WHERE CustomField = cf AND ObjectType = 'RT::Ticket' AND ObjectId = ticket AND Disabled = 0;
  new_id := rt_value(ticket, at, creator, cf, content);
  UPDATE ObjectCustomFieldValues SET Disabled = 1 WHERE id = old_id;
  INSERT INTO Transactions (ObjectType, ObjectId, Type, Field, ReferenceType, OldReference,
                            NewReference, Creator, Created)
  VALUES ('RT::Ticket', ticket, 'CustomField', cf::text, 'RT::ObjectCustomFieldValue', old_id,
          new_id, creator, at);
END $$;
SQL

# History before the adapter exists.
rt "RT history before the adapter" <<'SQL'
-- RT-1: severity A, reply by the requestor, then staff; stalled a day; a
-- workaround; resolved and reopened.
SELECT rt_create(1, '2026-11-02 09:00', 20, '{1,p1, 2,A, 4,backup, 5,24.1}');
SELECT rt_txn(1, '2026-11-02 09:30', 20, 'Correspond');
SELECT rt_status(1, '2026-11-02 10:00', 10, 'new', 'open');
SELECT rt_txn(1, '2026-11-02 10:15', 10, 'Correspond');
SELECT rt_txn(1, '2026-11-02 10:20', 10, 'Comment');
SELECT rt_txn(1, '2026-11-02 11:00', 11, 'Correspond');
SELECT rt_status(1, '2026-11-02 12:00', 10, 'open', 'stalled');
SELECT rt_status(1, '2026-11-03 12:00', 20, 'stalled', 'open');
SELECT rt_set_field(1, '2026-11-03 13:00', 10, 6, 'restart the agent with --safe');
SELECT rt_txn(1, '2026-11-03 13:05', 10, 'Set', 'Priority', '0', '50');
SELECT rt_status(1, '2026-11-04 09:00', 10, 'open', 'resolved');
SELECT rt_status(1, '2026-11-05 09:00', 20, 'resolved', 'open');
-- RT-2: created as C with 2 incidents, re-classified as B an hour later.
SELECT rt_create(2, '2026-11-09 08:00', 20, '{1,p1, 2,C, 3,2, 4,backup, 5,24.1}');
SELECT rt_set_field(2, '2026-11-09 09:00', 10, 2, 'B');
-- RT-3: no Partner: an internal ticket slamon does not watch.
SELECT rt_create(3, '2026-11-09 09:00', 10, '{2,A}');
SELECT rt_txn(3, '2026-11-09 09:10', 11, 'Correspond');
SELECT rt_status(3, '2026-11-09 10:00', 11, 'new', 'resolved');
SQL

# The install meets an RT transaction still open: it waits for it, and
# copies its event (the trigger does not exist when it commits).
{
  printf '%s\n' 'SET ROLE rt_user;' 'BEGIN;' \
    "SELECT rt_status(1, '2026-11-05 10:00', 10, 'open', 'stalled');" \
    'SELECT pg_sleep(2);' 'COMMIT;'
} | psql -X -q -v ON_ERROR_STOP=1 >"$work/open.out" 2>&1 &
open_rt=$!
open_seen=no
for _ in $(seq 1 100); do
  if [[ "$(query "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                  WHERE c.relname = 'transactions' AND l.mode = 'RowExclusiveLock'")" == 1 ]]; then
    open_seen=yes
    break
  fi
  sleep 0.1
done
same "an RT transaction is open when the install starts" yes "$open_seen"
sql "install the adapter" -f "$adapter/view.sql" </dev/null
wait "$open_rt"
check "the RT transaction open during the install commits" 0 $?
same "the history is copied, with the transaction open during the install" 10 \
  "$(query 'SELECT count(*) FROM slamon.ticket_events')"

# History after: each RT transaction feeds slamon through the trigger.
rt "RT history after the adapter" <<'SQL'
SELECT rt_txn(1, '2026-11-05 10:30', 10, 'Correspond');
SELECT rt_set_field(2, '2026-11-09 10:00', 10, 3, '3');
SELECT rt_txn(2, '2026-11-09 10:30', 20, 'Correspond');
SELECT rt_txn(2, '2026-11-09 11:00', 10, 'Correspond');
SELECT rt_status(2, '2026-11-09 11:00', 10, 'new', 'open');
SELECT rt_status(2, '2026-11-09 12:00', 10, 'open', 'stalled');
SELECT rt_set_field(2, '2026-11-09 13:00', 11, 7, 'confirmed');
-- RT-4, as one database transaction in which the Create transaction comes
-- before the custom field values (the trigger waits for the commit): an
-- unknown partner, severity in lower case, a new defect; then merged.
BEGIN;
INSERT INTO Tickets (id, EffectiveId, Queue, Status, Creator, Created)
  VALUES (4, 4, 1, 'new', 20, '2026-11-12 10:00');
SELECT rt_txn(4, '2026-11-12 10:00', 20, 'Create');
SELECT rt_value(4, '2026-11-12 10:00', 20, 1, 'p2'), rt_value(4, '2026-11-12 10:00', 20, 2, 'd'),
       rt_value(4, '2026-11-12 10:00', 20, 4, 'backup'), rt_value(4, '2026-11-12 10:00', 20, 5, '24.1'),
       rt_value(4, '2026-11-12 10:00', 20, 7, 'new');
COMMIT;
SELECT rt_txn(4, '2026-11-12 11:00', 10, 'AddLink', 'MergedInto', NULL, 'fsck.com-rt://example/ticket/2');
-- A transaction RT rolls back leaves nothing.
BEGIN;
SELECT rt_status(2, '2026-11-10 09:00', 10, 'stalled', 'resolved');
ROLLBACK;
SQL

# Installing again copies nothing twice; the trigger still feeds.
sql "install the adapter again" -f "$adapter/view.sql" </dev/null
rt "RT history after the second install" <<'SQL'
SELECT rt_status(1, '2026-11-06 10:00', 10, 'stalled', 'resolved');
SQL

# Every row, in seq order: the copy (RT-1 until 11-05 10:00, RT-2 until
# 09:00), then the trigger's.
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
RT-2|2026-11-09 10:00:00+00|incidents|||3||
RT-2|2026-11-09 11:00:00+00|responded|||||
RT-2|2026-11-09 12:00:00+00|waiting|||||
RT-2|2026-11-09 13:00:00+00|defect_confirmed|||||
RT-4|2026-11-12 10:00:00+00|opened|p2|D|1|backup|24.1
RT-4|2026-11-12 10:00:00+00|new_defect|||||
RT-4|2026-11-12 11:00:00+00|closed|||||
RT-1|2026-11-06 10:00:00+00|resumed|||||
RT-1|2026-11-06 10:00:00+00|resolved|||||
ROWS
fed_events "$work/want"

# The clocks the events give (built-in policy, partner p1 in UTC).
# RT-1 on 2026-11-06 00:00: response met at the first staff reply; the
# workaround met after a day's pause (deadline moved by it); resolution paused
# again (stalled since 11-05 10:00) with 3h + 21h + 1h counted.
explain 2026-11-06T00:00:00Z RT-1
same "RT-1 severity" A "$(field "$work/json" severity)"
same "RT-1 response stopped" stopped "$(field "$work/json" clocks.response.status)"
same "RT-1 response stopped at the first staff reply" 2026-11-02T10:15:00Z \
  "$(field "$work/json" clocks.response.stopped_at)"
same "RT-1 response deadline" 2026-11-02T13:00:00Z "$(field "$work/json" clocks.response.deadline)"
same "RT-1 workaround stopped" stopped "$(field "$work/json" clocks.workaround.status)"
same "RT-1 workaround stopped at the Workaround field" 2026-11-03T13:00:00Z \
  "$(field "$work/json" clocks.workaround.stopped_at)"
same "RT-1 workaround deadline moved by the pause" 2026-11-04T09:00:00Z \
  "$(field "$work/json" clocks.workaround.deadline)"
same "RT-1 resolution paused while stalled" paused "$(field "$work/json" clocks.resolution.status)"
same "RT-1 paused resolution has no deadline" null "$(field "$work/json" clocks.resolution.deadline)"
same "RT-1 resolution elapsed" $((25 * 3600)) "$(field "$work/json" clocks.resolution.elapsed_seconds)"
same "RT-1 state open" open "$(field "$work/json" state)"
same "RT-1 waiting" true "$(field "$work/json" waiting)"
# The next day it was resolved straight from stalled.
explain 2026-11-07T00:00:00Z RT-1
same "RT-1 resolution stopped" stopped "$(field "$work/json" clocks.resolution.status)"
same "RT-1 resolution stopped at the resolve" 2026-11-06T10:00:00Z \
  "$(field "$work/json" clocks.resolution.stopped_at)"
same "RT-1 resolved" resolved "$(field "$work/json" state)"
same "RT-1 no longer waiting" false "$(field "$work/json" waiting)"

# RT-2: opened as C, re-classified B (retroactive): response 4h from 08:00,
# met at 11:00; workaround (2 days) ran 4h, then paused while stalled.
explain 2026-11-10T12:00:00Z RT-2
same "RT-2 severity B" B "$(field "$work/json" severity)"
same "RT-2 incidents" 3 "$(field "$work/json" incidents)"
same "RT-2 response deadline for B" 2026-11-09T12:00:00Z "$(field "$work/json" clocks.response.deadline)"
same "RT-2 response stopped at the staff reply" 2026-11-09T11:00:00Z \
  "$(field "$work/json" clocks.response.stopped_at)"
same "RT-2 response not breached" false "$(field "$work/json" clocks.response.breached)"
same "RT-2 workaround paused" paused "$(field "$work/json" clocks.workaround.status)"
same "RT-2 workaround elapsed" $((4 * 3600)) "$(field "$work/json" clocks.workaround.elapsed_seconds)"
same "RT-2 workaround budget B" $((2 * 86400)) "$(field "$work/json" clocks.workaround.budget_seconds)"
same "RT-2 defect confirmed" true "$(field "$work/json" defect_confirmed)"
same "RT-2 no fee for a confirmed defect" false "$(field "$work/json" fee)"

# RT-4: unknown partner, severity D, merged an hour after it was opened.
explain 2026-11-13T00:00:00Z RT-4
same "RT-4 partner" p2 "$(field "$work/json" partner)"
same "RT-4 severity" D "$(field "$work/json" severity)"
same "RT-4 new defect" true "$(field "$work/json" new_defect)"
same "RT-4 closed by the merge" closed "$(field "$work/json" state)"
same "RT-4 response stopped at the merge" 2026-11-12T11:00:00Z \
  "$(field "$work/json" clocks.response.stopped_at)"

# RT-3 had no Partner.
"$slamon" explain --config "$work/slamon.yml" --json RT-3 >"$work/out" 2>"$work/err"
check "RT-3 is not fed" 1 $?

# Uninstalling keeps the events and stops the feed.
sql "uninstall" -f "$adapter/uninstall.sql" </dev/null
rt "RT history after the uninstall" <<'SQL'
SELECT rt_status(2, '2026-11-10 09:00', 10, 'stalled', 'open');
SQL
same "uninstall keeps the events and stops the feed" 19 \
  "$(query 'SELECT count(*) FROM slamon.ticket_events')"
same "uninstall removes the trigger" 0 \
  "$(query "SELECT count(*) FROM pg_trigger WHERE tgname = 'slamon_feed'")"

# Installing again catches up with what RT recorded meanwhile.
sql "install after the uninstall" -f "$adapter/view.sql" </dev/null
same "the new install copies the missed event" "RT-2|resumed" \
  "$(query 'SELECT ticket_id, kind FROM slamon.ticket_events WHERE seq > (SELECT max(seq) - 1 FROM slamon.ticket_events)')"
same "and nothing else" 20 "$(query 'SELECT count(*) FROM slamon.ticket_events')"

finish
