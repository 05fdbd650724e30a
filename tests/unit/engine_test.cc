// The SLA engine: worked examples of docs/design.md §1, §2 and §4, computed by
// hand in the comments. Every test goes through SanitizeHistory and
// EvaluateTicket, the way the daemon and `slamon evaluate` do.
//
// Calendar facts used below: 2026-11-04 is a Wednesday; Europe/Berlin is CET
// (UTC+1) from 2026-10-25 on and CEST (UTC+2) before.
#include "engine/engine.h"

#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "engine/history.h"
#include "quota/partner_quota.h"
#include "test_time.h"

using namespace slamon;
using slamon::testing::At;
using slamon::testing::H;
using slamon::testing::Show;

namespace {

constexpr TargetName kResponse = TargetName::kResponse;
constexpr TargetName kWorkaround = TargetName::kWorkaround;
constexpr TargetName kResolution = TargetName::kResolution;

const date::time_zone* Berlin() { return date::locate_zone("Europe/Berlin"); }

// --- events -----------------------------------------------------------------

TicketEvent Opened(std::string_view at, std::string severity,
                   std::string version = "24.1", int incidents = 1) {
  TicketEvent e;
  e.at = At(at);
  e.kind = EventKind::kOpened;
  e.severity = std::move(severity);
  e.incidents = incidents;
  e.partner = "p1";
  e.product = "backup";
  e.version = std::move(version);
  return e;
}

TicketEvent Happened(std::string_view at, EventKind kind) {
  TicketEvent e;
  e.at = At(at);
  e.kind = kind;
  return e;
}

TicketEvent Reclassified(std::string_view at, std::string severity) {
  TicketEvent e = Happened(at, EventKind::kSeverity);
  e.severity = std::move(severity);
  return e;
}

TicketEvent IncidentsChanged(std::string_view at, int incidents) {
  TicketEvent e = Happened(at, EventKind::kIncidents);
  e.incidents = incidents;
  return e;
}

// Numbers the events in the order written, as the database's seq would.
std::vector<TicketEvent> Sequenced(std::vector<TicketEvent> events) {
  for (size_t i = 0; i < events.size(); ++i) events[i].sequence = static_cast<int64_t>(i);
  return events;
}

Release Released(std::string version, std::string_view at) {
  return Release{"backup", std::move(version), At(at)};
}

Certification Passed(std::string employee, std::string_view at) {
  return Certification{"p1", std::move(employee), At(at)};
}

// --- what a partner's tickets are evaluated against ---------------------------

// A partner (Europe/Berlin unless changed) under a policy (the built-in one
// unless changed), with its product's releases and its certifications.
struct Desk {
  Policy policy = BuiltinPolicy();
  CalendarSet calendars;
  const date::time_zone* zone = Berlin();
  std::vector<Release> releases;
  std::vector<Certification> certifications;
  std::string holidays;  // the partner's holiday calendar, if any

  TicketEvaluation Evaluate(std::vector<TicketEvent> events, std::string_view at) {
    TicketHistory history = SanitizeHistory("T-1", Sequenced(std::move(events)), policy);
    for (const auto& r : history.rejected) FAIL_CHECK(r.message);
    REQUIRE_FALSE(history.events.empty());
    TicketContext context{&policy, &calendars, zone, releases, certifications, holidays};
    return EvaluateTicket("T-1", history.events, context, At(at));
  }
};

// --- how results read ---------------------------------------------------------

std::string Text(const std::optional<Instant>& t) { return t ? Show(*t) : "null"; }

// One clock as one line, in the order of the `slamon evaluate` output.
std::string Line(const Clock& c) {
  std::ostringstream out;
  out << ToString(c.status) << " deadline=" << Text(c.deadline)
      << " stopped_at=" << Text(c.stopped_at)
      << " breached=" << (c.breached ? "true" : "false")
      << " breached_at=" << Text(c.breached_at) << " elapsed=" << c.elapsed.count()
      << " budget=" << (c.budget ? std::to_string(c.budget->count()) : "null");
  return out.str();
}

// "response/workaround/resolution" statuses.
std::string Statuses(const TicketEvaluation& e) {
  return std::string(ToString(e[kResponse].status)) + "/" +
         std::string(ToString(e[kWorkaround].status)) + "/" +
         std::string(ToString(e[kResolution].status));
}

// Mon-Fri 08:00-13:00 and 14:00-18:00 in Berlin, no holidays.
CalendarDefinition OfficeBerlin() {
  CalendarDefinition office;
  office.zone = Berlin();
  for (int d = 0; d < 5; ++d) office.week[d] = {{H(8), H(13)}, {H(14), H(18)}};
  return office;
}

TargetSpec Within(Seconds budget, std::string calendar, bool pausable) {
  return TargetSpec{TargetKind::kBudget, budget, std::move(calendar), pausable};
}

}  // namespace

// === docs/design.md §4: the `slamon evaluate` example ===========================

TEST_CASE("Example of docs/design.md §4: T-1, severity A, responded after one hour") {
  Desk desk;
  desk.zone = Berlin();
  // The docs/design.md input lists only the planned 24.2 (its partner line, 23 incidents
  // and 2 certified employees, shows the input is abridged). 24.1 must be a known release
  // for T-1 to be "supported": true, and e2 for "fee": false.
  desk.releases = {Released("24.1", "2026-06-01T00:00:00Z"),
                   Released("24.2", "2026-12-15T00:00:00Z")};  // planned
  desk.certifications = {Passed("e1", "2025-06-01T00:00:00Z"),
                         Passed("e2", "2026-03-01T00:00:00Z")};
  TicketEvaluation t1 =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A", "24.1"),
                     Happened("2026-11-04T11:00:00Z", EventKind::kResponded)},
                    "2026-11-04T11:00:00Z");
  CHECK(t1.ticket == "T-1");
  CHECK(t1.partner == "p1");
  CHECK(t1.severity == "A");
  CHECK(t1.supported);  // 24.1 is the newest release out on 2026-11-04
  CHECK_FALSE(t1.outdated);
  CHECK_FALSE(t1.fee);  // e1 and e2 are valid on 2026-11-04
  CHECK(t1.incidents == 1);
  // Response: 10:00Z + 4 h = 14:00Z, met at 11:00Z after 1 h.
  CHECK(Line(t1[kResponse]) ==
        "stopped deadline=2026-11-04T14:00:00Z stopped_at=2026-11-04T11:00:00Z "
        "breached=false "
        "breached_at=null elapsed=3600 budget=14400");
  // Workaround: 10:00Z + 24 h (24x7) = 2026-11-05T10:00Z.
  CHECK(Line(t1[kWorkaround]) ==
        "running deadline=2026-11-05T10:00:00Z stopped_at=null breached=false "
        "breached_at=null "
        "elapsed=3600 budget=86400");
  // Resolution: Wed 11:00 CET + 15 Berlin business days = 3 weeks = Wed 2026-11-25
  // 11:00 CET = 10:00Z; budget 15 x 86400 = 1296000.
  CHECK(Line(t1[kResolution]) ==
        "running deadline=2026-11-25T10:00:00Z stopped_at=null breached=false "
        "breached_at=null "
        "elapsed=3600 budget=1296000");
}

// === docs/design.md §1: one worked example per row ==============================

TEST_CASE(
    "Row A: 4 h response, 1 day workaround, 15 business days across the DST change") {
  Desk desk;  // Berlin partner
  // Opened Wed 2026-10-14 10:00Z = 12:00 CEST.
  TicketEvaluation a =
      desk.Evaluate({Opened("2026-10-14T10:00:00Z", "A")}, "2026-10-14T10:00:00Z");
  CHECK(Text(a[kResponse].deadline) == "2026-10-14T14:00:00Z");    // + 4 h
  CHECK(Text(a[kWorkaround].deadline) == "2026-10-15T10:00:00Z");  // + 24 h
  // 15 business days from Wed 14 Oct 12:00 local: Wed 21 (5), Wed 28 (10), Wed 4 Nov
  // (15) at 12:00 local. Berlin left summer time on Sun 25 Oct, so 12:00 CET = 11:00Z:
  // 21 days and 1 hour of wall time, still 15 x 24 working hours.
  CHECK(Text(a[kResolution].deadline) == "2026-11-04T11:00:00Z");
  CHECK(a[kResolution].budget == Seconds{1296000});

  // On Saturday 17 Oct the business-day clock stands still: Wed 12:00 -> Thu 00:00
  // local is 12 h, plus Thu and Fri = 60 h.
  TicketEvaluation saturday =
      desk.Evaluate({Opened("2026-10-14T10:00:00Z", "A")}, "2026-10-17T10:00:00Z");
  CHECK(saturday[kResolution].elapsed == H(60));
  CHECK(saturday[kResolution].status == ClockStatus::kRunning);
  CHECK(saturday[kResponse].elapsed == H(72));  // 24x7 counts the weekend
}

