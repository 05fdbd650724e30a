#include "store/connection_string.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace slamon {

std::string QuoteConnectionValue(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

std::optional<std::string> ConnectionString(const DatabaseConfig& database,
                                            std::string* error) {
  std::string connection = database.dsn;
  if (database.password_file.empty()) return connection;
  std::ifstream file(database.password_file);
  if (!file) {
    *error = database.password_file +
             ": cannot read database password file: " + std::strerror(errno);
    return std::nullopt;
  }
  std::stringstream text;
  text << file.rdbuf();
  std::string password = text.str();
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
    password.pop_back();
  }
  if (!connection.empty()) connection += ' ';
  return connection + "password=" + QuoteConnectionValue(password);
}

}  // namespace slamon
