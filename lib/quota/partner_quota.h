// PartnerQuota: a partner's incident quota and certification at an instant.
//
// Incidents count in the quota period that holds their ticket's `opened`
// instant (docs/design.md §1 and §4). A ticket that reports a new defect earns
// one credit for that period — for a ticket opened in the unlimited first
// period, for the first limited period (CreditPeriodIndex). What a credit is
// depends on the partner's contract (Partner::credit):
//   - quota (default): one more incident in the period's limit
//     (incidents_limit = base + credits; over_quota = used - limit);
//   - paid: the limit stays the base; one billable incident is waived.
// billable_incidents = over_quota less the paid credits, never below 0; so in
// both cases the first base + credits incidents of a period are free.
// Fees are the tickets of the period that carry a ticket fee. Pure.
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

// Running totals of one quota period: what a streaming reader keeps instead
// of the tickets themselves.
struct PeriodUsage {
  int incidents = 0;  // of the tickets opened in the period
  int credits = 0;    // earned for the period (CreditPeriodIndex)
  int fees = 0;       // tickets opened in the period that carry a fee

  // What a ticket opened in period `opened_period` adds to period `period`.
  void Add(const TicketQuotaFacts& ticket, int opened_period, int period) {
    if (opened_period == period) {
      incidents += ticket.incidents;
      fees += ticket.fee ? 1 : 0;
    }
    if (ticket.new_defect && CreditPeriodIndex(opened_period) == period) ++credits;
  }
};

struct PartnerQuota {
  QuotaPeriod period;
  int incidents_used = 0;
  // base limit, + credits for `quota` partners; std::nullopt: unlimited
  std::optional<int> incidents_limit;
  int credits = 0;  // earned for the period, of either kind
  int over_quota = 0;
  int billable_incidents = 0;  // over_quota less paid credits, >= 0
  int fees = 0;
  int certified_employees = 0;
  bool certified = false;
  std::optional<Instant> certified_until;

  // How many incidents of the period are free (base limit + credits of
  // either kind): those numbered past it are billable. std::nullopt: all.
  std::optional<int> FreeIncidents() const {
    if (!period.base_limit) return std::nullopt;
    return *period.base_limit + credits;
  }

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