TEST_CASE("Row B: 20 business days in the partner's time zone, opened on its Saturday") {
  // Fri 2026-11-06 23:30Z is already Sat 00:30 CET in Berlin.
  Desk berlin;
  TicketEvaluation b =
      berlin.Evaluate({Opened("2026-11-06T23:30:00Z", "B")}, "2026-11-09T11:00:00Z");
  CHECK(Text(b[kResponse].deadline) == "2026-11-07T03:30:00Z");    // + 4 h
  CHECK(Text(b[kWorkaround].deadline) == "2026-11-08T23:30:00Z");  // + 2 x 24 h
  // Resolution rolls forward to Mon 9 Nov 00:00 CET (8 Nov 23:00Z); 20 business days
  // later at that wall time is Mon 7 Dec 00:00 CET (docs/design.md §2: working days
  // at the same local time) = 2026-12-06T23:00Z. Those days hold four Mon-Fri weeks
  // of 24 h (1728000 s), all used up by Fri 4 Dec 24:00, but a `d` deadline is the
  // working instant at the wall time the days end at, not that closing time.
  // By Mon 12:00 CET (11:00Z) 12 h have been worked.
  CHECK(Line(b[kResolution]) ==
        "running deadline=2026-12-06T23:00:00Z stopped_at=null breached=false "
        "breached_at=null "
        "elapsed=43200 budget=1728000");

  // The same ticket for a UTC partner: Friday 23:30-24:00 counts (30 min), Mon-Thu
  // of four weeks (19 days) ends Fri 4 Dec 00:00Z, the last 23 h 30 min end 23:30Z.
  // Elapsed by Mon 11:00Z: 30 min + 11 h = 41400 s.
  Desk utc;
  utc.zone = nullptr;
  TicketEvaluation b_utc =
      utc.Evaluate({Opened("2026-11-06T23:30:00Z", "B")}, "2026-11-09T11:00:00Z");
  CHECK(Text(b_utc[kResolution].deadline) == "2026-12-04T23:30:00Z");
  CHECK(b_utc[kResolution].elapsed == Seconds{41400});
}

TEST_CASE("Row C: 8 h response, 3 days workaround, 30 calendar days resolution") {
  Desk desk;
  TicketEvaluation c =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "C")}, "2026-11-04T10:00:00Z");
  CHECK(Line(c[kResponse]) ==
        "running deadline=2026-11-04T18:00:00Z stopped_at=null breached=false "
        "breached_at=null "
        "elapsed=0 budget=28800");
  CHECK(Line(c[kWorkaround]) ==
        "running deadline=2026-11-07T10:00:00Z stopped_at=null breached=false "
        "breached_at=null "
        "elapsed=0 budget=259200");
  // 30 x 24 h of wall time: 4 Nov + 30 days = 4 Dec, weekends included.
  CHECK(Line(c[kResolution]) ==
        "running deadline=2026-12-04T10:00:00Z stopped_at=null breached=false "
        "breached_at=null "
        "elapsed=0 budget=2592000");
  // Sun 8 Nov 10:00Z: four whole days counted, Saturday and Sunday too.
  TicketEvaluation sunday =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "C")}, "2026-11-08T10:00:00Z");
  CHECK(sunday[kResolution].elapsed == Seconds{4 * 86400});
}

TEST_CASE("Row D: 24 h response, no workaround clock, resolution at the next release") {
  Desk desk;
  desk.releases = {Released("24.1", "2026-06-01T00:00:00Z"),
                   Released("24.2", "2026-12-15T00:00:00Z"),   // planned: the next one
                   Released("25.1", "2027-06-01T00:00:00Z")};  // planned, later
  TicketEvaluation d = desk.Evaluate({Opened("2026-11-04T10:00:00Z", "D", "24.1")},
                                     "2026-11-04T10:00:00Z");
  CHECK(d.supported);
  CHECK(Line(d[kResponse]) ==
        "running deadline=2026-11-05T10:00:00Z stopped_at=null breached=false "
        "breached_at=null "
        "elapsed=0 budget=86400");
  CHECK(Line(d[kWorkaround]) ==
        "not_applicable deadline=null stopped_at=null breached=false breached_at=null "
        "elapsed=0 "
        "budget=null");
  // Deadline = 24.2's date. Budget in wall seconds: 4 Nov 10:00 -> 15 Dec 00:00 is
  // 40 days 14 hours = 40 x 86400 + 14 x 3600 = 3506400.
  CHECK(Line(d[kResolution]) ==
        "running deadline=2026-12-15T00:00:00Z stopped_at=null breached=false "
        "breached_at=null "
        "elapsed=0 budget=3506400");
}

// === docs/design.md §2: the time model, one rule at a time ======================

TEST_CASE("A start outside working time rolls forward (business-hours calendar)") {
  Desk desk;
  desk.calendars.Define("office-berlin", OfficeBerlin());
  desk.policy.severities["A"][kResponse] = Within(H(4), "office-berlin", false);
  // Opened Sat 2026-11-07 09:00Z (10:00 CET): the clock starts Mon 9 Nov 08:00 CET
  // (07:00Z); 4 working hours later is 12:00 CET = 11:00Z.
  std::vector<TicketEvent> events = {Opened("2026-11-07T09:00:00Z", "A")};
  TicketEvaluation saturday = desk.Evaluate(events, "2026-11-07T12:00:00Z");
  CHECK(Line(saturday[kResponse]) ==
        "running deadline=2026-11-09T11:00:00Z stopped_at=null breached=false "
        "breached_at=null "
        "elapsed=0 budget=14400");
  // Mon 07:30Z = 08:30 CET: 30 minutes worked.
  TicketEvaluation monday = desk.Evaluate(events, "2026-11-09T07:30:00Z");
  CHECK(monday[kResponse].elapsed == Seconds{1800});
}

TEST_CASE("A budget that ends exactly at closing time has its deadline at closing time") {
  Desk desk;
  desk.calendars.Define("office-berlin", OfficeBerlin());
  desk.policy.severities["A"][kResponse] = Within(H(5), "office-berlin", false);
  // Opened Mon 2026-11-09 07:00Z = 08:00 CET: 08:00-13:00 CET is exactly 5 h, so the
  // deadline is the 13:00 CET closing (12:00Z), not the 14:00 CET reopening.
  TicketEvaluation open =
      desk.Evaluate({Opened("2026-11-09T07:00:00Z", "A")}, "2026-11-09T12:00:00Z");
  CHECK(Text(open[kResponse].deadline) == "2026-11-09T12:00:00Z");
  CHECK(open[kResponse].breached);  // deadline <= evaluation instant
  CHECK(open[kResponse].elapsed == H(5));
  // An answer at 13:30 CET (lunch) comes after the deadline: met late.
  TicketEvaluation lunch =
      desk.Evaluate({Opened("2026-11-09T07:00:00Z", "A"),
                     Happened("2026-11-09T12:30:00Z", EventKind::kResponded)},
                    "2026-11-09T13:00:00Z");
  CHECK(Line(lunch[kResponse]) ==
        "stopped deadline=2026-11-09T12:00:00Z stopped_at=2026-11-09T12:30:00Z "
        "breached=true "
        "breached_at=2026-11-09T12:00:00Z elapsed=18000 budget=18000");
}

TEST_CASE("Waiting pauses the pausable workaround and resolution, not the response") {
  Desk desk;
  // A, opened 10:00Z; support waits on the partner 11:00Z-13:00Z.
  std::vector<TicketEvent> events = {
      Opened("2026-11-04T10:00:00Z", "A"),
      Happened("2026-11-04T11:00:00Z", EventKind::kWaiting),
      Happened("2026-11-04T13:00:00Z", EventKind::kResumed)};
  SECTION("while waiting") {
    TicketEvaluation e = desk.Evaluate(events, "2026-11-04T12:00:00Z");
    CHECK(e.waiting);
    CHECK(Line(e[kResponse]) ==
          "running deadline=2026-11-04T14:00:00Z stopped_at=null breached=false "
          "breached_at=null "
          "elapsed=7200 budget=14400");
    // Paused and not breached: the deadline is unknown until the clock runs again.
    CHECK(Line(e[kWorkaround]) ==
          "paused deadline=null stopped_at=null breached=false breached_at=null "
          "elapsed=3600 "
          "budget=86400");
    CHECK(Line(e[kResolution]) ==
          "paused deadline=null stopped_at=null breached=false breached_at=null "
          "elapsed=3600 "
          "budget=1296000");
    CHECK_FALSE(e[kWorkaround].next_change);
  }
  SECTION("after the partner answered") {
    TicketEvaluation e = desk.Evaluate(events, "2026-11-04T13:00:00Z");
    CHECK_FALSE(e.waiting);
    // Response: 4 h of wall time regardless of the wait.
    CHECK(Text(e[kResponse].deadline) == "2026-11-04T14:00:00Z");
    // Workaround: 24 h + 2 h paused = 2026-11-05T12:00Z.
    CHECK(Text(e[kWorkaround].deadline) == "2026-11-05T12:00:00Z");
    CHECK(e[kWorkaround].elapsed == H(1));
    // Resolution: the 2 paused hours fell on a business day: 25 Nov 10:00Z + 2 h.
    CHECK(Text(e[kResolution].deadline) == "2026-11-25T12:00:00Z");
  }
  SECTION("a policy that makes the response pausable moves it too") {
    desk.policy.severities["A"][kResponse].pausable = true;
    TicketEvaluation e = desk.Evaluate(events, "2026-11-04T13:00:00Z");
    CHECK(Text(e[kResponse].deadline) == "2026-11-04T16:00:00Z");  // 14:00Z + 2 h
  }
}

