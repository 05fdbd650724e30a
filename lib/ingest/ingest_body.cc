#include "ingest/ingest_body.h"

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "evaluate/record.h"

namespace slamon {
namespace {

using nlohmann::json;

// The client's event id of an event record, or why it is missing or bad.
Result<std::string> ReadEventId(const json& object) {
  const auto it = object.find("event_id");
  if (it == object.end() || it->is_null())
    return Status::Error("missing field \"event_id\"");
  if (!it->is_string()) return Status::Error("field \"event_id\" must be a string");
  std::string id = it->get<std::string>();
  if (id.empty() || id.size() > kMaxEventIdBytes) {
    return Status::Error("field \"event_id\" must have 1 to " +
                         std::to_string(kMaxEventIdBytes) + " bytes");
  }
  return id;
}

// What the daemon could not use although evaluate takes it: an empty ticket
// id, or an `opened` or `severity` event whose partner or severity is empty
// (stored as NULL, the row would be refused by the daemon, and a later
// corrected `opened` with the same event_id would be a duplicate).
Status CheckNotEmpty(const IngestEvent& e) {
  auto empty = [](const char* field) {
    return std::string("field \"") + field + "\" must not be empty";
  };
  if (e.ticket.empty()) return Status::Error(empty("ticket"));
  const bool opened = e.event.kind == EventKind::kOpened;
  if (opened && e.event.partner.empty())
    return Status::Error("ticket " + e.ticket + ": " + empty("partner"));
  if ((opened || e.event.kind == EventKind::kSeverity) && e.event.severity.empty())
    return Status::Error("ticket " + e.ticket + ": " + empty("severity"));
  return Status::Ok();
}

// Adds one record to `batch`; an error says why it is bad.
Status AddRecord(const json& object, long index, IngestBatch& batch) {
  if (!object.is_object()) return Status::Error("expected a JSON object");
  Result<Record> parsed = ParseRecord(object.dump(), index);
  if (!parsed) return parsed.status();
  if (auto* event = std::get_if<EventRecord>(&*parsed)) {
    Result<std::string> id = ReadEventId(object);
    if (!id) return Status::Error("ticket " + event->ticket + ": " + id.error());
    IngestEvent checked{std::move(*id), std::move(event->ticket),
                        std::move(event->event)};
    if (Status usable = CheckNotEmpty(checked); !usable.ok()) return usable;
    batch.events.push_back(std::move(checked));
  } else if (auto* partner = std::get_if<PartnerRecord>(&*parsed)) {
    batch.partners.push_back(std::move(*partner));
  } else if (auto* certification = std::get_if<Certification>(&*parsed)) {
    batch.certifications.push_back(std::move(*certification));
  } else {
    batch.releases.push_back(std::get<Release>(std::move(*parsed)));
  }
  return Status::Ok();
}

}  // namespace

std::string IngestError::Message() const {
  if (index < 0) return reason;
  return "record " + std::to_string(index + 1) + " (index " + std::to_string(index) +
         "): " + reason;
}

std::variant<IngestBatch, IngestError> ParseIngestBody(std::string_view body) {
  json document;
  try {
    document = json::parse(body);
  } catch (const json::exception& e) {
    std::string why = e.what();
    const auto detail = why.find("] ");  // drop "[json.exception.parse_error.101] "
    if (detail != std::string::npos) why = why.substr(detail + 2);
    return IngestError{-1, "malformed JSON: " + why};
  }
  IngestBatch batch;
  if (document.is_object()) {
    if (Status added = AddRecord(document, 0, batch); !added.ok())
      return IngestError{0, added.message()};
    return batch;
  }
  if (!document.is_array()) {
    return IngestError{-1, "expected a JSON object (one record) or an array of them"};
  }
  if (document.empty()) return IngestError{-1, "empty batch: no records"};
  long index = 0;
  for (const json& element : document) {
    if (Status added = AddRecord(element, index, batch); !added.ok())
      return IngestError{index, added.message()};
    ++index;
  }
  return batch;
}

}  // namespace slamon
