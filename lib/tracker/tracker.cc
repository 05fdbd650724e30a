#include "tracker/tracker.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <unordered_set>

#include "engine/breach_onsets.h"
#include "tracker/compact_bytes.h"
#include "tracker/deadline_set.h"

namespace slamon {
namespace {

constexpr int64_t kNoInstant = std::numeric_limits<int64_t>::min();

int64_t Raw(Instant t) { return t.time_since_epoch().count(); }
Instant FromRaw(int64_t raw) { return Instant{Seconds{raw}}; }

// Map keys built from interned ids.
uint64_t Key(TargetName target, NameTable::Id severity, uint32_t extra = 0) {
  return static_cast<uint64_t>(target) | (static_cast<uint64_t>(severity) << 2) |
         (static_cast<uint64_t>(extra) << 32);
}

}  // namespace

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

std::string_view ToString(OpenClockState state) {
  switch (state) {
    case OpenClockState::kRunning:
      return "running";
    case OpenClockState::kPaused:
      return "paused";
    case OpenClockState::kAtRisk:
      return "at_risk";
    case OpenClockState::kBreached:
      return "breached";
  }
  return "unknown";
}

Tracker::Tracker(Rules rules, Instant now)
    : rules_(std::make_unique<Rules>(std::move(rules))),
      now_(now),
      wheel_(now),
      index_([this](uint32_t slot) { return SlotAt(slot).ticket.view(); }),
      figures_(std::make_unique<Figures>()) {
  // What an open ticket costs (see the bench): keep an eye on these.
  static_assert(sizeof(Contribution) <= 64);
  static_assert(sizeof(Slot) <= 120);
}

Tracker::~Tracker() = default;

Tracker::Slot& Tracker::SlotAt(uint32_t index) const {
  return slot_blocks_[index >> kSlotBlockBits][index & ((1u << kSlotBlockBits) - 1)];
}

bool Tracker::KnowsPartner(std::string_view partner) const {
  NameTable::Id id;
  return names_.Find(partner, &id) && partners_.contains(id);
}

const Policy& Tracker::PolicyOf(NameTable::Id partner) const {
  auto entry = partners_.find(partner);
  return entry != partners_.end() ? *entry->second.policy : rules_->DefaultPolicy();
}

void Tracker::RebuildPartners() {
  ++partners_epoch_;
  contexts_.clear();
  partners_.clear();
  for (const auto& [id, partner] : book_.partners()) {
    partners_[names_.Intern(id)] =
        PartnerEntry(partner, book_.RulesFor(id, *rules_).policy);
  }
}

uint32_t Tracker::SlotFor(const std::string& ticket) {
  uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    if (slot_count_ == UINT32_MAX) throw std::length_error("Tracker: too many tickets");
    index = slot_count_++;
    if ((index >> kSlotBlockBits) == slot_blocks_.size())
      slot_blocks_.push_back(std::make_unique<Slot[]>(size_t{1} << kSlotBlockBits));
  }
  Slot& slot = SlotAt(index);
  slot.ticket.Assign(ticket);
  slot.in_use = true;
  ++slot.generation;
  index_.Insert(ticket, index);
  return index;
}

bool Tracker::Insert(Slot& slot, const TicketEvent& event) {
  slot.events.Decode(log_);
  for (const auto& e : log_) {
    if (e.sequence == event.sequence) return false;
  }
  LoggedEvent logged{.at = Raw(event.at), .sequence = event.sequence, .kind = event.kind};
  switch (event.kind) {
    case EventKind::kOpened:
      logged.partner = names_.Intern(event.partner);
      logged.severity = names_.Intern(event.severity);
      logged.product = names_.Intern(event.product);
      logged.version = names_.Intern(event.version);
      logged.incidents = event.incidents;
      break;
    case EventKind::kSeverity:
      logged.severity = names_.Intern(event.severity);
      break;
    case EventKind::kIncidents:
      logged.incidents = event.incidents;
      break;
    default:
      break;
  }
  auto position = std::upper_bound(
      log_.begin(), log_.end(), logged, [](const LoggedEvent& a, const LoggedEvent& b) {
        return a.at != b.at ? a.at < b.at : a.sequence < b.sequence;
      });
  log_.insert(position, logged);
  slot.events.Encode(log_);
  return true;
}

