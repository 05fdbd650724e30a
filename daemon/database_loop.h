// DatabaseLoop: the daemon's database thread.
//
// Owns the EventStore and does every blocking libpqxx call off the event loop
// (DESIGN section 6): connect (retrying with capped exponential backoff),
// load reference data and the whole event log, then wait for NOTIFY (or the
// poll interval) and read what is new. Results are handed to the event loop
// thread through the callbacks, which the loop posts onto its io_context; the
// callbacks must therefore be cheap and thread-safe (they post and return).
//
// Requests from the event loop (reload one ticket's history, reload the
// reference data) are queued under a mutex; Stop() ends the thread within
// about half a second.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "store/event_store.h"

namespace slamon {

struct DatabaseCallbacks {
  // The database answered (true) or failed (false, with why).
  std::function<void(bool up, const std::string& why)> on_status;
  std::function<void(ReferenceData&&)> on_reference;
  std::function<void(EventBatch&&)> on_events;
  std::function<void()> on_loaded;  // the full load is complete (once)
  std::function<void(const std::string& ticket, EventBatch&&)> on_ticket;
  // One read of new events took this long (for slamon_poll_duration_seconds).
  std::function<void(std::chrono::duration<double>, bool ok)> on_poll;
};

struct DatabaseLoopOptions {
  std::string connection;
  std::chrono::milliseconds poll_interval{5000};
  std::chrono::milliseconds max_backoff{30000};
  size_t load_batch_rows = 10000;
  Shard shard;  // the partners this replica watches (default: all)
};

class DatabaseLoop {
 public:
  DatabaseLoop(DatabaseLoopOptions options, DatabaseCallbacks callbacks);
  ~DatabaseLoop();  // stops and joins

  void Start();
  void Stop();
  void RequestTicket(const std::string& ticket);
  void RequestReference();

 private:
  void Run();
  bool Sleep(std::chrono::milliseconds duration);  // false when stopping
  bool Session();  // one connected session; false when stopping

  DatabaseLoopOptions options_;
  DatabaseCallbacks callbacks_;
  EventStore store_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> ticket_requests_;
  bool reference_requested_ = false;
  bool loaded_ = false;
  bool session_connected_ = false;
};

}  // namespace slamon
