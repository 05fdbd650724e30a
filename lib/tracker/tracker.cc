#include "tracker/tracker.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <set>

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
struct Tracker::Contribution {
  bool counted = false;  // the ticket has a valid opened event
  NameTable::Id partner = 0;
  NameTable::Id severity = 0;
  NameTable::Id product = 0;
  TicketState state = TicketState::kOpen;
  bool unsupported = false;
  bool outdated = false;
  bool fee = false;
  bool new_defect = false;
  int32_t incidents = 0;
  int32_t period = -1;  // quota period of opened_at; -1 while the partner is unknown
  int64_t opened_at = 0;
  std::array<ClockFacts, 3> clocks;
};

// A ticket event without repeated strings.
struct CompactEvent {
  int64_t at;
  int64_t sequence;
  int32_t
      value;  // kOpened: index into Slot::opened; kSeverity: name id; kIncidents: count
  EventKind kind;
};

struct OpenedFields {
  NameTable::Id partner, severity, product, version;
  int32_t incidents;
};

struct Tracker::Slot {
  std::string ticket;
  uint32_t generation = 0;
  bool in_use = false;
  std::vector<CompactEvent> events;  // sorted by (at, sequence)
  std::vector<OpenedFields> opened;
  Contribution contribution;
  TimerWheel::TimerId timer = TimerWheel::kNoTimer;
};

struct Tracker::PartnerEntry {
  Partner partner;
  const Policy* policy = nullptr;  // the configured policy it names, or the default
};

