// Config: slamon's one YAML file, parsed and validated.
//
// ParseConfig turns the text of a config file into a Config, or into a list of
// errors each naming file, line and key ("slamon.yml:12: policies.default.
// severities.A.response.within: not a duration: \"4x\""). Every key has a
// default, so an empty file is a valid config. Unknown keys are errors (a typo
// must not silently fall back to a default).
//
// Conventions: a key with an empty value (`key:` or `key: ~`) counts as absent
// and keeps its default; a calendar or policy entry with an empty value is
// defined with all defaults. Each configured policy starts as a copy of
// BuiltinPolicy() and overrides what it mentions, down to single targets; a
// severity not in the built-in policy starts without targets. Calendar names
// used by policies are checked against the whole file (built-ins included).
// The config is only returned when there is no error at all.
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
#include "policy/rules.h"

namespace slamon {

struct DatabaseConfig {
  std::string dsn = "host=/run/postgresql dbname=tickets user=slamon";
  std::string password_file;  // empty: none
  Seconds poll_interval{5};   // > 0
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
  // host:port, port 1-65535; host a name, an IPv4 address, a bracketed IPv6
  // address ("[::1]:9464") or empty (":9464": every interface).
  std::string listen = "127.0.0.1:9464";
  std::optional<TlsConfig> tls;
  std::optional<BasicAuthConfig> basic_auth;
  int max_connections = 512;  // open connections at most, 1-65536
};

// An Alertmanager or webhook: `- URL` or `- {url: URL, name: NAME}` in the
// file. Metrics and logs name it by `name`, or by scheme://host:port when it
// has none: a URL's path and query may hold a token.
struct ReceiverConfig {
  ReceiverConfig() = default;
  ReceiverConfig(std::string url_text) : url(std::move(url_text)) {}  // NOLINT
  ReceiverConfig(const char* url_text) : url(url_text) {}             // NOLINT
  ReceiverConfig(std::string url_text, std::string label)
      : url(std::move(url_text)), name(std::move(label)) {}
  bool operator==(const ReceiverConfig&) const = default;

  std::string url;   // http:// or https://, no user info
  std::string name;  // "" when none was configured
};

struct AlertingConfig {
  std::vector<ReceiverConfig> alertmanagers;  // base URLs
  std::vector<ReceiverConfig> webhooks;       // full URLs
  Seconds resend_interval{60};
  int max_ticket_alerts = 1000;  // per-ticket alerts sent one by one; the rest fold
  std::string ca_file;           // PEM CA bundle for https receivers; "": the system's
  // http:// or https://; "" in the file: alerts carry no runbook link.
  std::string runbook_url = "https://runbooks.example/slamon/{{alertname}}";
  double quota_warning_share = 0.8;  // QuotaNearlyExhausted at used/limit >= this, (0, 1)
  Seconds certification_warning{30 * 86400};  // CertificationLapsing this long ahead, > 0
};

// `ingest:` — POST /api/v1/events on the HTTP server (docs/help-desks.md).
struct IngestConfig {
  bool enabled = false;
  std::string credentials_file;      // required when enabled
  int max_body_bytes = 1024 * 1024;  // 1 KiB to 64 MiB
  // The role the writes connect as (database.dsn otherwise), and its password.
  std::string database_user = "slamon_ingest";
  std::string database_password_file;  // empty: none (peer, trust, .pgpass)
};

struct Config {
  Rules rules;  // calendars (built-ins plus `calendars:`) and policies
  DatabaseConfig database;
  HttpConfig http;
  AlertingConfig alerting;
  IngestConfig ingest;
};

struct ConfigError {
  std::string file;
  int line = 0;     // 1-based; 0 when the error has no line
  std::string key;  // dotted path, e.g. "policies.default.warn_at"
  std::string message;

  // "file:line: key: message"
  std::string ToString() const;
};

// [[nodiscard]]: a caller must look at `errors` (the other error values are
// Status and Result<T>, base/status.h; a config has many errors, not one).
struct [[nodiscard]] ConfigResult {
  std::optional<Config> config;     // set when errors is empty
  std::vector<ConfigError> errors;  // all errors found, in file order
};

// `file_name` is only used in error messages.
ConfigResult ParseConfig(std::string_view text, std::string_view file_name);

}  // namespace slamon
