#include "quota/quota_period.h"

namespace slamon {

QuotaPeriod QuotaPeriodAt(Instant signed_at, Instant t, const QuotaRules& rules) {
  Instant first_year_end = AddYears(signed_at, 1);
  Instant unlimited_end = std::min(signed_at + rules.unlimited_for, first_year_end);
  if (t < unlimited_end) return {0, signed_at, unlimited_end, std::nullopt};
  if (t < first_year_end)
    return {1, unlimited_end, first_year_end, rules.first_year_incidents};
  // Contract years k >= 1 start at S + k years; estimate k, then correct.
  int k = static_cast<int>((t - signed_at) / std::chrono::hours{24 * 366});
  if (k < 1) k = 1;
  while (AddYears(signed_at, k + 1) <= t) ++k;
  while (AddYears(signed_at, k) > t) --k;
  return {k + 1, AddYears(signed_at, k), AddYears(signed_at, k + 1),
          rules.yearly_incidents};
}

}  // namespace slamon