struct Tracker::Figures {
  std::unordered_map<uint64_t, int64_t> open_clocks;  // Key(target, severity, state)
  std::unordered_map<uint64_t, int64_t> breaches;     // Key(target, severity, partner)
  std::unordered_map<uint64_t, MetCount> met;         // Key(target, severity)
  std::unordered_map<uint64_t, std::multiset<int64_t>>
      deadlines;  // Key(target, severity)
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

Tracker::Tracker(Config config, Instant now)
    : config_(std::make_unique<Config>(std::move(config))),
      default_policy_(&config_->policies.at("default")),
      now_(now),
      wheel_(now),
      figures_(std::make_unique<Figures>()) {}

Tracker::~Tracker() = default;

const Policy& Tracker::PolicyOf(NameTable::Id partner) const {
  auto entry = partners_.find(partner);
  return entry != partners_.end() ? *entry->second.policy : *default_policy_;
}

const Policy* Tracker::ConfiguredPolicy(const std::string& name) const {
  auto policy = config_->policies.find(name);
  return policy != config_->policies.end() ? &policy->second : default_policy_;
}

uint32_t Tracker::SlotFor(const std::string& ticket) {
  uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  slot.ticket = ticket;
  slot.in_use = true;
  ++slot.generation;
  slot_of_.emplace(ticket, index);
  return index;
}

bool Tracker::Insert(Slot& slot, const TicketEvent& event) {
  for (const auto& e : slot.events) {
    if (e.sequence == event.sequence) return false;
  }
  CompactEvent compact{Raw(event.at), event.sequence, 0, event.kind};
  switch (event.kind) {
    case EventKind::kOpened:
      compact.value = static_cast<int32_t>(slot.opened.size());
      slot.opened.push_back({names_.Intern(event.partner), names_.Intern(event.severity),
                             names_.Intern(event.product), names_.Intern(event.version),
                             event.incidents});
      break;
    case EventKind::kSeverity:
      compact.value = static_cast<int32_t>(names_.Intern(event.severity));
      break;
    case EventKind::kIncidents:
      compact.value = event.incidents;
      break;
    default:
      break;
  }
  auto position =
      std::upper_bound(slot.events.begin(), slot.events.end(), compact,
                       [](const CompactEvent& a, const CompactEvent& b) {
                         return a.at != b.at ? a.at < b.at : a.sequence < b.sequence;
                       });
  slot.events.insert(position, compact);
  return true;
}

Tracker::ApplyResult Tracker::Apply(const std::string& ticket, const TicketEvent& event,
                                    std::vector<Transition>& transitions) {
  ApplyResult result;
  uint32_t index;
  if (auto it = slot_of_.find(ticket); it != slot_of_.end()) {
    index = it->second;
  } else if (released_.count(ticket) != 0) {
    result.needs_history = true;
    return result;
  } else {
    index = SlotFor(ticket);
  }
  if (!Insert(slots_[index], event)) {
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
  auto existing = slot_of_.find(ticket);
  uint32_t index = existing != slot_of_.end() ? existing->second : SlotFor(ticket);
  Slot& slot = slots_[index];
  // Recompute takes the released figures back out as the ticket's previous state.
  if (released) slot.contribution = *released;
  slot.events.clear();
  slot.opened.clear();
  for (const auto& event : events) Insert(slot, event);
  ApplyResult result;
  Recompute(index, transitions, &result.rejected);
  return result;
}

void Tracker::Recompute(uint32_t index, std::vector<Transition>& transitions,
                        std::vector<RejectedEvent>* rejected) {
  Slot& slot = slots_[index];

  // Expand the compact history for the engine.
  std::vector<TicketEvent> events;
  events.reserve(slot.events.size());
  for (const auto& c : slot.events) {
    TicketEvent e;
    e.at = FromRaw(c.at);
    e.kind = c.kind;
    e.sequence = c.sequence;
    if (c.kind == EventKind::kOpened) {
      const OpenedFields& f = slot.opened[static_cast<size_t>(c.value)];
      e.partner = names_.Name(f.partner);
      e.severity = names_.Name(f.severity);
      e.product = names_.Name(f.product);
      e.version = names_.Name(f.version);
      e.incidents = f.incidents;
    } else if (c.kind == EventKind::kSeverity) {
      e.severity = names_.Name(static_cast<NameTable::Id>(c.value));
    } else if (c.kind == EventKind::kIncidents) {
      e.incidents = c.value;
    }
    events.push_back(std::move(e));
  }
  TicketHistory history = SanitizeHistory(
      slot.ticket, std::move(events), [&](const std::string& partner) -> const Policy& {
        return PolicyOf(names_.Intern(partner));
      });
  const NameTable::Id partner =
      history.events.empty() ? 0 : names_.Intern(history.events.front().partner);
  const Policy& policy = PolicyOf(partner);

  // Drop what breaks a rule for good; events waiting for their ticket's
  // opened event stay.
  for (auto& r : history.rejected) {
    if (r.reason == RejectReason::kNoOpened) continue;
    auto it =
        std::find_if(slot.events.begin(), slot.events.end(), [&](const CompactEvent& c) {
          return c.sequence == r.event.sequence && c.at == Raw(r.event.at) &&
                 c.kind == r.event.kind;
        });
    if (it != slot.events.end()) slot.events.erase(it);
    if (rejected != nullptr) rejected->push_back(std::move(r));
  }

  Contribution next;
  std::optional<Instant> wake;
  if (!history.events.empty()) {
    const TicketEvent& first = history.events.front();
    static const std::vector<Release> kNoReleases;
    static const std::vector<Certification> kNoCertifications;
    auto partner_entry = partners_.find(partner);
    auto releases = releases_.find(first.product);
    auto certifications = certifications_.find(partner);
    TicketContext context{
        .policy = &policy,
        .calendars = &config_->calendars,
        .partner_zone = partner_entry != partners_.end()
                            ? partner_entry->second.partner.zone
                            : nullptr,
        .releases = releases != releases_.end() ? releases->second : kNoReleases,
        .certifications = certifications != certifications_.end() ? certifications->second
                                                                  : kNoCertifications,
    };
    TicketEvaluation evaluation =
        EvaluateTicket(slot.ticket, history.events, context, now_);
    next.counted = evaluation.opened_at <= now_;
    next.partner = partner;
    next.severity = names_.Intern(evaluation.severity);
    next.product = names_.Intern(evaluation.product);
    next.state = evaluation.state;
    next.unsupported = !evaluation.supported;
    next.outdated = evaluation.outdated;
    next.fee = evaluation.fee;
    next.new_defect = evaluation.new_defect;
    next.incidents = evaluation.incidents;
    next.opened_at = Raw(evaluation.opened_at);
    next.period = PeriodOf(partner, next.opened_at);
    for (TargetName target : kTargetNames) {
      const Clock& clock = evaluation[target];
      ClockFacts& facts = next.clocks[static_cast<int>(target)];
      facts.status = clock.status;
      facts.breached = clock.breached;
      facts.at_risk = clock.at_risk;
      facts.deadline = clock.deadline ? Raw(*clock.deadline) : kNoInstant;
      if (clock.next_change && (!wake || *clock.next_change < *wake))
        wake = clock.next_change;
    }
    // An event stamped after now takes effect when its time comes.
    auto future =
        std::upper_bound(history.events.begin(), history.events.end(), now_,
                         [](Instant t, const TicketEvent& e) { return t < e.at; });
    if (future != history.events.end() && (!wake || future->at < *wake))
      wake = future->at;
    if (!next.counted) next = Contribution{};
  }

  const Contribution previous = slot.contribution;
  Recount(previous, next);
  slot.contribution = next;

  for (TargetName target : kTargetNames) {
    const ClockFacts& before = previous.clocks[static_cast<int>(target)];
    const ClockFacts& after = next.clocks[static_cast<int>(target)];
    AlertState was = previous.counted ? before.Alert() : AlertState::kQuiet;
    AlertState is = next.counted ? after.Alert() : AlertState::kQuiet;
    if (was == is) continue;
    if (was != AlertState::kQuiet) {
      transitions.push_back(
          {TransitionKind::kEnded, was, slot.ticket, names_.Name(previous.partner),
           names_.Name(previous.severity), target, FromRaw(before.deadline), now_});
    }
    if (is != AlertState::kQuiet) {
      transitions.push_back({TransitionKind::kStarted, is, slot.ticket,
                             names_.Name(next.partner), names_.Name(next.severity),
                             target, FromRaw(after.deadline), now_});
    }
  }

  if (slot.timer != TimerWheel::kNoTimer) wheel_.Cancel(slot.timer);
  slot.timer = TimerWheel::kNoTimer;
  if (wake) {
    uint64_t payload = (static_cast<uint64_t>(slot.generation) << 32) | index;
    slot.timer = wheel_.Schedule(*wake, payload);
  } else if (next.counted && next.state == TicketState::kClosed) {
    Unload(index);
  }
}

void Tracker::Unload(uint32_t index) {
  Slot& slot = slots_[index];
  released_.emplace(slot.ticket, slot.contribution);
  slot_of_.erase(slot.ticket);
  slot.ticket.clear();
  slot.ticket.shrink_to_fit();
  std::vector<CompactEvent>().swap(slot.events);
  std::vector<OpenedFields>().swap(slot.opened);
  slot.contribution = Contribution{};
  slot.in_use = false;
  free_slots_.push_back(index);
}

void Tracker::CountClock(const Contribution& c, TargetName target, int sign) {
  Figures& f = *figures_;
  const ClockFacts& clock = c.clocks[static_cast<int>(target)];
  if (clock.Open()) {
    f.open_clocks[Key(target, c.severity, static_cast<uint32_t>(clock.GaugeState()))] +=
        sign;
  }
  if (clock.breached) f.breaches[Key(target, c.severity, c.partner)] += sign;
  if (clock.status == ClockStatus::kStopped) {
    MetCount& met = f.met[Key(target, c.severity)];
    (clock.breached ? met.late : met.on_time) += sign;
  }
  if (clock.status == ClockStatus::kRunning && !clock.breached &&
      clock.deadline != kNoInstant) {
    auto& deadlines = f.deadlines[Key(target, c.severity)];
    if (sign > 0) {
      deadlines.insert(clock.deadline);
    } else {
      deadlines.erase(deadlines.find(clock.deadline));
    }
  }
}

void Tracker::CountTicket(const Contribution& c, int sign) {
  Figures& f = *figures_;
  if (c.state != TicketState::kClosed) {
    f.open_tickets += sign;
    if (c.unsupported) f.unsupported[c.product] += sign;
    if (c.outdated) f.outdated[c.product] += sign;
  }
  if (c.fee) f.fees[c.partner] += sign;
  CountUsage(c, sign);
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
    const ClockFacts& b = before.clocks[static_cast<int>(target)];
    const ClockFacts& a = after.clocks[static_cast<int>(target)];
    if (same_labels && b == a) continue;
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
  return QuotaPeriodAt(entry->second.partner.contract_signed_at, FromRaw(opened_at),
                       entry->second.policy->quota)
      .index;
}

void Tracker::CountUsage(const Contribution& c, int sign) {
  if (c.period < 0) return;
  PeriodUsage& usage = figures_->usage[c.partner][c.period];
  usage.incidents += sign * c.incidents;
  usage.credits += sign * (c.new_defect ? 1 : 0);
  usage.fees += sign * (c.fee ? 1 : 0);
}

void Tracker::RebuildUsage(NameTable::Id partner) {
  figures_->usage.erase(partner);
  auto rebuild = [&](Contribution& c) {
    if (!c.counted || c.partner != partner) return;
    c.period = PeriodOf(partner, c.opened_at);
    CountUsage(c, +1);
  };
  for (auto& slot : slots_) {
    if (slot.in_use) rebuild(slot.contribution);
  }
  for (auto& [ticket, contribution] : released_) rebuild(contribution);
}

void Tracker::RecomputeWhere(const std::function<bool(const Contribution&)>& affected,
                             std::vector<Transition>& transitions) {
  for (uint32_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].in_use && affected(slots_[i].contribution))
      Recompute(i, transitions, nullptr);
  }
}

