// CalendarSet: the calendars a configuration names, resolved per partner.
//
// A CalendarDefinition may leave its time zone open; it then takes the time
// zone of the partner whose ticket is being timed. The built-ins "24x7"
// (always working) and "business-days" (Mon-Fri, whole days) both take the
// partner's zone (docs/design.md §2: its local days are what `d` budgets
// count) and are always present unless the configuration redefines them.
//
// Resolve() builds each (calendar, zone) pair once and caches it; returned
// pointers stay valid for the life of the set. A copy has the definitions and
// an empty cache of its own. Not thread-safe: one owner.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "calendar/calendar.h"

namespace slamon {

struct CalendarDefinition {
  const date::time_zone* zone = nullptr;  // nullptr: the partner's time zone
  Calendar::Week week;
  std::vector<Holiday> holidays;
  bool operator==(const CalendarDefinition&) const = default;
};

inline constexpr std::string_view kBuiltin24x7 = "24x7";
inline constexpr std::string_view kBuiltinBusinessDays = "business-days";

class CalendarSet {
 public:
  CalendarSet();  // the built-ins only
  CalendarSet(const CalendarSet& other);
  CalendarSet& operator=(const CalendarSet& other);
  CalendarSet(CalendarSet&&) = default;
  CalendarSet& operator=(CalendarSet&&) = default;
  ~CalendarSet() = default;

  // Adds or replaces a named calendar.
  void Define(std::string name, CalendarDefinition definition);
  bool Contains(std::string_view name) const;
  // The definition of that name (a built-in's too); nullptr when none.
  const CalendarDefinition* Find(std::string_view name) const;

  // nullptr when no calendar has that name. `partner_zone` may be nullptr (UTC).
  // `holidays`, when it names a calendar of the set, is the partner's own
  // holiday calendar (docs/design.md §2): its holidays replace the calendar's,
  // except on the built-in 24x7, which has none. Empty or unknown: the
  // calendar's own holidays (ReferenceBook says why in a note).
  const Calendar* Resolve(std::string_view name, const date::time_zone* partner_zone,
                          std::string_view holidays = {}) const;

 private:
  // Holiday calendar name ("" for the calendar's own) -> calendar.
  using ByHolidays = std::map<std::string, std::unique_ptr<Calendar>, std::less<>>;
  std::map<std::string, CalendarDefinition, std::less<>> definitions_;
  // name -> zone -> holiday calendar -> calendar, built on first use.
  mutable std::map<std::string, std::map<const date::time_zone*, ByHolidays>, std::less<>>
      resolved_;
};

}  // namespace slamon
