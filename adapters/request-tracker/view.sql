-- slamon adapter for Request Tracker 5 (PostgreSQL).
--
-- RT already keeps an event log: every change of a ticket is a row of its
-- Transactions table. This file maps those rows to slamon's event kinds in
-- the view slamon_rt.ticket_events, and feeds slamon.ticket_events from it:
--
--   * a trigger on RT's Transactions inserts each new transaction's events
--     into slamon.ticket_events, inside RT's own database transaction, so
--     they commit (or roll back) with it: nothing missed, nothing twice;
--   * the history RT has already recorded is copied once, in the same
--     transaction that creates the trigger, with RT's writers locked out
--     meanwhile, so that every transaction is fed either by the copy or by
--     the trigger, never by both.
--
-- Install, in RT's database, after `slamon migrate` created schema slamon
-- there, as a role that can read RT's tables and owns schema slamon (for
-- example the database superuser):
--
--   psql -v ON_ERROR_STOP=1 -d rt5 -f view.sql                    # RT in schema public
--   psql -v ON_ERROR_STOP=1 -v rt_schema=rt -d rt5 -f view.sql    # RT elsewhere
--
-- Running it again is safe: it replaces the functions, views and trigger,
-- keeps the settings tables, and copies only the events that are missing
-- (after an uninstall, those of the transactions made meanwhile).
--
-- What RT must provide: single-value ticket custom fields named as in
-- slamon_rt.custom_fields below ("Partner", "Severity", ...), and RT's
-- default lifecycle (or rows in slamon_rt.statuses for its statuses). A
-- ticket is fed once it has a Partner and a Severity (slamon_rt.fed_tickets).

\if :{?rt_schema}
\else
\set rt_schema public
\endif

BEGIN ISOLATION LEVEL READ COMMITTED;

-- RT's tables are found through this search path, also when RT's own role
-- fires the trigger (the functions below keep it: SET search_path FROM
-- CURRENT). pg_temp last, so that a temporary table cannot stand in for
-- one of RT's.
SET LOCAL search_path = :"rt_schema", pg_temp;

CREATE SCHEMA IF NOT EXISTS slamon_rt;
COMMENT ON SCHEMA slamon_rt IS 'slamon adapter for Request Tracker: maps RT transactions to slamon.ticket_events';

---------------------------------------------------------------------------
-- Settings (kept when this file runs again; edit the rows to taste).
---------------------------------------------------------------------------

-- Which RT ticket custom field plays which part. Values are read as they are
-- (trimmed); Severity values must be severities of the slamon policy (A-D).
CREATE TABLE IF NOT EXISTS slamon_rt.custom_fields (
  role text PRIMARY KEY CHECK (role IN
    ('partner', 'severity', 'incidents', 'product', 'version', 'workaround', 'defect')),
  name text NOT NULL
);
INSERT INTO slamon_rt.custom_fields (role, name) VALUES
  ('partner', 'Partner'),        -- the slamon.partners id; a ticket without one is not fed
  ('severity', 'Severity'),      -- A, B, C or D
  ('incidents', 'Incidents'),    -- a count; unset means 1
  ('product', 'Product'),
  ('version', 'Version'),
  ('workaround', 'Workaround'),  -- any value: a workaround was given
  ('defect', 'Defect')           -- 'confirmed' or 'new'
ON CONFLICT (role) DO NOTHING;

-- RT statuses by what they mean to slamon. A status not listed counts as
-- active. Add the statuses of custom lifecycles here.
CREATE TABLE IF NOT EXISTS slamon_rt.statuses (
  status text PRIMARY KEY,
  class text NOT NULL CHECK (class IN ('active', 'waiting', 'resolved', 'closed'))
);
INSERT INTO slamon_rt.statuses (status, class) VALUES
  ('new', 'active'), ('open', 'active'),
  ('stalled', 'waiting'),                       -- support waits on the partner
  ('resolved', 'resolved'),
  ('rejected', 'closed'), ('deleted', 'closed')  -- deleted = RT's soft delete
