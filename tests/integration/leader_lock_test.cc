// LeaderLock against a real PostgreSQL 15 (under pg_virtualenv, which sets
// PGHOST and the rest: an empty connection string reaches it).
#include "store/leader_lock.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <thread>

using namespace slamon;

namespace {

constexpr int64_t kKey = 4242;  // fits in pg_locks.objid; classid is 0

// Ends the session that holds the advisory lock `kKey`, as a server restart
// or a failover would, and waits until the lock is free.
void EndLockHolder() {
  pqxx::connection admin("");
  pqxx::nontransaction q(admin);
  const std::string holder =
      "FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid "
      "= " +
      std::to_string(kKey);
  REQUIRE(q.exec("SELECT pg_terminate_backend(pid) " + holder).size() == 1);
  for (int i = 0; i < 100 && !q.exec("SELECT 1 " + holder).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(q.exec("SELECT 1 " + holder).empty());
}

}  // namespace

TEST_CASE("one of two replicas holds the leader lock; a standby flag only on a standby") {
  LeaderLock first("", kKey);
  LeaderLock second("", kKey);
  std::string error;
  bool standby = true;
  CHECK(first.Check(&error, &standby));
  CHECK(error.empty());
  CHECK_FALSE(standby);
  CHECK_FALSE(second.Check(&error, &standby));
  CHECK(error.empty());                  // another holds it: an answer, not a failure
  CHECK(first.Check(&error, &standby));  // still held
}

TEST_CASE("a lock whose session the server ended is taken again within the same check") {
  LeaderLock first("", kKey);
  std::string error;
  bool standby = false;
  REQUIRE(first.Check(&error, &standby));
  EndLockHolder();
  // The old session is gone with its lock; nobody else wants it, so this very
  // check reconnects and holds it again (it used to fail with pqxx's "not
  // connected" and hold it only one check interval later).
  CHECK(first.Check(&error, &standby));
  INFO(error);
  CHECK(error.empty());
}

TEST_CASE("a lock whose session the server ended goes to the replica that asks first") {
  LeaderLock first("", kKey);
  LeaderLock second("", kKey);
  std::string error;
  bool standby = false;
  REQUIRE(first.Check(&error, &standby));
  REQUIRE_FALSE(second.Check(&error, &standby));
  EndLockHolder();
  CHECK(second.Check(&error, &standby));
  // The former holder reconnects and finds the lock taken: not leading, and
  // that is an answer (no error), so it stops sending at once.
  CHECK_FALSE(first.Check(&error, &standby));
  INFO(error);
  CHECK(error.empty());
}
