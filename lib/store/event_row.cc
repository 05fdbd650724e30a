#include "store/event_row.h"

namespace slamon {
namespace {

BadRow Bad(const RawEventRow& row, RejectReason reason, const std::string& why) {
  std::string ticket = row.ticket.value_or("");
  std::string where = "ticket_events seq " + std::to_string(row.seq) +
                      (ticket.empty() ? "" : " (ticket " + ticket + ")");
  return BadRow{row.seq, ticket, reason, where + ": " + why};
}

}  // namespace

std::variant<EventRow, BadRow> CheckEventRow(RawEventRow row, Instant now) {
  if (!row.ticket || row.ticket->empty())
    return Bad(row, RejectReason::kBadField, "ticket_id is empty");
  if (row.at_infinite) return Bad(row, RejectReason::kBadField, "at is infinity");
  if (!row.at) return Bad(row, RejectReason::kBadField, "at is NULL");
  if (!row.kind) return Bad(row, RejectReason::kBadField, "kind is NULL");
  auto kind = ParseEventKind(*row.kind);
  if (!kind)
    return Bad(row, RejectReason::kUnknownKind,
               "unknown event kind \"" + *row.kind + "\"");
  if (*row.at > now + kFarFuture) {
    return Bad(row, RejectReason::kFuture,
               "at " + FormatInstant(*row.at) + " is more than " +
                   FormatDuration(kFarFuture) + " ahead of now");
  }
  switch (*kind) {
    case EventKind::kOpened:
      if (!row.partner)
        return Bad(row, RejectReason::kBadField, "opened without partner_id");
      if (!row.severity)
        return Bad(row, RejectReason::kBadField, "opened without severity");
      break;
    case EventKind::kSeverity:
      if (!row.severity)
        return Bad(row, RejectReason::kBadField, "severity event without severity");
      break;
    case EventKind::kIncidents:
      if (!row.incidents)
        return Bad(row, RejectReason::kBadField, "incidents event without incidents");
      break;
    default:
      break;
  }
  // Checked: the row's strings move into the event (no copies on the load).
  EventRow out;
  out.ticket = std::move(*row.ticket);
  out.event.at = *row.at;
  out.event.kind = *kind;
  out.event.sequence = row.seq;
  switch (*kind) {
    case EventKind::kOpened:
      out.event.partner = std::move(*row.partner);
      out.event.severity = std::move(*row.severity);
      out.event.incidents = row.incidents.value_or(1);
      if (row.product) out.event.product = std::move(*row.product);
      if (row.version) out.event.version = std::move(*row.version);
      break;
    case EventKind::kSeverity:
      out.event.severity = std::move(*row.severity);
      break;
    case EventKind::kIncidents:
      out.event.incidents = *row.incidents;
      break;
    default:
      break;
  }
  return out;
}

}  // namespace slamon
