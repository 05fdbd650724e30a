// Reading the files a config names (the config itself, password files):
// only regular files and pipes (`--config <(...)`), bounded in size, with
// errors that name the file and never its content.
#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"

namespace slamon {

// A config file is read whole; no real one comes near this.
inline constexpr std::size_t kMaxConfigFileBytes = 4 * 1024 * 1024;
inline constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;

// The content of `path`, or the error "PATH: cannot read WHAT: why" (a
// directory, a device, a socket or a file over `max_bytes` is refused, not
// read as empty or waited on).
Result<std::string> ReadTextFile(const std::string& path, const std::string& what,
                                 std::size_t max_bytes);

// A secret: the file's first line without its line ending; an empty one is
// the error "PATH: WHAT is empty".
Result<std::string> ReadSecretFile(const std::string& path, const std::string& what);

}  // namespace slamon
