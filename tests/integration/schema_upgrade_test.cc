// Schema version 2 (docs/design.md §3: partners.holidays, partners.credit)
// against a real PostgreSQL 15 under pg_virtualenv: a version-1 database that
// holds data is upgraded in place, a new reader reads a version-1 database,
// and bad values in the new columns are problems naming the partner.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "store/event_store.h"
#include "store/migrator.h"
#include "store/schema.h"

using namespace slamon;

namespace {

const Instant kNow = Instant{Seconds{1795694400}};  // 2026-11-26T12:00:00Z

void Sql(const std::string& sql) {
  pqxx::connection c("");
  pqxx::work w(c);
  w.exec(sql);
  w.commit();
}

// A database at schema version 1 with two partners, a certification, a
// release and a ticket of three events.
void VersionOneWithData() {
  Sql("DROP SCHEMA IF EXISTS slamon CASCADE");
  Result<SchemaUpgrade> m = Migrate({.connection = "", .grant_to = "", .to_version = 1});
  INFO(m.error());
  REQUIRE(m.ok());
  REQUIRE(m->version_after == 1);
  Sql("INSERT INTO slamon.partners (id, name, contract_signed_at, timezone, policy) "
      "VALUES ('tokyo', 'Tokyo KK', '2023-02-28T15:00:00Z', 'Asia/Tokyo', 'default'),"
      " ('sydney', 'Sydney Pty', '2024-02-29T00:00:00+11:00', 'Australia/Sydney', "
      "'default');"
      "INSERT INTO slamon.certifications VALUES ('tokyo', 'e1', "
      "'2025-02-28T15:00:00Z');"
      "INSERT INTO slamon.releases VALUES ('backup', '24.2', '2026-12-15T00:00:00Z');"
      "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity, "
      "incidents, product, version) VALUES "
      "('T-1', '2026-11-26T01:00:00Z', 'opened', 'tokyo', 'A', 1, 'backup', '24.2'),"
      "('T-1', '2026-11-26T02:00:00Z', 'responded', NULL, NULL, NULL, NULL, NULL),"
      "('T-1', '2026-11-26T03:00:00Z', 'new_defect', NULL, NULL, NULL, NULL, NULL)");
}

int EventCount(EventStore& store) {
  int events = 0;
  int bad = 0;
  Status status = store.LoadAllEvents(kNow, 100, [&](EventBatch&& batch) {
    events += static_cast<int>(batch.events.size());
    bad += static_cast<int>(batch.bad.size());
  });
  INFO(status.message());
  REQUIRE(status.ok());
  CHECK(bad == 0);
  return events;
}

}  // namespace

TEST_CASE("migrate --to-version stops there; a later migrate goes on from it") {
  Sql("DROP SCHEMA IF EXISTS slamon CASCADE");
  Result<SchemaUpgrade> one =
      Migrate({.connection = "", .grant_to = "", .to_version = 1});
  INFO(one.error());
  REQUIRE(one.ok());
  CHECK(one->applied == std::vector<int>{1});
  {
    const Result<int> version = SchemaVersion("");
    INFO(version.error());
    REQUIRE(version.ok());
    CHECK(*version == 1);
  }
  Result<SchemaUpgrade> rest =
      Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt});
  REQUIRE(rest.ok());
  CHECK(rest->version_before == 1);
  CHECK(rest->applied == std::vector<int>{2, 3});
  CHECK(LatestSchemaVersion() == 3);
}

TEST_CASE(
    "migrate --to-version refuses a version it does not know or one to go back to") {
  Sql("DROP SCHEMA IF EXISTS slamon CASCADE");
  Result<SchemaUpgrade> unknown =
      Migrate({.connection = "", .grant_to = "", .to_version = 4});
  CHECK_FALSE(unknown.ok());
  CHECK_THAT(unknown.error(), Catch::Contains("no schema version 4"));
  REQUIRE(Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt}).ok());
  Result<SchemaUpgrade> back =
      Migrate({.connection = "", .grant_to = "", .to_version = 1});
  CHECK_FALSE(back.ok());
  CHECK_THAT(back.error(),
             Catch::Contains("at version 3") && Catch::Contains("never downgrades"));
  {
    const Result<int> version = SchemaVersion("");
    INFO(version.error());
    REQUIRE(version.ok());
    CHECK(*version == 3);
  }
}

