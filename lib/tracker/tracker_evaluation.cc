// Tracker: evaluation and diff (tracker_records.h).
#include <algorithm>

#include "engine/breach_onsets.h"
#include "tracker/tracker.h"
#include "tracker/tracker_records.h"

namespace slamon {

using tracker_records::DeadlineFromRaw;
using tracker_records::Key;
using tracker_records::Raw;

void Tracker::Recompute(uint32_t index, std::vector<Transition>& transitions,
                        std::vector<RejectedEvent>* rejected) {
  Slot& slot = SlotAt(index);
  slot.deferred = false;
  const std::string_view ticket = slot.ticket.view();

  // Expand the compact history for the engine.
  slot.events.Decode(log_);
  std::vector<TicketEvent> events;
  events.reserve(log_.size());
  for (const auto& logged : log_) events.push_back(NameEvent(logged, names_));
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
                             DeadlineFromRaw(before.deadline), now_, index});
    }
    if (is != AlertState::kQuiet) {
      transitions.push_back({TransitionKind::kStarted, is, std::string(ticket),
                             names_.Name(next.partner), names_.Name(next.severity),
                             target, DeadlineFromRaw(after.deadline), now_, index});
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
                     names_.Name(c.severity), target, DeadlineFromRaw(clock.deadline),
                     now_, index});
    }
  }
}

}  // namespace slamon
