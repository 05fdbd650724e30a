// Incident quota and certification: worked examples of docs/design.md §1 and §4,
// computed by hand in the comments.
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "quota/certification.h"
#include "quota/partner_quota.h"
#include "quota/quota_period.h"
#include "test_time.h"

using namespace slamon;
using slamon::testing::At;
using slamon::testing::Show;

namespace {

std::string Text(const std::optional<Instant>& t) { return t ? Show(*t) : "null"; }

// "[start, end) limit" of a quota period, limit "unlimited" or a number.
std::string Describe(const QuotaPeriod& p) {
  return "#" + std::to_string(p.index) + " [" + Show(p.start) + ", " + Show(p.end) +
         ") " + (p.base_limit ? std::to_string(*p.base_limit) : "unlimited");
}

std::string PeriodAt(std::string_view signed_at, std::string_view t) {
  return Describe(QuotaPeriodAt(At(signed_at), nullptr, At(t), QuotaRules{}));
}

TicketQuotaFacts Ticket(std::string_view opened_at, int incidents) {
  return TicketQuotaFacts{At(opened_at), incidents, false, false};
}

TicketQuotaFacts NewDefect(std::string_view opened_at, int incidents) {
  return TicketQuotaFacts{At(opened_at), incidents, true, false};
}

TicketQuotaFacts WithFee(std::string_view opened_at, int incidents) {
  return TicketQuotaFacts{At(opened_at), incidents, false, true};
}

// A partner signed at `signed_at`, in `zone` (nullptr: UTC).
Partner Signed(Instant signed_at, const char* zone = nullptr) {
  Partner p;
  p.id = "p1";
  p.contract_signed_at = signed_at;
  p.zone = zone != nullptr ? date::locate_zone(zone) : nullptr;
  return p;
}

Certification Passed(std::string employee, std::string_view at) {
  return Certification{"p1", std::move(employee), At(at)};
}

}  // namespace

// === Quota periods ===========================================================

TEST_CASE("Period 0: the first 30 days after signing are unlimited") {
  // Signed 2026-01-10 00:00Z; + 30 days = 2026-02-09 00:00Z.
  CHECK(PeriodAt("2026-01-10T00:00:00Z", "2026-01-10T00:00:00Z") ==
        "#0 [2026-01-10T00:00:00Z, 2026-02-09T00:00:00Z) unlimited");
  CHECK(PeriodAt("2026-01-10T00:00:00Z", "2026-02-08T23:59:59Z") ==
        "#0 [2026-01-10T00:00:00Z, 2026-02-09T00:00:00Z) unlimited");
  // Before the signing: still period 0.
  CHECK(PeriodAt("2026-01-10T00:00:00Z", "2025-12-01T00:00:00Z") ==
        "#0 [2026-01-10T00:00:00Z, 2026-02-09T00:00:00Z) unlimited");

  // No limit, so nothing is over it.
  std::vector<TicketQuotaFacts> tickets = {Ticket("2026-01-12T09:00:00Z", 30),
                                           Ticket("2026-01-20T09:00:00Z", 20)};
  PartnerQuota q = AssessPartner(Signed(At("2026-01-10T00:00:00Z")), {}, tickets,
                                 BuiltinPolicy(), At("2026-01-25T00:00:00Z"));
  CHECK(q.incidents_used == 50);
  CHECK_FALSE(q.incidents_limit);
  CHECK(q.over_quota == 0);
}

TEST_CASE("Period 1: the rest of the first contract year allows 20") {
  // [signed + 30 d, signed + 1 y) = [2026-02-09, 2027-01-10).
  CHECK(PeriodAt("2026-01-10T00:00:00Z", "2026-02-09T00:00:00Z") ==
        "#1 [2026-02-09T00:00:00Z, 2027-01-10T00:00:00Z) 20");
  CHECK(PeriodAt("2026-01-10T00:00:00Z", "2027-01-09T23:59:59Z") ==
        "#1 [2026-02-09T00:00:00Z, 2027-01-10T00:00:00Z) 20");
}

