#include "calendar/calendar.h"

#include <algorithm>

namespace slamon {
namespace {

constexpr Seconds kDay{86400};
// Offsets change by less than a day, so a local time whose candidate instant is
// at least this far from a zone transition has exactly one meaning.
constexpr Seconds kSafety{86400};
// Give up searching for working time after this many consecutive days without any.
constexpr int kMaxIdleDays = 800;

std::vector<WorkingInterval> Normalize(std::vector<WorkingInterval> intervals) {
  std::erase_if(intervals, [](const WorkingInterval& i) {
    return i.end <= i.begin || i.end <= Seconds{0} || i.begin >= kDay;
  });
  for (auto& i : intervals) {
    i.begin = std::max(i.begin, Seconds{0});
    i.end = std::min(i.end, kDay);
  }
  std::sort(intervals.begin(), intervals.end(),
            [](const WorkingInterval& a, const WorkingInterval& b) {
              return a.begin < b.begin;
            });
  std::vector<WorkingInterval> merged;
  for (const auto& i : intervals) {
    if (!merged.empty() && i.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, i.end);
    } else {
      merged.push_back(i);
    }
  }
  return merged;
}

}  // namespace

// The zone offset in force around the last converted instant.
struct Calendar::ZoneCache {
  bool valid = false;
  Seconds offset{0};
  Instant safe_begin;
  Instant safe_end;
};

// The holidays of the local year(s) last looked at, as sorted local days.
struct Calendar::HolidayCache {
  int year = 0;
  bool valid = false;
  std::vector<date::local_days> days;  // holidays of `year` and `year + 1`
};

Calendar::Calendar(const date::time_zone* zone, Week week, std::vector<Holiday> holidays)
    : zone_(zone) {
  for (auto& day : week) day = Normalize(std::move(day));
  week_ = std::move(week);
  for (const auto& h : holidays) {
    if (h.year) {
      date::year_month_day ymd{date::year{*h.year}, date::month{h.month},
                               date::day{h.day}};
      if (ymd.ok()) dated_holidays_.push_back(date::sys_days{ymd});
    } else if (h.month >= 1 && h.month <= 12 && h.day >= 1 && h.day <= 31) {
      yearly_holidays_.set(h.month * 32 + h.day);
    }
  }
  for (unsigned m = 1; m <= 12; ++m) {
    for (unsigned d = 1; d <= 31; ++d) {
      if (yearly_holidays_.test(m * 32 + d))
        yearly_list_.push_back(date::month{m} / date::day{d});
    }
  }
  std::sort(dated_holidays_.begin(), dated_holidays_.end());
  dated_holidays_.erase(std::unique(dated_holidays_.begin(), dated_holidays_.end()),
                        dated_holidays_.end());

  for (const auto& day : week_) {
    for (const auto& interval : day) weekly_ += interval.end - interval.begin;
  }
  working_weekdays_ = std::count_if(week_.begin(), week_.end(),
                                    [](const auto& day) { return !day.empty(); });
  has_working_time_ = std::any_of(week_.begin(), week_.end(),
                                  [](const auto& day) { return !day.empty(); });
  always_working_ =
      dated_holidays_.empty() && yearly_holidays_.none() &&
      std::all_of(week_.begin(), week_.end(), [](const auto& day) {
        return day.size() == 1 && day[0].begin == Seconds{0} && day[0].end == kDay;
      });
}

Calendar Calendar::AlwaysWorking(const date::time_zone* zone) {
  Week week;
  for (auto& day : week) day = {{Seconds{0}, kDay}};
  return Calendar(zone != nullptr ? zone : date::locate_zone("UTC"), std::move(week), {});
}

Calendar Calendar::BusinessDays(const date::time_zone* zone) {
  Week week;
  for (int d = 0; d < 5; ++d) week[d] = {{Seconds{0}, kDay}};
  return Calendar(zone, std::move(week), {});
}

bool Calendar::IsHoliday(date::local_days day) const {
  if (dated_holidays_.empty() && yearly_list_.empty()) return false;
  date::year_month_day ymd{day};
  unsigned m = static_cast<unsigned>(ymd.month());
  unsigned d = static_cast<unsigned>(ymd.day());
  if (yearly_holidays_.test(m * 32 + d)) return true;
  return std::binary_search(dated_holidays_.begin(), dated_holidays_.end(),
                            date::sys_days{day.time_since_epoch()});
}

