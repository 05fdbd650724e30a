#include "http/poster.h"

#include <cctype>

namespace slamon {

std::string PostResult::Describe() const {
  if (!transport.ok()) return transport.message();
  std::string out = "HTTP " + std::to_string(status);
  std::string start = body_start;
  while (!start.empty() && std::isspace(static_cast<unsigned char>(start.back()))) {
    start.pop_back();
  }
  for (char& c : start) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (!start.empty()) out += ": " + start;
  return out;
}

}  // namespace slamon
