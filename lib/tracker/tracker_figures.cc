// Tracker: the metrics tally (tracker_records.h).
#include <string_view>
#include <unordered_map>
#include <vector>

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

namespace {

NameTable::Id SeverityOf(uint64_t key) {
  return static_cast<NameTable::Id>((key >> 2) & 0x3fffffff);
}
TargetName TargetOf(uint64_t key) { return static_cast<TargetName>(key & 3); }

// Gives `id` the number of `label` in `names` (adding it when new).
void Number(std::vector<uint32_t>& numbers, NameTable::Id id, std::string_view label,
            std::vector<std::string>& names,
            std::unordered_map<std::string_view, uint32_t>& seen) {
  if (id >= numbers.size()) numbers.resize(id + 1, kNoScrapeLabel);
  if (numbers[id] != kNoScrapeLabel) return;
  auto found = seen.find(label);
  if (found == seen.end()) {
    names.emplace_back(label);
    found = seen.emplace(label, static_cast<uint32_t>(names.size() - 1)).first;
  }
  numbers[id] = found->second;
}

}  // namespace

ScrapeFigures Tracker::ScrapeSnapshot() const {
  const Figures& f = *figures_;
  ScrapeLabelCache& cache = *scrape_labels_;
  using Cache = ScrapeLabelCache;
  // The labels as Snapshot() gives them: a partner id only once the
  // reference data knows it, a product only when it has releases.
  auto partner_label = [&](NameTable::Id partner) -> std::string_view {
    return partners_.contains(partner) ? std::string_view(names_.Name(partner))
                                       : kUnknownPartner;
  };
  auto product_label = [&](NameTable::Id product) -> std::string_view {
    const std::string& name = names_.Name(product);
    return book_.ReleasesOf(name).empty() ? kUnknownProduct : std::string_view(name);
  };
  auto current = [&] {
    if (!cache.labels || cache.partners_epoch != partners_epoch_) return false;
    for (const auto& [key, count] : f.open_clocks)
      if (Cache::Of(cache.severity, SeverityOf(key)) == kNoScrapeLabel) return false;
    for (const auto& [key, count] : f.met)
      if (Cache::Of(cache.severity, SeverityOf(key)) == kNoScrapeLabel) return false;
    for (const auto& [key, count] : f.breaches) {
      if (Cache::Of(cache.severity, SeverityOf(key)) == kNoScrapeLabel ||
          Cache::Of(cache.partner, static_cast<NameTable::Id>(key >> 32)) ==
              kNoScrapeLabel) {
        return false;
      }
    }
    for (const auto* products : {&f.unsupported, &f.outdated}) {
      for (const auto& [product, count] : *products) {
        const uint32_t number = Cache::Of(cache.product, product);
        if (number == kNoScrapeLabel ||
            cache.labels->products[number] != product_label(product))
          return false;
      }
    }
    return true;
  };
  if (!current()) {
    // Made again from the figures' keys: a label exactly when Snapshot()
    // has a key with it (deadline sets are kept only for open clocks, whose
    // keys name their severity already).
    auto labels = std::make_shared<ScrapeLabels>();
    std::unordered_map<std::string_view, uint32_t> severities, partners, products;
    cache.severity.clear();
    cache.partner.clear();
    cache.product.clear();
    auto severity = [&](uint64_t key) {
      const NameTable::Id id = SeverityOf(key);
      Number(cache.severity, id, names_.Name(id), labels->severities, severities);
    };
    for (const auto& [key, count] : f.open_clocks) severity(key);
    for (const auto& [key, count] : f.met) severity(key);
    for (const auto& [key, count] : f.breaches) {
      severity(key);
      const auto partner = static_cast<NameTable::Id>(key >> 32);
      Number(cache.partner, partner, partner_label(partner), labels->partners, partners);
    }
    for (const auto& [id, entry] : partners_)
      Number(cache.partner, id, names_.Name(id), labels->partners, partners);
    for (const auto* counts : {&f.unsupported, &f.outdated}) {
      for (const auto& [product, count] : *counts)
        Number(cache.product, product, product_label(product), labels->products,
               products);
    }
    cache.labels = std::move(labels);
    cache.partners_epoch = partners_epoch_;
  }

  ScrapeFigures s;
  s.labels = cache.labels;
  s.Size();
  s.at = now_;
  auto cell = [&](uint64_t key) {
    return ScrapeFigures::Cell(cache.severity[SeverityOf(key)], TargetOf(key));
  };
  for (const auto& [key, count] : f.open_clocks)
    s.open_clocks[cell(key) * ScrapeFigures::kStates + (key >> 32)] = count;
  for (const auto& [key, count] : f.breaches) {
    int64_t& breaches =
        s.breaches[s.PartnerCell(cache.partner[static_cast<NameTable::Id>(key >> 32)],
                                 cache.severity[SeverityOf(key)], TargetOf(key))];
    breaches = (breaches == kNoFigure ? 0 : breaches) + count;  // "unknown" sums
  }
  for (const auto& [key, count] : f.met) s.met[cell(key)] = count;
  for (const auto& [key, deadlines] : f.deadlines) {
    if (!deadlines.empty()) s.next_deadline[cell(key)] = *deadlines.Earliest();
  }
  s.partners.reserve(partners_.size());
  for (const auto& [id, entry] : partners_)
    s.partners.emplace_back(cache.partner[id], FiguresOf(id, entry));
  for (const auto& [product, count] : f.unsupported)
    s.unsupported_open[cache.product[product]] += count;
  for (const auto& [product, count] : f.outdated)
    s.outdated_open[cache.product[product]] += count;
  s.open_tickets = f.open_tickets;
  s.tracked_tickets = static_cast<int64_t>(index_.size());
  s.timers = wheel_.size();
  return s;
}

}  // namespace slamon