Tracker::ApplyResult Tracker::Apply(const std::string& ticket, const TicketEvent& event,
                                    std::vector<Transition>& transitions) {
  ApplyResult result;
  uint32_t index;
  if (std::optional<uint32_t> found = index_.Find(ticket)) {
    index = *found;
  } else if (released_.count(ticket) != 0) {
    result.needs_history = true;
    return result;
  } else {
    index = SlotFor(ticket);
  }
  if (!Insert(SlotAt(index), event)) {
    result.duplicate = true;
    return result;
  }
  Recompute(index, transitions, &result.rejected);
  return result;
}

Tracker::ApplyResult Tracker::ReplaceHistory(const std::string& ticket,
                                             std::vector<TicketEvent> events,
                                             std::vector<Transition>& transitions) {
  std::optional<Contribution> released;
  if (auto it = released_.find(ticket); it != released_.end()) {
    released = it->second;
    released_.erase(it);
  }
  std::optional<uint32_t> existing = index_.Find(ticket);
  uint32_t index = existing ? *existing : SlotFor(ticket);
  Slot& slot = SlotAt(index);
  // Recompute takes the released figures back out as the ticket's previous state.
  if (released) slot.contribution = *released;
  slot.events.Clear();
  for (const auto& event : events) Insert(slot, event);
  ApplyResult result;
  Recompute(index, transitions, &result.rejected);
  return result;
}

