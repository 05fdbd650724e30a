// The tracker's compact per-ticket storage: CompactBytes, EventLog,
// TicketIndex and DeadlineSet, each against a plain standard container.
#include <catch2/catch.hpp>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "tracker/compact_bytes.h"
#include "tracker/deadline_set.h"
#include "tracker/event_log.h"
#include "tracker/ticket_index.h"

using namespace slamon;

namespace {
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
}  // namespace

TEST_CASE("CompactBytes keeps short strings inline and long ones on the heap") {
  CompactBytes<16> bytes;
  CHECK(bytes.empty());
  bytes.Assign("fifteen-chars-x");
  CHECK(bytes.view() == "fifteen-chars-x");
  CHECK_FALSE(bytes.OnHeap());
  bytes.Assign("sixteen-chars-xy");
  CHECK(bytes.view() == "sixteen-chars-xy");
  CHECK(bytes.OnHeap());
  bytes.Assign(std::string(1000, 'z'));
  CHECK(bytes.view() == std::string(1000, 'z'));
  CHECK(bytes.HeapBytes() >= 1000);
  bytes.Assign("T-1");
  CHECK(bytes.view() == "T-1");
  CHECK_FALSE(bytes.OnHeap());

  bytes.Assign("a ticket id longer than the inline room");
  CompactBytes<16> moved(std::move(bytes));
  CHECK(moved.view() == "a ticket id longer than the inline room");
  CHECK(bytes.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
  moved.Clear();
  CHECK(moved.empty());
  CHECK_FALSE(moved.OnHeap());
}

TEST_CASE("EventLog gives back exactly the events it was given, whatever their values") {
  std::vector<LoggedEvent> events = {
      {.at = 1'790'000'000,
       .sequence = 7,
       .kind = EventKind::kOpened,
       .incidents = 3,
       .severity = 2,
       .partner = 1,
       .product = 4,
       .version = 5},
      {.at = 1'790'000'600, .sequence = 3, .kind = EventKind::kResponded},
      {.at = kMin,
       .sequence = kMax,
       .kind = EventKind::kSeverity,
       .severity = UINT32_MAX},
      {.at = kMax, .sequence = kMin, .kind = EventKind::kIncidents, .incidents = -2},
      {.at = -1,
       .sequence = 0,
       .kind = EventKind::kOpened,
       .incidents = std::numeric_limits<int32_t>::min(),
       .severity = 0,
       .partner = UINT32_MAX,
       .product = 1u << 31,
       .version = 127},
      {.at = 0, .sequence = -5, .kind = EventKind::kNewDefect},
  };
  EventLog log;
  std::vector<LoggedEvent> decoded = {LoggedEvent{}};
  log.Decode(decoded);
  CHECK(decoded.empty());
  for (size_t n = 0; n <= events.size(); ++n) {
    std::vector<LoggedEvent> prefix(events.begin(),
                                    events.begin() + static_cast<std::ptrdiff_t>(n));
    log.Encode(prefix);
    log.Decode(decoded);
    CHECK(decoded == prefix);
  }
  // An opened event and a response, as a ticket starts, need no allocation.
  log.Encode(std::vector<LoggedEvent>(events.begin(), events.begin() + 2));
  CHECK(log.EncodedBytes() <= 23);
  CHECK(log.HeapBytes() == 0);
  log.Clear();
  CHECK(log.empty());
}

TEST_CASE(
    "TicketIndex finds every ticket it holds, through inserts, erases and prefetches") {
  std::vector<std::string> ids;  // slot -> id
  TicketIndex index([&](uint32_t slot) { return std::string_view(ids[slot]); });
  std::unordered_map<std::string, uint32_t> expected;
  std::mt19937_64 rng(42);
  auto random_id = [&] {
    // Short ids and long ones, from a small space so erased ids come back.
    std::string id = "T-" + std::to_string(rng() % 30000);
    if (rng() % 4 == 0) id += "-with-a-long-suffix-beyond-sixteen";
    return id;
  };
  index.Prefetch("T-1");  // on an empty index: touches nothing
  for (int step = 0; step < 200000; ++step) {
    std::string id = random_id();
    index.Prefetch(id);  // changes nothing
    auto it = expected.find(id);
    if (it == expected.end()) {
      auto slot = static_cast<uint32_t>(ids.size());
      ids.push_back(id);
      index.Insert(id, slot);
      expected.emplace(id, slot);
    } else if (rng() % 3 == 0) {
      REQUIRE(index.Erase(id));
      expected.erase(it);
    } else {
      REQUIRE(index.Find(id) == it->second);
    }
    REQUIRE(index.size() == expected.size());
  }
  for (const auto& [id, slot] : expected) REQUIRE(index.Find(id) == slot);
  CHECK_FALSE(index.Find("never-inserted"));
  CHECK_FALSE(index.Erase("never-inserted"));
}

TEST_CASE("InternEvent keeps what each kind carries and NameEvent gives it back") {
  NameTable names;
  TicketEvent opened;
  opened.at = Instant{Seconds{1700000000}};
  opened.kind = EventKind::kOpened;
  opened.sequence = 42;
  opened.partner = "acme";
  opened.severity = "critical";
  opened.product = "db";
  opened.version = "2.1";
  opened.incidents = 3;
  const LoggedEvent logged = InternEvent(opened, names);
  CHECK(logged.at == 1700000000);
  CHECK(logged.sequence == 42);
  // Interned in the order partner, severity, product, version: ids 0..3.
  CHECK(logged.partner == 0);
  CHECK(logged.severity == 1);
  CHECK(logged.product == 2);
  CHECK(logged.version == 3);
  CHECK(logged.incidents == 3);
  const TicketEvent back = NameEvent(logged, names);
  CHECK(back.at == opened.at);
  CHECK(back.sequence == 42);
  CHECK(back.partner == "acme");
  CHECK(back.version == "2.1");
  CHECK(back.incidents == 3);

  // A severity change carries only the severity, already interned: id 1.
  TicketEvent severity;
  severity.kind = EventKind::kSeverity;
  severity.severity = "critical";
  severity.partner = "ignored";  // not the kind's: neither interned nor kept
  const LoggedEvent logged_severity = InternEvent(severity, names);
  CHECK(logged_severity.severity == 1);
  CHECK(logged_severity.partner == 0);
  CHECK(NameEvent(logged_severity, names).severity == "critical");
  CHECK(NameEvent(logged_severity, names).partner.empty());
  CHECK(names.Intern("ignored") == 4);  // it was not interned before
}

TEST_CASE("DeadlineSet holds a multiset and answers its earliest value") {
  std::mt19937_64 rng(7);
  const int64_t now = 1'790'000'000;
  // Clustered values (many copies), spread ones, and far instants that cannot
  // be 32-bit offsets from their neighbours.
  auto random_value = [&]() -> int64_t {
    switch (rng() % 6) {
      case 0:
        return now + static_cast<int64_t>(rng() % 8) * 3600;
      case 1:
        return now - static_cast<int64_t>(rng() % 1000);
      case 2: {
        const int64_t far[] = {kMin,
                               kMin + 1,
                               kMax,
                               kMax - 1,
                               -now,
                               now << 12,
                               now + (int64_t{1} << 32),
                               now + (int64_t{1} << 32) - 1};
        return far[rng() % std::size(far)];
      }
      default:
        return now + static_cast<int64_t>(rng() % (90 * 86400));
    }
  };
  DeadlineSet set;
  std::multiset<int64_t> expected;
  CHECK_FALSE(set.Earliest());
  for (int step = 0; step < 300000; ++step) {
    if (expected.empty() || rng() % 100 < 55) {
      int64_t value = random_value();
      set.Insert(value);
      expected.insert(value);
    } else {
      // Erase a present value (mostly the earliest, as deadlines pass) or an absent one.
      int64_t value = rng() % 3 == 0 ? *expected.begin() : random_value();
      auto it = expected.find(value);
      REQUIRE(set.Erase(value) == (it != expected.end()));
      if (it != expected.end()) expected.erase(it);
    }
    REQUIRE(set.size() == expected.size());
    if (expected.empty()) {
      REQUIRE_FALSE(set.Earliest());
    } else {
      REQUIRE(set.Earliest() == *expected.begin());
    }
  }
  while (!expected.empty()) {
    REQUIRE(set.Earliest() == *expected.begin());
    REQUIRE(set.Erase(*expected.begin()));
    expected.erase(expected.begin());
  }
  CHECK(set.empty());
}

TEST_CASE("DeadlineSet counts past 65535 copies of one value") {
  DeadlineSet set;
  const int64_t release = 1'800'000'000;
  for (int i = 0; i < 200000; ++i) set.Insert(release);
  for (int i = 0; i < 1000; ++i) set.Insert(release + 1 + i);
  set.Insert(release - 5);
  CHECK(set.Earliest() == release - 5);
  REQUIRE(set.Erase(release - 5));
  for (int i = 0; i < 200000; ++i) {
    REQUIRE(set.Earliest() == release);
    REQUIRE(set.Erase(release));
  }
  CHECK_FALSE(set.Erase(release));
  CHECK(set.Earliest() == release + 1);
  CHECK(set.size() == 1000);
  CHECK(set.MemoryBytes() < 1000 * 8 + 1024);
}
