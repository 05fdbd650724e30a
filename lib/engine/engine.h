// The SLA engine: (policy, calendars, a ticket's events, an instant) -> clocks.
//
// EvaluateTicket is the one function the daemon, `slamon evaluate`, `slamon
// explain` and the tests all call (docs/design.md §2). It is pure: every input
// is an argument, nothing is read from the clock, the network or a database.
// Events after the evaluation instant are ignored, so replaying a history at
// any past instant gives what was known then.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

#include "calendar/calendar_set.h"
#include "engine/clock.h"
#include "engine/release.h"
#include "engine/ticket_event.h"
#include "policy/policy.h"
#include "quota/certification.h"

namespace slamon {

// Everything besides the ticket's own events that its clocks depend on.
struct TicketContext {
  const Policy* policy = nullptr;  // the partner's policy
  const CalendarSet* calendars = nullptr;
  const date::time_zone* partner_zone = nullptr;  // nullptr: UTC
  std::span<const Release> releases;              // of the ticket's product
  std::span<const Certification> certifications;  // of the ticket's partner
  // The partner's own holiday calendar, a name the calendars define, or empty:
  // its holidays replace those of every calendar but 24x7 (docs/design.md §2).
  std::string_view holidays;
};

enum class TicketState { kOpen, kResolved, kClosed };
std::string_view ToString(TicketState state);  // "open", "resolved", "closed"

struct TicketEvaluation {
  std::string ticket;
  std::string partner;
  std::string severity;  // current
  std::string product;
  std::string version;
  Instant opened_at;
  TicketState state = TicketState::kOpen;
  bool waiting = false;   // support is waiting on the partner
  int incidents = 1;      // current
  bool supported = true;  // decided when the ticket was opened
  bool outdated = false;
  bool defect_confirmed = false;
  bool new_defect = false;
  bool fee =
      false;  // opened while the partner was not certified, and no confirmed defect
  std::array<Clock, 3> clocks;  // indexed by TargetName

  const Clock& operator[](TargetName t) const { return clocks[static_cast<int>(t)]; }
  bool operator==(const TicketEvaluation&) const = default;
};

// `history` is a sanitized history (SanitizeHistory): sorted, events[0] is the
// opened event. `t` is the evaluation instant.
TicketEvaluation EvaluateTicket(std::string_view ticket_id,
                                std::span<const TicketEvent> history,
                                const TicketContext& context, Instant t);

// EvaluateTicket without the clocks (they stay default-constructed): every
// other field is the same. For callers that need only the quota and billing
// facts of many tickets (opening, incidents, new defect, fee), such as
// `slamon evaluate`'s first pass over all tickets.
TicketEvaluation EvaluateTicketFacts(std::string_view ticket_id,
                                     std::span<const TicketEvent> history,
                                     const TicketContext& context, Instant t);

}  // namespace slamon