TEST_CASE("Later contract years allow 20 each") {
  CHECK(PeriodAt("2026-01-10T00:00:00Z", "2027-01-10T00:00:00Z") ==
        "#2 [2027-01-10T00:00:00Z, 2028-01-10T00:00:00Z) 20");
  // 2029-06-01 lies in the fourth contract year [S + 3 y, S + 4 y).
  CHECK(PeriodAt("2026-01-10T00:00:00Z", "2029-06-01T00:00:00Z") ==
        "#4 [2029-01-10T00:00:00Z, 2030-01-10T00:00:00Z) 20");
  // Twenty years on, the years are still counted on the calendar (no drift from
  // leap days): [S + 19 y, S + 20 y).
  CHECK(PeriodAt("2026-01-10T00:00:00Z", "2046-01-09T23:59:59Z") ==
        "#20 [2045-01-10T00:00:00Z, 2046-01-10T00:00:00Z) 20");
  CHECK(PeriodAt("2026-01-10T00:00:00Z", "2046-01-10T00:00:00Z") ==
        "#21 [2046-01-10T00:00:00Z, 2047-01-10T00:00:00Z) 20");
}

TEST_CASE(
    "Signing on February 29: each year is counted from the signing, clamped to Feb 28") {
  // Signed 2028-02-29 09:00Z. + 30 days = 2028-03-30 09:00Z. 2029 has no Feb 29, so
  // signed + 1 y = 2029-02-28 09:00Z; signed + 4 y = 2032-02-29 again.
  const char* s = "2028-02-29T09:00:00Z";
  CHECK(PeriodAt(s, "2028-03-01T00:00:00Z") ==
        "#0 [2028-02-29T09:00:00Z, 2028-03-30T09:00:00Z) unlimited");
  CHECK(PeriodAt(s, "2028-03-30T09:00:00Z") ==
        "#1 [2028-03-30T09:00:00Z, 2029-02-28T09:00:00Z) 20");
  CHECK(PeriodAt(s, "2029-02-28T09:00:00Z") ==
        "#2 [2029-02-28T09:00:00Z, 2030-02-28T09:00:00Z) 20");
  CHECK(PeriodAt(s, "2032-02-28T12:00:00Z") ==
        "#4 [2031-02-28T09:00:00Z, 2032-02-29T09:00:00Z) 20");
  CHECK(PeriodAt(s, "2032-02-29T09:00:00Z") ==
        "#5 [2032-02-29T09:00:00Z, 2033-02-28T09:00:00Z) 20");
}

TEST_CASE("Signing on the 31st: 30 days are days, years keep the date") {
  // Signed 2026-01-31 12:00Z. January has 31 days, February 28: + 30 days = 2 Mar.
  const char* s = "2026-01-31T12:00:00Z";
  CHECK(PeriodAt(s, "2026-03-02T11:59:59Z") ==
        "#0 [2026-01-31T12:00:00Z, 2026-03-02T12:00:00Z) unlimited");
  CHECK(PeriodAt(s, "2026-03-02T12:00:00Z") ==
        "#1 [2026-03-02T12:00:00Z, 2027-01-31T12:00:00Z) 20");
  CHECK(PeriodAt(s, "2027-06-30T00:00:00Z") ==
        "#2 [2027-01-31T12:00:00Z, 2028-01-31T12:00:00Z) 20");
  // Signed on 31 Dec: + 30 days = 30 Jan; the years run 31 Dec to 31 Dec.
  CHECK(PeriodAt("2026-12-31T00:00:00Z", "2027-01-30T00:00:00Z") ==
        "#1 [2027-01-30T00:00:00Z, 2027-12-31T00:00:00Z) 20");
}

TEST_CASE("Quota rules come from the policy") {
  QuotaRules rules;
  rules.unlimited_for = Seconds{14 * 86400};
  rules.first_year_incidents = 10;
  rules.yearly_incidents = 12;
  Instant s = At("2026-01-10T00:00:00Z");
  CHECK(Describe(QuotaPeriodAt(s, nullptr, At("2026-01-24T00:00:00Z"), rules)) ==
        "#1 [2026-01-24T00:00:00Z, 2027-01-10T00:00:00Z) 10");
  CHECK(Describe(QuotaPeriodAt(s, nullptr, At("2027-01-10T00:00:00Z"), rules)) ==
        "#2 [2027-01-10T00:00:00Z, 2028-01-10T00:00:00Z) 12");
}

