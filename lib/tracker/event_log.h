// EventLog: one ticket's events, packed into a few bytes each.
//
// The tracker keeps every event of a ticket in memory (it recomputes the
// ticket with the engine on each change), so how an event is stored is most
// of what an open ticket costs. An event is a kind byte and varints: its
// instant and its sequence as zigzag deltas from the previous event's (the
// first from 0), then what its kind carries (opened: partner, severity,
// product and version as name ids, and incidents; severity: the name id;
// incidents: the count). Deltas are taken modulo 2^64, so every instant and
// sequence round-trips exactly whatever its value or order: nothing is ever
// clipped. A typical event takes 7-9 bytes, an opened one 14-17; the log lives
// in CompactBytes<24>, so a ticket's first two events usually need no
// allocation.
//
// Decode/Encode go through LoggedEvent, the event with its strings interned
// (names stay in the owner's NameTable); InternEvent and NameEvent are the one
// translation between a TicketEvent and a LoggedEvent (the tracker's and
// `slamon evaluate`'s). Not thread-safe (a plain value).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/ticket_event.h"
#include "tracker/compact_bytes.h"
#include "tracker/name_table.h"

namespace slamon {

struct LoggedEvent {
  int64_t at = 0;  // seconds since the epoch
  int64_t sequence = 0;
  EventKind kind = EventKind::kOpened;
  int32_t incidents = 0;       // kOpened, kIncidents
  NameTable::Id severity = 0;  // kOpened, kSeverity
  NameTable::Id partner = 0;   // kOpened
  NameTable::Id product = 0;   // kOpened
  NameTable::Id version = 0;   // kOpened
  bool operator==(const LoggedEvent&) const = default;
};

// `event` with the strings its kind carries interned in `names` (the others
// left 0); its sequence as it is.
LoggedEvent InternEvent(const TicketEvent& event, NameTable& names);
// The TicketEvent back, with its names from `names` (which interned them).
TicketEvent NameEvent(const LoggedEvent& event, const NameTable& names);

class EventLog {
 public:
  // Replaces the log with `events`, in their order.
  void Encode(std::span<const LoggedEvent> events);
  // Replaces the contents of `events` with the log's events.
  void Decode(std::vector<LoggedEvent>& events) const;

  bool empty() const { return bytes_.empty(); }
  void Clear() { bytes_.Clear(); }
  size_t EncodedBytes() const { return bytes_.size(); }
  size_t HeapBytes() const { return bytes_.HeapBytes(); }

 private:
  CompactBytes<24> bytes_;
};

}  // namespace slamon
