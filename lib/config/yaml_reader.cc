#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace slamon::config_internal {
namespace {

int LineOf(const YAML::Node& node, int fallback) {
  if (!node.IsDefined()) return fallback;
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? fallback : mark.line + 1;
}

std::string Quote(std::string_view text) {
  constexpr std::size_t kMax = 60;
  if (text.size() > kMax) return "\"" + std::string(text.substr(0, kMax)) + "...\"";
  return "\"" + std::string(text) + "\"";
}

}  // namespace

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar:
      return Quote(node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
  }
  return "something else";
}

Field Field::Entry(std::string_view name, const YAML::Node& key_node,
                   const YAML::Node& value) const {
  std::string path = key.empty() ? std::string(name) : key + "." + std::string(name);
  return Field{value, std::move(path), LineOf(key_node, line)};
}

Field Field::Element(std::size_t index, const YAML::Node& value) const {
  return Field{value, key + "[" + std::to_string(index) + "]", LineOf(value, line)};
}

YamlReader::YamlReader(std::string file_name) : file_name_(std::move(file_name)) {}

void YamlReader::Error(const Field& at, std::string message) {
  Error(at.line, at.key, std::move(message));
}

void YamlReader::Error(int line, std::string key, std::string message) {
  errors_.push_back(ConfigError{file_name_, line, std::move(key), std::move(message)});
}

std::vector<ConfigError> YamlReader::TakeErrorsInFileOrder() {
  std::stable_sort(
      errors_.begin(), errors_.end(),
      [](const ConfigError& a, const ConfigError& b) { return a.line < b.line; });
  return std::move(errors_);
}

bool YamlReader::ExpectMap(const Field& field) {
  if (field.node.IsMap()) return true;
  Error(field, "expected a map of keys, got " + Describe(field.node));
  return false;
}

bool YamlReader::Map(const Field& map, const std::vector<KeyHandler>& keys) {
  if (map.IsAbsent()) return true;
  if (!ExpectMap(map)) return false;
  std::map<std::string, int, std::less<>> seen;  // key -> line
  for (const auto& entry : map.node) {
    const YAML::Node& key_node = entry.first;
    if (!key_node.IsScalar()) {
      Error(LineOf(key_node, map.line), map.key,
            "keys must be strings, got " + Describe(key_node));
      continue;
    }
    const std::string& name = key_node.Scalar();
    Field value = map.Entry(name, key_node, entry.second);
    auto handler = std::find_if(keys.begin(), keys.end(),
                                [&](const KeyHandler& h) { return h.key == name; });
    if (handler == keys.end()) {
      std::string known;
      for (const auto& h : keys)
        known += (known.empty() ? "" : ", ") + std::string(h.key);
      Error(value, "unknown key (expected one of: " + known + ")");
      continue;
    }
    auto [first, inserted] = seen.emplace(name, value.line);
    if (!inserted) {
      Error(value,
            "duplicate key (first set on line " + std::to_string(first->second) + ")");
      continue;
    }
    if (!value.IsAbsent()) handler->read(value);
  }
  return true;
}

void YamlReader::NamedEntries(
    const Field& map, std::string_view what,
    const std::function<void(const std::string& name, const Field&)>& read) {
  if (map.IsAbsent()) return;
  if (!map.node.IsMap()) {
    Error(map, "expected a map of " + std::string(what) + " by name, got " +
                   Describe(map.node));
    return;
  }
  std::map<std::string, int, std::less<>> seen;
  for (const auto& entry : map.node) {
    const YAML::Node& key_node = entry.first;
    if (!key_node.IsScalar() || key_node.Scalar().empty()) {
      Error(LineOf(key_node, map.line), map.key,
            "names must be non-empty strings, got " + Describe(key_node));
      continue;
    }
    const std::string& name = key_node.Scalar();
    Field value = map.Entry(name, key_node, entry.second);
    auto [first, inserted] = seen.emplace(name, value.line);
    if (!inserted) {
      Error(value, "duplicate name (first defined on line " +
                       std::to_string(first->second) + ")");
      continue;
    }
    read(name, value);
  }
}

void YamlReader::List(const Field& list, std::string_view what,
                      const std::function<void(const Field&)>& read) {
  if (list.IsAbsent()) return;
  if (!list.node.IsSequence()) {
    Error(list,
          "expected a list of " + std::string(what) + ", got " + Describe(list.node));
    return;
  }
  for (std::size_t i = 0; i < list.node.size(); ++i) read(list.Element(i, list.node[i]));
}

std::optional<std::string> YamlReader::String(const Field& field) {
  if (field.node.IsScalar()) return field.node.Scalar();
  Error(field, "expected a string, got " + Describe(field.node));
  return std::nullopt;
}

void YamlReader::ReadString(const Field& field, std::string* out) {
  if (auto value = String(field)) *out = std::move(*value);
}

void YamlReader::ReadBool(const Field& field, bool* out) {
  bool value = false;
  if (field.node.IsScalar() && YAML::convert<bool>::decode(field.node, value)) {
    *out = value;
    return;
  }
  Error(field, "expected true or false, got " + Describe(field.node));
}

void YamlReader::ReadInt(const Field& field, int min, int* out) {
  if (!field.node.IsScalar()) {
    Error(field, "expected an integer, got " + Describe(field.node));
    return;
  }
  const std::string& text = field.node.Scalar();
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    Error(field, "expected an integer, got " + Describe(field.node));
    return;
  }
  if (value < min) {
    Error(field, "must be at least " + std::to_string(min) + ", got " + text);
    return;
  }
  *out = value;
}

std::optional<double> YamlReader::Number(const Field& field) {
  double value = 0;
  if (field.node.IsScalar() && YAML::convert<double>::decode(field.node, value))
    return value;
  Error(field, "expected a number, got " + Describe(field.node));
  return std::nullopt;
}

std::optional<Seconds> YamlReader::Duration(const Field& field, DurationMin min) {
  if (!field.node.IsScalar()) {
    Error(field,
          "expected a duration such as 90s, 30m, 4h or 1d, got " + Describe(field.node));
    return std::nullopt;
  }
  const std::string& text = field.node.Scalar();
  const std::string bound =
      min == DurationMin::kPositive ? "greater than 0" : "0 or more";
  if (!text.empty() && text.front() == '-') {
    Error(field, "negative duration " + Quote(text) + ": must be " + bound);
    return std::nullopt;
  }
  Result<Seconds> parsed = ParseDuration(text);
  if (!parsed) {
    Error(field, parsed.error());
    return std::nullopt;
  }
  if (min == DurationMin::kPositive && *parsed <= Seconds{0}) {
    Error(field, "zero duration " + Quote(text) + ": must be " + bound);
    return std::nullopt;
  }
  return *parsed;
}

void YamlReader::ReadDuration(const Field& field, DurationMin min, Seconds* out) {
  if (auto value = Duration(field, min)) *out = *value;
}

}  // namespace slamon::config_internal