const std::vector<WorkingInterval>& Calendar::IntervalsOn(date::local_days day) const {
  static const std::vector<WorkingInterval> kNone;
  if (IsHoliday(day)) return kNone;
  unsigned iso = date::weekday{day}.iso_encoding();  // Monday = 1 .. Sunday = 7
  return week_[iso - 1];
}

bool Calendar::IsPlainWeek(date::local_days monday, ZoneCache& zone,
                           HolidayCache& holidays) const {
  const date::local_days next_monday = monday + date::days{7};
  Instant begin = ToSys(monday, date::choose::earliest, zone);
  Instant end{next_monday.time_since_epoch() - zone.offset};
  if (begin < zone.safe_begin || end >= zone.safe_end) return false;
  if (dated_holidays_.empty() && yearly_holidays_.none()) return true;
  int year = static_cast<int>(date::year_month_day{monday}.year());
  if (!holidays.valid || holidays.year != year) {
    holidays.valid = true;
    holidays.year = year;
    holidays.days.clear();
    for (int y = year; y <= year + 1; ++y) {
      for (const date::month_day& md : yearly_list_) {
        date::year_month_day ymd = date::year{y} / md;
        if (ymd.ok()) holidays.days.push_back(date::local_days{ymd});
      }
    }
    auto first = std::lower_bound(dated_holidays_.begin(), dated_holidays_.end(),
                                  date::sys_days{date::year{year} / 1 / 1});
    auto last = std::lower_bound(dated_holidays_.begin(), dated_holidays_.end(),
                                 date::sys_days{date::year{year + 2} / 1 / 1});
    for (auto it = first; it != last; ++it) {
      holidays.days.push_back(date::local_days{it->time_since_epoch()});
    }
    std::sort(holidays.days.begin(), holidays.days.end());
  }
  auto next = std::lower_bound(holidays.days.begin(), holidays.days.end(), monday);
  return next == holidays.days.end() || *next >= next_monday;
}

Instant Calendar::ToSys(date::local_seconds local, date::choose choose,
                        ZoneCache& cache) const {
  if (cache.valid) {
    Instant candidate{local.time_since_epoch() - cache.offset};
    if (candidate >= cache.safe_begin && candidate < cache.safe_end) return candidate;
  }
  Instant result = zone_->to_sys(local, choose);
  date::sys_info info = zone_->get_info(result);
  cache.valid = true;
  cache.offset = info.offset;
  cache.safe_begin = info.begin + kSafety;
  cache.safe_end = info.end - kSafety;
  return result;
}

date::local_days Calendar::LocalDayOf(Instant t) const {
  return date::floor<date::days>(zone_->to_local(t));
}

bool Calendar::IsWorkingDay(date::local_days day, ZoneCache& cache) const {
  for (const auto& interval : IntervalsOn(day)) {
    if (ToSys(day + interval.begin, date::choose::earliest, cache) <
        ToSys(day + interval.end, date::choose::latest, cache))
      return true;
  }
  return false;
}

Instant Calendar::WallToInstant(date::local_seconds local, ZoneCache& cache) const {
  if (cache.valid) {
    Instant candidate{local.time_since_epoch() - cache.offset};
    if (candidate >= cache.safe_begin && candidate < cache.safe_end) return candidate;
  }
  // `first` is the period in force before a gap or overlap: a wall time in a
  // gap read with it moves forward by the gap's length (02:30 in a
  // 02:00-03:00 gap is 03:30 after it), and one that occurs twice gets its
  // first occurrence.
  date::local_info info = zone_->get_info(local);
  return Instant{local.time_since_epoch() - info.first.offset};
}

date::local_seconds Calendar::ToLocal(Instant t, ZoneCache& cache) const {
  if (!cache.valid || t < cache.safe_begin || t >= cache.safe_end) {
    date::sys_info info = zone_->get_info(t);
    cache.valid = true;
    cache.offset = info.offset;
    cache.safe_begin = info.begin + kSafety;
    cache.safe_end = info.end - kSafety;
    // Within a day of a transition the cache cannot vouch for t: answer
    // from `info` itself.
    return date::local_seconds{t.time_since_epoch() + info.offset};
  }
  return date::local_seconds{t.time_since_epoch() + cache.offset};
}

std::optional<Instant> Calendar::NextWorkingInstant(Instant from) const {
  ZoneCache cache;
  return NextWorkingInstant(from, cache);
}

