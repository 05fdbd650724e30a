// Config parsing: every YAML text is in the test body. Each text starts on the
// line after R"( and line numbers in the expectations count from there.
#include "config/config.h"

#include <catch2/catch.hpp>

#include "test_time.h"

using namespace slamon;
using Catch::Matchers::Contains;
using slamon::testing::At;
using slamon::testing::D;
using slamon::testing::H;

namespace {

// Drops the newline right after R"( so that line 1 is the first line of YAML.
std::string_view Yaml(std::string_view text) {
  if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
  return text;
}

Config Valid(std::string_view text) {
  ConfigResult result = ParseConfig(Yaml(text), "slamon.yml");
  for (const auto& error : result.errors) UNSCOPED_INFO(error.ToString());
  REQUIRE(result.errors.empty());
  REQUIRE(result.config.has_value());
  return std::move(*result.config);
}

std::vector<ConfigError> Errors(std::string_view text) {
  ConfigResult result = ParseConfig(Yaml(text), "slamon.yml");
  CHECK_FALSE(result.config.has_value());
  for (const auto& error : result.errors) UNSCOPED_INFO(error.ToString());
  return result.errors;
}

// The one error a text must produce.
ConfigError OnlyError(std::string_view text) {
  std::vector<ConfigError> errors = Errors(text);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file == "slamon.yml");
  return errors[0];
}

const TargetSpec& Target(const Config& config, std::string_view policy,
                         std::string_view severity, TargetName target) {
  auto found = config.rules.policies.find(policy);
  REQUIRE(found != config.rules.policies.end());
  const SeverityTargets* targets = found->second.Find(severity);
  REQUIRE(targets != nullptr);
  return (*targets)[target];
}

}  // namespace

TEST_CASE("An empty file is a valid config: built-in policy, calendars and defaults") {
  for (std::string_view text : {"", "# nothing configured yet\n\n# really\n"}) {
    Config config = Valid(text);
    REQUIRE(config.rules.policies.size() == 1);
    const Policy& policy = config.rules.policies.at("default");
    CHECK(policy.name == "default");
    CHECK(policy.reclassification == Reclassification::kRetroactive);
    CHECK(policy.warn_at == std::vector<double>{0.75});
    CHECK(Target(config, "default", "A", TargetName::kResponse).within == H(4));
    CHECK(Target(config, "default", "A", TargetName::kResolution).calendar ==
          "business-days");
    CHECK(Target(config, "default", "D", TargetName::kResolution).kind ==
          TargetKind::kNextRelease);
    CHECK(policy.quota.unlimited_for == D(30));
    CHECK(config.rules.calendars.Contains("24x7"));
    CHECK(config.rules.calendars.Contains("business-days"));
    CHECK(config.database.poll_interval == Seconds{5});
    CHECK(config.http.listen == "127.0.0.1:9464");
    CHECK_FALSE(config.http.tls.has_value());
    CHECK(config.alerting.resend_interval == Seconds{60});
  }
}

