#include "store/migrator.h"

#include <pqxx/pqxx>

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

// libpq messages end with a newline.
std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

int LatestKnown() { return Migrations().empty() ? 0 : Migrations().back().version; }

}  // namespace

MigrateResult Migrate(const MigrateOptions& options) {
  MigrateResult result;
  try {
    pqxx::connection connection(options.connection);
    pqxx::work work(connection, "slamon migrate");
    work.exec(kLockSql);
    work.exec(kBootstrapSql);
    result.version_before = work.exec1(kVersionSql)[0].as<int>();
    if (result.version_before > LatestKnown()) {
      result.error = "the database schema is at version " +
                     std::to_string(result.version_before) +
                     ", newer than this slamon (" + std::to_string(LatestKnown()) +
                     "); upgrade slamon instead";
      return result;
    }
    for (const Migration& migration : Migrations()) {
      if (migration.version <= result.version_before) continue;
      work.exec(std::string(migration.sql));
      work.exec_params(
          "INSERT INTO slamon.schema_version (version, description) VALUES ($1, $2)",
          migration.version, std::string(migration.description));
      result.applied.push_back(migration.version);
    }
    if (!options.grant_to.empty()) {
      const std::string role = work.quote_name(options.grant_to);
      work.exec("GRANT USAGE ON SCHEMA slamon TO " + role);
      work.exec("GRANT SELECT ON ALL TABLES IN SCHEMA slamon TO " + role);
    }
    work.commit();
    result.version_after =
        result.applied.empty() ? result.version_before : result.applied.back();
    result.ok = true;
  } catch (const pqxx::sql_error& e) {
    result.error = Trimmed(e.what());
    if (!e.query().empty() && e.query().size() < 200)
      result.error += " (query: " + e.query() + ")";
  } catch (const std::exception& e) {
    result.error = Trimmed(e.what());
  }
  return result;
}

int SchemaVersion(const std::string& connection_string, std::string* error) {
  try {
    pqxx::connection connection(connection_string);
    pqxx::read_transaction read(connection, "slamon schema version");
    if (!read.exec1(kSchemaExistsSql)[0].as<bool>()) return 0;
    return read.exec1(kVersionSql)[0].as<int>();
  } catch (const std::exception& e) {
    if (error != nullptr) *error = Trimmed(e.what());
    return -1;
  }
}

}  // namespace slamon
