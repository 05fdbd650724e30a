// Policy: the promises a vendor makes to its partners, as data.
//
// A Policy says, per ticket severity, what each of the three SLA targets
// (first response, workaround, resolution) is: no target, a budget of working
// time on a named calendar, or the next release of the product. It also holds
// the quota, certification and supported-version rules of docs/design.md §1.
// BuiltinPolicy() is that section's table; the config can replace any part.
//
// Policies are plain values: copy them freely. Calendars are referred to by
// name and resolved per partner (the "business-days" calendar takes the
// partner's time zone), see CalendarSet.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar_set.h"
#include "instant/instant.h"

namespace slamon {

enum class TargetName { kResponse = 0, kWorkaround = 1, kResolution = 2 };
inline constexpr std::array<TargetName, 3> kTargetNames = {
    TargetName::kResponse, TargetName::kWorkaround, TargetName::kResolution};
std::string_view ToString(TargetName target);  // "response", "workaround", "resolution"

enum class TargetKind {
  kNone,         // no clock ("none")
  kBudget,       // `within` working time on `calendar`
  kNextRelease,  // the release date of the product's next release
};

// A budget `within: 15d` is days = 15; `within: 4h` is within = 4h; `1d12h`
// is both: 1 working day, then 12 h of working time (docs/design.md §2).
struct TargetSpec {
  TargetKind kind = TargetKind::kNone;
  Seconds within{0};                   // kBudget only: working time, >= 0
  std::string calendar{kBuiltin24x7};  // kBudget only
  bool pausable = false;               // waiting on the partner stops the clock
  int days = 0;  // kBudget only: working days (Calendar::AddWorkingDays), >= 0

  bool operator==(const TargetSpec&) const = default;
};

struct SeverityTargets {
  std::array<TargetSpec, 3> targets;  // indexed by TargetName
  const TargetSpec& operator[](TargetName t) const {
    return targets[static_cast<int>(t)];
  }
  TargetSpec& operator[](TargetName t) { return targets[static_cast<int>(t)]; }
  bool operator==(const SeverityTargets&) const = default;
};

enum class Reclassification {
  kRetroactive,  // the new severity's targets apply from the original start
  kRestart,      // running clocks restart at the change with the new targets
};

struct QuotaRules {
  Seconds unlimited_for{30 * 86400};  // after signing, no limit
  int first_year_incidents = 20;      // rest of the first contract year
  int yearly_incidents = 20;          // each later contract year
  bool operator==(const QuotaRules&) const = default;
};

struct CertificationRules {
  int valid_for_months = 18;
  int min_certified_employees = 2;
  bool operator==(const CertificationRules&) const = default;
};

struct VersionRules {
  int supported_releases = 3;            // the newest and the two before it
  int upgrade_within_months = 6;         // older than a release this old: outdated
  bool clocks_when_unsupported = false;  // unsupported tickets keep their SLA clocks
  bool operator==(const VersionRules&) const = default;
};

struct Policy {
  std::string name = "default";
  Reclassification reclassification = Reclassification::kRetroactive;
  std::vector<double> warn_at = {0.75};  // fractions of the budget, ascending, in (0, 1)
  std::map<std::string, SeverityTargets, std::less<>> severities;
  QuotaRules quota;
  CertificationRules certification;
  VersionRules versions;

  // nullptr for a severity the policy does not know.
  const SeverityTargets* Find(std::string_view severity) const;
  // The same rules, field by field (a SIGHUP compares the old and new config).
  bool operator==(const Policy&) const = default;
};

// docs/design.md §1: severities A-D, 24x7 response/workaround, business-day and
// calendar-day resolution, next-release for D.
Policy BuiltinPolicy();

}  // namespace slamon
