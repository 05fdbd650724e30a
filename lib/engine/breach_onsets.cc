#include "engine/breach_onsets.h"

#include <algorithm>
#include <array>
#include <optional>

namespace slamon {

std::vector<BreachOnsetCount> BreachOnsets(std::string_view ticket_id,
                                           std::span<const TicketEvent> history,
                                           const TicketContext& context, Instant t,
                                           const TicketEvaluation& at_t) {
  std::vector<BreachOnsetCount> onsets;
  std::array<bool, 3> breached = {false, false, false};
  auto look = [&](const TicketEvaluation& e) {
    for (TargetName target : kTargetNames) {
      const auto i = static_cast<size_t>(target);
      const bool now_breached = e[target].breached;
      if (now_breached && !breached[i]) {
        auto same = std::find_if(onsets.begin(), onsets.end(), [&](const auto& o) {
          return o.target == target && o.severity == e.severity;
        });
        if (same != onsets.end()) {
          ++same->count;
        } else {
          onsets.push_back({target, e.severity, 1});
        }
      }
      breached[i] = now_breached;
    }
  };
  if (history.empty()) return onsets;
  // The instants where a breach can be undone: a severity that changes, a
  // reopening (after the opening, at or before t).
  std::string severity = history.front().severity;
  std::optional<Instant> last;
  for (const TicketEvent& event : history.subspan(1)) {
    if (event.at > t) break;
    bool may_undo = event.kind == EventKind::kReopened;
    if (event.kind == EventKind::kSeverity && event.severity != severity) {
      severity = event.severity;
      may_undo = true;
    }
    if (!may_undo || event.at == last || event.at <= history.front().at) continue;
    last = event.at;
    look(EvaluateTicket(ticket_id, history, context, event.at - Seconds{1}));
    look(EvaluateTicket(ticket_id, history, context, event.at));
  }
  look(at_t);
  return onsets;
}

}  // namespace slamon
