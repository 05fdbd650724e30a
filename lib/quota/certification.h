// Certification: whether a partner is certified at an instant.
//
// A passed certification is valid for `valid_for_months` months from its exam
// (half-open: [passed_at, passed_at + months)), counted on the partner's local
// calendar (calendar/local_date.h): an exam at 00:00 local on 1 March lasts 18
// months to 00:00 local on 1 September, wherever the partner is. A partner is certified
// while at least `min_certified_employees` distinct employees hold a valid one.
// Pure functions of their arguments.
#pragma once

#include <date/tz.h>

#include <optional>
#include <span>
#include <string>

#include "instant/instant.h"
#include "policy/policy.h"

namespace slamon {

struct Certification {
  std::string partner;
  std::string employee;
  Instant passed_at;

  bool operator==(const Certification&) const = default;
};

// Distinct employees of the partner holding a valid certification at `t`.
// `certifications` are the partner's own, in any order; `zone` is the
// partner's time zone (nullptr: UTC).
int CertifiedEmployees(std::span<const Certification> certifications, Instant t,
                       const CertificationRules& rules, const date::time_zone* zone);

bool IsCertified(std::span<const Certification> certifications, Instant t,
                 const CertificationRules& rules, const date::time_zone* zone);

// The first instant > t at which the partner stops being certified if no new
// certification is passed; std::nullopt when it is not certified at t.
std::optional<Instant> CertifiedUntil(std::span<const Certification> certifications,
                                      Instant t, const CertificationRules& rules,
                                      const date::time_zone* zone);

}  // namespace slamon
