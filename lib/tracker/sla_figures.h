// SlaFigures: the aggregates behind slamon's metrics (docs/design.md §5),
// kept incrementally by the Tracker and copied out for a scrape.
//
// Sizes depend on the numbers of targets, severities, partners and products,
// never on the number of tickets, so a copy is cheap.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "instant/instant.h"
#include "policy/policy.h"
#include "quota/partner_quota.h"

namespace slamon {

// The exclusive state of an open (not stopped) clock, as the gauge counts it.
enum class OpenClockState : uint8_t { kRunning, kPaused, kAtRisk, kBreached };
inline constexpr std::array<OpenClockState, 4> kOpenClockStates = {
    OpenClockState::kRunning, OpenClockState::kPaused, OpenClockState::kAtRisk,
    OpenClockState::kBreached};
std::string_view ToString(
    OpenClockState state);  // "running", "paused", "at_risk", "breached"

struct TargetSeverity {
  TargetName target;
  std::string severity;
  auto operator<=>(const TargetSeverity&) const = default;
};

struct TargetSeverityPartner {
  TargetName target;
  std::string severity;
  std::string partner;
  auto operator<=>(const TargetSeverityPartner&) const = default;
};

struct MetCount {
  int64_t on_time = 0;
  int64_t late = 0;
  bool operator==(const MetCount&) const = default;
};

struct PartnerFigures {
  PartnerQuota quota;
  int64_t fees_total = 0;  // tickets ever opened with a fee
  bool operator==(const PartnerFigures&) const = default;
};

// The label of partners and products the reference data does not know.
inline constexpr std::string_view kUnknownPartner = "unknown";
inline constexpr std::string_view kUnknownProduct = "unknown";

struct SlaFigures {
  Instant at;
  // Open clocks (running or paused) by target, severity and exclusive state.
  std::map<std::pair<TargetSeverity, OpenClockState>, int64_t> open_clocks;
  // Clocks ever breached (stopped ones included), by target, severity, partner.
  std::map<TargetSeverityPartner, int64_t> breaches;
  // Stopped clocks by outcome.
  std::map<TargetSeverity, MetCount> met;
  // The earliest deadline of a running clock not yet breached.
  std::map<TargetSeverity, Instant> next_deadline;
  std::map<std::string, PartnerFigures> partners;
  std::map<std::string, int64_t> unsupported_open;  // open tickets by product
  std::map<std::string, int64_t> outdated_open;     // open tickets by product
  int64_t open_tickets = 0;
  int64_t tracked_tickets = 0;  // in memory (open, or closed but not yet released)
  size_t timers = 0;

  bool operator==(const SlaFigures&) const = default;
};

}  // namespace slamon