TEST_CASE("Stop rules: which event meets which target") {
  Desk desk;
  // A, opened 10:00Z, one event at 11:00Z, evaluated at 12:00Z.
  auto after = [&](EventKind kind) {
    return desk.Evaluate(
        {Opened("2026-11-04T10:00:00Z", "A"), Happened("2026-11-04T11:00:00Z", kind)},
        "2026-11-04T12:00:00Z");
  };
  TicketEvaluation responded = after(EventKind::kResponded);
  CHECK(Statuses(responded) == "stopped/running/running");
  CHECK(Text(responded[kResponse].stopped_at) == "2026-11-04T11:00:00Z");

  TicketEvaluation workaround = after(EventKind::kWorkaround);
  CHECK(Statuses(workaround) == "stopped/stopped/running");
  CHECK(Text(workaround[kResponse].stopped_at) == "2026-11-04T11:00:00Z");
  CHECK(Text(workaround[kWorkaround].stopped_at) == "2026-11-04T11:00:00Z");

  TicketEvaluation resolved = after(EventKind::kResolved);
  CHECK(Statuses(resolved) == "stopped/stopped/stopped");
  CHECK(resolved.state == TicketState::kResolved);
  for (TargetName t : kTargetNames)
    CHECK(Text(resolved[t].stopped_at) == "2026-11-04T11:00:00Z");

  TicketEvaluation closed = after(EventKind::kClosed);
  CHECK(Statuses(closed) == "stopped/stopped/stopped");
  CHECK(closed.state == TicketState::kClosed);
  for (TargetName t : kTargetNames)
    CHECK(Text(closed[t].stopped_at) == "2026-11-04T11:00:00Z");
  // A stopped clock keeps the deadline it had: resolution 2026-11-25T10:00Z.
  CHECK(Text(closed[kResolution].deadline) == "2026-11-25T10:00:00Z");
  CHECK(closed[kResolution].elapsed == H(1));

  // Events that meet nothing leave every clock running.
  CHECK(Statuses(after(EventKind::kDefectConfirmed)) == "running/running/running");

  // The first meeting event counts: a later workaround does not move the response's stop.
  TicketEvaluation twice =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A"),
                     Happened("2026-11-04T11:00:00Z", EventKind::kResponded),
                     Happened("2026-11-04T11:30:00Z", EventKind::kWorkaround)},
                    "2026-11-04T12:00:00Z");
  CHECK(Text(twice[kResponse].stopped_at) == "2026-11-04T11:00:00Z");
  CHECK(Text(twice[kWorkaround].stopped_at) == "2026-11-04T11:30:00Z");
}

TEST_CASE("Reopened resumes only the resolution clock; the gap is not counted") {
  Desk desk;
  // A, opened Wed 4 Nov 10:00Z, resolved Thu 5 Nov 10:00Z, reopened Mon 9 Nov 10:00Z.
  std::vector<TicketEvent> events = {
      Opened("2026-11-04T10:00:00Z", "A"),
      Happened("2026-11-04T10:30:00Z", EventKind::kResponded),
      Happened("2026-11-05T10:00:00Z", EventKind::kResolved),
      Happened("2026-11-09T10:00:00Z", EventKind::kReopened)};
  SECTION("between resolution and reopening") {
    TicketEvaluation e = desk.Evaluate(events, "2026-11-07T10:00:00Z");
    CHECK(e.state == TicketState::kResolved);
    // One business day used (Wed 11:00 -> Thu 11:00 CET); the deadline projected from
    // the stop: 14 business days after Thu 5 Nov 11:00 CET = Wed 25 Nov 11:00 CET.
    CHECK(Line(e[kResolution]) ==
          "stopped deadline=2026-11-25T10:00:00Z stopped_at=2026-11-05T10:00:00Z "
          "breached=false "
          "breached_at=null elapsed=86400 budget=1296000");
  }
  SECTION("after reopening") {
    TicketEvaluation e = desk.Evaluate(events, "2026-11-09T12:00:00Z");
    CHECK(e.state == TicketState::kOpen);
    // The gap Thu 11:00 CET -> Mon 11:00 CET held 2 business days (Thu 13 h, Fri 24 h,
    // Mon 11 h); they are not counted, so the deadline moves 2 business days:
    // Wed 25 -> Fri 27 Nov 11:00 CET = 10:00Z. Elapsed: 24 h + Mon 11:00-13:00 CET.
    CHECK(Line(e[kResolution]) ==
          "running deadline=2026-11-27T10:00:00Z stopped_at=null breached=false "
          "breached_at=null "
          "elapsed=93600 budget=1296000");
    // Response and workaround stay met. The workaround was met at exactly its
    // deadline (10:00Z + 24 h): on time.
    CHECK(Statuses(e) == "stopped/stopped/running");
    CHECK(Line(e[kWorkaround]) ==
          "stopped deadline=2026-11-05T10:00:00Z stopped_at=2026-11-05T10:00:00Z "
          "breached=false "
          "breached_at=null elapsed=86400 budget=86400");
  }
  SECTION("reopened after closed") {
    events.push_back(Happened("2026-11-10T10:00:00Z", EventKind::kClosed));
    events.push_back(Happened("2026-11-11T10:00:00Z", EventKind::kReopened));
    TicketEvaluation e = desk.Evaluate(events, "2026-11-11T12:00:00Z");
    CHECK(e.state == TicketState::kOpen);
    CHECK(Statuses(e) == "stopped/stopped/running");
  }
}

TEST_CASE("A running clock is breached once its deadline is reached") {
  Desk desk;
  std::vector<TicketEvent> events = {Opened("2026-11-04T10:00:00Z", "A")};
  // Response deadline 14:00Z.
  TicketEvaluation before = desk.Evaluate(events, "2026-11-04T13:59:59Z");
  CHECK_FALSE(before[kResponse].breached);
  CHECK_FALSE(before[kResponse].breached_at);
  TicketEvaluation at = desk.Evaluate(events, "2026-11-04T14:00:00Z");
  CHECK(Line(at[kResponse]) ==
        "running deadline=2026-11-04T14:00:00Z stopped_at=null breached=true "
        "breached_at=2026-11-04T14:00:00Z elapsed=14400 budget=14400");
  TicketEvaluation later = desk.Evaluate(events, "2026-11-04T15:00:00Z");
  CHECK(later[kResponse].breached);
  CHECK(Text(later[kResponse].breached_at) == "2026-11-04T14:00:00Z");
  CHECK(later[kResponse].elapsed == H(5));  // keeps counting past the deadline
}

TEST_CASE("A clock whose deadline passed and that is now paused stays breached") {
  Desk desk;
  // A, opened 4 Nov 10:00Z; the workaround deadline 5 Nov 10:00Z passes while it
  // runs; support then waits on the partner from 5 Nov 12:00Z.
  TicketEvaluation e =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A"),
                     Happened("2026-11-04T10:30:00Z", EventKind::kResponded),
                     Happened("2026-11-05T12:00:00Z", EventKind::kWaiting)},
                    "2026-11-05T13:00:00Z");
  // Paused and breached: the deadline is the breach instant; 26 h counted before the
  // wait.
  CHECK(Line(e[kWorkaround]) ==
        "paused deadline=2026-11-05T10:00:00Z stopped_at=null breached=true "
        "breached_at=2026-11-05T10:00:00Z elapsed=93600 budget=86400");
  // The resolution is paused too, far from its deadline: unknown, not breached.
  // Wed 11:00 CET -> Thu 13:00 CET = 26 business hours.
  CHECK(Line(e[kResolution]) ==
        "paused deadline=null stopped_at=null breached=false breached_at=null "
        "elapsed=93600 "
        "budget=1296000");
}

TEST_CASE("Met after the deadline is breached (met late); met exactly at it is on time") {
  Desk desk;
  // A response deadline: 10:00Z + 4 h = 14:00Z.
  TicketEvaluation late =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A"),
                     Happened("2026-11-04T15:00:00Z", EventKind::kResponded)},
                    "2026-11-04T16:00:00Z");
  CHECK(Line(late[kResponse]) ==
        "stopped deadline=2026-11-04T14:00:00Z stopped_at=2026-11-04T15:00:00Z "
        "breached=true "
        "breached_at=2026-11-04T14:00:00Z elapsed=18000 budget=14400");
  CHECK_FALSE(late[kResponse].at_risk);
  CHECK_FALSE(late[kResponse].next_change);

  TicketEvaluation exact =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A"),
                     Happened("2026-11-04T14:00:00Z", EventKind::kResponded)},
                    "2026-11-04T14:00:00Z");
  CHECK(Line(exact[kResponse]) ==
        "stopped deadline=2026-11-04T14:00:00Z stopped_at=2026-11-04T14:00:00Z "
        "breached=false "
        "breached_at=null elapsed=14400 budget=14400");
}

TEST_CASE("Retroactive reclassification: the new targets from the original start") {
  Desk desk;  // the built-in policy is retroactive
  REQUIRE(desk.policy.reclassification == Reclassification::kRetroactive);
  // C, opened 10:00Z; waiting 11:00Z-13:00Z; responded 16:00Z (C allows 8 h, until
  // 18:00Z); re-classified to A at 17:00Z.
  std::vector<TicketEvent> events = {
      Opened("2026-11-04T10:00:00Z", "C"),
      Happened("2026-11-04T11:00:00Z", EventKind::kWaiting),
      Happened("2026-11-04T13:00:00Z", EventKind::kResumed),
      Happened("2026-11-04T16:00:00Z", EventKind::kResponded),
      Reclassified("2026-11-04T17:00:00Z", "A")};
  TicketEvaluation as_c = desk.Evaluate(events, "2026-11-04T16:30:00Z");
  CHECK(as_c.severity == "C");
  CHECK(Text(as_c[kResponse].deadline) == "2026-11-04T18:00:00Z");
  CHECK_FALSE(as_c[kResponse].breached);
  CHECK(Text(as_c[kWorkaround].deadline) == "2026-11-07T12:00:00Z");  // 3 d + 2 h paused

  TicketEvaluation as_a = desk.Evaluate(events, "2026-11-04T18:00:00Z");
  CHECK(as_a.severity == "A");
  // The stopped response is re-judged: A's 4 h from 10:00Z end at 14:00Z, the answer
  // came at 16:00Z: met late, breached at the new deadline. Not pausable: 6 h elapsed.
  CHECK(Line(as_a[kResponse]) ==
        "stopped deadline=2026-11-04T14:00:00Z stopped_at=2026-11-04T16:00:00Z "
        "breached=true "
        "breached_at=2026-11-04T14:00:00Z elapsed=21600 budget=14400");
  // Workaround: A's 24 h from 10:00Z plus the 2 h already paused = 5 Nov 12:00Z.
  // Elapsed: 10-11 and 13-18 = 6 h.
  CHECK(Line(as_a[kWorkaround]) ==
        "running deadline=2026-11-05T12:00:00Z stopped_at=null breached=false "
        "breached_at=null "
        "elapsed=21600 budget=86400");
  // Resolution: A's 15 business days from the original start, pause kept: 25 Nov 12:00Z.
  CHECK(Line(as_a[kResolution]) ==
        "running deadline=2026-11-25T12:00:00Z stopped_at=null breached=false "
        "breached_at=null "
        "elapsed=21600 budget=1296000");
}

