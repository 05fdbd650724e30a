// The rules a ticket is judged by: the ReferenceBook's one way of building a
// ticket's context (defaults for missing reference data, replace semantics)
// and the re-classification rule that a no-op severity event changes nothing
// (issue 11, finding 3). Every expectation is worked out by hand in its
// comment.
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
          .policy = std::move(policy),
          .holidays = "",
          .credit = CreditKind::kQuota};
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
  TicketHistory history =
      SanitizeHistory("T-1", std::move(events), book.PolicyLookup(rules));
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
  ReferenceBook book(
      {MakePartner("p1", "Asia/Tokyo", "restart"), MakePartner("p2", "Europe/Berlin")},
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

TEST_CASE(
    "ContextFor: a partner naming an undefined policy keeps its zone, default policy") {
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
  ReferenceBook book(
      {MakePartner("p1", "Europe/Berlin"), MakePartner("p2", "Asia/Tokyo")},
      {{"p1", "e1", At("2025-01-01T00:00:00Z")},
       {"p1", "e2", At("2025-02-01T00:00:00Z")}},
      {{"backup", "24.1", At("2026-01-01T00:00:00Z")},
       {"backup", "24.2", At("2026-12-01T00:00:00Z")},
       {"mail", "1.0", At("2026-01-01T00:00:00Z")}});
  SECTION("the same data in another order changes nothing") {
    ReferenceChanges changes = book.Replace(ReferenceBook(
        {MakePartner("p2", "Asia/Tokyo"), MakePartner("p1", "Europe/Berlin")},
        {{"p1", "e2", At("2025-02-01T00:00:00Z")},
         {"p1", "e1", At("2025-01-01T00:00:00Z")}},
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
    ReferenceChanges changes =
        book.Replace(ReferenceBook({MakePartner("p1", "Europe/Berlin")},
                                   {{"p1", "e1", At("2025-01-01T00:00:00Z")},
                                    {"p1", "e2", At("2025-02-01T00:00:00Z")}},
                                   {{"backup", "24.1", At("2026-01-01T00:00:00Z")},
                                    {"backup", "24.2", At("2026-12-01T00:00:00Z")}}));
    CHECK(changes.partners == std::set<std::string, std::less<>>{"p2"});
    CHECK(changes.products == std::set<std::string, std::less<>>{"mail"});
    CHECK(book.FindPartner("p2") == nullptr);
    CHECK(book.ReleasesOf("mail").empty());
  }
}

TEST_CASE("Finding 3: a no-op re-classification changes nothing (restart mode)") {
  Rules rules = RulesFrom(kRestartPolicy);
  ReferenceBook book({MakePartner("berlin", "Europe/Berlin", "restart"),
                      MakePartner("tokyo", "Asia/Tokyo", "restart"),
                      MakePartner("sydney", "Australia/Sydney", "restart")},
                     {}, {});

  SECTION("the issue's example: `severity A` on an A ticket (Berlin)") {
    // Opened Wed 4 Nov 10:00Z (11:00 CET); `severity A` at 12:00Z. Nothing
    // restarts, so the deadlines stay those counted from 10:00Z:
    //   response   4 h                          -> 14:00Z
    //   workaround 1 day                        -> Thu 5 Nov 10:00Z
    //   resolution 15 business days from Wed 11:00 CET: Thu 5 (1), Fri 6 (2),
    //              9-13 Nov (3-7), 16-20 (8-12), Mon 23 (13), Tue 24 (14),
    //              Wed 25 (15) -> Wed 25 Nov 11:00 CET = 10:00Z
    // (with the restart, they would be 16:00Z, 5 Nov 12:00Z and 25 Nov 12:00Z).
    TicketEvaluation e = Evaluate(book, rules,
                                  {Opened("2026-11-04T10:00:00Z", "berlin", "A"),
                                   Reclassified("2026-11-04T12:00:00Z", "A", 2)},
                                  "2026-11-04T13:00:00Z");
    CHECK(e.severity == "A");
    CHECK(Deadline(e[kResponse]) == "2026-11-04T14:00:00Z");
    CHECK(Deadline(e[kWorkaround]) == "2026-11-05T10:00:00Z");
    CHECK(Deadline(e[kResolution]) == "2026-11-25T10:00:00Z");
    CHECK(e[kResponse].elapsed == Seconds{3 * 3600});  // 10:00Z to 13:00Z, not 1 h
  }
  SECTION("east of UTC: `severity B` twice on a B ticket (Tokyo)") {
    // Opened Wed 4 Nov 01:00Z (10:00 JST); `severity B` at 03:00Z and 05:30Z.
    //   response   4 h from 01:00Z              -> 05:00Z, breached at 06:00Z
    //              (a restart at 05:30Z would have made it due at 09:30Z)
    //   workaround 2 days                       -> Fri 6 Nov 01:00Z
    //   resolution 20 business days from Wed 10:00 JST: 5, 6, 9-13, 16-20,
    //              23-27 Nov (17), Mon 30 (18), Tue 1 Dec (19), Wed 2 Dec (20)
    //              -> 2 Dec 10:00 JST = 01:00Z
    TicketEvaluation e = Evaluate(book, rules,
                                  {Opened("2026-11-04T01:00:00Z", "tokyo", "B"),
                                   Reclassified("2026-11-04T03:00:00Z", "B", 2),
                                   Reclassified("2026-11-04T05:30:00Z", "B", 3)},
                                  "2026-11-04T06:00:00Z");
    CHECK(Deadline(e[kResponse]) == "2026-11-04T05:00:00Z");
    CHECK(e[kResponse].breached);
    CHECK(Deadline(e[kWorkaround]) == "2026-11-06T01:00:00Z");
    CHECK(Deadline(e[kResolution]) == "2026-12-02T01:00:00Z");
  }
  SECTION("southern hemisphere: a real change, then the same severity again (Sydney)") {
    // C opened Wed 4 Nov 10:00 AEDT = Tue 3 Nov 23:00Z; A at 01:00Z (12:00
    // AEDT) restarts the clocks (none met or breached yet); A again at 03:00Z
    // must not restart them a second time:
    //   response   A's 4 h from 01:00Z          -> 05:00Z
    //   workaround A's 1 day from 01:00Z        -> Thu 5 Nov 01:00Z
    //   resolution A's 15 business days from Wed 12:00 AEDT -> Wed 25 Nov
    //              12:00 AEDT = 01:00Z
    TicketEvaluation e = Evaluate(book, rules,
                                  {Opened("2026-11-03T23:00:00Z", "sydney", "C"),
                                   Reclassified("2026-11-04T01:00:00Z", "A", 2),
                                   Reclassified("2026-11-04T03:00:00Z", "A", 3)},
                                  "2026-11-04T04:00:00Z");
    CHECK(e.severity == "A");
    CHECK(Deadline(e[kResponse]) == "2026-11-04T05:00:00Z");
    CHECK(Deadline(e[kWorkaround]) == "2026-11-05T01:00:00Z");
    CHECK(Deadline(e[kResolution]) == "2026-11-25T01:00:00Z");
  }
}

TEST_CASE("Finding 3: a no-op re-classification changes nothing (retroactive mode)") {
  Rules rules = RulesFrom("");
  ReferenceBook book({MakePartner("berlin", "Europe/Berlin")}, {}, {});
  // B opened Wed 4 Nov 10:00Z, responded 11:00Z, `severity B` at 12:00Z and
  // 13:00Z: B's targets from 10:00Z, as if the events were not there:
  //   response met at 11:00Z against 14:00Z; workaround 2 days -> 6 Nov 10:00Z.
  std::vector<TicketEvent> events = {Opened("2026-11-04T10:00:00Z", "berlin", "B"),
                                     Reclassified("2026-11-04T12:00:00Z", "B", 3),
                                     Reclassified("2026-11-04T13:00:00Z", "B", 4)};
  TicketEvent responded;
  responded.at = At("2026-11-04T11:00:00Z");
  responded.kind = EventKind::kResponded;
  responded.sequence = 2;
  events.push_back(responded);
  TicketEvaluation e = Evaluate(book, rules, events, "2026-11-04T14:00:00Z");
  CHECK(e[kResponse].status == ClockStatus::kStopped);
  CHECK(Deadline(e[kResponse]) == "2026-11-04T14:00:00Z");
  CHECK_FALSE(e[kResponse].breached);
  CHECK(Deadline(e[kWorkaround]) == "2026-11-06T10:00:00Z");
}

// --- A partner's own holiday calendar (docs/design.md §2 and §3) ---------------

namespace {

// "de" and "au" hold only holidays: what a partner's `holidays` column names.
constexpr const char* kHolidayCalendars = R"(
calendars:
  de:
    holidays: ["2026-11-18", "12-25", "12-26"]
  au:
    timezone: Australia/Sydney
    holidays: ["12-25", "12-26", "2027-01-26"]
)";

Partner WithHolidays(std::string id, const char* zone, std::string holidays) {
  Partner p = MakePartner(std::move(id), zone);
  p.holidays = std::move(holidays);
  return p;
}

}  // namespace

TEST_CASE("A partner's holiday calendar moves its business-day deadlines") {
  Rules rules = RulesFrom(kHolidayCalendars);
  ReferenceBook book(
      {WithHolidays("p1", "Europe/Berlin", "de"), MakePartner("p2", "Europe/Berlin")}, {},
      {});
  ResolvedContext c = book.ContextFor(Opened("2026-11-04T10:00:00Z", "p1", "A"), rules);
  CHECK(c.context.holidays == "de");
  CHECK(c.notes.empty());
  CHECK(book.Problems(rules).empty());

  // Opened Wed 2026-11-04 11:00 CET (10:00Z). 15 business days: Thu 5, Fri 6,
  // Mon 9-Fri 13, Mon 16, Tue 17, (Wed 18 is p1's holiday) Thu 19, Fri 20, Mon
  // 23, Tue 24, Wed 25, Thu 26 = 15: Thu 26 Nov 11:00 CET = 10:00Z. For p2,
  // without holidays, the 15th is Wed 25 Nov. The budget is 15 x 24 h for both
  // (holidays are not working time). The 1-day workaround on 24x7 ignores
  // holidays: Thu 5 Nov 10:00Z for both.
  TicketEvaluation p1 = Evaluate(book, rules, {Opened("2026-11-04T10:00:00Z", "p1", "A")},
                                 "2026-11-04T10:00:00Z");
  CHECK(Deadline(p1[kResolution]) == "2026-11-26T10:00:00Z");
  CHECK(p1[kResolution].budget == Seconds{15 * 86400});
  CHECK(Deadline(p1[kWorkaround]) == "2026-11-05T10:00:00Z");
  TicketEvaluation p2 = Evaluate(book, rules, {Opened("2026-11-04T10:00:00Z", "p2", "A")},
                                 "2026-11-04T10:00:00Z");
  CHECK(Deadline(p2[kResolution]) == "2026-11-25T10:00:00Z");
}

TEST_CASE("A Sydney partner's holidays fall on its own local days; 24x7 is exempt") {
  Rules rules = RulesFrom(kHolidayCalendars);
  ReferenceBook book({WithHolidays("p1", "Australia/Sydney", "au")}, {}, {});
  // Opened Wed 2026-12-23 10:00 AEDT (+11) = 2026-12-22T23:00Z. 15 business days
  // in Sydney with 25 and 26 Dec (Fri, Sat) and 26 Jan off: Thu 24 (1), Mon 28-
  // Thu 31 (2-5), Fri 1 Jan (6), Mon 4-Fri 8 (7-11), Mon 11-Thu 14 (12-15): Thu
  // 14 Jan 2027 10:00 AEDT = 2027-01-13T23:00Z. The workaround (1 day on 24x7)
  // is due Thu 24 Dec 10:00 AEDT = 23 Dec 23:00Z, holiday calendar or not.
  TicketEvaluation a = Evaluate(book, rules, {Opened("2026-12-22T23:00:00Z", "p1", "A")},
                                "2026-12-22T23:00:00Z");
  CHECK(Deadline(a[kResolution]) == "2027-01-13T23:00:00Z");
  CHECK(Deadline(a[kWorkaround]) == "2026-12-23T23:00:00Z");
}

TEST_CASE("A partner naming an undefined holiday calendar keeps the calendars' own") {
  Rules rules = RulesFrom(kHolidayCalendars);
  ReferenceBook book({WithHolidays("p1", "Europe/Berlin", "fr")}, {}, {});
  ResolvedContext c = book.ContextFor(Opened("2026-11-04T10:00:00Z", "p1", "A"), rules);
  CHECK(c.context.holidays.empty());
  const std::string note =
      "partner p1 names holiday calendar \"fr\", which the config does not define: its "
      "calendars' own holidays are used";
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0] == note);
  CHECK(book.Problems(rules) == std::vector<std::string>{note});
  // business-days has no holidays of its own: Wed 25 Nov 11:00 CET, as for a
  // partner without a holiday calendar.
  TicketEvaluation a = Evaluate(book, rules, {Opened("2026-11-04T10:00:00Z", "p1", "A")},
                                "2026-11-04T10:00:00Z");
  CHECK(Deadline(a[kResolution]) == "2026-11-25T10:00:00Z");
}

