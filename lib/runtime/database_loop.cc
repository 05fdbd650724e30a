#include "runtime/database_loop.h"

#include <algorithm>
#include <stdexcept>

namespace slamon {
namespace {

Instant WallNow() {
  return std::chrono::floor<Seconds>(std::chrono::system_clock::now());
}

// Thrown by the hand-over when Stop() comes during a load: the source turns
// it into a failed status and the session ends.
struct HandOverCancelled : std::runtime_error {
  HandOverCancelled() : std::runtime_error("stopping") {}
};

}  // namespace

DatabaseLoop::DatabaseLoop(EventSource& source, DatabaseLoopOptions options,
                           DatabaseCallbacks callbacks)
    : source_(source),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      reconnect_backoff_(options_.initial_backoff, options_.max_reconnect_backoff),
      query_backoff_(options_.initial_backoff, options_.max_backoff) {
  options_.max_batches_in_flight = std::max<size_t>(options_.max_batches_in_flight, 1);
}

DatabaseLoop::~DatabaseLoop() { Stop(); }

void DatabaseLoop::Start() {
  thread_ = std::thread([this] { Run(); });
}

void DatabaseLoop::Stop() {
  {
    // Under the mutex: a thread between its predicate check and its wait
    // cannot miss the wake-up.
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DatabaseLoop::RequestTicket(const std::string& ticket) {
  {
    std::lock_guard lock(mutex_);
    ticket_requests_.push_back(ticket);
  }
  wake_.notify_all();
}

void DatabaseLoop::RequestReference() {
  {
    std::lock_guard lock(mutex_);
    reference_requested_ = true;
  }
  wake_.notify_all();
}

void DatabaseLoop::BatchApplied() {
  {
    std::lock_guard lock(mutex_);
    if (batches_in_flight_ > 0) --batches_in_flight_;
  }
  wake_.notify_all();
}

bool DatabaseLoop::Stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

bool DatabaseLoop::Sleep(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, duration, [this] { return stopping_; });
  return !stopping_;
}

void DatabaseLoop::HandOver(EventBatch&& batch) {
  {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] {
      return stopping_ || batches_in_flight_ < options_.max_batches_in_flight;
    });
    if (stopping_) throw HandOverCancelled();
    ++batches_in_flight_;
  }
  callbacks_.on_events(std::move(batch));
}

void DatabaseLoop::Run() {
  for (;;) {
    const Outcome outcome = Session();
    if (outcome == Outcome::kStopping) return;
    const std::chrono::milliseconds wait = outcome == Outcome::kConnectionFailed
                                               ? reconnect_backoff_.Next()
                                               : query_backoff_.Next();
    if (!Sleep(wait)) return;
  }
}

DatabaseLoop::Outcome DatabaseLoop::Failed(const Status& status) {
  if (Stopping()) return Outcome::kStopping;
  if (status.data_lost()) {
    // Events already applied are gone from the database: nothing more is
    // read; the owner reloads from scratch (the daemon restarts).
    if (callbacks_.on_history_lost) callbacks_.on_history_lost(status.message());
    return Outcome::kStopping;
  }
  callbacks_.on_status(false, status.message());
  if (!source_.Connected()) return Outcome::kConnectionFailed;
  reads_failing_ = true;
  return Outcome::kQueryFailed;
}

void DatabaseLoop::ReadSucceeded() {
  reconnect_backoff_.Reset();
  query_backoff_.Reset();
  reads_failing_ = false;
  if (!reported_up_) callbacks_.on_status(true, "");
  reported_up_ = true;
}

// Answers the queued requests; what could not be answered stays queued.
Status DatabaseLoop::AnswerRequests() {
  std::deque<std::string> tickets;
  bool reference = false;
  {
    std::lock_guard lock(mutex_);
    tickets.swap(ticket_requests_);
    std::swap(reference, reference_requested_);
  }
  Status status = Status::Ok();
  while (!tickets.empty()) {
    EventBatch batch;
    status = source_.LoadTicket(tickets.front(), WallNow(), &batch);
    if (!status.ok()) break;
    callbacks_.on_ticket(tickets.front(), std::move(batch));
    tickets.pop_front();
  }
  if (status.ok() && reference) {
    ReferenceData data;
    status = source_.LoadReference(&data);
    if (status.ok()) {
      callbacks_.on_reference(std::move(data));
      reference = false;
    }
  }
  if (!tickets.empty() || reference) {
    std::lock_guard lock(mutex_);
    ticket_requests_.insert(ticket_requests_.begin(), tickets.begin(), tickets.end());
    reference_requested_ = reference_requested_ || reference;
  }
  return status;
}

DatabaseLoop::Outcome DatabaseLoop::Session() {
  reported_up_ = false;
  Status status = source_.Connect();
  if (!status.ok()) return Failed(status);
  reconnect_backoff_.Reset();
  {
    // The session loads the reference data anyway.
    std::lock_guard lock(mutex_);
    reference_requested_ = false;
  }
  ReferenceData reference;
  status = source_.LoadReference(&reference);
  if (!status.ok()) return Failed(status);
  // A database that answers but fails our reads is not "up" until a read works.
  if (!reads_failing_) {
    callbacks_.on_status(true, "");
    reported_up_ = true;
  }
  callbacks_.on_reference(std::move(reference));
  const auto hand_over = [this](EventBatch&& batch) { HandOver(std::move(batch)); };
  if (!loaded_) {
    auto started = std::chrono::steady_clock::now();
    status = source_.LoadAllEvents(WallNow(), options_.load_batch_rows, hand_over);
    if (Stopping()) return Outcome::kStopping;
    callbacks_.on_poll(std::chrono::steady_clock::now() - started, status.ok());
    if (!status.ok()) return Failed(status);
    loaded_ = true;
    ReadSucceeded();
    callbacks_.on_loaded();
  }
  bool read_now = true;  // catch up at once after a reconnect
  while (!Stopping()) {
    status = AnswerRequests();
    if (status.ok() && read_now) {
      auto started = std::chrono::steady_clock::now();
      status = source_.ReadNewEvents(WallNow(), hand_over);
      if (Stopping()) return Outcome::kStopping;
      callbacks_.on_poll(std::chrono::steady_clock::now() - started, status.ok());
      if (status.ok()) ReadSucceeded();
    }
    if (!status.ok()) return Failed(status);
    // Wait for a notification, the poll interval, a request or Stop().
    Notifications woke;
    read_now = false;
    auto waited = std::chrono::milliseconds{0};
    while (waited < options_.poll_interval) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return Outcome::kStopping;
        if (!ticket_requests_.empty() || reference_requested_) break;
      }
      auto slice = std::min(options_.wait_slice, options_.poll_interval - waited);
      status = source_.Wait(slice, &woke);
      if (!status.ok()) return Failed(status);
      waited += slice;
      if (woke.reference) RequestReference();
      if (woke.events || woke.reference) break;
    }
    read_now = true;
  }
  return Outcome::kStopping;
}

}  // namespace slamon
