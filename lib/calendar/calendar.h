// Calendar: when the clock of an SLA target counts.
//
// A Calendar is an IANA time zone, a weekly pattern of working intervals in
// local wall-clock time (several a day, end exclusive, 24:00 allowed) and
// holidays (whole local days, once or every year). DST is real: an interval
// lasts as long as the wall clock says, so "00:00-24:00" on a spring-forward
// day is 23 hours. A local time that does not exist (DST gap) maps to the
// instant of the transition; an interval start that occurs twice (DST
// fall-back) takes the earlier occurrence, an interval end the later one.
//
// The arithmetic never steps minutes: it walks local days, and jumps over whole
// weeks without a holiday or a zone transition (their working time is the
// nominal weekly sum), so two years of working time cost a few microseconds.
//
// Calendars are immutable values; all methods are const and thread-safe.
// Nothing here reads the clock: every instant is an argument.
#pragma once

#include <date/tz.h>

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instant/instant.h"

namespace slamon {

// A span of a local day, as offsets from local midnight: 0 <= begin < end <= 24h.
struct WorkingInterval {
  Seconds begin;
  Seconds end;
  bool operator==(const WorkingInterval&) const = default;
};

// A whole local day off: on one date (year set) or on the same month/day every year.
struct Holiday {
  std::optional<int> year;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
  bool operator==(const Holiday&) const = default;
};

class Calendar {
 public:
  // Index 0 is Monday, 6 is Sunday. Overlapping or touching intervals are merged.
  using Week = std::array<std::vector<WorkingInterval>, 7>;

  // `zone` must outlive the calendar (date/tz zones live for the process).
  Calendar(const date::time_zone* zone, Week week, std::vector<Holiday> holidays);

  // Built-in "24x7": always working; `zone` (UTC by default) only matters to
  // AddWorkingDays, whose days are local days.
  static Calendar AlwaysWorking(const date::time_zone* zone = nullptr);
  // Built-in "business-days": Monday to Friday 00:00-24:00 in `zone`, no holidays.
  static Calendar BusinessDays(const date::time_zone* zone);

  // Working time in [from, to); zero when to <= from.
  Seconds WorkingTime(Instant from, Instant to) const;

  // The earliest instant t >= from with WorkingTime(from, t) == budget. A start
  // outside working time rolls forward; a budget that ends exactly at a closing
  // time gives that closing time. A zero budget gives NextWorkingInstant(from)
  // (docs/design.md §2). std::nullopt when the calendar has no working time left
  // to spend it in (a week without any working interval).
  std::optional<Instant> AddWorkingTime(Instant from, Seconds budget) const;

  // `days` working days after `from`, at the same local wall-clock time (docs/design.md
  // §2, `d` budgets). A working day is a local date with working time.
  // A start outside working time first rolls forward to the next working
  // instant; its local date is day 0 and the deadline is on the days-th working
  // date after it, at the rolled start's wall time. A wall time that does not
  // exist that day (DST gap) moves forward by the gap's length; one that
  // occurs twice means its first occurrence; a wall time that is not working
  // time rolls forward to the next working instant. So 15 business days from
  // Wednesday 10:00 end on a Wednesday at 10:00 whatever DST did in between,
  // and 1 day on an always-working calendar is 23 or 25 hours across a DST
  // change. days == 0 gives NextWorkingInstant(from). std::nullopt as for
  // AddWorkingTime; days must be 0 or more.
  std::optional<Instant> AddWorkingDays(Instant from, int64_t days) const;

  // The first instant t >= from that is working time; std::nullopt when there
  // is none within the next two years or so.
  std::optional<Instant> NextWorkingInstant(Instant from) const;

  // Whether the second starting at t is working time.
  bool IsWorking(Instant t) const;

  const date::time_zone* zone() const { return zone_; }

 private:
  struct ZoneCache;
  struct HolidayCache;

  bool IsHoliday(date::local_days day) const;
  // Whether the local week [monday, monday + 7d) has the nominal weekly working
  // time: no holiday in it and the same UTC offset throughout.
  bool IsPlainWeek(date::local_days monday, ZoneCache& zone,
                   HolidayCache& holidays) const;
  const std::vector<WorkingInterval>& IntervalsOn(date::local_days day) const;
  // Whether `day` holds working time (an interval that is not wholly in a DST gap).
  bool IsWorkingDay(date::local_days day, ZoneCache& cache) const;
  // A wall time as an instant by the deadline rules of AddWorkingDays.
  Instant WallToInstant(date::local_seconds local, ZoneCache& cache) const;
  date::local_seconds ToLocal(Instant t, ZoneCache& cache) const;
  std::optional<Instant> NextWorkingInstant(Instant from, ZoneCache& cache) const;
  Instant ToSys(date::local_seconds local, date::choose choose, ZoneCache& cache) const;
  date::local_days LocalDayOf(Instant t) const;

  const date::time_zone* zone_;
  Week week_;
  std::vector<date::sys_days> dated_holidays_;  // sorted
  std::bitset<13 * 32> yearly_holidays_;        // month * 32 + day
  std::vector<date::month_day> yearly_list_;    // the same, in date order
  int working_weekdays_ = 0;                    // weekdays with working intervals
  Seconds weekly_{0};  // nominal working time of a week without holidays or DST change
  bool always_working_ = false;
  bool has_working_time_ = false;
};

}  // namespace slamon
