// PartnerQuota: a partner's incident quota and certification at an instant.
//
// Incidents count in the quota period that holds their ticket's `opened`
// instant; a ticket that reports a new defect adds one credit to the limit of
// that period. Incidents beyond base limit + credits are over quota. Fees are
// the tickets of the period that carry a ticket fee. Pure.
#pragma once

#include <optional>
#include <span>

#include "instant/instant.h"
#include "policy/policy.h"
#include "quota/certification.h"
#include "quota/partner.h"
#include "quota/quota_period.h"

namespace slamon {

// What the quota needs to know of one ticket.
struct TicketQuotaFacts {
  Instant opened_at;
  int incidents = 1;
  bool new_defect = false;
  bool fee = false;
};

// Running totals of the tickets opened in one quota period: what a streaming
// reader keeps instead of the tickets themselves.
struct PeriodUsage {
  int incidents = 0;
  int credits = 0;
  int fees = 0;

  void Add(const TicketQuotaFacts& ticket) {
    incidents += ticket.incidents;
    credits += ticket.new_defect ? 1 : 0;
    fees += ticket.fee ? 1 : 0;
  }
};

struct PartnerQuota {
  QuotaPeriod period;
  int incidents_used = 0;
  std::optional<int> incidents_limit;  // base limit + credits; std::nullopt: unlimited
  int credits = 0;
  int over_quota = 0;
  int fees = 0;
  int certified_employees = 0;
  bool certified = false;
  std::optional<Instant> certified_until;

  bool operator==(const PartnerQuota&) const = default;
};

// `tickets` are the partner's tickets known at `t` (opened at or before t).
// Periods and certifications count on the partner's local calendar.
PartnerQuota AssessPartner(const Partner& partner,
                           std::span<const Certification> certifications,
                           std::span<const TicketQuotaFacts> tickets,
                           const Policy& policy, Instant t);

// The same from the totals of the tickets opened in the period that holds `t`.
PartnerQuota AssessPartner(const Partner& partner,
                           std::span<const Certification> certifications,
                           const PeriodUsage& usage, const Policy& policy, Instant t);

}  // namespace slamon
