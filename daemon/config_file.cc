#include "config_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace slamon {

ConfigResult ReadConfigFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    ConfigResult result;
    result.errors.push_back(
        {path, 0, "", std::string("cannot read config file: ") + std::strerror(errno)});
    return result;
  }
  std::stringstream text;
  text << file.rdbuf();
  return ParseConfig(text.str(), path);
}

std::optional<Config> LoadConfigFile(const std::string& path) {
  ConfigResult result = ReadConfigFile(path);
  for (const auto& error : result.errors) std::cerr << error.ToString() << '\n';
  return std::move(result.config);
}

}  // namespace slamon
