// slamon report's pure part: the period, where each clock counts, the
// aggregation per target and severity, and the JSON and CSV renderings.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "report/partner_report.h"
#include "report/report_format.h"
#include "report/report_period.h"
#include "test_time.h"

using namespace slamon;
using slamon::testing::At;
using slamon::testing::Show;

namespace {

ReportPeriod Period(const char* from, const char* to, const char* zone) {
  auto f = ParsePeriodBound(from);
  auto t = ParsePeriodBound(to);
  REQUIRE(f);
  REQUIRE(t);
  auto period = ResolvePeriod(*f, *t, zone ? date::locate_zone(zone) : nullptr);
  INFO(period.error());
  REQUIRE(period);
  return *period;
}

// Clocks as the engine reports them at the evaluation instant.
Clock Met(const char* deadline, const char* stopped) {
  Clock c;
  c.status = ClockStatus::kStopped;
  c.deadline = At(deadline);
  c.stopped_at = At(stopped);
  c.breached = *c.stopped_at > *c.deadline;
  if (c.breached) c.breached_at = c.deadline;
  return c;
}
Clock Running(const char* deadline, bool breached = false, bool at_risk = false) {
  Clock c;
  c.status = ClockStatus::kRunning;
  c.deadline = At(deadline);
  c.breached = breached;
  if (breached) c.breached_at = c.deadline;
  c.at_risk = at_risk;
  return c;
}
Clock Paused() {
  Clock c;
  c.status = ClockStatus::kPaused;
  return c;
}
Clock Unscheduled() {
  Clock c;
  c.status = ClockStatus::kUnscheduled;
  return c;
}
Clock NotApplicable() { return Clock{}; }

TicketEvaluation Ticket(const char* id, const char* severity, const char* opened,
                        std::array<Clock, 3> clocks, int incidents = 1) {
  TicketEvaluation t;
  t.ticket = id;
  t.partner = "p1";
  t.severity = severity;
  t.product = "backup";
  t.version = "24.1";
  t.opened_at = At(opened);
  t.incidents = incidents;
  t.clocks = std::move(clocks);
  return t;
}

Partner P1() {
  return {.id = "p1",
          .name = "Acme, \"the\" GmbH",
          .contract_signed_at = At("2026-01-10T00:00:00Z"),
          .zone = nullptr,
          .policy = "default",
          .holidays = "",
          .credit = CreditKind::kQuota};
}

const ComplianceRow& Row(const PartnerReport& r, TargetName target,
                         const std::string& severity) {
  for (const auto& row : r.compliance) {
    if (row.target == target && row.severity == severity) return row;
  }
  FAIL("no compliance row " << ToString(target) << " " << severity);
  return r.compliance.front();
}

}  // namespace

TEST_CASE("a period of dates is whole local days, the last one included") {
  // Europe/Berlin is UTC+1 in November.
  ReportPeriod p = Period("2026-11-01", "2026-11-30", "Europe/Berlin");
  CHECK(Show(p.from) == "2026-10-31T23:00:00Z");
  CHECK(Show(p.to) == "2026-11-30T23:00:00Z");
  // One day; in UTC without a zone.
  p = Period("2026-11-04", "2026-11-04", nullptr);
  CHECK(Show(p.from) == "2026-11-04T00:00:00Z");
  CHECK(Show(p.to) == "2026-11-05T00:00:00Z");
  // The spring-forward day in Berlin has 23 hours: 00:00 CET to 00:00 CEST.
  p = Period("2026-03-29", "2026-03-29", "Europe/Berlin");
  CHECK(Show(p.from) == "2026-03-28T23:00:00Z");
  CHECK(Show(p.to) == "2026-03-29T22:00:00Z");
}

