// The daemon's core with fakes for its seams (database requests, alert sink,
// leadership), time as an argument: reloads of reopened tickets, readiness,
// no alerts for the history, the leader lease through a database outage,
// SIGHUP, and the log of database failures.
#include "runtime/monitor.h"

#include <prometheus/registry.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "metrics/exposition.h"
#include "metrics/sla_metrics.h"
#include "test_time.h"

namespace slamon {
namespace {

using std::chrono::milliseconds;
using testing::At;
using testing::H;
using testing::M;

struct FakeDatabase final : DatabaseRequests {
  std::vector<std::string> tickets;
  int references = 0;
  int acks = 0;
  void RequestTicket(const std::string& ticket) override { tickets.push_back(ticket); }
  void RequestReference() override { ++references; }
  void BatchApplied() override { ++acks; }
};

struct FakeSink final : AlertSink {
  std::vector<Alert> sent;
  void Send(std::span<const Alert> alerts) override {
    sent.insert(sent.end(), alerts.begin(), alerts.end());
  }
  // "SlaBreached firing T-1", ... for the SLA alerts sent so far.
  std::vector<std::string> Sla() const {
    std::vector<std::string> out;
    for (const auto& a : sent) {
      const std::string& name = a.labels.at("alertname");
      if (name != "SlaBreached" && name != "SlaAtRisk") continue;
      out.push_back(name + " " + std::string(ToString(a.status)) + " " +
                    a.labels.at("ticket"));
    }
    return out;
  }
  std::vector<std::string> FiringSla() const {
    std::vector<std::string> out;
    for (const auto& line : Sla())
      if (line.find(" firing ") != std::string::npos) out.push_back(line);
    std::sort(out.begin(), out.end());
    return out;
  }
};

struct FakeLeadership final : LeadershipSource {
  int starts = 0;
  void Start() override { ++starts; }
};

// The monitor with its fakes, and a clock the test moves.
struct Rig {
  explicit Rig(std::string_view config_text = "",
               Instant start = At("2026-11-04T10:00:00Z"))
      : registry(std::make_shared<prometheus::Registry>()),
        daemon_metrics(registry, {}),
        sla_metrics([this] { return monitor.tracker().Snapshot(); }),
        now{start, std::chrono::steady_clock::time_point{} + H(1000)},
        monitor(Parse(config_text),
                MonitorSeams{.database = &database,
                             .alerts = &sink,
                             .leadership = &leadership,
                             .daemon_metrics = &daemon_metrics,
                             .on_ready = [this] { ++readies; }},
                MonitorOptions{.leader_lease = milliseconds{4000}}, now) {}

  static Config Parse(std::string_view text) {
    ConfigResult result = ParseConfig(text, "test.yml");
    REQUIRE(result.config);
    return std::move(*result.config);
  }

  void Advance(std::chrono::seconds by) {
    now.wall += by;
    now.steady += by;
  }
  void Tick(std::chrono::seconds by) {
    Advance(by);
    monitor.Tick(now);
  }
  void Partner() {
    ReferenceData data;
    data.partners.push_back(slamon::Partner{"p1", "Partner One",
                                            At("2025-01-10T00:00:00Z"), nullptr,
                                            "default", "", CreditKind::kQuota});
    monitor.OnReference(std::move(data), now);
  }
  void Events(std::vector<EventRow> rows) {
    EventBatch batch;
    batch.events = std::move(rows);
    monitor.OnEvents(std::move(batch), now);
  }
  LeaderCheck Check(LeaderCheck::Answer answer) const {
    return LeaderCheck{answer,
                       answer == LeaderCheck::Answer::kUnknown ? "no connection" : "",
                       now.steady};
  }
  // Ready and leading: checks every 2 s until the hold-off has passed.
  void Lead() {
    monitor.OnLeaderCheck(Check(LeaderCheck::Answer::kHolds), now);
    Tick(std::chrono::seconds{2});
    monitor.OnLeaderCheck(Check(LeaderCheck::Answer::kHolds), now);
    Tick(std::chrono::seconds{2});
    REQUIRE(monitor.sending());
  }

