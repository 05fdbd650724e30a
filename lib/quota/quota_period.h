// QuotaPeriod: the stretch of a partner's contract that an incident counts in.
//
// From the contract's signing S (DESIGN section 4, numbers from QuotaRules):
// period 0 is [S, S + unlimited_for), without limit; period 1 is
// [S + unlimited_for, S + 1y) with `first_year_incidents`; period k >= 2 is
// [S + (k-1)y, S + k·y) with `yearly_incidents`. Years are calendar years on
// the UTC calendar. An instant before S belongs to period 0.
#pragma once

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

QuotaPeriod QuotaPeriodAt(Instant contract_signed_at, Instant t, const QuotaRules& rules);

}  // namespace slamon
