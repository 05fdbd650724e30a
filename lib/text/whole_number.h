// Whole numbers written in text from outside (a command-line value, a part of
// "K/N", an hour in "HH:MM"): decimal digits only — no sign, no blanks, no
// "+", no exponent — and within int. The one parser of such numbers. Pure.
#pragma once

#include <optional>
#include <string_view>

namespace slamon {

// "08" -> 8, "0" -> 0; std::nullopt for "", "-1", "+1", " 1", "1x", "1.0" or
// a value over INT_MAX.
std::optional<int> ParseWholeNumber(std::string_view text);

// As ParseWholeNumber, and at least 1 ("0" -> std::nullopt).
std::optional<int> ParsePositiveNumber(std::string_view text);

}  // namespace slamon
