// Local-calendar arithmetic (calendar/local_date.h, docs/design.md §1). Every
// expectation is worked out by hand in its comment from the zone's offsets:
// Asia/Tokyo is +09:00 all year; Australia/Sydney +11:00 (AEDT) until the
// first Sunday of April, +10:00 (AEST) until the first Sunday of October;
// Europe/Berlin +01:00/+02:00, changing on the last Sundays of March and
// October at 01:00Z; America/Los_Angeles -08:00/-07:00, from the second
// Sunday of March (2026-03-08).
#include "calendar/local_date.h"

#include <random>
#include <vector>

#include "test_time.h"

using namespace slamon;
using slamon::testing::At;
using slamon::testing::Show;

namespace {

const date::time_zone* Zone(const char* name) { return date::locate_zone(name); }

}  // namespace

TEST_CASE("Issue 11 finding 2: a Tokyo contract year starts on 1 March local") {
  // Signed 2023-03-01 00:00 JST = 2023-02-28T15:00Z. One local year later is
  // 2024-03-01 00:00 JST = 2024-02-29T15:00Z. (On UTC dates it would be
  // 2024-02-28T15:00Z, i.e. 29 February 00:00 in Tokyo: the bug.)
  const Instant signed_at = At("2023-03-01T00:00:00+09:00");
  CHECK(Show(AddLocalYears(signed_at, 1, Zone("Asia/Tokyo"))) == "2024-02-29T15:00:00Z");
  CHECK(Show(AddLocalYears(signed_at, 1, nullptr)) == "2024-02-28T15:00:00Z");
}

TEST_CASE("Issue 11 finding 2: Tokyo certification lasts to 1 September local") {
  // Passed 2025-03-01 00:00 JST = 2025-02-28T15:00Z; 18 local months later is
  // 2026-09-01 00:00 JST = 2026-08-31T15:00Z (UTC dates: 2026-08-28T15:00Z,
  // 29 August in Tokyo).
  const Instant passed = At("2025-03-01T00:00:00+09:00");
  CHECK(Show(AddLocalMonths(passed, 18, Zone("Asia/Tokyo"))) == "2026-08-31T15:00:00Z");
}

TEST_CASE("A 29 February contract in Sydney: its anniversaries and DST") {
  const date::time_zone* sydney = Zone("Australia/Sydney");
  // Signed 2024-02-29 10:00 AEDT (+11) = 2024-02-28T23:00Z.
  const Instant signed_at = At("2024-02-29T10:00:00+11:00");
  // + 1 year: 2025 has no 29 February -> 2025-02-28 10:00 AEDT = 2025-02-27T23:00Z.
  CHECK(Show(AddLocalYears(signed_at, 1, sydney)) == "2025-02-27T23:00:00Z");
  // + 4 years: 2028-02-29 10:00 AEDT = 2028-02-28T23:00Z.
  CHECK(Show(AddLocalYears(signed_at, 4, sydney)) == "2028-02-28T23:00:00Z");
  // + 6 months: 2024-08-29 10:00 AEST (+10, winter) = 2024-08-29T00:00Z;
  // UTC months would give 2024-08-28T23:00Z, 09:00 local, an hour early.
  CHECK(Show(AddLocalMonths(signed_at, 6, sydney)) == "2024-08-29T00:00:00Z");
  // + 30 days: 2024-03-30 10:00 AEDT (DST ends 2024-04-07) = 2024-03-29T23:00Z.
  CHECK(Show(AddLocalDays(signed_at, 30, sydney)) == "2024-03-29T23:00:00Z");
}

TEST_CASE("A day past the end of the target month becomes its last day") {
  // 2026-01-31 12:00 UTC + 1 month: February 2026 has 28 days.
  CHECK(Show(AddLocalMonths(At("2026-01-31T12:00:00Z"), 1, nullptr)) ==
        "2026-02-28T12:00:00Z");
  // Auckland 2024-01-31 00:00 NZDT (+13) = 2024-01-30T11:00Z; + 1 month is
  // 2024-02-29 00:00 NZDT (leap year) = 2024-02-28T11:00Z.
  CHECK(Show(AddLocalMonths(At("2024-01-31T00:00:00+13:00"), 1,
                            Zone("Pacific/Auckland"))) == "2024-02-28T11:00:00Z");
}

