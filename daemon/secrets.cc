#include "secrets.h"

#include "files/text_file.h"
#include "store/connection_string.h"

namespace slamon {

std::optional<std::string> ReadBasicAuthPassword(const BasicAuthConfig& basic_auth,
                                                 std::string* error) {
  auto password =
      ReadSecretFile(basic_auth.password_file, "basic auth password file", error);
  if (!password) *error = "http.basic_auth: " + *error;
  return password;
}

std::optional<IngestCredentials> ReadIngestCredentials(const IngestConfig& ingest,
                                                       std::string* error) {
  auto line = ReadSecretFile(ingest.credentials_file, "ingest credentials file", error);
  if (!line) {
    *error = "ingest: " + *error;
    return std::nullopt;
  }
  auto credentials = IngestCredentials::Parse(*line, error);
  if (!credentials) *error = "ingest: " + ingest.credentials_file + ": " + *error;
  return credentials;
}

std::optional<std::string> IngestConnectionString(const DatabaseConfig& database,
                                                  const IngestConfig& ingest,
                                                  std::string* error) {
  DatabaseConfig as_ingest = database;
  as_ingest.password_file = ingest.database_password_file;
  auto connection = ConnectionString(as_ingest, error);
  if (connection) {
    connection = WithSettings(*connection, {{"user", ingest.database_user}}, error);
  }
  if (!connection) *error = "ingest: " + *error;
  return connection;
}

}  // namespace slamon