TEST_CASE("a period end given as an instant is taken as it is, excluded") {
  ReportPeriod p =
      Period("2026-11-04T10:00:00+01:00", "2026-11-05T00:00:00Z", "Asia/Tokyo");
  CHECK(Show(p.from) == "2026-11-04T09:00:00Z");
  CHECK(Show(p.to) == "2026-11-05T00:00:00Z");
  CHECK(p.Contains(At("2026-11-04T23:59:59Z")));
  CHECK_FALSE(p.Contains(At("2026-11-05T00:00:00Z")));
  CHECK(Show(p.EvaluationInstant(At("2026-12-01T00:00:00Z"))) == "2026-11-05T00:00:00Z");
  CHECK(Show(p.EvaluationInstant(At("2026-11-04T12:00:00Z"))) == "2026-11-04T12:00:00Z");
}

TEST_CASE("bad period bounds say why") {
  CHECK_FALSE(ParsePeriodBound("2026-02-30"));
  CHECK(ParsePeriodBound("2026-02-30").error() == "\"2026-02-30\" is not a date");
  auto no_offset = ParsePeriodBound("2026-11-04T10:00:00");
  CHECK_FALSE(no_offset);
  CHECK_THAT(no_offset.error(),
             Catch::Contains("neither a date (YYYY-MM-DD) nor an ISO 8601"));
  CHECK_FALSE(ParsePeriodBound("last-month"));
  auto from = ParsePeriodBound("2026-11-05");
  auto to = ParsePeriodBound("2026-11-04");
  auto reversed = ResolvePeriod(*from, *to, nullptr);
  CHECK_FALSE(reversed);
  CHECK(reversed.error() ==
        "the period is empty: it would end at 2026-11-05T00:00:00Z, not after its start "
        "2026-11-05T00:00:00Z");
}

TEST_CASE("each clock counts in the period in which it was decided") {
  const ReportPeriod november = Period("2026-11-01", "2026-11-30", nullptr);
  const Instant end = november.to;  // evaluated at the period's end
  const Instant in_period = At("2026-11-10T00:00:00Z");
  const Instant before = At("2026-10-20T00:00:00Z");
  auto classify = [&](const Clock& c, Instant opened) {
    return ClassifyClock(c, opened, november, end);
  };
  // Met on time in the period; met on time before it: not this period's.
  CHECK(classify(Met("2026-11-10T04:00:00Z", "2026-11-10T01:00:00Z"), in_period) ==
        ClockOutcome::kOnTime);
  CHECK(classify(Met("2026-10-20T04:00:00Z", "2026-10-20T01:00:00Z"), before) ==
        ClockOutcome::kOutside);
  // A breach met late counts at its deadline; one still open is breached_open.
  CHECK(classify(Met("2026-11-10T04:00:00Z", "2026-11-12T00:00:00Z"), in_period) ==
        ClockOutcome::kLate);
  CHECK(classify(Running("2026-11-10T04:00:00Z", true), in_period) ==
        ClockOutcome::kBreachedOpen);
  // Deadline before the period: met late in it belongs to October; still
  // open at the end is overdue.
  CHECK(classify(Met("2026-10-23T00:00:00Z", "2026-11-05T00:00:00Z"), before) ==
        ClockOutcome::kOutside);
  CHECK(classify(Running("2026-10-23T00:00:00Z", true), before) ==
        ClockOutcome::kOverdue);
  // Not decided at the end: the backlog, whenever the ticket was opened.
  CHECK(classify(Running("2026-12-15T00:00:00Z"), before) == ClockOutcome::kRunning);
  CHECK(classify(Paused(), in_period) == ClockOutcome::kPaused);
  CHECK(classify(Unscheduled(), before) == ClockOutcome::kUnscheduled);
  // No target: counted for the tickets opened in the period only.
  CHECK(classify(NotApplicable(), in_period) == ClockOutcome::kNotApplicable);
  CHECK(classify(NotApplicable(), before) == ClockOutcome::kOutside);
  // Decided exactly at the period's end: the next period's; a ticket opened
  // then does not exist yet for this period.
  CHECK(classify(Met("2026-12-01T04:00:00Z", "2026-12-01T00:00:00Z"), in_period) ==
        ClockOutcome::kOutside);
  CHECK(classify(Running("2026-12-01T00:00:00Z", true), in_period) ==
        ClockOutcome::kOutside);
  CHECK(classify(Running("2026-12-01T04:00:00Z"), end) == ClockOutcome::kOutside);
}

