#include "quota/certification.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "calendar/local_date.h"

namespace slamon {
namespace {

// For each employee, the end of the validity that covers t (the latest one).
std::map<std::string, Instant> ValidUntilByEmployee(
    std::span<const Certification> certifications, Instant t,
    const CertificationRules& rules, const date::time_zone* zone) {
  std::map<std::string, Instant> valid_until;
  for (const auto& c : certifications) {
    Instant end = AddLocalMonths(c.passed_at, rules.valid_for_months, zone);
    if (c.passed_at <= t && t < end) {
      auto [it, inserted] = valid_until.emplace(c.employee, end);
      if (!inserted) it->second = std::max(it->second, end);
    }
  }
  return valid_until;
}

}  // namespace

int CertifiedEmployees(std::span<const Certification> certifications, Instant t,
                       const CertificationRules& rules, const date::time_zone* zone) {
  return static_cast<int>(ValidUntilByEmployee(certifications, t, rules, zone).size());
}

bool IsCertified(std::span<const Certification> certifications, Instant t,
                 const CertificationRules& rules, const date::time_zone* zone) {
  // CertifiedEmployees(...) >= min, asked for every ticket: stops at the
  // minimum, keeps no map, and looks up the zone only near a validity's end.
  const auto needed = static_cast<size_t>(std::max(rules.min_certified_employees, 0));
  std::vector<std::string_view> certified;
  for (const auto& c : certifications) {
    if (certified.size() >= needed) break;
    if (c.passed_at > t ||
        CompareWithLocalMonths(t, c.passed_at, rules.valid_for_months, zone) >= 0)
      continue;
    if (std::find(certified.begin(), certified.end(), c.employee) == certified.end())
      certified.push_back(c.employee);
  }
  return certified.size() >= needed;
}

std::optional<Instant> CertifiedUntil(std::span<const Certification> certifications,
                                      Instant t, const CertificationRules& rules,
                                      const date::time_zone* zone) {
  auto valid_until = ValidUntilByEmployee(certifications, t, rules, zone);
  if (static_cast<int>(valid_until.size()) < rules.min_certified_employees)
    return std::nullopt;
  std::vector<Instant> ends;
  for (const auto& [employee, end] : valid_until) ends.push_back(end);
  // Certified while min_certified_employees remain: the (n - min + 1)-th expiry ends it.
  std::sort(ends.begin(), ends.end());
  return ends[ends.size() - static_cast<size_t>(rules.min_certified_employees)];
}

}  // namespace slamon
