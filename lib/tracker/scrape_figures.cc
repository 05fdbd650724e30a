#include "tracker/scrape_figures.h"

#include <unordered_map>

namespace slamon {

void ScrapeFigures::Size() {
  const size_t cells = labels->severities.size() * kTargets;
  open_clocks.assign(cells * kStates, 0);
  met.assign(cells, MetCount{kNoFigure, kNoFigure});
  next_deadline.assign(cells, kNoFigure);
  breaches.assign(labels->partners.size() * cells, kNoFigure);
  partners.clear();
  unsupported_open.assign(labels->products.size(), 0);
  outdated_open.assign(labels->products.size(), 0);
}

namespace {

// Label numbers by string, handed out in order of first sight.
class Numbering {
 public:
  explicit Numbering(std::vector<std::string>& names) : names_(names) {}
  uint32_t operator()(const std::string& name) {
    auto [it, added] = numbers_.try_emplace(name, static_cast<uint32_t>(names_.size()));
    if (added) names_.push_back(name);
    return it->second;
  }

 private:
  std::vector<std::string>& names_;
  std::unordered_map<std::string, uint32_t> numbers_;
};

int64_t Raw(Instant t) { return t.time_since_epoch().count(); }

}  // namespace

ScrapeFigures Flatten(const SlaFigures& figures) {
  auto labels = std::make_shared<ScrapeLabels>();
  Numbering severity(labels->severities);
  Numbering partner(labels->partners);
  Numbering product(labels->products);
  // Labels first (the arrays' sizes), in the order SlaFigures names them.
  for (const auto& [key, count] : figures.open_clocks) severity(key.first.severity);
  for (const auto& [key, count] : figures.breaches) {
    severity(key.severity);
    partner(key.partner);
  }
  for (const auto& [key, count] : figures.met) severity(key.severity);
  for (const auto& [key, deadline] : figures.next_deadline) severity(key.severity);
  for (const auto& [name, partner_figures] : figures.partners) partner(name);
  for (const auto& [name, count] : figures.unsupported_open) product(name);
  for (const auto& [name, count] : figures.outdated_open) product(name);

  ScrapeFigures flat;
  flat.labels = labels;
  flat.Size();
  flat.at = figures.at;
  for (const auto& [key, count] : figures.open_clocks) {
    flat.open_clocks[ScrapeFigures::Cell(severity(key.first.severity), key.first.target) *
                         ScrapeFigures::kStates +
                     static_cast<size_t>(key.second)] = count;
  }
  for (const auto& [key, count] : figures.breaches)
    flat.breaches[flat.PartnerCell(partner(key.partner), severity(key.severity),
                                   key.target)] = count;
  for (const auto& [key, count] : figures.met)
    flat.met[ScrapeFigures::Cell(severity(key.severity), key.target)] = count;
  for (const auto& [key, deadline] : figures.next_deadline)
    flat.next_deadline[ScrapeFigures::Cell(severity(key.severity), key.target)] =
        Raw(deadline);
  for (const auto& [name, partner_figures] : figures.partners)
    flat.partners.emplace_back(partner(name), partner_figures);
  for (const auto& [name, count] : figures.unsupported_open)
    flat.unsupported_open[product(name)] = count;
  for (const auto& [name, count] : figures.outdated_open)
    flat.outdated_open[product(name)] = count;
  flat.open_tickets = figures.open_tickets;
  flat.tracked_tickets = figures.tracked_tickets;
  flat.timers = figures.timers;
  return flat;
}

}  // namespace slamon