void Tracker::Recompute(uint32_t index, std::vector<Transition>& transitions,
                        std::vector<RejectedEvent>* rejected) {
  Slot& slot = SlotAt(index);
  const std::string_view ticket = slot.ticket.view();

  // Expand the compact history for the engine.
  slot.events.Decode(log_);
  std::vector<TicketEvent> events;
  events.reserve(log_.size());
  for (const auto& c : log_) {
    TicketEvent e;
    e.at = FromRaw(c.at);
    e.kind = c.kind;
    e.sequence = c.sequence;
    if (c.kind == EventKind::kOpened) {
      e.partner = names_.Name(c.partner);
      e.severity = names_.Name(c.severity);
      e.product = names_.Name(c.product);
      e.version = names_.Name(c.version);
      e.incidents = c.incidents;
    } else if (c.kind == EventKind::kSeverity) {
      e.severity = names_.Name(c.severity);
    } else if (c.kind == EventKind::kIncidents) {
      e.incidents = c.incidents;
    }
    events.push_back(std::move(e));
  }
  // The id of a name the ticket's events carry, found without hashing.
  auto id_of = [&](const std::string& name) {
    for (const auto& c : log_) {
      if (c.kind == EventKind::kOpened) {
        for (NameTable::Id id : {c.partner, c.severity, c.product}) {
          if (names_.Name(id) == name) return id;
        }
      } else if (c.kind == EventKind::kSeverity && names_.Name(c.severity) == name) {
        return c.severity;
      }
    }
    return names_.Intern(name);
  };
  TicketHistory history = SanitizeHistory(
      ticket, std::move(events), [&](const std::string& partner) -> const Policy& {
        return PolicyOf(id_of(partner));
      });
  const NameTable::Id partner =
      history.events.empty() ? 0 : id_of(history.events.front().partner);

  // Drop what breaks a rule for good; events waiting for their ticket's
  // opened event stay.
  bool dropped = false;
  for (auto& r : history.rejected) {
    if (r.reason == RejectReason::kNoOpened) continue;
    auto it = std::find_if(log_.begin(), log_.end(), [&](const LoggedEvent& c) {
      return c.sequence == r.event.sequence && c.at == Raw(r.event.at) &&
             c.kind == r.event.kind;
    });
    if (it != log_.end()) {
      log_.erase(it);
      dropped = true;
    }
    if (rejected != nullptr) rejected->push_back(std::move(r));
  }
  if (dropped) slot.events.Encode(log_);

  Contribution next;
  std::vector<EarlierOnsets> earlier;
  std::optional<Instant> wake;
  if (!history.events.empty()) {
    const uint64_t context_key =
        (static_cast<uint64_t>(partner) << 32) | id_of(history.events.front().product);
    auto cached = contexts_.find(context_key);
    if (cached == contexts_.end()) {
      cached = contexts_
                   .emplace(context_key,
                            book_.ContextFor(history.events.front(), *rules_).context)
                   .first;
    }
    const TicketContext& context = cached->second;
    TicketEvaluation evaluation = EvaluateTicket(ticket, history.events, context, now_);
    // Breach onsets under the severity the ticket has now go with its clocks;
    // those under an earlier severity (rare: a re-classification kept or
    // undid a breach) are kept aside, by ticket.
    std::array<uint8_t, 3> onsets = {0, 0, 0};
    for (const BreachOnsetCount& o :
         BreachOnsets(ticket, history.events, context, now_, evaluation)) {
      if (o.severity == evaluation.severity) {
        onsets[static_cast<size_t>(o.target)] =
            static_cast<uint8_t>(std::min(o.count, 255));
      } else {
        earlier.push_back({o.target, id_of(o.severity), o.count});
      }
    }
    next.counted = evaluation.opened_at <= now_;
    next.partner = partner;
    next.severity = id_of(evaluation.severity);
    next.product = id_of(evaluation.product);
    next.state = static_cast<uint8_t>(evaluation.state);
    next.unsupported = !evaluation.supported;
    next.outdated = evaluation.outdated;
    next.fee = evaluation.fee;
    next.new_defect = evaluation.new_defect;
    next.incidents = evaluation.incidents;
    next.opened_at = Raw(evaluation.opened_at);
    next.period = PeriodOf(partner, next.opened_at);
    for (TargetName target : kTargetNames) {
      const Clock& clock = evaluation[target];
      next.SetClock(target,
                    {clock.deadline ? Raw(*clock.deadline) : kNoInstant, clock.status,
                     clock.breached, clock.at_risk, onsets[static_cast<size_t>(target)]});
      if (clock.next_change && (!wake || *clock.next_change < *wake))
        wake = clock.next_change;
    }
    // An event stamped after now takes effect when its time comes.
    auto future =
        std::upper_bound(history.events.begin(), history.events.end(), now_,
                         [](Instant t, const TicketEvent& e) { return t < e.at; });
    if (future != history.events.end() && (!wake || future->at < *wake))
      wake = future->at;
    if (!next.counted) {
      next = Contribution{};
      earlier.clear();
    }
  }

  const Contribution previous = slot.contribution;
  Recount(previous, next);
  slot.contribution = next;
  if (!earlier.empty() || !earlier_onsets_.empty()) {
    auto found = earlier_onsets_.find(std::string(ticket));
    std::vector<EarlierOnsets> before;
    if (found != earlier_onsets_.end()) before = found->second;
    if (before != earlier || previous.partner != next.partner) {
      for (const auto& o : before)
        figures_->breaches[Key(o.target, o.severity, previous.partner)] -= o.count;
      for (const auto& o : earlier)
        figures_->breaches[Key(o.target, o.severity, next.partner)] += o.count;
    }
    if (earlier.empty()) {
      if (found != earlier_onsets_.end()) earlier_onsets_.erase(found);
    } else if (found != earlier_onsets_.end()) {
      found->second = std::move(earlier);
    } else {
      earlier_onsets_.emplace(std::string(ticket), std::move(earlier));
    }
  }

  for (TargetName target : kTargetNames) {
    if (!report_transitions_) break;
    const ClockFacts before = previous.Clock(target);
    const ClockFacts after = next.Clock(target);
    AlertState was = previous.counted ? before.Alert() : AlertState::kQuiet;
    AlertState is = next.counted ? after.Alert() : AlertState::kQuiet;
    if (was == is) continue;
    if (was != AlertState::kQuiet) {
      transitions.push_back({TransitionKind::kEnded, was, std::string(ticket),
                             names_.Name(previous.partner),
                             names_.Name(previous.severity), target,
                             FromRaw(before.deadline), now_});
    }
    if (is != AlertState::kQuiet) {
      transitions.push_back({TransitionKind::kStarted, is, std::string(ticket),
                             names_.Name(next.partner), names_.Name(next.severity),
                             target, FromRaw(after.deadline), now_});
    }
  }

  if (slot.timer != TimerWheel::kNoTimer) wheel_.Cancel(slot.timer);
  slot.timer = TimerWheel::kNoTimer;
  if (wake) {
    uint64_t payload = (static_cast<uint64_t>(slot.generation) << 32) | index;
    slot.timer = wheel_.Schedule(*wake, payload);
  } else if (next.counted && next.State() == TicketState::kClosed) {
    Unload(index);
  }
}

