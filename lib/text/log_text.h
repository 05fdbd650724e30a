// Text from outside (ticket ids, receivers' answers, libpq's errors) made
// safe for one log line: a feeder must not be able to forge log lines with a
// newline, repaint a terminal with ANSI escapes, or flood the journal with a
// 200 KB line. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace slamon {

// Lines longer than this are cut.
inline constexpr std::size_t kMaxLogLineBytes = 4096;

// `text` with control characters escaped (\n, \r, \t, other bytes below 0x20
// and 0x7f as \xHH) and, past `max_bytes` of output, cut with
// "... (N bytes more)". UTF-8 passes unchanged, but never cut inside a
// character.
std::string LogSafe(std::string_view text, std::size_t max_bytes = kMaxLogLineBytes);

}  // namespace slamon