TEST_CASE("The example of docs/design.md §4 parses") {
  Config config = Valid(R"(
calendars:
  office-berlin:
    timezone: Europe/Berlin
    hours:                        # weekday -> list of "HH:MM-HH:MM", end exclusive
      mon: ["08:00-13:00", "14:00-18:00"]
      fri: ["08:00-13:00", "14:00-18:00"]   # a weekday not listed is closed
    holidays: ["2016-11-01", "12-25"]       # YYYY-MM-DD once, MM-DD every year
policies:
  default:                        # replaces the built-in policy of section 1
    reclassification: retroactive # or: restart
    warn_at: [0.75]
    severities:
      A:
        response:   {within: 4h}                      # calendar defaults to 24x7
        workaround: {within: 1d, pausable: true}
        resolution: {within: 15d, calendar: business-days, pausable: true}
      D:
        response:   {within: 24h}
        workaround: none
        resolution: next-release
database:
  dsn: "host=/run/postgresql dbname=tickets user=slamon"   # libpq connection string
  password_file: /etc/slamon/db-password                   # optional
  poll_interval: 5s                                         # fallback when no NOTIFY arrives
http:
  listen: "127.0.0.1:9464"
  tls: {cert_file: /etc/slamon/tls.crt, key_file: /etc/slamon/tls.key}
  basic_auth: {username: prometheus, password_file: /etc/slamon/http-password}
alerting:
  alertmanagers: ["http://127.0.0.1:9093"]
  webhooks: []
  resend_interval: 1m
  runbook_url: "https://runbooks.example/slamon/{{alertname}}"
)");

  const TargetSpec& a_response = Target(config, "default", "A", TargetName::kResponse);
  CHECK(a_response.kind == TargetKind::kBudget);
  CHECK(a_response.within == H(4));
  CHECK(a_response.calendar == "24x7");
  CHECK_FALSE(a_response.pausable);
  const TargetSpec& a_resolution =
      Target(config, "default", "A", TargetName::kResolution);
  CHECK(a_resolution.days == 15);  // working days (docs/design.md §2)
  CHECK(a_resolution.within == Seconds{0});
  CHECK(a_resolution.calendar == "business-days");
  CHECK(a_resolution.pausable);
  CHECK(Target(config, "default", "D", TargetName::kWorkaround).kind ==
        TargetKind::kNone);
  CHECK(Target(config, "default", "D", TargetName::kResolution).kind ==
        TargetKind::kNextRelease);
  // B and C are not mentioned: they keep the built-in targets.
  CHECK(Target(config, "default", "B", TargetName::kWorkaround).days == 2);
  CHECK(Target(config, "default", "C", TargetName::kResolution).days == 30);

  // office-berlin has its own zone, whatever the partner's.
  const Calendar* office =
      config.rules.calendars.Resolve("office-berlin", date::locate_zone("UTC"));
  REQUIRE(office != nullptr);
  CHECK(office->zone()->name() == "Europe/Berlin");
  // Mon 2026-11-09 08:00-13:00 CET = 07:00Z-12:00Z is working; lunch is not.
  CHECK(office->WorkingTime(At("2026-11-09T07:00:00Z"), At("2026-11-09T12:00:00Z")) ==
        H(5));
  CHECK(office->WorkingTime(At("2026-11-09T07:00:00Z"), At("2026-11-09T17:00:00Z")) ==
        H(9));
  // Tuesday is not listed: closed. Fri 2026-12-25 is a recurring holiday.
  CHECK(office->WorkingTime(At("2026-11-10T00:00:00Z"), At("2026-11-11T00:00:00Z")) ==
        H(0));
  CHECK(office->WorkingTime(At("2026-12-25T00:00:00Z"), At("2026-12-26T00:00:00Z")) ==
        H(0));

  CHECK(config.database.dsn == "host=/run/postgresql dbname=tickets user=slamon");
  CHECK(config.database.password_file == "/etc/slamon/db-password");
  REQUIRE(config.http.tls.has_value());
  CHECK(config.http.tls->key_file == "/etc/slamon/tls.key");
  REQUIRE(config.http.basic_auth.has_value());
  CHECK(config.http.basic_auth->username == "prometheus");
  CHECK(config.alerting.alertmanagers ==
        std::vector<ReceiverConfig>{{"http://127.0.0.1:9093"}});
  CHECK(config.alerting.webhooks.empty());
  CHECK(config.alerting.resend_interval == Seconds{60});
}

