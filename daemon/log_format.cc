#include "log_format.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string_view>

#include "text/log_text.h"

namespace slamon {
namespace {

// %* in the pattern: the message, made safe.
class SafeMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& out) override {
    const std::string safe =
        LogSafe(std::string_view(message.payload.data(), message.payload.size()));
    out.append(safe.data(), safe.data() + safe.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SafeMessage>();
  }
};

}  // namespace

void SetUpDaemonLog() {
  spdlog::set_default_logger(spdlog::stderr_color_mt("slamon"));
  auto formatter = std::make_unique<spdlog::pattern_formatter>(
      spdlog::pattern_time_type::utc, spdlog::details::os::default_eol);
  formatter->add_flag<SafeMessage>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %*");
  spdlog::set_formatter(std::move(formatter));
}

}  // namespace slamon
