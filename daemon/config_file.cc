#include "config_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace slamon {

std::optional<Config> LoadConfigFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    std::cerr << path << ": cannot read config file: " << std::strerror(errno) << '\n';
    return std::nullopt;
  }
  std::stringstream text;
  text << file.rdbuf();
  ConfigResult result = ParseConfig(text.str(), path);
  for (const auto& error : result.errors) std::cerr << error.ToString() << '\n';
  return std::move(result.config);
}

}  // namespace slamon
