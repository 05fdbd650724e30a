#include "engine/history.h"

#include <algorithm>
#include <optional>

namespace slamon {
namespace {

std::string Describe(std::string_view ticket_id, const TicketEvent& event) {
  return "ticket " + std::string(ticket_id) + ": " + std::string(ToString(event.kind)) +
         " at " + FormatInstant(event.at);
}

}  // namespace

const TicketEvent* FindOpened(std::span<const TicketEvent> events) {
  const TicketEvent* opened = nullptr;
  for (const auto& e : events) {
    if (e.kind == EventKind::kOpened &&
        (opened == nullptr || HappensBefore(e, *opened))) {
      opened = &e;
    }
  }
  return opened;
}

TicketHistory SanitizeHistory(std::string_view ticket_id, std::vector<TicketEvent> events,
                              const Policy& policy) {
  return SanitizeHistory(ticket_id, std::move(events),
                         [&](const std::string&) -> const Policy& { return policy; });
}

TicketHistory SanitizeHistory(std::string_view ticket_id, std::vector<TicketEvent> events,
                              const PolicyOfPartner& policy_of) {
  TicketHistory history;
  // Histories mostly arrive sorted: skip stable_sort's buffer then.
  if (!std::is_sorted(events.begin(), events.end(), HappensBefore))
    std::stable_sort(events.begin(), events.end(), HappensBefore);
  auto reject = [&](TicketEvent& event, RejectReason reason, const std::string& why) {
    std::string message = Describe(ticket_id, event) + ": " + why;
    history.rejected.push_back({std::move(event), reason, std::move(message)});
  };
  // What is wrong with an event's own fields under a policy, if anything.
  auto field_problem = [&](const TicketEvent& e,
                           const Policy& policy) -> std::optional<RejectedEvent> {
    bool has_severity = e.kind == EventKind::kOpened || e.kind == EventKind::kSeverity;
    bool has_incidents = e.kind == EventKind::kOpened || e.kind == EventKind::kIncidents;
    if (has_severity && policy.Find(e.severity) == nullptr) {
      return RejectedEvent{
          {},
          RejectReason::kUnknownSeverity,
          "unknown severity \"" + e.severity + "\" for policy " + policy.name};
    }
    if (has_incidents && e.incidents < 0) {
      return RejectedEvent{{},
                           RejectReason::kBadIncidents,
                           "negative incident count " + std::to_string(e.incidents)};
    }
    if (has_incidents && e.incidents > kMaxIncidents) {
      return RejectedEvent{{},
                           RejectReason::kBadIncidents,
                           "incident count " + std::to_string(e.incidents) +
                               " is above the maximum of " +
                               std::to_string(kMaxIncidents)};
    }
    return std::nullopt;
  };
  // The ticket starts at its earliest valid `opened`.
  auto start = std::find_if(events.begin(), events.end(), [&](const TicketEvent& e) {
    return e.kind == EventKind::kOpened && !field_problem(e, policy_of(e.partner));
  });
  if (start == events.end()) {
    for (auto& e : events) {
      auto problem = field_problem(e, policy_of(e.partner));
      if (problem) {
        reject(e, problem->reason, problem->message);
      } else {
        reject(e, RejectReason::kNoOpened, "the ticket has no valid opened event");
      }
    }
    return history;
  }
  const Instant opened_at = start->at;
  const Policy& policy = policy_of(start->partner);
  history.events.reserve(events.size());
  history.events.push_back(std::move(*start));
  for (auto it = events.begin(); it != events.end(); ++it) {
    if (it == start) continue;
    TicketEvent& e = *it;
    if (auto problem = field_problem(e, policy)) {
      reject(e, problem->reason, problem->message);
    } else if (e.at < opened_at) {
      reject(e, RejectReason::kBeforeOpened,
             "is before the ticket was opened at " + FormatInstant(opened_at));
    } else if (e.kind == EventKind::kOpened) {
      reject(e, RejectReason::kDuplicateOpened,
             "the ticket was already opened at " + FormatInstant(opened_at));
    } else {
      history.events.push_back(std::move(e));
    }
  }
  return history;
}

}  // namespace slamon