TEST_CASE("A configured policy overrides only the parts it mentions") {
  Config config = Valid(R"(
policies:
  gold:
    reclassification: restart
    warn_at: [0.5, 0.9]
    severities:
      A:
        response: {within: 1h30m, calendar: support-hours, pausable: true}
      E:
        resolution: {within: 2w}
    quota: {unlimited_for: 0, yearly_incidents: 50}
    certification: {valid_for_months: 24, min_certified_employees: 1}
    versions: {supported_releases: 2, clocks_when_unsupported: yes}
calendars:                        # defined after the policy that uses it
  support-hours:
    hours: {sat: ["09:00-12:00"]}
)");
  REQUIRE(config.rules.policies.count("default") == 1);  // still the built-in
  const Policy& gold = config.rules.policies.at("gold");
  CHECK(gold.name == "gold");
  CHECK(gold.reclassification == Reclassification::kRestart);
  CHECK(gold.warn_at == std::vector<double>{0.5, 0.9});
  const TargetSpec& response = Target(config, "gold", "A", TargetName::kResponse);
  CHECK(response.within == Seconds{5400});
  CHECK(response.calendar == "support-hours");
  CHECK(response.pausable);
  CHECK(Target(config, "gold", "A", TargetName::kWorkaround).days == 1);  // built-in
  // A new severity starts without targets; an unset pausable defaults per target.
  CHECK(Target(config, "gold", "E", TargetName::kResponse).kind == TargetKind::kNone);
  CHECK(Target(config, "gold", "E", TargetName::kResolution).days == 14);
  CHECK(Target(config, "gold", "E", TargetName::kResolution).pausable);
  CHECK(gold.quota.unlimited_for == Seconds{0});
  CHECK(gold.quota.first_year_incidents == 20);
  CHECK(gold.quota.yearly_incidents == 50);
  CHECK(gold.certification.valid_for_months == 24);
  CHECK(gold.versions.supported_releases == 2);
  CHECK(gold.versions.upgrade_within_months == 6);
  CHECK(gold.versions.clocks_when_unsupported);

  // A calendar without timezone takes the partner's.
  const date::time_zone* tokyo = date::locate_zone("Asia/Tokyo");
  const Calendar* support = config.rules.calendars.Resolve("support-hours", tokyo);
  REQUIRE(support != nullptr);
  CHECK(support->zone() == tokyo);
  // Sat 2026-11-07 09:00-12:00 JST = 00:00Z-03:00Z.
  CHECK(support->WorkingTime(At("2026-11-07T00:00:00Z"), At("2026-11-08T00:00:00Z")) ==
        H(3));
}

TEST_CASE("Calendars: default hours, built-in names may be redefined") {
  Config config = Valid(R"(
calendars:
  plain: {timezone: UTC}          # no hours: Mon-Fri whole days
  business-days:
    hours:
      mon: ["00:00-12:00", "12:00-24:00"]   # touching intervals are fine
      tue: ["09:00-17:00"]
)");
  const Calendar* plain = config.rules.calendars.Resolve("plain", nullptr);
  REQUIRE(plain != nullptr);
  // Fri 2026-11-06 counts, Sat 07 does not.
  CHECK(plain->WorkingTime(At("2026-11-06T00:00:00Z"), At("2026-11-08T00:00:00Z")) ==
        H(24));
  const Calendar* business = config.rules.calendars.Resolve("business-days", nullptr);
  REQUIRE(business != nullptr);
  CHECK(business->WorkingTime(At("2026-11-09T00:00:00Z"), At("2026-11-16T00:00:00Z")) ==
        H(32));
}

TEST_CASE("ConfigError::ToString is file:line: key: message") {
  CHECK(ConfigError{"slamon.yml", 12, "http.listen", "bad"}.ToString() ==
        "slamon.yml:12: http.listen: bad");
  CHECK(ConfigError{"slamon.yml", 0, "", "bad"}.ToString() == "slamon.yml: bad");
}

TEST_CASE("Unknown keys are errors, at any depth") {
  ConfigError top = OnlyError(R"(
databse:
  dsn: x
)");
  CHECK(top.ToString() ==
        "slamon.yml:1: databse: unknown key (expected one of: calendars, "
        "policies, database, http, alerting, ingest)");

  ConfigError deep = OnlyError(R"(
policies:
  default:
    severities:
      A:
        respones: {within: 4h}
)");
  CHECK(deep.line == 5);
  CHECK(deep.key == "policies.default.severities.A.respones");
  CHECK_THAT(deep.ToString(),
             Contains("unknown key (expected one of: response, workaround"));
}

TEST_CASE("Duplicate keys are errors") {
  ConfigError error = OnlyError(R"(
http:
  listen: ":9464"
  listen: ":9465"
)");
  CHECK(error.ToString() ==
        "slamon.yml:3: http.listen: duplicate key (first set on line 2)");
}