TEST_CASE("the report counts clocks per target and severity and lists the breaches") {
  const ReportPeriod november = Period("2026-11-01", "2026-11-30", nullptr);
  std::vector<TicketEvaluation> tickets = {
      Ticket("T-1", "A", "2026-11-02T10:00:00Z",
             {Met("2026-11-02T14:00:00Z", "2026-11-02T11:00:00Z"),
              Met("2026-11-03T10:00:00Z", "2026-11-03T12:00:00Z"),
              Running("2026-12-15T00:00:00Z", false, /*at_risk=*/true)}),
      Ticket("T-2", "B", "2026-11-10T00:00:00Z",
             {Running("2026-11-10T04:00:00Z", true), Paused(),
              Running("2026-12-08T00:00:00Z")},
             2),
      Ticket("T-3", "C", "2026-10-20T00:00:00Z",
             {Met("2026-10-20T08:00:00Z", "2026-10-20T01:00:00Z"),
              Met("2026-10-23T00:00:00Z", "2026-11-05T00:00:00Z"),
              Running("2026-11-19T00:00:00Z", true)}),
      Ticket("T-4", "D", "2026-10-01T00:00:00Z",
             {Running("2026-10-02T00:00:00Z", true), NotApplicable(), Unscheduled()}),
      Ticket("T-5", "A", "2026-11-20T00:00:00Z",
             {NotApplicable(), NotApplicable(), NotApplicable()}),
      Ticket("T-6", "A", "2026-12-01T00:00:00Z",
             {Running("2026-12-01T04:00:00Z"), Running("2026-12-02T00:00:00Z"),
              Running("2026-12-22T00:00:00Z")}),
      Ticket("T-7", "B", "2026-11-30T23:00:00Z",
             {Met("2026-12-01T03:00:00Z", "2026-12-01T00:00:00Z"),
              Running("2026-12-02T23:00:00Z"), Running("2026-12-29T00:00:00Z")}),
  };
  // T-2 is on an outdated version: still supported, its clocks run
  // (docs/design.md §1). T-5 is both unsupported and outdated: listed as
  // unsupported, the stronger of the two.
  tickets[1].outdated = true;
  tickets[4].supported = false;
  tickets[4].outdated = true;
  tickets[4].fee = true;
  const Partner partner = P1();
  const Policy policy = BuiltinPolicy();
  const std::vector<Certification> certifications = {
      {"p1", "e1", At("2025-06-01T00:00:00Z")},  // valid until 2026-12-01T00:00:00Z
      {"p1", "e2", At("2025-09-01T00:00:00Z")}};
  PartnerReport r = BuildPartnerReport({.partner = partner,
                                        .policy = policy,
                                        .certifications = certifications,
                                        .tickets = tickets,
                                        .period = november,
                                        .at = At("2026-12-10T00:00:00Z")});
  CHECK(Show(r.evaluated_at) == "2026-12-01T00:00:00Z");
  CHECK(r.tickets_opened == 4);       // T-1, T-2, T-5, T-7
  CHECK(r.tickets_open_at_end == 6);  // all but T-6, opened at the end
  CHECK(r.incidents == 5);

  const ClockCounts& response_a = Row(r, TargetName::kResponse, "A").counts;
  CHECK(response_a.on_time == 1);
  CHECK(response_a.not_applicable == 1);
  CHECK(response_a.decided() == 1);
  CHECK(response_a.compliance() == 1.0);
  const ClockCounts& response_b = Row(r, TargetName::kResponse, "B").counts;
  CHECK(response_b.breached_open == 1);  // T-2; T-7 met at the end counts in December
  CHECK(response_b.on_time == 0);
  CHECK(response_b.compliance() == 0.0);
  CHECK(Row(r, TargetName::kResponse, "C").counts.decided() == 0);
  CHECK_FALSE(Row(r, TargetName::kResponse, "C").counts.compliance());
  CHECK(Row(r, TargetName::kResponse, "D").counts.overdue == 1);
  const ClockCounts& response_all = Row(r, TargetName::kResponse, "all").counts;
  CHECK(response_all.decided() == 2);
  CHECK(response_all.compliance() == 0.5);
  CHECK(response_all.overdue == 1);
  CHECK(response_all.not_applicable == 1);

  CHECK(Row(r, TargetName::kWorkaround, "A").counts.late == 1);
  CHECK(Row(r, TargetName::kWorkaround, "B").counts.paused == 1);
  CHECK(Row(r, TargetName::kWorkaround, "B").counts.running == 1);
  CHECK(Row(r, TargetName::kWorkaround, "C").counts.decided() ==
        0);  // decided in October
  CHECK(Row(r, TargetName::kResolution, "A").counts.running == 1);
  CHECK(Row(r, TargetName::kResolution, "A").counts.at_risk == 1);
  CHECK(Row(r, TargetName::kResolution, "B").counts.running == 2);
  CHECK(Row(r, TargetName::kResolution, "C").counts.breached_open == 1);
  CHECK(Row(r, TargetName::kResolution, "D").counts.unscheduled == 1);
  CHECK(r.compliance.size() == 15);  // 3 targets x (A, B, C, D, all)

  REQUIRE(r.breaches.size() == 4);
  CHECK(r.breaches[0].ticket == "T-4");
  CHECK(r.breaches[0].outcome == ClockOutcome::kOverdue);
  CHECK(r.breaches[1].ticket == "T-1");
  CHECK(r.breaches[1].target == TargetName::kWorkaround);
  CHECK(r.breaches[1].outcome == ClockOutcome::kLate);
  CHECK(Show(r.breaches[1].deadline) == "2026-11-03T10:00:00Z");
  CHECK(Show(*r.breaches[1].stopped_at) == "2026-11-03T12:00:00Z");
  CHECK(r.breaches[2].ticket == "T-2");
  CHECK(r.breaches[2].outcome == ClockOutcome::kBreachedOpen);
  CHECK_FALSE(r.breaches[2].stopped_at);
  CHECK(r.breaches[3].ticket == "T-3");
  CHECK(r.breaches[3].target == TargetName::kResolution);

  // Quota period 1 is [2026-02-09, 2027-01-10), 20 incidents.
  REQUIRE(r.quota.size() == 1);
  CHECK(Show(r.quota[0].quota.period.start) == "2026-02-09T00:00:00Z");
  CHECK(r.quota[0].quota.incidents_used == 7);  // T-6 is not opened yet
  CHECK(r.quota[0].quota.incidents_limit == 20);
  CHECK(r.quota[0].quota.fees == 1);
  CHECK(r.quota[0].incidents_in_report == 5);

  // e1's certification ends exactly at the period's end.
  CHECK(r.certified_employees == 1);
  CHECK_FALSE(r.certified);
  CHECK_FALSE(r.certified_until);
  REQUIRE(r.fees.size() == 1);
  CHECK(r.fees[0].ticket == "T-5");
  REQUIRE(r.unsupported.size() == 2);
  CHECK(r.unsupported[0].ticket == "T-2");
  CHECK(r.unsupported[0].outdated);
  CHECK(r.unsupported[1].ticket == "T-5");
  CHECK_FALSE(r.unsupported[1].outdated);

  SECTION("as JSON") {
    nlohmann::ordered_json j = PartnerReportJson(r);
    CHECK(j["partner"]["id"] == "p1");
    CHECK(j["partner"]["timezone"] == "UTC");
    CHECK(j["period"]["from"] == "2026-11-01T00:00:00Z");
    CHECK(j["period"]["to"] == "2026-12-01T00:00:00Z");
    CHECK(j["tickets"]["opened"] == 4);
    CHECK(j["compliance"][0] == nlohmann::ordered_json::parse(R"({
      "target":"response","severity":"A","on_time":1,"late":0,"breached_open":0,
      "decided":1,"compliance":1.0,"overdue":0,"running":0,"at_risk":0,"paused":0,
      "unscheduled":0,"not_applicable":1})"));
    CHECK(j["compliance"][2]["compliance"].is_null());  // response C: none decided
    CHECK(j["breaches"][1] == nlohmann::ordered_json::parse(R"({
      "ticket":"T-1","severity":"A","target":"workaround",
      "deadline":"2026-11-03T10:00:00Z","stopped_at":"2026-11-03T12:00:00Z",
      "outcome":"late"})"));
    CHECK(j["breaches"][2]["stopped_at"].is_null());
    CHECK(j["quota"][0]["incidents_limit"] == 20);
    CHECK(j["certification"]["certified"] == false);
    CHECK(j["fees"][0]["reason"] == "not_certified");
    CHECK(j["unsupported"][0]["status"] == "outdated");
    CHECK(j["unsupported"][1]["status"] == "unsupported");
  }

  SECTION("as CSV") {
    const std::string csv = PartnerReportCsv(r);
    CHECK_THAT(csv, Catch::StartsWith(
                        "section,partner,name,timezone,policy,from,to,evaluated_at,"
                        "tickets_opened,tickets_open_at_end,incidents,certified,"
                        "certified_employees,certified_until\r\n"
                        "report,p1,\"Acme, \"\"the\"\" GmbH\",UTC,default,"
                        "2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,2026-12-01T00:00:00Z,"
                        "4,6,5,false,1,\r\n\r\n"));
    CHECK_THAT(csv, Catch::Contains(
                        "\r\ncompliance,response,all,1,0,1,2,0.5000,1,0,0,0,0,1\r\n"));
    CHECK_THAT(csv,
               Catch::Contains("\r\ncompliance,response,C,0,0,0,0,,0,0,0,0,0,0\r\n"));
    CHECK_THAT(csv, Catch::Contains("\r\nbreach,T-1,A,workaround,2026-11-03T10:00:00Z,"
                                    "2026-11-03T12:00:00Z,late\r\n"));
    CHECK_THAT(csv,
               Catch::Contains(
                   "\r\nbreach,T-2,B,response,2026-11-10T04:00:00Z,,breached_open\r\n"));
    // unlimited, used, limit, credits, over, billable, fees, in report,
    // billable in report
    CHECK_THAT(csv, Catch::Contains("\r\nquota,2026-02-09T00:00:00Z,2027-01-10T00:00:00Z,"
                                    "false,7,20,0,0,0,1,5,0\r\n"));
    CHECK_THAT(csv, Catch::Contains("\r\nsection,ticket,severity,opened_at,"
                                    "quota_period_start,incidents,billable_incidents\r\n"
                                    "\r\n"));  // the billing section: no rows
    CHECK_THAT(csv,
               Catch::Contains("\r\nfee,T-5,A,2026-11-20T00:00:00Z,not_certified\r\n"));
    CHECK_THAT(csv,
               Catch::EndsWith(
                   "\r\nunsupported,T-2,B,2026-11-10T00:00:00Z,backup,24.1,outdated\r\n"
                   "unsupported,T-5,A,2026-11-20T00:00:00Z,backup,24.1,unsupported\r\n"));
  }
}

