// Shorthands for tests: instants and durations spelled the way humans read them.
#pragma once

#include <catch2/catch.hpp>

#include "instant/instant.h"

namespace slamon::testing {

// "2026-11-04T10:00:00Z" -> Instant; fails the test on bad text.
inline Instant At(std::string_view text) {
  auto parsed = ParseInstant(text);
  INFO(parsed.error());
  REQUIRE(parsed);
  return *parsed;
}

inline std::string Show(Instant t) { return FormatInstant(t); }

// Durations: H(4) is four hours.
constexpr Seconds H(int hours) { return Seconds{hours * 3600}; }
constexpr Seconds M(int minutes) { return Seconds{minutes * 60}; }
constexpr Seconds D(int days) { return Seconds{days * 86400}; }

}  // namespace slamon::testing

namespace std::chrono {
// Lets Catch print durations in failed assertions.
inline std::ostream& operator<<(std::ostream& os, seconds s) {
  return os << s.count() << "s";
}
}  // namespace std::chrono