// === Counting incidents ======================================================

TEST_CASE("Incidents count in the period that holds the ticket's opening") {
  Instant signed_at = At("2026-01-10T00:00:00Z");
  std::vector<TicketQuotaFacts> tickets = {
      Ticket("2026-02-08T23:59:59Z", 4),  // period 0: not counted in period 1
      Ticket("2026-02-09T00:00:00Z", 3),  // a ticket holding three issues
      Ticket("2026-06-01T10:00:00Z", 1),
      Ticket("2026-11-05T10:00:00Z", 2),  // opened after t: not known yet
  };
  PartnerQuota q = AssessPartner(Signed(signed_at), {}, tickets, BuiltinPolicy(),
                                 At("2026-11-04T11:00:00Z"));
  CHECK(Show(q.period.start) == "2026-02-09T00:00:00Z");
  CHECK(q.incidents_used == 4);
  CHECK(q.incidents_limit == 20);
  CHECK(q.credits == 0);
  CHECK(q.over_quota == 0);
}

TEST_CASE("A new-defect ticket adds one credit to the limit of its own period") {
  Instant signed_at = At("2026-01-10T00:00:00Z");
  std::vector<TicketQuotaFacts> tickets = {
      NewDefect("2026-03-01T10:00:00Z", 2),  // period 1: limit 20 + 1
      Ticket("2026-04-01T10:00:00Z", 20),
  };
  PartnerQuota q = AssessPartner(Signed(signed_at), {}, tickets, BuiltinPolicy(),
                                 At("2026-11-04T11:00:00Z"));
  // Used 2 + 20 = 22; limit 20 + 1 = 21; over by 1, billable 1.
  CHECK(q.incidents_used == 22);
  CHECK(q.credits == 1);
  CHECK(q.incidents_limit == 21);
  CHECK(q.over_quota == 1);
  CHECK(q.billable_incidents == 1);
  CHECK(q.FreeIncidents() == 21);

  // A year later, period 2 starts from scratch.
  PartnerQuota next = AssessPartner(Signed(signed_at), {}, tickets, BuiltinPolicy(),
                                    At("2027-02-01T00:00:00Z"));
  CHECK(next.period.index == 2);
  CHECK(next.incidents_used == 0);
  CHECK(next.credits == 0);
  CHECK(next.incidents_limit == 20);
  CHECK(next.over_quota == 0);
  CHECK(next.billable_incidents == 0);
}

TEST_CASE(
    "Finding 5: a credit earned in the first 30 days goes to the first limited period") {
  // Signed 2026-01-10 00:00Z (UTC): period 0 [2026-01-10, 2026-02-09) unlimited,
  // period 1 [2026-02-09, 2027-01-10) with 20. A new defect reported on a ticket
  // of 2026-01-20 earns its credit for period 1: limit 21 there (it was lost,
  // limit 20). 21 incidents in period 1: none over.
  Instant signed_at = At("2026-01-10T00:00:00Z");
  std::vector<TicketQuotaFacts> tickets = {
      NewDefect("2026-01-20T10:00:00Z", 1),  // period 0
      Ticket("2026-03-01T10:00:00Z", 21),    // period 1
  };
  PartnerQuota q = AssessPartner(Signed(signed_at), {}, tickets, BuiltinPolicy(),
                                 At("2026-11-04T11:00:00Z"));
  CHECK(q.period.index == 1);
  CHECK(q.incidents_used == 21);  // the period-0 ticket's incident stays in period 0
  CHECK(q.credits == 1);
  CHECK(q.incidents_limit == 21);
  CHECK(q.over_quota == 0);
  // In period 0 itself the credit is not shown: it is not that period's.
  PartnerQuota early = AssessPartner(Signed(signed_at), {}, tickets, BuiltinPolicy(),
                                     At("2026-01-25T00:00:00Z"));
  CHECK(early.period.index == 0);
  CHECK(early.credits == 0);
  CHECK(early.incidents_used == 1);
  CHECK_FALSE(early.incidents_limit);
  // Nor in period 2.
  CHECK(AssessPartner(Signed(signed_at), {}, tickets, BuiltinPolicy(),
                      At("2027-01-10T00:00:00Z"))
            .credits == 0);
}

