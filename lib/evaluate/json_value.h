// The JSON values slamon's reports write for optional fields: an instant in
// FormatInstant's form or null, a number or null. The one definition for
// report_json.cc (evaluate, explain) and report/report_format.cc (report);
// ticket_line.cc writes the same bytes by hand and a unit test holds it to
// report_json.h. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "instant/instant.h"

namespace slamon {

inline nlohmann::ordered_json TimeOrNull(const std::optional<Instant>& t) {
  return t ? nlohmann::ordered_json(FormatInstant(*t)) : nlohmann::ordered_json(nullptr);
}

// A number (or other JSON scalar) or null.
template <typename T>
nlohmann::ordered_json ValueOrNull(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

}  // namespace slamon
