// EventStore against a real PostgreSQL 15 (under pg_virtualenv): every query,
// out-of-order commits, notifications, NULLs and bad rows.
#include "store/event_store.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <pqxx/pqxx>
#include <set>

#include "store/migrator.h"

using namespace slamon;

namespace {

const Instant kNow = Instant{Seconds{1795694400}};  // 2026-11-26T12:00:00Z

void FreshSchema() {
  {
    pqxx::connection c("");
    pqxx::work w(c);
    w.exec("DROP SCHEMA IF EXISTS slamon CASCADE");
    w.commit();
  }
  Result<SchemaUpgrade> m =
      Migrate({.connection = "", .grant_to = "", .to_version = std::nullopt});
  INFO(m.error());
  REQUIRE(m.ok());
}

void Sql(const std::string& sql) {
  pqxx::connection c("");
  pqxx::work w(c);
  w.exec(sql);
  w.commit();
}

std::string Insert(const std::string& ticket, const std::string& kind) {
  return "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity) "
         "VALUES ('" +
         ticket + "', '2026-11-26T10:00:00Z', '" + kind + "', 'p1', 'A')";
}

struct Collected {
  std::vector<int64_t> seqs;
  std::vector<std::string> tickets;
  std::vector<BadRow> bad;
  int batches = 0;
  std::function<void(EventBatch&&)> Sink() {
    return [this](EventBatch&& b) {
      ++batches;
      for (auto& e : b.events) {
        seqs.push_back(e.event.sequence);
        tickets.push_back(e.ticket);
      }
      for (auto& r : b.bad) bad.push_back(r);
    };
  }
};

}  // namespace

TEST_CASE("LoadReference reads partners, certifications and releases") {
  FreshSchema();
  Sql("INSERT INTO slamon.partners VALUES ('p1', 'One', '2026-01-10T00:00:00Z', "
      "'Europe/Berlin', "
      "'default'), ('p2', 'Two', '2026-01-10T00:00:00Z', 'Mars/Base', 'default');"
      "INSERT INTO slamon.certifications VALUES ('p1', 'e1', '2025-06-01T00:00:00Z');"
      "INSERT INTO slamon.releases VALUES ('backup', '24.2', '2026-12-15T00:00:00Z')");
  EventStore store("");
  REQUIRE(store.Connect().ok());
  ReferenceData data;
  Status status = store.LoadReference(&data);
  INFO(status.message());
  REQUIRE(status.ok());
  REQUIRE(data.partners.size() == 1);
  CHECK(data.partners[0].id == "p1");
  CHECK(data.partners[0].zone->name() == "Europe/Berlin");
  CHECK(FormatInstant(data.partners[0].contract_signed_at) == "2026-01-10T00:00:00Z");
  REQUIRE(data.problems.size() == 1);
  CHECK_THAT(data.problems[0], Catch::Contains("p2") && Catch::Contains("Mars/Base"));
  REQUIRE(data.certifications.size() == 1);
  CHECK(data.certifications[0].employee == "e1");
  REQUIRE(data.releases.size() == 1);
  CHECK(FormatInstant(data.releases[0].released_at) == "2026-12-15T00:00:00Z");
}

TEST_CASE("The full load streams the log in seq order, in batches") {
  FreshSchema();
  Sql("INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity, "
      "incidents, "
      "product, version) SELECT 'T-' || g, '2026-11-26T10:00:00.750Z', 'opened', 'p1', "
      "'B', 2, "
      "'backup', '24.1' FROM generate_series(1, 2500) g");
  EventStore store("");
  REQUIRE(store.Connect().ok());
  Collected got;
  Status status = store.LoadAllEvents(kNow, 1000, got.Sink());
  INFO(status.message());
  REQUIRE(status.ok());
  CHECK(got.batches == 3);
  REQUIRE(got.seqs.size() == 2500);
  CHECK(std::is_sorted(got.seqs.begin(), got.seqs.end()));
  EventBatch one;
  REQUIRE(store.LoadTicket("T-7", kNow, &one).ok());
  REQUIRE(one.events.size() == 1);
  const TicketEvent& e = one.events[0].event;
  CHECK(FormatInstant(e.at) == "2026-11-26T10:00:00Z");  // fractions truncated
  CHECK(e.partner == "p1");
  CHECK(e.severity == "B");
  CHECK(e.incidents == 2);
  CHECK(e.product == "backup");
  CHECK(e.version == "24.1");
}