TEST_CASE("Finding 5 in Auckland: the first 30 local days end at local midnight") {
  // Signed 2026-01-10 00:00 NZDT (+13) = 2026-01-09T11:00Z; 30 local days end
  // 2026-02-09 00:00 NZDT = 2026-02-08T11:00Z. A new defect opened
  // 2026-02-08 23:30 NZDT (2026-02-08T10:30Z) is in period 0: its credit goes
  // to period 1. One opened at 2026-02-09 00:30 NZDT is in period 1 itself.
  Partner auckland = Signed(At("2026-01-10T00:00:00+13:00"), "Pacific/Auckland");
  std::vector<TicketQuotaFacts> tickets = {
      NewDefect("2026-02-08T23:30:00+13:00", 3),
      NewDefect("2026-02-09T00:30:00+13:00", 2),
      Ticket("2026-05-01T09:00:00+12:00", 20),
  };
  PartnerQuota q =
      AssessPartner(auckland, {}, tickets, BuiltinPolicy(), At("2026-06-01T00:00:00Z"));
  CHECK(Show(q.period.start) == "2026-02-08T11:00:00Z");
  CHECK(q.incidents_used == 22);  // 2 + 20
  CHECK(q.credits == 2);
  CHECK(q.incidents_limit == 22);
  CHECK(q.over_quota == 0);
}

TEST_CASE("Finding 5 for a 29 February contract in Sydney") {
  // Signed 2024-02-29 09:00 AEDT (+11) = 2024-02-28T22:00Z. The unlimited 30
  // local days end 2024-03-30 09:00 AEDT = 2024-03-29T22:00Z; the first
  // limited period runs to 2025-02-28 09:00 AEDT = 2025-02-27T22:00Z (no 29
  // February in 2025). A new defect opened 2024-03-30 08:00 AEDT (period 0)
  // raises that period's limit to 21; so does one of 2024-08-01 10:00 AEST
  // (period 1 itself): 22. 23 incidents in period 1: one over.
  Partner sydney = Signed(At("2024-02-29T09:00:00+11:00"), "Australia/Sydney");
  std::vector<TicketQuotaFacts> tickets = {
      NewDefect("2024-03-30T08:00:00+11:00", 1),
      NewDefect("2024-08-01T10:00:00+10:00", 3), Ticket("2025-02-28T08:59:59+11:00", 20),
      Ticket("2025-02-28T09:00:00+11:00", 5),  // the next contract year's
  };
  PartnerQuota q =
      AssessPartner(sydney, {}, tickets, BuiltinPolicy(), At("2025-02-27T21:59:59Z"));
  CHECK(Show(q.period.start) == "2024-03-29T22:00:00Z");
  CHECK(Show(q.period.end) == "2025-02-27T22:00:00Z");
  CHECK(q.incidents_used == 23);
  CHECK(q.credits == 2);
  CHECK(q.incidents_limit == 22);
  CHECK(q.over_quota == 1);
  CHECK(q.billable_incidents == 1);
  PartnerQuota next =
      AssessPartner(sydney, {}, tickets, BuiltinPolicy(), At("2025-02-27T22:00:00Z"));
  CHECK(next.period.index == 2);
  CHECK(next.incidents_used == 5);
  CHECK(next.credits == 0);
}

