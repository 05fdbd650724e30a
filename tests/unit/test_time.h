// Shorthands for tests: instants and durations spelled the way humans read them.
#pragma once

#include <catch2/catch.hpp>

#include "instant/instant.h"

namespace slamon::testing {

// "2026-11-04T10:00:00Z" -> Instant; fails the test on bad text.
inline Instant At(std::string_view text) {
  auto parsed = ParseInstant(text);
  INFO(parsed.error);
  REQUIRE(parsed);
  return *parsed;
}

inline std::string Show(Instant t) { return FormatInstant(t); }

}  // namespace slamon::testing

namespace std::chrono {
// Lets Catch print durations in failed assertions.
inline std::ostream& operator<<(std::ostream& os, seconds s) {
  return os << s.count() << "s";
}
}  // namespace std::chrono
