#include "report/partner_report.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace slamon {

PartnerTickets EvaluatePartnerTickets(
    const std::string& partner_id, std::map<std::string, std::vector<TicketEvent>> events,
    const ReferenceBook& reference, const Rules& rules, Instant at) {
  PartnerTickets out;
  for (auto& [ticket, ticket_events] : events) {
    TicketExplanation x =
        ExplainTicket(ticket, std::move(ticket_events), {}, reference, rules, at);
    if (x.history.events.empty() || x.history.events.front().partner != partner_id) {
      continue;  // another partner's ticket, or no valid opened event
    }
    for (const auto& rejected : x.history.rejected)
      out.problems.push_back(rejected.message);
    for (const auto& note : x.notes)
      out.problems.push_back("ticket " + ticket + ": " + note);
    if (x.evaluation) out.tickets.push_back(std::move(*x.evaluation));
  }
  return out;
}

namespace {

// Each outcome's name and its count (kOutside has none).
struct OutcomeField {
  ClockOutcome outcome;
  std::string_view name;
  int ClockCounts::*count;
};
constexpr std::array<OutcomeField, 8> kOutcomeFields = {{
    {ClockOutcome::kOnTime, "on_time", &ClockCounts::on_time},
    {ClockOutcome::kLate, "late", &ClockCounts::late},
    {ClockOutcome::kBreachedOpen, "breached_open", &ClockCounts::breached_open},
    {ClockOutcome::kOverdue, "overdue", &ClockCounts::overdue},
    {ClockOutcome::kRunning, "running", &ClockCounts::running},
    {ClockOutcome::kPaused, "paused", &ClockCounts::paused},
    {ClockOutcome::kUnscheduled, "unscheduled", &ClockCounts::unscheduled},
    {ClockOutcome::kNotApplicable, "not_applicable", &ClockCounts::not_applicable},
}};

const OutcomeField* FieldOf(ClockOutcome outcome) {
  for (const auto& f : kOutcomeFields) {
    if (f.outcome == outcome) return &f;
  }
  return nullptr;
}

}  // namespace

std::string_view ToString(ClockOutcome outcome) {
  const OutcomeField* field = FieldOf(outcome);
  return field != nullptr ? field->name : "outside";
}

std::optional<double> ClockCounts::compliance() const {
  if (decided() == 0) return std::nullopt;
  return static_cast<double>(on_time) / decided();
}

void ClockCounts::Add(ClockOutcome outcome, bool at_risk_now) {
  const OutcomeField* field = FieldOf(outcome);
  if (field == nullptr) return;
  ++(this->*field->count);
  if (at_risk_now &&
      (outcome == ClockOutcome::kRunning || outcome == ClockOutcome::kPaused)) {
    ++at_risk;
  }
}

void ClockCounts::Add(const ClockCounts& other) {
  for (const auto& f : kOutcomeFields) this->*f.count += other.*f.count;
  at_risk += other.at_risk;
}

ClockOutcome ClassifyClock(const Clock& clock, Instant opened_at,
                           const ReportPeriod& period, Instant evaluated_at) {
  const ReportPeriod known{period.from, evaluated_at};
  if (opened_at >= evaluated_at) return ClockOutcome::kOutside;
  if (clock.status == ClockStatus::kNotApplicable) {
    return known.Contains(opened_at) ? ClockOutcome::kNotApplicable
                                     : ClockOutcome::kOutside;
  }
  if (clock.breached && clock.breached_at) {
    const bool met = clock.status == ClockStatus::kStopped;
    if (known.Contains(*clock.breached_at)) {
      return met ? ClockOutcome::kLate : ClockOutcome::kBreachedOpen;
    }
    if (*clock.breached_at < known.from && !met) return ClockOutcome::kOverdue;
    return ClockOutcome::kOutside;
  }
  switch (clock.status) {
    case ClockStatus::kStopped:
      return clock.stopped_at && known.Contains(*clock.stopped_at)
                 ? ClockOutcome::kOnTime
                 : ClockOutcome::kOutside;
    case ClockStatus::kRunning:
      return ClockOutcome::kRunning;
    case ClockStatus::kPaused:
      return ClockOutcome::kPaused;
    case ClockStatus::kUnscheduled:
      return ClockOutcome::kUnscheduled;
    case ClockStatus::kNotApplicable:
      break;
  }
  return ClockOutcome::kOutside;
}

