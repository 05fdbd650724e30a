// The libpq connection string slamon uses: the configured `dsn` plus the
// password read from `password_file`, so a secret never sits in the config
// or on a command line. Settings the dsn leaves out fall back to libpq's
// environment (PGHOST, PGPORT, PGUSER, PGDATABASE, ...).
//
// The dsn may be a keyword string (`host=db dbname=tickets`) or a URI
// (`postgresql://user@db/tickets`). Either way it is parsed by libpq and
// written back as keywords before anything is added, because text appended
// to a URI would become part of its last component (the database name), and
// libpq would then print the password in its "database does not exist".
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "config/config.h"

namespace slamon {

using ConnectionSettings = std::vector<std::pair<std::string, std::string>>;

// An error when the password file cannot be read or the dsn cannot be
// parsed; its message never holds the dsn or the password.
Result<std::string> ConnectionString(const DatabaseConfig& database);

// `connection` (keywords or a URI) as keywords, with `settings` added; a
// setting replaces the same keyword from `connection`. An error (never
// holding the text) when `connection` does not parse.
Result<std::string> WithSettings(const std::string& connection,
                                 const ConnectionSettings& settings);

// `value` quoted for a libpq connection string: 'it\'s'.
std::string QuoteConnectionValue(const std::string& value);

}  // namespace slamon
