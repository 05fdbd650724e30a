#include "calendar/local_date.h"

namespace slamon {

Instant LocalToInstant(date::local_seconds local, const date::time_zone* zone) {
  if (zone == nullptr) return Instant{local.time_since_epoch()};
  // For a unique time `first` is its only offset; in a gap `first` is the
  // offset before it, so the wall time moves forward by the gap; when the
  // time occurs twice `first` is the earlier occurrence.
  date::local_info info = zone->get_info(local);
  return Instant{local.time_since_epoch()} - info.first.offset;
}

date::local_seconds ToLocal(Instant t, const date::time_zone* zone) {
  if (zone == nullptr) return date::local_seconds{t.time_since_epoch()};
  return zone->to_local(t);
}

Instant AddLocalDays(Instant t, int days, const date::time_zone* zone) {
  return LocalToInstant(ToLocal(t, zone) + date::days{days}, zone);
}

Instant AddLocalMonths(Instant t, int months, const date::time_zone* zone) {
  const date::local_seconds local = ToLocal(t, zone);
  const date::local_days day = date::floor<date::days>(local);
  date::year_month_day moved = date::year_month_day{day} + date::months{months};
  if (!moved.ok()) moved = moved.year() / moved.month() / date::last;
  return LocalToInstant(date::local_days{moved} + (local - day), zone);
}

Instant AddLocalYears(Instant t, int years, const date::time_zone* zone) {
  return AddLocalMonths(t, 12 * years, zone);
}

std::strong_ordering CompareWithLocalMonths(Instant t, Instant from, int months,
                                            const date::time_zone* zone) {
  // Beyond this many months the day counts below could overflow an int.
  constexpr int kMaxBoundedMonths = 12000;
  constexpr int kMarginDays = 5;
  if (months >= 0 && months <= kMaxBoundedMonths) {
    if (t < from + date::days{28 * months - kMarginDays})
      return std::strong_ordering::less;
    if (t > from + date::days{31 * months + kMarginDays})
      return std::strong_ordering::greater;
  }
  return t <=> AddLocalMonths(from, months, zone);
}

Instant AddLocalDuration(Instant t, Seconds duration, const date::time_zone* zone) {
  constexpr Seconds kDay{86400};
  const auto days = duration / kDay;
  return AddLocalDays(t, static_cast<int>(days), zone) + (duration - days * kDay);
}

}  // namespace slamon
