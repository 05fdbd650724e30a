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

// "supported", "unsupported", "supported, outdated" or "unsupported, outdated".
std::string Judge(std::span<const Release> releases, const std::string& version,
                  std::string_view opened_at, const VersionRules& rules = VersionRules{},
                  const date::time_zone* zone = nullptr) {
  VersionSupport s = AssessVersion(releases, version, At(opened_at), rules, zone);
  return std::string(s.supported ? "supported" : "unsupported") +
         (s.outdated ? ", outdated" : "");
}

// The version of the release `version` matches, or "none".
std::string Matched(std::span<const Release> releases, std::string_view version) {
  const Release* r = MatchRelease(releases, version);
  return r != nullptr ? r->version : "none";
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
  CHECK(Judge(releases, "24.1", "2026-11-04T10:00:01Z") ==
        "supported, outdated");  // more than 6: a flag, still supported
  CHECK(Judge(releases, "24.2", "2027-06-01T00:00:00Z") ==
        "supported");  // the newest never is
  // Month ends clamp: 2026-05-31 + 6 months = 2026-11-30.
  std::vector<Release> may31 = {Released("24.1", "2026-01-01T00:00:00Z"),
                                Released("24.2", "2026-05-31T00:00:00Z")};
  CHECK(Judge(may31, "24.1", "2026-11-30T00:00:00Z") == "supported");
  CHECK(Judge(may31, "24.1", "2026-11-30T00:00:01Z") == "supported, outdated");
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

TEST_CASE(
    "Finding 6: the release before the newest, 6 months on, is outdated but supported") {
  // The example: v1..v4 monthly from 2026-01-01 (UTC partner); v4 on
  // 2026-04-01T00:00Z. 6 months after v4 is 2026-10-01T00:00Z.
  std::vector<Release> monthly = {
      Released("v1", "2026-01-01T00:00:00Z"), Released("v2", "2026-02-01T00:00:00Z"),
      Released("v3", "2026-03-01T00:00:00Z"), Released("v4", "2026-04-01T00:00:00Z")};
  // v3: one newer release out (v4; 1 < 3) -> supported. Exactly 6 months after
  // v4 is not "more than": not outdated; a second later it is.
  CHECK(Judge(monthly, "v3", "2026-10-01T00:00:00Z") == "supported");
  CHECK(Judge(monthly, "v3", "2026-10-01T00:00:01Z") == "supported, outdated");
  CHECK(Judge(monthly, "v3", "2027-04-01T00:00:00Z") == "supported, outdated");
  // v2: v3 and v4 newer (2 < 3): supported; outdated since v3 + 6 months =
  // 2026-09-01T00:00Z.
  CHECK(Judge(monthly, "v2", "2026-08-31T23:59:59Z") == "supported");
  CHECK(Judge(monthly, "v2", "2026-09-01T00:00:01Z") == "supported, outdated");
  // v1: v2, v3 and v4 newer (3, not < 3): unsupported, and outdated.
  CHECK(Judge(monthly, "v1", "2026-10-01T00:00:01Z") == "unsupported, outdated");
  // The newest is never outdated.
  CHECK(Judge(monthly, "v4", "2030-01-01T00:00:00Z") == "supported");
}

TEST_CASE("Finding 6 in Sydney: 6 local months across the change of summer time") {
  // v4 released 2026-04-01 00:00 AEDT (+11) = 2026-03-31T13:00Z. 6 local
  // months on: 2026-10-01 00:00, and summer time only starts on Sunday
  // 2026-10-04, so AEST (+10) = 2026-09-30T14:00Z. On UTC dates it would be
  // 2026-09-30T13:00Z, an hour early.
  const date::time_zone* sydney = date::locate_zone("Australia/Sydney");
  std::vector<Release> monthly = {Released("v1", "2026-01-01T00:00:00+11:00"),
                                  Released("v2", "2026-02-01T00:00:00+11:00"),
                                  Released("v3", "2026-03-01T00:00:00+11:00"),
                                  Released("v4", "2026-04-01T00:00:00+11:00")};
  CHECK(Judge(monthly, "v3", "2026-09-30T13:30:00Z", {}, sydney) == "supported");
  CHECK(Judge(monthly, "v3", "2026-09-30T14:00:00Z", {}, sydney) == "supported");
  CHECK(Judge(monthly, "v3", "2026-09-30T14:00:01Z", {}, sydney) ==
        "supported, outdated");
  CHECK(Judge(monthly, "v3", "2026-09-30T13:30:00Z", {}, nullptr) ==
        "supported, outdated");  // what UTC dates would say
}

TEST_CASE("Finding 6 in Tokyo: upgrade grace from and to a 29 February") {
  const date::time_zone* tokyo = date::locate_zone("Asia/Tokyo");  // +9, no DST
  // 2.0 released 2027-08-31 09:00 JST = 2027-08-31T00:00Z; + 6 local months =
  // 2028-02-31, which does not exist: the last day of February 2028 (a leap
  // year), 2028-02-29 09:00 JST = 2028-02-29T00:00Z.
  std::vector<Release> to_leap = {Released("1.0", "2027-01-10T00:00:00+09:00"),
                                  Released("2.0", "2027-08-31T09:00:00+09:00")};
  CHECK(Judge(to_leap, "1.0", "2028-02-29T00:00:00Z", {}, tokyo) == "supported");
  CHECK(Judge(to_leap, "1.0", "2028-02-29T00:00:01Z", {}, tokyo) ==
        "supported, outdated");
  // 3.0 released on the leap day itself, 2028-02-29 10:00 JST =
  // 2028-02-29T01:00Z: 6 months later is 2028-08-29 10:00 JST = 01:00Z.
  std::vector<Release> from_leap = {Released("2.0", "2027-08-31T09:00:00+09:00"),
                                    Released("3.0", "2028-02-29T10:00:00+09:00")};
  CHECK(Judge(from_leap, "2.0", "2028-08-29T01:00:00Z", {}, tokyo) == "supported");
  CHECK(Judge(from_leap, "2.0", "2028-08-29T01:00:01Z", {}, tokyo) ==
        "supported, outdated");
}

TEST_CASE("Finding 7: a build number matches its release; the longest match wins") {
  std::vector<Release> releases = {
      Released("24.1", "2026-01-01T00:00:00Z"), Released("24.2", "2026-03-01T00:00:00Z"),
      Released("24.2.1", "2026-04-01T00:00:00Z"),
      Released("24.3", "2026-05-01T00:00:00Z"), Released("24.4", "2026-06-01T00:00:00Z")};
  // The example: 24.2.1234 is release 24.2 (not 24.2.1: "24.2.1" is
  // followed by '2', not by a separator).
  CHECK(Matched(releases, "24.2.1234") == "24.2");
  // 24.2.1.7 matches both 24.2 and 24.2.1: the longer wins.
  CHECK(Matched(releases, "24.2.1.7") == "24.2.1");
  CHECK(Matched(releases, "24.2.1") == "24.2.1");
  CHECK(Matched(releases, "24.2") == "24.2");
  // Every separator of docs/design.md §1.
  CHECK(Matched(releases, "24.2-hotfix3") == "24.2");
  CHECK(Matched(releases, "24.2+build.5") == "24.2");
  CHECK(Matched(releases, "24.2_7") == "24.2");
  CHECK(Matched(releases, "24.2 build 1234") == "24.2");
  // Not a build of a release: another digit, a shorter version, another case.
  CHECK(Matched(releases, "24.20") == "none");
  CHECK(Matched(releases, "24.2a") == "none");
  CHECK(Matched(releases, "24") == "none");
  CHECK(Matched(releases, "") == "none");
  CHECK(Matched(releases, "V24.2") == "none");

  // What the match means for support, opened 2026-06-15:
  //   24.2.1.7 -> 24.2.1: newer out 24.3, 24.4 (2 < 3) -> supported;
  //   24.2.1234 -> 24.2: newer out 24.2.1, 24.3, 24.4 (3) -> unsupported;
  //   24.4.0.88 -> 24.4, the newest -> supported.
  CHECK(Judge(releases, "24.2.1.7", "2026-06-15T00:00:00Z") == "supported");
  CHECK(Judge(releases, "24.2.1234", "2026-06-15T00:00:00Z") == "unsupported");
  CHECK(Judge(releases, "24.4.0.88", "2026-06-15T00:00:00Z") == "supported");
  // The example alone: with 24.1 and 24.2 out, 24.2.1234 is the newest.
  std::vector<Release> two = {Released("24.1", "2026-01-01T00:00:00Z"),
                              Released("24.2", "2026-03-01T00:00:00Z")};
  CHECK(Judge(two, "24.2.1234", "2026-06-15T00:00:00Z") == "supported");
  CHECK(Judge(two, "24.1.987", "2026-06-15T00:00:00Z") == "supported");
  // 24.2 out since 2026-03-01, + 6 months = 2026-09-01: a build of 24.1 is
  // outdated after that, a build of 24.2 is not.
  CHECK(Judge(two, "24.1.987", "2026-09-01T00:00:01Z") == "supported, outdated");
  CHECK(Judge(two, "24.2.1234", "2026-09-01T00:00:01Z") == "supported");
}

TEST_CASE(
    "Finding 7 with build numbers in Tokyo and Sydney, and a release listed twice") {
  // Tokyo: 25.1 released 2026-01-01 00:00 JST = 2025-12-31T15:00Z, 25.2 on
  // 2026-03-01 00:00 JST = 2026-02-28T15:00Z. A build of 25.1 is outdated
  // after 2026-09-01 00:00 JST = 2026-08-31T15:00Z.
  const date::time_zone* tokyo = date::locate_zone("Asia/Tokyo");
  std::vector<Release> releases = {Released("25.1", "2026-01-01T00:00:00+09:00"),
                                   Released("25.2", "2026-03-01T00:00:00+09:00")};
  CHECK(Judge(releases, "25.1.4410", "2026-08-31T15:00:00Z", {}, tokyo) == "supported");
  CHECK(Judge(releases, "25.1.4410", "2026-08-31T15:00:01Z", {}, tokyo) ==
        "supported, outdated");
  // Sydney: the same local dates in AEDT (+11) and AEST (+10): 25.2 on
  // 2026-03-01 00:00 AEDT = 2026-02-28T13:00Z; + 6 months = 2026-09-01 00:00
  // AEST = 2026-08-31T14:00Z.
  const date::time_zone* sydney = date::locate_zone("Australia/Sydney");
  std::vector<Release> au = {Released("25.1", "2026-01-01T00:00:00+11:00"),
                             Released("25.2", "2026-03-01T00:00:00+11:00")};
  CHECK(Judge(au, "25.1-7", "2026-08-31T14:00:00Z", {}, sydney) == "supported");
  CHECK(Judge(au, "25.1-7", "2026-08-31T14:00:01Z", {}, sydney) == "supported, outdated");
  // A release listed twice (a re-release) counts from its first date.
  std::vector<Release> twice = {Released("25.2", "2026-05-01T00:00:00Z"),
                                Released("25.2", "2026-03-01T00:00:00Z")};
  REQUIRE(MatchRelease(twice, "25.2.9") != nullptr);
  CHECK(Show(MatchRelease(twice, "25.2.9")->released_at) == "2026-03-01T00:00:00Z");
  // ... and its second row is not a newer release: with 25.3 and 25.4 out as
  // well, 25.2 is the third newest version, supported.
  twice.push_back(Released("25.3", "2026-06-01T00:00:00Z"));
  twice.push_back(Released("25.4", "2026-07-01T00:00:00Z"));
  CHECK(Judge(twice, "25.2.9", "2026-07-15T00:00:00Z") == "supported");
}