TEST_CASE("credit: paid waives billable incidents instead of raising the limit") {
  // Signed 2026-01-10 00:00Z; period 1 has base limit 20. New defects: one in
  // period 0 (credit for period 1), one in period 1. 25 incidents in period 1.
  //   quota: limit 20 + 2 = 22, over 3, billable 3
  //   paid:  limit 20, over 5, billable 5 - 2 = 3
  // Either way the first 22 incidents are free.
  std::vector<TicketQuotaFacts> tickets = {
      NewDefect("2026-01-20T10:00:00Z", 1),
      NewDefect("2026-03-01T10:00:00Z", 5),
      Ticket("2026-04-01T10:00:00Z", 20),
  };
  Partner quota_partner = Signed(At("2026-01-10T00:00:00Z"));
  Partner paid_partner = quota_partner;
  paid_partner.credit = CreditKind::kPaid;
  const Instant t = At("2026-11-04T11:00:00Z");
  PartnerQuota quota = AssessPartner(quota_partner, {}, tickets, BuiltinPolicy(), t);
  CHECK(quota.incidents_limit == 22);
  CHECK(quota.credits == 2);
  CHECK(quota.over_quota == 3);
  CHECK(quota.billable_incidents == 3);
  PartnerQuota paid = AssessPartner(paid_partner, {}, tickets, BuiltinPolicy(), t);
  CHECK(paid.incidents_limit == 20);
  CHECK(paid.credits == 2);
  CHECK(paid.over_quota == 5);
  CHECK(paid.billable_incidents == 3);
  CHECK(paid.FreeIncidents() == 22);

  // More paid credits than incidents over: billable never goes below 0.
  std::vector<TicketQuotaFacts> few = {NewDefect("2026-03-01T10:00:00Z", 1),
                                       NewDefect("2026-03-02T10:00:00Z", 1),
                                       Ticket("2026-04-01T10:00:00Z", 19)};
  PartnerQuota under = AssessPartner(paid_partner, {}, few, BuiltinPolicy(), t);
  CHECK(under.over_quota == 1);  // 21 used, limit 20
  CHECK(under.billable_incidents == 0);
}

TEST_CASE("Fees count the period's tickets that carry one") {
  std::vector<TicketQuotaFacts> tickets = {
      WithFee("2026-01-20T10:00:00Z", 1),  // period 0
      WithFee("2026-03-01T10:00:00Z", 1), Ticket("2026-04-01T10:00:00Z", 1),
      WithFee("2026-05-01T10:00:00Z", 3),  // one fee per ticket, not per incident
  };
  PartnerQuota q = AssessPartner(Signed(At("2026-01-10T00:00:00Z")), {}, tickets,
                                 BuiltinPolicy(), At("2026-11-04T11:00:00Z"));
  CHECK(q.fees == 2);
  CHECK(q.incidents_used == 5);
}

TEST_CASE("Example of docs/design.md §4: the partner line") {
  // Signed 2026-01-10, evaluated 2026-11-04 11:00Z: period 1 [2026-02-09, 2027-01-10).
  // Incidents in it: 3 + 5 + 4 + 2 + 6 + 2 + 1 = 23; one new defect: limit 20 + 1 = 21;
  // over quota 23 - 21 = 2.
  std::vector<TicketQuotaFacts> tickets = {
      Ticket("2026-01-20T09:00:00Z", 5),     // period 0
      NewDefect("2026-02-09T00:00:00Z", 3),  // first instant of period 1
      Ticket("2026-03-15T08:00:00Z", 5),    Ticket("2026-05-02T09:30:00Z", 4),
      Ticket("2026-07-20T14:00:00Z", 2),    Ticket("2026-09-01T07:00:00Z", 6),
      Ticket("2026-10-12T16:45:00Z", 2),    Ticket("2026-11-04T10:00:00Z", 1),  // T-1
      Ticket("2026-11-04T12:00:00Z", 1),  // after the evaluation instant
  };
  // e1 valid until 2026-12-01, e2 until 2027-09-01.
  std::vector<Certification> certifications = {Passed("e1", "2025-06-01T00:00:00Z"),
                                               Passed("e2", "2026-03-01T00:00:00Z")};
  PartnerQuota q = AssessPartner(Signed(At("2026-01-10T00:00:00Z")), certifications,
                                 tickets, BuiltinPolicy(), At("2026-11-04T11:00:00Z"));
  CHECK(Show(q.period.start) == "2026-02-09T00:00:00Z");
  CHECK(Show(q.period.end) == "2027-01-10T00:00:00Z");
  CHECK(q.period.base_limit.has_value());  // "unlimited": false
  CHECK(q.incidents_used == 23);
  CHECK(q.incidents_limit == 21);
  CHECK(q.credits == 1);
  CHECK(q.over_quota == 2);
  CHECK(q.billable_incidents == 2);
  CHECK(q.fees == 0);
  CHECK(q.certified);
  CHECK(q.certified_employees == 2);
  // Certified while both hold: until e1 lapses.
  CHECK(Text(q.certified_until) == "2026-12-01T00:00:00Z");
}

