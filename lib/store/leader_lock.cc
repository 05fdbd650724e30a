#include "store/leader_lock.h"

#include <pqxx/pqxx>

#include "store/connection_string.h"
#include "store/pg_connection.h"

namespace slamon {
namespace {

// Detect a dead peer within about 15 s: idle 5 s, then 3 probes 3 s apart.
const ConnectionSettings kLeaderSettings = {{"keepalives", "1"},
                                            {"keepalives_idle", "5"},
                                            {"keepalives_interval", "3"},
                                            {"keepalives_count", "3"},
                                            {"application_name", "slamon-leader"}};

// Advisory locks work on a hot standby too, but a standby's replica reads
// nothing new (and its LISTEN fails): only a primary's lock elects a leader.
constexpr const char* kInRecoverySql = "SELECT pg_is_in_recovery()";

constexpr const char* kTryLockSql = "SELECT pg_try_advisory_lock($1)";

// Whether this session holds the lock (it may have been lost with a reconnect).
constexpr const char* kHoldsLockSql =
    "SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND granted "
    "AND pid = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) = $1";

constexpr const char* kUnlockSql = "SELECT pg_advisory_unlock($1)";

}  // namespace

struct LeaderLock::Impl {
  std::string connection_string;
  int64_t key;
  std::unique_ptr<PgConnection> connection;
  bool leading = false;
};

LeaderLock::LeaderLock(std::string connection_string, int64_t key)
    : impl_(std::make_unique<Impl>()) {
  // The caller's string was built by ConnectionString, so it parses.
  Result<std::string> with_settings = WithSettings(connection_string, kLeaderSettings);
  impl_->connection_string = with_settings ? *with_settings : connection_string;
  impl_->key = key;
}

LeaderLock::~LeaderLock() { Release(); }

Result<Leadership> LeaderLock::Check() {
  // A session the server ended (a restart, a failover) shows only on its
  // next use, as a pqxx error that hides libpq's reason: it is replaced at
  // once, in this check, so the answer (or libpq's reason) comes now and not
  // one check interval later.
  const bool reused = impl_->connection != nullptr;
  Result<Leadership> answer = CheckOnce();
  if (answer.ok() || !reused) return answer;
  return CheckOnce();
}

Result<Leadership> LeaderLock::CheckOnce() {
  try {
    Leadership answer;
    if (!impl_->connection || !impl_->connection->is_open()) {
      impl_->leading = false;
      impl_->connection = std::make_unique<PgConnection>(impl_->connection_string);
    }
    pqxx::nontransaction query(*impl_->connection);
    answer.standby = query.exec(kInRecoverySql)[0][0].as<bool>();
    if (answer.standby) {
      if (impl_->leading) query.exec_params(kUnlockSql, impl_->key);
      impl_->leading = false;
      return answer;
    }
    if (impl_->leading) {
      impl_->leading = query.exec_params1(kHoldsLockSql, impl_->key)[0].as<bool>();
    }
    if (!impl_->leading) {
      impl_->leading = query.exec_params1(kTryLockSql, impl_->key)[0].as<bool>();
    }
    answer.leading = impl_->leading;
    return answer;
  } catch (const std::exception& e) {
    std::string why = ConnectionFailure(e, impl_->connection.get());
    impl_->connection.reset();
    impl_->leading = false;
    return Status::Error(std::move(why));
  }
}

void LeaderLock::Release() {
  if (!impl_->connection) return;
  try {
    if (impl_->leading) {
      pqxx::nontransaction query(*impl_->connection);
      query.exec_params(kUnlockSql, impl_->key);
    }
  } catch (const std::exception&) {
    // The session ends below anyway, which frees the lock.
  }
  impl_->leading = false;
  impl_->connection.reset();
}

int64_t LeaderLockKey(const Shard& shard) {
  // Stable across versions. Unsharded: "slamon" in ASCII, shifted by a byte.
  // Shard K/N: "slam", then N and K in 12 bits each (N <= 1024), which never
  // equals the unsharded key (its low 24 bits are "on" and a zero byte).
  if (shard.all()) return int64_t{0x736c616d6f6e} << 8;
  return (int64_t{0x736c616d} << 24) | (int64_t{shard.count} << 12) | shard.number;
}

}  // namespace slamon
