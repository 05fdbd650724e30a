// Calendar arithmetic: worked examples computed by hand in the comments.
#include "calendar/calendar.h"

#include <catch2/catch.hpp>

#include "calendar/calendar_set.h"
#include "test_time.h"

using namespace slamon;
using slamon::testing::At;
using slamon::testing::H;
using slamon::testing::M;
using slamon::testing::Show;

namespace {

// Mon-Fri 08:00-13:00 and 14:00-18:00 (9 h a day), Europe/Berlin,
// holidays 2026-11-18 once and Dec 25 every year.
Calendar OfficeBerlin() {
  Calendar::Week week;
  for (int d = 0; d < 5; ++d) week[d] = {{H(8), H(13)}, {H(14), H(18)}};
  return Calendar(date::locate_zone("Europe/Berlin"), week,
                  {Holiday{2026, 11, 18}, Holiday{std::nullopt, 12, 25}});
}

}  // namespace

TEST_CASE("24x7 counts every second") {
  Calendar c = Calendar::AlwaysWorking();
  CHECK(c.WorkingTime(At("2026-11-04T10:00:00Z"), At("2026-11-05T10:00:00Z")) == H(24));
  CHECK(Show(*c.AddWorkingTime(At("2026-11-04T10:00:00Z"), H(4))) ==
        "2026-11-04T14:00:00Z");
}

TEST_CASE("A start outside working time rolls forward to the next opening") {
  Calendar c = OfficeBerlin();
  // Sat 2026-11-07 10:00 CET -> Mon 09 08:00 CET (07:00Z); 1 h later 08:00Z.
  CHECK(Show(*c.AddWorkingTime(At("2026-11-07T09:00:00Z"), H(1))) ==
        "2026-11-09T08:00:00Z");
  // At lunch (Mon 13:30 CET) -> 14:00 CET; 30 min -> 14:30 CET = 13:30Z.
  CHECK(Show(*c.AddWorkingTime(At("2026-11-09T12:30:00Z"), M(30))) ==
        "2026-11-09T13:30:00Z");
}

TEST_CASE("A budget that ends exactly at closing time has its deadline at closing time") {
  Calendar c = OfficeBerlin();
  // Mon 2026-11-09 08:00 CET + 9 h working = Mon 18:00 CET = 17:00Z, not Tue 08:00.
  CHECK(Show(*c.AddWorkingTime(At("2026-11-09T07:00:00Z"), H(9))) ==
        "2026-11-09T17:00:00Z");
  // Morning block ends 13:00 CET: 5 h from 08:00 is 13:00 CET = 12:00Z.
  CHECK(Show(*c.AddWorkingTime(At("2026-11-09T07:00:00Z"), H(5))) ==
        "2026-11-09T12:00:00Z");
}

TEST_CASE("Holidays once and every year are skipped") {
  Calendar c = OfficeBerlin();
  // Tue 2026-11-17 17:00 CET + 2 h: 1 h Tue, Wed 18th holiday, 1 h Thu -> Thu 09:00 CET.
  CHECK(Show(*c.AddWorkingTime(At("2026-11-17T16:00:00Z"), H(2))) ==
        "2026-11-19T08:00:00Z");
  // Thu 2027-12-23 + 18 h: Thu 9, Fri 24th 9 h (25th is a Saturday) -> Fri 18:00 CET.
  CHECK(Show(*c.AddWorkingTime(At("2027-12-23T07:00:00Z"), H(18))) ==
        "2027-12-24T17:00:00Z");
  // 2026-12-25 is a Friday holiday: Thu 24th 18:00 -> Mon 28th.
  CHECK(Show(*c.AddWorkingTime(At("2026-12-24T17:00:00Z"), H(1))) ==
        "2026-12-28T08:00:00Z");
  CHECK(c.WorkingTime(At("2026-11-16T00:00:00Z"), At("2026-11-21T00:00:00Z")) == H(36));
}

TEST_CASE(
    "Business days take the partner's zone; DST makes days as long as the wall clock") {
  Calendar berlin = Calendar::BusinessDays(date::locate_zone("Europe/Berlin"));
  // Wed 2026-11-04 11:00 CET + 15 business days = Wed 2026-11-25 11:00 CET = 10:00Z.
  CHECK(Show(*berlin.AddWorkingTime(At("2026-11-04T10:00:00Z"), H(15 * 24))) ==
        "2026-11-25T10:00:00Z");
  // 24x7-in-Berlin across spring forward (Sun 2026-03-29 02:00 -> 03:00 local):
  // Sat 28th 00:00 CET to Mon 30th 00:00 CEST is 47 wall hours.
  Calendar::Week all;
  for (auto& d : all) d = {{H(0), H(24)}};
  Calendar berlin_all(date::locate_zone("Europe/Berlin"), all, {});
  CHECK(berlin_all.WorkingTime(At("2026-03-27T23:00:00Z"), At("2026-03-29T22:00:00Z")) ==
        H(47));
  // Only Sundays 00:00-24:00: the fall-back Sunday 2026-10-25 is 25 hours long.
  Calendar::Week sundays;
  sundays[6] = {{H(0), H(24)}};
  Calendar berlin_sun(date::locate_zone("Europe/Berlin"), sundays, {});
  CHECK(berlin_sun.WorkingTime(At("2026-10-19T00:00:00Z"), At("2026-10-27T00:00:00Z")) ==
        H(25));
  CHECK(berlin_sun.WorkingTime(At("2026-03-23T00:00:00Z"), At("2026-03-31T00:00:00Z")) ==
        H(23));
}

