#include "policy/policy.h"

namespace slamon {
namespace {

constexpr Seconds kHour{3600};

TargetSpec Within(Seconds budget, std::string_view calendar, bool pausable) {
  return TargetSpec{TargetKind::kBudget, budget, std::string(calendar), pausable};
}

// A budget of whole working days: "1 day", "15 business days" (docs/design.md §1).
TargetSpec WithinDays(int days, std::string_view calendar, bool pausable) {
  return TargetSpec{TargetKind::kBudget, Seconds{0}, std::string(calendar), pausable,
                    days};
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
                             WithinDays(1, kBuiltin24x7, true),
                             WithinDays(15, kBuiltinBusinessDays, true)}};
  policy.severities["B"] = {{Within(4 * kHour, kBuiltin24x7, false),
                             WithinDays(2, kBuiltin24x7, true),
                             WithinDays(20, kBuiltinBusinessDays, true)}};
  policy.severities["C"] = {{Within(8 * kHour, kBuiltin24x7, false),
                             WithinDays(3, kBuiltin24x7, true),
                             WithinDays(30, kBuiltin24x7, true)}};
  policy.severities["D"] = {
      {Within(24 * kHour, kBuiltin24x7, false), kNoTarget, kNextRelease}};
  return policy;
}

}  // namespace slamon
