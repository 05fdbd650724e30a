// Working-day budgets (Calendar::AddWorkingDays) checked against the published
// tests of a widely used business-time library: the Ruby gem business_time
// (repository bokmann/business_time on GitHub, read at commit
// a827dc1b9a74a8e052e6248331574a79d01b2c60). Its `N.business_days.after(time)`
// keeps the time of day, and rolls a time outside business hours forward to
// the next business hour, as docs/design.md §2 asks of a `d` budget.
//
// Each case below names the file and the line of its `it "..."` and quotes its
// name. Only the additions ("after"/"from_now") are transcribed: slamon never
// counts working days backwards.
//
//   [BD] test/test_business_days.rb          Time.parse: the machine's zone; taken
//                                             here as UTC.
//   [BE] test/test_business_days_eastern.rb  Time.zone = 'Eastern Time (US &
//                                             Canada)', i.e. America/New_York.
//
// Translating business_time's configuration into a slamon Calendar: its
// default work week is Monday to Friday, beginning_of_workday 9:00 am and
// end_of_workday 5:00 pm, i.e. 09:00-17:00 on each of them; a holiday added to
// Config.holidays (reset after every test by test/helper.rb) is a dated
// Holiday. None of the expectations needed changing: where slamon's rule
// (roll the start forward, then count) and the gem's (count, then roll the
// result forward) differ in approach, these cases give the same instant, and
// the comment says why.
#include <date/tz.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "calendar/calendar.h"
#include "test_time.h"

using namespace slamon;
using slamon::testing::H;

namespace {

// business_time's defaults: Monday to Friday, 9:00 am to 5:00 pm, in `zone`.
Calendar BusinessTime(const char* zone, std::vector<Holiday> holidays = {}) {
  Calendar::Week week;
  for (int d = 0; d < 5; ++d) week[d] = {{H(9), H(17)}};
  return Calendar(date::locate_zone(zone), week, std::move(holidays));
}

// "YYYY-MM-DD HH:MM" on the wall clock of `zone` -> Instant (the times in these
// cases are unambiguous).
Instant Wall(const char* zone, const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  REQUIRE(std::sscanf(text.c_str(), "%4d-%2d-%2d %2d:%2d", &y, &mo, &d, &h, &mi) == 5);
  const date::local_seconds local =
      date::local_days{date::year{y} / date::month{static_cast<unsigned>(mo)} /
                       date::day{static_cast<unsigned>(d)}} +
      std::chrono::hours{h} + std::chrono::minutes{mi};
  return date::locate_zone(zone)->to_sys(local);
}

// Instant -> "YYYY-MM-DD HH:MM" on the wall clock of `zone`.
std::string WallText(const char* zone, const std::optional<Instant>& t) {
  if (!t) return "null";
  date::zoned_seconds z(date::locate_zone(zone), *t);
  return date::format("%Y-%m-%d %H:%M", z.get_local_time());
}

std::string After(const Calendar& c, const char* zone, int days,
                  const std::string& from) {
  return WallText(zone, c.AddWorkingDays(Wall(zone, from), days));
}

constexpr const char* kUtc = "UTC";
constexpr const char* kEastern = "America/New_York";

}  // namespace

// --- [BD] test/test_business_days.rb ------------------------------------------

TEST_CASE("business_time BD:6 should move to tomorrow if we add a business day",
          "[business_time]") {
  // Tue 13 Apr 2010 11:00 + 1 = Wed 14 Apr 11:00.
  CHECK(After(BusinessTime(kUtc), kUtc, 1, "2010-04-13 11:00") == "2010-04-14 11:00");
}

TEST_CASE("business_time BD:13 should take into account the weekend when adding a day",
          "[business_time]") {
  // Fri 9 Apr 2010 12:33 + 1 = Mon 12 Apr 12:33.
  CHECK(After(BusinessTime(kUtc), kUtc, 1, "2010-04-09 12:33") == "2010-04-12 12:33");
}

TEST_CASE(
    "business_time BD:20 should pick next working day when adding zero days on the "
    "weekend",
    "[business_time]") {
  // Sat 10 Apr 2010 12:33 + 0 = Mon 12 Apr 09:00: the design's zero budget, the first
  // working instant at or after the start.
  CHECK(After(BusinessTime(kUtc), kUtc, 0, "2010-04-10 12:33") == "2010-04-12 09:00");
}

TEST_CASE("business_time BD:34 should move forward one week when adding 5 business days",
          "[business_time]") {
  CHECK(After(BusinessTime(kUtc), kUtc, 5, "2010-04-09 12:33") == "2010-04-16 12:33");
}