TEST_CASE("A week without working time gives no deadline") {
  Calendar never(date::locate_zone("UTC"), Calendar::Week{}, {});
  CHECK_FALSE(never.AddWorkingTime(At("2026-11-04T10:00:00Z"), H(1)));
  CHECK(never.WorkingTime(At("2026-11-04T10:00:00Z"), At("2027-11-04T10:00:00Z")) ==
        H(0));
}

TEST_CASE("WorkingTime and AddWorkingTime agree") {
  Calendar c = OfficeBerlin();
  Instant from = At("2026-10-20T15:17:00Z");
  for (int minutes : {1, 59, 60, 299, 300, 301, 540, 541, 5000, 100000}) {
    auto deadline = c.AddWorkingTime(from, M(minutes));
    REQUIRE(deadline);
    CHECK(c.WorkingTime(from, *deadline) == M(minutes));
    CHECK(c.WorkingTime(from, *deadline - Seconds{1}) == M(minutes) - Seconds{1});
  }
}

TEST_CASE("CalendarSet resolves business-days and 24x7 in the partner's zone") {
  CalendarSet set;
  const Calendar* tokyo = set.Resolve("business-days", date::locate_zone("Asia/Tokyo"));
  REQUIRE(tokyo != nullptr);
  CHECK(tokyo->zone()->name() == "Asia/Tokyo");
  CHECK(set.Resolve("business-days", date::locate_zone("Asia/Tokyo")) == tokyo);
  // docs/design.md §2: 24x7 takes the partner's zone too (its days are local days).
  CHECK(set.Resolve("24x7", date::locate_zone("Asia/Tokyo"))->zone()->name() ==
        "Asia/Tokyo");
  CHECK(set.Resolve("24x7", nullptr)->zone()->name() == "UTC");  // unknown partner
  CHECK(set.Resolve("no-such-calendar", nullptr) == nullptr);
}

TEST_CASE(
    "Working time is additive and AddWorkingTime inverts it, across years, DST and "
    "holidays") {
  // Week skipping depends on where a walk starts; splitting a span at any
  // point must not change its total. Deterministic pseudo-random instants.
  Calendar c = OfficeBerlin();
  Calendar business = Calendar::BusinessDays(date::locate_zone("America/New_York"));
  uint64_t state = 12345;
  auto next = [&](int64_t range) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int64_t>((state >> 17) % static_cast<uint64_t>(range));
  };
  const Instant base = At("2025-01-01T00:00:00Z");
  for (const Calendar* cal : {&c, &business}) {
    for (int i = 0; i < 300; ++i) {
      Instant a = base + Seconds{next(3 * 365 * 86400)};
      Instant b = a + Seconds{next(400 * 86400)};
      Instant m = a + Seconds{next((b - a).count() + 1)};
      INFO(Show(a) << " " << Show(m) << " " << Show(b));
      CHECK(cal->WorkingTime(a, b) == cal->WorkingTime(a, m) + cal->WorkingTime(m, b));
      Seconds budget{1 + next(2000 * 3600)};
      auto deadline = cal->AddWorkingTime(a, budget);
      REQUIRE(deadline);
      CHECK(cal->WorkingTime(a, *deadline) == budget);
      CHECK(cal->IsWorking(*deadline - Seconds{1}));
    }
  }
}

TEST_CASE(
    "A partner's holiday calendar replaces the holidays of every calendar but 24x7") {
  CalendarSet set;
  const date::time_zone* berlin = date::locate_zone("Europe/Berlin");
  CalendarDefinition office{berlin, {}, {Holiday{std::nullopt, 12, 25}}};
  for (int d = 0; d < 5; ++d) office.week[d] = {{H(8), H(18)}};
  set.Define("office", office);
  set.Define("de", CalendarDefinition{nullptr, {}, {Holiday{2026, 11, 18}}});

  // Wed 2026-11-18 10:00 CET = 09:00Z; Fri 2026-12-25 10:00 CET = 09:00Z.
  const Instant nov18 = At("2026-11-18T09:00:00Z");
  const Instant dec25 = At("2026-12-25T09:00:00Z");
  const Calendar* own = set.Resolve("office", nullptr);
  CHECK(own->IsWorking(nov18));
  CHECK_FALSE(own->IsWorking(dec25));
  // With "de" its holidays are de's only: 18 Nov off, 25 Dec a working day.
  const Calendar* de = set.Resolve("office", nullptr, "de");
  CHECK(de != own);
  CHECK(set.Resolve("office", nullptr, "de") == de);  // built once
  CHECK_FALSE(de->IsWorking(nov18));
  CHECK(de->IsWorking(dec25));
  CHECK_FALSE(set.Resolve("business-days", berlin, "de")->IsWorking(nov18));
  // 24x7 is exempt: support runs every day.
  CHECK(set.Resolve("24x7", berlin, "de")->IsWorking(nov18));
  // An undefined holiday calendar: the calendar's own holidays.
  CHECK(set.Resolve("office", nullptr, "fr") == own);
}