TEST_CASE("LoadPartnerTickets reads every event of the partner's tickets, in seq order") {
  FreshSchema();
  Sql(Insert("T-1", "opened"));  // partner p1
  Sql("INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity) "
      "VALUES "
      "('T-2', '2026-11-26T10:00:00Z', 'opened', 'p2', 'A')");
  Sql(Insert("T-2", "responded"));  // names p1, but T-2 was opened for p2
  Sql(Insert("T-1", "responded"));
  Sql(Insert("T-3", "responded"));  // no opened row at all
  Sql("INSERT INTO slamon.ticket_events (ticket_id, at, kind) VALUES "
      "('T-1', '2026-11-26T10:00:00Z', 'bogus')");
  EventStore store("");
  REQUIRE(store.Connect().ok());
  EventBatch got;
  Status status = store.LoadPartnerTickets("p1", kNow, &got);
  INFO(status.message());
  REQUIRE(status.ok());
  REQUIRE(got.events.size() == 2);
  CHECK(got.events[0].ticket == "T-1");
  CHECK(got.events[0].event.kind == EventKind::kOpened);
  CHECK(got.events[1].ticket == "T-1");
  CHECK(got.events[1].event.kind == EventKind::kResponded);
  REQUIRE(got.bad.size() == 1);  // the bogus row of T-1, for the caller to report
  CHECK(got.bad[0].ticket == "T-1");
  EventBatch none;
  REQUIRE(store.LoadPartnerTickets("p9", kNow, &none).ok());
  CHECK(none.events.empty());
  CHECK(none.bad.empty());
}

TEST_CASE("Incremental reads deliver each new event once") {
  FreshSchema();
  Sql(Insert("T-1", "opened"));
  EventStore store("");
  REQUIRE(store.Connect().ok());
  Collected got;
  REQUIRE(store.LoadAllEvents(kNow, 100, got.Sink()).ok());
  CHECK(got.seqs.size() == 1);
  Sql(Insert("T-1", "responded"));
  Sql(Insert("T-2", "opened"));
  REQUIRE(store.ReadNewEvents(kNow, got.Sink()).ok());
  CHECK(got.seqs == std::vector<int64_t>{1, 2, 3});
  REQUIRE(store.ReadNewEvents(kNow, got.Sink()).ok());
  REQUIRE(store.ReadNewEvents(kNow, got.Sink()).ok());
  CHECK(got.seqs.size() == 3);  // nothing doubled
}

TEST_CASE(
    "Two transactions committing out of seq order: nothing missed, nothing doubled") {
  FreshSchema();
  EventStore store("");
  REQUIRE(store.Connect().ok());
  Collected got;
  REQUIRE(store.LoadAllEvents(kNow, 100, got.Sink()).ok());

  pqxx::connection slow_connection("");
  pqxx::work slow(slow_connection);
  slow.exec(Insert("T-slow", "opened"));  // takes seq 1, commits last
  Sql(Insert("T-fast", "opened"));        // seq 2, committed first
  REQUIRE(store.ReadNewEvents(kNow, got.Sink()).ok());
  CHECK(got.tickets == std::vector<std::string>{"T-fast"});
  slow.commit();
  REQUIRE(store.ReadNewEvents(kNow, got.Sink()).ok());
  CHECK(got.tickets == std::vector<std::string>{"T-fast", "T-slow"});
  REQUIRE(store.ReadNewEvents(kNow, got.Sink()).ok());
  CHECK(got.seqs.size() == 2);
  std::set<int64_t> unique(got.seqs.begin(), got.seqs.end());
  CHECK(unique.size() == 2);
}

TEST_CASE("An open transaction during the full load is read once it commits") {
  FreshSchema();
  Sql(Insert("T-1", "opened"));
  pqxx::connection slow_connection("");
  pqxx::work slow(slow_connection);
  slow.exec(Insert("T-during-load", "opened"));
  EventStore store("");
  REQUIRE(store.Connect().ok());
  Collected got;
  REQUIRE(store.LoadAllEvents(kNow, 100, got.Sink()).ok());
  CHECK(got.tickets == std::vector<std::string>{"T-1"});
  slow.commit();
  REQUIRE(store.ReadNewEvents(kNow, got.Sink()).ok());
  CHECK(got.tickets == std::vector<std::string>{"T-1", "T-during-load"});
}