TEST_CASE("Severities: every severity some policy names, once, in the policies' order") {
  // The built-in policy (docs/design.md §1) names A, B, C and D.
  CHECK(Rules().Severities() == std::vector<std::string>{"A", "B", "C", "D"});

  // A policy "gold" starts from the built-in one and adds E. Policies are
  // walked by name, "default" before "gold": A B C D from default, then E,
  // the one gold names that default does not.
  Rules configured = RulesFrom(R"(
policies:
  gold:
    severities:
      E:
        resolution: {within: 2w}
)");
  CHECK(configured.Severities() == std::vector<std::string>{"A", "B", "C", "D", "E"});

  // Built by hand: policy "aaa" names only Z and B. "aaa" comes before
  // "default", and within a policy severities come in name order (B before
  // Z): B, Z from aaa, then A, C, D from default (B is already listed).
  Rules rules;
  Policy aaa;
  aaa.name = "aaa";
  aaa.severities["Z"] = {};
  aaa.severities["B"] = {};
  rules.policies.emplace("aaa", aaa);
  CHECK(rules.Severities() == std::vector<std::string>{"B", "Z", "A", "C", "D"});

  // A policy without severities adds none.
  rules.policies.emplace("empty", Policy{});
  CHECK(rules.Severities() == std::vector<std::string>{"B", "Z", "A", "C", "D"});
}
