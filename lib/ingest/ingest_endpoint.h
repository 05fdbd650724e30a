// IngestEndpoint: POST /api/v1/events (docs/help-desks.md "Push API").
//
// Checks the credentials on the HTTP server's thread (a digest comparison), then hands
// the body to the IngestWriter, which checks and writes it on its own thread
// and answers from there:
//   200 {"stored":N,"duplicate":M,"references":K}   written (M: event ids
//                                                   stored before, not again)
//   400 {"error":"record 3 (index 2): ...","index":2}  nothing written
//   401 {"error":"unauthorized"} + WWW-Authenticate     nothing read
//   413 (by the HTTP server: body over ingest.max_body_bytes; CountTooLarge)
//   503 {"error":...} + Retry-After                   the database failed or the
//                                                   queue is full; nothing written
// and counts them in the slamon_ingest_* metrics:
//   slamon_ingest_requests_total{result}  stored, invalid, unauthorized,
//                                         too_large, unavailable (all from 0)
//   slamon_ingest_events_stored_total     events written to ticket_events
//   slamon_ingest_events_duplicate_total  events whose event_id was stored before
// A database failure is passed to `on_failure` (the daemon logs it); nothing
// here logs the request or its credentials.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>

#include "http/http_server.h"
#include "ingest/ingest_credentials.h"
#include "ingest/ingest_writer.h"

namespace slamon {

class IngestEndpoint {
 public:
  // `writer` must outlive the endpoint and be started.
  IngestEndpoint(IngestCredentials credentials, IngestWriter& writer,
                 prometheus::Registry& registry,
                 std::function<void(const std::string&)> on_failure);

  // An HttpPostHandler.
  void Handle(HttpRequest request, HttpRespond respond);
  // For the HTTP server's 413.
  void CountTooLarge();

 private:
  IngestCredentials credentials_;
  IngestWriter& writer_;
  std::function<void(const std::string&)> on_failure_;
  prometheus::Counter& stored_;
  prometheus::Counter& invalid_;
  prometheus::Counter& unauthorized_;
  prometheus::Counter& too_large_;
  prometheus::Counter& unavailable_;
  prometheus::Counter& events_stored_;
  prometheus::Counter& events_duplicate_;
};

}  // namespace slamon
