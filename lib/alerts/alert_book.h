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
// Cost (issue 13): the book does work for what changed or falls due, not for
// what fires. Each alert is a compact entry (ids, instants and a few counts;
// the ticket id once per ticket) and its labels and annotations are rendered
// only when it is sent. Entries wait for their next send in a min-heap by
// time, so Due(now) touches only the alerts it sends or forgets, plus any
// changed since the last Due; folded ticket alerts wait in a heap by urgency
// and are never visited until a place frees up. Apply costs O(log n) per
// transition, Observe O(partners). Only ResendAll and Firing walk every
// alert (a change of leader, a test).
//
// Folded ticket alerts (all but max_ticket_alerts of a million) are not
// entries: each is a 24-byte record in the urgency heap (deadline, when it
// started, partner, ticket severity, target, and the ticket's handle, the
// tracker's number for it: Transition::handle), found by handle and target
// through a table of 12 bytes per handle. The ticket's id is asked of the
// owner (`TicketIds`: the tracker's) only in Due, when a folded alert gets a
// place or ties with another for one; by then the owner's tickets and the
// book agree, as the owner applies every transition before it calls Due.
// Without TicketIds (tests, tools) the book numbers the tickets itself and
// keeps their ids. An alert that does not fit a record (a resolved entry of
// the same labels still kept, or instants too far apart) waits as an entry.
//
// Pure: no I/O, no clock reads; time is an argument. Not thread-safe: one
// owner, the event loop thread. Memory: 24 bytes a folded ticket alert and
// 12 per ticket handle, about 130 bytes per alert sent one by one or
// recently resolved (docs/benchmarks.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "alerts/alert.h"
#include "config/config.h"
#include "instant/instant.h"
#include "policy/policy.h"
#include "tracker/compact_bytes.h"
#include "tracker/name_table.h"
#include "tracker/sla_figures.h"
#include "tracker/ticket_index.h"
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
  // The id of the ticket a Transition::handle names (the tracker's
  // Tracker::TicketOf), asked only within Due.
  using TicketIds = std::function<std::string_view(uint32_t handle)>;

  // Without `ticket_ids` the book ignores Transition::handle, numbers the
  // tickets itself and keeps every id it has seen (for tests and tools).
  explicit AlertBook(AlertBookOptions options, TicketIds ticket_ids = {});
  AlertBook(const AlertBook&) = delete;  // its index refers to it
  AlertBook& operator=(const AlertBook&) = delete;

  // The tracker's transitions, in the order they happened: Started fires
  // SlaAtRisk or SlaBreached (starts_at: the transition's time; for a breach
  // the deadline when that is earlier), Ended resolves it at the transition's
  // time. Time comes from the transitions themselves.
  void Apply(std::span<const Transition> transitions);

  // The partners' figures at `now`: fires and resolves QuotaExhausted,
  // QuotaNearlyExhausted and CertificationLapsing. A partner missing from
  // `figures` has none of them (they are resolved at `now`).
  void Observe(const SlaFigures& figures, Instant now);
  // Observe for these partners only: the others' alerts are left as they
  // are (for a caller that knows only these changed since its last Observe
  // at the same `now`).
  void ObserveSome(const std::map<std::string, PartnerFigures>& partners, Instant now);

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

  std::size_t firing_count() const { return firing_; }
  // Per-ticket alerts firing but folded into SlaAlertsFolded (as of the last Due).
  std::size_t folded_count() const { return waiting_.size(); }
  std::size_t size() const { return live_ + records_; }  // firing and resolved

 private:
  using Id = NameTable::Id;  // an interned partner or ticket severity
  static constexpr uint32_t kNone = UINT32_MAX;

  // One alert: one label set to Alertmanager. Its subject (the ticket of an
  // SLA alert, the partner of the others) is its group's; the labels are
  // name, target, partner and ticket severity (docs/design.md §5), so two
  // entries of a group with equal ones are the same alert.
  struct Entry {
    Instant starts_at;
    Instant ended_at;   // when `ended`
    Instant last_sent;  // when `sent`: sent since its last change
    Instant deadline;   // when `has_deadline`
    // The figures the annotations quote: incidents used and limit (quota
    // alerts), certified employees (CertificationLapsing, in `figure_a`),
    // breached and at-risk tickets (SlaAlertsFolded).
    int32_t figure_a = 0;
    int32_t figure_b = 0;
    uint32_t group = kNone;       // its subject's group
    uint32_t next = kNone;        // the group's next entry
    Id partner = 0;               // every alert has one
    Id ticket_severity = kNone;   // SLA alerts and SlaAlertsFolded
    uint32_t generation = 0;      // its resend schedule; bumped to cancel
    uint32_t waiting_at = kNone;  // its place in waiting_, while folded
    AlertName name = AlertName::kSlaAtRisk;
    uint8_t target = 0;  // TargetName, SLA alerts and SlaAlertsFolded
    bool live = false;   // holds an alert (else on the free list)
    bool has_deadline = false;
    bool ended = false;        // resolved
    bool sent = false;         // last_sent is set
    bool sent_firing = false;  // this episode went out as firing
    bool individual = false;   // a firing ticket alert that has a place
  };
  // The alerts of one subject: a ticket (ticket id kept here, once) or a partner.
  struct Group {
    CompactBytes<16> ticket;  // a ticket's group (inline up to 15 bytes)
    Id partner = kNone;       // a partner's group
    uint32_t first = kNone;
  };
  // What Start needs besides the identity.
  struct Facts {
    Id partner = 0;
    Id ticket_severity = kNone;
    std::optional<Instant> deadline;
    int32_t figure_a = 0;
    int32_t figure_b = 0;
  };
  // An alert's identity while it fires: name, subject (group) and, for SLA
  // alerts and SlaAlertsFolded, the target (and for SlaAlertsFolded the
  // ticket severity).
  struct Identity {
    AlertName name;
    uint32_t group;
    uint8_t target = 0;
    Id ticket_severity = kNone;  // SlaAlertsFolded only
  };
  // A moment an entry must be looked at by Due (its next resend, or its
  // retention's end); stale once the entry's generation moved on.
  struct Wakeup {
    Instant at;
    uint32_t entry;
    uint32_t generation;
    bool operator>(const Wakeup& o) const { return at > o.at; }
  };
  // A folded ticket alert in waiting_: a record of its own, or the copy of
  // an entry's urgency (`bits` & kEntry; `extra` is then the entry).
  struct Waiting {
    int64_t deadline;  // seconds since the epoch; none: the largest (last)
    uint32_t handle;   // a record's ticket handle
    Id partner;
    // ticket severity << 5 | target << 3 | no deadline << 2 | breached << 1 | entry
    uint32_t bits;
    // A record's start (StartsOffset); an entry's index.
    uint32_t extra;
  };
  static constexpr uint32_t kEntry = 1;
  static constexpr uint32_t kBreached = 2;
  static constexpr uint32_t kNoDeadline = 4;
  static constexpr Id kMaxRecordSeverity = (1u << 27) - 1;
  struct FoldKey {
    Id partner;
    uint8_t target;
    Id ticket_severity;
    bool operator==(const FoldKey&) const = default;
  };
  struct FoldKeyHash {
    std::size_t operator()(const FoldKey& key) const {
      return (std::size_t{key.partner} * 0x9e3779b97f4a7c15ULL) ^
             (std::size_t{key.ticket_severity} << 2) ^ key.target;
    }
  };
  struct FoldCount {
    int32_t breached = 0;
    int32_t at_risk = 0;
    bool changed = false;  // listed in fold_changed_
  };

  static bool IsTicketAlert(AlertName name) {
    return name == AlertName::kSlaAtRisk || name == AlertName::kSlaBreached;
  }
  void Reserve(std::span<const Transition> transitions);    // room for a mass start
  uint32_t FindTicketGroup(std::string_view ticket) const;  // kNone when none
  uint32_t TicketGroup(std::string_view ticket);            // found or made
  uint32_t PartnerGroup(Id partner);                        // found or made
  uint32_t FindPartnerGroup(Id partner) const;              // kNone when it has no alert
  bool IsCritical(const Entry& entry) const;                // its severity label
  bool IsCriticalSeverity(Id ticket_severity) const;
  uint32_t FindFiring(const Identity& identity) const;  // kNone when not firing
  // `at`: when it was noticed; `starts_at`: when it began.
  void Start(const Identity& identity, const Facts& facts, Instant at, Instant starts_at);
  void End(uint32_t entry, Instant at);
  void Forget(uint32_t entry);  // frees the entry (and its group when empty)
  uint32_t NewEntry();          // a live entry, not in any group yet

  // Ticket alerts: by the ticket's id (entries) and handle (records).
  uint32_t HandleOf(const Transition& transition, bool make);  // kNone: none
  std::string_view TicketOf(uint32_t handle) const;
  void StartTicket(const Transition& transition, AlertName name, uint32_t handle,
                   const Facts& facts, Instant starts_at);
  uint32_t FindRecord(uint32_t handle, uint8_t target, AlertName name) const;
  // Whether a new record for these can be made (the place for it is free).
  bool RecordFits(uint32_t handle, uint8_t target, const Facts& facts, Instant starts_at);
  void EndRecord(uint32_t at);  // at: its place in waiting_

  // The resend schedule.
  void Schedule(uint32_t entry, Instant at);
  void ScheduleNext(uint32_t entry);  // from its state: now-ish, resend or forget time
  void Unschedule(uint32_t entry) { ++entries_[entry].generation; }

  // Folding: waiting_ is a binary heap, most urgent first by everything but
  // the ticket id (that tie is broken in Fill).
  static Id SeverityOf(const Waiting& w) { return w.bits >> 5; }
  static uint8_t TargetOf(const Waiting& w) { return (w.bits >> 3) & 3; }
  static bool BreachedOf(const Waiting& w) { return (w.bits & kBreached) != 0; }
  static bool IsEntry(const Waiting& w) { return (w.bits & kEntry) != 0; }
  static FoldKey FoldKeyOf(const Waiting& w) {
    return {w.partner, TargetOf(w), SeverityOf(w)};
  }
  Waiting WaitingOf(uint32_t entry) const;
  // A record's start, in 32 bits: seconds from its deadline, or from 2000
  // when it has none; std::nullopt when that does not fit.
  static std::optional<uint32_t> StartsOffset(Instant starts_at,
                                              std::optional<Instant> deadline);
  static Instant StartsOf(const Waiting& record);
  bool MoreUrgent(const Waiting& x, const Waiting& y) const;  // ticket ids aside
  std::string_view TicketOf(const Waiting& w) const;          // within Due only
  void Locate(const Waiting& w, uint32_t at);                 // what finds it: its place
  void WaitingPlace(std::size_t at, const Waiting& w);
  void WaitingUp(std::size_t at);
  void WaitingDown(std::size_t at);
  void PutWaiting(const Waiting& w);
  Waiting TakeWaiting(std::size_t at);
  FoldKey FoldKeyOf(const Entry& entry) const;
  void CountFolded(const FoldKey& key, bool breached, int delta);
  void Fold(uint32_t entry);       // joins waiting_
  void Unfold(uint32_t entry);     // leaves waiting_ (when in it)
  void Promote(const Waiting& w);  // a folded alert gets a place
  void Fill();                     // free places to the most urgent waiting
  void UpdateFolded(Instant now);  // SlaAlertsFolded from fold_counts_

  Labels LabelsOf(const Entry& entry) const;
  Alert Render(const Entry& entry, Instant now) const;

  AlertBookOptions options_;
  TicketIds ticket_ids_;        // empty: own_tickets_ numbers them
  NameTable own_tickets_;       // without ticket_ids_: handle -> ticket id
  NameTable names_;             // partners and ticket severities
  std::vector<Entry> entries_;  // firing and recently resolved, and free ones
  std::vector<uint32_t> free_entries_;
  std::vector<Group> groups_;
  std::vector<uint32_t> free_groups_;
  TicketIndex tickets_;                              // ticket id -> group
  std::unordered_map<Id, uint32_t> partner_groups_;  // partner -> group
  std::size_t live_ = 0;                             // live entries
  std::size_t records_ = 0;                          // records in waiting_
  std::size_t firing_ = 0;                           // of them firing
  std::vector<Wakeup> wakeups_;       // a min-heap by time (std::push_heap, greater)
  std::size_t individual_ = 0;        // firing ticket alerts with a place
  std::vector<Waiting> waiting_;      // firing ticket alerts without one
  std::vector<uint32_t> records_at_;  // handle * 3 + target -> a record's place
  std::vector<Waiting> tie_;          // Fill's, reused
  std::unordered_map<FoldKey, FoldCount, FoldKeyHash> fold_counts_;
  std::vector<FoldKey> fold_changed_;  // since the last Due
};

}  // namespace slamon
