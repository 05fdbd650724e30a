// The daemon's log line format: UTC time, level, and the message made safe
// (LogSafe: control characters escaped, long lines cut), whatever text from
// outside a message carries.
#pragma once

namespace slamon {

// Sets spdlog's default logger: stderr (the journal under systemd).
void SetUpDaemonLog();

}  // namespace slamon
