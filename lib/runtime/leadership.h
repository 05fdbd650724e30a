// Leadership: which replica of a group sends the alerts (docs/design.md §6),
// as the daemon's core sees it.
//
// A LeadershipSource competes for the group's lock (PostgreSQL's advisory
// lock in the daemon: LeaderLoop) once started, and reports each check as a
// LeaderCheck. LeaderLease turns those reports into "this replica sends now":
//
//   - a check that finds the lock held by this replica confirms a lease of
//     `lease` from the moment the check was *asked* (so the lease never
//     outlasts what the database granted);
//   - a replica sends only while its lease runs, so one that cannot confirm
//     (the database is down or unreachable) keeps sending known deadlines for
//     at most `lease`, then stops — alerts do not wait for the database
//     during a short outage, and a cut-off replica stops within the bound;
//   - a replica that takes the lock (or takes it back after its lease ran
//     out) waits `lease` before sending, so that a former leader that can no
//     longer reach the database has stopped by then: never two senders;
//   - a check that finds the lock held by another replica ends the lease at
//     once.
//
// Pure: time is an argument (steady time); not thread-safe (one owner).
#pragma once

#include <chrono>
#include <string>

namespace slamon {

struct LeaderCheck {
  enum class Answer {
    kHolds,    // this replica holds the lock
    kOther,    // another replica holds it
    kUnknown,  // the database could not be asked (`why` says why)
  };
  Answer answer = Answer::kUnknown;
  std::string why;
  std::chrono::steady_clock::time_point asked_at;  // when the check was sent
};

class LeadershipSource {
 public:
  virtual ~LeadershipSource() = default;
  // Starts competing for the lock; checks are reported from then on.
  virtual void Start() = 0;
};

class LeaderLease {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  explicit LeaderLease(std::chrono::milliseconds lease) : lease_(lease) {}

  void Record(const LeaderCheck& check);
  // Whether this replica may send at `now`.
  bool Sending(TimePoint now) const;
  // Holds the lock as far as it knows, but cannot confirm it (its lease may
  // still run): for the operator's log.
  bool Unconfirmed(TimePoint now) const { return holds_ && now >= confirmed_until_; }
  std::chrono::milliseconds lease() const { return lease_; }

 private:
  std::chrono::milliseconds lease_;
  bool holds_ = false;
  TimePoint sending_from_{};     // the hold-off after taking the lock
  TimePoint confirmed_until_{};  // the lease
};

}  // namespace slamon