namespace {

// `outdated` only for a supported ticket: an unsupported one is listed as
// unsupported, outdated or not (docs/design.md §1).
TicketRow RowOf(const TicketEvaluation& t) {
  return {t.ticket,  t.severity, t.opened_at,
          t.product, t.version,  t.supported && t.outdated};
}

// The burn-down of quota period `period_index` over [from, last]: its
// figures at `from`, then at each instant in (from, last] a ticket was
// opened. `order` sorts `facts` by opening; `billing[i].period_index` is the
// quota period of facts[i]'s opening.
std::vector<QuotaStep> BurnDown(const ReportInput& input,
                                std::span<const TicketQuotaFacts> facts,
                                std::span<const TicketBilling> billing,
                                std::span<const size_t> order, int period_index,
                                Instant from, Instant last) {
  std::vector<QuotaStep> steps;
  PeriodUsage usage;
  auto step = [&](Instant at) {
    const PartnerQuota q =
        AssessPartner(input.partner, input.certifications, usage, input.policy, at);
    steps.push_back({at, q.incidents_used, q.incidents_limit});
  };
  size_t next = 0;
  for (; next < order.size() && facts[order[next]].opened_at <= from; ++next)
    usage.Add(facts[order[next]], billing[order[next]].period_index, period_index);
  step(from);
  while (next < order.size() && facts[order[next]].opened_at <= last) {
    const Instant at = facts[order[next]].opened_at;
    for (; next < order.size() && facts[order[next]].opened_at == at; ++next)
      usage.Add(facts[order[next]], billing[order[next]].period_index, period_index);
    step(at);
  }
  return steps;
}

// Each quota period overlapping [from, evaluated_at), with its figures at the
// last second of the overlap. `known` are the tickets opened before
// evaluated_at, `billing` theirs.
std::vector<QuotaRow> QuotaRows(const ReportInput& input, Instant evaluated_at,
                                std::span<const TicketEvaluation> known,
                                std::span<const TicketBilling> billing) {
  std::vector<TicketQuotaFacts> facts;
  for (const auto& t : known)
    facts.push_back({t.opened_at, t.incidents, t.new_defect, t.fee});
  std::vector<size_t> order(facts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return facts[a].opened_at < facts[b].opened_at;
  });
  std::vector<QuotaRow> rows;
  const Instant signed_at = input.partner.contract_signed_at;
  const date::time_zone* zone = input.partner.zone;
  Instant t = input.period.from;
  while (t < evaluated_at) {
    QuotaPeriod period = QuotaPeriodAt(signed_at, zone, t, input.policy.quota);
    const Instant last = std::min(period.end, evaluated_at) - Seconds{1};
    QuotaRow row;
    row.quota =
        AssessPartner(input.partner, input.certifications, facts, input.policy, last);
    for (size_t i = 0; i < facts.size(); ++i) {
      if (facts[i].opened_at >= input.period.from &&
          billing[i].period_index == period.index) {
        row.incidents_in_report += facts[i].incidents;
        row.billable_in_report += billing[i].billable_incidents;
      }
    }
    row.usage = BurnDown(input, facts, billing, order, period.index, t, last);
    rows.push_back(std::move(row));
    if (period.end <= t) break;  // never: periods move forward
    t = period.end;
  }
  return rows;
}

}  // namespace