ON CONFLICT (status) DO NOTHING;

---------------------------------------------------------------------------
-- Helpers.
---------------------------------------------------------------------------

-- The views (below) and helpers of an earlier version go first: a new
-- version may change their columns. An object of yours that depends on a
-- view makes this fail instead of vanishing with it.
DROP VIEW IF EXISTS slamon_rt.ticket_events, slamon_rt.field_changes,
  slamon_rt.ticket_transactions, slamon_rt.fed_tickets, slamon_rt.status_changes;
DROP FUNCTION IF EXISTS slamon_rt.value_at_create(integer, text);

-- A custom field value (an ObjectCustomFieldValues row), trimmed, or NULL
-- when empty. RT keeps a value of up to 255 bytes in Content and a longer
-- one in LargeContent, with Content NULL.
CREATE OR REPLACE FUNCTION slamon_rt.content(of_value bigint)
RETURNS text LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT nullif(btrim(coalesce(v.Content, v.LargeContent)), '')
  FROM ObjectCustomFieldValues v WHERE v.id = of_value
$$;

-- The value a ticket's custom field (by role) had when the ticket was
-- created. RT keeps every value a field ever had in ObjectCustomFieldValues
-- (a replaced value is only disabled) and records each later change as a
-- 'CustomField' transaction whose OldReference is the value it replaced
-- (values given at creation have no transaction of their own). So: the value
-- before the field's first change if it was ever changed, else its current
-- value. The answer does not depend on when it is asked, which keeps the
-- trigger and the history copy in agreement.
CREATE OR REPLACE FUNCTION slamon_rt.value_at_create(of_ticket bigint, of_role text)
RETURNS text LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT slamon_rt.content(v.id)
  FROM CustomFields cf
  JOIN slamon_rt.custom_fields r ON r.role = of_role AND r.name = cf.Name
  JOIN ObjectCustomFieldValues v
    ON v.CustomField = cf.id AND v.ObjectType = 'RT::Ticket' AND v.ObjectId = of_ticket
  WHERE cf.LookupType = 'RT::Queue-RT::Ticket'
    AND CASE
      WHEN EXISTS (SELECT 1 FROM Transactions c
                   WHERE c.ObjectType = 'RT::Ticket' AND c.ObjectId = of_ticket
                     AND c.Type = 'CustomField' AND c.Field = cf.id::text)
      THEN v.id = (SELECT c.OldReference FROM Transactions c
                   WHERE c.ObjectType = 'RT::Ticket' AND c.ObjectId = of_ticket
                     AND c.Type = 'CustomField' AND c.Field = cf.id::text
                   ORDER BY c.id LIMIT 1)
      ELSE v.Disabled = 0
    END
  ORDER BY v.id
  LIMIT 1
$$;

-- The value a ticket's custom field (by role) had right after RT
-- transaction of_transaction: the new value of the field's last change up
-- to it, else the value at creation. Like value_at_create, it does not
-- depend on when it is asked.
CREATE OR REPLACE FUNCTION slamon_rt.value_as_of(of_ticket bigint, of_role text,
                                                 of_transaction bigint)
RETURNS text LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT CASE WHEN last.id IS NULL THEN slamon_rt.value_at_create(of_ticket, of_role)
              ELSE slamon_rt.content(last.NewReference) END
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (
    SELECT c.id, c.NewReference
    FROM Transactions c
    JOIN CustomFields cf ON c.Field = cf.id::text AND cf.LookupType = 'RT::Queue-RT::Ticket'
    JOIN slamon_rt.custom_fields r ON r.role = of_role AND r.name = cf.Name
    WHERE c.ObjectType = 'RT::Ticket' AND c.ObjectId = of_ticket
      AND c.Type = 'CustomField' AND c.id <= of_transaction
    ORDER BY c.id DESC
    LIMIT 1) AS last ON true
