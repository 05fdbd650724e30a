#include "policy/policy.h"

namespace slamon {
namespace {

constexpr Seconds kHour{3600};
constexpr Seconds kDay{86400};

TargetSpec Within(Seconds budget, std::string_view calendar, bool pausable) {
  return TargetSpec{TargetKind::kBudget, budget, std::string(calendar), pausable};
}

}  // namespace

std::string_view ToString(TargetName target) {
  switch (target) {
    case TargetName::kResponse:
      return "response";
    case TargetName::kWorkaround:
      return "workaround";
    case TargetName::kResolution:
      return "resolution";
  }
  return "unknown";
}

const SeverityTargets* Policy::Find(std::string_view severity) const {
  auto it = severities.find(severity);
  return it == severities.end() ? nullptr : &it->second;
}

Policy BuiltinPolicy() {
  Policy policy;
  const TargetSpec kNextRelease{TargetKind::kNextRelease, Seconds{0}, "", false};
  const TargetSpec kNoTarget{};
  policy.severities["A"] = {{Within(4 * kHour, kBuiltin24x7, false),
                             Within(1 * kDay, kBuiltin24x7, true),
                             Within(15 * kDay, kBuiltinBusinessDays, true)}};
  policy.severities["B"] = {{Within(4 * kHour, kBuiltin24x7, false),
                             Within(2 * kDay, kBuiltin24x7, true),
                             Within(20 * kDay, kBuiltinBusinessDays, true)}};
  policy.severities["C"] = {{Within(8 * kHour, kBuiltin24x7, false),
                             Within(3 * kDay, kBuiltin24x7, true),
                             Within(30 * kDay, kBuiltin24x7, true)}};
  policy.severities["D"] = {
      {Within(24 * kHour, kBuiltin24x7, false), kNoTarget, kNextRelease}};
  return policy;
}

}  // namespace slamon
