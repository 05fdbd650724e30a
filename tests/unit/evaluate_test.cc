// slamon evaluate as a stream: records in, report lines and problems out.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/config.h"
#include "evaluate/evaluation_run.h"
#include "test_time.h"

using namespace slamon;
using nlohmann::json;
using slamon::testing::At;

namespace {

struct Outcome {
  std::vector<json> tickets;
  std::vector<json> partners;
  std::vector<std::string> problems;

  const json& Ticket(const std::string& id) const {
    for (const auto& t : tickets) {
      if (t["ticket"] == id) return t;
    }
    FAIL("no ticket " << id << " in the output");
    return tickets.front();
  }
};

Outcome Evaluate(const std::string& input, const char* at, const std::string& yaml = "") {
  ConfigResult config = ParseConfig(yaml, "test.yml");
  REQUIRE(config.config);
  std::ostringstream out, errors;
  EvaluationRun run(config.config->rules, At(at), "stdin", out, errors);
  std::istringstream lines(input);
  std::string line;
  int64_t n = 0;
  while (std::getline(lines, line)) run.ReadLine(line, ++n);
  run.Finish();
  Outcome outcome;
  std::istringstream produced(out.str());
  while (std::getline(produced, line)) {
    json j = json::parse(line);
    (j["type"] == "ticket" ? outcome.tickets : outcome.partners).push_back(j);
  }
  std::istringstream reported(errors.str());
  while (std::getline(reported, line)) outcome.problems.push_back(line);
  CHECK(run.problems() == static_cast<int>(outcome.problems.size()));
  return outcome;
}

const std::string kPartner =
    R"({"type":"partner","id":"p1","contract_signed_at":"2026-01-10T00:00:00Z","timezone":"Europe/Berlin","policy":"default"})";

}  // namespace

TEST_CASE("The docs/design.md example: T-1 at 11:00Z") {
  Outcome o = Evaluate(kPartner + R"(
{"type":"certification","partner":"p1","employee":"e1","passed_at":"2025-06-01T00:00:00Z"}
{"type":"release","product":"backup","version":"24.2","released_at":"2026-12-15T00:00:00Z"}
{"type":"event","ticket":"T-1","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"A","incidents":1,"product":"backup","version":"24.1"}
{"type":"event","ticket":"T-1","at":"2026-11-04T11:00:00Z","kind":"responded"}
)",
                       "2026-11-04T11:00:00Z");
  CHECK(o.problems.empty());
  REQUIRE(o.tickets.size() == 1);
  const json& t = o.Ticket("T-1");
  // Only a planned release of "backup" is known: nothing to judge 24.1 against.
  CHECK(t["supported"] == true);
  CHECK(t["clocks"]["resolution"]["deadline"] == "2026-11-25T10:00:00Z");
  // One certified employee only: the ticket carries a fee.
  CHECK(t["fee"] == true);
  REQUIRE(o.partners.size() == 1);
  CHECK(o.partners[0]["period_start"] == "2026-02-09T00:00:00Z");
  CHECK(o.partners[0]["period_end"] == "2027-01-10T00:00:00Z");
  CHECK(o.partners[0]["incidents_used"] == 1);
  CHECK(o.partners[0]["incidents_limit"] == 20);
  CHECK(o.partners[0]["fees"] == 1);
}

TEST_CASE("The docs/design.md example's clocks when the version is supported") {
  Outcome o = Evaluate(kPartner + R"(
{"type":"event","ticket":"T-1","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"A","incidents":1,"product":"backup","version":"24.1"}
{"type":"event","ticket":"T-1","at":"2026-11-04T11:00:00Z","kind":"responded"}
)",
                       "2026-11-04T11:00:00Z");
  const json& clocks = o.Ticket("T-1")["clocks"];
  CHECK(clocks["response"] ==
        json::parse(R"({"status":"stopped","deadline":"2026-11-04T14:00:00Z",
      "stopped_at":"2026-11-04T11:00:00Z","breached":false,"breached_at":null,
      "elapsed_seconds":3600,"budget_seconds":14400,"at_risk":false})"));
  CHECK(clocks["workaround"]["status"] == "running");
  CHECK(clocks["workaround"]["deadline"] == "2026-11-05T10:00:00Z");
  CHECK(clocks["workaround"]["elapsed_seconds"] == 3600);
  CHECK(clocks["resolution"]["deadline"] == "2026-11-25T10:00:00Z");
  CHECK(clocks["resolution"]["budget_seconds"] == 1296000);
}

