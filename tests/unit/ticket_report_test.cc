// slamon explain's pure part: one ticket explained and written for a human.
#include "evaluate/ticket_report.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "config/config.h"
#include "evaluate/evaluation_run.h"
#include "evaluate/report_json.h"
#include "test_time.h"

using namespace slamon;
using slamon::testing::At;

namespace {

Rules BuiltinRules(const std::string& yaml = "") {
  ConfigResult config = ParseConfig(yaml, "test.yml");
  REQUIRE(config.config);
  return std::move(config.config->rules);
}

TicketEvent Opened(const char* at, int64_t seq, const char* partner = "p1",
                   const char* severity = "A") {
  return {.at = At(at),
          .kind = EventKind::kOpened,
          .sequence = seq,
          .severity = severity,
          .incidents = 1,
          .partner = partner,
          .product = "backup",
          .version = "24.1"};
}

TicketEvent Event(const char* at, EventKind kind, int64_t seq) {
  TicketEvent event;
  event.at = At(at);
  event.kind = kind;
  event.sequence = seq;
  return event;
}

// The docs/design.md example's partner: Europe/Berlin, certified by two employees.
std::vector<Partner> Partners() {
  return {{.id = "p1",
           .name = "Acme GmbH",
           .contract_signed_at = At("2026-01-10T00:00:00Z"),
           .zone = date::locate_zone("Europe/Berlin"),
           .policy = "default",
           .holidays = "",
           .credit = CreditKind::kQuota}};
}

// The reference data the tests look the ticket's partner up in.
struct Reference {
  std::vector<Partner> partners = Partners();
  std::vector<Certification> certifications = {{"p1", "e1", At("2025-06-01T00:00:00Z")},
                                               {"p1", "e2", At("2025-09-01T00:00:00Z")}};
  std::vector<Release> releases = {{"backup", "24.1", At("2026-06-01T00:00:00Z")},
                                   {"backup", "24.2", At("2026-12-15T00:00:00Z")},
                                   {"restore", "1.0", At("2026-01-01T00:00:00Z")}};

  operator ReferenceBook() const { return {partners, certifications, releases}; }
};

// T-1: opened, a response stamped before it (rejected), responded, a pause
// of two hours, and a resolution not yet known at 2026-11-05T09:45Z.
std::vector<TicketEvent> PausedTicket() {
  return {Opened("2026-11-04T10:00:00Z", 1),
          Event("2026-11-04T09:00:00Z", EventKind::kResponded, 2),
          Event("2026-11-04T11:00:00Z", EventKind::kResponded, 3),
          Event("2026-11-04T12:00:00Z", EventKind::kWaiting, 5),
          Event("2026-11-04T14:00:00Z", EventKind::kResumed, 6),
          Event("2026-11-06T08:00:00Z", EventKind::kResolved, 7)};
}

}  // namespace

TEST_CASE("Durations in words") {
  using std::chrono::days;
  using std::chrono::hours;
  using std::chrono::minutes;
  CHECK(DurationInWords(Seconds{0}) == "0s");
  CHECK(DurationInWords(Seconds{45}) == "45s");
  CHECK(DurationInWords(hours{2} + minutes{15}) == "2h 15m");
  CHECK(DurationInWords(days{15}) == "15d");
  CHECK(DurationInWords(days{1} + hours{3} + Seconds{5}) == "1d 3h 5s");
  CHECK(RoughDurationInWords(Seconds{0}) == "0s");
  CHECK(RoughDurationInWords(hours{2} + minutes{15} + Seconds{59}) == "2h 15m");
  CHECK(RoughDurationInWords(days{1} + hours{3} + minutes{59}) == "1d 3h");
  CHECK(RoughDurationInWords(days{1} + minutes{5}) == "1d");
  CHECK(RoughDurationInWords(minutes{3} + Seconds{20}) == "3m 20s");
}

