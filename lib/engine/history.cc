#include "engine/history.h"

#include <algorithm>

namespace slamon {
namespace {

std::string Describe(std::string_view ticket_id, const TicketEvent& event) {
  return "ticket " + std::string(ticket_id) + ": " + std::string(ToString(event.kind)) +
         " at " + FormatInstant(event.at);
}

}  // namespace

std::string_view ToString(RejectReason reason) {
  switch (reason) {
    case RejectReason::kNoOpened:
      return "no_opened";
    case RejectReason::kDuplicateOpened:
      return "duplicate_opened";
    case RejectReason::kBeforeOpened:
      return "before_opened";
    case RejectReason::kUnknownSeverity:
      return "unknown_severity";
    case RejectReason::kBadIncidents:
      return "bad_incidents";
  }
  return "unknown";
}

const TicketEvent* FindOpened(std::span<const TicketEvent> events) {
  const TicketEvent* opened = nullptr;
  for (const auto& e : events) {
    if (e.kind == EventKind::kOpened && (opened == nullptr || HappensBefore(e, *opened))) {
      opened = &e;
    }
  }
  return opened;
}

TicketHistory SanitizeHistory(std::string_view ticket_id, std::vector<TicketEvent> events,
                              const Policy& policy) {
  TicketHistory history;
  std::stable_sort(events.begin(), events.end(), HappensBefore);
  auto reject = [&](TicketEvent& event, RejectReason reason, std::string why) {
    std::string message = Describe(ticket_id, event) + ": " + why;
    history.rejected.push_back({std::move(event), reason, std::move(message)});
  };
  auto opened = std::find_if(events.begin(), events.end(),
                             [](const TicketEvent& e) { return e.kind == EventKind::kOpened; });
  if (opened != events.end()) {
    std::string why;
    RejectReason reason = RejectReason::kNoOpened;
    if (policy.Find(opened->severity) == nullptr) {
      why = "unknown severity \"" + opened->severity + "\" for policy " + policy.name;
      reason = RejectReason::kUnknownSeverity;
    } else if (opened->incidents < 0) {
      why = "negative incident count " + std::to_string(opened->incidents);
      reason = RejectReason::kBadIncidents;
    }
    if (!why.empty()) {
      reject(*opened, reason, why);
      events.erase(opened);
      opened = events.end();
    }
  }
  if (opened == events.end()) {
    for (auto& e : events) reject(e, RejectReason::kNoOpened, "the ticket has no valid opened event");
    return history;
  }
  const Instant opened_at = opened->at;
  history.events.push_back(std::move(*opened));
  for (auto it = events.begin(); it != events.end(); ++it) {
    if (it == opened) continue;
    TicketEvent& e = *it;
    if (e.at < opened_at) {
      reject(e, RejectReason::kBeforeOpened,
             "is before the ticket was opened at " + FormatInstant(opened_at));
    } else if (e.kind == EventKind::kOpened) {
      reject(e, RejectReason::kDuplicateOpened,
             "the ticket was already opened at " + FormatInstant(opened_at));
    } else if (e.kind == EventKind::kSeverity && policy.Find(e.severity) == nullptr) {
      reject(e, RejectReason::kUnknownSeverity,
             "unknown severity \"" + e.severity + "\" for policy " + policy.name);
    } else if (e.kind == EventKind::kIncidents && e.incidents < 0) {
      reject(e, RejectReason::kBadIncidents,
             "negative incident count " + std::to_string(e.incidents));
    } else {
      history.events.push_back(std::move(e));
    }
  }
  return history;
}

}  // namespace slamon