TEST_CASE(
    "Restart reclassification: open clocks restart at the change, met or breached ones "
    "keep") {
  Desk desk;
  desk.policy.reclassification = Reclassification::kRestart;
  SECTION("A to C after the response was met") {
    // A, opened 10:00Z, responded 11:00Z, re-classified to C at 12:00Z.
    TicketEvaluation e =
        desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A"),
                       Happened("2026-11-04T11:00:00Z", EventKind::kResponded),
                       Reclassified("2026-11-04T12:00:00Z", "C")},
                      "2026-11-04T13:00:00Z");
    CHECK(e.severity == "C");
    // Met: keeps A's target and start.
    CHECK(Line(e[kResponse]) ==
          "stopped deadline=2026-11-04T14:00:00Z stopped_at=2026-11-04T11:00:00Z "
          "breached=false "
          "breached_at=null elapsed=3600 budget=14400");
    // Restarted at 12:00Z with C's 3 days.
    CHECK(Line(e[kWorkaround]) ==
          "running deadline=2026-11-07T12:00:00Z stopped_at=null breached=false "
          "breached_at=null "
          "elapsed=3600 budget=259200");
    // Restarted at 12:00Z with C's 30 calendar days.
    CHECK(Line(e[kResolution]) ==
          "running deadline=2026-12-04T12:00:00Z stopped_at=null breached=false "
          "breached_at=null "
          "elapsed=3600 budget=2592000");
  }
  SECTION("C to A after the response was already breached") {
    // C, opened 10:00Z, no answer; C's response deadline 18:00Z passes; A at 19:00Z.
    std::vector<TicketEvent> events = {Opened("2026-11-04T10:00:00Z", "C"),
                                       Reclassified("2026-11-04T19:00:00Z", "A")};
    TicketEvaluation e = desk.Evaluate(events, "2026-11-04T20:00:00Z");
    // Breached: keeps C's 8 h from 10:00Z.
    CHECK(Line(e[kResponse]) ==
          "running deadline=2026-11-04T18:00:00Z stopped_at=null breached=true "
          "breached_at=2026-11-04T18:00:00Z elapsed=36000 budget=28800");
    // Restarted at 19:00Z with A's 24 h.
    CHECK(Text(e[kWorkaround].deadline) == "2026-11-05T19:00:00Z");
    CHECK(e[kWorkaround].elapsed == H(1));
    // Restarted at 19:00Z (20:00 CET, Wed) with A's 15 business days: Wed 25 Nov
    // 20:00 CET = 19:00Z.
    CHECK(Text(e[kResolution].deadline) == "2026-11-25T19:00:00Z");

    // The same history under the retroactive default, for contrast.
    Desk retroactive;
    TicketEvaluation r = retroactive.Evaluate(events, "2026-11-04T20:00:00Z");
    CHECK(Text(r[kResponse].deadline) == "2026-11-04T14:00:00Z");
    CHECK(Text(r[kWorkaround].deadline) == "2026-11-05T10:00:00Z");
  }
}

TEST_CASE(
    "Warnings at 0.75 of the budget mark a clock at risk; next_change is the next "
    "transition") {
  Desk desk;
  // A, opened Wed 4 Nov 10:00Z. Warning points (0.75 of each budget):
  //   response   3 h of 4 h        -> 13:00Z
  //   workaround 18 h of 24 h      -> 5 Nov 04:00Z
  //   resolution 11.25 of 15 business days = 11 days + 6 h from Wed 11:00 CET:
  //              Thu 19 Nov 11:00 CET + 6 h = 17:00 CET = 16:00Z
  std::vector<TicketEvent> events = {Opened("2026-11-04T10:00:00Z", "A")};
  TicketEvaluation start = desk.Evaluate(events, "2026-11-04T10:00:00Z");
  REQUIRE(start[kResponse].warnings.size() == 1);
  CHECK(Text(start[kResponse].warnings[0]) == "2026-11-04T13:00:00Z");
  CHECK(Text(start[kWorkaround].warnings[0]) == "2026-11-05T04:00:00Z");
  CHECK(Text(start[kResolution].warnings[0]) == "2026-11-19T16:00:00Z");
  CHECK(Text(start[kResponse].next_change) == "2026-11-04T13:00:00Z");
  CHECK(Text(start[kWorkaround].next_change) == "2026-11-05T04:00:00Z");
  CHECK(Text(start[kResolution].next_change) == "2026-11-19T16:00:00Z");
  CHECK_FALSE(start[kResponse].at_risk);

  TicketEvaluation just_before = desk.Evaluate(events, "2026-11-04T12:59:59Z");
  CHECK_FALSE(just_before[kResponse].at_risk);

  TicketEvaluation warned = desk.Evaluate(events, "2026-11-04T13:00:00Z");
  CHECK(warned[kResponse].at_risk);
  CHECK_FALSE(warned[kResponse].breached);
  CHECK(Text(warned[kResponse].next_change) ==
        "2026-11-04T14:00:00Z");  // now the deadline

  TicketEvaluation breached = desk.Evaluate(events, "2026-11-04T14:00:00Z");
  CHECK(breached[kResponse].breached);
  CHECK_FALSE(breached[kResponse].at_risk);      // breached is not "at risk"
  CHECK_FALSE(breached[kResponse].next_change);  // nothing left to happen by time alone

  // Met after the warning: stopped clocks are never at risk and never change.
  TicketEvaluation met =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A"),
                     Happened("2026-11-04T13:30:00Z", EventKind::kResponded)},
                    "2026-11-04T13:45:00Z");
  CHECK_FALSE(met[kResponse].at_risk);
  CHECK_FALSE(met[kResponse].next_change);
}

TEST_CASE("Warnings while paused: a reached point stays, an unreached one is unknown") {
  Desk desk;
  // A workaround's warning is at 5 Nov 04:00Z (18 h).
  SECTION("paused after the warning point") {
    TicketEvaluation e =
        desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A"),
                       Happened("2026-11-05T05:00:00Z", EventKind::kWaiting)},
                      "2026-11-05T06:00:00Z");
    CHECK(e[kWorkaround].status == ClockStatus::kPaused);
    CHECK(Text(e[kWorkaround].warnings[0]) == "2026-11-05T04:00:00Z");
    CHECK(e[kWorkaround].at_risk);
    CHECK_FALSE(e[kWorkaround].next_change);  // a paused clock changes only by events
  }
  SECTION("paused before the warning point") {
    TicketEvaluation e =
        desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A"),
                       Happened("2026-11-05T03:00:00Z", EventKind::kWaiting)},
                      "2026-11-05T06:00:00Z");
    CHECK_FALSE(e[kWorkaround].warnings[0]);
    CHECK_FALSE(e[kWorkaround].at_risk);
  }
}

TEST_CASE("Warning points are rounded to whole seconds, one per configured fraction") {
  Desk desk;
  desk.policy.warn_at = {0.5, 0.75};
  desk.policy.severities["A"][kResponse] = Within(Seconds{3601}, "24x7", false);
  // 0.5 x 3601 = 1800.5 s is avoided as a tie; 0.75 x 3601 = 2700.75 s -> 2701 s
  // = 45 min 1 s. 0.5 of the 24 h workaround = 12 h.
  TicketEvaluation e =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A")}, "2026-11-04T10:00:00Z");
  REQUIRE(e[kResponse].warnings.size() == 2);
  CHECK(Text(e[kResponse].warnings[1]) == "2026-11-04T10:45:01Z");
  CHECK(Text(e[kResponse].deadline) == "2026-11-04T11:00:01Z");
  CHECK(Text(e[kWorkaround].warnings[0]) == "2026-11-04T22:00:00Z");
  CHECK(Text(e[kWorkaround].warnings[1]) == "2026-11-05T04:00:00Z");
}

TEST_CASE("Next release: deadline, warning, breach and met late") {
  Desk desk;
  desk.releases = {Released("24.1", "2026-06-01T00:00:00Z"),
                   Released("24.2", "2026-12-15T00:00:00Z")};
  std::vector<TicketEvent> events = {Opened("2026-11-04T10:00:00Z", "D", "24.1")};
  // Budget 3506400 s (see row D); 0.75 of it is 2629800 s = 30 d 10 h 30 min after
  // opening: 2026-12-04T20:30Z.
  TicketEvaluation start = desk.Evaluate(events, "2026-11-04T10:00:00Z");
  CHECK(Text(start[kResolution].warnings[0]) == "2026-12-04T20:30:00Z");
  CHECK(Text(start[kResolution].next_change) == "2026-12-04T20:30:00Z");

  TicketEvaluation release_day = desk.Evaluate(events, "2026-12-15T00:00:00Z");
  CHECK(Line(release_day[kResolution]) ==
        "running deadline=2026-12-15T00:00:00Z stopped_at=null breached=true "
        "breached_at=2026-12-15T00:00:00Z elapsed=3506400 budget=3506400");

  // Waiting does not pause it.
  TicketEvaluation waiting =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "D", "24.1"),
                     Happened("2026-11-05T10:00:00Z", EventKind::kWaiting)},
                    "2026-11-06T10:00:00Z");
  CHECK(waiting[kResolution].status == ClockStatus::kRunning);
  CHECK(waiting[kResolution].elapsed == H(48));

  TicketEvaluation on_time =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "D", "24.1"),
                     Happened("2026-12-10T09:00:00Z", EventKind::kResolved)},
                    "2026-12-20T00:00:00Z");
  CHECK(on_time[kResolution].status == ClockStatus::kStopped);
  CHECK_FALSE(on_time[kResolution].breached);

  TicketEvaluation late =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "D", "24.1"),
                     Happened("2026-12-16T09:00:00Z", EventKind::kResolved)},
                    "2026-12-20T00:00:00Z");
  CHECK(late[kResolution].breached);
  CHECK(Text(late[kResolution].breached_at) == "2026-12-15T00:00:00Z");
}

