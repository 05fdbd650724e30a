#include "store/migrator.h"

#include <memory>
#include <pqxx/pqxx>

#include "store/pg_connection.h"
#include "store/schema.h"

namespace slamon {
namespace {

// Serialises concurrent migrations (an arbitrary, fixed advisory lock key).
constexpr const char* kLockSql = "SELECT pg_advisory_xact_lock(7355608417)";

constexpr const char* kBootstrapSql = R"sql(
CREATE SCHEMA IF NOT EXISTS slamon;
CREATE TABLE IF NOT EXISTS slamon.schema_version (
  version     integer PRIMARY KEY,
  description text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now()
);
)sql";

constexpr const char* kVersionSql =
    "SELECT coalesce(max(version), 0) FROM slamon.schema_version";

constexpr const char* kSchemaExistsSql =
    "SELECT to_regclass('slamon.schema_version') IS NOT NULL";

}  // namespace

int LatestSchemaVersion() {
  return Migrations().empty() ? 0 : Migrations().back().version;
}

Result<SchemaUpgrade> Migrate(const MigrateOptions& options) {
  const int target = options.to_version.value_or(LatestSchemaVersion());
  if (target < 1 || target > LatestSchemaVersion()) {
    return Status::Error("there is no schema version " + std::to_string(target) +
                         " (this slamon knows 1 to " +
                         std::to_string(LatestSchemaVersion()) + ")");
  }
  std::unique_ptr<PgConnection> connection;
  try {
    SchemaUpgrade upgrade;
    connection = std::make_unique<PgConnection>(options.connection);
    pqxx::work work(*connection, "slamon migrate");
    work.exec(kLockSql);
    work.exec(kBootstrapSql);
    upgrade.version_before = work.exec1(kVersionSql)[0].as<int>();
    if (upgrade.version_before > LatestSchemaVersion()) {
      return Status::Error(
          "the database schema is at version " + std::to_string(upgrade.version_before) +
          ", newer than this slamon (" + std::to_string(LatestSchemaVersion()) +
          "); upgrade slamon instead");
    }
    if (upgrade.version_before > target) {
      return Status::Error("the database schema is at version " +
                           std::to_string(upgrade.version_before) +
                           ", past the requested " + std::to_string(target) +
                           "; migrate never downgrades");
    }
    for (const Migration& migration : Migrations()) {
      if (migration.version <= upgrade.version_before) continue;
      if (migration.version > target) break;
      work.exec(std::string(migration.sql));
      work.exec_params(
          "INSERT INTO slamon.schema_version (version, description) VALUES ($1, $2)",
          migration.version, std::string(migration.description));
      upgrade.applied.push_back(migration.version);
    }
    if (!options.grant_to.empty()) {
      const std::string role = work.quote_name(options.grant_to);
      work.exec("GRANT USAGE ON SCHEMA slamon TO " + role);
      work.exec("GRANT SELECT ON ALL TABLES IN SCHEMA slamon TO " + role);
    }
    work.commit();
    upgrade.version_after =
        upgrade.applied.empty() ? upgrade.version_before : upgrade.applied.back();
    return upgrade;
  } catch (const pqxx::sql_error& e) {
    std::string error = ConnectionFailure(e, connection.get());
    if (!e.query().empty() && e.query().size() < 200)
      error += " (query: " + e.query() + ")";
    return Status::Error(std::move(error));
  } catch (const std::exception& e) {
    return Status::Error(ConnectionFailure(e, connection.get()));
  }
}

Result<int> SchemaVersion(const std::string& connection_string) {
  std::unique_ptr<PgConnection> connection;
  try {
    connection = std::make_unique<PgConnection>(connection_string);
    pqxx::read_transaction read(*connection, "slamon schema version");
    if (!read.exec1(kSchemaExistsSql)[0].as<bool>()) return 0;
    return read.exec1(kVersionSql)[0].as<int>();
  } catch (const std::exception& e) {
    return Status::Error(ConnectionFailure(e, connection.get()));
  }
}

}  // namespace slamon
