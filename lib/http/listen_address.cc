#include "http/listen_address.h"

#include <charconv>

namespace slamon {

namespace {

constexpr std::string_view kListenForms =
    "expected host:port, e.g. \"127.0.0.1:9464\", \"[::1]:9464\" or \":9464\"";

Status Error(std::string_view message) { return Status::Error(std::string(message)); }

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return Error(kListenForms);
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  if (host.find_first_of(" \t") != std::string_view::npos) return Error(kListenForms);
  if (host.starts_with('[')) {
    if (host.size() < 3 || !host.ends_with(']')) return Error(kListenForms);
    host = host.substr(1, host.size() - 2);
    if (host.find_first_of("[]") != std::string_view::npos) return Error(kListenForms);
  } else if (host.find_first_of("[]:") != std::string_view::npos) {
    return Error("an IPv6 address goes in brackets, e.g. \"[::1]:9464\"");
  }
  unsigned number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || ec == std::errc::invalid_argument ||
      end != port.data() + port.size())
    return Error(kListenForms);
  if (ec == std::errc::result_out_of_range || number > 65535)
    return Error("the port must be between 1 and 65535");
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(number)};
}

}  // namespace slamon