TEST_CASE("A row the load read behind an older open transaction is not read again") {
  // T-slow's transaction starts first (older xid, so the load snapshot's
  // xmin) and commits after the load; T-later's commits before the load with
  // a newer xid, at or after that xmin. The load reads T-later and must
  // remember its xid (the load asks for xid only at or after the xmin);
  // the next read, which rescans from the xmin, delivers only T-slow.
  FreshSchema();
  pqxx::connection slow_connection("");
  pqxx::work slow(slow_connection);
  slow.exec(Insert("T-slow", "opened"));
  Sql(Insert("T-later", "opened"));
  EventStore store("");
  REQUIRE(store.Connect().ok());
  Collected got;
  REQUIRE(store.LoadAllEvents(kNow, 100, got.Sink()).ok());
  CHECK(got.tickets == std::vector<std::string>{"T-later"});
  slow.commit();
  REQUIRE(store.ReadNewEvents(kNow, got.Sink()).ok());
  CHECK(got.tickets == std::vector<std::string>{"T-later", "T-slow"});
  REQUIRE(store.ReadNewEvents(kNow, got.Sink()).ok());
  CHECK(got.seqs.size() == 2);
}

TEST_CASE("A notification wakes Wait; one arriving during a read is not lost") {
  FreshSchema();
  EventStore store("");
  REQUIRE(store.Connect().ok());
  Collected got;
  REQUIRE(store.LoadAllEvents(kNow, 100, got.Sink()).ok());
  Notifications woke;
  REQUIRE(store.Wait(std::chrono::milliseconds(50), &woke).ok());
  CHECK_FALSE(woke.events);
  Sql(Insert("T-1", "opened"));
  REQUIRE(store.Wait(std::chrono::milliseconds(5000), &woke).ok());
  CHECK(woke.events);
  // A commit that lands while the store is busy reading is still announced.
  Sql(Insert("T-2", "opened"));
  REQUIRE(store.ReadNewEvents(kNow, got.Sink()).ok());
  Sql(Insert("T-3", "opened"));
  REQUIRE(store.Wait(std::chrono::milliseconds(5000), &woke).ok());
  CHECK(woke.events);
  REQUIRE(store.ReadNewEvents(kNow, got.Sink()).ok());
  CHECK(got.tickets == std::vector<std::string>{"T-1", "T-2", "T-3"});
  Sql("INSERT INTO slamon.releases VALUES ('backup', '25.1', now())");
  // The notice of T-3 may still be on its way and wake the next Wait first.
  bool reference = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!reference && std::chrono::steady_clock::now() < deadline) {
    REQUIRE(store.Wait(std::chrono::milliseconds(100), &woke).ok());
    reference = woke.reference;
  }
  CHECK(reference);
}

TEST_CASE("NULLs and bad rows become BadRows with a reason, the rest is delivered") {
  FreshSchema();
  Sql("INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity, "
      "incidents) VALUES "
      "('T-1', '2026-11-26T10:00:00Z', 'opened', 'p1', 'A', NULL),"
      "('T-2', '2026-11-26T10:00:00Z', 'answered', NULL, NULL, NULL),"
      "('T-3', '2026-11-26T10:00:00Z', 'opened', NULL, 'A', NULL),"
      "('T-4', '2030-01-01T00:00:00Z', 'responded', NULL, NULL, NULL),"
      "('T-5', '2026-11-26T10:00:00Z', 'incidents', NULL, NULL, NULL),"
      "('', '2026-11-26T10:00:00Z', 'responded', NULL, NULL, NULL)");
  EventStore store("");
  REQUIRE(store.Connect().ok());
  Collected got;
  REQUIRE(store.LoadAllEvents(kNow, 100, got.Sink()).ok());
  CHECK(got.tickets == std::vector<std::string>{"T-1"});
  REQUIRE(got.bad.size() == 5);
  CHECK(got.bad[0].reason == RejectReason::kUnknownKind);
  CHECK_THAT(got.bad[0].message, Catch::Contains("seq 2") && Catch::Contains("T-2") &&
                                     Catch::Contains("answered"));
  CHECK(got.bad[1].reason == RejectReason::kBadField);
  CHECK_THAT(got.bad[1].message, Catch::Contains("partner_id"));
  CHECK(got.bad[2].reason == RejectReason::kFuture);
  CHECK(got.bad[3].reason == RejectReason::kBadField);
  CHECK(got.bad[4].reason == RejectReason::kBadField);
}