void Tracker::CurrentAlerts(std::vector<Transition>& out) const {
  for (uint32_t index = 0; index < slot_count_; ++index) {
    const Slot& slot = SlotAt(index);
    if (!slot.in_use || !slot.contribution.counted) continue;
    const Contribution& c = slot.contribution;
    for (TargetName target : kTargetNames) {
      const ClockFacts clock = c.Clock(target);
      if (clock.Alert() == AlertState::kQuiet) continue;
      out.push_back({TransitionKind::kStarted, clock.Alert(),
                     std::string(slot.ticket.view()), names_.Name(c.partner),
                     names_.Name(c.severity), target, FromRaw(clock.deadline), now_});
    }
  }
}

void Tracker::Unload(uint32_t index) {
  Slot& slot = SlotAt(index);
  released_.emplace(std::string(slot.ticket.view()), slot.contribution);
  index_.Erase(slot.ticket.view());  // reads the id: before it is cleared
  slot.ticket.Clear();
  slot.events.Clear();
  slot.contribution = Contribution{};
  slot.in_use = false;
  free_slots_.push_back(index);
}

void Tracker::CountClock(const Contribution& c, TargetName target, int sign) {
  Figures& f = *figures_;
  const ClockFacts clock = c.Clock(target);
  if (clock.Open()) {
    f.open_clocks[Key(target, c.severity, static_cast<uint32_t>(clock.GaugeState()))] +=
        sign;
  }
  if (clock.onsets != 0)
    f.breaches[Key(target, c.severity, c.partner)] += sign * clock.onsets;
  if (clock.status == ClockStatus::kStopped) {
    MetCount& met = f.met[Key(target, c.severity)];
    (clock.breached ? met.late : met.on_time) += sign;
  }
  if (clock.status == ClockStatus::kRunning && !clock.breached &&
      clock.deadline != kNoInstant) {
    auto& deadlines = f.deadlines[Key(target, c.severity)];
    if (sign > 0) {
      deadlines.Insert(clock.deadline);
    } else {
      deadlines.Erase(clock.deadline);
    }
  }
}

void Tracker::CountTicket(const Contribution& c, int sign) {
  Figures& f = *figures_;
  if (c.State() != TicketState::kClosed) {
    f.open_tickets += sign;
    if (c.unsupported) f.unsupported[c.product] += sign;
    if (c.outdated) f.outdated[c.product] += sign;
  }
  if (c.fee) f.fees[c.partner] += sign;
  CountUsage(c, sign);
  if (c.fee || c.period >= 0) PartnerChanged(c.partner);
}

void Tracker::PartnerChanged(NameTable::Id partner) {
  auto entry = partners_.find(partner);
  if (entry != partners_.end()) entry->second.figures.reset();
}

void Tracker::Count(const Contribution& c, int sign) {
  for (TargetName target : kTargetNames) CountClock(c, target, sign);
  CountTicket(c, sign);
}

void Tracker::Recount(const Contribution& before, const Contribution& after) {
  if (!before.counted || !after.counted) {
    if (before.counted) Count(before, -1);
    if (after.counted) Count(after, +1);
    return;
  }
  // Most events change one clock: leave the figures of the others alone.
  const bool same_labels =
      before.severity == after.severity && before.partner == after.partner;
  for (TargetName target : kTargetNames) {
    if (same_labels && before.Clock(target) == after.Clock(target)) continue;
    CountClock(before, target, -1);
    CountClock(after, target, +1);
  }
  if (before.partner == after.partner && before.product == after.product &&
      before.state == after.state && before.unsupported == after.unsupported &&
      before.outdated == after.outdated && before.fee == after.fee &&
      before.new_defect == after.new_defect && before.incidents == after.incidents &&
      before.period == after.period) {
    return;
  }
  CountTicket(before, -1);
  CountTicket(after, +1);
}

