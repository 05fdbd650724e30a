#include "policy/rules.h"

#include <algorithm>

namespace slamon {

Rules::Rules() { policies.emplace("default", BuiltinPolicy()); }

const Policy* Rules::FindPolicy(std::string_view name) const {
  auto found = policies.find(name);
  return found != policies.end() ? &found->second : nullptr;
}

std::vector<std::string> Rules::Severities() const {
  std::vector<std::string> severities;
  for (const auto& [name, policy] : policies) {
    for (const auto& [severity, targets] : policy.severities) {
      if (std::find(severities.begin(), severities.end(), severity) == severities.end())
        severities.push_back(severity);
    }
  }
  return severities;
}

}  // namespace slamon
