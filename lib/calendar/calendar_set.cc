#include "calendar/calendar_set.h"

namespace slamon {

CalendarSet::CalendarSet() {
  CalendarDefinition always{nullptr, {}, {}};
  for (auto& day : always.week) day = {{Seconds{0}, Seconds{86400}}};
  Define(std::string(kBuiltin24x7), std::move(always));
  CalendarDefinition business{nullptr, {}, {}};
  for (int d = 0; d < 5; ++d) business.week[d] = {{Seconds{0}, Seconds{86400}}};
  Define(std::string(kBuiltinBusinessDays), std::move(business));
}

CalendarSet::CalendarSet(const CalendarSet& other) : definitions_(other.definitions_) {}

CalendarSet& CalendarSet::operator=(const CalendarSet& other) {
  if (this != &other) {
    definitions_ = other.definitions_;
    resolved_.clear();
  }
  return *this;
}

void CalendarSet::Define(std::string name, CalendarDefinition definition) {
  if (auto it = resolved_.find(name); it != resolved_.end()) resolved_.erase(it);
  definitions_[std::move(name)] = std::move(definition);
}

bool CalendarSet::Contains(std::string_view name) const {
  return definitions_.find(name) != definitions_.end();
}

const CalendarDefinition* CalendarSet::Find(std::string_view name) const {
  auto it = definitions_.find(name);
  return it != definitions_.end() ? &it->second : nullptr;
}

const Calendar* CalendarSet::Resolve(std::string_view name,
                                     const date::time_zone* partner_zone,
                                     std::string_view holidays) const {
  auto definition = definitions_.find(name);
  if (definition == definitions_.end()) return nullptr;
  const date::time_zone* zone = definition->second.zone;
  if (zone == nullptr)
    zone = partner_zone != nullptr ? partner_zone : date::locate_zone("UTC");
  const std::vector<Holiday>* days_off = &definition->second.holidays;
  if (!holidays.empty() && name != kBuiltin24x7) {
    auto own = definitions_.find(holidays);
    if (own != definitions_.end()) {
      days_off = &own->second.holidays;
    } else {
      holidays = {};  // unknown: the calendar's own holidays
    }
  }
  auto by_name = resolved_.find(name);
  if (by_name == resolved_.end())
    by_name = resolved_.emplace(std::string(name), decltype(by_name->second){}).first;
  ByHolidays& variants = by_name->second[zone];
  auto found = variants.find(holidays);
  if (found == variants.end()) {
    found =
        variants
            .emplace(std::string(holidays),
                     std::make_unique<Calendar>(zone, definition->second.week, *days_off))
            .first;
  }
  return found->second.get();
}

}  // namespace slamon