TEST_CASE("A lost connection is reported and Connect recovers") {
  FreshSchema();
  EventStore store("application_name=slamon_victim");
  REQUIRE(store.Connect().ok());
  Collected got;
  REQUIRE(store.LoadAllEvents(kNow, 100, got.Sink()).ok());
  Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
      "'slamon_victim'");
  Sql(Insert("T-1", "opened"));
  Status status = store.ReadNewEvents(kNow, got.Sink());
  CHECK_FALSE(status.ok());
  // libpq's reason, not pqxx's "Could not obtain client encoding: not
  // connected.": the server said why (as it does on a fast shutdown) while
  // the session was idle, which libpq passes to the notice processor only.
  CHECK_THAT(status.message(),
             Catch::StartsWith("lost the connection to the database: "));
  CHECK_THAT(
      status.message(),
      Catch::Contains("FATAL:  terminating connection due to administrator command"));
  CHECK(status.message().find('\n') == std::string::npos);
  CHECK_FALSE(store.Connected());
  REQUIRE(store.Connect().ok());
  REQUIRE(store.ReadNewEvents(kNow, got.Sink()).ok());
  CHECK(got.tickets == std::vector<std::string>{"T-1"});
}

TEST_CASE("A connection that cannot be made is reported with libpq's reason") {
  // Port 1 on loopback: nothing listens there (tcpmux is long gone), so the
  // kernel refuses the connection at once.
  EventStore store("host=127.0.0.1 port=1 connect_timeout=2");
  Status status = store.Connect();
  CHECK_FALSE(status.ok());
  CHECK_THAT(status.message(),
             Catch::Contains("connection to server at \"127.0.0.1\", port 1 failed: "
                             "Connection refused"));
  CHECK(status.message().find('\n') == std::string::npos);
  CHECK_FALSE(store.Connected());
}

TEST_CASE("An infinite time in any table is a bad row, never a failed read") {
  // Any feeder can write 'infinity'; casting it to bigint used to fail every
  // read of the log, so no later event was ever applied.
  FreshSchema();
  Sql("INSERT INTO slamon.partners VALUES ('p1', 'One', '2026-01-10T00:00:00Z', 'UTC', "
      "'default'), ('p2', 'Two', 'infinity', 'UTC', 'default');"
      "INSERT INTO slamon.certifications VALUES ('p1', 'e1', '-infinity'), "
      "('p1', 'e2', '2025-06-01T00:00:00Z');"
      "INSERT INTO slamon.releases VALUES ('backup', '24.2', 'infinity'), "
      "('backup', '24.1', '2026-06-01T00:00:00Z')");
  Sql(Insert("B-1", "opened"));
  Sql("INSERT INTO slamon.ticket_events (ticket_id, at, kind) VALUES "
      "('B-9', 'infinity', 'responded'), ('B-8', '-infinity', 'responded')");
  Sql(Insert("B-1", "responded"));
  EventStore store("");
  REQUIRE(store.Connect().ok());
  ReferenceData data;
  Status reference = store.LoadReference(&data);
  INFO(reference.message());
  REQUIRE(reference.ok());
  REQUIRE(data.partners.size() == 1);
  CHECK(data.certifications.size() == 1);
  CHECK(data.releases.size() == 1);
  CHECK(data.problems.size() == 3);

  Collected got;
  Status load = store.LoadAllEvents(kNow, 1000, got.Sink());
  INFO(load.message());
  REQUIRE(load.ok());
  CHECK(got.tickets == std::vector<std::string>{"B-1", "B-1"});
  REQUIRE(got.bad.size() == 2);
  CHECK(got.bad[0].ticket == "B-9");
  CHECK(got.bad[0].reason == RejectReason::kBadField);
  CHECK_THAT(got.bad[0].message, Catch::Contains("infinity"));
  CHECK(got.bad[1].ticket == "B-8");

  // Arriving after the load, the same rows do not stop incremental reads.
  Sql("INSERT INTO slamon.ticket_events (ticket_id, at, kind) VALUES "
      "('B-7', 'infinity', 'resolved')");
  Sql(Insert("B-2", "opened"));
  Collected next;
  Status read = store.ReadNewEvents(kNow, next.Sink());
  INFO(read.message());
  REQUIRE(read.ok());
  CHECK(next.tickets == std::vector<std::string>{"B-2"});
  REQUIRE(next.bad.size() == 1);
  CHECK(next.bad[0].ticket == "B-7");

  EventBatch one;
  REQUIRE(store.LoadTicket("B-9", kNow, &one).ok());
  CHECK(one.events.empty());
  CHECK(one.bad.size() == 1);
}