  std::shared_ptr<prometheus::Registry> registry;
  DaemonMetrics daemon_metrics;
  SlaMetrics sla_metrics;
  FakeDatabase database;
  FakeSink sink;
  FakeLeadership leadership;
  int readies = 0;
  Moment now;
  Monitor monitor;
};

int64_t next_seq = 0;

EventRow Opened(std::string ticket, Instant at, std::string severity = "A") {
  TicketEvent e;
  e.at = at;
  e.kind = EventKind::kOpened;
  e.sequence = ++next_seq;
  e.partner = "p1";
  e.severity = std::move(severity);
  e.product = "backup";
  e.version = "24.1";
  return {std::move(ticket), e};
}

EventRow Happened(std::string ticket, Instant at, EventKind kind) {
  TicketEvent e;
  e.at = at;
  e.kind = kind;
  e.sequence = ++next_seq;
  return {std::move(ticket), e};
}

TEST_CASE("a reopened ticket is reloaded once, and ready waits for its history") {
  Rig rig;
  rig.Partner();
  const Instant t = At("2026-11-03T08:00:00Z");
  EventRow opened = Opened("T-1", t);
  EventRow responded = Happened("T-1", t + M(10), EventKind::kResponded);
  EventRow resolved = Happened("T-1", t + M(20), EventKind::kResolved);
  EventRow closed = Happened("T-1", t + M(30), EventKind::kClosed);
  EventRow reopened = Happened("T-1", t + H(2), EventKind::kReopened);
  EventRow waiting = Happened("T-1", t + H(3), EventKind::kWaiting);
  rig.Events({opened, responded, resolved, closed});
  rig.Events({reopened});
  rig.Events({waiting});  // still on its way: not asked twice
  CHECK(rig.database.tickets == std::vector<std::string>{"T-1"});
  CHECK(rig.database.acks == 3);

  while (!rig.monitor.OnLoaded(rig.now)) {
  }
  CHECK_FALSE(rig.monitor.ready());  // the reload is still out
  CHECK(rig.leadership.starts == 0);

  // The database thread retries a failed reload until it answers; then ready.
  EventBatch history;
  history.events = {opened, responded, resolved, closed, reopened, waiting};
  rig.monitor.OnTicket("T-1", std::move(history), rig.now);
  CHECK(rig.monitor.ready());
  CHECK(rig.readies == 1);
  CHECK(rig.leadership.starts == 1);
  auto view = rig.monitor.tracker().Find("T-1");
  REQUIRE(view);
  CHECK(view->state == TicketState::kOpen);  // reopened, with its whole history
  CHECK(rig.monitor.tracker().Snapshot().open_tickets == 1);
}

TEST_CASE("without reopened tickets the monitor is ready when the load is done") {
  Rig rig;
  rig.Partner();
  rig.Events({Opened("T-1", rig.now.wall - H(1))});
  CHECK_FALSE(rig.monitor.ready());
  while (!rig.monitor.OnLoaded(rig.now)) {
  }
  CHECK(rig.monitor.ready());
  CHECK(rig.readies == 1);
  CHECK(rig.leadership.starts == 1);
}

TEST_CASE("after the load only what is breached or at risk now is sent") {
  Rig rig;
  rig.Partner();
  const Instant old = rig.now.wall - std::chrono::hours{24 * 16};
  // Breached 16 days ago and answered since: history, not news.
  rig.Events({Opened("OLD", old), Happened("OLD", old + H(5), EventKind::kResponded),
              Happened("OLD", old + H(6), EventKind::kWorkaround),
              Happened("OLD", old + H(7), EventKind::kResolved),
              Happened("OLD", old + H(8), EventKind::kClosed)});
  // Breached and still unanswered: firing now.
  rig.Events({Opened("NOW", rig.now.wall - H(6))});
  // A leader check that arrives during the load changes nothing.
  rig.monitor.OnLeaderCheck(rig.Check(LeaderCheck::Answer::kHolds), rig.now);
  CHECK_FALSE(rig.monitor.sending());
  CHECK(rig.sink.sent.empty());
  while (!rig.monitor.OnLoaded(rig.now)) {
  }
  rig.Lead();
  CHECK(rig.sink.Sla() == std::vector<std::string>{"SlaBreached firing NOW"});
}

TEST_CASE("a new leader waits out the lease; another leader stops it at once") {
  Rig rig;
  rig.Partner();
  rig.Events({Opened("T-1", rig.now.wall - H(6))});
  while (!rig.monitor.OnLoaded(rig.now)) {
  }
  rig.monitor.OnLeaderCheck(rig.Check(LeaderCheck::Answer::kHolds), rig.now);
  rig.Tick(std::chrono::seconds{2});
  CHECK_FALSE(rig.monitor.sending());  // a former leader may still send
  CHECK(rig.sink.sent.empty());
  rig.monitor.OnLeaderCheck(rig.Check(LeaderCheck::Answer::kHolds), rig.now);
  rig.Tick(std::chrono::seconds{2});
  CHECK(rig.monitor.sending());
  CHECK(rig.sink.Sla() == std::vector<std::string>{"SlaBreached firing T-1"});

  rig.monitor.OnLeaderCheck(rig.Check(LeaderCheck::Answer::kOther), rig.now);
  CHECK_FALSE(rig.monitor.sending());
  rig.sink.sent.clear();
  rig.Events({Opened("T-2", rig.now.wall - H(6))});
  rig.Tick(std::chrono::seconds{1});
  CHECK(rig.sink.sent.empty());
}

TEST_CASE("a breach during a database outage is sent at once within the lease") {
  Rig rig;
  rig.Partner();
  // Response due in 4 h: breaches 5 s from now, 1 s after Lead().
  rig.Events({Opened("T-1", rig.now.wall - H(4) + std::chrono::seconds{5})});
  while (!rig.monitor.OnLoaded(rig.now)) {
  }
  rig.Lead();
  rig.sink.sent.clear();
  // The database goes away: the leader check cannot be asked.
  rig.monitor.OnDatabaseStatus(false, "server closed the connection unexpectedly");
  rig.monitor.OnLeaderCheck(rig.Check(LeaderCheck::Answer::kUnknown), rig.now);
  rig.Tick(std::chrono::seconds{1});
  CHECK(rig.sink.FiringSla() == std::vector<std::string>{"SlaBreached firing T-1"});
  CHECK(rig.monitor.sending());

  // Unconfirmed for a whole lease: this replica stops sending.
  rig.monitor.OnLeaderCheck(rig.Check(LeaderCheck::Answer::kUnknown), rig.now);
  rig.Tick(std::chrono::seconds{2});
  CHECK_FALSE(rig.monitor.sending());
  rig.sink.sent.clear();
  rig.Events({Opened("T-2", rig.now.wall - H(6))});  // known only from before, say
  rig.Tick(std::chrono::seconds{1});
  CHECK(rig.sink.sent.empty());

  // Back: the lock is taken again, a hold-off, then everything firing goes out.
  rig.monitor.OnDatabaseStatus(true, "");
  rig.monitor.OnLeaderCheck(rig.Check(LeaderCheck::Answer::kHolds), rig.now);
  rig.Tick(std::chrono::seconds{2});
  CHECK(rig.sink.sent.empty());
  rig.monitor.OnLeaderCheck(rig.Check(LeaderCheck::Answer::kHolds), rig.now);
  rig.Tick(std::chrono::seconds{2});
  CHECK(rig.monitor.sending());
  CHECK(rig.sink.FiringSla() ==
        std::vector<std::string>{"SlaBreached firing T-1", "SlaBreached firing T-2"});
}

TEST_CASE("SIGHUP: a bad config keeps the running one, a good one applies at once") {
  Rig rig;
  rig.Partner();
  rig.Events({Opened("T-1", rig.now.wall - H(2))});  // 2 h into a 4 h response
  while (!rig.monitor.OnLoaded(rig.now)) {
  }
  rig.Lead();
  rig.sink.sent.clear();

  ConfigResult bad = ParseConfig("policies: [broken", "slamon.yml");
  REQUIRE_FALSE(bad.config);
  CHECK_FALSE(rig.monitor.Reload(std::move(bad), "slamon.yml", rig.now));
  CHECK(rig.sink.Sla().empty());

  ConfigResult good = ParseConfig(R"(
policies:
  default:
    severities:
      A:
        response: {within: 1h}
)",
                                  "slamon.yml");
  REQUIRE(good.config);
  CHECK(rig.monitor.Reload(std::move(good), "slamon.yml", rig.now));
  CHECK(rig.sink.FiringSla() == std::vector<std::string>{"SlaBreached firing T-1"});
}

TEST_CASE("partners and products the reference data does not know share one label") {
  Rig rig;
  rig.Partner();
  const Instant old = rig.now.wall - H(30);  // A's 4 h response is long breached
  EventRow known = Opened("T-1", old);
  std::vector<EventRow> rows{known};
  // 50 made-up partners (one with a newline and braces) and products.
  for (int i = 0; i < 50; ++i) {
    EventRow ghost = Opened("G-" + std::to_string(i), old);
    ghost.event.partner = "ghost\n{" + std::to_string(i) + "}";
    ghost.event.product = "nothing-" + std::to_string(i);
    rows.push_back(ghost);
  }
  rig.Events(std::move(rows));
  while (!rig.monitor.OnLoaded(rig.now)) {
  }
  const SlaFigures figures = rig.monitor.tracker().Snapshot();
  // Two series, whatever the number of unknown ids: p1's and "unknown"'s.
  std::set<std::string> partners;
  int64_t unknown_breaches = 0;
  for (const auto& [key, count] : figures.breaches) {
    partners.insert(key.partner);
    if (key.partner == "unknown") unknown_breaches += count;
  }
  CHECK(partners == std::set<std::string>{"p1", "unknown"});
  CHECK(unknown_breaches >= 50);  // each ghost's response clock, summed
  for (const auto& [product, count] : figures.unsupported_open)
    CHECK(product == "unknown");
  const std::string text = RenderMetrics({rig.registry.get(), &rig.sla_metrics});
  CHECK(text.find("ghost") == std::string::npos);
  CHECK(text.find("slamon_events_unknown_partner_total 50") != std::string::npos);
}

TEST_CASE("each distinct database failure is logged once, not every retry") {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  spdlog::set_pattern("%v");
  {
    Rig rig;
    for (int i = 0; i < 8; ++i) rig.monitor.OnDatabaseStatus(false, "permission denied");
    rig.monitor.OnDatabaseStatus(false, "connection refused");
    rig.monitor.OnDatabaseStatus(false, "connection refused");
    rig.monitor.OnDatabaseStatus(true, "");
    rig.monitor.OnDatabaseStatus(true, "");
  }
  spdlog::set_default_logger(previous);
  CHECK(log.str() ==
        "database unavailable: permission denied\n"
        "database unavailable: connection refused\n"
        "database connected\n");
}

TEST_CASE(
    "replaced reference data recomputes closed tickets from their reloaded history") {
  // docs/design.md §6, finding 8 of issue 11: T-1 was opened while p1 had two
  // certified employees (no fee) and closed, so it left memory. The
  // certifications are deleted: T-1 was opened while p1 was not certified
  // after all, so it carries a fee, as a restart would compute. The running
  // daemon asks for T-1's history and recomputes it.
  Rig rig;
  auto reference = [&](bool certified, Instant signed_at) {
    ReferenceData data;
    data.partners.push_back(slamon::Partner{"p1", "Partner One", signed_at, nullptr,
                                            "default", "", CreditKind::kQuota});
    if (certified) {
      data.certifications.push_back({"p1", "e1", At("2026-01-01T00:00:00Z")});
      data.certifications.push_back({"p1", "e2", At("2026-02-01T00:00:00Z")});
    }
    rig.monitor.OnReference(std::move(data), rig.now);
  };
  reference(true, At("2025-01-10T00:00:00Z"));
  const Instant t = At("2026-11-03T08:00:00Z");
  EventRow opened = Opened("T-1", t);
  EventRow responded = Happened("T-1", t + M(10), EventKind::kResponded);
  EventRow closed = Happened("T-1", t + M(30), EventKind::kClosed);
  rig.Events({opened, responded, closed});
  while (!rig.monitor.OnLoaded(rig.now)) {
  }
  REQUIRE(rig.monitor.ready());
  REQUIRE(rig.monitor.tracker().Find("T-1"));
  CHECK_FALSE(rig.monitor.tracker().Find("T-1")->fee);
  CHECK(rig.monitor.tracker().Snapshot().partners.at("p1").fees_total == 0);

  // A new contract date alone changes only the quota figures: no reload.
  reference(true, At("2025-02-10T00:00:00Z"));
  CHECK(rig.database.tickets.empty());

  // The certifications go: T-1 is asked for once.
  reference(false, At("2025-02-10T00:00:00Z"));
  CHECK(rig.database.tickets == std::vector<std::string>{"T-1"});
  EventBatch history;
  history.events = {opened, responded, closed};
  rig.monitor.OnTicket("T-1", std::move(history), rig.now);
  auto view = rig.monitor.tracker().Find("T-1");
  REQUIRE(view);
  CHECK(view->state == TicketState::kClosed);
  CHECK(view->fee);
  CHECK(rig.monitor.tracker().Snapshot().partners.at("p1").fees_total == 1);
  CHECK(rig.monitor.tracker().Snapshot().open_tickets == 0);

  // A new time zone is a reload too (the clocks' calendars move).
  ReferenceData tokyo;
  tokyo.partners.push_back(slamon::Partner{
      "p1", "Partner One", At("2025-02-10T00:00:00Z"), date::locate_zone("Asia/Tokyo"),
      "default", "", CreditKind::kQuota});
  rig.monitor.OnReference(std::move(tokyo), rig.now);
  CHECK(rig.database.tickets == std::vector<std::string>{"T-1", "T-1"});
}

TEST_CASE("SIGHUP with new rules recomputes closed tickets from their reloaded history") {
  // Issue 11: a restart and a running daemon agree after a config reload too.
  // p1 (UTC, the default policy). T-1, severity A, opened Tue 2026-11-03
  // 08:00Z, responded 10:00Z, workaround 11:00Z, resolved 12:00Z, closed
  // 13:00Z; it then leaves memory. A's built-in response is 4 h: due 12:00Z,
  // met at 10:00Z, on time.
  Rig rig;
  rig.Partner();
  const Instant t = At("2026-11-03T08:00:00Z");
  const std::vector<EventRow> rows = {Opened("T-1", t),
                                      Happened("T-1", t + H(2), EventKind::kResponded),
                                      Happened("T-1", t + H(3), EventKind::kWorkaround),
                                      Happened("T-1", t + H(4), EventKind::kResolved),
                                      Happened("T-1", t + H(5), EventKind::kClosed)};
  rig.Events(rows);
  while (!rig.monitor.OnLoaded(rig.now)) {
  }
  REQUIRE(rig.monitor.ready());
  const TargetSeverity response_a{TargetName::kResponse, "A"};
  auto met = [&] { return rig.monitor.tracker().Snapshot().met.at(response_a); };
  CHECK(met().on_time == 1);
  CHECK(met().late == 0);

  auto reload = [&](const char* yaml) {
    ConfigResult config = ParseConfig(yaml, "slamon.yml");
    REQUIRE(config.config);
    REQUIRE(rig.monitor.Reload(std::move(config), "slamon.yml", rig.now));
  };
  // The same rules, or a policy p1 does not use: nothing to reload.
  reload("");
  reload(R"(
policies:
  gold:
    severities:
      A:
        response: {within: 1h}
)");
  CHECK(rig.database.tickets.empty());

  // The default policy's A response becomes 1 h: due 09:00Z, met at 10:00Z,
  // so late. T-1 is asked for once; until its history is back it keeps its
  // old figures.
  constexpr const char* kOneHour = R"(
policies:
  default:
    severities:
      A:
        response: {within: 1h}
)";
  reload(kOneHour);
  CHECK(rig.database.tickets == std::vector<std::string>{"T-1"});
  CHECK(met().on_time == 1);
  EventBatch history;
  history.events = rows;
  rig.monitor.OnTicket("T-1", std::move(history), rig.now);
  auto view = rig.monitor.tracker().Find("T-1");
  REQUIRE(view);
  CHECK(view->state == TicketState::kClosed);
  const ClockView& response = view->clocks[static_cast<size_t>(TargetName::kResponse)];
  CHECK(response.breached);
  CHECK(testing::Show(*response.deadline) == "2026-11-03T09:00:00Z");
  CHECK(met().on_time == 0);
  CHECK(met().late == 1);
  CHECK(rig.monitor.tracker().Snapshot().open_tickets == 0);

