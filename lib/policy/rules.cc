#include "policy/rules.h"

namespace slamon {

Rules::Rules() { policies.emplace("default", BuiltinPolicy()); }

const Policy* Rules::FindPolicy(std::string_view name) const {
  auto found = policies.find(name);
  return found != policies.end() ? &found->second : nullptr;
}

}  // namespace slamon
