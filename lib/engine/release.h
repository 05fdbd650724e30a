// Releases of a product and what they mean for a ticket: which version is
// still supported, which is outdated, and when the "next release" is due.
//
// Rules (docs/design.md §1, numbers from VersionRules):
//   - A reported version matches a release when it equals the release's
//     version or starts with it followed by `.`, `-`, `+`, `_` or a space
//     (partners report build numbers: `24.2.1234` is release `24.2`); the
//     longest matching release wins (`24.2.1.7` is `24.2.1` when both `24.2`
//     and `24.2.1` exist).
//   - At the instant a ticket is opened, its version is supported while its
//     release is among the newest `supported_releases` releases of its product
//     that were out by then.
//   - It is outdated when a newer release was out for more than
//     `upgrade_within_months` when the ticket was opened, counted on the
//     partner's local calendar (calendar/local_date.h). Outdated is a flag, an
//     expectation to upgrade: it does not take the support away, and a
//     supported outdated ticket keeps its clocks.
//   - A product without any release out when the ticket was opened (none
//     known, or only planned ones) cannot be judged and counts as supported;
//     otherwise a version that matches no release is unsupported.
#pragma once

#include <date/tz.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "instant/instant.h"
#include "policy/policy.h"

namespace slamon {

struct Release {
  std::string product;
  std::string version;
  Instant released_at;  // in the future: a planned release

  bool operator==(const Release&) const = default;
};

struct VersionSupport {
  bool supported = true;
  bool outdated = false;
};

// The release `version` belongs to: the longest release version it matches;
// of releases listed twice with the same version, the earliest. nullptr: none.
// `releases` are the product's releases, in any order.
const Release* MatchRelease(std::span<const Release> releases, std::string_view version);

// `releases` are the product's releases, in any order; `zone` is the
// partner's time zone (nullptr: UTC).
VersionSupport AssessVersion(std::span<const Release> releases,
                             const std::string& version, Instant opened_at,
                             const VersionRules& rules, const date::time_zone* zone);

// The release date of the first release dated strictly after `after`.
std::optional<Instant> NextReleaseAfter(std::span<const Release> releases, Instant after);

}  // namespace slamon
