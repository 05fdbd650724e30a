#include "text/log_text.h"

#include <catch2/catch.hpp>

using slamon::LogSafe;

TEST_CASE("LogSafe escapes control characters so a value cannot forge a line") {
  // A ticket id with a newline and a fake log line after it.
  CHECK(LogSafe("T-1\n2026-12-03T00:00:00Z info leader") ==
        "T-1\\n2026-12-03T00:00:00Z info leader");
  CHECK(LogSafe("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(LogSafe(std::string("a\0b\r\t\x7f", 6)) == "a\\x00b\\r\\t\\x7f");
  CHECK(LogSafe("Zürich 東京") == "Zürich 東京");  // UTF-8 passes
}

TEST_CASE("LogSafe cuts long text, never inside a UTF-8 character") {
  CHECK(LogSafe(std::string(10, 'x'), 10) == std::string(10, 'x'));
  CHECK(LogSafe(std::string(200000, 'x'), 100) ==
        std::string(100, 'x') + "... (199900 bytes more)");
  // "aé" is 3 bytes; 2 fit, but the second is half of é: cut before it.
  CHECK(LogSafe("a\xc3\xa9z", 2) == "a... (3 bytes more)");
  // An escape is not split either: "\n" becomes two bytes, which do not fit in 2.
  CHECK(LogSafe("a\nb", 2) == "a... (2 bytes more)");
}
