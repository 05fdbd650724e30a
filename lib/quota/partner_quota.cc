#include "quota/partner_quota.h"

#include <algorithm>

namespace slamon {

PartnerQuota AssessPartner(Instant contract_signed_at,
                           std::span<const Certification> certifications,
                           std::span<const TicketQuotaFacts> tickets,
                           const Policy& policy, Instant t) {
  const int period = QuotaPeriodAt(contract_signed_at, t, policy.quota).index;
  PeriodUsage usage;
  for (const auto& ticket : tickets) {
    if (ticket.opened_at > t) continue;
    if (QuotaPeriodAt(contract_signed_at, ticket.opened_at, policy.quota).index != period)
      continue;
    usage.Add(ticket);
  }
  return AssessPartner(contract_signed_at, certifications, usage, policy, t);
}

PartnerQuota AssessPartner(Instant contract_signed_at,
                           std::span<const Certification> certifications,
                           const PeriodUsage& usage, const Policy& policy, Instant t) {
  PartnerQuota quota;
  quota.period = QuotaPeriodAt(contract_signed_at, t, policy.quota);
  quota.incidents_used = usage.incidents;
  quota.credits = usage.credits;
  quota.fees = usage.fees;
  if (quota.period.base_limit) {
    quota.incidents_limit = *quota.period.base_limit + quota.credits;
    quota.over_quota = std::max(0, quota.incidents_used - *quota.incidents_limit);
  }
  const auto& rules = policy.certification;
  quota.certified_employees = CertifiedEmployees(certifications, t, rules);
  quota.certified = quota.certified_employees >= rules.min_certified_employees;
  quota.certified_until = CertifiedUntil(certifications, t, rules);
  return quota;
}

}  // namespace slamon
