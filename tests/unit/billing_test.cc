// Billing attribution (quota/billing.h, docs/design.md §1 and §4): which
// tickets' incidents are billable. Expectations worked out by hand in the
// comments; a property test ties the per-ticket figures to AssessPartner's.
#include "quota/billing.h"

#include <random>

#include "test_time.h"

using namespace slamon;
using slamon::testing::At;
using slamon::testing::Show;

namespace {

Partner Signed(std::string_view signed_at, const char* zone = nullptr,
               CreditKind credit = CreditKind::kQuota) {
  Partner p;
  p.id = "p1";
  p.contract_signed_at = At(signed_at);
  p.zone = zone != nullptr ? date::locate_zone(zone) : nullptr;
  p.credit = credit;
  return p;
}

// `id`: a string literal (BillingFacts holds a view of it).
BillingFacts Ticket(std::string_view id, std::string_view opened_at, int incidents,
                    bool new_defect = false) {
  return {id, {At(opened_at), incidents, new_defect, false}};
}

std::vector<int> Billable(const std::vector<TicketBilling>& billing) {
  std::vector<int> out;
  for (const auto& b : billing) out.push_back(b.billable_incidents);
  return out;
}

}  // namespace

TEST_CASE("Incidents past the limit are billable, numbered by opening then ticket id") {
  // Signed 2026-01-10 00:00Z: period 1 is [2026-02-09, 2027-01-10) with 20.
  // In order of (opened, id): T-1 numbers 1-10, T-2 11-13 (same instant as
  // T-3, smaller id), T-3 14-21, T-4 22-23. Past 20: one of T-3, both of T-4.
  const Partner partner = Signed("2026-01-10T00:00:00Z");
  std::vector<BillingFacts> tickets = {Ticket("T-4", "2026-05-01T10:00:00Z", 2),
                                       Ticket("T-3", "2026-04-01T10:00:00Z", 8),
                                       Ticket("T-1", "2026-03-01T10:00:00Z", 10),
                                       Ticket("T-2", "2026-04-01T10:00:00Z", 3)};
  const Instant t = At("2026-11-04T11:00:00Z");
  auto billing = AttributeBilling(partner, BuiltinPolicy(), tickets, t);
  CHECK(Billable(billing) == std::vector<int>{2, 1, 0, 0});
  for (const auto& b : billing) CHECK(Show(b.period_start) == "2026-02-09T00:00:00Z");

  // A new defect on T-1 earns a credit: 21 free, T-3 ends at 21, only T-4's 2.
  tickets[2].quota.new_defect = true;
  CHECK(Billable(AttributeBilling(partner, BuiltinPolicy(), tickets, t)) ==
        std::vector<int>{2, 0, 0, 0});
  // The same for a credit: paid partner: the limit stays 20 (over 3), one
  // billable incident is waived: still T-4's two.
  const Partner paid = Signed("2026-01-10T00:00:00Z", nullptr, CreditKind::kPaid);
  CHECK(Billable(AttributeBilling(paid, BuiltinPolicy(), tickets, t)) ==
        std::vector<int>{2, 0, 0, 0});
  std::vector<TicketQuotaFacts> facts;
  for (const auto& ticket : tickets) facts.push_back(ticket.quota);
  PartnerQuota q = AssessPartner(paid, {}, facts, BuiltinPolicy(), t);
  CHECK(q.over_quota == 3);
  CHECK(q.billable_incidents == 2);
}

TEST_CASE(
    "Billing: a first-30-days credit frees one incident of the first limited period") {
  // Signed 2026-01-10 00:00Z. T-0 (period 0, unlimited) reports a new defect:
  // its credit is period 1's, so 21 are free there; T-1 has 22: one billable.
  // T-0 itself is never billable.
  const Partner partner = Signed("2026-01-10T00:00:00Z");
  std::vector<BillingFacts> tickets = {Ticket("T-0", "2026-01-20T10:00:00Z", 5, true),
                                       Ticket("T-1", "2026-03-01T10:00:00Z", 22)};
  auto billing =
      AttributeBilling(partner, BuiltinPolicy(), tickets, At("2026-11-04T11:00:00Z"));
  CHECK(Billable(billing) == std::vector<int>{0, 1});
  CHECK(Show(billing[0].period_start) == "2026-01-10T00:00:00Z");
  CHECK(billing[0].period_index == 0);  // the unlimited first period
  CHECK(Show(billing[1].period_start) == "2026-02-09T00:00:00Z");
  CHECK(billing[1].period_index == 1);
}

