// DatabaseRequests: what the daemon's core asks of its database thread.
// DatabaseLoop implements it; unit tests record the calls. Every call returns
// at once (the work happens on the database thread) and is safe from any
// thread.
#pragma once

#include <string>

namespace slamon {

class DatabaseRequests {
 public:
  virtual ~DatabaseRequests() = default;

  // Reload all events of a ticket that was released from memory; the answer
  // comes back as DatabaseCallbacks::on_ticket. A request is kept until it
  // was answered (a failed read is retried in the next session).
  virtual void RequestTicket(const std::string& ticket) = 0;
  // Reload the reference data; the answer comes back as on_reference.
  virtual void RequestReference() = 0;
  // One batch handed over through on_events was applied: the database
  // thread may hand over another (the hand-over is bounded).
  virtual void BatchApplied() = 0;
};

}  // namespace slamon
