// Tracker: the live SLA state of every ticket, kept current event by event.
//
// The daemon's core (docs/design.md §6). It takes ticket events as they come,
// recomputes only the ticket they concern with the engine (EvaluateTicket, the
// same function `slamon evaluate` uses), keeps one timer per ticket in a
// TimerWheel for the ticket's next transition (the earliest warning point or
// deadline of its clocks, or an event stamped in the future), and maintains
// the aggregates behind the metrics incrementally: nothing ever rescans all
// tickets on an event, a timer or a scrape.
//
// Transitions (a clock becomes at risk, breached, or stops being so) are
// appended to the caller's vector as they happen, for the alert layer.
//
// Closed tickets leave memory: once a ticket is closed (all its clocks are
// then stopped) its events are dropped and only its contribution to the
// figures stays (about 140 bytes with its id). An event for such a ticket is
// not applied: Apply answers `needs_history`, and the caller reloads all of
// the ticket's events (from the database) and hands them to ReplaceHistory.
// Reference data (a ReferenceBook, replaced as a whole or a record at a
// time) and rule changes re-evaluate the tickets in memory they concern; for
// a reference change the released tickets it concerns are named to the
// caller, who reloads their histories (ReplaceHistory), so their figures are
// recomputed too. A rule change (a config reload) leaves released tickets
// with the figures they had (a restart recomputes them). Each ticket's
// context comes from
// ReferenceBook::ContextFor, as in `slamon evaluate`, `explain` and `report`.
//
// Memory: about 165 bytes per open ticket at a million (tracker_bench): a
// 120-byte slot (the id inline up to 15 characters, the events packed into an
// EventLog, the packed figures contribution, the timer id) in blocks that
// never move, 16 in the TicketIndex, ~40 per pending timer in the wheel, and
// a few in the DeadlineSets behind the next-deadline gauge.
//
// Time: Advance(now) moves the tracker's time forward; it never moves back (a
// `now` earlier than the tracker's time is ignored), so a clock that was
// breached is not un-breached by a clock step. Pure: no clock reads, no I/O.
// Not thread-safe: one owner, the event loop thread.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/engine.h"
#include "engine/history.h"
#include "engine/reference_book.h"
#include "policy/rules.h"
#include "quota/partner.h"
#include "tracker/event_log.h"
#include "tracker/name_table.h"
#include "tracker/scrape_figures.h"
#include "tracker/sla_figures.h"
#include "tracker/ticket_index.h"
#include "tracker/transition.h"
#include "wheel/timer_wheel.h"

namespace slamon {

// What the tracker holds about one ticket's clock between events.
struct ClockView {
  ClockStatus status = ClockStatus::kNotApplicable;
  std::optional<Instant> deadline;
  bool breached = false;
  bool at_risk = false;
  bool operator==(const ClockView&) const = default;
};

struct TicketView {
  std::string partner;
  std::string severity;
  std::string product;
  TicketState state = TicketState::kOpen;
  bool supported = true;
  bool outdated = false;
  bool fee = false;
  int incidents = 0;
  std::array<ClockView, 3> clocks;  // by TargetName
  bool operator==(const TicketView&) const = default;
};

class Tracker {
 public:
  Tracker(Rules rules, Instant now);
  ~Tracker();
  Tracker(const Tracker&) = delete;
  Tracker& operator=(const Tracker&) = delete;

  struct ApplyResult {
    // The ticket was closed and released from memory: nothing was applied;
    // call ReplaceHistory with all of the ticket's events, this one included.
    bool needs_history = false;
    bool duplicate = false;  // an event with this sequence was applied already
    std::vector<RejectedEvent> rejected;  // events dropped for breaking a rule
  };

  ApplyResult Apply(const std::string& ticket, const TicketEvent& event,
                    std::vector<Transition>& transitions);
  // Changes nothing: starts fetching from memory what Apply(ticket, ...)
  // looks up first (a random place in the index of a million tickets). A
  // caller with a batch of events calls it kPrefetchAhead events ahead, so
  // those reads overlap the work on the events before.
  void Prefetch(std::string_view ticket) const { index_.Prefetch(ticket); }
  static constexpr size_t kPrefetchAhead = 4;
  ApplyResult ReplaceHistory(const std::string& ticket, std::vector<TicketEvent> events,
                             std::vector<Transition>& transitions);

