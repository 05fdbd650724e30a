// How slamon's network code words a system error: "Connection refused" ->
// "connection refused", as Go (Prometheus, Alertmanager) prints errors, so
// log lines read alike. One rule for the server and the client. Pure.
#pragma once

#include <string>

namespace slamon {

// The message with its first letter lowered, unless the first word is an
// acronym ("TLS ...", "EOF").
std::string LowerFirst(std::string message);

}  // namespace slamon
