// JSON shapes of slamon's reports: the `{"type":"ticket",...}` and
// `{"type":"partner",...}` lines of docs/design.md §4, shared by `slamon
// evaluate` and `slamon explain --json`. Field order follows the contract;
// fields beyond it (state, at_risk, opened_at, ...) come after.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/engine.h"
#include "quota/billing.h"
#include "quota/partner_quota.h"

namespace slamon {

// `billing`: which quota period counted the ticket and how many of its
// incidents are billable (std::nullopt: an unknown partner — 0 and null).
nlohmann::ordered_json TicketJson(const TicketEvaluation& ticket,
                                  const std::optional<TicketBilling>& billing);
nlohmann::ordered_json PartnerJson(const std::string& partner, const PartnerQuota& quota);

}  // namespace slamon
