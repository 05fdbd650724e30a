// Supported versions and the next release: worked examples of docs/design.md §1.
#include "engine/release.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "test_time.h"

using namespace slamon;
using slamon::testing::At;
using slamon::testing::Show;

namespace {

Release Released(std::string version, std::string_view at) {
  return Release{"backup", std::move(version), At(at)};
}

// "supported", "unsupported" or "outdated" (which implies unsupported).
std::string Judge(std::span<const Release> releases, const std::string& version,
                  std::string_view opened_at,
                  const VersionRules& rules = VersionRules{}) {
  VersionSupport s = AssessVersion(releases, version, At(opened_at), rules, nullptr);
  if (s.outdated) return s.supported ? "outdated but supported?!" : "outdated";
  return s.supported ? "supported" : "unsupported";
}

}  // namespace

TEST_CASE("The newest release and the two before it are supported") {
  // Four releases within three months, one planned; opened 2026-11-04.
  std::vector<Release> releases = {
      Released("25.3", "2026-10-01T00:00:00Z"), Released("25.1", "2026-08-01T00:00:00Z"),
      Released("25.5", "2026-12-01T00:00:00Z"),  // planned
      Released("25.4", "2026-10-15T00:00:00Z"), Released("25.2", "2026-09-01T00:00:00Z")};
  CHECK(Judge(releases, "25.4", "2026-11-04T10:00:00Z") == "supported");
  CHECK(Judge(releases, "25.3", "2026-11-04T10:00:00Z") == "supported");
  CHECK(Judge(releases, "25.2", "2026-11-04T10:00:00Z") == "supported");
  // Fourth newest: unsupported, but no newer release is 6 months old: not outdated.
  CHECK(Judge(releases, "25.1", "2026-11-04T10:00:00Z") == "unsupported");
  // Once 25.5 is out, 25.2 drops out of the newest three.
  CHECK(Judge(releases, "25.2", "2026-12-01T00:00:00Z") == "unsupported");
  CHECK(Judge(releases, "25.2", "2026-11-30T23:59:59Z") == "supported");
  // The count is configuration.
  VersionRules newest_only;
  newest_only.supported_releases = 1;
  CHECK(Judge(releases, "25.3", "2026-11-04T10:00:00Z", newest_only) == "unsupported");
  CHECK(Judge(releases, "25.4", "2026-11-04T10:00:00Z", newest_only) == "supported");
}

TEST_CASE("Older than a release out for more than 6 months is outdated") {
  // 24.2 released 2026-05-04 10:00Z; + 6 months = 2026-11-04 10:00Z.
  std::vector<Release> releases = {Released("24.1", "2026-01-01T00:00:00Z"),
                                   Released("24.2", "2026-05-04T10:00:00Z")};
  CHECK(Judge(releases, "24.1", "2026-11-04T10:00:00Z") ==
        "supported");  // exactly 6 months
  CHECK(Judge(releases, "24.1", "2026-11-04T10:00:01Z") == "outdated");  // more than 6
  CHECK(Judge(releases, "24.2", "2027-06-01T00:00:00Z") ==
        "supported");  // the newest never is
  // Month ends clamp: 2026-05-31 + 6 months = 2026-11-30.
  std::vector<Release> may31 = {Released("24.1", "2026-01-01T00:00:00Z"),
                                Released("24.2", "2026-05-31T00:00:00Z")};
  CHECK(Judge(may31, "24.1", "2026-11-30T00:00:00Z") == "supported");
  CHECK(Judge(may31, "24.1", "2026-11-30T00:00:01Z") == "outdated");
}

