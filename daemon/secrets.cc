#include "secrets.h"

#include "files/text_file.h"
#include "store/connection_string.h"

namespace slamon {

Result<std::string> ReadBasicAuthPassword(const BasicAuthConfig& basic_auth) {
  Result<std::string> password =
      ReadSecretFile(basic_auth.password_file, "basic auth password file");
  if (!password) return Status::Error("http.basic_auth: " + password.error());
  return password;
}

Result<IngestCredentials> ReadIngestCredentials(const IngestConfig& ingest) {
  Result<std::string> line =
      ReadSecretFile(ingest.credentials_file, "ingest credentials file");
  if (!line) return Status::Error("ingest: " + line.error());
  Result<IngestCredentials> credentials = IngestCredentials::Parse(*line);
  if (!credentials) {
    return Status::Error("ingest: " + ingest.credentials_file + ": " +
                         credentials.error());
  }
  return credentials;
}

Result<std::string> IngestConnectionString(const DatabaseConfig& database,
                                           const IngestConfig& ingest) {
  DatabaseConfig as_ingest = database;
  as_ingest.password_file = ingest.database_password_file;
  Result<std::string> connection = ConnectionString(as_ingest);
  if (connection)
    connection = WithSettings(*connection, {{"user", ingest.database_user}});
  if (!connection) return Status::Error("ingest: " + connection.error());
  return connection;
}

}  // namespace slamon
