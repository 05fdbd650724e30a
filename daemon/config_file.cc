#include "config_file.h"

#include <iostream>

#include "files/text_file.h"

namespace slamon {

ConfigResult ReadConfigFile(const std::string& path) {
  Result<std::string> text = ReadTextFile(path, "config file", kMaxConfigFileBytes);
  if (!text) {
    ConfigResult result;
    // The error already starts with the path.
    result.errors.push_back({path, 0, "", text.error().substr(path.size() + 2)});
    return result;
  }
  return ParseConfig(*text, path);
}

std::optional<Config> LoadConfigFile(const std::string& path) {
  ConfigResult result = ReadConfigFile(path);
  for (const auto& error : result.errors) std::cerr << error.ToString() << '\n';
  return std::move(result.config);
}

}  // namespace slamon
