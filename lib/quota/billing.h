// Billing attribution: which tickets' incidents are billable (docs/design.md
// §1, §4 and §5), so an invoice can name the tickets, not only a count.
//
// Within one quota period the incidents of the tickets opened in it are
// numbered in order of the ticket's `opened` instant, ties by ticket id (byte
// order); those numbered past the period's free incidents — its base limit
// plus the credits of either kind earned for it (PartnerQuota::FreeIncidents)
// — are billable. A ticket reports how many of its incidents are. Summed over
// a period this is that period's PartnerQuota::billable_incidents. Tickets of
// the unlimited first period, and tickets opened after the evaluation
// instant, have none.
//
// Pure; the caller gathers the partner's tickets (all of them: a ticket's
// billing depends on the tickets opened before it in its period and on the
// credits of the whole period). Both structs are small on purpose: `slamon
// evaluate` keeps one of each per ticket until the end of its input.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "instant/instant.h"
#include "policy/policy.h"
#include "quota/partner.h"
#include "quota/partner_quota.h"
#include "quota/quota_period.h"

namespace slamon {

// One ticket of the partner as billing sees it.
struct BillingFacts {
  std::string_view ticket;  // the id; must outlive the AttributeBilling call
  TicketQuotaFacts quota;
};

struct TicketBilling {
  Instant period_start;  // of the quota period that holds the ticket's opening
  int period_index = 0;  // QuotaPeriod::index; 0 is the unlimited first period
  int billable_incidents = 0;

  bool operator==(const TicketBilling&) const = default;
};

// The billing of each ticket of `tickets` (the partner's, in any order), in
// that order, evaluated at `t` with the tickets opened at or before it.
std::vector<TicketBilling> AttributeBilling(const Partner& partner, const Policy& policy,
                                            std::span<const BillingFacts> tickets,
                                            Instant t);

}  // namespace slamon
