#include "database_loop.h"

#include <algorithm>

namespace slamon {
namespace {

Instant WallNow() {
  return std::chrono::floor<Seconds>(std::chrono::system_clock::now());
}

}  // namespace

DatabaseLoop::DatabaseLoop(DatabaseLoopOptions options, DatabaseCallbacks callbacks)
    : options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      store_(options_.connection, options_.shard) {}

DatabaseLoop::~DatabaseLoop() { Stop(); }

void DatabaseLoop::Start() {
  thread_ = std::thread([this] { Run(); });
}

void DatabaseLoop::Stop() {
  stopping_ = true;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DatabaseLoop::RequestTicket(const std::string& ticket) {
  std::lock_guard lock(mutex_);
  ticket_requests_.push_back(ticket);
}

void DatabaseLoop::RequestReference() {
  std::lock_guard lock(mutex_);
  reference_requested_ = true;
}

bool DatabaseLoop::Sleep(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, duration, [this] { return stopping_.load(); });
  return !stopping_;
}

void DatabaseLoop::Run() {
  std::chrono::milliseconds backoff{250};
  while (!stopping_) {
    session_connected_ = false;
    if (Session()) return;  // stopping
    // After a session that worked, retry soon; after failures, back off.
    if (session_connected_) backoff = std::chrono::milliseconds{250};
    if (!Sleep(backoff)) return;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

// Connects, loads once, then reads new events until an error (returns false)
// or Stop() (returns true).
bool DatabaseLoop::Session() {
  StoreStatus status = store_.Connect();
  if (!status.ok) {
    callbacks_.on_status(false, status.error);
    return stopping_;
  }
  ReferenceData reference;
  status = store_.LoadReference(&reference);
  if (!status.ok) {
    callbacks_.on_status(false, status.error);
    return stopping_;
  }
  session_connected_ = true;
  callbacks_.on_status(true, "");
  callbacks_.on_reference(std::move(reference));
  if (!loaded_) {
    auto started = std::chrono::steady_clock::now();
    status =
        store_.LoadAllEvents(WallNow(), options_.load_batch_rows, callbacks_.on_events);
    callbacks_.on_poll(std::chrono::steady_clock::now() - started, status.ok);
    if (!status.ok) {
      callbacks_.on_status(false, status.error);
      return stopping_;
    }
    loaded_ = true;
    callbacks_.on_loaded();
  }
  bool read_now = true;  // catch up at once after a reconnect
  while (!stopping_) {
    std::deque<std::string> tickets;
    bool reference_requested = false;
    {
      std::lock_guard lock(mutex_);
      tickets.swap(ticket_requests_);
      std::swap(reference_requested, reference_requested_);
    }
    for (const auto& ticket : tickets) {
      EventBatch batch;
      status = store_.LoadTicket(ticket, WallNow(), &batch);
      if (!status.ok) break;
      callbacks_.on_ticket(ticket, std::move(batch));
    }
    if (status.ok && reference_requested) {
      ReferenceData data;
      status = store_.LoadReference(&data);
      if (status.ok) callbacks_.on_reference(std::move(data));
    }
    if (status.ok && read_now) {
      auto started = std::chrono::steady_clock::now();
      status = store_.ReadNewEvents(WallNow(), callbacks_.on_events);
      callbacks_.on_poll(std::chrono::steady_clock::now() - started, status.ok);
    }
    if (!status.ok) {
      callbacks_.on_status(false, status.error);
      return stopping_;
    }
    // Wait for a notification, the poll interval, a request or Stop().
    Notifications woke;
    read_now = false;
    auto waited = std::chrono::milliseconds{0};
    while (!stopping_ && waited < options_.poll_interval) {
      auto slice =
          std::min(std::chrono::milliseconds{250}, options_.poll_interval - waited);
      status = store_.Wait(slice, &woke);
      if (!status.ok) {
        callbacks_.on_status(false, status.error);
        return stopping_;
      }
      waited += slice;
      if (woke.reference) RequestReference();
      if (woke.events || woke.reference) break;
      std::lock_guard lock(mutex_);
      if (!ticket_requests_.empty() || reference_requested_) break;
    }
    read_now = true;
  }
  return true;
}

}  // namespace slamon