TEST_CASE("Each bad line is reported with its line number and the rest is evaluated") {
  Outcome o = Evaluate(kPartner + R"(
{"type":"event","ticket":"T-1","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"A","product":"x","version":"1"}
{"type":"event","ticket":"T-1","at":"2026-11-04T11:00:00Z","kind":"respond
{"type":"event","ticket":"T-1","at":"2026-11-04T11:00:00Z","kind":"answered"}
{"type":"event","ticket":"T-1","at":"2026-11-04T11:00:00","kind":"responded"}
{"type":"event","ticket":"T-1","at":"2026-11-04T09:00:00Z","kind":"responded"}
{"type":"event","ticket":"T-1","at":"2026-11-04T10:30:00Z","kind":"opened","partner":"p1","severity":"B"}
{"type":"event","ticket":"T-1","at":"2026-11-04T10:40:00Z","kind":"severity","severity":"Z"}
{"type":"event","ticket":"T-2","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"X"}
{"type":"event","ticket":"T-2","at":"2026-11-04T10:10:00Z","kind":"responded"}
{"type":"event","ticket":"T-3","at":"2026-11-04T10:10:00Z","kind":"responded"}
{"type":"ticket"}
[1,2]
{"type":"event","ticket":"T-1","at":"2026-11-04T12:00:00Z","kind":"responded"}
)",
                       "2026-11-04T13:00:00Z");
  std::vector<std::string> expected = {
      "stdin:3: malformed JSON",
      "stdin:4: ticket T-1: unknown event kind \"answered\"",
      "stdin:5: ticket T-1: field \"at\": date-time \"2026-11-04T11:00:00\" has no UTC "
      "offset",
      "stdin:6: ticket T-1: responded at 2026-11-04T09:00:00Z: is before the ticket was "
      "opened",
      "stdin:7: ticket T-1: opened at 2026-11-04T10:30:00Z: the ticket was already "
      "opened",
      "stdin:8: ticket T-1: severity at 2026-11-04T10:40:00Z: unknown severity \"Z\"",
      "stdin:9: ticket T-2: opened at 2026-11-04T10:00:00Z: unknown severity \"X\"",
      "stdin:10: ticket T-2: responded at 2026-11-04T10:10:00Z: the ticket has no valid "
      "opened",
      "stdin:11: ticket T-3: responded at 2026-11-04T10:10:00Z: the ticket has no valid "
      "opened",
      "stdin:12: unknown record type \"ticket\"",
      "stdin:13: expected a JSON object",
  };
  std::vector<std::string> problems = o.problems;
  std::sort(problems.begin(), problems.end(),
            [](const std::string& a, const std::string& b) {
              return std::stoi(a.substr(6)) < std::stoi(b.substr(6));
            });
  REQUIRE(problems.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK_THAT(problems[i], Catch::StartsWith(expected[i]));
  }
  // T-1 is still evaluated from its good lines: responded at 12:00Z, within 4 h.
  REQUIRE(o.tickets.size() == 1);
  const json& response = o.Ticket("T-1")["clocks"]["response"];
  CHECK(response["status"] == "stopped");
  CHECK(response["stopped_at"] == "2026-11-04T12:00:00Z");
  CHECK(response["breached"] == false);
  CHECK(o.Ticket("T-1")["severity"] == "A");
}

TEST_CASE("Finding 4: a reopened after closed reopens the ticket, as in the daemon") {
  const std::string events = R"(
{"type":"event","ticket":"T-2","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"C"}
{"type":"event","ticket":"T-1","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"C","incidents":2}
{"type":"event","ticket":"T-1","at":"2026-11-05T10:00:00Z","kind":"closed"}
{"type":"event","ticket":"T-1","at":"2026-11-06T10:00:00Z","kind":"reopened"}
)";
  Outcome o = Evaluate(kPartner + events, "2026-11-10T00:00:00Z");
  REQUIRE(o.problems.empty());
  REQUIRE(o.tickets.size() == 2);
  CHECK(o.tickets[0]["ticket"] == "T-1");  // in order of ticket id
  CHECK(o.tickets[1]["ticket"] == "T-2");
  CHECK(o.Ticket("T-1")["state"] == "open");
  // The resolution clock ran 4 Nov 10:00Z - 5 Nov 10:00Z (1 day) and again
  // from 6 Nov 10:00Z: 1 d + 3 d 14 h = 396,000 s at 10 Nov 00:00Z; the day
  // closed is not counted, so C's 30 days end a day later, 5 Dec 10:00Z.
  const json& resolution = o.Ticket("T-1")["clocks"]["resolution"];
  CHECK(resolution["status"] == "running");
  CHECK(resolution["elapsed_seconds"] == 396000);
  CHECK(resolution["deadline"] == "2026-12-05T10:00:00Z");
  // The reopened ticket's incidents count once for its partner.
  CHECK(o.partners[0]["incidents_used"] == 3);
}

TEST_CASE("Finding 4: reopened after closed in Tokyo and on 29 February in Sao Paulo") {
  // A's resolution is 15 business days; the time between closed and
  // reopened is not counted, so the deadline is where the counted working
  // time reaches the 15 days' 15 x 24 h = 1,296,000 s.
  SECTION("east of UTC: Asia/Tokyo (UTC+9, no DST)") {
    // Opened Mon 2026-11-02 08:00 JST (Sun 1 Nov 23:00Z: a Sunday in UTC, so
    // the zone matters), closed Tue 3 Nov 08:00 JST, reopened Wed 4 Nov
    // 08:00 JST. Counted before the close: Mon 08:00 -> Tue 08:00 = 24 h.
    // The 336 h left from Wed 08:00: Wed 16 h, Thu 24, Fri 24 (64), 9-13 Nov
    // (184), 16-20 (304), Mon 23 (328), Tue 24 08:00 (336) -> Tue 24 Nov
    // 08:00 JST = 23 Nov 23:00Z. At Wed 12:00 JST (03:00Z): 24 h + 4 h =
    // 100,800 s.
    Outcome o = Evaluate(
        R"({"type":"partner","id":"p2","contract_signed_at":"2026-01-10T00:00:00+09:00","timezone":"Asia/Tokyo"}
{"type":"event","ticket":"T-1","at":"2026-11-01T23:00:00Z","kind":"opened","partner":"p2","severity":"A"}
{"type":"event","ticket":"T-1","at":"2026-11-02T23:00:00Z","kind":"closed"}
{"type":"event","ticket":"T-1","at":"2026-11-03T23:00:00Z","kind":"reopened"}
)",
        "2026-11-04T03:00:00Z");
    REQUIRE(o.problems.empty());
    CHECK(o.Ticket("T-1")["state"] == "open");
    const json& resolution = o.Ticket("T-1")["clocks"]["resolution"];
    CHECK(resolution["status"] == "running");
    CHECK(resolution["elapsed_seconds"] == 100800);
    CHECK(resolution["budget_seconds"] == 1296000);
    CHECK(resolution["deadline"] == "2026-11-23T23:00:00Z");
  }
  SECTION("a 29 February: America/Sao_Paulo (UTC-3, no DST since 2019)") {
    // Opened Mon 2028-02-28 10:00 BRT (13:00Z), closed Tue 29 Feb 10:00,
    // reopened Wed 1 Mar 10:00. Counted: Mon 10:00 -> Tue 10:00 = 24 h. The
    // 336 h left from Wed 10:00: Wed 14 h, Thu 2 and Fri 3 (62), 6-10 Mar
    // (182), 13-17 (302), Mon 20 (326), Tue 21 10:00 (336) -> Tue 21 Mar
    // 2028 10:00 BRT = 13:00Z. At Wed 1 Mar 12:00 BRT (15:00Z): 24 h + 2 h =
    // 93,600 s.
    Outcome o = Evaluate(
        R"({"type":"partner","id":"p3","contract_signed_at":"2027-01-10T00:00:00-03:00","timezone":"America/Sao_Paulo"}
{"type":"event","ticket":"T-1","at":"2028-02-28T13:00:00Z","kind":"opened","partner":"p3","severity":"A"}
{"type":"event","ticket":"T-1","at":"2028-02-29T13:00:00Z","kind":"closed"}
{"type":"event","ticket":"T-1","at":"2028-03-01T13:00:00Z","kind":"reopened"}
)",
        "2028-03-01T15:00:00Z");
    REQUIRE(o.problems.empty());
    CHECK(o.Ticket("T-1")["state"] == "open");
    const json& resolution = o.Ticket("T-1")["clocks"]["resolution"];
    CHECK(resolution["status"] == "running");
    CHECK(resolution["elapsed_seconds"] == 93600);
    CHECK(resolution["budget_seconds"] == 1296000);
    CHECK(resolution["deadline"] == "2028-03-21T13:00:00Z");
  }
}

TEST_CASE("Finding 4: reference lines after the events count as before them") {
  auto same_either_way = [](const std::string& reference, const std::string& events,
                            const char* at) {
    std::ostringstream first, last;
    for (const auto& [text, out] :
         {std::pair{reference + events, &first}, std::pair{events + reference, &last}}) {
      ConfigResult config = ParseConfig("", "test.yml");
      REQUIRE(config.config);
      std::ostringstream errors;
      EvaluationRun run(config.config->rules, At(at), "stdin", *out, errors);
      std::istringstream lines(text);
      std::string line;
      int64_t n = 0;
      while (std::getline(lines, line)) run.ReadLine(line, ++n);
      run.Finish();
      CHECK(errors.str().empty());
    }
    CHECK(first.str() == last.str());
    return Evaluate(events + reference, at);
  };
  SECTION("the issue's case: certifications after a closed ticket (Berlin)") {
    // e1 passed 2025-06-01 and e2 2025-09-01, each valid 18 months (to
    // 2026-12-01 and 2027-03-01): two valid on 4 Nov, certified, no fee.
    Outcome o = same_either_way(kPartner + R"(
{"type":"certification","partner":"p1","employee":"e1","passed_at":"2025-06-01T00:00:00Z"}
{"type":"certification","partner":"p1","employee":"e2","passed_at":"2025-09-01T00:00:00Z"}
)",
                                R"(
{"type":"event","ticket":"T-1","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"A"}
{"type":"event","ticket":"T-1","at":"2026-11-04T12:00:00Z","kind":"closed"}
)",
                                "2026-11-10T00:00:00Z");
    CHECK(o.Ticket("T-1")["fee"] == false);
    CHECK(o.partners[0]["certified"] == true);
    CHECK(o.partners[0]["fees"] == 0);
  }
  SECTION("releases after a closed ticket (Tokyo)") {
    // 23.1 has three newer releases out when the ticket is opened (24.1,
    // 24.2, 25.1): unsupported, so no clocks; 24.1 has been out since
    // 2025-06-01, more than 6 months: outdated as well.
    Outcome o = same_either_way(
        R"({"type":"partner","id":"p2","contract_signed_at":"2026-01-10T00:00:00+09:00","timezone":"Asia/Tokyo"}
{"type":"release","product":"backup","version":"23.1","released_at":"2025-01-01T00:00:00+09:00"}
{"type":"release","product":"backup","version":"24.1","released_at":"2025-06-01T00:00:00+09:00"}
{"type":"release","product":"backup","version":"24.2","released_at":"2025-09-01T00:00:00+09:00"}
{"type":"release","product":"backup","version":"25.1","released_at":"2026-01-01T00:00:00+09:00"}
)",
        R"(
{"type":"event","ticket":"T-2","at":"2026-11-04T01:00:00Z","kind":"opened","partner":"p2","severity":"B","product":"backup","version":"23.1"}
{"type":"event","ticket":"T-2","at":"2026-11-04T02:00:00Z","kind":"closed"}
)",
        "2026-11-10T00:00:00Z");
    CHECK(o.Ticket("T-2")["supported"] == false);
    CHECK(o.Ticket("T-2")["outdated"] == true);
    CHECK(o.Ticket("T-2")["clocks"]["response"]["status"] == "not_applicable");
  }
  SECTION("the partner line after its ticket's events (Sydney)") {
    // Opened Mon 9 Nov 08:00 AEDT = Sun 8 Nov 21:00Z. B's 20 business days in
    // Sydney: 10-13 Nov (4), 16-20 (9), 23-27 (14), 30 Nov-4 Dec (19), Mon 7
    // Dec (20) -> Mon 7 Dec 08:00 AEDT = Sun 6 Dec 21:00Z. (Unknown partner,
    // in UTC, the opening would be a Sunday and the deadline another.)
    Outcome o = same_either_way(
        R"({"type":"partner","id":"p3","contract_signed_at":"2026-01-10T00:00:00+11:00","timezone":"Australia/Sydney"}
)",
        R"(
{"type":"event","ticket":"T-3","at":"2026-11-08T21:00:00Z","kind":"opened","partner":"p3","severity":"B"}
)",
        "2026-11-10T00:00:00Z");
    CHECK(o.Ticket("T-3")["clocks"]["resolution"]["deadline"] == "2026-12-06T21:00:00Z");
  }
}

