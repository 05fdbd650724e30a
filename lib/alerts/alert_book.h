// AlertBook: the alerts slamon asserts, and when to (re)send each of them.
//
// The book turns the tracker's domain events into Alertmanager alerts
// (docs/design.md §5) and keeps, per alert, what was last sent when — the
// bookkeeping Prometheus's rule manager and notifier do for rule alerts:
//
//   SlaAtRisk             a clock passed its warning point        severity=warning
//   SlaBreached           a clock passed its deadline, not stopped severity=critical
//                         for a critical ticket severity (A, B), else warning
//   QuotaExhausted        a limited quota period with used >= limit severity=warning
//   QuotaNearlyExhausted  used / limit >= the configured share (0.8), not yet
//                         exhausted (the two never fire together) severity=warning
//   CertificationLapsing  a partner not certified, or certified_until within the
//                         horizon (30 days)                       severity=warning
//   SlaAlertsFolded       per-ticket alerts past max_ticket_alerts, one per
//                         partner, target and ticket severity, with their
//                         count                      severity as SlaBreached's
//
// Bounded volume: at most `max_ticket_alerts` SlaAtRisk/SlaBreached alerts go
// out one by one. A ticket alert keeps its place while it fires; free places
// go to the most urgent waiting ones (breached before at risk, then the
// earliest deadline). The others are folded: not sent one by one, but
// counted in an SlaAlertsFolded alert per partner, target and ticket
// severity (labels alertname, severity, partner, target, ticket_severity;
// annotation `count`), which resolves when none is folded any more.
//
// QuotaExhausted is a warning, not a page: nothing breaks at night when a
// quota runs out (further incidents are billed or refused by contract), and
// the account team acts on it in business hours. Alertmanager routes on
// `severity`; the ticket's own severity is the label `ticket_severity`.
//
// Labels: SLA alerts carry alertname, severity, ticket, partner, target,
// ticket_severity; partner alerts carry alertname, severity, partner. No other
// label, so an alert's identity is stable while it fires.
// Annotations: `summary`; `description` with the deadline and the time left or
// overdue in words ("due in 2h 15m", "overdue by 3h"), rendered at send time;
// `deadline` (RFC 3339: the clock's deadline, the quota period's end, the
// certification's end; absent for a partner not certified at all);
// `runbook_url` from the template with {{alertname}} substituted (absent when
// the template is empty).
//
// Sending (Due): a firing alert goes out when it starts and then every
// resend_interval, each time with ends_at = now + 4 x resend_interval, so that
// Alertmanager resolves it by itself if slamon stops sending. An alert that
// ends (clock stopped, deadline moved away, quota back below, partner
// certified again) goes out at once as resolved with ends_at = the moment it
// ended, again at the resend cadence for resolved_retention (15 minutes), and
// is then forgotten. An alert that ends before it was ever sent is forgotten
// at once (nobody was told it fired). An alert that fires again after it was
// resolved starts a new episode (new starts_at) and goes out at once. Any
// change of status is sent at the next Due, whatever the cadence.
//
// Pure: no I/O, no clock reads; time is an argument. Not thread-safe: one
// owner, the event loop thread. Memory: one entry per firing alert plus the
// resolved ones of the last resolved_retention.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert.h"
#include "config/config.h"
#include "instant/instant.h"
#include "policy/policy.h"
#include "tracker/sla_figures.h"
#include "tracker/transition.h"

namespace slamon {

enum class AlertName : uint8_t {
  kSlaAtRisk,
  kSlaBreached,
  kQuotaExhausted,
  kQuotaNearlyExhausted,
  kCertificationLapsing,
  kSlaAlertsFolded,
};
std::string_view ToString(AlertName name);  // "SlaAtRisk", ...

struct AlertBookOptions {
  Seconds resend_interval{60};  // > 0; a smaller value counts as 1s
  Seconds resolved_retention{15 * 60};
  // QuotaNearlyExhausted fires at used / limit >= this share (0 < share < 1;
  // 1 or more: never).
  double quota_nearly_exhausted_share = 0.8;
  Seconds certification_horizon{30 * 86400};
  // Ticket severities whose SlaBreached is critical; the others are warnings.
  std::vector<std::string> critical_ticket_severities = {"A", "B"};
  // Runbook link template ({{alertname}} is replaced); "" for none.
  std::string runbook_url;
  // The alerts' generatorURL (e.g. slamon's own address); "" for none.
  std::string generator_url;
  // Per-ticket alerts sent one by one at most; the rest are folded.
  std::size_t max_ticket_alerts = 1000;
};

// The options the config file sets (resend_interval, runbook_url,
// quota_warning_share, certification_warning); the rest keep their defaults.
AlertBookOptions AlertBookOptionsFrom(const AlertingConfig& config);

class AlertBook {
 public:
  explicit AlertBook(AlertBookOptions options);

