// Migrator: brings a PostgreSQL database to the schema this slamon knows.
//
// Migrate() runs in one transaction under a transaction-level advisory lock,
// so two replicas starting together do not race: it creates schema `slamon`
// and its version table when missing, applies every migration newer than the
// recorded version in order, and records each. Running it again changes
// nothing. A database newer than this binary is refused, never downgraded.
// `to_version` stops at that version instead of the newest (a staged
// upgrade); a database already past it is refused too.
// Optionally grants a read-only role what the daemon needs: USAGE on the
// schema and SELECT on its tables (LISTEN needs no grant).
//
// libpqxx exceptions stay inside: the result says what happened.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace slamon {

struct MigrateOptions {
  std::string connection;         // libpq connection string
  std::string grant_to;           // role to grant read access to; empty: none
  std::optional<int> to_version;  // std::nullopt: the newest this slamon knows
};

struct MigrateResult {
  bool ok = false;
  int version_before = 0;
  int version_after = 0;
  std::vector<int> applied;
  std::string error;  // when !ok
};

MigrateResult Migrate(const MigrateOptions& options);

// The schema version recorded in the database (0: no slamon schema), or -1
// with `error` set.
int SchemaVersion(const std::string& connection, std::string* error);

// The newest schema version this slamon knows.
int LatestSchemaVersion();

}  // namespace slamon