  // Replaces all reference data (docs/design.md §6); the tickets in memory of
  // the partners and products whose records changed are re-evaluated.
  // Returns the released (closed) tickets whose figures may change with it
  // (a partner's zone, policy, holiday calendar or certifications, a
  // product's releases; by id): the caller reloads each one's history and
  // hands it to ReplaceHistory, so a running daemon ends where a restart
  // would. A changed contract date or credit kind needs no reload.
  [[nodiscard]] std::vector<std::string> ReplaceReference(
      ReferenceBook book, std::vector<Transition>& transitions);
  // One record at a time (SetPartner replaces a partner of the same id);
  // the result as for ReplaceReference.
  std::vector<std::string> SetPartner(Partner partner,
                                      std::vector<Transition>& transitions);
  std::vector<std::string> AddCertification(Certification certification,
                                            std::vector<Transition>& transitions);
  std::vector<std::string> AddRelease(Release release,
                                      std::vector<Transition>& transitions);
  // New policies and calendars (a config reload): every ticket in memory is
  // re-evaluated. Returns, as ReplaceReference does, the released (closed)
  // tickets whose figures may change with them: those of the partners whose
  // policy (as ReferenceBook::RulesFor resolves it), the calendars it counts
  // on or their holiday calendar differ between the old and the new rules.
  // The caller reloads each one's history and hands it to ReplaceHistory, so
  // a running daemon ends where a restart with the new config would. The same
  // rules again reload nothing.
  [[nodiscard]] std::vector<std::string> SetRules(Rules rules,
                                                  std::vector<Transition>& transitions);
  // What is wrong with the reference data under the rules (a partner naming
  // an undefined policy), one line each, for the owner to log.
  std::vector<std::string> ReferenceProblems() const { return book_.Problems(*rules_); }

  // Whether the reference data holds this partner.
  // (partners_ holds the book's partners, by interned id: one hash look-up.)
  bool KnowsPartner(std::string_view partner) const;

  // Whether transitions are reported (appended to the callers' vectors); on
  // by default. An owner loading a history whose transitions are not news
  // turns it off and asks CurrentAlerts at the end, which saves building a
  // few strings per clock that turned at risk or breached within it.
  void ReportTransitions(bool report) { report_transitions_ = report; }

  // Whether Apply evaluates its ticket at once (the default) or only records
  // the event and marks the ticket for EvaluateDeferred. An owner loading a
  // history, where a ticket gets its events far apart, then evaluates each
  // ticket once instead of once an event. A `closed` event is evaluated at
  // once even so: its ticket leaves memory, as it would without deferring.
  void DeferEvaluation(bool defer) { defer_evaluation_ = defer; }
  // Evaluates up to `max` of the tickets marked while deferring, in the order
  // they were first marked; true when none is left. What each evaluation
  // rejects is appended to `rejected`.
  [[nodiscard]] bool EvaluateDeferred(size_t max, std::vector<Transition>& transitions,
                                      std::vector<RejectedEvent>& rejected);

  void Advance(Instant now, std::vector<Transition>& transitions);
  // When the next transition can happen: the owner's wake-up time.
  std::optional<Instant> NextWakeUp() const;
  Instant now() const { return now_; }

  // The figures behind the metrics, O(targets x severities x partners +
  // products) to copy: what a scrape of /metrics reads.
  SlaFigures Snapshot() const;
  // The same figures as flat arrays (tracker/scrape_figures.h): what a scrape
  // of /metrics takes on the event loop. No string is copied unless a label
  // is new or the reference data changed (the ScrapeLabels are then made
  // again), so it costs the arrays' copy: about 0.1 ms at 1,000 partners.
  ScrapeFigures ScrapeSnapshot() const;
  // Snapshot().partners alone (the quota alerts' input), O(partners) to copy.
  // Each partner's figures are kept between calls and recomputed only when
  // its tickets' usage or fees, its record or certifications, the rules or
  // the tracker's time changed (time moves in whole seconds), so a call after
  // a batch costs what the batch changed, not what the partners hold.
  std::map<std::string, PartnerFigures> Partners() const;
  // The partners whose figures differ from what they were at the call that
  // set `*seen` (0: all), and sets it. Complete (every partner) only when
  // partners_epoch() changed; a caller that must see partners that left too
  // compares the epoch and calls Partners() then.
  std::map<std::string, PartnerFigures> PartnersChangedSince(uint64_t* seen) const;
  // Changes whenever the set of partners or the rules they are judged by
  // change (reference data, a config reload).
  uint64_t partners_epoch() const { return partners_epoch_; }
  // A kStarted transition for every clock of an open ticket that is at risk
  // or breached now: what the alerts must say after a load that applied the
  // history without them.
  void CurrentAlerts(std::vector<Transition>& out) const;
  // std::nullopt for an unknown ticket or one without a valid opened event.
  std::optional<TicketView> Find(const std::string& ticket) const;
  // The id of the ticket in memory that Transition::handle `handle` names;
  // "" for a handle no ticket holds. The view lasts until the ticket leaves
  // memory.
  std::string_view TicketOf(uint32_t handle) const;