$$;

-- The status a ticket was created in: the old status of its first status
-- change, else its status now. (RT's Create transaction does not say it.)
CREATE OR REPLACE FUNCTION slamon_rt.status_at_create(of_ticket bigint)
RETURNS text LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT coalesce(
    (SELECT s.OldValue FROM Transactions s
     WHERE s.ObjectType = 'RT::Ticket' AND s.ObjectId = of_ticket AND s.Type = 'Status'
     ORDER BY s.id LIMIT 1),
    (SELECT tk.Status FROM Tickets tk WHERE tk.id = of_ticket))
$$;

-- Staff are RT's privileged users: members of the system group Privileged.
-- (A user's id is its principal id.) Requestors are unprivileged.
CREATE OR REPLACE FUNCTION slamon_rt.is_staff(of_principal integer)
RETURNS boolean LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT EXISTS (
    SELECT 1 FROM GroupMembers gm JOIN Groups g ON g.id = gm.GroupId
    WHERE g.Domain = 'SystemInternal' AND g.Name = 'Privileged' AND gm.MemberId = of_principal)
$$;

CREATE OR REPLACE FUNCTION slamon_rt.status_class(of_status text)
RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT s.class FROM slamon_rt.statuses s WHERE s.status = lower(of_status)),
                  'active')
$$;

-- A count written in a custom field, or NULL when it is not one.
CREATE OR REPLACE FUNCTION slamon_rt.as_count(content text)
RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN btrim(content) ~ '^[0-9]{1,9}$' THEN btrim(content)::integer END
$$;

---------------------------------------------------------------------------
-- The views.
---------------------------------------------------------------------------