PartnerReport BuildPartnerReport(const ReportInput& input) {
  PartnerReport report;
  report.partner = input.partner;
  report.policy = input.policy.name;
  report.period = input.period;
  const Instant at = input.period.EvaluationInstant(input.at);
  report.evaluated_at = at;

  // Compliance cells by target and severity; severities of the policy first.
  std::map<std::pair<int, std::string>, ClockCounts> cells;
  for (TargetName target : kTargetNames) {
    for (const auto& [severity, targets] : input.policy.severities)
      cells[{static_cast<int>(target), severity}];
  }
  for (const TicketEvaluation& t : input.tickets) {
    if (t.opened_at >= at) continue;
    const bool opened_in_period = t.opened_at >= input.period.from;
    if (opened_in_period) {
      ++report.tickets_opened;
      report.incidents += t.incidents;
      if (t.fee) report.fees.push_back(RowOf(t));
      if (!t.supported || t.outdated) report.unsupported.push_back(RowOf(t));
    }
    if (t.state == TicketState::kOpen) ++report.tickets_open_at_end;
    for (TargetName target : kTargetNames) {
      const Clock& clock = t[target];
      const ClockOutcome outcome = ClassifyClock(clock, t.opened_at, input.period, at);
      if (outcome == ClockOutcome::kOutside) continue;
      cells[{static_cast<int>(target), t.severity}].Add(outcome, clock.at_risk);
      if (outcome == ClockOutcome::kLate || outcome == ClockOutcome::kBreachedOpen ||
          outcome == ClockOutcome::kOverdue) {
        report.breaches.push_back(
            {t.ticket, t.severity, target, *clock.breached_at,
             outcome == ClockOutcome::kLate ? clock.stopped_at : std::optional<Instant>{},
             outcome});
      }
    }
  }
  for (TargetName target : kTargetNames) {
    ClockCounts all;
    for (const auto& [key, counts] : cells) {
      if (key.first != static_cast<int>(target)) continue;
      report.compliance.push_back({target, key.second, counts});
      all.Add(counts);
    }
    report.compliance.push_back({target, "all", all});
  }
  std::sort(report.breaches.begin(), report.breaches.end(),
            [](const BreachRow& a, const BreachRow& b) {
              return std::tie(a.deadline, a.ticket, a.target) <
                     std::tie(b.deadline, b.ticket, b.target);
            });
  auto by_opened = [](const TicketRow& a, const TicketRow& b) {
    return std::tie(a.opened_at, a.ticket) < std::tie(b.opened_at, b.ticket);
  };
  std::sort(report.fees.begin(), report.fees.end(), by_opened);
  std::sort(report.unsupported.begin(), report.unsupported.end(), by_opened);

  // Billing over every ticket known at the evaluation instant (earlier ones
  // of the quota period number before the report's), as the quota rows count.
  std::vector<TicketEvaluation> known;
  for (const TicketEvaluation& t : input.tickets) {
    if (t.opened_at < at) known.push_back(t);
  }
  const std::vector<TicketBilling> billing =
      BillTickets(input.partner, input.policy, known, at - Seconds{1});
  for (size_t i = 0; i < known.size(); ++i) {
    const TicketEvaluation& t = known[i];
    if (t.opened_at < input.period.from || billing[i].billable_incidents == 0) continue;
    report.billing.push_back({t.ticket, t.severity, t.opened_at, billing[i].period_start,
                              t.incidents, billing[i].billable_incidents});
  }
  std::sort(report.billing.begin(), report.billing.end(),
            [](const BillingRow& a, const BillingRow& b) {
              return std::tie(a.opened_at, a.ticket) < std::tie(b.opened_at, b.ticket);
            });
  report.quota = QuotaRows(input, at, known, billing);
  const CertificationRules& rules = input.policy.certification;
  const date::time_zone* zone = input.partner.zone;
  report.certified_employees = CertifiedEmployees(input.certifications, at, rules, zone);
  report.certified = report.certified_employees >= rules.min_certified_employees;
  report.certified_until = CertifiedUntil(input.certifications, at, rules, zone);
  return report;
}

}  // namespace slamon