// === Certification ===========================================================

TEST_CASE("A certification is valid for 18 calendar months from its exam, half-open") {
  CertificationRules rules;
  // e1 passed 2025-05-04 10:00Z: valid [2025-05-04 10:00Z, 2026-11-04 10:00Z).
  std::vector<Certification> certs = {Passed("e1", "2025-05-04T10:00:00Z"),
                                      Passed("e2", "2026-01-01T00:00:00Z")};
  CHECK(CertifiedEmployees(certs, At("2025-05-04T09:59:59Z"), rules, nullptr) ==
        0);  // before the exam
  CHECK(CertifiedEmployees(certs, At("2025-05-04T10:00:00Z"), rules, nullptr) == 1);
  CHECK(CertifiedEmployees(certs, At("2026-11-04T09:59:59Z"), rules, nullptr) == 2);
  CHECK(IsCertified(certs, At("2026-11-04T09:59:59Z"), rules, nullptr));
  // Exactly 18 months later it is no longer valid.
  CHECK(CertifiedEmployees(certs, At("2026-11-04T10:00:00Z"), rules, nullptr) == 1);
  CHECK_FALSE(IsCertified(certs, At("2026-11-04T10:00:00Z"), rules, nullptr));
}

TEST_CASE("18 months from the 31st end on the last day of the shorter month") {
  CertificationRules rules;
  // 2025-08-31 + 18 months = 2027-02-31, which does not exist: 2027-02-28.
  std::vector<Certification> certs = {Passed("e1", "2025-08-31T00:00:00Z")};
  CHECK(CertifiedEmployees(certs, At("2027-02-27T23:59:59Z"), rules, nullptr) == 1);
  CHECK(CertifiedEmployees(certs, At("2027-02-28T00:00:00Z"), rules, nullptr) == 0);
}

TEST_CASE("Certified means at least two distinct employees hold a valid certification") {
  CertificationRules rules;
  Instant t = At("2026-11-04T11:00:00Z");
  // The same employee certified twice counts once.
  std::vector<Certification> one_twice = {Passed("e1", "2025-06-01T00:00:00Z"),
                                          Passed("e1", "2026-06-01T00:00:00Z")};
  CHECK(CertifiedEmployees(one_twice, t, rules, nullptr) == 1);
  CHECK_FALSE(IsCertified(one_twice, t, rules, nullptr));
  CHECK_FALSE(CertifiedUntil(one_twice, t, rules, nullptr));

  std::vector<Certification> two = {Passed("e1", "2025-06-01T00:00:00Z"),
                                    Passed("e1", "2026-06-01T00:00:00Z"),
                                    Passed("e2", "2026-03-01T00:00:00Z")};
  CHECK(CertifiedEmployees(two, t, rules, nullptr) == 2);
  CHECK(IsCertified(two, t, rules, nullptr));

  // A certification passed after t does not count yet.
  std::vector<Certification> future = {Passed("e1", "2025-06-01T00:00:00Z"),
                                       Passed("e2", "2026-11-05T00:00:00Z")};
  CHECK_FALSE(IsCertified(future, t, rules, nullptr));

  // The threshold is configuration.
  rules.min_certified_employees = 3;
  CHECK_FALSE(IsCertified(two, t, rules, nullptr));
}

