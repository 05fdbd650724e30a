// The readers of each top-level section of the config file.
//
// Each reads one Field into its part of Config, reporting every problem to the
// YamlReader and leaving defaults in place of bad values. Nothing here reads a
// file or the clock. Checks that span sections (a policy naming a calendar
// defined further down) are left to ParseConfig, which sees the whole file:
// ReadPolicies records each calendar name it meets as a CalendarReference.
//
// Internal to lib/config.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "calendar/calendar_set.h"
#include "config/config.h"
#include "config/yaml_reader.h"
#include "policy/policy.h"

namespace slamon::config_internal {

// A calendar named by a policy target, and where.
struct CalendarReference {
  std::string name;
  int line = 0;
  std::string key;
};

// `calendars:` — defines each entry into `calendars`.
void ReadCalendars(const Field& field, YamlReader& reader, CalendarSet* calendars);

// `policies:` — each entry starts as BuiltinPolicy() named after its key.
void ReadPolicies(const Field& field, YamlReader& reader,
                  std::map<std::string, Policy, std::less<>>* policies,
                  std::vector<CalendarReference>* references);

// `database:`, `http:`, `alerting:`.
void ReadDatabase(const Field& field, YamlReader& reader, DatabaseConfig* database);
void ReadHttp(const Field& field, YamlReader& reader, HttpConfig* http);
void ReadAlerting(const Field& field, YamlReader& reader, AlertingConfig* alerting);

// `ingest:`.
void ReadIngest(const Field& field, YamlReader& reader, IngestConfig* ingest);

}  // namespace slamon::config_internal