TEST_CASE("a period across a contract anniversary shows both quota periods") {
  // Contract years of p1 renew on January 10.
  const ReportPeriod january = Period("2027-01-01", "2027-01-31", nullptr);
  std::vector<TicketEvaluation> tickets = {
      Ticket("T-1", "C", "2026-12-20T00:00:00Z", {Paused(), Paused(), Paused()}, 19),
      Ticket("T-2", "C", "2027-01-05T00:00:00Z", {Paused(), Paused(), Paused()}, 3),
      Ticket("T-3", "C", "2027-01-15T00:00:00Z", {Paused(), Paused(), Paused()}, 2),
  };
  const Partner partner = P1();
  const Policy policy = BuiltinPolicy();
  PartnerReport r = BuildPartnerReport({.partner = partner,
                                        .policy = policy,
                                        .certifications = {},
                                        .tickets = tickets,
                                        .period = january,
                                        .at = At("2027-03-01T00:00:00Z")});
  REQUIRE(r.quota.size() == 2);
  CHECK(Show(r.quota[0].quota.period.end) == "2027-01-10T00:00:00Z");
  CHECK(r.quota[0].quota.incidents_used == 22);
  CHECK(r.quota[0].quota.over_quota == 2);
  CHECK(r.quota[0].incidents_in_report == 3);
  CHECK(Show(r.quota[1].quota.period.start) == "2027-01-10T00:00:00Z");
  CHECK(r.quota[1].quota.incidents_used == 2);
  CHECK(r.quota[1].incidents_in_report == 2);
  CHECK(r.incidents == 5);
  // Billing: in the period ending 2027-01-10, T-1 (December, before the
  // report) holds incidents 1-19, T-2 20-22: 21 and 22 are past the 20, so
  // T-2 has 2 billable, listed with its quota period; T-1 has none and is not
  // the report's anyway. T-3 (next period) has 2 of 20.
  REQUIRE(r.billing.size() == 1);
  CHECK(r.billing[0].ticket == "T-2");
  CHECK(r.billing[0].incidents == 3);
  CHECK(r.billing[0].billable_incidents == 2);
  CHECK(Show(r.billing[0].quota_period_start) == "2026-02-09T00:00:00Z");
  CHECK(r.quota[0].quota.billable_incidents == 2);
  CHECK(r.quota[0].billable_in_report == 2);
  CHECK(r.quota[1].billable_in_report == 0);
  const std::string csv = PartnerReportCsv(r);
  CHECK_THAT(csv, Catch::Contains("\r\nbilling,T-2,C,2027-01-05T00:00:00Z,"
                                  "2026-02-09T00:00:00Z,3,2\r\n"));
  CHECK(PartnerReportJson(r)["billing"][0]["billable_incidents"] == 2);
  CHECK(Row(r, TargetName::kResolution, "C").counts.paused == 3);
}

