// `calendars:` — NAME: {timezone, hours, holidays}.
#include <array>
#include <exception>

#include "config/config_sections.h"
#include "text/whole_number.h"

namespace slamon::config_internal {
namespace {

constexpr Seconds kDay{86400};
constexpr std::array<std::string_view, 7> kWeekdays = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// "HH:MM" (or "H:MM") from 00:00 to 24:00 as an offset from local midnight.
std::optional<Seconds> ParseTimeOfDay(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2) return std::nullopt;
  if (text.size() != colon + 3) return std::nullopt;
  std::optional<int> hour = ParseWholeNumber(text.substr(0, colon));
  std::optional<int> minute = ParseWholeNumber(text.substr(colon + 1));
  if (!hour || !minute || *hour > 24 || *minute > 59) return std::nullopt;
  if (*hour == 24 && *minute != 0) return std::nullopt;
  return Seconds{*hour * 3600 + *minute * 60};
}

std::optional<WorkingInterval> ReadInterval(const Field& field, YamlReader& reader) {
  std::optional<std::string> text = reader.String(field);
  if (!text) return std::nullopt;
  const std::string quoted = "\"" + *text + "\"";
  const std::size_t dash = text->find('-');
  std::optional<Seconds> begin, end;
  if (dash != std::string::npos) {
    begin = ParseTimeOfDay(Trim(std::string_view(*text).substr(0, dash)));
    end = ParseTimeOfDay(Trim(std::string_view(*text).substr(dash + 1)));
  }
  if (!begin || !end) {
    reader.Error(field,
                 "not an interval: " + quoted +
                     " (expected \"HH:MM-HH:MM\", e.g. \"08:00-13:00\"; minutes 00-59, "
                     "24:00 only as an end)");
    return std::nullopt;
  }
  if (*begin >= *end) {
    reader.Error(field,
                 "interval " + quoted +
                     " must end after it starts (an interval cannot cross midnight: "
                     "split it between two days, ending the first at 24:00)");
    return std::nullopt;
  }
  return WorkingInterval{*begin, *end};
}

bool Overlap(const WorkingInterval& a, const WorkingInterval& b) {
  return a.begin < b.end && b.begin < a.end;
}

std::vector<WorkingInterval> ReadDay(const Field& field, YamlReader& reader) {
  std::vector<WorkingInterval> intervals;
  std::vector<std::string> texts;
  reader.List(field, "intervals such as \"08:00-13:00\"", [&](const Field& element) {
    std::optional<WorkingInterval> interval = ReadInterval(element, reader);
    if (!interval) return;
    for (std::size_t i = 0; i < intervals.size(); ++i) {
      if (Overlap(intervals[i], *interval)) {
        reader.Error(element, "interval \"" + element.node.Scalar() + "\" overlaps \"" +
                                  texts[i] + "\"");
        return;
      }
    }
    intervals.push_back(*interval);
    texts.push_back(element.node.Scalar());
  });
  return intervals;
}

void ReadHours(const Field& field, YamlReader& reader, Calendar::Week* week) {
  *week = {};  // hours given: a weekday not listed is closed
  const std::size_t errors_before = reader.ErrorCount();
  std::vector<KeyHandler> days;
  for (std::size_t d = 0; d < kWeekdays.size(); ++d) {
    days.push_back(
        {kWeekdays[d], [&, d](const Field& day) { (*week)[d] = ReadDay(day, reader); }});
  }
  if (!reader.Map(field, days) || reader.ErrorCount() != errors_before) return;
  bool any = false;
  for (const auto& day : *week) any = any || !day.empty();
  if (!any) {
    reader.Error(field,
                 "no working hours in the whole week (list at least one weekday, e.g. "
                 "mon: [\"08:00-18:00\"])");
  }
}

// "YYYY-MM-DD" once or "MM-DD" every year.
std::optional<Holiday> ParseHoliday(std::string_view text) {
  std::optional<int> year;
  if (text.size() == 10 && text[4] == '-') {
    year = ParseWholeNumber(text.substr(0, 4));
    if (!year) return std::nullopt;
    text.remove_prefix(5);
  }
  if (text.size() != 5 || text[2] != '-') return std::nullopt;
  std::optional<int> month = ParseWholeNumber(text.substr(0, 2));
  std::optional<int> day = ParseWholeNumber(text.substr(3, 2));
  if (!month || !day) return std::nullopt;
  // A recurring date is checked against a leap year, so 02-29 is allowed.
  const date::year_month_day date{date::year{year.value_or(2000)},
                                  date::month{static_cast<unsigned>(*month)},
                                  date::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  return Holiday{year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)};
}

void ReadHolidays(const Field& field, YamlReader& reader,
                  std::vector<Holiday>* holidays) {
  reader.List(field, "dates (\"YYYY-MM-DD\" or \"MM-DD\")", [&](const Field& element) {
    std::optional<std::string> text = reader.String(element);
    if (!text) return;
    if (std::optional<Holiday> holiday = ParseHoliday(*text)) {
      holidays->push_back(*holiday);
    } else {
      reader.Error(element,
                   "not a holiday: \"" + *text +
                       "\" (expected a valid date, \"YYYY-MM-DD\" once or \"MM-DD\" "
                       "every year)");
    }
  });
}

void ReadTimeZone(const Field& field, YamlReader& reader, const date::time_zone** zone) {
  std::optional<std::string> name = reader.String(field);
  if (!name) return;
  try {
    *zone = date::locate_zone(*name);
  } catch (const std::exception&) {
    reader.Error(field, "unknown time zone \"" + *name +
                            "\" (expected an IANA name such as Europe/Berlin or UTC)");
  }
}

CalendarDefinition ReadCalendar(const Field& field, YamlReader& reader) {
  CalendarDefinition definition;  // zone nullptr: the partner's
  for (std::size_t d = 0; d < 5; ++d) definition.week[d] = {{Seconds{0}, kDay}};
  reader.Map(
      field,
      {
          {"timezone",
           [&](const Field& f) { ReadTimeZone(f, reader, &definition.zone); }},
          {"hours", [&](const Field& f) { ReadHours(f, reader, &definition.week); }},
          {"holidays",
           [&](const Field& f) { ReadHolidays(f, reader, &definition.holidays); }},
      });
  return definition;
}

}  // namespace

void ReadCalendars(const Field& field, YamlReader& reader, CalendarSet* calendars) {
  reader.NamedEntries(field, "calendars",
                      [&](const std::string& name, const Field& entry) {
                        // Defined even when partly wrong, so policies naming it get no
                        // second error.
                        calendars->Define(name, ReadCalendar(entry, reader));
                      });
}

}  // namespace slamon::config_internal
