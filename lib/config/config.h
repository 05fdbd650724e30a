// Config: slamon's one YAML file, parsed and validated.
//
// ParseConfig turns the text of a config file into a Config, or into a list of
// errors each naming file, line and key ("slamon.yml:12: policies.default.
// severities.A.response.within: not a duration: \"4x\""). Every key has a
// default, so an empty file is a valid config. Unknown keys are errors (a typo
// must not silently fall back to a default).
//
// Pure: it reads no file and no clock; the caller reads the file (and any
// password_file) and passes the text. Time zones are looked up in the IANA
// database that date/tz reads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar_set.h"
#include "instant/instant.h"
#include "policy/policy.h"

namespace slamon {

struct DatabaseConfig {
  std::string dsn = "host=/run/postgresql dbname=tickets user=slamon";
  std::string password_file;  // empty: none
  Seconds poll_interval{5};
};

struct TlsConfig {
  std::string cert_file;
  std::string key_file;
};

struct BasicAuthConfig {
  std::string username;
  std::string password_file;
};

struct HttpConfig {
  std::string listen = "127.0.0.1:9464";
  std::optional<TlsConfig> tls;
  std::optional<BasicAuthConfig> basic_auth;
};

struct AlertingConfig {
  std::vector<std::string> alertmanagers;
  std::vector<std::string> webhooks;
  Seconds resend_interval{60};
  std::string runbook_url = "https://runbooks.example/slamon/{{alertname}}";
};

struct Config {
  CalendarSet calendars;                                // built-ins plus `calendars:`
  std::map<std::string, Policy, std::less<>> policies;  // always holds "default"
  DatabaseConfig database;
  HttpConfig http;
  AlertingConfig alerting;
};

struct ConfigError {
  std::string file;
  int line = 0;     // 1-based; 0 when the error has no line
  std::string key;  // dotted path, e.g. "policies.default.warn_at"
  std::string message;

  // "file:line: key: message"
  std::string ToString() const;
};

struct ConfigResult {
  std::optional<Config> config;     // set when errors is empty
  std::vector<ConfigError> errors;  // all errors found, in file order
};

// `file_name` is only used in error messages.
ConfigResult ParseConfig(std::string_view text, std::string_view file_name);

}  // namespace slamon
