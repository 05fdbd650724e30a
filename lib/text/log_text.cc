#include "text/log_text.h"

namespace slamon {
namespace {

void AppendEscaped(unsigned char c, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
  }
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace

std::string LogSafe(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 16);
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t before = out.size();
    if (IsControl(c)) {
      AppendEscaped(c, out);
    } else {
      out += static_cast<char>(c);
    }
    if (out.size() > max_bytes) {
      out.resize(before);
      break;
    }
  }
  if (i == text.size()) return out;
  // Back to the start of a UTF-8 character (never cut between its bytes).
  while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xc0) == 0x80) {
    --i;
    out.pop_back();
  }
  return out + "... (" + std::to_string(text.size() - i) + " bytes more)";
}

}  // namespace slamon
