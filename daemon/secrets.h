// The secrets `slamon run` reads at start-up from the files its config names:
// the basic auth password, the push API's credentials, and the ingest role's
// database connection (with its password file). Read once, bounded
// (files/text_file.h). An error names the config key and the file, never the
// secret; the caller logs it and exits 78 (a bad config).
#pragma once

#include <string>

#include "base/status.h"
#include "config/config.h"
#include "ingest/ingest_credentials.h"

namespace slamon {

// http.basic_auth.password_file's first line; error "http.basic_auth: F: ...".
Result<std::string> ReadBasicAuthPassword(const BasicAuthConfig& basic_auth);

// ingest.credentials_file, parsed; error "ingest: F: ...".
Result<IngestCredentials> ReadIngestCredentials(const IngestConfig& ingest);

// The connection string the push API writes with: database.* as
// ingest.database_user with ingest.database_password_file; error "ingest: ...".
Result<std::string> IngestConnectionString(const DatabaseConfig& database,
                                           const IngestConfig& ingest);

}  // namespace slamon