 private:
  struct Slot;
  struct Contribution;
  struct PartnerEntry;

  // Slots live in blocks that never move: no growth slack, no copies.
  static constexpr int kSlotBlockBits = 12;
  Slot& SlotAt(uint32_t index) const;
  uint32_t SlotFor(const std::string& ticket);  // a new slot for a ticket not in memory
  // Adds an event to a slot's history; false when its sequence is there already.
  bool Insert(Slot& slot, const TicketEvent& event);
  void Recompute(uint32_t slot, std::vector<Transition>& transitions,
                 std::vector<RejectedEvent>* rejected);
  void RecomputeWhere(const std::function<bool(const Contribution&)>& affected,
                      std::vector<Transition>& transitions);
  // Released tickets whose contribution is `affected`, sorted.
  std::vector<std::string> ReleasedWhere(
      const std::function<bool(const Contribution&)>& affected) const;
  void Unload(uint32_t slot);  // a closed ticket leaves memory
  // Figures: add (sign +1) or take out (-1) what a ticket contributes.
  void Count(const Contribution& c, int sign);
  void CountClock(const Contribution& c, TargetName target, int sign);
  void CountTicket(const Contribution& c, int sign);
  void Recount(const Contribution& before, const Contribution& after);
  int32_t PeriodOf(NameTable::Id partner, int64_t opened_at) const;
  void RebuildPartners();  // partners_ from book_ and rules_
  void CountUsage(const Contribution& c, int sign);
  void RebuildUsage(NameTable::Id partner);
  TicketView View(const Contribution& c) const;
  const Policy& PolicyOf(NameTable::Id partner) const;
  // A partner's figures now, from its cache entry when that is current.
  const PartnerFigures& FiguresOf(NameTable::Id id, const PartnerEntry& entry) const;
  void PartnerChanged(NameTable::Id partner);  // its cached figures are stale

  std::unique_ptr<Rules> rules_;
  ReferenceBook book_;
  Instant now_;
  TimerWheel wheel_;
  NameTable names_;

  std::vector<std::unique_ptr<Slot[]>> slot_blocks_;
  uint32_t slot_count_ = 0;  // slots ever made; free ones are in free_slots_
  std::vector<uint32_t> free_slots_;
  TicketIndex index_;  // ticket id -> slot, reading ids from the slots
  std::unordered_map<std::string, Contribution> released_;
  // Breach onsets of a counted ticket under a severity it no longer has
  // (engine/breach_onsets.h), by ticket; kept when the ticket is released.
  struct EarlierOnsets {
    TargetName target;
    NameTable::Id severity;
    int count;
    bool operator==(const EarlierOnsets&) const = default;
  };
  std::unordered_map<std::string, std::vector<EarlierOnsets>> earlier_onsets_;

  std::unordered_map<NameTable::Id, PartnerEntry> partners_;  // book_'s, resolved
  uint64_t partners_epoch_ = 1;
  // ReferenceBook::ContextFor's context by (partner, product) id, built once
  // for the tickets that share it; cleared when the book or the rules change
  // (what it points into lives there).
  std::unordered_map<uint64_t, TicketContext> contexts_;
  mutable uint64_t partner_figures_stamp_ = 0;  // the last PartnerEntry::figures_stamp

  struct Figures;
  std::unique_ptr<Figures> figures_;
  struct ScrapeLabelCache;  // ScrapeSnapshot's labels, kept between calls
  std::unique_ptr<ScrapeLabelCache> scrape_labels_;
  std::vector<TimerWheel::Expired> expired_;  // reused by Advance
  std::vector<LoggedEvent> log_;              // a slot's events, decoded; reused
  bool report_transitions_ = true;
  bool defer_evaluation_ = false;
  std::vector<uint32_t> deferred_;  // slots marked while deferring, in order
  size_t deferred_done_ = 0;        // deferred_[0, deferred_done_) evaluated
};

}  // namespace slamon
