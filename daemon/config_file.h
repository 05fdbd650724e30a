// Loading the config file named on the command line: read it, parse it, and
// on failure print every error (file:line: key: why) to stderr.
#pragma once

#include <optional>
#include <string>

#include "config/config.h"

namespace slamon {

// std::nullopt after printing the reasons; the caller exits with kExitConfig.
std::optional<Config> LoadConfigFile(const std::string& path);

}  // namespace slamon
