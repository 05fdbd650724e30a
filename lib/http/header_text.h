// HTTP header text as RFC 9110 reads it: tokens (scheme and coding names)
// compare without regard to case, and optional white space (blanks, and the
// line ending a secret file may leave) surrounds values. Pure, header-only.
#pragma once

#include <algorithm>
#include <cctype>
#include <string_view>

namespace slamon {

// True when `a` and `b` are the same token in any case ("Basic" == "basic").
inline bool SameToken(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

inline bool IsHeaderBlank(char c) { return c == ' ' || c == '\t'; }

// `text` without leading and trailing blanks, CR and LF.
inline std::string_view TrimHeaderSpace(std::string_view text) {
  auto space = [](char c) { return IsHeaderBlank(c) || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace slamon
