// libFuzzer target: the YAML config (ParseConfig, lib/config). The input is
// the file's text. It gives a Config or errors naming file, line and key; it
// never crashes, hangs or throws.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const slamon::ConfigResult result = slamon::ParseConfig(text, "fuzz.yml");
  if (result.config.has_value() == !result.errors.empty()) {
    std::fprintf(stderr, "a config and errors, or neither\n");
    std::abort();
  }
  for (const slamon::ConfigError& error : result.errors) {
    const std::string line = error.ToString();
    if (line.rfind("fuzz.yml", 0) != 0 || error.message.empty()) {
      std::fprintf(stderr, "an error without file or message: %s\n", line.c_str());
      std::abort();
    }
  }
  return 0;
}
