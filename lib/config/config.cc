#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <utility>

#include "config/config_sections.h"
#include "config/yaml_reader.h"

namespace slamon {

using config_internal::CalendarReference;
using config_internal::Field;
using config_internal::ReadAlerting;
using config_internal::ReadCalendars;
using config_internal::ReadDatabase;
using config_internal::ReadHttp;
using config_internal::ReadIngest;
using config_internal::ReadPolicies;
using config_internal::YamlReader;

std::string ConfigError::ToString() const {
  std::string out = file;
  if (line > 0) {
    // Two appends: `":" + std::to_string(line)` makes GCC 12 at -O3 warn a
    // false -Wrestrict inside std::string.
    out += ':';
    out += std::to_string(line);
  }
  out += ": ";
  if (!key.empty()) out += key + ": ";
  return out + message;
}

namespace {

int FirstLineOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? 1 : mark.line + 1;
}

// Parses the YAML text into its one document; an empty text (or only
// comments) has none. Syntax errors go to `reader`.
std::optional<YAML::Node> LoadDocument(std::string_view text, YamlReader& reader) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    reader.Error(e.mark.is_null() ? 0 : e.mark.line + 1, "",
                 "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
  if (documents.size() > 1) {
    reader.Error(FirstLineOf(documents[1]), "",
                 "a config file holds one YAML document, found " +
                     std::to_string(documents.size()));
  }
  if (documents.empty()) return YAML::Node();
  return documents.front();
}

void CheckCalendarReferences(const std::vector<CalendarReference>& references,
                             const CalendarSet& calendars, YamlReader& reader) {
  for (const auto& reference : references) {
    if (calendars.Contains(reference.name)) continue;
    reader.Error(reference.line, reference.key,
                 "unknown calendar \"" + reference.name +
                     "\" (define it under calendars:, or use " +
                     std::string(kBuiltin24x7) + " or " +
                     std::string(kBuiltinBusinessDays) + ")");
  }
}

}  // namespace

ConfigResult ParseConfig(std::string_view text, std::string_view file_name) {
  YamlReader reader{std::string(file_name)};
  Config config;
  if (std::optional<YAML::Node> document = LoadDocument(text, reader)) {
    Field root{*document, "", FirstLineOf(*document)};
    std::vector<CalendarReference> references;
    reader.Map(
        root,
        {
            {"calendars",
             [&](const Field& f) { ReadCalendars(f, reader, &config.rules.calendars); }},
            {"policies",
             [&](const Field& f) {
               ReadPolicies(f, reader, &config.rules.policies, &references);
             }},
            {"database",
             [&](const Field& f) { ReadDatabase(f, reader, &config.database); }},
            {"http", [&](const Field& f) { ReadHttp(f, reader, &config.http); }},
            {"alerting",
             [&](const Field& f) { ReadAlerting(f, reader, &config.alerting); }},
            {"ingest", [&](const Field& f) { ReadIngest(f, reader, &config.ingest); }},
        });
    // Calendars may be defined after the policies that use them.
    CheckCalendarReferences(references, config.rules.calendars, reader);
  }
  if (reader.HasErrors()) return {std::nullopt, reader.TakeErrorsInFileOrder()};
  return {std::move(config), {}};
}

}  // namespace slamon
