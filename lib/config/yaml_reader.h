// YamlReader: walks a parsed YAML tree for ParseConfig and collects errors.
//
// Every value is read through a Field: the YAML node, its dotted key path
// ("policies.default.warn_at[1]") and the 1-based line it sits on (the line of
// its key for a map entry, of the element for a list entry). Readers never
// throw and never stop at the first problem: a bad value becomes a ConfigError
// naming file, line and key, the destination keeps its default, and reading
// goes on, so one run reports every mistake in the file.
//
// Conventions shared by all sections of the config:
// - A key whose value is empty (YAML null: `key:`, `key: ~`) counts as absent:
//   its default stays.
// - Unknown and duplicate keys in a fixed-key map are errors.
// - Type errors say what was expected and what was found.
//
// Internal to lib/config. Not thread-safe: one reader per parse.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "instant/instant.h"

namespace slamon::config_internal {

struct Field {
  YAML::Node node;
  std::string key;  // dotted path; "" for the whole document
  int line = 0;     // 1-based; 0 when unknown

  // The value of a map entry, placed at its key's line.
  Field Entry(std::string_view name, const YAML::Node& key_node,
              const YAML::Node& value) const;
  // A list element, placed at its own line.
  Field Element(std::size_t index, const YAML::Node& value) const;
  // Null or missing: the key counts as absent.
  bool IsAbsent() const { return !node.IsDefined() || node.IsNull(); }
};

// A key a fixed-key map may hold, and how to read its value.
struct KeyHandler {
  std::string_view key;
  std::function<void(const Field&)> read;
};

enum class DurationMin {
  kZero,      // 0 is allowed ("no unlimited period")
  kPositive,  // must be > 0 (intervals, budgets)
};

class YamlReader {
 public:
  explicit YamlReader(std::string file_name);

  void Error(const Field& at, std::string message);
  void Error(int line, std::string key, std::string message);
  bool HasErrors() const { return !errors_.empty(); }
  std::size_t ErrorCount() const { return errors_.size(); }
  // All errors, sorted by line (stable: same-line errors keep their order).
  std::vector<ConfigError> TakeErrorsInFileOrder();

  // A map with a fixed set of keys: calls the handler of each key whose value
  // is not null; reports unknown and duplicate keys. A non-map is an error and
  // calls no handler. Returns false when the node is not a map.
  bool Map(const Field& map, const std::vector<KeyHandler>& keys);
  // A map whose keys are names chosen by the user (calendars, policies, ...).
  // Null values are passed on: an empty entry may still mean something.
  void NamedEntries(
      const Field& map, std::string_view what,
      const std::function<void(const std::string& name, const Field&)>& read);
  // A list; `what` names its elements in the type error ("URLs").
  void List(const Field& list, std::string_view what,
            const std::function<void(const Field&)>& read);

  // Scalars. Each returns std::nullopt after reporting an error; the Read*
  // forms store into `out` only when the value is valid.
  std::optional<std::string> String(const Field& field);
  void ReadString(const Field& field, std::string* out);
  void ReadBool(const Field& field, bool* out);
  // An integer >= min.
  void ReadInt(const Field& field, int min, int* out);
  std::optional<double> Number(const Field& field);
  std::optional<Seconds> Duration(const Field& field, DurationMin min);
  void ReadDuration(const Field& field, DurationMin min, Seconds* out);

 private:
  bool ExpectMap(const Field& field);
  std::string file_name_;
  std::vector<ConfigError> errors_;
};

// "a map", "a list", "the string \"x\"": for "expected ..., got ..." messages.
std::string Describe(const YAML::Node& node);

}  // namespace slamon::config_internal
