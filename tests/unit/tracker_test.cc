// The live tracker: events in, transitions and figures out, time as argument.
#include "tracker/tracker.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <random>

#include "config/config.h"
#include "test_time.h"

using namespace slamon;
using slamon::testing::At;
using slamon::testing::Show;

namespace {

Config DefaultConfig() {
  ConfigResult result = ParseConfig("", "test.yml");
  REQUIRE(result.config);
  return std::move(*result.config);
}

Partner P1() {
  return Partner{"p1",
                 "Partner One",
                 At("2026-01-10T00:00:00Z"),
                 date::locate_zone("Europe/Berlin"),
                 "default",
                 "",
                 CreditKind::kQuota};
}

// C's workaround: 1 working day on Mon-Fri 08:00-12:00, 13:00-17:00 local,
// pausable (the paused working-day clock tests).
Config NewYorkOfficeConfig() {
  ConfigResult result = ParseConfig(R"(
calendars:
  office:
    hours:
      mon: ["08:00-12:00", "13:00-17:00"]
      tue: ["08:00-12:00", "13:00-17:00"]
      wed: ["08:00-12:00", "13:00-17:00"]
      thu: ["08:00-12:00", "13:00-17:00"]
      fri: ["08:00-12:00", "13:00-17:00"]
policies:
  default:
    severities:
      C:
        response: {within: 8h}
        workaround: {within: 1d, calendar: office, pausable: true}
        resolution: {within: 30d, pausable: true}
)",
                                    "test.yml");
  REQUIRE(result.errors.empty());
  return std::move(*result.config);
}

Partner NewYorkPartner() {
  Partner p1 = P1();
  p1.zone = date::locate_zone("America/New_York");
  return p1;
}

int64_t seq = 0;

TicketEvent Opened(const char* at, const char* severity, int incidents = 1) {
  TicketEvent e;
  e.at = At(at);
  e.kind = EventKind::kOpened;
  e.sequence = ++seq;
  e.partner = "p1";
  e.severity = severity;
  e.incidents = incidents;
  e.product = "backup";
  e.version = "24.1";
  return e;
}

TicketEvent Happened(const char* at, EventKind kind) {
  TicketEvent e;
  e.at = At(at);
  e.kind = kind;
  e.sequence = ++seq;
  return e;
}

std::string Describe(const Transition& t) {
  return std::string(t.kind == TransitionKind::kStarted ? "start " : "end ") +
         (t.state == AlertState::kAtRisk ? "at_risk " : "breached ") + t.ticket + " " +
         std::string(ToString(t.target)) + " deadline " +
         (t.deadline ? Show(*t.deadline) : std::string("none")) + " at " + Show(t.at);
}

std::vector<std::string> Describe(const std::vector<Transition>& ts) {
  std::vector<std::string> out;
  for (const auto& t : ts) out.push_back(Describe(t));
  return out;
}

}  // namespace

