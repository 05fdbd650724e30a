#include "store/connection_string.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "files/text_file.h"

namespace slamon {
namespace {

// libpq's parse error with every quoted part removed: it quotes the
// offending piece of the dsn, which may be a password.
std::string WithoutQuotedParts(const char* message) {
  std::string text;
  bool quoted = false;
  for (const char* p = message; *p != '\0'; ++p) {
    if (*p == '"') {
      if (!quoted) text += "\"...\"";
      quoted = !quoted;
    } else if (!quoted && *p != '\n') {
      text += *p;
    }
  }
  return text;
}

}  // namespace

std::string QuoteConnectionValue(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

Result<std::string> WithSettings(const std::string& connection,
                                 const ConnectionSettings& settings) {
  char* message = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(connection.c_str(), &message), &PQconninfoFree);
  if (!options) {
    std::string error = "database.dsn is not a valid connection string or URI";
    if (message != nullptr) {
      error += ": " + WithoutQuotedParts(message);
      PQfreemem(message);
    }
    return Status::Error(std::move(error));
  }
  std::string text;
  auto add = [&text](const std::string& keyword, const std::string& value) {
    if (!text.empty()) text += ' ';
    text += keyword + '=' + QuoteConnectionValue(value);
  };
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr;
       ++option) {
    if (option->val == nullptr) continue;
    bool replaced = std::any_of(settings.begin(), settings.end(), [&](const auto& s) {
      return s.first == option->keyword;
    });
    if (!replaced) add(option->keyword, option->val);
  }
  for (const auto& [keyword, value] : settings) add(keyword, value);
  return text;
}

Result<std::string> ConnectionString(const DatabaseConfig& database) {
  ConnectionSettings settings;
  if (!database.password_file.empty()) {
    Result<std::string> password =
        ReadSecretFile(database.password_file, "database password file");
    if (!password) return password.status();
    settings.emplace_back("password", *password);
  }
  return WithSettings(database.dsn, settings);
}

}  // namespace slamon
