#include "report/report_period.h"

#include <sstream>

namespace slamon {
namespace {

// 00:00 of `day` in `zone`, as an instant.
Instant LocalMidnight(date::year_month_day day, const date::time_zone* zone) {
  const date::local_days local{day};
  if (zone == nullptr) return Instant{date::sys_days{day}};
  return zone->to_sys(date::local_seconds{local}, date::choose::earliest);
}

bool IsDateSyntax(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

int Digits(std::string_view text) {
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

Result<PeriodBound> ParsePeriodBound(std::string_view text) {
  // Appended, not "\"" + std::string(text): GCC 12 at -O3 warns a false
  // -Wrestrict inside that operator+ (docs/testing.md, "Build types").
  std::string quoted(1, '"');
  quoted.append(text) += '"';
  if (IsDateSyntax(text)) {
    date::year_month_day day{
        date::year{Digits(text.substr(0, 4))},
        date::month{static_cast<unsigned>(Digits(text.substr(5, 2)))},
        date::day{static_cast<unsigned>(Digits(text.substr(8, 2)))}};
    if (!day.ok()) return Status::Error(quoted + " is not a date");
    return PeriodBound{day};
  }
  Result<Instant> instant = ParseInstant(text);
  if (!instant) {
    return Status::Error(quoted +
                         " is neither a date (YYYY-MM-DD) nor an ISO 8601 time "
                         "with offset: " +
                         instant.error());
  }
  return PeriodBound{*instant};
}

Result<ReportPeriod> ResolvePeriod(const PeriodBound& from, const PeriodBound& to,
                                   const date::time_zone* zone) {
  ReportPeriod period;
  if (const auto* day = std::get_if<date::year_month_day>(&from)) {
    period.from = LocalMidnight(*day, zone);
  } else {
    period.from = std::get<Instant>(from);
  }
  if (const auto* day = std::get_if<date::year_month_day>(&to)) {
    period.to =
        LocalMidnight(date::year_month_day{date::sys_days{*day} + date::days{1}}, zone);
  } else {
    period.to = std::get<Instant>(to);
  }
  if (period.to <= period.from) {
    return Status::Error("the period is empty: it would end at " +
                         FormatInstant(period.to) + ", not after its start " +
                         FormatInstant(period.from));
  }
  return period;
}

}  // namespace slamon