-- The tickets slamon watches, and the RT transaction from which on it does:
-- the first one after which the ticket has a Partner and a Severity (an
-- `opened` needs both). That is its Create for a ticket created with them;
-- for one created without (RT's mail gateway sets no custom fields) the
-- change that completes them, at triage.
CREATE VIEW slamon_rt.fed_tickets AS
SELECT t.ObjectId AS ticket, min(t.id) AS feed_point
FROM Transactions t
WHERE t.ObjectType = 'RT::Ticket' AND t.Type IN ('Create', 'CustomField')
  AND slamon_rt.value_as_of(t.ObjectId, 'partner', t.id) IS NOT NULL
  AND slamon_rt.value_as_of(t.ObjectId, 'severity', t.id) IS NOT NULL
GROUP BY t.ObjectId;

-- The transactions of the tickets slamon watches. `at` is RT's Created,
-- which RT writes in UTC without a time zone.
CREATE VIEW slamon_rt.ticket_transactions AS
SELECT t.id, t.ObjectId AS ticket, t.Created AT TIME ZONE 'UTC' AS at,
       t.Type, t.Field, t.OldValue, t.NewValue, t.OldReference, t.NewReference, t.Creator,
       f.feed_point
FROM Transactions t
JOIN slamon_rt.fed_tickets f ON f.ticket = t.ObjectId
WHERE t.ObjectType = 'RT::Ticket'
  AND t.Created IS NOT NULL;

-- Changes of the custom fields slamon_rt.custom_fields names, with the
-- replaced and the new value (RT records them by reference).
CREATE VIEW slamon_rt.field_changes AS
SELECT t.*, r.role,
       slamon_rt.content(t.OldReference) AS old_value,
       slamon_rt.content(t.NewReference) AS new_value
FROM slamon_rt.ticket_transactions t
JOIN CustomFields cf ON t.Field = cf.id::text AND cf.LookupType = 'RT::Queue-RT::Ticket'
JOIN slamon_rt.custom_fields r ON r.name = cf.Name
WHERE t.Type = 'CustomField';

-- The events a change from one status class (slamon_rt.statuses) to
-- another gives, in `ord` order. A change within a class gives nothing
-- (new -> open). A ticket is created in class active: one created stalled,
-- resolved or rejected gives the events of a change from active.
CREATE VIEW slamon_rt.status_changes AS
SELECT * FROM (VALUES
  -- from        to          events in this order
  ('active',   'waiting',  1, 'waiting'),   -- open -> stalled
  ('waiting',  'active',   1, 'resumed'),   -- stalled -> open
  ('active',   'resolved', 1, 'resolved'),  -- open -> resolved
  ('waiting',  'resolved', 1, 'resumed'),   -- stalled -> resolved: the pause ends
  ('waiting',  'resolved', 2, 'resolved'),  --   and the ticket is resolved
  ('active',   'closed',   1, 'closed'),    -- open -> rejected or deleted
  ('waiting',  'closed',   1, 'resumed'),
  ('waiting',  'closed',   2, 'closed'),
  ('resolved', 'closed',   1, 'closed'),    -- resolved -> deleted
  ('resolved', 'active',   1, 'reopened'),  -- resolved -> open
  ('resolved', 'waiting',  1, 'reopened'),  -- resolved -> stalled
  ('resolved', 'waiting',  2, 'waiting'),
  ('closed',   'active',   1, 'reopened'),  -- rejected -> open
  ('closed',   'waiting',  1, 'reopened'),
  ('closed',   'waiting',  2, 'waiting')
) AS m(from_class, to_class, ord, kind);

-- Rows shaped like slamon.ticket_events. (rt_transaction, ord) is the key:
-- one RT transaction may give several events, inserted in `ord` order.
-- Ticket ids are 'RT-' and RT's ticket number (rt_ticket). fed_by is the
-- transaction whose commit feeds the row: its own, or, for the history of a
-- ticket before it was watched, the ticket's feed point
-- (slamon_rt.fed_tickets), which feeds that history in rt_transaction order.
CREATE VIEW slamon_rt.ticket_events AS
SELECT e.rt_transaction, e.ord, 'RT-' || e.rt_ticket AS ticket_id, e.at, e.kind, e.partner_id,
       e.severity, e.incidents, e.product, e.version, e.rt_ticket,
       greatest(e.rt_transaction, e.feed_point) AS fed_by
FROM (

-- Create -> opened at the ticket's creation, with Partner, Severity and the
-- rest as they were at its feed point (a later severity change is a
-- `severity` event: the re-classification rule applies).
SELECT t.id AS rt_transaction, 1 AS ord, t.ticket AS rt_ticket, t.at, 'opened' AS kind,
       slamon_rt.value_as_of(t.ticket, 'partner', t.feed_point) AS partner_id,
       upper(slamon_rt.value_as_of(t.ticket, 'severity', t.feed_point)) AS severity,
       coalesce(slamon_rt.as_count(slamon_rt.value_as_of(t.ticket, 'incidents', t.feed_point)), 1)
         AS incidents,
       slamon_rt.value_as_of(t.ticket, 'product', t.feed_point) AS product,
       slamon_rt.value_as_of(t.ticket, 'version', t.feed_point) AS version, t.feed_point
FROM slamon_rt.ticket_transactions t
WHERE t.Type = 'Create'

UNION ALL
-- Create of a ticket whose Defect field was set at creation ->
-- defect_confirmed or new_defect, right after opened.
SELECT t.id, 2, t.ticket, t.at, d.kind, NULL, NULL, NULL, NULL, NULL, t.feed_point
FROM slamon_rt.ticket_transactions t
JOIN (VALUES ('confirmed', 'defect_confirmed'), ('new', 'new_defect')) AS d(value, kind)
  ON d.value = lower(slamon_rt.value_at_create(t.ticket, 'defect'))
WHERE t.Type = 'Create'

UNION ALL
-- Create of a ticket created stalled, resolved or rejected -> the events of
-- a change from active to that status, right after opened (and defect).
SELECT t.id, 2 + m.ord, t.ticket, t.at, m.kind, NULL, NULL, NULL, NULL, NULL, t.feed_point
FROM slamon_rt.ticket_transactions t
JOIN slamon_rt.status_changes m
  ON m.from_class = 'active' AND m.to_class = slamon_rt.status_class(slamon_rt.status_at_create(t.ticket))
WHERE t.Type = 'Create'

UNION ALL
-- The first Correspond (a reply the requestors see) by staff -> responded.
-- Replies of requestors, comments and later replies give nothing.
SELECT t.id, 1, t.ticket, t.at, 'responded', NULL, NULL, NULL, NULL, NULL, t.feed_point
FROM slamon_rt.ticket_transactions t
WHERE t.Type = 'Correspond'
  AND slamon_rt.is_staff(t.Creator)
  AND NOT EXISTS (
    SELECT 1 FROM Transactions p
    WHERE p.ObjectType = 'RT::Ticket' AND p.ObjectId = t.ticket AND p.Type = 'Correspond'
      AND p.id < t.id AND slamon_rt.is_staff(p.Creator))

UNION ALL
-- Status changes, by the class of the old and the new status.
SELECT t.id, m.ord, t.ticket, t.at, m.kind, NULL, NULL, NULL, NULL, NULL, t.feed_point
FROM slamon_rt.ticket_transactions t
JOIN slamon_rt.status_changes m
  ON m.from_class = slamon_rt.status_class(t.OldValue)
 AND m.to_class = slamon_rt.status_class(t.NewValue)
WHERE t.Type = 'Status'

UNION ALL
-- A ticket merged into another one -> closed. RT records an AddLink
-- MergedInto on the merged ticket and on the surviving one, both naming
-- the survivor: the survivor's own row (it names itself) gives nothing.
SELECT t.id, 1, t.ticket, t.at, 'closed', NULL, NULL, NULL, NULL, NULL, t.feed_point
FROM slamon_rt.ticket_transactions t
WHERE t.Type = 'AddLink' AND t.Field = 'MergedInto'
  AND substring(t.NewValue FROM '/ticket/([0-9]+)$') IS DISTINCT FROM t.ticket::text

UNION ALL
-- Severity field changed -> severity (re-classification). A change up to
-- the feed point is already in the `opened`.
SELECT c.id, 1, c.ticket, c.at, 'severity', NULL, upper(c.new_value), NULL, NULL, NULL, c.feed_point
FROM slamon_rt.field_changes c
WHERE c.role = 'severity' AND c.new_value IS NOT NULL AND c.id > c.feed_point

UNION ALL
-- Incidents field changed to a count -> incidents (as for severity).
SELECT c.id, 1, c.ticket, c.at, 'incidents', NULL, NULL, slamon_rt.as_count(c.new_value),
       NULL, NULL, c.feed_point
FROM slamon_rt.field_changes c
WHERE c.role = 'incidents' AND slamon_rt.as_count(c.new_value) IS NOT NULL
  AND c.id > c.feed_point

UNION ALL
-- Workaround field filled in (it was empty) -> workaround.
SELECT c.id, 1, c.ticket, c.at, 'workaround', NULL, NULL, NULL, NULL, NULL, c.feed_point
FROM slamon_rt.field_changes c
WHERE c.role = 'workaround' AND c.old_value IS NULL AND c.new_value IS NOT NULL

UNION ALL
-- Defect field set to 'confirmed' or 'new' -> defect_confirmed or new_defect.
SELECT c.id, 1, c.ticket, c.at, d.kind, NULL, NULL, NULL, NULL, NULL, c.feed_point
FROM slamon_rt.field_changes c
JOIN (VALUES ('confirmed', 'defect_confirmed'), ('new', 'new_defect')) AS d(value, kind)
  ON d.value = lower(c.new_value)
WHERE c.role = 'defect'

) AS e (rt_transaction, ord, rt_ticket, at, kind, partner_id, severity, incidents, product,
        version, feed_point);

-- Partners RT tickets name that slamon.partners lacks. slamon.partners is
-- the operator's: RT knows neither contract dates nor policies. Such tickets
-- are still watched, with the default policy in UTC.
CREATE OR REPLACE VIEW slamon_rt.unknown_partners AS
SELECT e.partner_id, count(*) AS tickets, min(e.at) AS first_opened
FROM slamon.ticket_events e
WHERE e.kind = 'opened' AND e.ticket_id LIKE 'RT-%'
  AND NOT EXISTS (SELECT 1 FROM slamon.partners p WHERE p.id = e.partner_id)
GROUP BY e.partner_id;

---------------------------------------------------------------------------
-- Feeding slamon.ticket_events.
---------------------------------------------------------------------------

-- Inserts one RT transaction's events: at a ticket's feed point, its
-- history so far; after it, the transaction's own events (looked up by the
-- transaction's id, so that RT's writes stay cheap on long tickets); before
-- it, nothing. SECURITY DEFINER: it runs with the rights of the role that
-- installs this file, so RT's database role needs no grant on schema slamon
-- (and cannot write slamon events itself).
CREATE OR REPLACE FUNCTION slamon_rt.feed()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  fed_from bigint;
  lowest bigint;