TEST_CASE(
    "The report of a paused and resumed ticket, with a rejected event and a "
    "skipped row") {
  TicketExplanation x = ExplainTicket(
      "T-1", PausedTicket(),
      {{4, RejectReason::kUnknownKind,
        "ticket_events seq 4 (ticket T-1): unknown event kind \"answered\""}},
      Reference(), BuiltinRules(), At("2026-11-05T09:45:00Z"));
  REQUIRE(x.evaluation);
  CHECK(x.notes.empty());
  CHECK(FormatTicketReport(x) == R"(ticket T-1 at 2026-11-05T09:45:00Z
  partner     p1 "Acme GmbH", time zone Europe/Berlin, policy default
  severity    A
  product     backup 24.1, supported
  fee         no
  incidents   1
  state       open
  opened at   2026-11-04T10:00:00Z

events (6)
  2026-11-04T09:00:00Z  seq 2  responded
      rejected (before_opened): is before the ticket was opened at 2026-11-04T10:00:00Z
  2026-11-04T10:00:00Z  seq 1  opened partner=p1 severity=A incidents=1 product=backup version=24.1
  2026-11-04T11:00:00Z  seq 3  responded
  2026-11-04T12:00:00Z  seq 5  waiting
  2026-11-04T14:00:00Z  seq 6  resumed
  2026-11-06T08:00:00Z  seq 7  resolved  (after 2026-11-05T09:45:00Z: not yet known)

skipped rows (1)
  seq 4  unknown_kind: ticket_events seq 4 (ticket T-1): unknown event kind "answered"

response clock
  status      stopped
  deadline    2026-11-04T14:00:00Z
  stopped at  2026-11-04T11:00:00Z, 3h before the deadline
  elapsed     1h
  budget      4h
  breached    no

workaround clock
  status      running
  deadline    2026-11-05T12:00:00Z, 2h 15m left
  elapsed     21h 45m
  budget      1d
  breached    no
  at risk     yes, since 2026-11-05T06:00:00Z

resolution clock
  status      running
  deadline    2026-11-25T12:00:00Z, 20d 2h left
  elapsed     21h 45m
  budget      15d
  breached    no
  at risk     no
)");
}

TEST_CASE("A clock past its deadline is overdue, in words") {
  std::vector<TicketEvent> events = PausedTicket();
  events.pop_back();  // not resolved
  TicketExplanation x = ExplainTicket("T-1", std::move(events), {}, Reference(),
                                      BuiltinRules(), At("2026-11-06T15:00:00Z"));
  REQUIRE(x.evaluation);
  CHECK_THAT(FormatTicketReport(x),
             Catch::Contains("workaround clock\n"
                             "  status      running\n"
                             "  deadline    2026-11-05T12:00:00Z, overdue by 1d 3h\n"
                             "  elapsed     2d 3h\n"
                             "  budget      1d\n"
                             "  breached    yes, at 2026-11-05T12:00:00Z\n"
                             "  at risk     no\n"));
}

TEST_CASE("A resolution stops the workaround too: met late") {
  TicketExplanation x = ExplainTicket("T-1", PausedTicket(), {}, Reference(),
                                      BuiltinRules(), At("2026-11-06T15:00:00Z"));
  REQUIRE(x.evaluation);
  std::string report = FormatTicketReport(x);
  CHECK_THAT(report, Catch::Contains("  state       resolved\n"));
  CHECK_THAT(report, Catch::Contains("workaround clock\n"
                                     "  status      stopped\n"
                                     "  deadline    2026-11-05T12:00:00Z\n"
                                     "  stopped at  2026-11-06T08:00:00Z, 20h after the "
                                     "deadline\n"));
  CHECK_THAT(report, Catch::Contains("  stopped at  2026-11-06T08:00:00Z, 19d 4h before "
                                     "the deadline\n"));
}

TEST_CASE("A paused clock has no deadline, only budget left") {
  TicketExplanation x = ExplainTicket("T-1", PausedTicket(), {}, Reference(),
                                      BuiltinRules(), At("2026-11-04T13:00:00Z"));
  REQUIRE(x.evaluation);
  std::string report = FormatTicketReport(x);
  CHECK_THAT(report, Catch::Contains("  state       open, waiting on the partner\n"));
  CHECK_THAT(report, Catch::Contains("workaround clock\n"
                                     "  status      paused\n"
                                     "  deadline    none while paused, 22h of the budget "
                                     "left\n"
                                     "  elapsed     2h\n"));
}

