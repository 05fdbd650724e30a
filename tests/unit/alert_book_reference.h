// ReferenceAlertBook: the alert book as it was before issue 13 (commit
// 3a7f0b4): a map keyed by label sets, walked whole on every Due. Slow, but
// plainly what docs/design.md §5 says; the differential test holds the
// AlertBook to it. Test code only.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "alerts/alert_book.h"

namespace slamon::testing {

class ReferenceAlertBook {
 public:
  explicit ReferenceAlertBook(AlertBookOptions options);

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

}  // namespace slamon::testing
