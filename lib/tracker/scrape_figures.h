// ScrapeFigures: SlaFigures (sla_figures.h) as flat arrays, what a scrape of
// /metrics copies on the event loop (Tracker::ScrapeSnapshot) and renders on
// its own thread (metrics/sla_metrics.h).
//
// Every figure is a number in an array indexed by label numbers (a severity,
// a partner, a product: positions in `labels`), not a string-keyed map, so a
// snapshot at 1,000 partners is a few vector copies. The label strings are
// held once in a ScrapeLabels shared by the snapshots: the tracker makes a
// new one only when a figure gets a label it has not named before or the
// reference data changed, so a renderer can keep what it worked out for one
// ScrapeLabels (compare the pointers) until it changes.
//
// The same facts as SlaFigures, one to one (Flatten converts): a label is in
// `labels` exactly when SlaFigures has a key with it (a severity in any of the
// clock maps, a partner in `breaches` or `partners`, a product in
// `unsupported_open` or `outdated_open`), and a cell is kNoFigure exactly
// where SlaFigures has no such key (only where absence and 0 differ: a
// counter follows only the figures it is given).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tracker/sla_figures.h"

namespace slamon {

// No such figure (a key SlaFigures does not have).
inline constexpr int64_t kNoFigure = std::numeric_limits<int64_t>::min();

struct ScrapeLabels {
  std::vector<std::string> severities;  // distinct
  std::vector<std::string> partners;    // distinct
  std::vector<std::string> products;    // distinct
};

struct ScrapeFigures {
  Instant at;
  std::shared_ptr<const ScrapeLabels> labels;  // never null in a snapshot
  // By severity s and target t, at Cell(s, t); open clocks also by state, at
  // Cell(s, t) * 4 + state. Open clocks: 0 when none.
  std::vector<int64_t> open_clocks;
  std::vector<MetCount> met;           // kNoFigure in both when none
  std::vector<int64_t> next_deadline;  // seconds since the epoch, or kNoFigure
  std::vector<int64_t> breaches;       // at PartnerCell(p, s, t), or kNoFigure
  // The partners of the reference data, by partner label number.
  std::vector<std::pair<uint32_t, PartnerFigures>> partners;
  std::vector<int64_t> unsupported_open;  // by product label number, 0 when none
  std::vector<int64_t> outdated_open;     // by product label number, 0 when none
  int64_t open_tickets = 0;
  int64_t tracked_tickets = 0;
  size_t timers = 0;

  static constexpr size_t kTargets = 3;  // TargetName's values
  static constexpr size_t kStates = 4;   // OpenClockState's values
  static size_t Cell(size_t severity, TargetName target) {
    return severity * kTargets + static_cast<size_t>(target);
  }
  size_t PartnerCell(size_t partner, size_t severity, TargetName target) const {
    return partner * labels->severities.size() * kTargets + Cell(severity, target);
  }
  // Arrays of the sizes `labels` asks for, open clocks 0, the rest kNoFigure.
  void Size();
};

// The same figures, flat (tests and callers that have SlaFigures).
ScrapeFigures Flatten(const SlaFigures& figures);

}  // namespace slamon
