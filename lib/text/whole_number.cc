#include "text/whole_number.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace slamon {

std::optional<int> ParseWholeNumber(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    return std::nullopt;
  }
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<int> ParsePositiveNumber(std::string_view text) {
  const std::optional<int> value = ParseWholeNumber(text);
  if (!value || *value < 1) return std::nullopt;
  return value;
}

}  // namespace slamon
