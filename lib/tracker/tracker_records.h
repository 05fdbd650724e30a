// The Tracker's private records, shared by the files that implement it and
// included by nothing else:
//   tracker.cc             the API: events in, reference and rule changes,
//                          time, lookups
//   tracker_slots.cc       slot storage: a ticket's slot, its compact history,
//                          release of closed tickets
//   tracker_evaluation.cc  evaluation and diff: a ticket recomputed with the
//                          engine, its transitions and its next timer
//   tracker_figures.cc     the metrics tally: a ticket's contribution added to
//                          and taken from the figures, the snapshot
// Records: ClockFacts (one clock as figures and alerts see it), Contribution
// (what one ticket adds to the figures, packed), Slot, PartnerEntry and
// Figures. Pure; not thread-safe (the Tracker's single owner).
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "tracker/compact_bytes.h"
#include "tracker/deadline_set.h"
#include "tracker/tracker.h"

namespace slamon {

namespace tracker_records {

// An instant as the slots store it: whole seconds since the epoch.
inline constexpr int64_t kNoInstant = std::numeric_limits<int64_t>::min();
inline int64_t Raw(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromRaw(int64_t raw) { return Instant{Seconds{raw}}; }
// A deadline that may be unknown (kNoInstant).
inline std::optional<Instant> DeadlineFromRaw(int64_t raw) {
  if (raw == kNoInstant) return std::nullopt;
  return FromRaw(raw);
}

// Map keys built from interned ids: the target in bits 0-1, the severity in
// bits 2-31, `extra` (an OpenClockState or a partner id) in bits 32-63.
inline uint64_t Key(TargetName target, NameTable::Id severity, uint32_t extra = 0) {
  return static_cast<uint64_t>(target) | (static_cast<uint64_t>(severity) << 2) |
         (static_cast<uint64_t>(extra) << 32);
}

}  // namespace tracker_records

using tracker_records::kNoInstant;

// One clock, as far as figures and alerts are concerned.
struct ClockFacts {
  int64_t deadline = kNoInstant;
  ClockStatus status = ClockStatus::kNotApplicable;
  bool breached = false;
  bool at_risk = false;
  uint8_t onsets = 0;  // breach onsets so far (engine/breach_onsets.h)

  bool operator==(const ClockFacts&) const = default;
  bool Open() const {
    return status == ClockStatus::kRunning || status == ClockStatus::kPaused;
  }
  AlertState Alert() const {
    if (!Open()) return AlertState::kQuiet;
    if (breached) return AlertState::kBreached;
    return at_risk ? AlertState::kAtRisk : AlertState::kQuiet;
  }
  OpenClockState GaugeState() const {
    if (breached) return OpenClockState::kBreached;
    if (at_risk) return OpenClockState::kAtRisk;
    return status == ClockStatus::kPaused ? OpenClockState::kPaused
                                          : OpenClockState::kRunning;
  }
};

// What one ticket adds to the figures; kept after the ticket is released.
// Packed (it is a good part of what an open ticket costs): enums and flags in
// bytes and bits; clocks are read and written as ClockFacts.
struct Tracker::Contribution {
  int64_t opened_at = 0;
  std::array<int64_t, 3> deadlines = {kNoInstant, kNoInstant, kNoInstant};
  NameTable::Id partner = 0;
  NameTable::Id severity = 0;
  NameTable::Id product = 0;
  int32_t incidents = 0;
  int32_t period = -1;  // quota period of opened_at; -1 while the partner is unknown
  // Per clock: ClockStatus in the low 3 bits, breached, at_risk.
  std::array<uint8_t, 3> clock_bits = {kNotApplicableBits, kNotApplicableBits,
                                       kNotApplicableBits};
  std::array<uint8_t, 3> onsets = {0, 0, 0};  // breach onsets per clock
  uint8_t state = static_cast<uint8_t>(TicketState::kOpen);
  bool counted : 1 = false;  // the ticket has a valid opened event
  bool unsupported : 1 = false;
  bool outdated : 1 = false;
  bool fee : 1 = false;
  bool new_defect : 1 = false;