TEST_CASE("the quota burn-down steps at each opening, the limit rising with credits") {
  // p1 signed 2026-01-10: period 0 [01-10, 02-09) unlimited, period 1
  // [02-09, 2027-01-10) with 20 incidents. A new defect of period 0 earns its
  // credit for period 1, as does one of period 1 itself (credit: quota, so
  // each raises the limit by one from the instant its ticket opened).
  const ReportPeriod march = Period("2026-03-01", "2026-03-31", nullptr);
  std::vector<TicketEvaluation> tickets = {
      Ticket("T-0", "C", "2026-01-20T00:00:00Z", {Paused(), Paused(), Paused()}, 1),
      Ticket("T-1", "C", "2026-02-20T00:00:00Z", {Paused(), Paused(), Paused()}, 3),
      Ticket("T-2", "C", "2026-03-05T10:00:00Z", {Paused(), Paused(), Paused()}, 2),
      Ticket("T-3", "C", "2026-03-05T10:00:00Z", {Paused(), Paused(), Paused()}, 1),
      Ticket("T-4", "C", "2026-03-20T00:00:00Z", {Paused(), Paused(), Paused()}, 1),
      Ticket("T-5", "C", "2026-04-02T00:00:00Z", {Paused(), Paused(), Paused()}, 9),
  };
  tickets[0].new_defect = true;
  tickets[2].new_defect = true;
  const Partner partner = P1();
  const Policy policy = BuiltinPolicy();
  PartnerReport r = BuildPartnerReport({.partner = partner,
                                        .policy = policy,
                                        .certifications = {},
                                        .tickets = tickets,
                                        .period = march,
                                        .at = At("2026-05-01T00:00:00Z")});
  REQUIRE(r.quota.size() == 1);
  const std::vector<QuotaStep>& usage = r.quota[0].usage;
  // At the start: T-1's 3 incidents (T-0's are period 0's), limit 20 + T-0's
  // credit. On 03-05 T-2 and T-3 open together: one step, 3 + 2 + 1 = 6,
  // limit 22 with T-2's credit. On 03-20 T-4: 7. T-5 opens after the period.
  REQUIRE(usage.size() == 3);
  CHECK(Show(usage[0].at) == "2026-03-01T00:00:00Z");
  CHECK(usage[0].incidents_used == 3);
  CHECK(usage[0].incidents_limit == 21);
  CHECK(Show(usage[1].at) == "2026-03-05T10:00:00Z");
  CHECK(usage[1].incidents_used == 6);
  CHECK(usage[1].incidents_limit == 22);
  CHECK(Show(usage[2].at) == "2026-03-20T00:00:00Z");
  CHECK(usage[2].incidents_used == 7);
  CHECK(usage[2].incidents_limit == 22);
  // The last step is the quota row's figures.
  CHECK(r.quota[0].quota.incidents_used == 7);
  CHECK(r.quota[0].quota.incidents_limit == 22);
  CHECK(PartnerReportJson(r)["quota"][0]["usage"][1] == nlohmann::ordered_json::parse(R"({
    "at":"2026-03-05T10:00:00Z","incidents_used":6,"incidents_limit":22})"));

  // The unlimited period 0 in January: no limit, T-0 on 01-20.
  r = BuildPartnerReport({.partner = partner,
                          .policy = policy,
                          .certifications = {},
                          .tickets = tickets,
                          .period = Period("2026-01-15", "2026-01-31", nullptr),
                          .at = At("2026-05-01T00:00:00Z")});
  REQUIRE(r.quota.size() == 1);
  REQUIRE(r.quota[0].usage.size() == 2);
  CHECK(r.quota[0].usage[0].incidents_used == 0);
  CHECK_FALSE(r.quota[0].usage[0].incidents_limit);
  CHECK(r.quota[0].usage[1].incidents_used == 1);
  CHECK(PartnerReportJson(r)["quota"][0]["usage"][1]["incidents_limit"].is_null());
}

