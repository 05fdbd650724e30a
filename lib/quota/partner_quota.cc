#include "quota/partner_quota.h"

#include <algorithm>

namespace slamon {

PartnerQuota AssessPartner(const Partner& partner,
                           std::span<const Certification> certifications,
                           std::span<const TicketQuotaFacts> tickets,
                           const Policy& policy, Instant t) {
  const Instant signed_at = partner.contract_signed_at;
  const int period = QuotaPeriodAt(signed_at, partner.zone, t, policy.quota).index;
  PeriodUsage usage;
  for (const auto& ticket : tickets) {
    if (ticket.opened_at > t) continue;
    usage.Add(
        ticket,
        QuotaPeriodAt(signed_at, partner.zone, ticket.opened_at, policy.quota).index,
        period);
  }
  return AssessPartner(partner, certifications, usage, policy, t);
}

PartnerQuota AssessPartner(const Partner& partner,
                           std::span<const Certification> certifications,
                           const PeriodUsage& usage, const Policy& policy, Instant t) {
  PartnerQuota quota;
  quota.period = QuotaPeriodAt(partner.contract_signed_at, partner.zone, t, policy.quota);
  quota.incidents_used = usage.incidents;
  quota.credits = usage.credits;
  quota.fees = usage.fees;
  if (quota.period.base_limit) {
    const bool paid = partner.credit == CreditKind::kPaid;
    quota.incidents_limit = *quota.period.base_limit + (paid ? 0 : quota.credits);
    quota.over_quota = std::max(0, quota.incidents_used - *quota.incidents_limit);
    quota.billable_incidents =
        paid ? std::max(0, quota.over_quota - quota.credits) : quota.over_quota;
  }
  const auto& rules = policy.certification;
  quota.certified_employees = CertifiedEmployees(certifications, t, rules, partner.zone);
  quota.certified = quota.certified_employees >= rules.min_certified_employees;
  quota.certified_until = CertifiedUntil(certifications, t, rules, partner.zone);
  return quota;
}

}  // namespace slamon