int32_t Tracker::PeriodOf(NameTable::Id partner, int64_t opened_at) const {
  auto entry = partners_.find(partner);
  if (entry == partners_.end()) return -1;  // counted once the partner is known
  std::optional<QuotaPeriod>& last = entry->second.last_period;
  if (!last || !last->Contains(FromRaw(opened_at))) {
    const Partner& known = entry->second.partner;
    last = QuotaPeriodAt(known.contract_signed_at, known.zone, FromRaw(opened_at),
                         entry->second.policy->quota);
  }
  return last->index;
}

void Tracker::CountUsage(const Contribution& c, int sign) {
  if (c.period < 0) return;
  auto& periods = figures_->usage[c.partner];
  PeriodUsage& usage = periods[c.period];
  usage.incidents += sign * c.incidents;
  usage.fees += sign * (c.fee ? 1 : 0);
  // A credit earned in the unlimited first period is the first limited one's.
  if (c.new_defect) periods[CreditPeriodIndex(c.period)].credits += sign;
}

void Tracker::RebuildUsage(NameTable::Id partner) {
  figures_->usage.erase(partner);
  PartnerChanged(partner);
  auto rebuild = [&](Contribution& c) {
    if (!c.counted || c.partner != partner) return;
    c.period = PeriodOf(partner, c.opened_at);
    CountUsage(c, +1);
  };
  for (uint32_t i = 0; i < slot_count_; ++i) {
    Slot& slot = SlotAt(i);
    if (slot.in_use) rebuild(slot.contribution);
  }
  for (auto& [ticket, contribution] : released_) rebuild(contribution);
}

void Tracker::RecomputeWhere(const std::function<bool(const Contribution&)>& affected,
                             std::vector<Transition>& transitions) {
  for (uint32_t i = 0; i < slot_count_; ++i) {
    const Slot& slot = SlotAt(i);
    if (slot.in_use && affected(slot.contribution)) Recompute(i, transitions, nullptr);
  }
}

namespace {

// Whether a partner record's change can change its tickets' clocks, fee or
// support (its contract date and credit kind count in the quota figures
// only, which RebuildUsage recounts without the history).
bool JudgedDifferently(const Partner* before, const Partner* after) {
  if (before == nullptr || after == nullptr) return before != after;
  return before->zone != after->zone || before->policy != after->policy ||
         before->holidays != after->holidays;
}

}  // namespace

std::vector<std::string> Tracker::ReleasedWhere(
    const std::function<bool(const Contribution&)>& affected) const {
  std::vector<std::string> tickets;
  for (const auto& [ticket, contribution] : released_) {
    if (affected(contribution)) tickets.push_back(ticket);
  }
  std::sort(tickets.begin(), tickets.end());
  return tickets;
}

std::vector<std::string> Tracker::ReplaceReference(ReferenceBook book,
                                                   std::vector<Transition>& transitions) {
  const std::map<std::string, Partner, std::less<>> before = book_.partners();
  const ReferenceChanges changes = book_.Replace(std::move(book));
  contexts_.clear();  // it points into the book replaced, changed or not
  if (changes.empty()) return {};
  RebuildPartners();
  std::unordered_set<NameTable::Id> partners;
  std::unordered_set<NameTable::Id> products;
  std::unordered_set<NameTable::Id> judged;  // partners whose tickets' clocks may change
  for (const auto& id : changes.partners) {
    partners.insert(names_.Intern(id));
    auto old = before.find(id);
    if (changes.certifications.contains(id) ||
        JudgedDifferently(old != before.end() ? &old->second : nullptr,
                          book_.FindPartner(id)))
      judged.insert(names_.Intern(id));
  }
  for (const auto& product : changes.products) products.insert(names_.Intern(product));
  // Tickets waiting for their partner (not counted yet) are re-evaluated too.
  RecomputeWhere(
      [&](const Contribution& c) {
        return !c.counted || partners.contains(c.partner) || products.contains(c.product);
      },
      transitions);
  for (NameTable::Id id : partners) RebuildUsage(id);
  return ReleasedWhere([&](const Contribution& c) {
    return judged.contains(c.partner) || products.contains(c.product);
  });
}