TEST_CASE("CertifiedUntil: when too few valid certifications would remain") {
  CertificationRules rules;
  Instant t = At("2026-11-04T11:00:00Z");
  // Valid until: e1 2026-12-01, e2 2027-09-01, e3 2027-11-01. Two must remain: when e1
  // lapses e2 and e3 remain; when e2 lapses only e3 does: 2027-09-01.
  std::vector<Certification> three = {Passed("e1", "2025-06-01T00:00:00Z"),
                                      Passed("e2", "2026-03-01T00:00:00Z"),
                                      Passed("e3", "2026-05-01T00:00:00Z")};
  CHECK(Text(CertifiedUntil(three, t, rules, nullptr)) == "2027-09-01T00:00:00Z");

  // e1 renewed on 2026-10-01 (valid until 2028-04-01): its latest validity counts,
  // so the two longest are e1 and e3; e3 lapsing on 2027-11-01 ends it.
  three.push_back(Passed("e1", "2026-10-01T00:00:00Z"));
  CHECK(Text(CertifiedUntil(three, t, rules, nullptr)) == "2027-11-01T00:00:00Z");

  // Exactly two: the first to lapse ends it.
  std::vector<Certification> two = {Passed("e1", "2025-06-01T00:00:00Z"),
                                    Passed("e2", "2026-03-01T00:00:00Z")};
  CHECK(Text(CertifiedUntil(two, t, rules, nullptr)) == "2026-12-01T00:00:00Z");
  // At that instant it is no longer certified.
  CHECK_FALSE(IsCertified(two, At("2026-12-01T00:00:00Z"), rules, nullptr));
  CHECK_FALSE(CertifiedUntil(two, At("2026-12-01T00:00:00Z"), rules, nullptr));
}

// === Issue 11 finding 2: the partner's local calendar ========================
// Offsets: Asia/Tokyo +09:00 all year; Australia/Sydney +11:00 (AEDT) until the
// first Sunday of April, +10:00 (AEST) from then to the first Sunday of
// October; America/Sao_Paulo -03:00 all year since 2019.

TEST_CASE("Finding 2: Tokyo certifications last to 1 September local, not 29 August") {
  CertificationRules rules;
  const date::time_zone* tokyo = date::locate_zone("Asia/Tokyo");
  // Both passed 2025-03-01 00:00 JST = 2025-02-28T15:00Z. 18 local months
  // later: 2026-09-01 00:00 JST = 2026-08-31T15:00Z. On UTC dates the end was
  // 2026-08-28T15:00Z (29 August 00:00 JST).
  std::vector<Certification> certs = {Passed("e1", "2025-03-01T00:00:00+09:00"),
                                      Passed("e2", "2025-03-01T00:00:00+09:00")};
  CHECK(IsCertified(certs, At("2026-08-29T00:00:00+09:00"), rules, tokyo));
  CHECK(IsCertified(certs, At("2026-08-31T23:59:59+09:00"), rules, tokyo));
  CHECK_FALSE(IsCertified(certs, At("2026-09-01T00:00:00+09:00"), rules, tokyo));
  CHECK(Text(CertifiedUntil(certs, At("2026-01-01T00:00:00Z"), rules, tokyo)) ==
        "2026-08-31T15:00:00Z");
  // So a Tokyo ticket opened 2026-08-30 local carries no fee.
  Partner partner = Signed(At("2023-03-01T00:00:00+09:00"), "Asia/Tokyo");
  PartnerQuota q = AssessPartner(partner, certs, std::span<const TicketQuotaFacts>{},
                                 BuiltinPolicy(), At("2026-08-30T12:00:00+09:00"));
  CHECK(q.certified);
  CHECK(Text(q.certified_until) == "2026-08-31T15:00:00Z");
}