TEST_CASE("Billing counts periods on the partner's local calendar (Tokyo, Sydney)") {
  // Tokyo, signed 2023-03-01 00:00 JST (2023-02-28T15:00Z): the 2024 contract
  // year starts 2024-03-01 00:00 JST = 2024-02-29T15:00Z. A ticket opened
  // 2024-03-01 01:00 JST (2024-02-29T16:00Z) is the new year's: its 21
  // incidents are 1-21, one billable. One opened 2024-02-29 23:00 JST is the
  // old year's (first limited period, 20): 20 incidents, none billable.
  const Partner tokyo = Signed("2023-03-01T00:00:00+09:00", "Asia/Tokyo");
  std::vector<BillingFacts> tickets = {Ticket("old", "2024-02-29T23:00:00+09:00", 20),
                                       Ticket("new", "2024-03-01T01:00:00+09:00", 21)};
  auto billing =
      AttributeBilling(tokyo, BuiltinPolicy(), tickets, At("2024-06-01T00:00:00Z"));
  CHECK(Billable(billing) == std::vector<int>{0, 1});
  CHECK(Show(billing[0].period_start) == "2023-03-30T15:00:00Z");
  CHECK(Show(billing[1].period_start) == "2024-02-29T15:00:00Z");

  // Sydney, signed 2024-02-29 09:00 AEDT: the 2025 year starts 2025-02-28
  // 09:00 AEDT = 2025-02-27T22:00Z (no 29 February). A ticket at 08:59 local
  // on 28 February 2025 is still the first limited period's.
  const Partner sydney = Signed("2024-02-29T09:00:00+11:00", "Australia/Sydney");
  std::vector<BillingFacts> two = {Ticket("a", "2025-02-28T08:59:00+11:00", 25),
                                   Ticket("b", "2025-02-28T09:00:00+11:00", 25)};
  auto sydney_billing =
      AttributeBilling(sydney, BuiltinPolicy(), two, At("2025-03-01T00:00:00Z"));
  CHECK(Billable(sydney_billing) == std::vector<int>{5, 5});
  CHECK(Show(sydney_billing[0].period_start) == "2024-03-29T22:00:00Z");
  CHECK(Show(sydney_billing[1].period_start) == "2025-02-27T22:00:00Z");
}

TEST_CASE("Tickets opened after the evaluation instant are not billed yet") {
  const Partner partner = Signed("2026-01-10T00:00:00Z");
  std::vector<BillingFacts> tickets = {Ticket("T-1", "2026-03-01T10:00:00Z", 20),
                                       Ticket("T-2", "2026-06-01T10:00:00Z", 4)};
  CHECK(Billable(AttributeBilling(partner, BuiltinPolicy(), tickets,
                                  At("2026-05-01T00:00:00Z"))) == std::vector<int>{0, 0});
  CHECK(Billable(AttributeBilling(partner, BuiltinPolicy(), tickets,
                                  At("2026-07-01T00:00:00Z"))) == std::vector<int>{0, 4});
}

TEST_CASE(
    "Per-ticket billable incidents add up to the partner's, for both credit kinds") {
  // Property: over random tickets, the billable incidents of the tickets of
  // the period holding t sum to AssessPartner's billable_incidents.
  std::mt19937_64 rng(20261203);
  for (int run = 0; run < 200; ++run) {
    INFO("run " << run);
    const CreditKind kind = run % 2 == 0 ? CreditKind::kQuota : CreditKind::kPaid;
    const Partner partner = Signed("2025-03-01T00:00:00+09:00", "Asia/Tokyo", kind);
    std::vector<BillingFacts> tickets;
    const int count = static_cast<int>(rng() % 40);
    std::vector<std::string> ids;
    ids.reserve(static_cast<size_t>(count));  // the views below must stay valid
    for (int i = 0; i < count; ++i) {
      const Instant opened = partner.contract_signed_at +
                             Seconds{static_cast<int64_t>(rng() % (500 * 86400))};
      ids.push_back("T-" + std::to_string(rng() % 30));
      tickets.push_back(
          {ids.back(), {opened, static_cast<int>(rng() % 4), rng() % 5 == 0, false}});
    }
    const Instant t =
        partner.contract_signed_at + Seconds{static_cast<int64_t>(rng() % (520 * 86400))};
    std::vector<TicketQuotaFacts> facts;
    for (const auto& ticket : tickets) facts.push_back(ticket.quota);
    const PartnerQuota q = AssessPartner(partner, {}, facts, BuiltinPolicy(), t);
    const auto billing = AttributeBilling(partner, BuiltinPolicy(), tickets, t);
    int sum = 0;
    for (const auto& b : billing) {
      if (b.period_index == q.period.index) sum += b.billable_incidents;
    }
    CHECK(sum == q.billable_incidents);
  }
}