TEST_CASE("CSV fields are quoted as RFC 4180 says") {
  CHECK(CsvRecord({"plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""}) ==
        "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\r\n");
  CHECK(CsvRecord({}) == "\r\n");
}

TEST_CASE("the partner's tickets are evaluated with the engine, others left out") {
  ConfigResult config = ParseConfig("", "test.yml");
  REQUIRE(config.config);
  const std::vector<Partner> partners = {P1()};
  auto opened = [](const char* at, const char* partner) {
    return TicketEvent{.at = At(at),
                       .kind = EventKind::kOpened,
                       .sequence = 1,
                       .severity = "A",
                       .incidents = 1,
                       .partner = partner,
                       .product = "backup",
                       .version = "24.1"};
  };
  std::map<std::string, std::vector<TicketEvent>> events;
  events["T-1"] = {opened("2026-11-04T10:00:00Z", "p1")};
  events["T-2"] = {opened("2026-11-04T10:00:00Z", "p2")};
  events["T-3"] = {opened("2026-11-05T10:00:00Z", "p1")};  // after the instant
  TicketEvent responded;
  responded.at = At("2026-11-04T12:00:00Z");
  responded.kind = EventKind::kResponded;
  responded.sequence = 2;
  events["T-4"] = {responded, opened("2026-11-04T11:00:00Z", "p1")};
  PartnerTickets t =
      EvaluatePartnerTickets("p1", std::move(events), {partners, {}, {}},
                             config.config->rules, At("2026-11-04T15:00:00Z"));
  REQUIRE(t.tickets.size() == 2);
  CHECK(t.tickets[0].ticket == "T-1");
  // Response within 4 h: due at 14:00, breached at 15:00.
  CHECK(t.tickets[0][TargetName::kResponse].breached);
  CHECK(Show(*t.tickets[0][TargetName::kResponse].breached_at) == "2026-11-04T14:00:00Z");
  CHECK(t.tickets[1].ticket == "T-4");
  CHECK(t.tickets[1][TargetName::kResponse].status == ClockStatus::kStopped);
  CHECK(t.problems.empty());
}