TEST_CASE("Finding 2: a Tokyo contract year starts on 1 March local") {
  // Signed 2023-03-01 00:00 JST = 2023-02-28T15:00Z. Periods, all at 00:00 JST:
  //   #0 [2023-03-01, 2023-03-31)      30 local days
  //   #1 [2023-03-31, 2024-03-01)      = [2023-03-30T15:00Z, 2024-02-29T15:00Z)
  //   #2 [2024-03-01, 2025-03-01)      = [2024-02-29T15:00Z, 2025-02-28T15:00Z)
  // On UTC dates the 2024 year started 2024-02-28T15:00Z, 29 February in Tokyo.
  Partner tokyo = Signed(At("2023-03-01T00:00:00+09:00"), "Asia/Tokyo");
  auto period = [&](std::string_view t) {
    return Describe(
        QuotaPeriodAt(tokyo.contract_signed_at, tokyo.zone, At(t), QuotaRules{}));
  };
  CHECK(period("2023-03-30T23:59:59+09:00") ==
        "#0 [2023-02-28T15:00:00Z, 2023-03-30T15:00:00Z) unlimited");
  CHECK(period("2024-02-29T12:00:00+09:00") ==
        "#1 [2023-03-30T15:00:00Z, 2024-02-29T15:00:00Z) 20");
  CHECK(period("2024-03-01T00:00:00+09:00") ==
        "#2 [2024-02-29T15:00:00Z, 2025-02-28T15:00:00Z) 20");
}

TEST_CASE("A Sydney contract signed on 29 February, across DST") {
  // Signed 2024-02-29 09:00 AEDT (+11) = 2024-02-28T22:00Z.
  //   + 30 local days = 2024-03-30 09:00 AEDT (DST ends 2024-04-07) = 2024-03-29T22:00Z
  //   + 1 year: no 29 February in 2025 -> 2025-02-28 09:00 AEDT = 2025-02-27T22:00Z
  //   + 2 years = 2026-02-28 09:00 AEDT = 2026-02-27T22:00Z
  Partner sydney = Signed(At("2024-02-29T09:00:00+11:00"), "Australia/Sydney");
  auto period = [&](std::string_view t) {
    return Describe(
        QuotaPeriodAt(sydney.contract_signed_at, sydney.zone, At(t), QuotaRules{}));
  };
  CHECK(period("2024-03-30T08:59:59+11:00") ==
        "#0 [2024-02-28T22:00:00Z, 2024-03-29T22:00:00Z) unlimited");
  CHECK(period("2024-07-01T00:00:00+10:00") ==
        "#1 [2024-03-29T22:00:00Z, 2025-02-27T22:00:00Z) 20");
  CHECK(period("2025-02-28T09:00:00+11:00") ==
        "#2 [2025-02-27T22:00:00Z, 2026-02-27T22:00:00Z) 20");
  // A certification passed in winter (AEST) ends 18 months later in summer
  // (AEDT) at the same wall-clock time: passed 2024-07-15 10:00 AEST =
  // 2024-07-15T00:00Z, valid until 2026-01-15 10:00 AEDT = 2026-01-14T23:00Z.
  std::vector<Certification> certs = {Passed("e1", "2024-07-15T10:00:00+10:00")};
  CertificationRules rules;
  rules.min_certified_employees = 1;
  CHECK(Text(CertifiedUntil(certs, At("2025-01-01T00:00:00Z"), rules, sydney.zone)) ==
        "2026-01-14T23:00:00Z");
}

TEST_CASE("A Sao Paulo contract (west of UTC) signed late in the evening") {
  // Signed 2025-12-31 22:00 BRT (-03) = 2026-01-01T01:00Z. Local years run
  // 31 December 22:00 to 31 December 22:00; on UTC dates they would run from
  // 1 January 01:00Z, which is the same instant here (no DST): the local
  // calendar changes nothing for a zone without DST west of UTC, except that
  // the 30 days end on 2026-01-30 22:00 BRT = 2026-01-31T01:00Z.
  Partner sp = Signed(At("2025-12-31T22:00:00-03:00"), "America/Sao_Paulo");
  CHECK(Describe(QuotaPeriodAt(sp.contract_signed_at, sp.zone, At("2026-06-01T00:00:00Z"),
                               QuotaRules{})) ==
        "#1 [2026-01-31T01:00:00Z, 2027-01-01T01:00:00Z) 20");
}
