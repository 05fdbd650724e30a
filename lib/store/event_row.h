// EventRow: one row of slamon.ticket_events checked and turned into a
// TicketEvent, or a BadRow saying why not (docs/design.md §3: unknown kind,
// missing fields, a time in the far future). Pure: `now` is an argument.
// A BadRow's reason is one of the RejectReasons of a row (engine/reject_reason.h).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/reject_reason.h"
#include "engine/ticket_event.h"
#include "instant/instant.h"

namespace slamon {

// How far ahead of now an event may be stamped (clock skew between the help
// desk and slamon); later stamps are rejected as RejectReason::kFuture.
inline constexpr Seconds kFarFuture{24 * 3600};

struct RawEventRow {
  int64_t seq = 0;
  std::optional<std::string> ticket;
  std::optional<Instant> at;
  bool at_infinite = false;  // `at` is +/-infinity (then `at` is empty)
  std::optional<std::string> kind;
  std::optional<std::string> partner;
  std::optional<std::string> severity;
  std::optional<int> incidents;
  std::optional<std::string> product;
  std::optional<std::string> version;
};

struct EventRow {
  std::string ticket;
  TicketEvent event;  // event.sequence == seq
};

struct BadRow {
  int64_t seq = 0;
  std::string ticket;                             // may be empty
  RejectReason reason = RejectReason::kBadField;  // kUnknownKind, kBadField, kFuture
  std::string message;
};

// `row` is taken by value: the store moves its strings into the event.
std::variant<EventRow, BadRow> CheckEventRow(RawEventRow row, Instant now);

// What one read of the event log produced, in seq order.
struct EventBatch {
  std::vector<EventRow> events;
  std::vector<BadRow> bad;
};

}  // namespace slamon
