// Local-calendar arithmetic: days, months and years counted on the dates of a
// time zone, not on UTC dates (docs/design.md §1, "contract arithmetic").
//
// Each function reads `t` as a local date and wall-clock time in `zone`,
// moves the date, keeps the wall-clock time and turns the result back into an
// instant with LocalToInstant. A date that the target month lacks (29, 30 or
// 31 past its end) becomes that month's last day: 2024-02-29 + 1 year is
// 2025-02-28, 2026-01-31 + 1 month is 2026-02-28.
//
// So a Tokyo contract signed 2023-03-01 00:00 local has its next contract year
// start on 2024-03-01 00:00 local (2024-02-29T15:00Z), where UTC dates would
// give 2024-02-29 00:00 local; and "1 day" across a DST change is 23 or 25 h.
//
// `zone` nullptr means UTC. Pure functions of their arguments; thread-safe.
#pragma once

#include <date/tz.h>

#include <compare>

#include "instant/instant.h"

namespace slamon {

// The instant a local wall-clock time names in `zone` (docs/design.md §2): a
// time that does not exist (a DST gap) moves forward by the gap's length
// (02:30 in a 02:00-03:00 gap is 03:30); one that occurs twice means its
// first occurrence.
Instant LocalToInstant(date::local_seconds local, const date::time_zone* zone);

// `t` as a local date and time in `zone`.
date::local_seconds ToLocal(Instant t, const date::time_zone* zone);

// `t` plus whole local days, months or years (negative: back), at the same
// wall-clock time.
Instant AddLocalDays(Instant t, int days, const date::time_zone* zone);
Instant AddLocalMonths(Instant t, int months, const date::time_zone* zone);
Instant AddLocalYears(Instant t, int years, const date::time_zone* zone);

// `t <=> AddLocalMonths(from, months, zone)`, without a time zone look-up
// when `t` is clearly before or after (whole months last 28 to 31 days; a
// margin of days covers DST changes and zones that skipped or repeated a
// day). For hot paths that only compare, such as "is a certification still
// valid at t" or "was a release out for more than N months".
std::strong_ordering CompareWithLocalMonths(Instant t, Instant from, int months,
                                            const date::time_zone* zone);

// `t` plus a contract duration such as `unlimited_for`: its whole days as
// local days (AddLocalDays), the rest as elapsed time. 30d from 10:00 local
// ends at 10:00 local, whatever DST did in between.
Instant AddLocalDuration(Instant t, Seconds duration, const date::time_zone* zone);

}  // namespace slamon
