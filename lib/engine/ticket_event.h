// TicketEvent: one row of the ticket event log (docs/design.md §3).
//
// slamon reads what happened to a ticket, not snapshots of it, so pauses and
// severity changes between two polls are never missed. `sequence` orders
// events that share an instant (the database's seq, or the input line).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "instant/instant.h"

namespace slamon {

enum class EventKind {
  kOpened,           // carries partner, severity, incidents, product, version
  kResponded,        // first response given
  kWorkaround,       // temporary solution given
  kResolved,         // permanent resolution given
  kReopened,         // the resolution was not good enough: resolution clock resumes
  kClosed,           // the ticket ends: every clock stops
  kWaiting,          // support waits on the partner: pausable clocks pause
  kResumed,          // the partner answered: paused clocks run again
  kSeverity,         // re-classified; carries the new severity
  kIncidents,        // the ticket holds a new number of incidents
  kDefectConfirmed,  // the ticket is a confirmed product defect: no ticket fee
  kNewDefect,        // a previously unknown defect: confirmed, and one quota credit
};

std::optional<EventKind> ParseEventKind(std::string_view text);
std::string_view ToString(EventKind kind);

struct TicketEvent {
  Instant at;
  EventKind kind = EventKind::kOpened;
  int64_t sequence = 0;
  std::string severity;  // kOpened, kSeverity
  int incidents = 1;     // kOpened, kIncidents
  std::string partner;   // kOpened
  std::string product;   // kOpened
  std::string version;   // kOpened
};

// Strict weak order of a ticket's history: by instant, then sequence.
inline bool HappensBefore(const TicketEvent& a, const TicketEvent& b) {
  return a.at != b.at ? a.at < b.at : a.sequence < b.sequence;
}

}  // namespace slamon
