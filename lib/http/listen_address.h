// ListenAddress: where slamon's HTTP server listens, from `http.listen`
// ("127.0.0.1:9464", "[::1]:9464", ":9464", "localhost:9464"). The one parser
// of that value: the config (so `check-config`) and HttpServer::Start use it,
// so a value one accepts the other accepts too. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace slamon {

struct ListenAddress {
  std::string host;        // without brackets; "" for every interface
  std::uint16_t port = 0;  // 0: a free port the system picks (tests only)
};

// The address, or why `text` is not one (the error does not repeat `text`).
// Port 0 parses; the config refuses it (Prometheus needs a known port).
Result<ListenAddress> ParseListenAddress(std::string_view text);

}  // namespace slamon
