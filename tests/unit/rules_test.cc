// The rules a ticket is judged by: the ReferenceBook's one way of building a
// ticket's context (defaults for missing reference data, replace semantics).
// Every expectation is worked out by hand in its comment.
//
// Calendar facts: 2026-11-04 is a Wednesday. In November 2026 Europe/Berlin is
// UTC+1, Asia/Tokyo UTC+9 (no DST), Australia/Sydney UTC+11 (AEDT, DST).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "config/config.h"
#include "engine/engine.h"
#include "engine/history.h"
#include "engine/reference_book.h"
#include "test_time.h"

using namespace slamon;
using slamon::testing::At;
using slamon::testing::Show;

namespace {

constexpr TargetName kResponse = TargetName::kResponse;
constexpr TargetName kWorkaround = TargetName::kWorkaround;
constexpr TargetName kResolution = TargetName::kResolution;

Rules RulesFrom(const std::string& yaml) {
  ConfigResult result = ParseConfig(yaml, "rules.yml");
  for (const auto& e : result.errors) FAIL_CHECK(e.ToString());
  REQUIRE(result.config);
  return std::move(result.config->rules);
}

Partner MakePartner(std::string id, const char* zone, std::string policy = "default") {
  return {.id = std::move(id),
          .name = "",
          .contract_signed_at = At("2026-01-10T00:00:00Z"),
          .zone = date::locate_zone(zone),
          .policy = std::move(policy)};
}

TicketEvent Opened(std::string_view at, std::string partner, std::string severity) {
  TicketEvent e;
  e.at = At(at);
  e.kind = EventKind::kOpened;
  e.sequence = 1;
  e.partner = std::move(partner);
  e.severity = std::move(severity);
  e.incidents = 1;
  e.product = "backup";
  e.version = "24.1";
  return e;
}

TicketEvent Reclassified(std::string_view at, std::string severity, int64_t sequence) {
  TicketEvent e;
  e.at = At(at);
  e.kind = EventKind::kSeverity;
  e.sequence = sequence;
  e.severity = std::move(severity);
  return e;
}

TicketEvaluation Evaluate(const ReferenceBook& book, const Rules& rules,
                          std::vector<TicketEvent> events, std::string_view at) {
  TicketHistory history = SanitizeHistory("T-1", std::move(events), book.PolicyLookup(rules));
  for (const auto& r : history.rejected) FAIL_CHECK(r.message);
  REQUIRE_FALSE(history.events.empty());
  ResolvedContext context = book.ContextFor(history.events.front(), rules);
  return EvaluateTicket("T-1", history.events, context.context, At(at));
}

std::string Deadline(const Clock& c) { return c.deadline ? Show(*c.deadline) : "none"; }

constexpr const char* kRestartPolicy = R"(
policies:
  restart:
    reclassification: restart
)";

}  // namespace

TEST_CASE("ContextFor: a known partner's policy, zone, certifications and releases") {
  Rules rules = RulesFrom(kRestartPolicy);
  ReferenceBook book({MakePartner("p1", "Asia/Tokyo", "restart"),
                      MakePartner("p2", "Europe/Berlin")},
                     {{"p1", "e1", At("2026-01-01T00:00:00Z")},
                      {"p2", "e9", At("2026-01-01T00:00:00Z")}},
                     {{"backup", "24.1", At("2026-06-01T00:00:00Z")},
                      {"mail", "1.0", At("2026-06-01T00:00:00Z")}});
  ResolvedContext c = book.ContextFor(Opened("2026-11-04T10:00:00Z", "p1", "A"), rules);
  REQUIRE(c.partner != nullptr);
  CHECK(c.partner->id == "p1");
  CHECK(c.context.policy->name == "restart");
  CHECK(c.context.partner_zone == date::locate_zone("Asia/Tokyo"));
  CHECK(c.context.calendars == &rules.calendars);
  REQUIRE(c.context.certifications.size() == 1);  // p1's only
  CHECK(c.context.certifications[0].employee == "e1");
  REQUIRE(c.context.releases.size() == 1);  // backup's only
  CHECK(c.context.releases[0].version == "24.1");
  CHECK(c.notes.empty());
}

TEST_CASE("ContextFor: an unknown partner is judged by the default policy in UTC") {
  Rules rules = RulesFrom(kRestartPolicy);
  ReferenceBook book({MakePartner("p1", "Asia/Tokyo", "restart")},
                     {{"p9", "e1", At("2026-01-01T00:00:00Z")}}, {});
  ResolvedContext c = book.ContextFor(Opened("2026-11-04T10:00:00Z", "p9", "A"), rules);
  CHECK(c.partner == nullptr);
  CHECK(c.context.policy == &rules.DefaultPolicy());
  CHECK(c.context.partner_zone == nullptr);
  CHECK(c.context.certifications.size() == 1);  // recorded under the id all the same
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0] == "unknown partner \"p9\": evaluated with the default policy in UTC");
}