TEST_CASE("Events after the evaluation instant are not yet known") {
  Outcome o = Evaluate(kPartner + R"(
{"type":"event","ticket":"T-1","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"A"}
{"type":"event","ticket":"T-1","at":"2026-11-04T12:00:00Z","kind":"responded"}
{"type":"event","ticket":"T-1","at":"2026-11-04T13:00:00Z","kind":"closed"}
{"type":"event","ticket":"T-2","at":"2026-11-04T12:00:00Z","kind":"opened","partner":"p1","severity":"A"}
)",
                       "2026-11-04T11:00:00Z");
  REQUIRE(o.tickets.size() == 1);  // T-2 does not exist yet
  CHECK(o.Ticket("T-1")["clocks"]["response"]["status"] == "running");
  CHECK(o.Ticket("T-1")["state"] == "open");
}

TEST_CASE("Unknown partners, policies and time zones are named") {
  Outcome o = Evaluate(
      R"({"type":"partner","id":"p2","contract_signed_at":"2026-01-10T00:00:00Z","timezone":"Mars/Olympus"}
{"type":"partner","id":"p3","contract_signed_at":"2026-01-10T00:00:00Z","policy":"gold"}
{"type":"certification","partner":"p9","employee":"e1","passed_at":"2025-06-01T00:00:00Z"}
{"type":"event","ticket":"T-1","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p9","severity":"A"}
)",
      "2026-11-04T11:00:00Z");
  REQUIRE(o.problems.size() == 4);
  CHECK_THAT(o.problems[0],
             Catch::StartsWith("stdin:1: unknown time zone \"Mars/Olympus\""));
  CHECK_THAT(o.problems[1],
             Catch::StartsWith("stdin:2: partner p3 names policy \"gold\", which the "
                               "config does not define: the default policy is used"));
  CHECK_THAT(o.problems[2],
             Catch::StartsWith("stdin:4: ticket T-1: unknown partner \"p9\""));
  CHECK_THAT(o.problems[3],
             Catch::StartsWith("stdin:3: certification names unknown partner"));
  // T-1 is still reported, with the default policy.
  CHECK(o.Ticket("T-1")["clocks"]["response"]["deadline"] == "2026-11-04T14:00:00Z");
}

