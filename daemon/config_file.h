// Loading the config file named on the command line: read it and parse it.
#pragma once

#include <optional>
#include <string>

#include "config/config.h"

namespace slamon {

// The file's config, or its errors (an unreadable file is one error).
ConfigResult ReadConfigFile(const std::string& path);

// The same, printing every error (file:line: key: why) to stderr; the caller
// exits with kExitConfig on std::nullopt.
[[nodiscard]] std::optional<Config> LoadConfigFile(const std::string& path);

}  // namespace slamon
