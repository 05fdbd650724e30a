// The secrets `slamon run` reads at start-up from the files its config names:
// the basic auth password, the push API's credentials, and the ingest role's
// database connection (with its password file). Read once, bounded
// (files/text_file.h). An error names the config key and the file, never the
// secret; the caller logs it and exits 78 (a bad config).
#pragma once

#include <optional>
#include <string>

#include "config/config.h"
#include "ingest/ingest_credentials.h"

namespace slamon {

// http.basic_auth.password_file's first line; error "http.basic_auth: F: ...".
std::optional<std::string> ReadBasicAuthPassword(const BasicAuthConfig& basic_auth,
                                                 std::string* error);

// ingest.credentials_file, parsed; error "ingest: F: ...".
std::optional<IngestCredentials> ReadIngestCredentials(const IngestConfig& ingest,
                                                       std::string* error);

// The connection string the push API writes with: database.* as
// ingest.database_user with ingest.database_password_file; error "ingest: ...".
std::optional<std::string> IngestConnectionString(const DatabaseConfig& database,
                                                  const IngestConfig& ingest,
                                                  std::string* error);

}  // namespace slamon