TEST_CASE("Type errors say what was expected") {
  CHECK(OnlyError(R"(
http:
  listen: {host: localhost}
)")
            .ToString() == "slamon.yml:2: http.listen: expected a string, got a map");

  ConfigError pausable = OnlyError(R"(
policies:
  default:
    severities:
      A:
        workaround: {within: 1d, pausable: maybe}
)");
  CHECK(pausable.ToString() ==
        "slamon.yml:5: policies.default.severities.A.workaround.pausable: "
        "expected true or false, got \"maybe\"");

  ConfigError warn_at = OnlyError(R"(
policies:
  default:
    warn_at: 0.5
)");
  CHECK(warn_at.line == 3);
  CHECK(warn_at.key == "policies.default.warn_at");
  CHECK_THAT(warn_at.message,
             Contains("expected a list of fractions") && Contains("\"0.5\""));

  ConfigError target = OnlyError(R"(
policies:
  default:
    severities:
      B: {response: 4h}
)");
  CHECK(target.key == "policies.default.severities.B.response");
  CHECK_THAT(target.message, Contains("expected none, next-release or a map") &&
                                 Contains("write {within: 4h}"));

  ConfigError section = OnlyError(R"(
alerting: [http://am:9093]
)");
  CHECK(section.ToString() ==
        "slamon.yml:1: alerting: expected a map of keys, got a list");

  ConfigError count = OnlyError(R"(
policies:
  default:
    quota: {yearly_incidents: 2.5}
)");
  CHECK(count.ToString() ==
        "slamon.yml:3: policies.default.quota.yearly_incidents: "
        "expected an integer, got \"2.5\"");
}

TEST_CASE("YAML syntax errors are reported with their line") {
  ConfigError error = OnlyError(R"(
http:
  alerting: [http://a
database: {}
)");
  CHECK(error.line == 3);
  CHECK(error.key.empty());
  CHECK_THAT(error.ToString(), Contains("slamon.yml:3: YAML syntax error: "));
}

TEST_CASE("Durations must parse and be positive") {
  ConfigError bad = OnlyError(R"(
policies:
  default:
    severities:
      A:
        response: {within: 4x}
)");
  CHECK(bad.line == 5);
  CHECK(bad.key == "policies.default.severities.A.response.within");
  CHECK_THAT(bad.ToString(), Contains("not a duration: \"4x\""));

  ConfigError zero = OnlyError(R"(
database:
  poll_interval: 0s
)");
  CHECK(zero.ToString() ==
        "slamon.yml:2: database.poll_interval: zero duration \"0s\": must be greater "
        "than 0");

  ConfigError negative = OnlyError(R"(
policies:
  default:
    severities:
      C:
        resolution:
          within: -30d
)");
  CHECK(negative.ToString() ==
        "slamon.yml:6: policies.default.severities.C.resolution.within: "
        "negative duration \"-30d\": must be 0 or more");

  ConfigError missing = OnlyError(R"(
policies:
  default:
    severities:
      C:
        resolution: {calendar: business-days}
)");
  CHECK(missing.key == "policies.default.severities.C.resolution");
  CHECK_THAT(missing.message, Contains("within is required"));
}

TEST_CASE("A budget keeps its days apart from its hours, and may be zero") {
  // docs/design.md §2: `d` counts working days, h/m/s working time; y and w are
  // 365 and 7 days, as in Prometheus's syntax; a budget of 0 is valid.
  Config config = Valid(R"(
policies:
  default:
    severities:
      A:
        response: {within: 0}
        workaround: {within: 1d12h}
        resolution: {within: 2w1d, calendar: business-days}
      B:
        response: {within: 0s}
        workaround: {within: 36h}
)");
  const TargetSpec& zero = Target(config, "default", "A", TargetName::kResponse);
  CHECK(zero.kind == TargetKind::kBudget);
  CHECK(zero.days == 0);
  CHECK(zero.within == Seconds{0});
  const TargetSpec& mixed = Target(config, "default", "A", TargetName::kWorkaround);
  CHECK(mixed.days == 1);
  CHECK(mixed.within == H(12));
  CHECK(Target(config, "default", "A", TargetName::kResolution).days == 15);  // 14 + 1
  CHECK(Target(config, "default", "B", TargetName::kResponse).within == Seconds{0});
  const TargetSpec& hours = Target(config, "default", "B", TargetName::kWorkaround);
  CHECK(hours.days == 0);  // 36h stays working time, not 1.5 days
  CHECK(hours.within == H(36));

  ConfigError too_long = OnlyError(R"(
policies:
  default:
    severities:
      C:
        resolution: {within: 101y}
)");
  CHECK(too_long.key == "policies.default.severities.C.resolution.within");
  CHECK(too_long.message == "budget of 36865 days is too long (at most 36600 days)");
}

TEST_CASE("A policy must name a defined calendar") {
  ConfigError error = OnlyError(R"(
calendars:
  office-berlin: {timezone: Europe/Berlin}
policies:
  default:
    severities:
      A:
        resolution: {within: 15d, calendar: office-paris}
)");
  CHECK(error.line == 7);
  CHECK(error.key == "policies.default.severities.A.resolution.calendar");
  CHECK_THAT(error.message, Contains("unknown calendar \"office-paris\""));
}

TEST_CASE("Calendar time zones must exist") {
  ConfigError error = OnlyError(R"(
calendars:
  office-berlin:
    timezone: Europe/Berln
)");
  CHECK(error.ToString() ==
        "slamon.yml:3: calendars.office-berlin.timezone: unknown time zone "
        "\"Europe/Berln\" (expected an IANA name such as Europe/Berlin or UTC)");
}

TEST_CASE("Working intervals must be HH:MM-HH:MM within one day, without overlap") {
  ConfigError backwards = OnlyError(R"(
calendars:
  night-shift:
    hours:
      mon: ["18:00-08:00"]
)");
  CHECK(backwards.line == 4);
  CHECK(backwards.key == "calendars.night-shift.hours.mon[0]");
  CHECK_THAT(backwards.message, Contains("\"18:00-08:00\" must end after it starts"));

  std::vector<ConfigError> errors = Errors(R"(
calendars:
  office:
    hours:
      mon:
        - "08:00-13:00"
        - "12:00-18:00"
      tue: ["08:60-12:00", "9-17", "24:00-24:00", "00:00-24:30"]
      wed: "08:00-17:00"
      sunday: ["10:00-12:00"]
)");
  REQUIRE(errors.size() == 7);
  CHECK(errors[0].ToString() ==
        "slamon.yml:6: calendars.office.hours.mon[1]: interval \"12:00-18:00\" overlaps "
        "\"08:00-13:00\"");
  CHECK(errors[1].key == "calendars.office.hours.tue[0]");
  CHECK_THAT(errors[1].message, Contains("not an interval: \"08:60-12:00\""));
  CHECK(errors[2].key == "calendars.office.hours.tue[1]");
  CHECK(errors[3].key == "calendars.office.hours.tue[2]");
  CHECK(errors[4].key == "calendars.office.hours.tue[3]");
  CHECK(errors[5].ToString() ==
        "slamon.yml:8: calendars.office.hours.wed: expected a list of "
        "intervals such as \"08:00-13:00\", got \"08:00-17:00\"");
  CHECK(errors[6].line == 9);
  CHECK(errors[6].key == "calendars.office.hours.sunday");

  ConfigError closed = OnlyError(R"(
calendars:
  never: {hours: {}}
)");
  CHECK(closed.key == "calendars.never.hours");
  CHECK_THAT(closed.message, Contains("no working hours"));
}

TEST_CASE("Holidays must be real dates") {
  ConfigError error = OnlyError(R"(
calendars:
  office-berlin:
    holidays:
      - 2026-01-01
      - 2026-02-30
      - 02-29
)");
  CHECK(
      error.ToString() ==
      "slamon.yml:5: calendars.office-berlin.holidays[1]: not a holiday: \"2026-02-30\" "
      "(expected a valid date, \"YYYY-MM-DD\" once or \"MM-DD\" every year)");
  CHECK(OnlyError(R"(
calendars:
  x: {holidays: ["13-01"]}
)")
            .key == "calendars.x.holidays[0]");
}

TEST_CASE("warn_at holds ascending fractions between 0 and 1") {
  ConfigError range = OnlyError(R"(
policies:
  default:
    warn_at: [0.5, 1.5]
)");
  CHECK(range.ToString() ==
        "slamon.yml:3: policies.default.warn_at[1]: must be between 0 and 1 "
        "(exclusive), got 1.5");
  ConfigError order = OnlyError(R"(
policies:
  default:
    warn_at:
      - 0.9
      - 0.5
)");
  CHECK(order.line == 5);
  CHECK(order.key == "policies.default.warn_at[1]");
  CHECK(Valid("policies: {default: {warn_at: []}}")
            .rules.policies.at("default")
            .warn_at.empty());
}

TEST_CASE("reclassification is retroactive or restart") {
  ConfigError error = OnlyError(R"(
policies:
  default:
    reclassification: sometimes
)");
  CHECK(error.ToString() ==
        "slamon.yml:3: policies.default.reclassification: expected "
        "retroactive or restart, got \"sometimes\"");
}

TEST_CASE("http.listen is host:port with a port from 1 to 65535") {
  for (std::string_view listen : {"0.0.0.0:9464", ":9464", "[::1]:9464", "localhost:1"}) {
    INFO(listen);
    CHECK(Valid("http: {listen: \"" + std::string(listen) + "\"}").http.listen == listen);
  }
  ConfigError no_port = OnlyError(R"(
http:
  listen: localhost
)");
  CHECK(no_port.ToString() ==
        "slamon.yml:2: http.listen: bad listen address \"localhost\": expected "
        "host:port, e.g. "
        "\"127.0.0.1:9464\", \"[::1]:9464\" or \":9464\"");
  ConfigError range = OnlyError(R"(
http:
  listen: "127.0.0.1:70000"
)");
  CHECK(range.line == 2);
  CHECK_THAT(range.message, Contains("port must be between 1 and 65535"));
  CHECK_THAT(OnlyError("http: {listen: \"::1:9464\"}").message, Contains("in brackets"));
}

TEST_CASE("TLS, basic auth and receiver URLs are checked") {
  std::vector<ConfigError> errors = Errors(R"(
http:
  tls: {cert_file: /etc/slamon/tls.crt}
  basic_auth:
    username: prometheus
alerting:
  alertmanagers:
    - http://am1:9093
    - am2:9093
  webhooks: https://hooks.example/slamon
  resend_interval: 0
)");
  REQUIRE(errors.size() == 5);
  CHECK(errors[0].ToString() == "slamon.yml:2: http.tls: missing key_file");
  CHECK(errors[1].ToString() == "slamon.yml:3: http.basic_auth: missing password_file");
  CHECK(errors[2].ToString() ==
        "slamon.yml:8: alerting.alertmanagers[1]: not an http(s) URL "
        "(expected it to start with http:// or https://)");
  CHECK(errors[3].key == "alerting.webhooks");
  CHECK_THAT(errors[3].message, Contains("expected a list of URLs"));
  CHECK(errors[4].key == "alerting.resend_interval");

  CHECK(Valid("alerting: {runbook_url: \"\"}").alerting.runbook_url.empty());
  CHECK(OnlyError("alerting: {runbook_url: runbooks.example}").key ==
        "alerting.runbook_url");
}

TEST_CASE("Receivers may be named; user info is refused without repeating the URL") {
  Config config = Valid(R"(
alerting:
  alertmanagers:
    - http://am1:9093
    - {url: "https://am2:9093", name: am-two}
  webhooks:
    - {url: "https://hooks.example/services/T0/B0/S3CRET", name: chat}
  ca_file: /etc/slamon/private-ca.pem
  max_ticket_alerts: 5
)");
  CHECK(config.alerting.max_ticket_alerts == 5);
  CHECK(Valid("").alerting.max_ticket_alerts == 1000);
  CHECK(config.alerting.alertmanagers ==
        std::vector<ReceiverConfig>{{"http://am1:9093"}, {"https://am2:9093", "am-two"}});
  CHECK(config.alerting.webhooks ==
        std::vector<ReceiverConfig>{
            {"https://hooks.example/services/T0/B0/S3CRET", "chat"}});
  CHECK(config.alerting.ca_file == "/etc/slamon/private-ca.pem");

  std::vector<ConfigError> errors = Errors(R"(
alerting:
  alertmanagers:
    - "http://admin:S3cr3t@am1:9093"
    - {url: "http://am2:9093", name: "bad name{}"}
    - {name: nameless}
  runbook_url: "https://u:S3cr3t@runbooks.example/"
)");
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].ToString() ==
        "slamon.yml:3: alerting.alertmanagers[0]: user info (user:password@) is not "
        "allowed in the URL");
  CHECK(errors[1].key == "alerting.alertmanagers[1].name");
  CHECK(errors[2].ToString() == "slamon.yml:5: alerting.alertmanagers[2]: missing url");
  CHECK(errors[3].key == "alerting.runbook_url");
  for (const auto& error : errors) CHECK_THAT(error.ToString(), !Contains("S3cr3t"));
}

