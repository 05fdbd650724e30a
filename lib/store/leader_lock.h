// LeaderLock: which replica sends alerts (docs/design.md §6).
//
// Replicas of slamon on one database compete for a PostgreSQL session-level
// advisory lock on a connection of their own. The holder is the leader until
// its session ends: when the process dies, its connection closes and the lock
// is free at once; when the connection is lost, the holder stops calling itself
// leader at its next check. TCP keepalives on the connection bound how long a
// silently broken network can hide a dead leader.
//
// Blocking calls for one thread; libpqxx exceptions stay inside.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "store/shard.h"

namespace slamon {

// The answer of one check of the lock.
struct Leadership {
  bool leading = false;  // this replica holds the lock
  bool standby = false;  // the database is in recovery: nobody leads
};

class LeaderLock {
 public:
  // `key` distinguishes independent groups of replicas (e.g. shards).
  LeaderLock(std::string connection_string, int64_t key);
  ~LeaderLock();
  LeaderLock(const LeaderLock&) = delete;
  LeaderLock& operator=(const LeaderLock&) = delete;

  // Connects when needed, takes the lock when free, and checks that a lock
  // already held is still held. Returns whether this replica leads, or an
  // error when the database could not be asked. `standby` is set when the
  // database is a standby (in recovery), where no replica may lead. A
  // connection the server has ended since the last check is replaced within
  // the same check.
  Result<Leadership> Check();

  // Lets go of the lock (on shutdown), so another replica takes over at once.
  void Release();

 private:
  // One try: an error when the database could not be asked.
  Result<Leadership> CheckOnce();

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The lock key of slamon's leader election: one per shard, so each replica
// group of a sharded setup elects its own leader.
int64_t LeaderLockKey(const Shard& shard);

}  // namespace slamon
