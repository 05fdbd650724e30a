// DatabaseLoop: the daemon's database thread.
//
// Does every blocking read of an EventSource (PostgreSQL's EventStore in the
// daemon, an in-memory fake in tests) off the event loop (docs/design.md §6):
// connect, load the reference data and the whole event log, then wait for a
// notification (or the poll interval) and read what is new. Results go to the
// event loop through the callbacks, which must post and return (they run on
// this thread).
//
// Bounded hand-over: at most `max_batches_in_flight` event batches are handed
// over and not yet acknowledged with BatchApplied(); the thread blocks (the
// load pauses) while the event loop is behind. Stop() also ends such a wait
// and abandons a load in progress.
//
// Retrying: a failed connection is retried after a backoff from
// `initial_backoff` doubling up to `max_reconnect_backoff` (kept short, so
// the database is seen again within seconds of coming back); a query that
// fails on a working connection (a revoked grant, a bad row, a timeout) is
// retried after a backoff doubling up to `max_backoff`. Both reset once a
// read of the event log succeeds. `on_status` reports every failure with
// libpq's reason (the caller logs each distinct one once) and "up" once the
// database answers again.
//
// Requests (RequestTicket, RequestReference) are queued under a mutex and
// kept until answered: a reload that fails is retried in the next session.
// Stop() ends the thread within one wait slice or one query. A source that
// reports its history lost ends the thread too (on_history_lost).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/backoff.h"
#include "runtime/database_requests.h"
#include "store/event_source.h"

namespace slamon {

struct DatabaseCallbacks {
  // The database answered (true) or failed (false, with why).
  std::function<void(bool up, const std::string& why)> on_status;
  std::function<void(ReferenceData&&)> on_reference;
  // A batch of events; acknowledge it with BatchApplied() once applied.
  std::function<void(EventBatch&&)> on_events;
  std::function<void()> on_loaded;  // the full load is complete (once)
  std::function<void(const std::string& ticket, EventBatch&&)> on_ticket;
  // One read of new events took this long (for slamon_poll_duration_seconds).
  std::function<void(std::chrono::duration<double>, bool ok)> on_poll;
  // The database lost events already delivered (Status::data_lost(),
  // after a failover with asynchronous replication): the loop has stopped
  // reading; only a reload from scratch shows the database's figures again.
  std::function<void(const std::string& why)> on_history_lost;
};

struct DatabaseLoopOptions {
  std::chrono::milliseconds poll_interval{5000};
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{30000};           // failing queries
  std::chrono::milliseconds max_reconnect_backoff{2000};  // failing connections
  std::chrono::milliseconds wait_slice{250};  // the longest Wait() between checks
  size_t load_batch_rows = 10000;
  size_t max_batches_in_flight = 4;
};

class DatabaseLoop final : public DatabaseRequests {
 public:
  // `source` must outlive the loop.
  DatabaseLoop(EventSource& source, DatabaseLoopOptions options,
               DatabaseCallbacks callbacks);
  ~DatabaseLoop() override;  // stops and joins
  DatabaseLoop(const DatabaseLoop&) = delete;
  DatabaseLoop& operator=(const DatabaseLoop&) = delete;

  void Start();
  void Stop();
  void RequestTicket(const std::string& ticket) override;
  void RequestReference() override;
  void BatchApplied() override;

 private:
  enum class Outcome { kStopping, kConnectionFailed, kQueryFailed };

  void Run();
  bool Sleep(std::chrono::milliseconds duration);  // false when stopping
  bool Stopping();
  Outcome Session();  // one connected session, until a failure or Stop()
  Outcome Failed(const Status& status);
  void HandOver(EventBatch&& batch);  // blocks while too many are in flight
  void ReadSucceeded();
  Status AnswerRequests();

  EventSource& source_;
  DatabaseLoopOptions options_;
  DatabaseCallbacks callbacks_;
  Backoff reconnect_backoff_;
  Backoff query_backoff_;
  std::thread thread_;
  // The database thread's own state.
  bool loaded_ = false;
  bool reported_up_ = false;    // "up" was reported in this session
  bool reads_failing_ = false;  // the last session ended on a failed query
  // Shared with the other threads, under mutex_.
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::deque<std::string> ticket_requests_;
  bool reference_requested_ = false;
  size_t batches_in_flight_ = 0;
};

}  // namespace slamon
