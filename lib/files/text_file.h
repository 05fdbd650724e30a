// Reading the files a config names (the config itself, password files):
// only regular files and pipes (`--config <(...)`), bounded in size, with
// errors that name the file and never its content.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace slamon {

// A config file is read whole; no real one comes near this.
inline constexpr std::size_t kMaxConfigFileBytes = 4 * 1024 * 1024;
inline constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;

// The content of `path`, or std::nullopt with `error` set to
// "PATH: cannot read WHAT: why" (a directory, a device, a socket or a file
// over `max_bytes` is refused, not read as empty or waited on).
std::optional<std::string> ReadTextFile(const std::string& path, const std::string& what,
                                        std::size_t max_bytes, std::string* error);

// A secret: the file's first line without its line ending.
std::optional<std::string> ReadSecretFile(const std::string& path,
                                          const std::string& what, std::string* error);

}  // namespace slamon