TEST_CASE(
    "A product without releases out counts as supported; an unknown version does not") {
  CHECK(Judge({}, "24.1", "2026-11-04T10:00:00Z") == "supported");
  std::vector<Release> out = {Released("24.1", "2026-06-01T00:00:00Z")};
  CHECK(Judge(out, "9.9", "2026-11-04T10:00:00Z") == "unsupported");
  // Only a planned release known: nothing is out to judge against, so even a
  // version never released counts as supported (the docs/design.md §4 input: T-1 on
  // 24.1 with only 24.2 planned is "supported": true).
  std::vector<Release> planned = {Released("24.2", "2026-12-15T00:00:00Z")};
  CHECK(Judge(planned, "24.1", "2026-11-04T10:00:00Z") == "supported");
  // Once 24.2 is out, 24.1 is a version the product never had.
  CHECK(Judge(planned, "24.1", "2026-12-16T00:00:00Z") == "unsupported");
  // A ticket on the planned version itself (a pre-release) has nothing newer.
  CHECK(Judge(planned, "24.2", "2026-11-04T10:00:00Z") == "supported");
}

TEST_CASE("NextReleaseAfter: the earliest release dated strictly after the instant") {
  std::vector<Release> releases = {Released("25.1", "2027-06-01T00:00:00Z"),
                                   Released("24.1", "2026-06-01T00:00:00Z"),
                                   Released("24.2", "2026-12-15T00:00:00Z")};
  CHECK(Show(*NextReleaseAfter(releases, At("2026-11-04T10:00:00Z"))) ==
        "2026-12-15T00:00:00Z");
  CHECK(Show(*NextReleaseAfter(releases, At("2026-12-14T23:59:59Z"))) ==
        "2026-12-15T00:00:00Z");
  // A release at the instant itself is not after it.
  CHECK(Show(*NextReleaseAfter(releases, At("2026-12-15T00:00:00Z"))) ==
        "2027-06-01T00:00:00Z");
  CHECK_FALSE(NextReleaseAfter(releases, At("2027-06-01T00:00:00Z")));
  CHECK_FALSE(NextReleaseAfter({}, At("2026-11-04T10:00:00Z")));
}

TEST_CASE("Finding 2: the 6 months of upgrade grace end on the partner's local date") {
  // 24.2 released 2026-03-01 00:00 JST = 2026-02-28T15:00Z. For a Tokyo partner
  // 6 local months later is 2026-09-01 00:00 JST = 2026-08-31T15:00Z; "more
  // than 6 months old" starts after that. On UTC dates it would be
  // 2026-08-28T15:00Z, three days early.
  std::vector<Release> releases = {Released("24.1", "2025-12-01T00:00:00Z"),
                                   Released("24.2", "2026-03-01T00:00:00+09:00")};
  const date::time_zone* tokyo = date::locate_zone("Asia/Tokyo");
  auto outdated = [&](std::string_view opened_at, const date::time_zone* zone) {
    return AssessVersion(releases, "24.1", At(opened_at), VersionRules{}, zone).outdated;
  };
  CHECK_FALSE(outdated("2026-08-30T12:00:00+09:00", tokyo));
  CHECK_FALSE(outdated("2026-09-01T00:00:00+09:00", tokyo));  // exactly 6 months
  CHECK(outdated("2026-09-01T00:00:01+09:00", tokyo));
  CHECK(outdated("2026-08-30T12:00:00+09:00", nullptr));  // UTC calendar: past it
  // Sydney: released 2026-03-01 00:00 AEDT (+11) = 2026-02-28T13:00Z; 6 months
  // later is 2026-09-01 00:00 AEST (+10) = 2026-08-31T14:00Z.
  std::vector<Release> sydney_releases = {Released("24.1", "2025-12-01T00:00:00Z"),
                                          Released("24.2", "2026-03-01T00:00:00+11:00")};
  const date::time_zone* sydney = date::locate_zone("Australia/Sydney");
  CHECK_FALSE(AssessVersion(sydney_releases, "24.1", At("2026-08-31T14:00:00Z"),
                            VersionRules{}, sydney)
                  .outdated);
  CHECK(AssessVersion(sydney_releases, "24.1", At("2026-08-31T14:00:01Z"), VersionRules{},
                      sydney)
            .outdated);
}
