// BreachOnsets: how many times each clock of a ticket became breached as its
// history unfolded, the figure behind slamon_sla_breaches_total
// (docs/design.md §5: the counter counts breach onsets and never goes down).
//
// The history is replayed in the order of its instants: at each instant t the
// clocks are what EvaluateTicket says with the events stamped at or before t.
// An onset is a clock turning from not breached to breached. A breach undone
// (a retroactive re-classification to a laxer severity, a resolution clock
// that a `reopened` gives more time) is not subtracted, and a later breach of
// the same clock is one more onset. Since it depends only on the events and
// the reference data, a restart, a second replica and the running daemon
// count the same. Each onset is labelled with the ticket's severity at that
// moment, so a re-classification that keeps a breach does not count it again
// under the new severity.
//
// With the events fixed, time passing never un-breaches a clock, and an event
// other than `severity` or `reopened` never does either (a stop after the
// deadline is met late, a pause keeps the breach). So the clocks are looked
// at just before and at each instant that holds a severity change or a
// reopening, and at `t`: a ticket without either costs no evaluation beyond
// the one at `t` the caller already made.
//
// Pure.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"

namespace slamon {

// The onsets of one clock under one severity: the ticket's severity when the
// clock became breached (a re-classification does not move them).
struct BreachOnsetCount {
  TargetName target;
  std::string severity;
  int count = 0;
  bool operator==(const BreachOnsetCount&) const = default;
};

// `history` as for EvaluateTicket (sanitized, opened first); `at_t` is
// EvaluateTicket(ticket_id, history, context, t). One entry per target and
// severity that had an onset, in the order of their first onset.
std::vector<BreachOnsetCount> BreachOnsets(std::string_view ticket_id,
                                           std::span<const TicketEvent> history,
                                           const TicketContext& context, Instant t,
                                           const TicketEvaluation& at_t);

}  // namespace slamon
