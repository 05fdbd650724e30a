#include "quota/billing.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace slamon {

std::vector<TicketBilling> AttributeBilling(const Partner& partner, const Policy& policy,
                                            std::span<const BillingFacts> tickets,
                                            Instant t) {
  std::vector<TicketBilling> billing(tickets.size());
  struct Period {
    QuotaPeriod period;
    int credits = 0;
    std::vector<size_t> tickets;  // indexes into `tickets`, opened at or before t
  };
  std::map<int, Period> periods;
  std::optional<QuotaPeriod> last;  // tickets tend to come in time order
  for (size_t i = 0; i < tickets.size(); ++i) {
    const TicketQuotaFacts& facts = tickets[i].quota;
    if (!last || !last->Contains(facts.opened_at)) {
      last = QuotaPeriodAt(partner.contract_signed_at, partner.zone, facts.opened_at,
                           policy.quota);
    }
    billing[i].period_start = last->start;
    billing[i].period_index = last->index;
    if (facts.opened_at > t) continue;
    Period& own = periods[last->index];
    own.period = *last;
    own.tickets.push_back(i);
    if (facts.new_defect) ++periods[CreditPeriodIndex(last->index)].credits;
  }
  for (auto& [index, p] : periods) {
    // A period that only received credits has no tickets (and no period set).
    if (p.tickets.empty() || !p.period.base_limit) continue;
    std::sort(p.tickets.begin(), p.tickets.end(), [&](size_t a, size_t b) {
      return std::tie(tickets[a].quota.opened_at, tickets[a].ticket) <
             std::tie(tickets[b].quota.opened_at, tickets[b].ticket);
    });
    const int64_t free_incidents = int64_t{*p.period.base_limit} + p.credits;
    int64_t numbered = 0;  // incidents numbered before this ticket
    for (size_t i : p.tickets) {
      const int64_t own = std::max(0, tickets[i].quota.incidents);
      const int64_t past = numbered + own - std::max(free_incidents, numbered);
      billing[i].billable_incidents = static_cast<int>(std::clamp<int64_t>(past, 0, own));
      numbered += own;
    }
  }
  return billing;
}

}  // namespace slamon
