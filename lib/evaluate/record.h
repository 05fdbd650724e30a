// Records: the JSON lines `slamon evaluate` reads (docs/design.md §4).
//
// One JSON object a line with "type": partner, certification, release or
// event; fields as the tables of docs/design.md §3, times ISO 8601 with offset.
// ParseRecord checks one line and says precisely what is wrong with it; it
// does not know about other lines (a ticket's rules are SanitizeHistory's).
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "engine/release.h"
#include "engine/ticket_event.h"
#include "instant/instant.h"
#include "quota/certification.h"
#include "quota/partner.h"

namespace slamon {

// Once parsed, `zone` is never nullptr (the default is UTC).
using PartnerRecord = Partner;

struct EventRecord {
  std::string ticket;
  TicketEvent event;
};

using Record = std::variant<PartnerRecord, Certification, Release, EventRecord>;

// `sequence` becomes the event's sequence (its order among events of one instant).
// Plain lines (the fields as printable ASCII strings without escapes, whole
// numbers, null) are read by a scanner of flat objects; any other line goes
// through nlohmann::json's parser, which words the errors, with the same
// result as if every line did.
Result<Record> ParseRecord(std::string_view line, int64_t sequence);

// ParseRecord with every line through nlohmann::json's parser: the reference
// the fast path is tested against.
Result<Record> ParseRecordWithDom(std::string_view line, int64_t sequence);

}  // namespace slamon
