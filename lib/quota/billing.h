// Billing attribution: which tickets' incidents are billable (DESIGN sections
// 1, 4 and 5), so an invoice can name the tickets, not only a count.
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
// credits of the whole period).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "instant/instant.h"
#include "policy/policy.h"
#include "quota/partner.h"
#include "quota/partner_quota.h"
#include "quota/quota_period.h"

namespace slamon {

// One ticket of the partner as billing sees it.
struct BillingFacts {
  std::string ticket;
  TicketQuotaFacts quota;
};

struct TicketBilling {
  QuotaPeriod period;  // the period that holds the ticket's opening
  int billable_incidents = 0;

  bool operator==(const TicketBilling&) const = default;
};

// The billing of each ticket of `tickets` (the partner's, in any order), in
// that order, evaluated at `t` with the tickets opened at or before it.
std::vector<TicketBilling> AttributeBilling(const Partner& partner, const Policy& policy,
                                            std::span<const BillingFacts> tickets,
                                            Instant t);

}  // namespace slamon