  // A restart with the new config computes the same figures.
  Rig restarted(kOneHour);
  restarted.Partner();
  restarted.Events(rows);
  while (!restarted.monitor.OnLoaded(restarted.now)) {
  }
  CHECK(restarted.monitor.tracker().Snapshot().met ==
        rig.monitor.tracker().Snapshot().met);
  CHECK(restarted.monitor.tracker().Snapshot().breaches ==
        rig.monitor.tracker().Snapshot().breaches);

  // A calendar a policy counts on changes: reloaded again (A's resolution on
  // an office calendar whose hours change).
  reload(R"(
calendars:
  office:
    hours: {mon: ["08:00-17:00"], tue: ["08:00-17:00"]}
policies:
  default:
    severities:
      A:
        response: {within: 1h}
        resolution: {within: 10h, calendar: office}
)");
  CHECK(rig.database.tickets == std::vector<std::string>{"T-1", "T-1"});
  reload(R"(
calendars:
  office:
    hours: {mon: ["09:00-17:00"], tue: ["09:00-17:00"]}
policies:
  default:
    severities:
      A:
        response: {within: 1h}
        resolution: {within: 10h, calendar: office}
)");
  // Still on its way from the first request: asked once.
  CHECK(rig.database.tickets == std::vector<std::string>{"T-1", "T-1"});
}

}  // namespace
}  // namespace slamon