std::optional<Instant> Calendar::NextWorkingInstant(Instant from,
                                                    ZoneCache& cache) const {
  if (always_working_) return from;
  if (!has_working_time_) return std::nullopt;
  int idle_days = 0;
  for (date::local_days day = date::floor<date::days>(ToLocal(from, cache));;
       day += date::days{1}) {
    for (const auto& interval : IntervalsOn(day)) {
      Instant begin =
          std::max(ToSys(day + interval.begin, date::choose::earliest, cache), from);
      Instant end = ToSys(day + interval.end, date::choose::latest, cache);
      if (begin < end) return begin;
    }
    if (++idle_days > kMaxIdleDays) return std::nullopt;
  }
}

std::optional<Instant> Calendar::AddWorkingDays(Instant from, int64_t days) const {
  ZoneCache cache;
  std::optional<Instant> start = NextWorkingInstant(from, cache);
  if (!start || days <= 0) return start;
  const date::local_seconds local = ToLocal(*start, cache);
  date::local_days day = date::floor<date::days>(local);
  const Seconds time_of_day = local - day;
  if (always_working_) {
    day += date::days{days};
  } else {
    HolidayCache holidays;
    int idle_days = 0;
    for (int64_t left = days; left > 0;) {
      // A week without holidays or DST change has one working day per
      // weekday with intervals.
      const date::local_days next = day + date::days{1};
      if (date::weekday{next} == date::Monday && left > working_weekdays_ &&
          working_weekdays_ > 0 && IsPlainWeek(next, cache, holidays)) {
        day += date::days{7};
        left -= working_weekdays_;
        idle_days = 0;
        continue;
      }
      day = next;
      if (IsWorkingDay(day, cache)) {
        --left;
        idle_days = 0;
      } else if (++idle_days > kMaxIdleDays) {
        return std::nullopt;
      }
    }
  }
  return NextWorkingInstant(WallToInstant(day + time_of_day, cache), cache);
}

std::optional<Instant> Calendar::AddWorkingTime(Instant from, Seconds budget) const {
  if (budget <= Seconds{0}) return NextWorkingInstant(from);
  if (always_working_) return from + budget;
  if (!has_working_time_) return std::nullopt;
  ZoneCache cache;
  HolidayCache holidays;
  Seconds remaining = budget;
  Instant cursor = from;
  int idle_days = 0;
  for (date::local_days day = LocalDayOf(from);; day += date::days{1}) {
    if (date::weekday{day} == date::Monday && remaining > weekly_ &&
        weekly_ > Seconds{0} && ToSys(day, date::choose::earliest, cache) >= cursor &&
        IsPlainWeek(day, cache, holidays)) {
      remaining -= weekly_;
      cursor = ToSys(day + date::days{7}, date::choose::earliest, cache);
      day += date::days{6};
      idle_days = 0;
      continue;
    }
    bool worked = false;
    for (const auto& interval : IntervalsOn(day)) {
      Instant begin =
          std::max(ToSys(day + interval.begin, date::choose::earliest, cache), cursor);
      Instant end = ToSys(day + interval.end, date::choose::latest, cache);
      if (end <= begin) continue;
      worked = true;
      if (end - begin >= remaining) return begin + remaining;
      remaining -= end - begin;
      cursor = end;
    }
    idle_days = worked ? 0 : idle_days + 1;
    if (idle_days > kMaxIdleDays) return std::nullopt;
  }
}

Seconds Calendar::WorkingTime(Instant from, Instant to) const {
  if (to <= from) return Seconds{0};
  if (always_working_) return to - from;
  if (!has_working_time_) return Seconds{0};
  ZoneCache cache;
  HolidayCache holidays;
  Seconds total{0};
  Instant cursor = from;
  for (date::local_days day = LocalDayOf(from);; day += date::days{1}) {
    Instant day_start = ToSys(day, date::choose::earliest, cache);
    if (day_start >= to) break;
    if (date::weekday{day} == date::Monday && day_start >= cursor &&
        ToSys(day + date::days{7}, date::choose::earliest, cache) <= to &&
        IsPlainWeek(day, cache, holidays)) {
      total += weekly_;
      cursor = ToSys(day + date::days{7}, date::choose::earliest, cache);
      day += date::days{6};
      continue;
    }
    for (const auto& interval : IntervalsOn(day)) {
      Instant begin =
          std::max(ToSys(day + interval.begin, date::choose::earliest, cache), cursor);
      Instant end = std::min(ToSys(day + interval.end, date::choose::latest, cache), to);
      if (end <= begin) continue;
      total += end - begin;
      cursor = end;
    }
  }
  return total;
}

bool Calendar::IsWorking(Instant t) const {
  return WorkingTime(t, t + Seconds{1}) > Seconds{0};
}

}  // namespace slamon
