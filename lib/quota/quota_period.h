// QuotaPeriod: the stretch of a partner's contract that an incident counts in.
//
// From the contract's signing S (docs/design.md §1 and §4, numbers from
// QuotaRules): period 0 is [S, S + unlimited_for), without limit; period 1 is
// [S + unlimited_for, S + 1y) with `first_year_incidents`; period k >= 2 is
// [S + (k-1)y, S + k·y) with `yearly_incidents`. Days and years are counted
// on the partner's local calendar (calendar/local_date.h): each boundary is at
// S's local wall-clock time, a 29 February anniversary falls on 28 February.
// An instant before S belongs to period 0.
#pragma once

#include <date/tz.h>

#include <optional>

#include "instant/instant.h"
#include "policy/policy.h"

namespace slamon {

struct QuotaPeriod {
  int index = 0;
  Instant start;
  Instant end;                    // exclusive
  std::optional<int> base_limit;  // std::nullopt: unlimited

  bool Contains(Instant t) const { return start <= t && t < end; }
  bool operator==(const QuotaPeriod&) const = default;
};

// `zone`: the partner's time zone (nullptr: UTC).
QuotaPeriod QuotaPeriodAt(Instant contract_signed_at, const date::time_zone* zone,
                          Instant t, const QuotaRules& rules);

// The index of the period a new-defect credit earned by a ticket opened in
// period `opened_period` counts for (docs/design.md §1): its own, or for a
// ticket of the unlimited period 0, the first limited period 1.
constexpr int CreditPeriodIndex(int opened_period) {
  return opened_period == 0 ? 1 : opened_period;
}

}  // namespace slamon