TEST_CASE("business_time BD:41 should take into account a holiday when adding a day",
          "[business_time]") {
  // Holiday Mon 5 Jul 2010: Fri 2 Jul 16:50 + 1 = Tue 6 Jul 16:50.
  Calendar c = BusinessTime(kUtc, {Holiday{2010, 7, 5}});
  CHECK(After(c, kUtc, 1, "2010-07-02 16:50") == "2010-07-06 16:50");
}

TEST_CASE("business_time BD:50 should take into account a holiday on a weekend",
          "[business_time]") {
  // Holiday Sun 4 Jul 2010 (no working day lost): Fri 2 Jul 16:50 + 1 = Mon 5 Jul.
  Calendar c = BusinessTime(kUtc, {Holiday{2010, 7, 4}});
  CHECK(After(c, kUtc, 1, "2010-07-02 16:50") == "2010-07-05 16:50");
}

TEST_CASE(
    "business_time BD:59 should move to tuesday if we add one business day during a "
    "weekend",
    "[business_time]") {
  // Sat 10 Apr 2010 11:00 rolls forward to Mon 12 Apr 09:00; + 1 = Tue 13 Apr 09:00.
  CHECK(After(BusinessTime(kUtc), kUtc, 1, "2010-04-10 11:00") == "2010-04-13 09:00");
}

TEST_CASE(
    "business_time BD:66 should move to tuesday if we add one business day during a "
    "weekend outside normal business hours",
    "[business_time]") {
  CHECK(After(BusinessTime(kUtc), kUtc, 1, "2010-04-10 23:55") == "2010-04-13 09:00");
}

TEST_CASE(
    "business_time BD:73 should return a business hour when adding one business day "
    "from before business hours",
    "[business_time]") {
  // Wed 14 Oct 2015 01:54 rolls forward to Wed 09:00 (the gem instead counts to
  // Thu 01:54 and rolls that forward); + 1 = Thu 15 Oct 09:00 either way.
  CHECK(After(BusinessTime(kUtc), kUtc, 1, "2015-10-14 01:54") == "2015-10-15 09:00");
}

TEST_CASE(
    "business_time BD:94 should return a business hour when adding one business day "
    "from after business hours",
    "[business_time]") {
  // Wed 14 Oct 2015 21:54 rolls forward to Thu 09:00; + 1 = Fri 16 Oct 09:00 (the
  // gem: Thu 21:54, rolled forward to Fri 09:00).
  CHECK(After(BusinessTime(kUtc), kUtc, 1, "2015-10-14 21:54") == "2015-10-16 09:00");
}

TEST_CASE(
    "business_time BD:138 should take into account a holiday passed as an option when "
    "adding a day",
    "[business_time]") {
  Calendar c = BusinessTime(kUtc, {Holiday{2010, 7, 5}});
  CHECK(After(c, kUtc, 1, "2010-07-02 16:50") == "2010-07-06 16:50");
}

// --- [BE] test/test_business_days_eastern.rb ----------------------------------
// April and July 2010 are EDT (-4) throughout.

TEST_CASE("business_time BE:8 move to tomorrow if we add a business day",
          "[business_time]") {
  CHECK(After(BusinessTime(kEastern), kEastern, 1, "2010-04-13 11:00") ==
        "2010-04-14 11:00");
}

TEST_CASE("business_time BE:22 take into account the weekend when adding a day",
          "[business_time]") {
  CHECK(After(BusinessTime(kEastern), kEastern, 1, "2010-04-09 12:33") ==
        "2010-04-12 12:33");
}

TEST_CASE("business_time BE:36 move forward one week when adding 5 business days",
          "[business_time]") {
  CHECK(After(BusinessTime(kEastern), kEastern, 5, "2010-04-09 12:33") ==
        "2010-04-16 12:33");
}

TEST_CASE("business_time BE:50 take into account a holiday when adding a day",
          "[business_time]") {
  Calendar c = BusinessTime(kEastern, {Holiday{2010, 7, 5}});
  CHECK(After(c, kEastern, 1, "2010-07-02 16:50") == "2010-07-06 16:50");
}

TEST_CASE("business_time BE:59 take into account a holiday on a weekend",
          "[business_time]") {
  Calendar c = BusinessTime(kEastern, {Holiday{2010, 7, 4}});
  CHECK(After(c, kEastern, 1, "2010-07-02 16:50") == "2010-07-05 16:50");
}
