// PartnerReport: one partner's SLA compliance over a period, what `slamon
// report` prints for a service review.
//
// The report is evaluated at `evaluated_at` = min(period end, --at): the
// tickets' clocks are what the engine says at that instant, so a finished
// period gives the same report whenever it is asked for (events recorded
// later with earlier times aside).
//
// Each clock counts in the period in which it was decided: a clock met on
// time at its stop (`on_time`), a breached one at its deadline (`late` when
// it was met by the evaluation instant, `breached_open` when not). Clocks not
// decided by the evaluation instant are the backlog at the period's end:
// `running`, `paused`, `unscheduled`, and `overdue` (breached before the
// period and still not met). `not_applicable` counts the clocks without a
// target of the tickets opened in the period. So every clock of a ticket
// opened before the evaluation instant is counted at most once per period
// (a clock decided before the period is not counted at all), and consecutive
// periods count each decision once. A clock decided exactly at the period's
// end belongs to the next period.
//
// EvaluatePartnerTickets and BuildPartnerReport are pure: the caller reads
// the database and the clock.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "evaluate/ticket_report.h"
#include "quota/partner.h"
#include "quota/partner_quota.h"
#include "report/report_period.h"

namespace slamon {

// The partner's tickets evaluated at one instant, as the daemon would.
struct PartnerTickets {
  std::vector<TicketEvaluation> tickets;  // opened at or before the instant, by id
  std::vector<std::string> problems;      // rejected events and notes, naming the ticket
};

// `events` holds, by ticket id, the events of every ticket that may be the
// partner's (any ticket with an `opened` naming it); each is evaluated with
// ExplainTicket, and kept when its valid `opened` names the partner.
PartnerTickets EvaluatePartnerTickets(
    const std::string& partner_id, std::map<std::string, std::vector<TicketEvent>> events,
    const ReferenceBook& reference, const Rules& rules, Instant at);

// One clock's place in a period, exactly one of these.
enum class ClockOutcome {
  kOnTime,         // met on time in the period
  kLate,           // deadline passed in the period, met by the evaluation instant
  kBreachedOpen,   // deadline passed in the period, not met by the evaluation instant
  kOverdue,        // deadline passed before the period, not met by the evaluation instant
  kRunning,        // not decided: running within its target (at risk included)
  kPaused,         // not decided: paused within its target
  kUnscheduled,    // not decided: "next release" without a planned release
  kNotApplicable,  // no target (ticket opened in the period)
  kOutside,        // not counted in this period
};

std::string_view ToString(ClockOutcome outcome);  // "on_time", "breached_open", ...

struct ClockCounts {
  int on_time = 0;
  int late = 0;
  int breached_open = 0;
  int overdue = 0;
  int running = 0;
  int at_risk = 0;  // of running and paused: past a warning point
  int paused = 0;
  int unscheduled = 0;
  int not_applicable = 0;

  // Clocks decided in the period: on_time + late + breached_open.
  int decided() const { return on_time + late + breached_open; }
  // on_time / decided; std::nullopt when nothing was decided.
  std::optional<double> compliance() const;
  void Add(ClockOutcome outcome, bool at_risk_now);
  void Add(const ClockCounts& other);
};

struct ComplianceRow {
  TargetName target;
  std::string severity;  // a severity of the policy, or "all"
  ClockCounts counts;
};

struct BreachRow {
  std::string ticket;
  std::string severity;
  TargetName target;
  Instant deadline;                   // == breached_at
  std::optional<Instant> stopped_at;  // std::nullopt: not met by the evaluation instant
  ClockOutcome outcome;               // kLate, kBreachedOpen or kOverdue
};

// The quota period's figures from `at` on, until the next step: a point of
// the burn-down (incidents used against the limit over time).
struct QuotaStep {
  Instant at;
  int incidents_used = 0;
  std::optional<int> incidents_limit;  // std::nullopt: unlimited
};

struct QuotaRow {
  PartnerQuota quota;           // at the last instant of the period in the report
  int incidents_in_report = 0;  // of tickets opened in both periods
  int billable_in_report = 0;   // billable incidents of those tickets
  // The burn-down over the overlap of both periods, by time: the figures at
  // its start, then one step at each instant a ticket of the quota period was
  // opened; the last step's figures are `quota`'s.
  std::vector<QuotaStep> usage;
};

// A ticket opened in the report's period with billable incidents: a line of
// an invoice (quota/billing.h).
struct BillingRow {
  std::string ticket;
  std::string severity;
  Instant opened_at;
  Instant quota_period_start;  // the quota period that counted it
  int incidents = 0;
  int billable_incidents = 0;
};

struct TicketRow {
  std::string ticket;
  std::string severity;
  Instant opened_at;
  std::string product;
  std::string version;
  bool outdated = false;  // supported but outdated; false: unsupported
};

struct PartnerReport {
  Partner partner;
  std::string policy;
  ReportPeriod period;
  Instant evaluated_at;
  int tickets_opened = 0;       // in the period
  int tickets_open_at_end = 0;  // opened before the evaluation instant, not resolved
  int incidents = 0;            // of the tickets opened in the period
  // Per target, one row per severity of the policy (A, B, ...) and one "all".
  std::vector<ComplianceRow> compliance;
  std::vector<BreachRow> breaches;  // by deadline, then ticket, then target
  std::vector<QuotaRow> quota;      // each quota period overlapping the period
  std::vector<BillingRow> billing;  // by opened_at, then ticket
  int certified_employees = 0;      // at the evaluation instant
  bool certified = false;
  std::optional<Instant> certified_until;
  std::vector<TicketRow> fees;  // tickets opened in the period carrying a fee
  // Tickets opened in the period on an unsupported or an outdated version.
  std::vector<TicketRow> unsupported;
};

struct ReportInput {
  const Partner& partner;
  const Policy& policy;
  std::span<const Certification> certifications;  // the partner's
  std::span<const TicketEvaluation> tickets;      // the partner's, evaluated at `at`
  ReportPeriod period;
  Instant at;  // the evaluation instant; min(period.to, at) is used
};

// Where a clock of a ticket (evaluated at `evaluated_at`) counts.
ClockOutcome ClassifyClock(const Clock& clock, Instant opened_at,
                           const ReportPeriod& period, Instant evaluated_at);

PartnerReport BuildPartnerReport(const ReportInput& input);

}  // namespace slamon