BEGIN
  IF NEW.ObjectType <> 'RT::Ticket' THEN
    RETURN NULL;
  END IF;
  SELECT f.feed_point INTO fed_from FROM slamon_rt.fed_tickets f WHERE f.ticket = NEW.ObjectId;
  IF fed_from IS NULL OR fed_from > NEW.id THEN
    RETURN NULL;
  END IF;
  -- The transactions whose events this one feeds: at the feed point all up
  -- to it, else itself alone.
  lowest := CASE WHEN fed_from = NEW.id THEN 0 ELSE NEW.id END;
  INSERT INTO slamon.ticket_events
    (ticket_id, at, kind, partner_id, severity, incidents, product, version)
  SELECT e.ticket_id, e.at, e.kind, e.partner_id, e.severity, e.incidents, e.product, e.version
  FROM slamon_rt.ticket_events e
  WHERE e.rt_ticket = NEW.ObjectId AND e.rt_transaction BETWEEN lowest AND NEW.id
    AND e.fed_by = NEW.id
  ORDER BY e.rt_transaction, e.ord;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION slamon_rt.feed() FROM PUBLIC;

-- Lock RT's writers out until this transaction commits: transactions
-- committed before are in the copy below, later ones meet the trigger.
-- (An RT transaction still open waits here; RT waits a moment meanwhile.)
LOCK TABLE Transactions IN SHARE ROW EXCLUSIVE MODE;

-- The history: every event RT has recorded so far that slamon.ticket_events
-- does not hold yet (the same ticket, kind and instant).
INSERT INTO slamon.ticket_events
  (ticket_id, at, kind, partner_id, severity, incidents, product, version)
SELECT e.ticket_id, e.at, e.kind, e.partner_id, e.severity, e.incidents, e.product, e.version
FROM slamon_rt.ticket_events e
WHERE NOT EXISTS (
  SELECT 1 FROM slamon.ticket_events s
  WHERE s.ticket_id = e.ticket_id AND s.kind = e.kind AND s.at = e.at)
ORDER BY e.fed_by, e.rt_transaction, e.ord;

-- From now on, each new transaction. Deferred to the end of RT's database
-- transaction, so that it sees what RT wrote in it after the transaction row
-- (the custom field values of a new ticket), yet commits with it.
DROP TRIGGER IF EXISTS slamon_feed ON Transactions;
CREATE CONSTRAINT TRIGGER slamon_feed
  AFTER INSERT ON Transactions
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION slamon_rt.feed();

COMMIT;
