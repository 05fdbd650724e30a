// Calendar::AddWorkingDays: `d` budgets count working days at the same local
// wall-clock time (docs/design.md §2). Every expectation is worked out by hand in
// its comment from the zone's transitions, which are (tzdata, `zdump -v`):
//
//   Asia/Jerusalem   Fri 2026-03-27 02:00 IST (+2) -> 03:00 IDT (+3)
//   Europe/Berlin    Sun 2026-10-25 03:00 CEST (+2) -> 02:00 CET (+1)
//   Australia/Sydney Sun 2026-10-04 02:00 AEST (+10) -> 03:00 AEDT (+11)
//   America/Santiago Sun 2026-09-06 00:00 (-4) -> 01:00 (-3): 00:00-01:00 does
//                    not exist; Sat 2026-04-04 24:00 (-3) -> 23:00 (-4):
//                    23:00-24:00 that Saturday happens twice
//   Africa/Cairo     Thu 2026-10-29 24:00 EEST (+3) -> 23:00 EET (+2): a
//                    25-hour Thursday, a working day of an Egyptian week
//
// Day names: 2026-03-18 and 2026-04-08 are Wednesdays; 2026-10-20 a Tuesday;
// 2026-11-16 a Monday; 2026-10-03 a Saturday; 2026-10-28 a Wednesday.
#include <date/tz.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <vector>

#include "calendar/calendar.h"
#include "test_time.h"

using namespace slamon;
using slamon::testing::At;
using slamon::testing::H;
using slamon::testing::M;
using slamon::testing::Show;

namespace {

const date::time_zone* Zone(const char* name) { return date::locate_zone(name); }

std::string Text(const std::optional<Instant>& t) { return t ? Show(*t) : "null"; }

// Mon-Fri 08:00-13:00 and 14:00-18:00 in Berlin, holidays 2026-11-18 once and
// Dec 25 every year.
Calendar OfficeBerlin() {
  Calendar::Week week;
  for (int d = 0; d < 5; ++d) week[d] = {{H(8), H(13)}, {H(14), H(18)}};
  return Calendar(Zone("Europe/Berlin"), week,
                  {Holiday{2026, 11, 18}, Holiday{std::nullopt, 12, 25}});
}

// An Egyptian working week: Sunday to Thursday, whole days, in Cairo.
Calendar EgyptWeek() {
  Calendar::Week week;
  for (int d : {6, 0, 1, 2, 3}) week[d] = {{H(0), H(24)}};
  return Calendar(Zone("Africa/Cairo"), week, {});
}

}  // namespace

TEST_CASE(
    "Finding 1: 15 business days from Wednesday 10:00 end on a Wednesday at 10:00") {
  // Issue 11, finding 1. Asia/Jerusalem, opened Wed 2026-03-18 10:00 IST
  // (08:00Z). Business days after it: Thu 19 (1), Fri 20 (2), Mon 23-Fri 27
  // (3-7), Mon 30-Fri 3 Apr (8-12), Mon 6 (13), Tue 7 (14), Wed 8 (15). At 10:00
  // local, now IDT (+3): 2026-04-08T07:00Z. Friday 27 March lost an hour, so the
  // working time in between is 15 x 24 h - 1 h = 359 h (not 360 h, which would
  // end at 11:00 local).
  Calendar c = Calendar::BusinessDays(Zone("Asia/Jerusalem"));
  std::optional<Instant> due = c.AddWorkingDays(At("2026-03-18T08:00:00Z"), 15);
  CHECK(Text(due) == "2026-04-08T07:00:00Z");
  REQUIRE(due);
  CHECK(c.WorkingTime(At("2026-03-18T08:00:00Z"), *due) == H(359));
}

TEST_CASE("Finding 1: C's 30 days on 24x7 end at the same local time in Berlin") {
  // Opened Tue 2026-10-20 10:00 CEST (08:00Z); 30 days later is Thu 2026-11-19
  // 10:00, now CET (+1) = 09:00Z: 30 x 24 h + the hour Berlin gave back on
  // 25 October = 721 h (720 h would be 09:00 CET, an hour early).
  Calendar c = Calendar::AlwaysWorking(Zone("Europe/Berlin"));
  std::optional<Instant> due = c.AddWorkingDays(At("2026-10-20T08:00:00Z"), 30);
  CHECK(Text(due) == "2026-11-19T09:00:00Z");
  REQUIRE(due);
  CHECK(c.WorkingTime(At("2026-10-20T08:00:00Z"), *due) == H(721));
  // Working time still counts every second: AddWorkingTime is unchanged.
  CHECK(Text(c.AddWorkingTime(At("2026-10-20T08:00:00Z"), H(720))) ==
        "2026-11-19T08:00:00Z");
}

