// ReceiverUrl: where an alert request goes, from a configured URL.
//
// Accepts "http://host[:port][/path][?query]" and the same with https; the
// host a name, an IPv4 address or a bracketed IPv6 address. User info
// ("user:pass@") and fragments are not accepted. The one parser of a receiver
// URL: the config (so `check-config`) and the alert sender use it. Pure.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace slamon {

struct ReceiverUrl {
  bool tls = false;    // https
  std::string host;    // without brackets
  std::string port;    // digits; 80 or 443 when the URL has none
  std::string target;  // path and query, at least "/"

  // "http://127.0.0.1:9093": no path or query, which may hold a secret.
  std::string Name() const;
};

// A receiver URL as configured; the error says what is wrong with it and never
// repeats the URL (its path or query may hold a secret).
Result<ReceiverUrl> ParseReceiverUrl(std::string_view text);

// Alertmanager's alerts endpoint under a base URL: {base path}/api/v2/alerts
// ("http://am:9093" and "http://am:9093/" both give "/api/v2/alerts").
ReceiverUrl AlertmanagerAlertsUrl(ReceiverUrl base);

}  // namespace slamon