std::vector<std::string> Tracker::SetPartner(Partner partner,
                                             std::vector<Transition>& transitions) {
  NameTable::Id id = names_.Intern(partner.id);
  const Partner* old = book_.FindPartner(partner.id);
  const bool judged = JudgedDifferently(old, &partner);
  book_.SetPartner(partner);
  contexts_.clear();
  const Policy* policy = book_.RulesFor(partner.id, *rules_).policy;
  partners_[id] = PartnerEntry(std::move(partner), policy);
  ++partners_epoch_;
  // Tickets waiting for their partner (not counted yet) are re-evaluated too.
  RecomputeWhere([&](const Contribution& c) { return !c.counted || c.partner == id; },
                 transitions);
  RebuildUsage(id);
  if (!judged) return {};
  return ReleasedWhere([&](const Contribution& c) { return c.partner == id; });
}

std::vector<std::string> Tracker::AddCertification(Certification certification,
                                                   std::vector<Transition>& transitions) {
  NameTable::Id id = names_.Intern(certification.partner);
  book_.AddCertification(std::move(certification));
  contexts_.clear();
  PartnerChanged(id);
  ++partners_epoch_;
  RecomputeWhere([&](const Contribution& c) { return c.partner == id; }, transitions);
  return ReleasedWhere([&](const Contribution& c) { return c.partner == id; });
}

std::vector<std::string> Tracker::AddRelease(Release release,
                                             std::vector<Transition>& transitions) {
  NameTable::Id product = names_.Intern(release.product);
  book_.AddRelease(std::move(release));
  contexts_.clear();
  RecomputeWhere([&](const Contribution& c) { return c.product == product; },
                 transitions);
  return ReleasedWhere([&](const Contribution& c) { return c.product == product; });
}

void Tracker::SetRules(Rules rules, std::vector<Transition>& transitions) {
  rules_ = std::make_unique<Rules>(std::move(rules));
  RebuildPartners();
  RecomputeWhere([](const Contribution&) { return true; }, transitions);
  for (const auto& [id, entry] : partners_) RebuildUsage(id);
}

void Tracker::Advance(Instant now, std::vector<Transition>& transitions) {
  if (now <= now_) return;
  now_ = now;
  expired_.clear();
  wheel_.Advance(now_, expired_);
  for (const auto& expired : expired_) {
    uint32_t index = static_cast<uint32_t>(expired.payload & 0xffffffffu);
    uint32_t generation = static_cast<uint32_t>(expired.payload >> 32);
    if (index >= slot_count_) continue;
    Slot& slot = SlotAt(index);
    if (!slot.in_use || slot.generation != generation) continue;
    slot.timer = TimerWheel::kNoTimer;  // it fired
    Recompute(index, transitions, nullptr);
  }
}

std::optional<Instant> Tracker::NextWakeUp() const { return wheel_.NextExpiry(); }

TicketView Tracker::View(const Contribution& c) const {
  TicketView view;
  view.partner = names_.Name(c.partner);
  view.severity = names_.Name(c.severity);
  view.product = names_.Name(c.product);
  view.state = c.State();
  view.supported = !c.unsupported;
  view.outdated = c.outdated;
  view.fee = c.fee;
  view.incidents = c.incidents;
  for (TargetName target : kTargetNames) {
    const ClockFacts f = c.Clock(target);
    view.clocks[static_cast<size_t>(target)] = {
        f.status,
        f.deadline == kNoInstant ? std::nullopt : std::optional(FromRaw(f.deadline)),
        f.breached, f.at_risk};
  }
  return view;
}

