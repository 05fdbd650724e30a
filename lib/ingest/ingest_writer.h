// IngestWriter: checks POST /api/v1/events bodies (ingest_body.h) and writes
// them into the ticket database (docs/help-desks.md "Push API").
//
// Its own threads (parsing a large body is no work for the event loop
// either), each with its own connection (as the ingest role, not the
// daemon's read-only one): a write never runs on the event loop nor holds up
// the daemon's reads. One transaction per batch, all or nothing:
//   - partners upserted by id, releases by (product, version), certifications
//     inserted unless the same row is there;
//   - events inserted into slamon.ticket_events in body order, each unless
//     its event_id is stored already (schema version 3's unique index), so a
//     retried request stores nothing twice, even when the retry runs at the
//     same time as the first try.
// A connection that breaks is opened again and the batch retried once (safe:
// the batch is idempotent); otherwise the failure is reported, with libpq's
// reason, and the next batch connects again.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "ingest/ingest_body.h"

namespace slamon {

struct IngestOutcome {
  std::optional<IngestError> invalid;  // the body was refused: nothing written
  // Without `invalid`: ok when the batch was committed, else why the database
  // failed (never the password) and nothing was stored.
  Status written = Status::Error("nothing written");
  std::size_t events_stored = 0;     // new rows in slamon.ticket_events
  std::size_t events_duplicate = 0;  // event ids stored before: not again
  std::size_t references = 0;        // partner, certification, release records
};

struct IngestWriterOptions {
  std::string connection_string;
  std::size_t threads = 4;       // connections, at most
  std::size_t max_queued = 512;  // batches waiting; beyond, Submit refuses
};

class IngestWriter {
 public:
  using Done = std::function<void(IngestOutcome)>;

  explicit IngestWriter(IngestWriterOptions options);
  ~IngestWriter();  // Stop()
  IngestWriter(const IngestWriter&) = delete;
  IngestWriter& operator=(const IngestWriter&) = delete;

  void Start();
  // Answers what is still queued with a failure, finishes the batches being
  // written, joins the threads. Idempotent.
  void Stop();

  // Queues `body`; `done` is called once, later, on a writer thread. False
  // (and `done` is never called) when the queue is full or stopped.
  bool Submit(std::string body, Done done);

 private:
  struct Job {
    std::string body;
    Done done;
  };
  void Run();

  IngestWriterOptions options_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
};

}  // namespace slamon