void Tracker::SetPartner(Partner partner, std::vector<Transition>& transitions) {
  NameTable::Id id = names_.Intern(partner.id);
  const Policy* policy = ConfiguredPolicy(partner.policy);
  partners_[id] = PartnerEntry{std::move(partner), policy};
  // Tickets waiting for their partner (not counted yet) are re-evaluated too.
  RecomputeWhere([&](const Contribution& c) { return !c.counted || c.partner == id; },
                 transitions);
  RebuildUsage(id);
}

void Tracker::AddCertification(Certification certification,
                               std::vector<Transition>& transitions) {
  NameTable::Id id = names_.Intern(certification.partner);
  certifications_[id].push_back(std::move(certification));
  RecomputeWhere([&](const Contribution& c) { return c.partner == id; }, transitions);
}

void Tracker::AddRelease(Release release, std::vector<Transition>& transitions) {
  NameTable::Id product = names_.Intern(release.product);
  releases_[release.product].push_back(std::move(release));
  RecomputeWhere([&](const Contribution& c) { return c.product == product; },
                 transitions);
}

void Tracker::SetConfig(Config config, std::vector<Transition>& transitions) {
  config_ = std::make_unique<Config>(std::move(config));
  default_policy_ = &config_->policies.at("default");
  for (auto& [id, entry] : partners_)
    entry.policy = ConfiguredPolicy(entry.partner.policy);
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
    if (index >= slots_.size()) continue;
    Slot& slot = slots_[index];
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
  view.state = c.state;
  view.supported = !c.unsupported;
  view.outdated = c.outdated;
  view.fee = c.fee;
  view.incidents = c.incidents;
  for (size_t i = 0; i < 3; ++i) {
    const ClockFacts& f = c.clocks[i];
    view.clocks[i] = {
        f.status,
        f.deadline == kNoInstant ? std::nullopt : std::optional(FromRaw(f.deadline)),
        f.breached, f.at_risk};
  }
  return view;
}

