// EventSource: what the daemon's database thread reads, as one narrow
// interface (docs/design.md §6). EventStore implements it on PostgreSQL; unit
// tests implement it in memory to play outages, failed queries and reloads.
//
// Contract of every implementation:
//   - blocking calls for one thread; errors are Status values
//     (base/status.h, [[nodiscard]], no default), never
//     exceptions — except one thrown by a `sink`, which abandons the read and
//     comes back as a failed Status (so a caller can cancel a long load);
//   - Connected() is false after Connect() failed or a call lost the
//     connection, true while a failed query left it usable;
//   - LoadAllEvents delivers the whole log in seq order, in batches of at most
//     `batch_rows`; ReadNewEvents delivers each later event exactly once.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/release.h"
#include "instant/instant.h"
#include "quota/certification.h"
#include "quota/partner.h"
#include "store/event_row.h"

namespace slamon {

struct ReferenceData {
  std::vector<Partner> partners;
  std::vector<Certification> certifications;
  std::vector<Release> releases;
  std::vector<std::string> problems;  // rows skipped, e.g. an unknown time zone
};

struct Notifications {
  bool events = false;
  bool reference = false;
};

class EventSource {
 public:
  virtual ~EventSource() = default;

  virtual Status Connect() = 0;
  virtual bool Connected() const = 0;
  virtual Status LoadReference(ReferenceData* out) = 0;
  virtual Status LoadAllEvents(Instant now, size_t batch_rows,
                               const std::function<void(EventBatch&&)>& sink) = 0;
  virtual Status ReadNewEvents(Instant now,
                               const std::function<void(EventBatch&&)>& sink) = 0;
  virtual Status LoadTicket(const std::string& ticket, Instant now, EventBatch* out) = 0;
  // Waits up to `timeout` for a notification of new events or reference data.
  virtual Status Wait(std::chrono::milliseconds timeout, Notifications* woke) = 0;
};

}  // namespace slamon