TEST_CASE("Next release: a release on the opening instant is not after it") {
  Desk desk;
  desk.releases = {Released("24.1", "2026-06-01T00:00:00Z"),
                   Released("24.2", "2026-11-04T10:00:00Z"),  // the same second as opened
                   Released("25.1", "2027-03-01T00:00:00Z")};
  TicketEvaluation d = desk.Evaluate({Opened("2026-11-04T10:00:00Z", "D", "24.1")},
                                     "2026-11-04T10:00:00Z");
  CHECK(Text(d[kResolution].deadline) == "2027-03-01T00:00:00Z");
}

TEST_CASE("Next release: no planned release leaves the clock unscheduled, not breached") {
  Desk desk;
  desk.releases = {Released("24.1", "2026-06-01T00:00:00Z")};  // nothing planned
  TicketEvaluation d = desk.Evaluate({Opened("2026-11-04T10:00:00Z", "D", "24.1")},
                                     "2026-11-05T10:00:00Z");
  CHECK(Line(d[kResolution]) ==
        "unscheduled deadline=null stopped_at=null breached=false breached_at=null "
        "elapsed=86400 budget=null");
  CHECK_FALSE(d[kResolution].at_risk);
  CHECK_FALSE(d[kResolution].next_change);

  // Resolved without a release ever planned: stopped, nothing to judge it by.
  TicketEvaluation resolved =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "D", "24.1"),
                     Happened("2026-11-05T10:00:00Z", EventKind::kResolved)},
                    "2026-11-06T10:00:00Z");
  CHECK(Line(resolved[kResolution]) ==
        "stopped deadline=null stopped_at=2026-11-05T10:00:00Z breached=false "
        "breached_at=null "
        "elapsed=86400 budget=null");
}

TEST_CASE(
    "Unsupported versions carry no clocks unless the policy keeps them; outdated ones "
    "do") {
  Desk desk;
  desk.releases = {
      Released("23.1", "2025-06-01T00:00:00Z"), Released("23.2", "2025-10-01T00:00:00Z"),
      Released("24.1", "2026-01-15T00:00:00Z"), Released("24.2", "2026-06-01T00:00:00Z")};
  // Opened 2026-11-04:
  //   24.1: newer 24.2 is out since 1 Jun, + 6 months = 1 Dec, not yet -> supported.
  //   23.2: newer 24.1 and 24.2 out (2 < 3) -> supported; 24.1 is out since
  //         15 Jan, + 6 months = 15 Jul < 4 Nov -> outdated, a flag: clocks run.
  //   23.1: newer 23.2, 24.1, 24.2 out (3, not < 3) -> unsupported (and outdated).
  //   9.9:  the product never had it -> unsupported, not outdated.
  TicketEvaluation current = desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A", "24.1")},
                                           "2026-11-04T11:00:00Z");
  CHECK(current.supported);
  CHECK_FALSE(current.outdated);
  CHECK(Statuses(current) == "running/running/running");

  TicketEvaluation outdated = desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A", "23.2")},
                                            "2026-11-04T11:00:00Z");
  CHECK(outdated.supported);
  CHECK(outdated.outdated);
  CHECK(Statuses(outdated) == "running/running/running");
  CHECK(Text(outdated[kResponse].deadline) == "2026-11-04T14:00:00Z");  // + 4 h

  TicketEvaluation old = desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A", "23.1")},
                                       "2026-11-04T11:00:00Z");
  CHECK_FALSE(old.supported);
  CHECK(old.outdated);
  CHECK(Statuses(old) == "not_applicable/not_applicable/not_applicable");
  CHECK(Line(old[kResponse]) ==
        "not_applicable deadline=null stopped_at=null breached=false breached_at=null "
        "elapsed=0 "
        "budget=null");

  TicketEvaluation unknown =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A", "9.9")}, "2026-11-04T11:00:00Z");
  CHECK_FALSE(unknown.supported);
  CHECK_FALSE(unknown.outdated);
  CHECK(Statuses(unknown) == "not_applicable/not_applicable/not_applicable");

  // Support is decided at opening: a release 6 months later does not take it back.
  desk.releases.push_back(Released("25.1", "2026-11-10T00:00:00Z"));
  TicketEvaluation later = desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A", "24.1")},
                                         "2027-06-01T00:00:00Z");
  CHECK(later.supported);

  desk.policy.versions.clocks_when_unsupported = true;
  TicketEvaluation kept = desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A", "23.1")},
                                        "2026-11-04T11:00:00Z");
  CHECK_FALSE(kept.supported);
  CHECK(kept.outdated);
  CHECK(Statuses(kept) == "running/running/running");
  CHECK(Text(kept[kResponse].deadline) == "2026-11-04T14:00:00Z");
}

TEST_CASE("Finding 6: a B ticket on the release before the newest keeps its clocks") {
  // The example: releases v1..v4 monthly, v4 on 2026-04-01 00:00 Berlin
  // (CEST, = 2026-03-31T22:00Z); a B ticket on v3 opened 6 months and a day
  // after v4, on 2026-10-02 10:00 CEST = 08:00Z. v3 has one newer release out
  // (1 < 3): supported. v4 + 6 local months = 2026-10-01 00:00 CEST, before the
  // opening: outdated. Outdated is a flag: the clocks run. B response 4 h:
  // 12:00Z; workaround 2 days (24x7): 2026-10-04T08:00Z.
  Desk desk;
  desk.releases = {Released("v1", "2026-01-01T00:00:00+01:00"),
                   Released("v2", "2026-02-01T00:00:00+01:00"),
                   Released("v3", "2026-03-01T00:00:00+01:00"),
                   Released("v4", "2026-04-01T00:00:00+02:00")};
  TicketEvaluation b =
      desk.Evaluate({Opened("2026-10-02T08:00:00Z", "B", "v3")}, "2026-10-02T09:00:00Z");
  CHECK(b.supported);
  CHECK(b.outdated);
  CHECK(Statuses(b) == "running/running/running");
  CHECK(Text(b[kResponse].deadline) == "2026-10-02T12:00:00Z");
  CHECK(Text(b[kWorkaround].deadline) == "2026-10-04T08:00:00Z");
  // Reported as a build of v3 the same holds (finding 7).
  TicketEvaluation build = desk.Evaluate({Opened("2026-10-02T08:00:00Z", "B", "v3.0.77")},
                                         "2026-10-02T09:00:00Z");
  CHECK(build.supported);
  CHECK(build.outdated);
  CHECK(Text(build[kResponse].deadline) == "2026-10-02T12:00:00Z");
  // v1 has three newer releases out (v2, v3, v4: not < 3): unsupported, no
  // clocks by default.
  TicketEvaluation v1 =
      desk.Evaluate({Opened("2026-10-02T08:00:00Z", "B", "v1")}, "2026-10-02T09:00:00Z");
  CHECK_FALSE(v1.supported);
  CHECK(Statuses(v1) == "not_applicable/not_applicable/not_applicable");
}

TEST_CASE("A product without any known release counts as supported") {
  Desk desk;  // no releases at all
  TicketEvaluation e = desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A", "whatever")},
                                     "2026-11-04T11:00:00Z");
  CHECK(e.supported);
  CHECK_FALSE(e.outdated);
  CHECK(Statuses(e) == "running/running/running");
}

TEST_CASE("Events after the evaluation instant are ignored") {
  Desk desk;
  std::vector<TicketEvent> events = {
      Opened("2026-11-04T10:00:00Z", "A"),
      Happened("2026-11-04T11:00:00Z", EventKind::kResponded),
      Reclassified("2026-11-04T12:00:00Z", "C"),
      Happened("2026-11-04T13:00:00Z", EventKind::kClosed)};
  TicketEvaluation before = desk.Evaluate(events, "2026-11-04T10:30:00Z");
  CHECK(before.severity == "A");
  CHECK(before.state == TicketState::kOpen);
  CHECK(Line(before[kResponse]) ==
        "running deadline=2026-11-04T14:00:00Z stopped_at=null breached=false "
        "breached_at=null "
        "elapsed=1800 budget=14400");
  // An event at the evaluation instant itself has happened.
  TicketEvaluation at_response = desk.Evaluate(events, "2026-11-04T11:00:00Z");
  CHECK(at_response[kResponse].status == ClockStatus::kStopped);
  CHECK(at_response.severity == "A");
  TicketEvaluation all = desk.Evaluate(events, "2026-11-04T14:00:00Z");
  CHECK(all.severity == "C");
  CHECK(all.state == TicketState::kClosed);
  CHECK(Statuses(all) == "stopped/stopped/stopped");
}

