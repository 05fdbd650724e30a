// lib/store against a real PostgreSQL 15. Run under pg_virtualenv, which
// starts a throwaway cluster and sets PGHOST, PGPORT, PGUSER, PGPASSWORD and
// PGDATABASE: an empty connection string reaches it.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <pqxx/pqxx>
#include <thread>

#include "store/migrator.h"
#include "store/schema.h"

using namespace slamon;

namespace {

void ResetDatabase() {
  pqxx::connection c("");
  pqxx::work w(c);
  w.exec("DROP SCHEMA IF EXISTS slamon CASCADE");
  w.commit();
}

}  // namespace

TEST_CASE("The suite runs against a real PostgreSQL") {
  // pg_virtualenv sets these; without them this is not the test it claims to be.
  REQUIRE(std::getenv("PGHOST") != nullptr);
  REQUIRE(std::getenv("PGPORT") != nullptr);
  pqxx::connection c("");
  pqxx::read_transaction r(c);
  CHECK(r.exec1("SHOW server_version_num")[0].as<int>() >= 150000);
}

TEST_CASE("migrate creates the schema once and is a no-op the second time") {
  ResetDatabase();
  {
    const Result<int> version = SchemaVersion("");
    INFO(version.error());
    REQUIRE(version.ok());
    CHECK(*version == 0);
  }
  Result<SchemaUpgrade> first =
      Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt});
  INFO(first.error());
  REQUIRE(first.ok());
  CHECK(first->version_before == 0);
  CHECK(first->version_after == Migrations().back().version);
  CHECK(first->applied.size() == Migrations().size());
  Result<SchemaUpgrade> second =
      Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt});
  REQUIRE(second.ok());
  CHECK(second->applied.empty());
  CHECK(second->version_before == first->version_after);
  {
    const Result<int> version = SchemaVersion("");
    INFO(version.error());
    REQUIRE(version.ok());
    CHECK(*version == first->version_after);
  }

  pqxx::connection c("");
  pqxx::read_transaction r(c);
  for (const char* table : {"partners", "certifications", "releases", "ticket_events"}) {
    INFO(table);
    CHECK(
        r.exec1(std::string("SELECT to_regclass('slamon.") + table + "') IS NOT NULL")[0]
            .as<bool>());
  }
}

TEST_CASE("migrate upgrades a database that only has the bootstrap") {
  ResetDatabase();
  {
    pqxx::connection c("");
    pqxx::work w(c);
    w.exec(
        "CREATE SCHEMA slamon; CREATE TABLE slamon.schema_version (version integer "
        "PRIMARY KEY, "
        "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    w.commit();
  }
  Result<SchemaUpgrade> result =
      Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt});
  INFO(result.error());
  REQUIRE(result.ok());
  CHECK(result->version_before == 0);
  CHECK(result->version_after == Migrations().back().version);
}

TEST_CASE("migrate refuses a schema newer than itself and changes nothing") {
  ResetDatabase();
  REQUIRE(Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt}).ok());
  {
    pqxx::connection c("");
    pqxx::work w(c);
    w.exec(
        "INSERT INTO slamon.schema_version (version, description) VALUES (999, "
        "'future')");
    w.commit();
  }
  Result<SchemaUpgrade> result =
      Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt});
  CHECK_FALSE(result.ok());
  CHECK_THAT(result.error(), Catch::Contains("version 999, newer than this slamon"));
}

TEST_CASE("Two migrations at once: one applies, the other finds the schema current") {
  ResetDatabase();
  Result<SchemaUpgrade> a = Status::Error("not run");
  Result<SchemaUpgrade> b = Status::Error("not run");
  std::thread other([&] {
    b = Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt});
  });
  a = Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt});
  other.join();
  INFO(a.error() << " / " << b.error());
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->applied.size() + b->applied.size() == Migrations().size());
}

TEST_CASE("--grant-to gives a read-only role SELECT and nothing more") {
  ResetDatabase();
  {
    pqxx::connection c("");
    pqxx::work w(c);
    w.exec(
        "DROP ROLE IF EXISTS slamon_reader; CREATE ROLE slamon_reader LOGIN PASSWORD "
        "'pw'");
    w.commit();
  }
  Result<SchemaUpgrade> result = Migrate(
      {.connection = "", .grant_to = "slamon_reader", .to_version = std::nullopt});
  INFO(result.error());
  REQUIRE(result.ok());
  pqxx::connection reader("user=slamon_reader password=pw");
  {
    pqxx::read_transaction r(reader);
    CHECK(r.exec1("SELECT count(*) FROM slamon.ticket_events")[0].as<int>() == 0);
  }
  pqxx::work w(reader);
  CHECK_THROWS_AS(
      w.exec("INSERT INTO slamon.partners (id, contract_signed_at) VALUES ('x', now())"),
      pqxx::insufficient_privilege);
  Result<SchemaUpgrade> missing =
      Migrate({.connection = "", .grant_to = "no_such_role", .to_version = std::nullopt});
  CHECK_FALSE(missing.ok());
  CHECK_THAT(missing.error(), Catch::Contains("no_such_role"));
}

TEST_CASE("Inserting events notifies the events channel at commit") {
  ResetDatabase();
  REQUIRE(Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt}).ok());
  struct Receiver : pqxx::notification_receiver {
    using pqxx::notification_receiver::notification_receiver;
    int received = 0;
    void operator()(const std::string&, int) override { ++received; }
  };
  pqxx::connection listener("");
  Receiver events(listener, std::string(kEventsChannel));
  Receiver reference(listener, std::string(kReferenceChannel));
  {
    pqxx::connection writer("");
    pqxx::work w(writer);
    w.exec(
        "INSERT INTO slamon.ticket_events (ticket_id, at, kind) VALUES ('T-1', now(), "
        "'opened'), "
        "('T-2', now(), 'opened')");
    w.exec("INSERT INTO slamon.partners (id, contract_signed_at) VALUES ('p1', now())");
    w.commit();
  }
  for (int i = 0; i < 50 && (events.received == 0 || reference.received == 0); ++i) {
    listener.await_notification(0, 100000);
  }
  CHECK(events.received == 1);  // one per statement, collapsed per transaction
  CHECK(reference.received == 1);
  pqxx::read_transaction r(listener);
  auto row = r.exec1(
      "SELECT seq, recorded_at IS NOT NULL, xid IS NOT NULL FROM slamon.ticket_events "
      "ORDER BY seq LIMIT 1");
  CHECK(row[0].as<int64_t>() == 1);
  CHECK(row[1].as<bool>());
  CHECK(row[2].as<bool>());
}
