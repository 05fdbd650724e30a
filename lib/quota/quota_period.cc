#include "quota/quota_period.h"

#include "calendar/local_date.h"

namespace slamon {

QuotaPeriod QuotaPeriodAt(Instant signed_at, const date::time_zone* zone, Instant t,
                          const QuotaRules& rules) {
  const Instant first_year_end = AddLocalYears(signed_at, 1, zone);
  const Instant unlimited_end =
      std::min(AddLocalDuration(signed_at, rules.unlimited_for, zone), first_year_end);
  if (t < unlimited_end) return {0, signed_at, unlimited_end, std::nullopt};
  if (t < first_year_end)
    return {1, unlimited_end, first_year_end, rules.first_year_incidents};
  // Contract years k >= 1 start at S + k local years; estimate k, then correct.
  int k = static_cast<int>((t - signed_at) / std::chrono::hours{24 * 366});
  if (k < 1) k = 1;
  while (AddLocalYears(signed_at, k + 1, zone) <= t) ++k;
  while (k > 1 && AddLocalYears(signed_at, k, zone) > t) --k;
  return {k + 1, AddLocalYears(signed_at, k, zone), AddLocalYears(signed_at, k + 1, zone),
          rules.yearly_incidents};
}

}  // namespace slamon