TEST_CASE("All errors are collected, in file order") {
  std::vector<ConfigError> errors = Errors(R"(
policies:
  default:
    reclassification: later
    severities:
      A:
        response: {within: 4h, calendar: office}
        resolution: {within: 1.5d}
calendars:
  office:
    timezone: Mars/Olympus
  lab:
    holidays: ["2026-13-01"]
database:
  poll_interval: soon
http:
  listen: "127.0.0.1:0"
colour: blue
)");
  std::vector<std::string> shown;
  for (const auto& error : errors)
    shown.push_back(error.file + ":" + std::to_string(error.line) + ": " + error.key);
  CHECK(shown == std::vector<std::string>{
                     "slamon.yml:3: policies.default.reclassification",
                     "slamon.yml:7: policies.default.severities.A.resolution.within",
                     "slamon.yml:10: calendars.office.timezone",
                     "slamon.yml:12: calendars.lab.holidays[0]",
                     "slamon.yml:14: database.poll_interval",
                     "slamon.yml:16: http.listen",
                     "slamon.yml:17: colour",
                 });
}

TEST_CASE("An unknown calendar found after parsing takes its place in file order") {
  std::vector<ConfigError> errors = Errors(R"(
policies:
  default:
    severities:
      A:
        response: {within: 4h, calendar: nowhere}
database:
  poll_interval: -5s
)");
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].key == "policies.default.severities.A.response.calendar");
  CHECK(errors[1].key == "database.poll_interval");
}

