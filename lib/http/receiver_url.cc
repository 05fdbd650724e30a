#include "http/receiver_url.h"

#include <algorithm>
#include <cctype>

namespace slamon {

namespace {

Status Error(std::string message) { return Status::Error(std::move(message)); }

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

std::string ReceiverUrl::Name() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  const std::string shown_host = ipv6 ? "[" + host + "]" : host;
  return std::string(tls ? "https://" : "http://") + shown_host + ":" + port;
}

Result<ReceiverUrl> ParseReceiverUrl(std::string_view text) {
  ReceiverUrl url;
  if (text.starts_with("http://")) {
    text.remove_prefix(7);
  } else if (text.starts_with("https://")) {
    url.tls = true;
    text.remove_prefix(8);
  } else {
    return Error("not an http(s) URL (expected it to start with http:// or https://)");
  }
  if (text.find('#') != std::string_view::npos)
    return Error("a fragment (#) is not allowed in the URL");
  const std::size_t slash = std::min(text.find('/'), text.find('?'));
  std::string_view authority = text.substr(0, slash);
  // "/" before a query without a path; appended, as GCC 12 at -O3 warns a
  // false -Wrestrict on insert(0, ...) (docs/testing.md, "Build types").
  std::string target(1, '/');
  if (slash != std::string_view::npos) {
    if (text[slash] == '/') target.clear();
    target.append(text.substr(slash));
  }
  url.target = std::move(target);
  if (authority.find('@') != std::string_view::npos) {
    return Error("user info (user:password@) is not allowed in the URL");
  }
  std::string_view port;
  if (authority.starts_with("[")) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos || close < 2) return Error("bad IPv6 address");
    url.host = std::string(authority.substr(1, close - 1));
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Error("bad IPv6 address");
      port = rest.substr(1);
      if (port.empty()) return Error("empty port");
    }
  } else {
    const std::size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return Error("empty port");
    }
  }
  if (url.host.empty()) return Error("no host");
  if (!port.empty()) {
    if (!AllDigits(port) || port.size() > 5 || std::stoul(std::string(port)) == 0 ||
        std::stoul(std::string(port)) > 65535) {
      return Error("bad port");
    }
    url.port = std::string(port);
  } else {
    url.port = url.tls ? "443" : "80";
  }
  return url;
}

ReceiverUrl AlertmanagerAlertsUrl(ReceiverUrl base) {
  std::string path = base.target.substr(0, base.target.find('?'));
  while (!path.empty() && path.back() == '/') path.pop_back();
  base.target = path + "/api/v2/alerts";
  return base;
}

}  // namespace slamon
