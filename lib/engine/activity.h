// Activity: the stretches of time during which one clock of a ticket counts,
// traced from the ticket's history. Calendar-free: working hours are applied
// afterwards. Internal to the engine.
//
// Stop rules (docs/design.md §2): response stops at the first responded,
// workaround, resolved or closed; workaround at workaround, resolved or closed;
// resolution at resolved or closed, and a reopened resumes it. A pausable clock
// does not count between waiting and resumed.
#pragma once

#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "engine/ticket_event.h"
#include "instant/instant.h"
#include "policy/policy.h"

namespace slamon {

struct Activity {
  std::vector<std::pair<Instant, Instant>> counted;  // closed stretches [begin, end)
  std::optional<Instant> counting_since;             // counting at the evaluation instant
  std::optional<Instant> met_at;                     // stopped since then

  bool Running() const { return counting_since.has_value(); }
  bool Stopped() const { return met_at.has_value(); }
};

// `history` is sorted and holds only events up to the evaluation instant;
// events before `start` set the state (waiting, met) without counting.
Activity TraceActivity(TargetName target, bool pausable, Instant start,
                       std::span<const TicketEvent> history);

}  // namespace slamon
