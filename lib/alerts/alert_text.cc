#include "alerts/alert_text.h"

#include <array>
#include <cstdint>
#include <utility>

namespace slamon {

std::string TimeInWords(Seconds length) {
  int64_t left = length.count() < 0 ? -length.count() : length.count();
  if (left == 0) return "0s";
  constexpr std::array<std::pair<int64_t, const char*>, 4> kUnits = {
      {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}}};
  std::string out;
  for (std::size_t i = 0; i < kUnits.size(); ++i) {
    const auto [size, name] = kUnits[i];
    if (left < size) continue;
    out = std::to_string(left / size) + name;
    if (i + 1 < kUnits.size()) {
      const auto [next_size, next_name] = kUnits[i + 1];
      const int64_t next = (left % size) / next_size;
      if (next > 0) {
        out += ' ';
        out += std::to_string(next);
        out += next_name;
      }
    }
    break;
  }
  return out;
}

std::string DeadlineInWords(Instant deadline, Instant now) {
  if (deadline > now) return "due in " + TimeInWords(deadline - now);
  if (deadline == now) return "due now";
  return "overdue by " + TimeInWords(now - deadline);
}

std::string RunbookUrl(std::string_view url_template, std::string_view alertname) {
  constexpr std::array<std::string_view, 2> kPlaceholders = {"{{alertname}}",
                                                             "{{ alertname }}"};
  std::string out;
  out.reserve(url_template.size() + alertname.size());
  std::size_t i = 0;
  while (i < url_template.size()) {
    bool replaced = false;
    for (std::string_view placeholder : kPlaceholders) {
      if (url_template.substr(i, placeholder.size()) == placeholder) {
        out += alertname;
        i += placeholder.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += url_template[i++];
  }
  return out;
}

}  // namespace slamon
