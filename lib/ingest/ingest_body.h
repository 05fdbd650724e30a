// IngestBody: the body of POST /api/v1/events, checked (docs/help-desks.md
// "Push API").
//
// One JSON object (one record) or an array of them (a batch), each in the
// shape of a `slamon evaluate` record (evaluate/record.h, docs/commands.md):
// "type" event, partner, certification or release. Every record is checked
// by ParseRecord, the rules and messages evaluate uses; an event also needs
// "event_id", the client's id of the event (1-200 bytes), by which a retried
// request is stored once, and a ticket id, and an `opened` a partner and a
// severity, a `severity` event a severity, that are not empty (the daemon
// could not use such a row). The first bad record rejects the whole body.
//
// Pure: no clock, no database.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/release.h"
#include "engine/ticket_event.h"
#include "quota/certification.h"
#include "quota/partner.h"

namespace slamon {

inline constexpr std::size_t kMaxEventIdBytes = 200;

struct IngestEvent {
  std::string event_id;
  std::string ticket;
  TicketEvent event;  // sequence: the record's index in the body
};

// What a body holds, each kind in body order.
struct IngestBatch {
  std::vector<Partner> partners;
  std::vector<Certification> certifications;
  std::vector<Release> releases;
  std::vector<IngestEvent> events;

  std::size_t size() const {
    return partners.size() + certifications.size() + releases.size() + events.size();
  }
};

struct IngestError {
  // The 0-based index of the bad record in the array (0 for a single
  // object); -1 when the body as a whole is wrong (not JSON, empty batch).
  long index = -1;
  std::string reason;  // e.g. `ticket ZD-1: missing field "at"`

  // "record 3 (index 2): ticket ZD-1: missing field \"at\"", or the reason
  // alone for the body as a whole.
  std::string Message() const;
};

std::variant<IngestBatch, IngestError> ParseIngestBody(std::string_view body);

}  // namespace slamon