TEST_CASE("Alerting thresholds: quota warning share and certification warning") {
  ConfigResult result = ParseConfig(R"(
alerting:
  quota_warning_share: 0.9
  certification_warning: 14d
)",
                                    "slamon.yml");
  REQUIRE(result.config);
  CHECK(result.config->alerting.quota_warning_share == 0.9);
  CHECK(result.config->alerting.certification_warning == Seconds{14 * 86400});
  ConfigResult defaults = ParseConfig("", "slamon.yml");
  REQUIRE(defaults.config);
  CHECK(defaults.config->alerting.quota_warning_share == 0.8);
  CHECK(defaults.config->alerting.certification_warning == Seconds{30 * 86400});

  CHECK(OnlyError(R"(
alerting:
  quota_warning_share: 1.5
)")
            .ToString() ==
        "slamon.yml:2: alerting.quota_warning_share: must be between 0 and 1 "
        "(exclusive), got 1.5");
  CHECK_THAT(OnlyError(R"(
alerting:
  certification_warning: 0s
)")
                 .ToString(),
             Catch::StartsWith("slamon.yml:2: alerting.certification_warning: "));
}

TEST_CASE("ingest: off by default; credentials required when on; bounded body") {
  const Config plain = Valid("");
  CHECK_FALSE(plain.ingest.enabled);
  CHECK(plain.ingest.max_body_bytes == 1048576);
  CHECK(plain.ingest.database_user == "slamon_ingest");
  CHECK(plain.ingest.database_password_file.empty());

  const Config on = Valid(R"(
ingest:
  enabled: true
  credentials_file: /etc/slamon/ingest-credentials
  max_body_bytes: 2048
  database_user: zendesk_feed
  database_password_file: /etc/slamon/ingest-db-password
)");
  CHECK(on.ingest.enabled);
  CHECK(on.ingest.credentials_file == "/etc/slamon/ingest-credentials");
  CHECK(on.ingest.max_body_bytes == 2048);
  CHECK(on.ingest.database_user == "zendesk_feed");
  CHECK(on.ingest.database_password_file == "/etc/slamon/ingest-db-password");

  // A missing key is reported at its section, as for http.tls.
  CHECK(OnlyError("ingest:\n  enabled: true\n").ToString() ==
        "slamon.yml:1: ingest: missing credentials_file (needed when enabled)");
  // Off, the file may be left out.
  CHECK(Valid("ingest:\n  enabled: false\n").ingest.credentials_file.empty());
  // 1024 bytes to 64 MiB (67108864).
  CHECK(Valid("ingest:\n  max_body_bytes: 1024\n").ingest.max_body_bytes == 1024);
  CHECK(OnlyError("ingest:\n  max_body_bytes: 1023\n").key == "ingest.max_body_bytes");
  CHECK_THAT(OnlyError("ingest:\n  max_body_bytes: 67108865\n").ToString(),
             Contains("must be at most 67108864"));
  CHECK(OnlyError("ingest:\n  database_user: \"\"\n").ToString() ==
        "slamon.yml:1: ingest: database_user must not be empty");
  CHECK_THAT(OnlyError("ingest:\n  enable: true\n").ToString(),
             Contains("unknown key (expected one of: enabled, credentials_file"));
}