TEST_CASE("A partner line's holidays name a calendar; an undefined one is named") {
  // Config: calendar "de" holds Wed 2026-11-18 as a holiday. p1 names it, p2
  // names "fr", which the config does not define.
  const std::string yaml = R"(
calendars:
  de:
    holidays: ["2026-11-18"]
)";
  Outcome o = Evaluate(
      R"({"type":"partner","id":"p1","contract_signed_at":"2026-01-10T00:00:00Z","timezone":"Europe/Berlin","holidays":"de"}
{"type":"partner","id":"p2","contract_signed_at":"2026-01-10T00:00:00Z","timezone":"Europe/Berlin","holidays":"fr"}
{"type":"event","ticket":"T-1","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"A"}
{"type":"event","ticket":"T-2","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p2","severity":"A"}
)",
      "2026-11-04T11:00:00Z", yaml);
  REQUIRE(o.problems.size() == 1);
  CHECK(o.problems[0] ==
        "stdin:2: partner p2 names holiday calendar \"fr\", which the config does not "
        "define: its calendars' own holidays are used");
  // Opened Wed 4 Nov 11:00 CET. 15 business days end Wed 25 Nov 11:00 CET
  // (10:00Z); for p1, whose Wed 18 Nov is off, one business day later: Thu 26 Nov
  // 11:00 CET = 10:00Z. p2 falls back to business-days' own (no) holidays.
  CHECK(o.Ticket("T-1")["clocks"]["resolution"]["deadline"] == "2026-11-26T10:00:00Z");
  CHECK(o.Ticket("T-2")["clocks"]["resolution"]["deadline"] == "2026-11-25T10:00:00Z");
}

