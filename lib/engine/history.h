// Ticket history: a ticket's events checked, sorted and ready for the engine.
//
// SanitizeHistory orders the events by instant (then sequence), keeps the
// earliest valid `opened` as the ticket's start and rejects what breaks a
// rule, each with a reason and a message naming the ticket: a severity the
// policy does not know, a negative incident count (both also on `opened`),
// a second `opened`, an event before `opened`, or any event of a ticket that
// has no valid `opened` at all. Rejected
// events are set aside; the rest is still evaluated.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/reject_reason.h"
#include "engine/ticket_event.h"
#include "policy/policy.h"

namespace slamon {

// The most incidents one ticket may count as. A larger count is a feeder's
// mistake (or an attack on the quota sums), rejected as bad_incidents.
inline constexpr int kMaxIncidents = 1000;

struct RejectedEvent {
  TicketEvent event;
  RejectReason reason;
  // "ticket T-1: responded at 2026-11-04T09:00:00Z: is before the ticket was opened at
  // ..."
  std::string message;
};

struct TicketHistory {
  std::vector<TicketEvent> events;  // sorted; empty, or events[0] is the opened
  std::vector<RejectedEvent> rejected;
};

// The ticket's earliest `opened` event, or nullptr.
const TicketEvent* FindOpened(std::span<const TicketEvent> events);

// The policy of the partner an `opened` event names.
using PolicyOfPartner = std::function<const Policy&(const std::string& partner)>;

// Each `opened` is checked against the policy of the partner it names; the
// ticket's other events against the policy of the opened that starts it.
TicketHistory SanitizeHistory(std::string_view ticket_id, std::vector<TicketEvent> events,
                              const PolicyOfPartner& policy_of);

// The same with one policy for every partner.
TicketHistory SanitizeHistory(std::string_view ticket_id, std::vector<TicketEvent> events,
                              const Policy& policy);

}  // namespace slamon