  // The tracker's transitions, in the order they happened: Started fires
  // SlaAtRisk or SlaBreached (starts_at: the transition's time; for a breach
  // the deadline when that is earlier), Ended resolves it at the transition's
  // time. Time comes from the transitions themselves.
  void Apply(std::span<const Transition> transitions);

  // The partners' figures at `now`: fires and resolves QuotaExhausted,
  // QuotaNearlyExhausted and CertificationLapsing. A partner missing from
  // `figures` has none of them (they are resolved at `now`).
  void Observe(const SlaFigures& figures, Instant now);

  // What to send at `now` (see the header comment), ordered by label set
  // (so by alertname first). Marks what it returns as sent at `now` and
  // forgets resolved alerts past their retention.
  std::vector<Alert> Due(Instant now);

  // Every firing alert as it would be sent at `now` (ends_at = now + 4 x
  // resend_interval), without touching the cadence (a new leader may Send
  // these at once; ResendAll also covers recent resolutions).
  std::vector<Alert> Firing(Instant now) const;

  // Makes every alert (firing, and resolved within retention) due at the next
  // Due(): call it when this replica becomes the leader, so that Alertmanager
  // hears everything from it at once. (Followers keep their book current and
  // call Due on the same cadence, dropping what it returns.)
  void ResendAll();

  std::size_t firing_count() const { return firing_.size(); }
  // Per-ticket alerts firing but folded into SlaAlertsFolded (as of the last Due).
  std::size_t folded_count() const { return folded_.size(); }
  std::size_t size() const { return alerts_.size(); }  // firing and resolved

 private:
  // What an alert's identity is while it fires: its name and subject.
  struct Identity {
    AlertName name;
    std::string subject;                        // the ticket (SLA alerts) or the partner
    TargetName target = TargetName::kResponse;  // SLA alerts only
    std::string ticket_severity;                // SlaAlertsFolded only
    auto operator<=>(const Identity&) const = default;
  };
  // What the annotations are rendered from.
  struct Facts {
    AlertName name = AlertName::kSlaAtRisk;
    std::string ticket;
    std::string partner;
    std::string ticket_severity;
    TargetName target = TargetName::kResponse;
    std::optional<Instant> deadline;
    int incidents_used = 0;
    int incidents_limit = 0;
    int certified_employees = 0;
    int64_t folded_breached = 0;  // SlaAlertsFolded
    int64_t folded_at_risk = 0;
  };
  struct Entry {
    Facts facts;
    Instant starts_at;
    std::optional<Instant> ended_at;   // set while resolved
    std::optional<Instant> last_sent;  // nullopt: not sent since its last change
    bool sent_firing = false;          // this episode went out as firing
    bool individual = false;           // a ticket alert that has a place
  };
  // Urgency of a waiting ticket alert: breached first, then the earliest
  // deadline; the labels make it unique.
  struct Waiting {
    bool at_risk;
    Instant deadline;
    const Labels* labels;
    auto operator<=>(const Waiting& o) const {
      if (auto c = at_risk <=> o.at_risk; c != 0) return c;
      if (auto c = deadline <=> o.deadline; c != 0) return c;
      return *labels <=> *o.labels;
    }
    bool operator==(const Waiting& o) const { return (*this <=> o) == 0; }
  };
  struct FoldKey {
    std::string partner;
    TargetName target;
    std::string ticket_severity;
    auto operator<=>(const FoldKey&) const = default;
  };

  Labels LabelsOf(const Facts& facts) const;
  Alert Render(const Labels& labels, const Entry& entry, Instant now) const;
  // `at`: when it was noticed; `starts_at`: when it began.
  void Start(const Identity& identity, Facts facts, Instant at, Instant starts_at);
  void End(const Identity& identity, Instant at);
  static bool IsTicketAlert(AlertName name) {
    return name == AlertName::kSlaAtRisk || name == AlertName::kSlaBreached;
  }
  static Waiting WaitingOf(const Labels& labels, const Entry& entry);
  static FoldKey FoldKeyOf(const Facts& facts);
  void Fold(const Labels& labels, const Entry& entry);    // joins folded_
  void Unfold(const Labels& labels, const Entry& entry);  // leaves folded_
  void Fill();                     // free places to the most urgent waiting
  void UpdateFolded(Instant now);  // SlaAlertsFolded from folded_

  AlertBookOptions options_;
  std::map<Labels, Entry> alerts_;     // firing and recently resolved
  std::map<Identity, Labels> firing_;  // the firing ones, by identity
  std::size_t individual_ = 0;         // firing ticket alerts with a place
  std::set<Waiting> folded_;           // firing ticket alerts without one
  std::map<FoldKey, std::pair<int64_t, int64_t>> fold_counts_;  // breached, at risk
  std::set<FoldKey> fold_changed_;                              // since the last Due
};

}  // namespace slamon