  static constexpr uint8_t kBreachedBit = 1u << 3;
  static constexpr uint8_t kAtRiskBit = 1u << 4;
  static constexpr uint8_t kNotApplicableBits =
      static_cast<uint8_t>(ClockStatus::kNotApplicable);

  TicketState State() const { return static_cast<TicketState>(state); }
  ClockFacts Clock(TargetName target) const {
    const auto i = static_cast<size_t>(target);
    return {deadlines[i], static_cast<ClockStatus>(clock_bits[i] & 7),
            (clock_bits[i] & kBreachedBit) != 0, (clock_bits[i] & kAtRiskBit) != 0,
            onsets[i]};
  }
  void SetClock(TargetName target, const ClockFacts& facts) {
    const auto i = static_cast<size_t>(target);
    deadlines[i] = facts.deadline;
    onsets[i] = facts.onsets;
    clock_bits[i] = static_cast<uint8_t>(static_cast<uint8_t>(facts.status) |
                                         (facts.breached ? kBreachedBit : 0) |
                                         (facts.at_risk ? kAtRiskBit : 0));
  }
};

struct Tracker::Slot {
  CompactBytes<16> ticket;  // the ticket's id (TicketIndex reads it here)
  EventLog events;          // sorted by (at, sequence)
  TimerWheel::TimerId timer = TimerWheel::kNoTimer;
  uint32_t generation = 0;
  bool in_use = false;
  bool deferred = false;  // in Tracker::deferred_, not evaluated since its last event
  Contribution contribution;
};

struct Tracker::PartnerEntry {
  PartnerEntry() = default;
  PartnerEntry(Partner known, const Policy* resolved)
      : partner(std::move(known)), policy(resolved) {}

  Partner partner;
  const Policy* policy = nullptr;  // as ReferenceBook::RulesFor resolves it
  // The quota period PeriodOf found last (tickets come in time order): the
  // entry is replaced when the partner changes, and reset when the policy does.
  mutable std::optional<QuotaPeriod> last_period;
  // Partners() figures as of figures_at; std::nullopt when stale. Stamped
  // (partner_figures_stamp_) each time a recomputation changed them.
  mutable std::optional<PartnerFigures> figures;
  mutable Instant figures_at;
  mutable uint64_t figures_stamp = 0;
};

struct Tracker::Figures {
  std::unordered_map<uint64_t, int64_t> open_clocks;    // Key(target, severity, state)
  std::unordered_map<uint64_t, int64_t> breaches;       // Key(target, severity, partner)
  std::unordered_map<uint64_t, MetCount> met;           // Key(target, severity)
  std::unordered_map<uint64_t, DeadlineSet> deadlines;  // Key(target, severity)
  std::unordered_map<NameTable::Id, std::map<int, PeriodUsage>> usage;  // partner, period
  std::unordered_map<NameTable::Id, int64_t> fees;
  std::unordered_map<NameTable::Id, int64_t> unsupported;  // product
  std::unordered_map<NameTable::Id, int64_t> outdated;     // product
  int64_t open_tickets = 0;
};

// ScrapeSnapshot's labels and, by interned id, each name's label number in
// them (kNoScrapeLabel: none yet). Made again when a figure has an id without a
// number, a product's label changed, or partners_epoch_ moved (a partner id
// is a label only while the reference data knows it).
inline constexpr uint32_t kNoScrapeLabel = std::numeric_limits<uint32_t>::max();
struct Tracker::ScrapeLabelCache {
  std::shared_ptr<const ScrapeLabels> labels;
  uint64_t partners_epoch = 0;
  std::vector<uint32_t> severity;  // by NameTable::Id
  std::vector<uint32_t> partner;
  std::vector<uint32_t> product;

  static uint32_t Of(const std::vector<uint32_t>& numbers, NameTable::Id id) {
    return id < numbers.size() ? numbers[id] : kNoScrapeLabel;
  }
};

}  // namespace slamon