TEST_CASE("A clock met late was stopped after its deadline") {
  std::vector<TicketEvent> events = {
      Opened("2026-11-04T10:00:00Z", 1),
      Event("2026-11-04T15:30:00Z", EventKind::kResponded, 2)};
  TicketExplanation x = ExplainTicket("T-1", std::move(events), {}, Reference(),
                                      BuiltinRules(), At("2026-11-04T16:00:00Z"));
  REQUIRE(x.evaluation);
  CHECK_THAT(FormatTicketReport(x),
             Catch::Contains("response clock\n"
                             "  status      stopped\n"
                             "  deadline    2026-11-04T14:00:00Z\n"
                             "  stopped at  2026-11-04T15:30:00Z, 1h 30m after the "
                             "deadline\n"
                             "  elapsed     5h 30m\n"
                             "  budget      4h\n"
                             "  breached    yes, at 2026-11-04T14:00:00Z\n\n"));
}

TEST_CASE("A severity without a target is not applicable") {
  std::vector<TicketEvent> events = {Opened("2026-11-04T10:00:00Z", 1, "p1", "D")};
  TicketExplanation x = ExplainTicket("T-1", std::move(events), {}, Reference(),
                                      BuiltinRules(), At("2026-11-04T11:00:00Z"));
  REQUIRE(x.evaluation);
  CHECK_THAT(FormatTicketReport(x),
             Catch::Contains("workaround clock\n"
                             "  status      not_applicable (no target for this "
                             "severity or version)\n\n"
                             "resolution clock\n"));
}

TEST_CASE("An unknown partner is evaluated with the default policy in UTC") {
  std::vector<TicketEvent> events = {Opened("2026-11-04T10:00:00Z", 1, "p9")};
  TicketExplanation x = ExplainTicket("T-1", std::move(events), {}, Reference(),
                                      BuiltinRules(), At("2026-11-04T11:00:00Z"));
  REQUIRE(x.evaluation);
  CHECK_FALSE(x.partner);
  CHECK(x.policy == "default");
  std::string report = FormatTicketReport(x);
  CHECK_THAT(report, Catch::Contains("  partner     p9, policy default\n"));
  CHECK_THAT(report, Catch::Contains("  fee         yes (the partner was not certified "
                                     "when the ticket was opened)\n"));
  CHECK_THAT(report, Catch::Contains("  note: unknown partner \"p9\": evaluated with the "
                                     "default policy in UTC\n"));
}

TEST_CASE("A partner's policy the config lacks falls back to the default policy") {
  Reference reference;
  reference.partners[0].policy = "gold";
  std::vector<TicketEvent> events = {Opened("2026-11-04T10:00:00Z", 1)};
  TicketExplanation x = ExplainTicket("T-1", std::move(events), {}, reference,
                                      BuiltinRules(), At("2026-11-04T11:00:00Z"));
  REQUIRE(x.evaluation);
  CHECK(x.policy == "default");
  REQUIRE(x.notes.size() == 1);
  CHECK(x.notes[0] ==
        "partner p1 names policy \"gold\", which the config does not define: the "
        "default policy is used");
}

TEST_CASE("The partner's configured policy is the one applied") {
  const char* yaml = R"(
policies:
  gold:
    severities:
      A:
        response: {within: 1h}
)";
  Reference reference;
  reference.partners[0].policy = "gold";
  std::vector<TicketEvent> events = {Opened("2026-11-04T10:00:00Z", 1)};
  TicketExplanation x = ExplainTicket("T-1", std::move(events), {}, reference,
                                      BuiltinRules(yaml), At("2026-11-04T10:30:00Z"));
  REQUIRE(x.evaluation);
  CHECK(x.policy == "gold");
  CHECK(x.notes.empty());
  CHECK_THAT(FormatTicketReport(x),
             Catch::Contains("  deadline    2026-11-04T11:00:00Z, 30m left\n"));
}

TEST_CASE("A ticket without a valid opened event is listed, not evaluated") {
  std::vector<TicketEvent> events = {
      Event("2026-11-04T11:00:00Z", EventKind::kResponded, 2)};
  TicketExplanation x = ExplainTicket("T-1", std::move(events), {}, Reference(),
                                      BuiltinRules(), At("2026-11-04T12:00:00Z"));
  CHECK_FALSE(x.evaluation);
  CHECK(FormatTicketReport(x) == R"(ticket T-1 at 2026-11-04T12:00:00Z
  not evaluated: the ticket has no valid opened event

events (1)
  2026-11-04T11:00:00Z  seq 2  responded
      rejected (no_opened): the ticket has no valid opened event
)");
}

