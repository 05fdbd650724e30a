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
// libpqxx exceptions stay inside: they come back as an error Result.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace slamon {

struct MigrateOptions {
  std::string connection;         // libpq connection string
  std::string grant_to;           // role to grant read access to; empty: none
  std::optional<int> to_version;  // std::nullopt: the newest this slamon knows
};

// What a successful Migrate() did.
struct SchemaUpgrade {
  int version_before = 0;
  int version_after = 0;
  std::vector<int> applied;  // versions applied, in order; empty: already current
};

// The upgrade, or an error (nothing changed then: one transaction).
Result<SchemaUpgrade> Migrate(const MigrateOptions& options);

// The schema version recorded in the database (0: no slamon schema).
Result<int> SchemaVersion(const std::string& connection);

// The newest schema version this slamon knows.
int LatestSchemaVersion();

}  // namespace slamon
