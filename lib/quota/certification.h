// Certification: whether a partner is certified at an instant.
//
// A passed certification is valid for `valid_for_months` calendar months from
// its exam (half-open: [passed_at, passed_at + months)). A partner is certified
// while at least `min_certified_employees` distinct employees hold a valid one.
// Pure functions of their arguments.
#pragma once

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
// `certifications` are the partner's own, in any order.
int CertifiedEmployees(std::span<const Certification> certifications, Instant t,
                       const CertificationRules& rules);

bool IsCertified(std::span<const Certification> certifications, Instant t,
                 const CertificationRules& rules);

// The first instant > t at which the partner stops being certified if no new
// certification is passed; std::nullopt when it is not certified at t.
std::optional<Instant> CertifiedUntil(std::span<const Certification> certifications,
                                      Instant t, const CertificationRules& rules);

}  // namespace slamon
