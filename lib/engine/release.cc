#include "engine/release.h"

#include <algorithm>

#include "calendar/local_date.h"

namespace slamon {

VersionSupport AssessVersion(std::span<const Release> releases,
                             const std::string& version, Instant opened_at,
                             const VersionRules& rules, const date::time_zone* zone) {
  // Nothing out yet when the ticket was opened (no releases, or only planned
  // ones): nothing to judge against.
  if (std::none_of(releases.begin(), releases.end(),
                   [&](const Release& r) { return r.released_at <= opened_at; })) {
    return {};
  }
  const Release* own = nullptr;
  for (const auto& r : releases) {
    if (r.version == version) own = &r;
  }
  if (own == nullptr) return {.supported = false, .outdated = false};
  int newer_out = 0;
  bool outdated = false;
  for (const auto& r : releases) {
    if (r.released_at > own->released_at && r.released_at <= opened_at) {
      ++newer_out;
      if (AddLocalMonths(r.released_at, rules.upgrade_within_months, zone) < opened_at)
        outdated = true;
    }
  }
  bool among_newest = newer_out < rules.supported_releases;
  return {.supported = among_newest && !outdated, .outdated = outdated};
}

std::optional<Instant> NextReleaseAfter(std::span<const Release> releases,
                                        Instant after) {
  std::optional<Instant> next;
  for (const auto& r : releases) {
    if (r.released_at > after && (!next || r.released_at < *next)) next = r.released_at;
  }
  return next;
}

}  // namespace slamon
