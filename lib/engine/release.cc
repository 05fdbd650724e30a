#include "engine/release.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "calendar/local_date.h"

namespace slamon {

namespace {

// `version` is `release` itself or one of its builds.
bool Matches(std::string_view release, std::string_view version) {
  if (release.empty() || !version.starts_with(release)) return false;
  if (version.size() == release.size()) return true;
  switch (version[release.size()]) {
    case '.':
    case '-':
    case '+':
    case '_':
    case ' ':
      return true;
    default:
      return false;
  }
}

}  // namespace

const Release* MatchRelease(std::span<const Release> releases, std::string_view version) {
  const Release* best = nullptr;
  for (const auto& r : releases) {
    if (!Matches(r.version, version)) continue;
    if (best == nullptr || r.version.size() > best->version.size() ||
        (r.version.size() == best->version.size() && r.released_at < best->released_at))
      best = &r;
  }
  return best;
}

VersionSupport AssessVersion(std::span<const Release> releases,
                             const std::string& version, Instant opened_at,
                             const VersionRules& rules, const date::time_zone* zone) {
  // Nothing out yet when the ticket was opened (no releases, or only planned
  // ones): nothing to judge against.
  if (std::none_of(releases.begin(), releases.end(),
                   [&](const Release& r) { return r.released_at <= opened_at; })) {
    return {};
  }
  const Release* own = MatchRelease(releases, version);
  if (own == nullptr) return {.supported = false, .outdated = false};
  // Newer releases out by the opening, each version once (a release may be
  // listed twice). Only whether there are at least `supported_releases` of
  // them matters, so at most that many are remembered.
  const auto cap = static_cast<size_t>(std::max(rules.supported_releases, 0));
  std::vector<std::string_view> newer_out;
  bool outdated = false;
  for (const auto& r : releases) {
    if (r.released_at > own->released_at && r.released_at <= opened_at &&
        r.version != own->version) {
      if (newer_out.size() < cap &&
          std::find(newer_out.begin(), newer_out.end(), r.version) == newer_out.end())
        newer_out.push_back(r.version);
      if (!outdated)
        outdated = CompareWithLocalMonths(opened_at, r.released_at,
                                          rules.upgrade_within_months, zone) > 0;
    }
  }
  return {.supported = newer_out.size() < cap, .outdated = outdated};
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
