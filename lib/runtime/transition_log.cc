#include "runtime/transition_log.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace slamon {
namespace {

const char* AlertName(AlertState state) {
  return state == AlertState::kBreached ? "SlaBreached" : "SlaAtRisk";
}

const char* Change(TransitionKind kind) {
  return kind == TransitionKind::kStarted ? "firing" : "resolved";
}

struct Group {
  size_t count = 0;
  std::vector<const Transition*> examples;
};

}  // namespace

std::vector<std::string> TransitionLogLines(const std::vector<Transition>& transitions,
                                            std::string_view context,
                                            const TransitionLogOptions& options) {
  // Breached before at risk, firing before resolved, then target and
  // severity: the lines come in a fixed order whatever the input's.
  using Key = std::tuple<int, int, TargetName, std::string>;
  std::map<Key, Group> groups;
  for (const auto& t : transitions) {
    Group& g =
        groups[Key{t.state == AlertState::kBreached ? 0 : 1,
                   t.kind == TransitionKind::kStarted ? 0 : 1, t.target, t.severity}];
    ++g.count;
    if (g.examples.size() < options.examples) g.examples.push_back(&t);
  }
  std::vector<std::string> lines;
  // Per ticket while that is short, or no longer than the summary would be.
  if (transitions.size() <= std::max(options.per_ticket_up_to, groups.size())) {
    for (const auto& t : transitions) {
      lines.push_back(std::string(AlertName(t.state)) + " " + Change(t.kind) +
                      " ticket=" + t.ticket + " partner=" + t.partner + " target=" +
                      std::string(ToString(t.target)) + " ticket_severity=" + t.severity +
                      " deadline=" + (t.deadline ? FormatInstant(*t.deadline) : "none"));
    }
    return lines;
  }
  for (const auto& [key, group] : groups) {
    const Transition& first = *group.examples.front();
    std::string line = std::string(context) + ": " + AlertName(first.state) + " " +
                       Change(first.kind) + " for " + std::to_string(group.count) +
                       (group.count == 1 ? " clock" : " clocks") +
                       " target=" + std::string(ToString(first.target)) +
                       " ticket_severity=" + first.severity + ", e.g. ticket";
    for (size_t i = 0; i < group.examples.size(); ++i)
      line += (i == 0 ? "=" : ",") + group.examples[i]->ticket;
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace slamon