TEST_CASE(
    "A version-1 database with data upgrades to the newest version and keeps every row") {
  VersionOneWithData();
  Result<SchemaUpgrade> upgrade =
      Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt});
  INFO(upgrade.error());
  REQUIRE(upgrade.ok());
  CHECK(upgrade->version_before == 1);
  CHECK(upgrade->applied == std::vector<int>{2, 3});

  {
    pqxx::connection c("");
    pqxx::read_transaction r(c);
    // Existing partners: no holidays of their own, credit `quota` (what v1 meant).
    auto rows =
        r.exec("SELECT id, holidays IS NULL, credit FROM slamon.partners ORDER BY id");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0][0].as<std::string>() == "sydney");
    CHECK(rows[0][1].as<bool>());
    CHECK(rows[0][2].as<std::string>() == "quota");
    CHECK(rows[1][0].as<std::string>() == "tokyo");
    CHECK(r.exec1("SELECT count(*) FROM slamon.ticket_events")[0].as<int>() == 3);
    CHECK(r.exec1("SELECT count(*) FROM slamon.certifications")[0].as<int>() == 1);
    CHECK(r.exec1("SELECT count(*) FROM slamon.releases")[0].as<int>() == 1);
  }

  // The new columns are written and read back.
  Sql("UPDATE slamon.partners SET credit = 'paid', holidays = 'japan' WHERE id = "
      "'tokyo'");
  EventStore store("");
  REQUIRE(store.Connect().ok());
  ReferenceData data;
  Status status = store.LoadReference(&data);
  INFO(status.message());
  REQUIRE(status.ok());
  CHECK(data.problems.empty());
  REQUIRE(data.partners.size() == 2);
  CHECK(data.partners[0].id == "sydney");
  CHECK(data.partners[0].credit == CreditKind::kQuota);
  CHECK(data.partners[0].holidays.empty());
  CHECK(data.partners[1].id == "tokyo");
  CHECK(data.partners[1].credit == CreditKind::kPaid);
  CHECK(data.partners[1].holidays == "japan");
  CHECK(FormatInstant(data.partners[1].contract_signed_at) == "2023-02-28T15:00:00Z");
  CHECK(EventCount(store) == 3);

  // The constraint keeps a third kind of credit out of the table.
  pqxx::connection c("");
  pqxx::work w(c);
  CHECK_THROWS_AS(w.exec("UPDATE slamon.partners SET credit = 'free' WHERE id = 'tokyo'"),
                  pqxx::check_violation);
}

TEST_CASE("A new slamon reads a version-1 database: no holidays, quota credit") {
  // A replica of the new version may start before `slamon migrate` ran.
  VersionOneWithData();
  EventStore store("");
  REQUIRE(store.Connect().ok());
  ReferenceData data;
  Status status = store.LoadReference(&data);
  INFO(status.message());
  REQUIRE(status.ok());
  CHECK(data.problems.empty());
  REQUIRE(data.partners.size() == 2);
  for (const Partner& p : data.partners) {
    INFO(p.id);
    CHECK(p.credit == CreditKind::kQuota);
    CHECK(p.holidays.empty());
  }
  CHECK(EventCount(store) == 3);
}

TEST_CASE("A bad credit or holidays value skips that partner, named, and no other") {
  Sql("DROP SCHEMA IF EXISTS slamon CASCADE");
  REQUIRE(Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt}).ok());
  // An owner may drop the constraint, or a view may feed the table: the
  // reader checks the values itself.
  Sql("ALTER TABLE slamon.partners DROP CONSTRAINT partners_credit_kind;"
      "INSERT INTO slamon.partners (id, contract_signed_at, credit, holidays) VALUES "
      "('good', '2026-01-10T00:00:00Z', 'paid', 'germany'),"
      "('shouting', '2026-01-10T00:00:00Z', 'PAID', NULL),"
      "('newline', '2026-01-10T00:00:00Z', 'quota', E'ger\\nmany'),"
      "('long', '2026-01-10T00:00:00Z', 'quota', repeat('x', 201))");
  EventStore store("");
  REQUIRE(store.Connect().ok());
  ReferenceData data;
  Status status = store.LoadReference(&data);
  INFO(status.message());
  REQUIRE(status.ok());
  REQUIRE(data.partners.size() == 1);
  CHECK(data.partners[0].id == "good");
  CHECK(data.partners[0].credit == CreditKind::kPaid);
  CHECK(data.partners[0].holidays == "germany");
  REQUIRE(data.problems.size() == 3);
  // Partners are read in id order: long, newline, shouting.
  CHECK_THAT(data.problems[0],
             Catch::Contains("partners id long") && Catch::Contains("longer than 200"));
  CHECK_THAT(data.problems[1],
             Catch::Contains("partners id newline") && Catch::Contains("not printable"));
  CHECK_THAT(data.problems[2], Catch::Contains("partners id shouting") &&
                                   Catch::Contains("credit is neither"));
  // The bad value itself is not echoed (it may hold a newline).
  CHECK_THAT(data.problems[2], !Catch::Contains("PAID"));
}

TEST_CASE("Version 3: event_id is unique where set, and optional") {
  Sql("DROP SCHEMA IF EXISTS slamon CASCADE");
  REQUIRE(Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt}).ok());
  // Rows other feeders write carry no event_id: any number of them.
  Sql("INSERT INTO slamon.ticket_events (ticket_id, at, kind) VALUES "
      "('T-1', '2026-11-26T01:00:00Z', 'responded'),"
      "('T-1', '2026-11-26T01:00:00Z', 'responded')");
  Sql("INSERT INTO slamon.ticket_events (ticket_id, at, kind, event_id) VALUES "
      "('T-2', '2026-11-26T01:00:00Z', 'responded', 'zendesk:1')");
  pqxx::connection c("");
  {
    pqxx::work w(c);
    CHECK_THROWS_AS(w.exec("INSERT INTO slamon.ticket_events (ticket_id, at, kind, "
                           "event_id) VALUES ('T-3', now(), 'closed', 'zendesk:1')"),
                    pqxx::unique_violation);
  }
  pqxx::read_transaction r(c);
  CHECK(r.exec1("SELECT count(*) FROM slamon.ticket_events")[0].as<int>() == 3);
}