TEST_CASE("Ticket facts: incidents, defects and the ticket fee") {
  Desk desk;
  SECTION("an incidents event changes the count from its instant on") {
    std::vector<TicketEvent> events = {Opened("2026-11-04T10:00:00Z", "B", "24.1", 2),
                                       IncidentsChanged("2026-11-04T12:00:00Z", 3)};
    CHECK(desk.Evaluate(events, "2026-11-04T11:00:00Z").incidents == 2);
    CHECK(desk.Evaluate(events, "2026-11-04T13:00:00Z").incidents == 3);
  }
  SECTION("not certified when opened: a fee") {
    desk.certifications = {Passed("e1", "2026-01-01T00:00:00Z")};  // one is not enough
    TicketEvaluation e =
        desk.Evaluate({Opened("2026-11-04T10:00:00Z", "B")}, "2026-11-04T11:00:00Z");
    CHECK(e.fee);
    CHECK_FALSE(e.defect_confirmed);
  }
  SECTION("a confirmed defect carries no fee") {
    TicketEvaluation e =
        desk.Evaluate({Opened("2026-11-04T10:00:00Z", "B"),
                       Happened("2026-11-05T10:00:00Z", EventKind::kDefectConfirmed)},
                      "2026-11-06T10:00:00Z");
    CHECK(e.defect_confirmed);
    CHECK_FALSE(e.new_defect);
    CHECK_FALSE(e.fee);
    // Before the confirmation it did.
    CHECK(desk.Evaluate({Opened("2026-11-04T10:00:00Z", "B"),
                         Happened("2026-11-05T10:00:00Z", EventKind::kDefectConfirmed)},
                        "2026-11-04T11:00:00Z")
              .fee);
  }
  SECTION("a new defect is a confirmed defect") {
    TicketEvaluation e =
        desk.Evaluate({Opened("2026-11-04T10:00:00Z", "B"),
                       Happened("2026-11-05T10:00:00Z", EventKind::kNewDefect)},
                      "2026-11-06T10:00:00Z");
    CHECK(e.new_defect);
    CHECK(e.defect_confirmed);
    CHECK_FALSE(e.fee);
  }
  SECTION("the fee is decided at opening") {
    // e1 expires 2026-11-05 (18 months after 2025-05-05): certified at opening.
    desk.certifications = {Passed("e1", "2025-05-05T00:00:00Z"),
                           Passed("e2", "2026-03-01T00:00:00Z")};
    CHECK_FALSE(
        desk.Evaluate({Opened("2026-11-04T10:00:00Z", "B")}, "2026-11-10T00:00:00Z").fee);
    // e3 passes only after the opening: still a fee.
    desk.certifications = {Passed("e2", "2026-03-01T00:00:00Z"),
                           Passed("e3", "2026-11-06T00:00:00Z")};
    CHECK(
        desk.Evaluate({Opened("2026-11-04T10:00:00Z", "B")}, "2026-11-10T00:00:00Z").fee);
  }
}

TEST_CASE("Ticket facts feed the partner quota") {
  Desk desk;
  Instant signed_at = At("2026-01-10T00:00:00Z");
  Instant t = At("2026-11-04T13:00:00Z");
  // Two incidents, raised to three; a new defect: one credit in its period.
  TicketEvaluation e =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "B", "24.1", 2),
                     IncidentsChanged("2026-11-04T11:00:00Z", 3),
                     Happened("2026-11-04T12:00:00Z", EventKind::kNewDefect)},
                    "2026-11-04T13:00:00Z");
  std::vector<TicketQuotaFacts> facts = {{e.opened_at, e.incidents, e.new_defect, e.fee}};
  Partner partner;
  partner.contract_signed_at = signed_at;
  PartnerQuota quota = AssessPartner(partner, {}, facts, desk.policy, t);
  CHECK(quota.incidents_used == 3);
  CHECK(quota.credits == 1);
  CHECK(quota.incidents_limit == 21);
  CHECK(quota.fees == 0);
}

// === docs/design.md §2: `d` budgets count working days (issue 11, finding 1) ====
// Transitions used (tzdata): Asia/Jerusalem Fri 2026-03-27 02:00 +2 -> 03:00 +3;
// Europe/Berlin Sun 2026-10-25 03:00 +2 -> 02:00 +1; Australia/Sydney Sun
// 2026-10-04 02:00 +10 -> 03:00 +11; Africa/Cairo Thu 2026-10-29 24:00 +3 ->
// 23:00 +2 (a 25-hour Thursday).

TEST_CASE("Finding 1: an A ticket in Jerusalem is due on a Wednesday at 10:00 local") {
  Desk desk;
  desk.zone = date::locate_zone("Asia/Jerusalem");
  // Opened Wed 2026-03-18 10:00 IST = 08:00Z.
  TicketEvaluation a =
      desk.Evaluate({Opened("2026-03-18T08:00:00Z", "A")}, "2026-03-18T08:00:00Z");
  // Workaround, 1 day on 24x7 in the partner's zone: Thu 19 Mar 10:00 IST = 08:00Z.
  CHECK(Text(a[kWorkaround].deadline) == "2026-03-19T08:00:00Z");
  CHECK(a[kWorkaround].budget == H(24));
  // Resolution, 15 business days: Thu 19 (1), Fri 20 (2), Mon 23-Fri 27 (3-7),
  // Mon 30-Fri 3 Apr (8-12), Mon 6 (13), Tue 7 (14), Wed 8 Apr (15) at 10:00,
  // now IDT (+3) = 07:00Z, not 11:00 local. Friday 27 March had 23 h, so the
  // budget is 359 h = 1292400 s.
  CHECK(Line(a[kResolution]) ==
        "running deadline=2026-04-08T07:00:00Z stopped_at=null breached=false "
        "breached_at=null elapsed=0 budget=1292400");
}

TEST_CASE("Finding 1: C's 30 days in Berlin end at 10:00 CET, not 09:00") {
  Desk desk;  // Berlin
  // Opened Tue 2026-10-20 10:00 CEST = 08:00Z.
  TicketEvaluation c =
      desk.Evaluate({Opened("2026-10-20T08:00:00Z", "C")}, "2026-10-20T08:00:00Z");
  // Workaround, 3 days: Fri 23 Oct 10:00 CEST = 08:00Z (no change in between).
  CHECK(Text(c[kWorkaround].deadline) == "2026-10-23T08:00:00Z");
  // Resolution, 30 days: Thu 19 Nov 10:00, now CET = 09:00Z; 30 x 24 h plus the
  // hour given back on 25 October = 721 h = 2595600 s.
  CHECK(Line(c[kResolution]) ==
        "running deadline=2026-11-19T09:00:00Z stopped_at=null breached=false "
        "breached_at=null elapsed=0 budget=2595600");
}

TEST_CASE("Working days in Sydney: a C ticket across the start of summer time") {
  Desk desk;
  desk.zone = date::locate_zone("Australia/Sydney");
  // Opened Fri 2026-10-02 10:00 AEST = 00:00Z.
  TicketEvaluation c =
      desk.Evaluate({Opened("2026-10-02T00:00:00Z", "C")}, "2026-10-02T00:00:00Z");
  // Workaround, 3 days: Mon 5 Oct 10:00, now AEDT (+11) = 2026-10-04T23:00Z:
  // 71 h = 255600 s.
  CHECK(Text(c[kWorkaround].deadline) == "2026-10-04T23:00:00Z");
  CHECK(c[kWorkaround].budget == Seconds{255600});
  // Resolution, 30 days: Sun 1 Nov 10:00 AEDT = 2026-10-31T23:00Z: 719 h.
  CHECK(Text(c[kResolution].deadline) == "2026-10-31T23:00:00Z");
  CHECK(c[kResolution].budget == H(719));
}

TEST_CASE("Working days in Cairo: a 25-hour Thursday is one day") {
  Desk desk;
  desk.zone = date::locate_zone("Africa/Cairo");
  // Opened Thu 2026-10-29 10:00 EEST = 07:00Z.
  TicketEvaluation a =
      desk.Evaluate({Opened("2026-10-29T07:00:00Z", "A")}, "2026-10-29T07:00:00Z");
  // Workaround, 1 day on 24x7: Fri 30 Oct 10:00 EET = 08:00Z, 25 h = 90000 s.
  CHECK(Text(a[kWorkaround].deadline) == "2026-10-30T08:00:00Z");
  CHECK(a[kWorkaround].budget == Seconds{90000});
  // Resolution, 15 business days (Mon-Fri): Fri 30 Oct (1), 2-6 Nov (2-6), 9-13
  // (7-11), 16-19 (12-15): Thu 19 Nov 10:00 EET = 08:00Z. Working time: Thu
  // 10:00-24:00 15 h (the hour 23-24 twice), Fri 24 h, two weeks 240 h, Mon-Wed
  // 72 h, Thu 00:00-10:00 10 h = 361 h = 1299600 s.
  CHECK(Text(a[kResolution].deadline) == "2026-11-19T08:00:00Z");
  CHECK(a[kResolution].budget == Seconds{1299600});
}

TEST_CASE("A pause moves a working-day deadline by the working time paused") {
  Desk desk;  // Berlin
  // Opened Wed 2026-11-04 11:00 CET (10:00Z); waiting from Fri 6 Nov 11:00 CET to
  // Mon 9 Nov 11:00 CET. On business-days that pause holds Fri 11:00-24:00 (13 h)
  // and Mon 00:00-11:00 (11 h) = 24 h of working time, so the resolution
  // deadline moves from Wed 25 Nov 11:00 CET by one business day's 24 h to Thu
  // 26 Nov 11:00 CET = 10:00Z. Elapsed by Mon 13:00 CET: Wed 11:00 -> Fri 11:00
  // (48 h) + Mon 11:00 -> 13:00 (2 h) = 50 h = 180000 s.
  TicketEvaluation a =
      desk.Evaluate({Opened("2026-11-04T10:00:00Z", "A"),
                     Happened("2026-11-06T10:00:00Z", EventKind::kWaiting),
                     Happened("2026-11-09T10:00:00Z", EventKind::kResumed)},
                    "2026-11-09T12:00:00Z");
  CHECK(Line(a[kResolution]) ==
        "running deadline=2026-11-26T10:00:00Z stopped_at=null breached=false "
        "breached_at=null elapsed=180000 budget=1296000");
}