TEST_CASE("A ticket opened after the evaluation instant is not evaluated") {
  TicketExplanation x = ExplainTicket("T-1", PausedTicket(), {}, Reference(),
                                      BuiltinRules(), At("2026-11-04T08:00:00Z"));
  CHECK_FALSE(x.evaluation);
  CHECK(x.not_evaluated ==
        "the ticket was opened at 2026-11-04T10:00:00Z, after the evaluation instant "
        "2026-11-04T08:00:00Z");
}

TEST_CASE("The evaluation is the one `slamon evaluate` reports for the same data") {
  const std::string input = R"(
{"type":"partner","id":"p1","contract_signed_at":"2026-01-10T00:00:00Z","timezone":"Europe/Berlin"}
{"type":"certification","partner":"p1","employee":"e1","passed_at":"2025-06-01T00:00:00Z"}
{"type":"certification","partner":"p1","employee":"e2","passed_at":"2025-09-01T00:00:00Z"}
{"type":"release","product":"backup","version":"24.1","released_at":"2026-06-01T00:00:00Z"}
{"type":"release","product":"backup","version":"24.2","released_at":"2026-12-15T00:00:00Z"}
{"type":"event","ticket":"T-1","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"A","incidents":1,"product":"backup","version":"24.1"}
{"type":"event","ticket":"T-1","at":"2026-11-04T09:00:00Z","kind":"responded"}
{"type":"event","ticket":"T-1","at":"2026-11-04T11:00:00Z","kind":"responded"}
{"type":"event","ticket":"T-1","at":"2026-11-04T12:00:00Z","kind":"waiting"}
{"type":"event","ticket":"T-1","at":"2026-11-04T14:00:00Z","kind":"resumed"}
{"type":"event","ticket":"T-1","at":"2026-11-06T08:00:00Z","kind":"resolved"}
)";
  Rules rules = BuiltinRules();
  for (const char* at : {"2026-11-04T13:00:00Z", "2026-11-05T09:45:00Z",
                         "2026-11-06T15:00:00Z", "2026-12-20T00:00:00Z"}) {
    INFO("at " << at);
    std::ostringstream out, errors;
    EvaluationRun run(rules, At(at), "stdin", out, errors);
    std::istringstream lines(input);
    std::string line;
    int64_t n = 0;
    while (std::getline(lines, line)) run.ReadLine(line, ++n);
    run.Finish();
    std::string evaluated = out.str().substr(0, out.str().find('\n'));

    TicketExplanation x =
        ExplainTicket("T-1", PausedTicket(), {}, Reference(), rules, At(at));
    REQUIRE(x.evaluation);
    REQUIRE(x.partner);
    // Billing needs the partner's tickets: here the one ticket.
    x.billing =
        BillTickets(*x.partner, BuiltinPolicy(), std::span(&*x.evaluation, 1), At(at))
            .front();
    CHECK(TicketJson(*x.evaluation, x.billing).dump() == evaluated);
  }
}

TEST_CASE("The report names the credit a new defect earns, and the billing when known") {
  Reference reference;
  std::vector<TicketEvent> events = {
      Opened("2026-11-04T10:00:00Z", 1),
      Event("2026-11-04T11:00:00Z", EventKind::kNewDefect, 2)};
  TicketExplanation quota = ExplainTicket("T-1", events, {}, reference, BuiltinRules(),
                                          At("2026-11-04T12:00:00Z"));
  CHECK_THAT(FormatTicketReport(quota),
             Catch::Contains("  defect      new defect (one quota credit)\n"));
  CHECK_THAT(FormatTicketReport(quota), !Catch::Contains("billable"));
  reference.partners[0].credit = CreditKind::kPaid;
  TicketExplanation paid = ExplainTicket("T-1", events, {}, reference, BuiltinRules(),
                                         At("2026-11-04T12:00:00Z"));
  // Billing as a caller that read the partner's tickets sets it: signed
  // 2026-01-10T00:00Z = 01:00 CET, the first limited period starts 30 local
  // days later, 2026-02-09T00:00Z.
  paid.billing = TicketBilling{At("2026-02-09T00:00:00Z"), 1, 1};
  const std::string text = FormatTicketReport(paid);
  CHECK_THAT(text,
             Catch::Contains("  defect      new defect (one paid-incident credit)\n"));
  CHECK_THAT(text, Catch::Contains("  billable    1 of 1 incidents, quota period from "
                                   "2026-02-09T00:00:00Z\n"));
}