std::optional<TicketView> Tracker::Find(const std::string& ticket) const {
  if (auto it = slot_of_.find(ticket); it != slot_of_.end()) {
    const Contribution& c = slots_[it->second].contribution;
    if (!c.counted) return std::nullopt;
    return View(c);
  }
  if (auto it = released_.find(ticket); it != released_.end()) return View(it->second);
  return std::nullopt;
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
    s.breaches[{target_of(key), severity_of(key),
                names_.Name(static_cast<NameTable::Id>(key >> 32))}] = count;
  }
  for (const auto& [key, count] : f.met)
    s.met[{target_of(key), severity_of(key)}] = count;
  for (const auto& [key, deadlines] : f.deadlines) {
    if (!deadlines.empty()) {
      s.next_deadline[{target_of(key), severity_of(key)}] = FromRaw(*deadlines.begin());
    }
  }
  for (const auto& [id, entry] : partners_) {
    const Policy& policy = PolicyOf(id);
    const Partner& partner = entry.partner;
    int period = QuotaPeriodAt(partner.contract_signed_at, now_, policy.quota).index;
    PeriodUsage usage;
    if (auto u = f.usage.find(id); u != f.usage.end()) {
      if (auto p = u->second.find(period); p != u->second.end()) usage = p->second;
    }
    static const std::vector<Certification> kNone;
    auto certifications = certifications_.find(id);
    PartnerFigures figures;
    figures.quota = AssessPartner(
        partner.contract_signed_at,
        certifications != certifications_.end() ? certifications->second : kNone, usage,
        policy, now_);
    if (auto fees = f.fees.find(id); fees != f.fees.end())
      figures.fees_total = fees->second;
    s.partners[partner.id] = figures;
  }
  for (const auto& [product, count] : f.unsupported)
    s.unsupported_open[names_.Name(product)] = count;
  for (const auto& [product, count] : f.outdated)
    s.outdated_open[names_.Name(product)] = count;
  s.open_tickets = f.open_tickets;
  s.tracked_tickets = static_cast<int64_t>(slot_of_.size());
  s.timers = wheel_.size();
  return s;
}

}  // namespace slamon
