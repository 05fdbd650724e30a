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

// One check as a word: "leads", "other" (another replica leads), "standby"
// or "error: ..." (the database could not be asked).
std::string Ask(LeaderLock& lock) {
  const Result<Leadership> answer = lock.Check();
  if (!answer) return "error: " + answer.error();
  if (answer->standby) return "standby";
  return answer->leading ? "leads" : "other";
}

}  // namespace

TEST_CASE("one of two replicas holds the leader lock; a standby flag only on a standby") {
  LeaderLock first("", kKey);
  LeaderLock second("", kKey);
  CHECK(Ask(first) == "leads");
  CHECK(Ask(second) == "other");  // another holds it: an answer, not a failure
  CHECK(Ask(first) == "leads");   // still held
}

TEST_CASE("a lock whose session the server ended is taken again within the same check") {
  LeaderLock first("", kKey);
  REQUIRE(Ask(first) == "leads");
  EndLockHolder();
  // The old session is gone with its lock; nobody else wants it, so this very
  // check reconnects and holds it again (it used to fail with pqxx's "not
  // connected" and hold it only one check interval later).
  CHECK(Ask(first) == "leads");
}

TEST_CASE("a lock whose session the server ended goes to the replica that asks first") {
  LeaderLock first("", kKey);
  LeaderLock second("", kKey);
  REQUIRE(Ask(first) == "leads");
  REQUIRE(Ask(second) == "other");
  EndLockHolder();
  CHECK(Ask(second) == "leads");
  // The former holder reconnects and finds the lock taken: not leading, and
  // that is an answer (no error), so it stops sending at once.
  CHECK(Ask(first) == "other");
}