TEST_CASE("Local days keep the wall-clock time across DST") {
  const date::time_zone* berlin = Zone("Europe/Berlin");
  // 2026-03-28 10:00 CET = 09:00Z; + 1 day = 2026-03-29 10:00 CEST = 08:00Z (23 h).
  CHECK(Show(AddLocalDays(At("2026-03-28T09:00:00Z"), 1, berlin)) ==
        "2026-03-29T08:00:00Z");
  // 2026-10-24 10:00 CEST = 08:00Z; + 1 day = 2026-10-25 10:00 CET = 09:00Z (25 h).
  CHECK(Show(AddLocalDays(At("2026-10-24T08:00:00Z"), 1, berlin)) ==
        "2026-10-25T09:00:00Z");
  // Los Angeles 2026-03-01 09:00 PST = 17:00Z; + 30d as a contract duration
  // is 2026-03-31 09:00 PDT = 16:00Z, 30 days less an hour of elapsed time.
  const Instant start = At("2026-03-01T09:00:00-08:00");
  const Instant end =
      AddLocalDuration(start, Seconds{30 * 86400}, Zone("America/Los_Angeles"));
  CHECK(Show(end) == "2026-03-31T16:00:00Z");
  CHECK(end - start == Seconds{30 * 86400 - 3600});
  // A duration that is not whole days: 1d + 90 minutes of elapsed time.
  CHECK(Show(AddLocalDuration(At("2026-03-28T09:00:00Z"), Seconds{86400 + 5400},
                              berlin)) == "2026-03-29T09:30:00Z");
}

TEST_CASE(
    "A wall time in a DST gap moves forward by the gap; a repeated one is the first") {
  const date::time_zone* berlin = Zone("Europe/Berlin");
  using date::local_days;
  using std::chrono::hours;
  using std::chrono::minutes;
  using namespace date::literals;
  // 2026-03-29 02:30 does not exist in Berlin (02:00 CET -> 03:00 CEST): it
  // moves forward by the hour to 03:30 CEST = 01:30Z.
  CHECK(Show(LocalToInstant(
            local_days{2026_y / date::March / 29} + hours{2} + minutes{30}, berlin)) ==
        "2026-03-29T01:30:00Z");
  // 2026-10-25 02:30 occurs twice (CEST, then CET): the first is 00:30Z.
  CHECK(Show(LocalToInstant(
            local_days{2026_y / date::October / 25} + hours{2} + minutes{30}, berlin)) ==
        "2026-10-25T00:30:00Z");
  // Sydney 2026-10-04 02:30 is in the gap (02:00 AEST -> 03:00 AEDT): 03:30
  // AEDT (+11) = 2026-10-03T16:30Z.
  CHECK(
      Show(LocalToInstant(local_days{2026_y / date::October / 4} + hours{2} + minutes{30},
                          Zone("Australia/Sydney"))) == "2026-10-03T16:30:00Z");
  // A day added onto a gap: 2026-03-28 02:30 CET (01:30Z) + 1 day -> 03:30 CEST.
  CHECK(Show(AddLocalDays(At("2026-03-28T01:30:00Z"), 1, berlin)) ==
        "2026-03-29T01:30:00Z");
}

TEST_CASE("CompareWithLocalMonths agrees with AddLocalMonths everywhere") {
  // The fast bounds (28 to 31 days a month, a margin of days) must never
  // decide differently from the exact local calendar: random instants near
  // and far from the month boundary, in zones with DST north and south, a
  // zone that skipped a whole day (Pacific/Apia, 2011-12-30) and UTC.
  std::mt19937_64 random(20261203);
  const std::vector<const date::time_zone*> zones = {nullptr,
                                                     Zone("Europe/Berlin"),
                                                     Zone("Australia/Sydney"),
                                                     Zone("Pacific/Apia"),
                                                     Zone("America/Sao_Paulo"),
                                                     Zone("Asia/Kolkata")};
  const Instant from0 = At("2008-01-01T00:00:00Z");
  for (int i = 0; i < 20000; ++i) {
    const date::time_zone* zone = zones[random() % zones.size()];
    const int months = static_cast<int>(random() % 30);
    const Instant from =
        from0 + Seconds{static_cast<int64_t>(random() % (20LL * 365 * 86400))};
    const Instant end = AddLocalMonths(from, months, zone);
    // Near the end (within two days) or anywhere in the months around it.
    const int64_t spread = random() % 2 == 0 ? 2 * 86400 : 40LL * 86400 * (months + 1);
    const Instant t =
        end + Seconds{static_cast<int64_t>(random() % static_cast<uint64_t>(2 * spread)) -
                      spread};
    INFO("from " << Show(from) << " + " << months << " months, t " << Show(t));
    CHECK((CompareWithLocalMonths(t, from, months, zone) == (t <=> end)));
  }
  // Exactly at the end: equal.
  const Instant passed = At("2025-03-01T00:00:00+09:00");
  CHECK(CompareWithLocalMonths(At("2026-08-31T15:00:00Z"), passed, 18,
                               Zone("Asia/Tokyo")) == std::strong_ordering::equal);
}
