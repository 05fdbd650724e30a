// Instants and durations: the units every SLA number is made of.
//
// An Instant is a point on the UTC time line at one-second resolution
// (fractions of a second in input are truncated toward the past). A Seconds
// value is a length of time. Both are plain std::chrono types, so arithmetic
// is exact integer arithmetic; nothing here reads the clock.
//
// Parsing returns a Result (base/status.h): the value, or an error whose
// message says what is wrong with the text, so callers can name its place.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace slamon {

using Seconds = std::chrono::seconds;
using Instant = std::chrono::sys_seconds;

// ISO 8601 / RFC 3339 date-time with an explicit offset:
// "2026-11-04T10:00:00Z", "2026-11-04T11:00:00.250+01:00", "2026-11-04 10:00:00+00".
// A time without offset is an error: its instant would depend on the reader.
// A five-digit year (10000 to 32767) is read too: FormatInstant writes one for
// a time computed past 9999, and what slamon prints parses back.
Result<Instant> ParseInstant(std::string_view text);

// 10000-01-01T00:00:00Z: input times (evaluate's lines, the push API) come
// before it, so a time computed from them (at most a century later) stays
// within the years FormatInstant writes and ParseInstant reads.
inline constexpr Instant kEndOfInputTimes{Seconds{253402300800}};

// "2026-11-04T10:00:00Z": UTC, whole seconds; "10000-01-30T22:00:00Z" past 9999.
std::string FormatInstant(Instant t);

// Prometheus duration syntax: one or more of <int><unit>, units y w d h m s ms,
// largest first ("1h30m", "15d", "90s"). Milliseconds must add up to whole
// seconds. "0" alone is zero. y = 365d, w = 7d, d = 24h.
Result<Seconds> ParseDuration(std::string_view text);

// A duration kept in two parts, as an SLA budget needs them (docs/design.md §2):
// whole days (units y w d, as 365, 7 and 1 days) and the time of the units
// h m s ms. "1d12h" is {1, 12h}; ParseDuration's value is days * 24h + time.
struct DaysAndTime {
  int64_t days = 0;
  Seconds time{0};
};
Result<DaysAndTime> ParseDaysAndTime(std::string_view text);

// `t` plus whole calendar months (years) on the UTC calendar, keeping the time
// of day; a day past the end of the target month clamps to its last day
// (2024-02-29 + 1 year = 2025-02-28).
Instant AddMonths(Instant t, int months);
Instant AddYears(Instant t, int years);

// The shortest Prometheus-style spelling of a duration ("1d4h", "0s").
std::string FormatDuration(Seconds d);

}  // namespace slamon