TEST_CASE("Working days south of the equator: Sydney starts summer time") {
  // 24x7: opened Sat 2026-10-03 10:00 AEST (00:00Z). 3 days later is Tue
  // 2026-10-06 10:00, now AEDT (+11) = 2026-10-05T23:00Z: 71 h of wall time.
  Calendar always = Calendar::AlwaysWorking(Zone("Australia/Sydney"));
  CHECK(Text(always.AddWorkingDays(At("2026-10-03T00:00:00Z"), 3)) ==
        "2026-10-05T23:00:00Z");

  // Office hours Mon-Fri 09:00-17:00: opened Sat 2026-10-03 22:00 AEST (12:00Z),
  // outside working time, so it rolls forward to Mon 5 Oct 09:00 AEDT (Sun
  // 22:00Z); 2 working days later: Wed 7 Oct 09:00 AEDT = 2026-10-06T22:00Z.
  Calendar::Week week;
  for (int d = 0; d < 5; ++d) week[d] = {{H(9), H(17)}};
  Calendar office(Zone("Australia/Sydney"), week, {});
  CHECK(Text(office.AddWorkingDays(At("2026-10-03T12:00:00Z"), 2)) ==
        "2026-10-06T22:00:00Z");
}

TEST_CASE("A wall time in a DST gap moves forward by the gap; a repeated one is first") {
  Calendar santiago = Calendar::AlwaysWorking(Zone("America/Santiago"));
  // Opened Sat 2026-09-05 00:30 (-4) = 04:30Z. One day later, Sun 6 Sep 00:30,
  // does not exist (00:00-01:00 is skipped): it moves forward by the gap's hour
  // to 01:30 (-3) = 04:30Z, so the day is 24 h of wall time, not 23 h 30 min
  // (which the transition instant, 01:00 = 04:00Z, would give).
  CHECK(Text(santiago.AddWorkingDays(At("2026-09-05T04:30:00Z"), 1)) ==
        "2026-09-06T04:30:00Z");
  // Opened Fri 2026-04-03 23:30 (-3) = 2026-04-04T02:30Z. One day later, Sat
  // 4 Apr 23:30, happens at -3 (02:30Z on the 5th) and again at -4 (03:30Z):
  // the first occurrence counts.
  CHECK(Text(santiago.AddWorkingDays(At("2026-04-04T02:30:00Z"), 1)) ==
        "2026-04-05T02:30:00Z");
}

TEST_CASE("A 25-hour working Thursday east of UTC counts as one working day") {
  // Cairo, Sunday-Thursday: opened Wed 2026-10-28 10:00 EEST (07:00Z). Working
  // days after it: Thu 29 (1; 25 h long), then Fri and Sat are off, Sun 1 Nov
  // (2). At 10:00, now EET (+2): 2026-11-01T08:00Z. Working time: Wed 10:00-24:00
  // 14 h + Thu 25 h + Sun 00:00-10:00 10 h = 49 h.
  Calendar c = EgyptWeek();
  std::optional<Instant> due = c.AddWorkingDays(At("2026-10-28T07:00:00Z"), 2);
  CHECK(Text(due) == "2026-11-01T08:00:00Z");
  REQUIRE(due);
  CHECK(c.WorkingTime(At("2026-10-28T07:00:00Z"), *due) == H(49));
}

TEST_CASE("Working days skip holidays and roll a start outside working time forward") {
  Calendar office = OfficeBerlin();
  // Tue 2026-11-17 10:00 CET (09:00Z) + 1: Wed 18 is a holiday, so Thu 19 10:00
  // CET = 09:00Z.
  CHECK(Text(office.AddWorkingDays(At("2026-11-17T09:00:00Z"), 1)) ==
        "2026-11-19T09:00:00Z");
  // Mon 2026-11-16 13:30 CET (12:30Z) is the lunch break: it rolls forward to
  // 14:00, and 1 working day later is Tue 14:00 CET = 13:00Z.
  CHECK(Text(office.AddWorkingDays(At("2026-11-16T12:30:00Z"), 1)) ==
        "2026-11-17T13:00:00Z");
  // Thu 2026-12-24 12:00 CET (11:00Z) + 1: Fri 25 Dec is the yearly holiday,
  // Sat and Sun are off, so Mon 28 Dec 12:00 CET = 11:00Z.
  CHECK(Text(office.AddWorkingDays(At("2026-12-24T11:00:00Z"), 1)) ==
        "2026-12-28T11:00:00Z");
}