TEST_CASE("A working-day deadline is a working instant at the days' wall time") {
  // Opened Sat 2026-11-07 11:00 CET (10:00Z): rolls forward to Mon 9 Nov 00:00
  // CET; 15 business days later at 00:00 is Mon 30 Nov 00:00 CET = 29 Nov 23:00Z.
  // The 360 h of working time those days hold are used up at Fri 27 Nov 24:00
  // (27 Nov 23:00Z), which is where a `360h` budget ends (closing time).
  Desk days;
  TicketEvaluation a =
      days.Evaluate({Opened("2026-11-07T10:00:00Z", "A")}, "2026-11-07T10:00:00Z");
  CHECK(Text(a[kResolution].deadline) == "2026-11-29T23:00:00Z");
  CHECK(a[kResolution].budget == H(360));

  Desk hours;
  hours.policy.severities["A"][kResolution] = Within(H(360), "business-days", true);
  TicketEvaluation h =
      hours.Evaluate({Opened("2026-11-07T10:00:00Z", "A")}, "2026-11-07T10:00:00Z");
  CHECK(Text(h[kResolution].deadline) == "2026-11-27T23:00:00Z");
}

TEST_CASE("A zero budget is due at the first working instant at or after the start") {
  Desk desk;  // Berlin
  desk.policy.severities["A"][kResponse] = Within(Seconds{0}, "business-days", false);
  desk.policy.severities["A"][kWorkaround] = Within(Seconds{0}, "24x7", true);
  // Opened Sat 2026-11-07 11:00 CET (10:00Z): business-days next works Mon 9 Nov
  // 00:00 CET = 8 Nov 23:00Z; 24x7 works at once.
  TicketEvaluation a =
      desk.Evaluate({Opened("2026-11-07T10:00:00Z", "A")}, "2026-11-07T10:00:00Z");
  CHECK(Text(a[kResponse].deadline) == "2026-11-08T23:00:00Z");
  CHECK_FALSE(a[kResponse].breached);
  CHECK(a[kResponse].budget == Seconds{0});
  // 24x7: due at the opening itself, so already breached at that instant
  // (a running clock is breached once its deadline is at or before t).
  CHECK(Text(a[kWorkaround].deadline) == "2026-11-07T10:00:00Z");
  CHECK(a[kWorkaround].breached);
  // Met at that very instant is on time; a second later is late.
  TicketEvaluation on_time =
      desk.Evaluate({Opened("2026-11-07T10:00:00Z", "A"),
                     Happened("2026-11-07T10:00:00Z", EventKind::kWorkaround)},
                    "2026-11-07T12:00:00Z");
  CHECK(on_time[kWorkaround].status == ClockStatus::kStopped);
  CHECK_FALSE(on_time[kWorkaround].breached);
  TicketEvaluation late =
      desk.Evaluate({Opened("2026-11-07T10:00:00Z", "A"),
                     Happened("2026-11-07T10:00:01Z", EventKind::kWorkaround)},
                    "2026-11-07T12:00:00Z");
  CHECK(late[kWorkaround].breached);
}

TEST_CASE(
    "A paused working-day clock whose budget ran out at closing time is due at the next "
    "opening") {
  // Finding of the tracker differential test (seed 1274 with a `1d` office
  // workaround). A partner in America/New_York (EST, UTC-5, in November); the
  // workaround is 1 working day on Mon-Fri 08:00-12:00, 13:00-17:00 local,
  // pausable.
  //   Opened Sat 2026-11-14 10:00 EST (15:00Z): rolls forward to Mon 16 Nov
  //   08:00 EST; 1 working day later at 08:00 is Tue 17 Nov 08:00 EST = 13:00Z.
  //   The budget is the working time Mon 08:00 -> Tue 08:00 = 8 h.
  //   Waiting from Tue 17 Nov 06:00 EST (11:00Z): the 8 h were used up on
  //   Monday at 17:00 (closing time), before the pause, so the pause moves
  //   nothing: the deadline is that closing time rolled forward to the next
  //   working instant, Tue 08:00 EST = 13:00Z.
  //   At Tue 07:00 EST (12:00Z) the clock is paused and not breached (deadline
  //   null while paused and not breached). At Tue 08:00 EST (13:00Z), still
  //   paused, the deadline has come: breached at 13:00Z.
  Desk desk;
  desk.zone = date::locate_zone("America/New_York");
  CalendarDefinition office;
  office.zone = desk.zone;
  for (int d = 0; d < 5; ++d) office.week[d] = {{H(8), H(12)}, {H(13), H(17)}};
  desk.calendars.Define("office", office);
  desk.policy.severities["C"][kWorkaround] =
      TargetSpec{TargetKind::kBudget, Seconds{0}, "office", true, 1};
  std::vector<TicketEvent> events = {
      Opened("2026-11-14T15:00:00Z", "C"),
      Happened("2026-11-17T11:00:00Z", EventKind::kWaiting)};
  TicketEvaluation before = desk.Evaluate(events, "2026-11-17T12:00:00Z");
  CHECK(Line(before[kWorkaround]) ==
        "paused deadline=null stopped_at=null breached=false breached_at=null "
        "elapsed=28800 budget=28800");
  // Paused as it is, the clock changes at 13:00Z by the passage of time alone:
  // the daemon must wake then (it did not, and showed it at risk for days).
  CHECK(Text(before[kWorkaround].next_change) == "2026-11-17T13:00:00Z");
  TicketEvaluation at = desk.Evaluate(events, "2026-11-17T13:00:00Z");
  CHECK(Line(at[kWorkaround]) ==
        "paused deadline=2026-11-17T13:00:00Z stopped_at=null breached=true "
        "breached_at=2026-11-17T13:00:00Z elapsed=28800 budget=28800");
}

TEST_CASE("A zero-length pause leaves every working-day deadline where it was") {
  // The engine takes a shortcut for a clock that was never paused (the
  // deadline is where the working days end); a waiting and a resumed at the
  // same instant pause nothing, but take the general path (the working time
  // those days hold, counted stretch by stretch, then rolled forward). Both
  // must give the same deadline, for starts at any time of the week, in zones
  // with DST changes on weekdays (Jerusalem) and weekends (Berlin), on
  // whole-day and office-hours calendars.
  for (const char* zone : {"Europe/Berlin", "Asia/Jerusalem"}) {
    Desk plain;
    plain.zone = date::locate_zone(zone);
    plain.calendars.Define("office", OfficeBerlin());
    plain.policy.severities["A"][kResponse] =
        TargetSpec{TargetKind::kBudget, Seconds{0}, "office", false, 3};
    uint64_t state = 11;
    for (int i = 0; i < 150; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      const Instant opened =
          At("2026-01-01T00:00:00Z") + Seconds{(state >> 33) % 31536000};
      const Instant blip = opened + Seconds{(state >> 20) % (5 * 86400)};
      const std::string at = Show(opened), at_blip = Show(blip);
      INFO(zone << " opened " << at << ", zero pause at " << at_blip);
      TicketEvaluation a = plain.Evaluate({Opened(at, "A")}, at);
      TicketEvaluation b =
          plain.Evaluate({Opened(at, "A"), Happened(at_blip, EventKind::kWaiting),
                          Happened(at_blip, EventKind::kResumed)},
                         at_blip);
      for (TargetName target : {kResponse, kWorkaround, kResolution}) {
        CHECK(Text(a[target].deadline) == Text(b[target].deadline));
      }
    }
  }
}

// === SanitizeHistory =========================================================

TEST_CASE("SanitizeHistory sorts by instant, then sequence, with the opened first") {
  Policy policy = BuiltinPolicy();
  std::vector<TicketEvent> events =
      Sequenced({Happened("2026-11-04T12:00:00Z", EventKind::kResolved),
                 Happened("2026-11-04T11:00:00Z", EventKind::kResponded),
                 Opened("2026-11-04T10:00:00Z", "A")});
  TicketHistory history = SanitizeHistory("T-7", events, policy);
  CHECK(history.rejected.empty());
  REQUIRE(history.events.size() == 3);
  CHECK(history.events[0].kind == EventKind::kOpened);
  CHECK(history.events[1].kind == EventKind::kResponded);
  CHECK(history.events[2].kind == EventKind::kResolved);
  CHECK(FindOpened(events) != nullptr);
  CHECK(FindOpened(events)->kind == EventKind::kOpened);
}

TEST_CASE("SanitizeHistory rejects a second opened") {
  TicketHistory history = SanitizeHistory(
      "T-7",
      Sequenced({Opened("2026-11-04T10:00:00Z", "A"), Opened("2026-11-04T11:00:00Z", "B"),
                 Happened("2026-11-04T12:00:00Z", EventKind::kResponded)}),
      BuiltinPolicy());
  REQUIRE(history.rejected.size() == 1);
  CHECK(history.rejected[0].reason == RejectReason::kDuplicateOpened);
  CHECK(ToString(history.rejected[0].reason) == "duplicate_opened");
  CHECK(Show(history.rejected[0].event.at) == "2026-11-04T11:00:00Z");
  CHECK_THAT(history.rejected[0].message,
             Catch::StartsWith("ticket T-7: opened at 2026-11-04T11:00:00Z"));
  REQUIRE(history.events.size() == 2);
  CHECK(history.events[0].severity == "A");  // the earliest opened is the ticket's start
}

TEST_CASE("SanitizeHistory rejects an event before opened") {
  TicketHistory history =
      SanitizeHistory("T-7",
                      Sequenced({Happened("2026-11-04T09:00:00Z", EventKind::kResponded),
                                 Opened("2026-11-04T10:00:00Z", "A")}),
                      BuiltinPolicy());
  REQUIRE(history.rejected.size() == 1);
  CHECK(history.rejected[0].reason == RejectReason::kBeforeOpened);
  CHECK(ToString(history.rejected[0].reason) == "before_opened");
  CHECK_THAT(history.rejected[0].message,
             Catch::StartsWith("ticket T-7: responded at 2026-11-04T09:00:00Z"));
  CHECK_THAT(history.rejected[0].message, Catch::Contains("2026-11-04T10:00:00Z"));
  REQUIRE(history.events.size() == 1);
  CHECK(history.events[0].kind == EventKind::kOpened);
}

