#include "engine/ticket_event.h"

#include <array>
#include <utility>

namespace slamon {
namespace {

constexpr std::array<std::pair<EventKind, std::string_view>, 12> kNames = {{
    {EventKind::kOpened, "opened"},
    {EventKind::kResponded, "responded"},
    {EventKind::kWorkaround, "workaround"},
    {EventKind::kResolved, "resolved"},
    {EventKind::kReopened, "reopened"},
    {EventKind::kClosed, "closed"},
    {EventKind::kWaiting, "waiting"},
    {EventKind::kResumed, "resumed"},
    {EventKind::kSeverity, "severity"},
    {EventKind::kIncidents, "incidents"},
    {EventKind::kDefectConfirmed, "defect_confirmed"},
    {EventKind::kNewDefect, "new_defect"},
}};

}  // namespace

std::optional<EventKind> ParseEventKind(std::string_view text) {
  for (const auto& [kind, name] : kNames) {
    if (name == text) return kind;
  }
  return std::nullopt;
}

std::string_view ToString(EventKind kind) {
  for (const auto& [k, name] : kNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

}  // namespace slamon