std::optional<TicketView> Tracker::Find(const std::string& ticket) const {
  if (std::optional<uint32_t> found = index_.Find(ticket)) {
    const Contribution& c = SlotAt(*found).contribution;
    if (!c.counted) return std::nullopt;
    return View(c);
  }
  if (auto it = released_.find(ticket); it != released_.end()) return View(it->second);
  return std::nullopt;
}

const PartnerFigures& Tracker::FiguresOf(NameTable::Id id,
                                         const PartnerEntry& entry) const {
  if (entry.figures && entry.figures_at == now_) return *entry.figures;
  const Figures& f = *figures_;
  const Policy& policy = PolicyOf(id);
  const Partner& partner = entry.partner;
  int period =
      QuotaPeriodAt(partner.contract_signed_at, partner.zone, now_, policy.quota).index;
  PeriodUsage usage;
  if (auto u = f.usage.find(id); u != f.usage.end()) {
    if (auto p = u->second.find(period); p != u->second.end()) usage = p->second;
  }
  PartnerFigures figures;
  figures.quota =
      AssessPartner(partner, book_.CertificationsOf(partner.id), usage, policy, now_);
  if (auto fees = f.fees.find(id); fees != f.fees.end())
    figures.fees_total = fees->second;
  if (!entry.figures || !(*entry.figures == figures))
    entry.figures_stamp = ++partner_figures_stamp_;
  entry.figures = std::move(figures);
  entry.figures_at = now_;
  return *entry.figures;
}

std::map<std::string, PartnerFigures> Tracker::Partners() const {
  std::map<std::string, PartnerFigures> partners;
  for (const auto& [id, entry] : partners_)
    partners[entry.partner.id] = FiguresOf(id, entry);
  return partners;
}

std::map<std::string, PartnerFigures> Tracker::PartnersChangedSince(
    uint64_t* seen) const {
  std::map<std::string, PartnerFigures> partners;
  for (const auto& [id, entry] : partners_) {
    const PartnerFigures& figures = FiguresOf(id, entry);
    if (entry.figures_stamp > *seen) partners[entry.partner.id] = figures;
  }
  *seen = partner_figures_stamp_;
  return partners;
}

SlaFigures Tracker::Snapshot() const {
  const Figures& f = *figures_;
  SlaFigures s;
  s.at = now_;
  auto target_of = [](uint64_t key) { return static_cast<TargetName>(key & 3); };
  auto severity_of = [&](uint64_t key) {
    return names_.Name(static_cast<NameTable::Id>((key >> 2) & 0x3fffffff));
  };
  for (const auto& [key, count] : f.open_clocks) {
    auto state = static_cast<OpenClockState>(key >> 32);
    s.open_clocks[{{target_of(key), severity_of(key)}, state}] = count;
  }
  for (const auto& [key, count] : f.breaches) {
    // A partner id is a label only once the reference data knows it: ids
    // from tickets alone are folded into "unknown", so a feeder cannot make
    // a series per typo (or per attack).
    const auto partner = static_cast<NameTable::Id>(key >> 32);
    const std::string label =
        partners_.contains(partner) ? names_.Name(partner) : std::string(kUnknownPartner);
    s.breaches[{target_of(key), severity_of(key), label}] += count;
  }
  for (const auto& [key, count] : f.met)
    s.met[{target_of(key), severity_of(key)}] = count;
  for (const auto& [key, deadlines] : f.deadlines) {
    if (!deadlines.empty()) {
      s.next_deadline[{target_of(key), severity_of(key)}] =
          FromRaw(*deadlines.Earliest());
    }
  }
  s.partners = Partners();
  // Products likewise: a label only when it has releases in the reference data.
  auto product_label = [&](NameTable::Id product) {
    std::string name = names_.Name(product);
    return book_.ReleasesOf(name).empty() ? std::string(kUnknownProduct) : name;
  };
  for (const auto& [product, count] : f.unsupported)
    s.unsupported_open[product_label(product)] += count;
  for (const auto& [product, count] : f.outdated)
    s.outdated_open[product_label(product)] += count;
  s.open_tickets = f.open_tickets;
  s.tracked_tickets = static_cast<int64_t>(index_.size());
  s.timers = wheel_.size();
  return s;
}

}  // namespace slamon