TEST_CASE("Every ticket line says how many of its incidents are billable, and where") {
  // p1 signed 2026-01-10T00:00Z = 01:00 CET (Berlin): the first limited
  // period starts 30 local days later, 2026-02-09 01:00 CET =
  // 2026-02-09T00:00Z, with 20 incidents. T-0 (in the unlimited 30 days)
  // reports a new defect: its credit is the first limited period's (limit
  // 21). In that period T-1 holds incidents 1-18, T-3 and T-2 open at the
  // same instant: T-2 (smaller id) 19-21, T-3 22-23: T-3 has 2 billable.
  // T-9's partner is unknown: no period, nothing billable.
  const std::string input = kPartner + R"(
{"type":"event","ticket":"T-3","at":"2026-06-01T08:00:00Z","kind":"opened","partner":"p1","severity":"C","incidents":2,"product":"backup","version":"24.1"}
{"type":"event","ticket":"T-0","at":"2026-01-20T08:00:00Z","kind":"opened","partner":"p1","severity":"C","incidents":4,"product":"backup","version":"24.1"}
{"type":"event","ticket":"T-0","at":"2026-01-21T08:00:00Z","kind":"new_defect"}
{"type":"event","ticket":"T-1","at":"2026-03-01T08:00:00Z","kind":"opened","partner":"p1","severity":"C","incidents":18,"product":"backup","version":"24.1"}
{"type":"event","ticket":"T-2","at":"2026-06-01T08:00:00Z","kind":"opened","partner":"p1","severity":"C","incidents":3,"product":"backup","version":"24.1"}
{"type":"event","ticket":"T-9","at":"2026-06-01T08:00:00Z","kind":"opened","partner":"p9","severity":"C","incidents":30,"product":"backup","version":"24.1"}
)";
  auto billing = [](const json& t) {
    return std::make_pair(t["billable_incidents"].get<int>(), t["quota_period_start"]);
  };
  for (const char* credit : {"quota", "paid"}) {
    INFO("credit " << credit);
    std::string with_credit = input;
    with_credit.replace(with_credit.find(R"("policy":"default")"), 18,
                        std::string(R"("policy":"default","credit":")") + credit + "\"");
    Outcome o = Evaluate(with_credit, "2026-11-04T11:00:00Z");
    CHECK(billing(o.Ticket("T-0")) == std::make_pair(0, json("2026-01-10T00:00:00Z")));
    CHECK(billing(o.Ticket("T-1")) == std::make_pair(0, json("2026-02-09T00:00:00Z")));
    CHECK(billing(o.Ticket("T-2")) == std::make_pair(0, json("2026-02-09T00:00:00Z")));
    CHECK(billing(o.Ticket("T-3")) == std::make_pair(2, json("2026-02-09T00:00:00Z")));
    CHECK(billing(o.Ticket("T-9")) == std::make_pair(0, json(nullptr)));
    // The partner line: 23 used, 1 credit; quota: limit 21, over 2, billable
    // 2; paid: limit 20, over 3, billable 3 - 1 = 2. Both name T-3's two.
    REQUIRE(o.partners.size() == 1);
    const json& p = o.partners[0];
    CHECK(p["incidents_used"] == 23);
    CHECK(p["credits"] == 1);
    CHECK(p["billable_incidents"] == 2);
    CHECK(p["incidents_limit"] == (std::string(credit) == "quota" ? 21 : 20));
    CHECK(p["over_quota"] == (std::string(credit) == "quota" ? 2 : 3));
  }
}
