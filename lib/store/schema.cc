#include "store/schema.h"

#include <array>

namespace slamon {
namespace {

constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE slamon.partners (
  id                 text PRIMARY KEY,
  name               text NOT NULL DEFAULT '',
  contract_signed_at timestamptz NOT NULL,
  timezone           text NOT NULL DEFAULT 'UTC',
  policy             text NOT NULL DEFAULT 'default'
);

CREATE TABLE slamon.certifications (
  partner_id text NOT NULL,
  employee   text NOT NULL,
  passed_at  timestamptz NOT NULL,
  PRIMARY KEY (partner_id, employee, passed_at)
);

CREATE TABLE slamon.releases (
  product     text NOT NULL,
  version     text NOT NULL,
  released_at timestamptz NOT NULL,
  PRIMARY KEY (product, version)
);

-- The event log. Rows are only ever inserted. `xid` is the inserting
-- transaction: the daemon uses it to find rows committed out of seq order.
CREATE TABLE slamon.ticket_events (
  seq         bigserial PRIMARY KEY,
  ticket_id   text NOT NULL,
  at          timestamptz NOT NULL,
  kind        text NOT NULL,
  partner_id  text,
  severity    text,
  incidents   integer,
  product     text,
  version     text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  xid         xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX ticket_events_ticket ON slamon.ticket_events (ticket_id, seq);
CREATE INDEX ticket_events_xid ON slamon.ticket_events (xid);

-- Wake the daemon at commit (one notification per statement and channel).
CREATE FUNCTION slamon.notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('slamon_events', '');
  RETURN NULL;
END $$;
CREATE TRIGGER ticket_events_notify AFTER INSERT ON slamon.ticket_events
  FOR EACH STATEMENT EXECUTE FUNCTION slamon.notify_events();

CREATE FUNCTION slamon.notify_reference() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('slamon_reference', TG_TABLE_NAME);
  RETURN NULL;
END $$;
CREATE TRIGGER partners_notify AFTER INSERT OR UPDATE OR DELETE ON slamon.partners
  FOR EACH STATEMENT EXECUTE FUNCTION slamon.notify_reference();
CREATE TRIGGER certifications_notify AFTER INSERT OR UPDATE OR DELETE ON slamon.certifications
  FOR EACH STATEMENT EXECUTE FUNCTION slamon.notify_reference();
CREATE TRIGGER releases_notify AFTER INSERT OR UPDATE OR DELETE ON slamon.releases
  FOR EACH STATEMENT EXECUTE FUNCTION slamon.notify_reference();
)sql";

// docs/design.md §3: a partner's own holiday calendar (the name of a calendar
// of the config; NULL: none) and the kind of credit a new defect earns it.
// Existing partners get no holidays and `quota` credit, what version 1 meant.
constexpr std::string_view kVersion2 = R"sql(
ALTER TABLE slamon.partners
  ADD COLUMN holidays text,
  ADD COLUMN credit text NOT NULL DEFAULT 'quota'
    CONSTRAINT partners_credit_kind CHECK (credit IN ('quota', 'paid'));
)sql";

// POST /api/v1/events (docs/help-desks.md): the client's id of an event, so a
// retried webhook is stored once. NULL for rows other feeders write; unique
// where set. Adding a NULL column rewrites nothing.
constexpr std::string_view kVersion3 = R"sql(
ALTER TABLE slamon.ticket_events ADD COLUMN event_id text;
CREATE UNIQUE INDEX ticket_events_event_id ON slamon.ticket_events (event_id)
  WHERE event_id IS NOT NULL;
)sql";

constexpr std::array<Migration, 3> kMigrations = {{
    {1, "partners, certifications, releases, ticket_events and notify triggers",
     kVersion1},
    {2, "partners.holidays and partners.credit", kVersion2},
    {3, "ticket_events.event_id, unique where set (push API)", kVersion3},
}};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace slamon