TEST_CASE(
    "A clock turns at risk at 75% and breached at its deadline, on time to the second") {
  Tracker tracker(DefaultConfig().rules, At("2026-11-04T10:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(P1(), ts);
  tracker.Apply("T-1", Opened("2026-11-04T10:00:00Z", "A"), ts);
  CHECK(ts.empty());
  // Response A: 4 h -> deadline 14:00Z, warning at 3 h -> 13:00Z.
  CHECK(Show(*tracker.NextWakeUp()) <= "2026-11-04T13:00:00Z");
  tracker.Advance(At("2026-11-04T12:59:59Z"), ts);
  CHECK(ts.empty());
  tracker.Advance(At("2026-11-04T13:00:00Z"), ts);
  CHECK(Describe(ts) == std::vector<std::string>{
                            "start at_risk T-1 response deadline 2026-11-04T14:00:00Z at "
                            "2026-11-04T13:00:00Z"});
  ts.clear();
  tracker.Advance(At("2026-11-04T14:00:00Z"), ts);
  CHECK(Describe(ts) ==
        std::vector<std::string>{
            "end at_risk T-1 response deadline 2026-11-04T14:00:00Z at "
            "2026-11-04T14:00:00Z",
            "start breached T-1 response deadline 2026-11-04T14:00:00Z at "
            "2026-11-04T14:00:00Z"});
  ts.clear();
  // A late response ends the breach alert; the breach stays counted.
  tracker.Apply("T-1", Happened("2026-11-04T14:30:00Z", EventKind::kResponded), ts);
  tracker.Advance(At("2026-11-04T14:30:00Z"), ts);
  CHECK(Describe(ts) == std::vector<std::string>{
                            "end breached T-1 response deadline 2026-11-04T14:00:00Z at "
                            "2026-11-04T14:30:00Z"});
  SlaFigures f = tracker.Snapshot();
  CHECK(f.breaches.at({TargetName::kResponse, "A", "p1"}) == 1);
  CHECK(f.met.at({TargetName::kResponse, "A"}).late == 1);
  CHECK(f.met.at({TargetName::kResponse, "A"}).on_time == 0);
}

TEST_CASE("Figures count open clocks by exclusive state and the next deadline") {
  Tracker tracker(DefaultConfig().rules, At("2026-11-04T12:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(P1(), ts);
  tracker.Apply("T-1", Opened("2026-11-04T08:30:00Z", "A"),
                ts);  // due 12:30, at risk since 11:30
  tracker.Apply("T-2", Opened("2026-11-04T11:00:00Z", "A"),
                ts);  // response running, due 15:00
  tracker.Apply("T-3", Opened("2026-11-04T11:30:00Z", "C"), ts);
  tracker.Apply("T-3", Happened("2026-11-04T11:40:00Z", EventKind::kWaiting), ts);
  SlaFigures f = tracker.Snapshot();
  using K = std::pair<TargetSeverity, OpenClockState>;
  CHECK(f.open_clocks.at(K{{TargetName::kResponse, "A"}, OpenClockState::kAtRisk}) == 1);
  CHECK(f.open_clocks.at(K{{TargetName::kResponse, "A"}, OpenClockState::kRunning}) == 1);
  CHECK(f.open_clocks.at(K{{TargetName::kWorkaround, "C"}, OpenClockState::kPaused}) ==
        1);
  CHECK(f.open_clocks.at(K{{TargetName::kResponse, "C"}, OpenClockState::kRunning}) == 1);
  CHECK(Show(f.next_deadline.at({TargetName::kResponse, "A"})) == "2026-11-04T12:30:00Z");
  CHECK(f.open_tickets == 3);
  CHECK(f.partners.at("p1").quota.incidents_used == 3);
  CHECK(f.timers == 3);
}

TEST_CASE("A paused working-day clock turns breached at a deadline it already has") {
  // A New York partner (EST, UTC-5, in November); C's workaround is 1 working
  // day on Mon-Fri 08:00-12:00, 13:00-17:00 local, pausable.
  //   Opened Sat 2026-11-14 10:00 EST (15:00Z): rolls forward to Mon 16 Nov
  //   08:00; due 1 working day later at 08:00, Tue 17 Nov 08:00 EST = 13:00Z.
  //   The 8 h budget is used up on Monday at 17:00; waiting from Tue 06:00 EST
  //   (11:00Z) holds no working time before 08:00, so the deadline stays at
  //   13:00Z and the paused clock is breached then (docs/time-model.md).
  // Found by the differential test: the tracker did not wake at 13:00Z and
  // kept the clock at risk, not breached, until some event came.
  const Config config = NewYorkOfficeConfig();
  const Partner p1 = NewYorkPartner();
  Tracker tracker(config.rules, At("2026-11-14T15:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(p1, ts);
  tracker.Apply("T-1", Opened("2026-11-14T15:00:00Z", "C"), ts);
  tracker.Advance(At("2026-11-17T11:00:00Z"), ts);
  tracker.Apply("T-1", Happened("2026-11-17T11:00:00Z", EventKind::kWaiting), ts);
  const auto workaround = static_cast<int>(TargetName::kWorkaround);
  REQUIRE(tracker.Find("T-1"));
  CHECK(tracker.Find("T-1")->clocks[workaround].status == ClockStatus::kPaused);
  CHECK_FALSE(tracker.Find("T-1")->clocks[workaround].breached);
  REQUIRE(tracker.NextWakeUp());
  CHECK(Show(*tracker.NextWakeUp()) <= "2026-11-17T13:00:00Z");
  ts.clear();
  tracker.Advance(At("2026-11-17T13:00:00Z"), ts);
  CHECK(tracker.Find("T-1")->clocks[workaround].breached);
  CHECK(Show(*tracker.Find("T-1")->clocks[workaround].deadline) ==
        "2026-11-17T13:00:00Z");
  // At risk ends (the paused clock showed no deadline), breached starts.
  REQUIRE(ts.size() == 2);
  CHECK(ts[0].kind == TransitionKind::kEnded);
  CHECK(ts[0].state == AlertState::kAtRisk);
  CHECK(Describe(ts[1]) ==
        "start breached T-1 workaround deadline 2026-11-17T13:00:00Z at "
        "2026-11-17T13:00:00Z");
}

TEST_CASE("After a restart, a paused clock at risk is reported with no deadline") {
  // The same New York ticket as above, loaded by a tracker started at
  // 12:00Z on Tue 17 Nov: the workaround clock is paused (waiting since
  // 11:00Z) and at risk (its 8 h budget ran out on Monday), and its deadline
  // depends on when it resumes: none, not a sentinel instant.
  const Config config = NewYorkOfficeConfig();
  const Partner p1 = NewYorkPartner();
  Tracker tracker(config.rules, At("2026-11-17T12:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(p1, ts);
  tracker.Apply("T-1", Opened("2026-11-14T15:00:00Z", "C"), ts);
  tracker.Apply("T-1", Happened("2026-11-17T11:00:00Z", EventKind::kWaiting), ts);
  const auto workaround = static_cast<int>(TargetName::kWorkaround);
  REQUIRE(tracker.Find("T-1"));
  REQUIRE(tracker.Find("T-1")->clocks[workaround].status == ClockStatus::kPaused);
  std::vector<Transition> current;
  tracker.CurrentAlerts(current);
  std::vector<std::string> described = Describe(current);
  CHECK(std::find(described.begin(), described.end(),
                  "start at_risk T-1 workaround deadline none at 2026-11-17T12:00:00Z") !=
        described.end());
}

TEST_CASE("A closed ticket leaves memory; a later event asks for its history") {
  Tracker tracker(DefaultConfig().rules, At("2026-11-05T00:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(P1(), ts);
  std::vector<TicketEvent> history = {
      Opened("2026-11-04T10:00:00Z", "B", 2),
      Happened("2026-11-04T11:00:00Z", EventKind::kResponded),
      Happened("2026-11-04T12:00:00Z", EventKind::kResolved),
      Happened("2026-11-04T13:00:00Z", EventKind::kClosed)};
  for (const auto& e : history) tracker.Apply("T-1", e, ts);
  SlaFigures closed = tracker.Snapshot();
  CHECK(closed.tracked_tickets == 0);
  CHECK(closed.open_tickets == 0);
  CHECK(closed.partners.at("p1").quota.incidents_used == 2);
  CHECK(closed.met.at({TargetName::kResponse, "B"}).on_time == 1);
  REQUIRE(tracker.Find("T-1"));
  CHECK(tracker.Find("T-1")->state == TicketState::kClosed);

  TicketEvent reopened = Happened("2026-11-04T20:00:00Z", EventKind::kReopened);
  Tracker::ApplyResult r = tracker.Apply("T-1", reopened, ts);
  CHECK(r.needs_history);
  CHECK(tracker.Snapshot() == closed);  // nothing applied

  history.push_back(reopened);
  tracker.ReplaceHistory("T-1", history, ts);
  SlaFigures reloaded = tracker.Snapshot();
  CHECK(reloaded.tracked_tickets == 1);
  CHECK(reloaded.open_tickets == 1);
  CHECK(reloaded.partners.at("p1").quota.incidents_used == 2);  // not counted twice
  CHECK(tracker.Find("T-1")->clocks[2].status == ClockStatus::kRunning);
}

TEST_CASE(
    "An event applied twice counts once; rule breakers are reported once and dropped") {
  Tracker tracker(DefaultConfig().rules, At("2026-11-05T00:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(P1(), ts);
  TicketEvent opened = Opened("2026-11-04T10:00:00Z", "B", 3);
  tracker.Apply("T-1", opened, ts);
  CHECK(tracker.Apply("T-1", opened, ts).duplicate);
  CHECK(tracker.Snapshot().partners.at("p1").quota.incidents_used == 3);
  Tracker::ApplyResult early =
      tracker.Apply("T-1", Happened("2026-11-04T09:00:00Z", EventKind::kResponded), ts);
  REQUIRE(early.rejected.size() == 1);
  CHECK(early.rejected[0].reason == RejectReason::kBeforeOpened);
  Tracker::ApplyResult next =
      tracker.Apply("T-1", Happened("2026-11-04T11:00:00Z", EventKind::kResponded), ts);
  CHECK(next.rejected.empty());  // not reported again
}

TEST_CASE("Events waiting for their opened event count once it arrives") {
  Tracker tracker(DefaultConfig().rules, At("2026-11-05T00:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(P1(), ts);
  Tracker::ApplyResult r =
      tracker.Apply("T-1", Happened("2026-11-04T11:00:00Z", EventKind::kResponded), ts);
  CHECK(r.rejected.empty());
  CHECK_FALSE(tracker.Find("T-1"));
  tracker.Apply("T-1", Opened("2026-11-04T10:00:00Z", "A"), ts);
  REQUIRE(tracker.Find("T-1"));
  CHECK(tracker.Find("T-1")->clocks[0].status == ClockStatus::kStopped);
}

TEST_CASE("A certification arriving later re-evaluates the partner's tickets") {
  Tracker tracker(DefaultConfig().rules, At("2026-11-05T00:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(P1(), ts);
  tracker.Apply("T-1", Opened("2026-11-04T10:00:00Z", "B"), ts);
  CHECK(tracker.Find("T-1")->fee);
  CHECK(tracker.Snapshot().partners.at("p1").fees_total == 1);
  tracker.AddCertification({"p1", "e1", At("2026-01-01T00:00:00Z")}, ts);
  tracker.AddCertification({"p1", "e2", At("2026-02-01T00:00:00Z")}, ts);
  CHECK_FALSE(tracker.Find("T-1")->fee);
  CHECK(tracker.Snapshot().partners.at("p1").fees_total == 0);
  CHECK(tracker.Snapshot().partners.at("p1").quota.certified);
}

TEST_CASE("A deadline years ahead and a jump of days fire exactly what is due") {
  Tracker tracker(DefaultConfig().rules, At("2026-11-04T10:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(P1(), ts);
  tracker.Apply("T-1", Opened("2026-11-04T10:00:00Z", "C"), ts);
  tracker.Advance(At("2026-12-31T00:00:00Z"),
                  ts);  // response, workaround, resolution all due
  SlaFigures f = tracker.Snapshot();
  using K = std::pair<TargetSeverity, OpenClockState>;
  CHECK(f.open_clocks.at(K{{TargetName::kResponse, "C"}, OpenClockState::kBreached}) ==
        1);
  CHECK(f.open_clocks.at(K{{TargetName::kResolution, "C"}, OpenClockState::kBreached}) ==
        1);
  CHECK(f.timers == 0);
  // Time going back changes nothing.
  ts.clear();
  tracker.Advance(At("2026-11-05T00:00:00Z"), ts);
  CHECK(ts.empty());
  CHECK(tracker.Snapshot() == f);
}

TEST_CASE(
    "Thousands of tickets with long ids and huge sequences are found, released and "
    "reused") {
  Tracker tracker(DefaultConfig().rules, At("2026-11-05T00:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(P1(), ts);
  const int64_t base = int64_t{1} << 60;  // sequences far beyond 32 bits
  auto id = [](int i) { return "a-long-external-ticket-id-" + std::to_string(i); };
  const int n = 10000;  // spans several blocks of slots
  for (int i = 0; i < n; ++i) {
    TicketEvent opened = Opened("2026-11-04T10:00:00Z", "B");
    opened.sequence = base + i;
    tracker.Apply(id(i), opened, ts);
  }
  for (int i = 0; i < n; i += 2) {  // the even ones close and leave memory
    TicketEvent closed = Happened("2026-11-04T12:00:00Z", EventKind::kClosed);
    closed.sequence = base + n + i;
    tracker.Apply(id(i), closed, ts);
  }
  CHECK(tracker.Snapshot().tracked_tickets == n / 2);
  CHECK(tracker.Snapshot().open_tickets == n / 2);
  for (int i = n; i < n + n / 2; ++i) {  // new tickets take the released slots
    TicketEvent opened = Opened("2026-11-04T11:00:00Z", "A");
    opened.sequence = base + 2 * n + i;
    tracker.Apply(id(i), opened, ts);
  }
  for (int i = 0; i < n + n / 2; ++i) {
    INFO(id(i));
    std::optional<TicketView> view = tracker.Find(id(i));
    REQUIRE(view);
    CHECK(view->state ==
          (i < n && i % 2 == 0 ? TicketState::kClosed : TicketState::kOpen));
    CHECK(view->severity == (i < n ? "B" : "A"));
  }
  SlaFigures f = tracker.Snapshot();
  CHECK(f.tracked_tickets == n);
  CHECK(f.open_tickets == n);
  // Duplicates are told by the exact sequence, at any magnitude.
  TicketEvent again = Opened("2026-11-04T10:00:00Z", "B");
  again.sequence = base + 1;
  CHECK(tracker.Apply(id(1), again, ts).duplicate);
  TicketEvent other = Happened("2026-11-04T13:00:00Z", EventKind::kResponded);
  other.sequence = base + 1 + (int64_t{1} << 32);
  CHECK_FALSE(tracker.Apply(id(1), other, ts).duplicate);
  CHECK(tracker.Find(id(1))->clocks[0].status == ClockStatus::kStopped);
  CHECK(tracker.Apply(id(0), other, ts).needs_history);
}

TEST_CASE(
    "Finding 9: breach onsets are counted, never taken back, and a restart agrees") {
  // docs/design.md §5. The built-in policy re-classifies retroactively.
  //   T-1 opened A 10:00Z: response 4 h, due 14:00Z, breached at 14:00Z
  //       (onset 1, severity A).
  //   14:30Z T-1 becomes C: response 8 h from 10:00Z, due 18:00Z: the breach
  //       is undone, but its onset stays counted (under A, the severity then).
  //   15:00Z T-2 opened A: due 19:00Z.
  //   18:00Z T-1's C response breaches: onset 2 (under C).
  //   19:00Z T-2's response breaches: onset 3 (A).
  // A recount of breached clocks would say 2 at 19:00Z (T-1 C, T-2 A) and
  // would have gone 1 -> 0 -> 1 -> 2, hiding T-2's breach from a counter
  // raised to it.
  auto severity = [](const char* at, const char* to) {
    TicketEvent e = Happened(at, EventKind::kSeverity);
    e.severity = to;
    return e;
  };
  const TicketEvent t1_opened = Opened("2026-11-04T10:00:00Z", "A");
  const TicketEvent t1_c = severity("2026-11-04T14:30:00Z", "C");
  const TicketEvent t2_opened = Opened("2026-11-04T15:00:00Z", "A");
  auto breaches = [](const Tracker& t, const char* ticket_severity) -> int64_t {
    const SlaFigures f = t.Snapshot();
    auto found = f.breaches.find({TargetName::kResponse, ticket_severity, "p1"});
    return found != f.breaches.end() ? found->second : 0;
  };

  Tracker tracker(DefaultConfig().rules, At("2026-11-04T10:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(P1(), ts);
  tracker.Apply("T-1", t1_opened, ts);
  tracker.Advance(At("2026-11-04T14:00:00Z"), ts);
  CHECK(breaches(tracker, "A") == 1);
  tracker.Advance(At("2026-11-04T14:30:00Z"), ts);
  tracker.Apply("T-1", t1_c, ts);
  REQUIRE(tracker.Find("T-1"));
  CHECK_FALSE(tracker.Find("T-1")->clocks[0].breached);  // undone
  CHECK(breaches(tracker, "A") == 1);                    // still counted
  CHECK(breaches(tracker, "C") == 0);
  tracker.Advance(At("2026-11-04T15:00:00Z"), ts);
  tracker.Apply("T-2", t2_opened, ts);
  tracker.Advance(At("2026-11-04T18:00:00Z"), ts);
  CHECK(breaches(tracker, "A") == 1);
  CHECK(breaches(tracker, "C") == 1);
  tracker.Advance(At("2026-11-04T19:00:00Z"), ts);
  CHECK(breaches(tracker, "A") == 2);
  CHECK(breaches(tracker, "C") == 1);

  // A restart at 19:00Z: the same history, loaded at once, the same onsets.
  Tracker restarted(DefaultConfig().rules, At("2026-11-04T19:00:00Z"));
  restarted.SetPartner(P1(), ts);
  restarted.Apply("T-1", t1_opened, ts);
  restarted.Apply("T-1", t1_c, ts);
  restarted.Apply("T-2", t2_opened, ts);
  CHECK(breaches(restarted, "A") == 2);
  CHECK(breaches(restarted, "C") == 1);
  CHECK(restarted.Snapshot().breaches == tracker.Snapshot().breaches);

  // A no-op re-classification (C again) changes nothing (finding 3).
  tracker.Apply("T-1", severity("2026-11-04T19:00:00Z", "C"), ts);
  CHECK(breaches(tracker, "A") == 2);
  CHECK(breaches(tracker, "C") == 1);
}

TEST_CASE("Finding 9: a breach kept through a re-classification is one onset, not two") {
  // T-1 opened B 10:00Z in Sydney (the zone does not move an `h` budget):
  // response 4 h, breached at 14:00Z; at 15:00Z it becomes A, whose response
  // (4 h) is breached too: the same breach, still one onset, under B.
  Partner sydney = P1();
  sydney.zone = date::locate_zone("Australia/Sydney");
  Tracker tracker(DefaultConfig().rules, At("2026-11-04T10:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(sydney, ts);
  tracker.Apply("T-1", Opened("2026-11-04T10:00:00Z", "B"), ts);
  tracker.Advance(At("2026-11-04T15:00:00Z"), ts);
  TicketEvent to_a = Happened("2026-11-04T15:00:00Z", EventKind::kSeverity);
  to_a.severity = "A";
  tracker.Apply("T-1", to_a, ts);
  const SlaFigures f = tracker.Snapshot();
  CHECK(f.breaches.at({TargetName::kResponse, "B", "p1"}) == 1);
  CHECK_FALSE(f.breaches.contains({TargetName::kResponse, "A", "p1"}));
  REQUIRE(tracker.Find("T-1"));
  CHECK(tracker.Find("T-1")->clocks[0].breached);
}

TEST_CASE("Finding 9 in Tokyo and in Sydney across DST: each onset counts once") {
  // The built-in policy re-classifies retroactively. In both cases a
  // business-day resolution breaches (onset 1, the severity then), a
  // re-classification undoes it (the onset stays), and the new severity's
  // deadline breaches later (onset 2, under the new severity).
  auto breaches = [](const Tracker& t, const char* severity) -> int64_t {
    const SlaFigures f = t.Snapshot();
    auto found = f.breaches.find({TargetName::kResolution, severity, "p1"});
    return found != f.breaches.end() ? found->second : 0;
  };
  auto severity = [](const char* at, const char* to) {
    TicketEvent e = Happened(at, EventKind::kSeverity);
    e.severity = to;
    return e;
  };
  const auto resolution = static_cast<size_t>(TargetName::kResolution);
  SECTION("east of UTC: Asia/Tokyo (UTC+9)") {
    // A opened Mon 2026-11-02 08:00 JST (Sun 1 Nov 23:00Z), workaround at
    // once (response and workaround met). A's 15 business days: 3-6 Nov (4),
    // 9-13 (9), 16-20 (14), Mon 23 (15) -> Mon 23 Nov 08:00 JST = 22 Nov
    // 23:00Z (counted in UTC it would be 23 Nov 00:00Z). At 23 Nov 00:00Z
    // it becomes B: 20 business days, Tue 24 (16) .. Mon 30 (20) -> Mon 30
    // Nov 08:00 JST = 29 Nov 23:00Z.
    Partner tokyo = P1();
    tokyo.zone = date::locate_zone("Asia/Tokyo");
    Tracker tracker(DefaultConfig().rules, At("2026-11-01T23:00:00Z"));
    std::vector<Transition> ts;
    tracker.SetPartner(tokyo, ts);
    tracker.Apply("T-1", Opened("2026-11-01T23:00:00Z", "A"), ts);
    tracker.Apply("T-1", Happened("2026-11-01T23:30:00Z", EventKind::kWorkaround), ts);
    tracker.Advance(At("2026-11-22T22:59:59Z"), ts);
    CHECK(breaches(tracker, "A") == 0);
    tracker.Advance(At("2026-11-22T23:00:00Z"), ts);
    CHECK(breaches(tracker, "A") == 1);
    CHECK(Show(*tracker.Find("T-1")->clocks[resolution].deadline) ==
          "2026-11-22T23:00:00Z");
    tracker.Advance(At("2026-11-23T00:00:00Z"), ts);
    tracker.Apply("T-1", severity("2026-11-23T00:00:00Z", "B"), ts);
    CHECK_FALSE(tracker.Find("T-1")->clocks[resolution].breached);
    CHECK(Show(*tracker.Find("T-1")->clocks[resolution].deadline) ==
          "2026-11-29T23:00:00Z");
    tracker.Advance(At("2026-11-29T22:59:59Z"), ts);
    CHECK(breaches(tracker, "A") == 1);
    CHECK(breaches(tracker, "B") == 0);
    tracker.Advance(At("2026-11-29T23:00:00Z"), ts);
    CHECK(breaches(tracker, "A") == 1);
    CHECK(breaches(tracker, "B") == 1);
  }
  SECTION("southern hemisphere: Australia/Sydney across the start of summer time") {
    // B opened Fri 2026-10-02 10:00 AEST (+10) = 00:00Z; summer time starts
    // Sun 4 Oct (AEDT, +11). B's 20 business days: 5-9 Oct (5), 12-16 (10),
    // 19-23 (15), 26-30 (20) -> Fri 30 Oct 10:00 AEDT = 29 Oct 23:00Z (a
    // fixed +10 would say 30 Oct 00:00Z). At 30 Oct 00:00Z it becomes C:
    // 30 days on 24x7 from Fri 2 Oct 10:00 AEST -> Sun 1 Nov 10:00 AEDT =
    // 31 Oct 23:00Z.
    Partner sydney = P1();
    sydney.zone = date::locate_zone("Australia/Sydney");
    Tracker tracker(DefaultConfig().rules, At("2026-10-02T00:00:00Z"));
    std::vector<Transition> ts;
    tracker.SetPartner(sydney, ts);
    tracker.Apply("T-2", Opened("2026-10-02T00:00:00Z", "B"), ts);
    tracker.Apply("T-2", Happened("2026-10-02T00:30:00Z", EventKind::kWorkaround), ts);
    tracker.Advance(At("2026-10-29T22:59:59Z"), ts);
    CHECK(breaches(tracker, "B") == 0);
    tracker.Advance(At("2026-10-29T23:00:00Z"), ts);
    CHECK(breaches(tracker, "B") == 1);
    tracker.Advance(At("2026-10-30T00:00:00Z"), ts);
    tracker.Apply("T-2", severity("2026-10-30T00:00:00Z", "C"), ts);
    CHECK_FALSE(tracker.Find("T-2")->clocks[resolution].breached);
    CHECK(Show(*tracker.Find("T-2")->clocks[resolution].deadline) ==
          "2026-10-31T23:00:00Z");
    tracker.Advance(At("2026-10-31T23:00:00Z"), ts);
    CHECK(breaches(tracker, "B") == 1);
    CHECK(breaches(tracker, "C") == 1);
  }
}

TEST_CASE("Finding 8: replaced reference data re-evaluates open tickets at once") {
  const auto resolution = static_cast<size_t>(TargetName::kResolution);
  SECTION("the issue's example: a postponed planned release (Berlin)") {
    // D opened Wed 2026-11-04 10:00Z, responded 11:00Z; its resolution is
    // due at the next release, the planned 24.2 of 1 Dec 00:00Z. 24.2 is
    // postponed to 15 Jan 2027 00:00Z: the deadline moves, and on 2 Dec the
    // clock runs, not breached (with the old date kept it would be).
    Tracker tracker(DefaultConfig().rules, At("2026-11-04T10:00:00Z"));
    std::vector<Transition> ts;
    Partner p1 = P1();
    const std::vector<Release> planned = {{"backup", "24.1", At("2026-06-01T00:00:00Z")},
                                          {"backup", "24.2", At("2026-12-01T00:00:00Z")}};
    CHECK(tracker.ReplaceReference(ReferenceBook({p1}, {}, planned), ts).empty());
    tracker.Apply("T-1", Opened("2026-11-04T10:00:00Z", "D"), ts);
    tracker.Apply("T-1", Happened("2026-11-04T11:00:00Z", EventKind::kResponded), ts);
    CHECK(Show(*tracker.Find("T-1")->clocks[resolution].deadline) ==
          "2026-12-01T00:00:00Z");
    std::vector<Release> postponed = planned;
    postponed[1].released_at = At("2027-01-15T00:00:00Z");
    CHECK(tracker.ReplaceReference(ReferenceBook({p1}, {}, postponed), ts).empty());
    CHECK(Show(*tracker.Find("T-1")->clocks[resolution].deadline) ==
          "2027-01-15T00:00:00Z");
    tracker.Advance(At("2026-12-02T00:00:00Z"), ts);
    CHECK(tracker.Find("T-1")->clocks[resolution].status == ClockStatus::kRunning);
    CHECK_FALSE(tracker.Find("T-1")->clocks[resolution].breached);
    CHECK_FALSE(
        tracker.Snapshot().breaches.contains({TargetName::kResolution, "D", "p1"}));
  }
  SECTION("east of UTC: a deleted certification in Tokyo brings the fee") {
    // e1 passed 2025-05-01 00:00 JST (30 Apr 15:00Z): valid 18 local months,
    // to 2026-11-01 00:00 JST = 31 Oct 15:00Z (counted on UTC dates it would
    // end 30 Oct 15:00Z). e2 passed 2026-01-01. T-1 opened Sat 31 Oct 23:00
    // JST (14:00Z): two valid exams, certified, no fee. e2's exam is deleted:
    // one exam, not certified, so T-1 carries a fee.
    Partner tokyo = P1();
    tokyo.zone = date::locate_zone("Asia/Tokyo");
    const Certification e1{"p1", "e1", At("2025-04-30T15:00:00Z")};
    const Certification e2{"p1", "e2", At("2026-01-01T00:00:00Z")};
    Tracker tracker(DefaultConfig().rules, At("2026-10-31T14:00:00Z"));
    std::vector<Transition> ts;
    CHECK(tracker.ReplaceReference(ReferenceBook({tokyo}, {e1, e2}, {}), ts).empty());
    tracker.Apply("T-1", Opened("2026-10-31T14:00:00Z", "C"), ts);
    CHECK_FALSE(tracker.Find("T-1")->fee);
    CHECK(tracker.ReplaceReference(ReferenceBook({tokyo}, {e1}, {}), ts).empty());
    CHECK(tracker.Find("T-1")->fee);
    CHECK(tracker.Snapshot().partners.at("p1").fees_total == 1);
  }
  SECTION("southern hemisphere: a partner moves from UTC to Sydney across DST") {
    // B opened Fri 2026-10-02 00:00Z. In UTC its 20 business days end Fri 30
    // Oct 00:00Z. The partner's zone becomes Australia/Sydney: opened Fri 2
    // Oct 10:00 AEST, due Fri 30 Oct 10:00 AEDT = 29 Oct 23:00Z.
    Partner p1 = P1();
    p1.zone = date::locate_zone("UTC");
    Tracker tracker(DefaultConfig().rules, At("2026-10-02T00:00:00Z"));
    std::vector<Transition> ts;
    CHECK(tracker.ReplaceReference(ReferenceBook({p1}, {}, {}), ts).empty());
    tracker.Apply("T-2", Opened("2026-10-02T00:00:00Z", "B"), ts);
    CHECK(Show(*tracker.Find("T-2")->clocks[resolution].deadline) ==
          "2026-10-30T00:00:00Z");
    p1.zone = date::locate_zone("Australia/Sydney");
    CHECK(tracker.ReplaceReference(ReferenceBook({p1}, {}, {}), ts).empty());
    CHECK(Show(*tracker.Find("T-2")->clocks[resolution].deadline) ==
          "2026-10-29T23:00:00Z");
  }
}

TEST_CASE(
    "Transitions carry the ticket's handle; a closed ticket's passes on after its ends") {
  Tracker tracker(DefaultConfig().rules, At("2026-11-04T10:00:00Z"));
  std::vector<Transition> ts;
  tracker.SetPartner(P1(), ts);
  tracker.Apply("T-1", Opened("2026-11-04T10:00:00Z", "A"), ts);
  tracker.Apply("T-2", Opened("2026-11-04T10:00:00Z", "A"), ts);
  // Response A: 4 h, warning at 3 h: both at risk at 13:00Z.
  tracker.Advance(At("2026-11-04T13:00:00Z"), ts);
  REQUIRE(ts.size() == 2);
  const uint32_t t1 = ts[0].ticket == "T-1" ? ts[0].handle : ts[1].handle;
  const uint32_t t2 = ts[0].ticket == "T-2" ? ts[0].handle : ts[1].handle;
  CHECK(t1 != t2);
  CHECK(tracker.TicketOf(t1) == "T-1");
  CHECK(tracker.TicketOf(t2) == "T-2");
  std::vector<Transition> current;
  tracker.CurrentAlerts(current);
  REQUIRE(current.size() == 2);
  for (const Transition& t : current) CHECK(tracker.TicketOf(t.handle) == t.ticket);

  // T-1 is answered, resolved and closed: its alert ends under its handle,
  // and it leaves memory (the handle names no ticket).
  ts.clear();
  tracker.Advance(At("2026-11-04T13:10:00Z"), ts);
  tracker.Apply("T-1", Happened("2026-11-04T13:10:00Z", EventKind::kResponded), ts);
  tracker.Apply("T-1", Happened("2026-11-04T13:10:00Z", EventKind::kResolved), ts);
  tracker.Apply("T-1", Happened("2026-11-04T13:10:00Z", EventKind::kClosed), ts);
  REQUIRE(ts.size() == 1);
  CHECK(ts[0].kind == TransitionKind::kEnded);
  CHECK(ts[0].handle == t1);
  CHECK(tracker.TicketOf(t1).empty());
  CHECK(tracker.TicketOf(1000).empty());  // never given

  // A new ticket may take the freed handle.
  ts.clear();
  tracker.Apply("T-3", Opened("2026-11-04T13:20:00Z", "A"), ts);
  tracker.Advance(At("2026-11-04T16:20:00Z"), ts);  // T-3 at risk (T-2 breached)
  uint32_t t3 = kNoTicketHandle;
  for (const Transition& t : ts) {
    if (t.ticket == "T-3") t3 = t.handle;
  }
  CHECK(t3 == t1);
  CHECK(tracker.TicketOf(t3) == "T-3");
}

TEST_CASE("Deferred evaluation ends where evaluating every event does") {
  // A load's way (DeferEvaluation, then EvaluateDeferred in slices) and the
  // live way (each event evaluated at once) take the same random histories
  // in commit order, time moving between batches; both must end with the
  // same figures and the same view of every ticket. Closed tickets leave
  // memory in both (a `closed` event is evaluated at once even when
  // deferring), so a later event asks for the history, which is replayed.
  std::mt19937_64 rng(20261203);
  const Instant start = At("2026-11-01T00:00:00Z");
  struct Pending {
    std::string ticket;
    TicketEvent event;
  };
  std::vector<Pending> events;
  const std::vector<EventKind> later = {
      EventKind::kResponded, EventKind::kWorkaround, EventKind::kResolved,
      EventKind::kReopened,  EventKind::kWaiting,    EventKind::kResumed,
      EventKind::kSeverity,  EventKind::kClosed,     EventKind::kIncidents};
  const char* severities[] = {"A", "B", "C", "D"};
  for (int t = 0; t < 400; ++t) {
    const std::string ticket = "R-" + std::to_string(t);
    Instant at = start + Seconds{static_cast<int64_t>(rng() % (20 * 86400))};
    TicketEvent opened;
    opened.at = at;
    opened.kind = EventKind::kOpened;
    opened.partner = "p1";
    opened.severity = severities[rng() % 4];
    opened.incidents = 1;
    opened.product = "backup";
    opened.version = "24.1";
    events.push_back({ticket, opened});
    const int more = static_cast<int>(rng() % 5);
    for (int i = 0; i < more; ++i) {
      at += Seconds{static_cast<int64_t>(rng() % (3 * 86400))};
      TicketEvent e;
      e.at = at;
      e.kind = later[rng() % later.size()];
      if (e.kind == EventKind::kSeverity) e.severity = severities[rng() % 4];
      if (e.kind == EventKind::kIncidents) e.incidents = 1 + static_cast<int>(rng() % 3);
      events.push_back({ticket, e});
    }
  }
  // Commit order: by time (a few events out of order, as commits race).
  std::sort(events.begin(), events.end(),
            [](const Pending& a, const Pending& b) { return a.event.at < b.event.at; });
  for (size_t i = 0; i + 1 < events.size(); i += 37) std::swap(events[i], events[i + 1]);
  int64_t sequence = 0;
  for (auto& p : events) p.event.sequence = ++sequence;

  const Instant end = start + Seconds{int64_t{30} * 86400};
  auto run = [&](bool defer) {
    auto tracker = std::make_unique<Tracker>(DefaultConfig().rules, start);
    std::vector<Transition> ts;
    tracker->SetPartner(P1(), ts);
    tracker->DeferEvaluation(defer);
    std::map<std::string, std::vector<TicketEvent>> seen;
    size_t batch = 0;
    for (const auto& p : events) {
      seen[p.ticket].push_back(p.event);
      if (tracker->Apply(p.ticket, p.event, ts).needs_history)
        (void)tracker->ReplaceHistory(p.ticket, seen[p.ticket], ts);
      if (++batch % 50 == 0) tracker->Advance(std::max(tracker->now(), p.event.at), ts);
    }
    tracker->DeferEvaluation(false);
    std::vector<RejectedEvent> rejected;
    tracker->Advance(end, ts);
    while (!tracker->EvaluateDeferred(7, ts, rejected)) {
    }
    return std::make_pair(std::move(tracker), std::move(seen));
  };
  auto [live, live_seen] = run(false);
  auto [loaded, loaded_seen] = run(true);
  // A count that went up and down again stays in its map as 0 (the metrics
  // show every combination anyway): compared without those.
  auto without_zeros = [](SlaFigures f) {
    std::erase_if(f.open_clocks, [](const auto& kv) { return kv.second == 0; });
    std::erase_if(f.breaches, [](const auto& kv) { return kv.second == 0; });
    std::erase_if(f.unsupported_open, [](const auto& kv) { return kv.second == 0; });
    std::erase_if(f.outdated_open, [](const auto& kv) { return kv.second == 0; });
    return f;
  };
  const SlaFigures want = without_zeros(live->Snapshot());
  const SlaFigures got = without_zeros(loaded->Snapshot());
  CHECK(got.open_clocks == want.open_clocks);
  CHECK(got.breaches == want.breaches);
  CHECK(got.met == want.met);
  CHECK(got.next_deadline == want.next_deadline);
  CHECK(got.open_tickets == want.open_tickets);
  CHECK(got.tracked_tickets == want.tracked_tickets);
  CHECK(got == want);
  CHECK(loaded->Partners() == live->Partners());
  for (const auto& [ticket, history] : live_seen) {
    INFO(ticket);
    const std::optional<TicketView> a = live->Find(ticket);
    const std::optional<TicketView> b = loaded->Find(ticket);
    REQUIRE(a.has_value() == b.has_value());
    if (a) CHECK(*a == *b);
  }
  // The histories hold both kinds: tickets still in memory and closed ones.
  CHECK(want.tracked_tickets > 50);
  CHECK(want.tracked_tickets < 390);
  CHECK(loaded->NextWakeUp() == live->NextWakeUp());
}
