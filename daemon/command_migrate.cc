#include <iostream>

#include "command_line.h"
#include "commands.h"
#include "config_file.h"
#include "exit_code.h"
#include "store/connection_string.h"
#include "store/migrator.h"
#include "text/whole_number.h"

namespace slamon {
namespace {

constexpr const char* kUsage =
    R"(usage: slamon migrate --config FILE [--grant-to ROLE] [--to-version N]

Creates or upgrades the slamon schema in the database named by the config's
database.dsn (and database.password_file): tables partners, certifications,
releases and ticket_events, the notify triggers, and slamon.schema_version.
Safe to run again and against an older schema; a newer schema is refused.

  --config FILE     the config file
  --grant-to ROLE   also grant ROLE what the daemon needs: USAGE on schema
                    slamon and SELECT on its tables (a read-only role)
  --to-version N    stop at schema version N instead of the newest (a staged
                    upgrade); a schema already past N is refused

Exit status 0 when the schema is current, 1 on a database error, 2 on a bad
command line, 78 on a bad config.
)";

}  // namespace

int RunMigrate(const std::vector<std::string>& args) {
  CommandLine cl = ParseCommandLine(
      args, {.with_value = {"config", "grant-to", "to-version"}, .flags = {}});
  if (auto exit = CheckCommandLine(cl, {"migrate", kUsage})) return *exit;
  std::optional<int> to_version;
  if (auto text = cl.Value("to-version")) {
    to_version = ParsePositiveNumber(*text);  // a schema version
    if (!to_version) {
      std::cerr << "slamon migrate: --to-version must be a schema version: a whole "
                   "number, 1 or more\n"
                << kUsage;
      return kExitUsage;
    }
  }
  auto path = cl.Value("config");
  auto config = LoadConfigFile(*path);
  if (!config) return kExitConfig;
  Result<std::string> connection = ConnectionString(config->database);
  if (!connection) {
    std::cerr << "slamon migrate: " << connection.error() << '\n';
    return kExitConfig;
  }
  Result<SchemaUpgrade> result = Migrate({.connection = *connection,
                                          .grant_to = cl.Value("grant-to").value_or(""),
                                          .to_version = to_version});
  if (!result) {
    std::cerr << "slamon migrate: " << result.error() << '\n';
    return kExitFailure;
  }
  if (result->applied.empty()) {
    std::cout << "schema slamon is current (version " << result->version_after << ")\n";
  } else {
    std::cout << "schema slamon migrated from version " << result->version_before
              << " to " << result->version_after << '\n';
  }
  return kExitOk;
}

}  // namespace slamon
