// ReportPeriod: the stretch of time a `slamon report` covers.
//
// Each end is given on the command line as a date (YYYY-MM-DD, a day in the
// partner's time zone) or an ISO 8601 instant with offset. The period is the
// half-open [from, to): a `--from` date starts at that day's 00:00, a `--to`
// date is included, so the period ends at 00:00 of the next day; an instant is
// taken as it is. Local midnights follow the zone's rules (a midnight skipped
// by a DST change is the instant of the change). Pure.
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <string_view>
#include <variant>

#include "instant/instant.h"

namespace slamon {

// One end as written: a local date or an instant.
using PeriodBound = std::variant<date::year_month_day, Instant>;

// "2026-11-01" or "2026-11-01T00:00:00Z"; anything else is an error saying so.
Result<PeriodBound> ParsePeriodBound(std::string_view text);

struct ReportPeriod {
  Instant from;
  Instant to;  // exclusive

  bool Contains(Instant t) const { return from <= t && t < to; }
  // The instant a report is evaluated at: `at`, but not after the period.
  Instant EvaluationInstant(Instant at) const { return std::min(to, at); }
};

// `zone` is the partner's time zone (nullptr: UTC). An empty or reversed
// period is an error.
Result<ReportPeriod> ResolvePeriod(const PeriodBound& from, const PeriodBound& to,
                                   const date::time_zone* zone);

}  // namespace slamon