TEST_CASE("SanitizeHistory rejects unknown severities") {
  SECTION("on the opened event: the ticket has no valid opened") {
    TicketHistory history = SanitizeHistory(
        "T-7",
        Sequenced({Opened("2026-11-04T10:00:00Z", "Z"),
                   Happened("2026-11-04T11:00:00Z", EventKind::kResponded)}),
        BuiltinPolicy());
    CHECK(history.events.empty());
    REQUIRE(history.rejected.size() == 2);
    CHECK(history.rejected[0].reason == RejectReason::kUnknownSeverity);
    CHECK(ToString(history.rejected[0].reason) == "unknown_severity");
    CHECK_THAT(history.rejected[0].message, Catch::StartsWith("ticket T-7: opened at"));
    CHECK_THAT(history.rejected[0].message, Catch::Contains("\"Z\""));
    CHECK(history.rejected[1].reason == RejectReason::kNoOpened);
    CHECK_THAT(history.rejected[1].message,
               Catch::StartsWith("ticket T-7: responded at"));
  }
  SECTION("on a severity event: only that event") {
    TicketHistory history = SanitizeHistory(
        "T-7",
        Sequenced({Opened("2026-11-04T10:00:00Z", "A"),
                   Reclassified("2026-11-04T11:00:00Z", "E"),
                   Happened("2026-11-04T12:00:00Z", EventKind::kResponded)}),
        BuiltinPolicy());
    REQUIRE(history.rejected.size() == 1);
    CHECK(history.rejected[0].reason == RejectReason::kUnknownSeverity);
    CHECK_THAT(history.rejected[0].message, Catch::StartsWith("ticket T-7: severity at"));
    CHECK_THAT(history.rejected[0].message, Catch::Contains("\"E\""));
    CHECK(history.events.size() == 2);
  }
}

TEST_CASE("SanitizeHistory rejects incident counts above the maximum") {
  // 2147483647 incidents once overflowed the partner's 32-bit sum.
  TicketHistory history =
      SanitizeHistory("T-8",
                      Sequenced({Opened("2026-11-04T10:00:00Z", "A", "24.1", 1000),
                                 IncidentsChanged("2026-11-04T11:00:00Z", 1001),
                                 IncidentsChanged("2026-11-04T12:00:00Z", 2147483647)}),
                      BuiltinPolicy());
  REQUIRE(history.events.size() == 1);  // 1000 is the largest accepted count
  CHECK(history.events[0].incidents == 1000);
  REQUIRE(history.rejected.size() == 2);
  for (const auto& rejected : history.rejected) {
    CHECK(rejected.reason == RejectReason::kBadIncidents);
    CHECK_THAT(rejected.message, Catch::Contains("above the maximum of 1000"));
  }
}

TEST_CASE("SanitizeHistory rejects negative incident counts") {
  SECTION("on the opened event") {
    TicketHistory history = SanitizeHistory(
        "T-7", Sequenced({Opened("2026-11-04T10:00:00Z", "A", "24.1", -1)}),
        BuiltinPolicy());
    CHECK(history.events.empty());
    REQUIRE(history.rejected.size() == 1);
    CHECK(history.rejected[0].reason == RejectReason::kBadIncidents);
    CHECK(ToString(history.rejected[0].reason) == "bad_incidents");
    CHECK_THAT(history.rejected[0].message, Catch::StartsWith("ticket T-7: opened at"));
    CHECK_THAT(history.rejected[0].message, Catch::Contains("-1"));
  }
  SECTION("on an incidents event") {
    TicketHistory history =
        SanitizeHistory("T-7",
                        Sequenced({Opened("2026-11-04T10:00:00Z", "A"),
                                   IncidentsChanged("2026-11-04T11:00:00Z", -2)}),
                        BuiltinPolicy());
    REQUIRE(history.rejected.size() == 1);
    CHECK(history.rejected[0].reason == RejectReason::kBadIncidents);
    CHECK_THAT(history.rejected[0].message,
               Catch::StartsWith("ticket T-7: incidents at"));
    CHECK(history.events.size() == 1);
  }
}

TEST_CASE("Every reject reason has one spelling of its own, in the one list") {
  // The spellings are metric label values (docs/metrics-and-alerts.md).
  CHECK(ToString(RejectReason::kUnknownKind) == "unknown_kind");
  CHECK(ToString(RejectReason::kBadField) == "bad_field");
  CHECK(ToString(RejectReason::kFuture) == "future");
  CHECK(ToString(RejectReason::kUnknownSeverity) == "unknown_severity");
  CHECK(ToString(RejectReason::kBeforeOpened) == "before_opened");
  CHECK(ToString(RejectReason::kDuplicateOpened) == "duplicate_opened");
  CHECK(ToString(RejectReason::kNoOpened) == "no_opened");
  CHECK(ToString(RejectReason::kBadIncidents) == "bad_incidents");
  std::set<std::string_view> spellings;
  for (RejectReason reason : kAllRejectReasons) spellings.insert(ToString(reason));
  CHECK(spellings.size() == 8);  // the eight above, each listed once
}

TEST_CASE("SanitizeHistory rejects every event of a ticket without opened") {
  TicketHistory history =
      SanitizeHistory("T-7",
                      Sequenced({Happened("2026-11-04T11:00:00Z", EventKind::kResponded),
                                 Happened("2026-11-04T12:00:00Z", EventKind::kClosed)}),
                      BuiltinPolicy());
  CHECK(history.events.empty());
  REQUIRE(history.rejected.size() == 2);
  for (const auto& r : history.rejected) {
    CHECK(r.reason == RejectReason::kNoOpened);
    CHECK_THAT(r.message, Catch::StartsWith("ticket T-7: "));
  }
  std::vector<TicketEvent> none = {
      Happened("2026-11-04T11:00:00Z", EventKind::kResponded)};
  CHECK(FindOpened(none) == nullptr);
}

TEST_CASE("SanitizeHistory starts the ticket at its earliest valid opened") {
  // 10:00 opened with unknown severity "Z" (rejected), 10:30 a valid opened:
  // the ticket starts at 10:30; the 10:15 response is before it.
  TicketHistory history = SanitizeHistory(
      "T-7",
      Sequenced({Opened("2026-11-04T10:00:00Z", "Z"),
                 Happened("2026-11-04T10:15:00Z", EventKind::kResponded),
                 Opened("2026-11-04T10:30:00Z", "B"),
                 Happened("2026-11-04T11:00:00Z", EventKind::kResponded)}),
      BuiltinPolicy());
  REQUIRE(history.rejected.size() == 2);
  CHECK(history.rejected[0].reason == RejectReason::kUnknownSeverity);
  CHECK(history.rejected[1].reason == RejectReason::kBeforeOpened);
  CHECK_THAT(history.rejected[1].message,
             Catch::StartsWith("ticket T-7: responded at 2026-11-04T10:15:00Z"));
  REQUIRE(history.events.size() == 2);
  CHECK(history.events[0].kind == EventKind::kOpened);
  CHECK(history.events[0].severity == "B");
  CHECK(history.events[0].at == At("2026-11-04T10:30:00Z"));
}

// === EvaluateTicketFacts: EvaluateTicket without the clocks ===================

TEST_CASE("EvaluateTicketFacts gives every field of EvaluateTicket but the clocks") {
  // Random histories of every event kind, with certifications around the
  // openings and releases, under both re-classification modes: the facts
  // `slamon evaluate` bills on must not depend on whether clocks were computed.
  std::mt19937 random(20261203);
  auto pick = [&](int n) {
    return static_cast<int>(random() % static_cast<unsigned>(n));
  };
  const std::vector<std::string> severities = {"A", "B", "C", "D"};
  const std::vector<EventKind> kinds = {
      EventKind::kResponded, EventKind::kWorkaround,     EventKind::kResolved,
      EventKind::kClosed,    EventKind::kReopened,       EventKind::kWaiting,
      EventKind::kResumed,   EventKind::kSeverity,       EventKind::kIncidents,
      EventKind::kNewDefect, EventKind::kDefectConfirmed};
  for (int round = 0; round < 400; ++round) {
    Desk desk;
    desk.policy.reclassification =
        round % 2 == 0 ? Reclassification::kRestart : Reclassification::kRetroactive;
    const Instant base = At("2026-01-05T09:00:00Z") + date::days{pick(300)};
    desk.releases = {Released("24.1", "2025-06-01T00:00:00Z"),
                     Released("24.2", "2025-12-01T00:00:00Z")};
    for (int c = 0; c < pick(4); ++c) {
      desk.certifications.push_back({"p1",
                                     std::string("e").append(std::to_string(pick(3))),
                                     base - date::days{pick(700)}});
    }
    std::vector<TicketEvent> events = {
        Opened(Show(base), severities[static_cast<size_t>(pick(4))],
               pick(3) == 0 ? "23.9" : "24.1", 1 + pick(3))};
    Instant at = base;
    for (int i = 0; i < pick(8); ++i) {
      at += Seconds{pick(5 * 86400)};
      TicketEvent e = Happened(Show(at), kinds[static_cast<size_t>(pick(11))]);
      if (e.kind == EventKind::kSeverity)
        e.severity = severities[static_cast<size_t>(pick(4))];
      if (e.kind == EventKind::kIncidents) e.incidents = pick(4);
      events.push_back(std::move(e));
    }
    TicketHistory history =
        SanitizeHistory("T-1", Sequenced(std::move(events)), desk.policy);
    REQUIRE_FALSE(history.events.empty());
    TicketContext context{&desk.policy,  &desk.calendars,     desk.zone,
                          desk.releases, desk.certifications, desk.holidays};
    const Instant now = at + date::days{pick(10)};
    TicketEvaluation full = EvaluateTicket("T-1", history.events, context, now);
    TicketEvaluation facts = EvaluateTicketFacts("T-1", history.events, context, now);
    CHECK(facts.clocks == std::array<Clock, 3>{});
    full.clocks = {};
    CHECK(facts == full);
  }
}
