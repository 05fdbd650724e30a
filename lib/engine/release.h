// Releases of a product and what they mean for a ticket: which version is
// still supported, which is outdated, and when the "next release" is due.
//
// Rules (docs/design.md §1, numbers from VersionRules): at the instant a ticket
// is opened, its version is supported while it is among the newest
// `supported_releases` releases of its product that were out by then; it is
// outdated when a newer release exists that has been out for more than
// `upgrade_within_months`, counted on the partner's local calendar
// (calendar/local_date.h). An outdated version is not supported. A product
// without any release out when the ticket was opened (none known, or only
// planned ones) cannot be judged and counts as supported; otherwise a version
// the product never had is unsupported.
#pragma once

#include <date/tz.h>

#include <optional>
#include <span>
#include <string>

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

// `releases` are the product's releases, in any order; `zone` is the
// partner's time zone (nullptr: UTC).
VersionSupport AssessVersion(std::span<const Release> releases,
                             const std::string& version, Instant opened_at,
                             const VersionRules& rules, const date::time_zone* zone);

// The release date of the first release dated strictly after `after`.
std::optional<Instant> NextReleaseAfter(std::span<const Release> releases, Instant after);

}  // namespace slamon