TEST_CASE("A deadline whose wall time is not working time rolls forward") {
  // Berlin: Monday 08:00-18:00, Tuesday 10:00-18:00. Opened Mon 2026-11-16 08:30
  // CET (07:30Z); 1 working day later is Tue 08:30, before Tuesday's opening, so
  // the deadline rolls forward to Tue 10:00 CET = 09:00Z.
  Calendar::Week week;
  week[0] = {{H(8), H(18)}};
  week[1] = {{H(10), H(18)}};
  Calendar c(Zone("Europe/Berlin"), week, {});
  CHECK(Text(c.AddWorkingDays(At("2026-11-16T07:30:00Z"), 1)) == "2026-11-17T09:00:00Z");
}

TEST_CASE("A zero budget is due at the first working instant at or after the start") {
  Calendar office = OfficeBerlin();
  // Sat 2026-11-21 12:00 CET (11:00Z): the next working instant is Mon 23 Nov
  // 08:00 CET = 07:00Z, for 0 days and for 0 s of working time alike.
  CHECK(Text(office.AddWorkingDays(At("2026-11-21T11:00:00Z"), 0)) ==
        "2026-11-23T07:00:00Z");
  CHECK(Text(office.AddWorkingTime(At("2026-11-21T11:00:00Z"), Seconds{0})) ==
        "2026-11-23T07:00:00Z");
  CHECK(Text(office.NextWorkingInstant(At("2026-11-21T11:00:00Z"))) ==
        "2026-11-23T07:00:00Z");
  // Inside working time it is the start itself: Mon 2026-11-23 09:15 CET.
  CHECK(Text(office.AddWorkingDays(At("2026-11-23T08:15:00Z"), 0)) ==
        "2026-11-23T08:15:00Z");
  // 13:00 is a closing time (end exclusive): the lunch break rolls to 14:00.
  CHECK(Text(office.NextWorkingInstant(At("2026-11-23T12:00:00Z"))) ==
        "2026-11-23T13:00:00Z");
}

TEST_CASE(
    "Long spans of working days jump whole weeks and agree with one day at a time") {
  // 260 business days from Wed 2026-01-07 10:00 CET (09:00Z) on business-days
  // in Berlin, no holidays: 52 weeks of 5 = 364 days later, Wed 2027-01-06 10:00
  // CET = 09:00Z (DST came and went in between; the wall time stays).
  Calendar business = Calendar::BusinessDays(Zone("Europe/Berlin"));
  CHECK(Text(business.AddWorkingDays(At("2026-01-07T09:00:00Z"), 260)) ==
        "2027-01-06T09:00:00Z");

  // On a calendar whose working days all have the same hours, N days at once
  // equal N steps of one day from a start inside working time (the wall time
  // never needs to roll). Deterministic pseudo-random starts and counts.
  Calendar office = OfficeBerlin();
  uint64_t state = 20261203;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (int i = 0; i < 200; ++i) {
    Instant from = At("2026-01-05T07:00:00Z") + Seconds{next() % (2 * 365 * 86400)};
    std::optional<Instant> start = office.NextWorkingInstant(from);
    REQUIRE(start);
    const int64_t days = static_cast<int64_t>(next() % 60);
    std::optional<Instant> stepped = start;
    for (int64_t d = 0; d < days && stepped; ++d)
      stepped = office.AddWorkingDays(*stepped, 1);
    INFO("from " << Show(*start) << " + " << days << " working days");
    CHECK(Text(office.AddWorkingDays(*start, days)) == Text(stepped));
  }
}

TEST_CASE("A calendar without working days has no deadline") {
  Calendar never(Zone("Europe/Berlin"), Calendar::Week{}, {});
  CHECK_FALSE(never.AddWorkingDays(At("2026-11-16T07:30:00Z"), 1));
  CHECK_FALSE(never.NextWorkingInstant(At("2026-11-16T07:30:00Z")));
}
