#include "instant/instant.h"

#include <catch2/catch.hpp>

#include "test_time.h"

using namespace slamon;
using slamon::testing::At;

TEST_CASE("ParseInstant reads RFC 3339 with offsets and truncates fractions") {
  CHECK(FormatInstant(At("2026-11-04T10:00:00Z")) == "2026-11-04T10:00:00Z");
  CHECK(FormatInstant(At("2026-11-04T11:00:00+01:00")) == "2026-11-04T10:00:00Z");
  CHECK(FormatInstant(At("2026-11-04T05:30:00-04:30")) == "2026-11-04T10:00:00Z");
  CHECK(FormatInstant(At("2026-11-04 10:00:00.999+00")) == "2026-11-04T10:00:00Z");
  CHECK(FormatInstant(At("2026-11-04T10:00Z")) == "2026-11-04T10:00:00Z");
  CHECK(FormatInstant(At("2024-12-31T24:00:00Z")) == "2025-01-01T00:00:00Z");
}

TEST_CASE("ParseInstant refuses a time without offset and says why") {
  auto no_offset = ParseInstant("2026-11-04T10:00:00");
  CHECK_FALSE(no_offset);
  CHECK_THAT(no_offset.error(), Catch::Contains("no UTC offset"));
  CHECK_FALSE(ParseInstant("2026-11-04"));
  CHECK_FALSE(ParseInstant("2026-02-30T10:00:00Z"));
  CHECK_FALSE(ParseInstant("2026-11-04T25:00:00Z"));
  CHECK_FALSE(ParseInstant("yesterday"));
  CHECK_FALSE(ParseInstant("2026-11-04T10:00:00Zjunk"));
}

TEST_CASE("A time past the year 9999 is printed with its year and parsed back") {
  // A deadline 30 days after 9999-12-31T22:00:00Z: 2 h of 9999, then 30 days
  // of January 10000 less those 2 h -> 10000-01-30T22:00:00Z.
  const Instant deadline = At("9999-12-31T22:00:00Z") + std::chrono::hours(24 * 30);
  CHECK(FormatInstant(deadline) == "10000-01-30T22:00:00Z");
  auto back = ParseInstant("10000-01-30T22:00:00Z");
  REQUIRE(back);
  CHECK(*back == deadline);
  // date's calendar ends at 32767: no wrapped year is read.
  CHECK_FALSE(ParseInstant("40000-01-01T00:00:00Z"));
  CHECK_FALSE(ParseInstant("100000-01-01T00:00:00Z"));
  CHECK_FALSE(ParseInstant("999-01-01T00:00:00Z"));
}

TEST_CASE("ParseDuration takes Prometheus durations") {
  CHECK(*ParseDuration("90s") == Seconds{90});
  CHECK(*ParseDuration("30m") == Seconds{1800});
  CHECK(*ParseDuration("4h") == Seconds{14400});
  CHECK(*ParseDuration("1d") == Seconds{86400});
  CHECK(*ParseDuration("1h30m") == Seconds{5400});
  CHECK(*ParseDuration("2w") == Seconds{14 * 86400});
  CHECK(*ParseDuration("1y") == Seconds{365 * 86400});
  CHECK(*ParseDuration("2000ms") == Seconds{2});
  CHECK(*ParseDuration("0") == Seconds{0});
}

TEST_CASE("ParseDuration refuses what Prometheus refuses, naming the problem") {
  CHECK_THAT(ParseDuration("4x").error(), Catch::Contains("unknown unit"));
  CHECK_THAT(ParseDuration("30m1h").error(), Catch::Contains("largest to smallest"));
  CHECK_THAT(ParseDuration("1500ms").error(), Catch::Contains("whole number of seconds"));
  CHECK_FALSE(ParseDuration(""));
  CHECK_FALSE(ParseDuration("-1h"));
  CHECK_FALSE(ParseDuration("h"));
}

TEST_CASE("FormatDuration writes the shortest spelling") {
  CHECK(FormatDuration(Seconds{0}) == "0s");
  CHECK(FormatDuration(Seconds{5400}) == "1h30m");
  CHECK(FormatDuration(Seconds{15 * 86400}) == "15d");
}