TEST_CASE("ContextFor: a partner naming an undefined policy keeps its zone, default policy") {
  // The daemon used to default silently while evaluate/explain/report warned:
  // now every caller gets the same policy and the same note.
  Rules rules = RulesFrom("");
  ReferenceBook book({MakePartner("p1", "Australia/Sydney", "gold")}, {}, {});
  ResolvedContext c = book.ContextFor(Opened("2026-11-04T10:00:00Z", "p1", "A"), rules);
  REQUIRE(c.partner != nullptr);
  CHECK(c.context.policy == &rules.DefaultPolicy());
  CHECK(c.context.partner_zone == date::locate_zone("Australia/Sydney"));
  const std::string note =
      "partner p1 names policy \"gold\", which the config does not define: the default "
      "policy is used";
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0] == note);
  CHECK(book.Problems(rules) == std::vector<std::string>{note});
  CHECK(&book.PolicyLookup(rules)("p1") == &rules.DefaultPolicy());
}

TEST_CASE("ReferenceBook::Replace replaces and names what changed") {
  ReferenceBook book({MakePartner("p1", "Europe/Berlin"), MakePartner("p2", "Asia/Tokyo")},
                     {{"p1", "e1", At("2025-01-01T00:00:00Z")},
                      {"p1", "e2", At("2025-02-01T00:00:00Z")}},
                     {{"backup", "24.1", At("2026-01-01T00:00:00Z")},
                      {"backup", "24.2", At("2026-12-01T00:00:00Z")},
                      {"mail", "1.0", At("2026-01-01T00:00:00Z")}});
  SECTION("the same data in another order changes nothing") {
    ReferenceChanges changes = book.Replace(ReferenceBook(
        {MakePartner("p2", "Asia/Tokyo"), MakePartner("p1", "Europe/Berlin")},
        {{"p1", "e2", At("2025-02-01T00:00:00Z")}, {"p1", "e1", At("2025-01-01T00:00:00Z")}},
        {{"mail", "1.0", At("2026-01-01T00:00:00Z")},
         {"backup", "24.2", At("2026-12-01T00:00:00Z")},
         {"backup", "24.1", At("2026-01-01T00:00:00Z")}}));
    CHECK(changes.empty());
  }
  SECTION("a postponed release, a deleted certification, a new zone, a new partner") {
    Partner moved = MakePartner("p2", "America/Sao_Paulo");
    ReferenceChanges changes = book.Replace(ReferenceBook(
        {MakePartner("p1", "Europe/Berlin"), moved, MakePartner("p3", "UTC")},
        {{"p1", "e1", At("2025-01-01T00:00:00Z")}},
        {{"backup", "24.1", At("2026-01-01T00:00:00Z")},
         {"backup", "24.2", At("2027-01-15T00:00:00Z")},
         {"mail", "1.0", At("2026-01-01T00:00:00Z")}}));
    CHECK(changes.partners == std::set<std::string, std::less<>>{"p1", "p2", "p3"});
    CHECK(changes.products == std::set<std::string, std::less<>>{"backup"});
    // Replaced, not merged: the old date and the deleted exam are gone.
    REQUIRE(book.ReleasesOf("backup").size() == 2);
    for (const auto& r : book.ReleasesOf("backup"))
      CHECK(Show(r.released_at) != "2026-12-01T00:00:00Z");
    CHECK(book.CertificationsOf("p1").size() == 1);
    CHECK(book.FindPartner("p2")->zone == moved.zone);
  }
  SECTION("a deleted partner and a deleted product are changes too") {
    ReferenceChanges changes = book.Replace(ReferenceBook(
        {MakePartner("p1", "Europe/Berlin")},
        {{"p1", "e1", At("2025-01-01T00:00:00Z")}, {"p1", "e2", At("2025-02-01T00:00:00Z")}},
        {{"backup", "24.1", At("2026-01-01T00:00:00Z")},
         {"backup", "24.2", At("2026-12-01T00:00:00Z")}}));
    CHECK(changes.partners == std::set<std::string, std::less<>>{"p2"});
    CHECK(changes.products == std::set<std::string, std::less<>>{"mail"});
    CHECK(book.FindPartner("p2") == nullptr);
    CHECK(book.ReleasesOf("mail").empty());
  }
}
