// Tracker: the metrics tally (tracker_records.h).
#include "tracker/tracker.h"
#include "tracker/tracker_records.h"

namespace slamon {

using tracker_records::FromRaw;
using tracker_records::Key;

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

std::map<std::string, PartnerFigures> Tracker::Partners() const {
  const Figures& f = *figures_;
  std::map<std::string, PartnerFigures> partners;
  for (const auto& [id, entry] : partners_) {
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
    partners[partner.id] = figures;
  }
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
