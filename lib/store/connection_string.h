// The libpq connection string slamon uses: the configured `dsn` plus the
// password read from `password_file`, so a secret never sits in the config
// or on a command line. Settings the dsn leaves out fall back to libpq's
// environment (PGHOST, PGPORT, PGUSER, PGDATABASE, ...).
#pragma once

#include <optional>
#include <string>

#include "config/config.h"

namespace slamon {

// std::nullopt with `error` set when the password file cannot be read.
std::optional<std::string> ConnectionString(const DatabaseConfig& database,
                                            std::string* error);

// `value` quoted for a libpq connection string: 'it\'s'.
std::string QuoteConnectionValue(const std::string& value);

}  // namespace slamon
