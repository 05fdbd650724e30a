// The Prometheus side: SlaFigures and daemon health in, text format 0.0.4 out.
#include <prometheus/registry.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "metrics/daemon_metrics.h"
#include "metrics/exposition.h"
#include "metrics/sla_metrics.h"
#include "test_time.h"

using namespace slamon;
using slamon::testing::At;

namespace {

using Clock = std::pair<TargetSeverity, OpenClockState>;
constexpr TargetName kResponse = TargetName::kResponse;
constexpr TargetName kWorkaround = TargetName::kWorkaround;
constexpr TargetName kResolution = TargetName::kResolution;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// What differs, line by line, in a form to read without a diff tool.
std::string Difference(const std::string& expected, const std::string& actual) {
  const std::vector<std::string> e = Lines(expected), a = Lines(actual);
  std::ostringstream out;
  size_t first = 0;
  while (first < e.size() && first < a.size() && e[first] == a[first]) ++first;
  out << "first difference at line " << first + 1 << "\n";
  const std::set<std::string> es(e.begin(), e.end()), as(a.begin(), a.end());
  for (const auto& line : e) {
    if (!as.contains(line)) out << "- " << line << "\n";
  }
  for (const auto& line : a) {
    if (!es.contains(line)) out << "+ " << line << "\n";
  }
  return out.str();
}

// The value of one series as the registry exports it; nullopt when absent.
std::optional<double> Value(const prometheus::Collectable& metrics,
                            const std::string& name, const prometheus::Labels& labels) {
  for (const auto& family : metrics.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      prometheus::Labels have;
      for (const auto& label : metric.label) have[label.name] = label.value;
      if (have != labels) continue;
      return family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                            : metric.gauge.value;
    }
  }
  return std::nullopt;
}

size_t SeriesCount(const prometheus::Collectable& metrics, const std::string& name) {
  for (const auto& family : metrics.Collect()) {
    if (family.name == name) return family.metric.size();
  }
  return 0;
}

PartnerFigures Figures(QuotaPeriod period, int used, std::optional<int> limit,
                       int credits, int certified_employees,
                       std::optional<Instant> certified_until, int64_t fees_total) {
  PartnerFigures p;
  p.quota.period = period;
  p.quota.incidents_used = used;
  p.quota.incidents_limit = limit;
  p.quota.credits = credits;
  p.quota.certified_employees = certified_employees;
  p.quota.certified = certified_until.has_value();
  p.quota.certified_until = certified_until;
  p.fees_total = fees_total;
  return p;
}

}  // namespace

TEST_CASE("The exposition of fixed figures and daemon health matches the golden file",
          "[golden]") {
  auto registry = std::make_shared<prometheus::Registry>();
  SlaFigures f;
  SlaMetrics sla([&] { return f; }, {.severities = {"A", "B"}});
  DaemonMetrics daemon(registry,
                       {.build = {.version = "0.1.0", .revision = "0123456789ab"},
                        .receivers = {"alertmanager-1"}});

  f.at = At("2026-11-04T10:00:00Z");
  f.open_clocks[Clock{{kResponse, "A"}, OpenClockState::kRunning}] = 2;
  f.open_clocks[Clock{{kResponse, "A"}, OpenClockState::kAtRisk}] = 1;
  f.open_clocks[Clock{{kResolution, "B"}, OpenClockState::kPaused}] = 1;
  f.open_clocks[Clock{{kResolution, "B"}, OpenClockState::kBreached}] = 3;
  f.breaches[{kResponse, "A", "p1"}] = 1;
  f.breaches[{kResolution, "B", "p2"}] = 4;
  f.met[{kResponse, "A"}] = {.on_time = 5, .late = 1};
  f.met[{kWorkaround, "B"}] = {.on_time = 2, .late = 0};
  f.next_deadline[{kResponse, "A"}] = At("2026-11-04T10:30:00Z");    // 1793788200
  f.next_deadline[{kResolution, "B"}] = At("2026-11-10T17:00:00Z");  // 1794330000
  // p1: second contract year, limit 20 + 2 credits, certified until 2027-03-01.
  f.partners["p1"] = Figures(
      {1, At("2026-02-09T00:00:00Z"), At("2027-01-10T00:00:00Z"), 20}, 7, 22, 2, 3,
      At("2027-03-01T00:00:00Z"), 3);  // period end 1799539200, expiry 1803859200
  // p2: the unlimited first 30 days, not certified.
  f.partners["p2"] =
      Figures({0, At("2026-10-20T00:00:00Z"), At("2026-11-19T00:00:00Z"), std::nullopt},
              4, std::nullopt, 0, 1, std::nullopt, 0);  // period end 1795046400
  f.unsupported_open["backup"] = 1;
  f.outdated_open["backup"] = 2;
  f.outdated_open["vault"] = 0;
  f.open_tickets = 9;
  f.tracked_tickets = 12;
  f.timers = 8;

  daemon.SetDatabaseUp(true);
  daemon.ObservePollDuration(std::chrono::milliseconds(3));
  daemon.ObservePollDuration(std::chrono::milliseconds(200));
  daemon.SetLastPollSuccess(At("2026-11-04T09:59:58Z"));  // 1793786398
  daemon.CountEventsApplied(42);
  daemon.CountEventsRejected(RejectReason::kBeforeOpened, 2);
  daemon.CountAlertsSent("alertmanager-1", 5);
  daemon.CountAlertSendFailures("alertmanager-1");
  // Two requests, 30 ms and 3 s (buckets le=0.05 and le=5); 3 alerts wait.
  daemon.ObserveAlertDelivery("alertmanager-1", std::chrono::milliseconds(30));
  daemon.ObserveAlertDelivery("alertmanager-1", std::chrono::seconds(3));
  daemon.SetAlertQueueLength("alertmanager-1", 3);
  daemon.SetLeader(true);
  daemon.SetReady(true);

  const std::string rendered = RenderMetrics({registry.get(), &sla});
  if (const char* out = std::getenv("SLAMON_METRICS_OUT")) {
    std::ofstream(out)
        << rendered;  // for `promtool check metrics` (ctest metrics.promtool)
  }
  const std::string golden_path = std::string(SLAMON_GOLDEN_DIR) + "/metrics.txt";
  const std::string golden = ReadFile(golden_path);
  const std::string actual_path =
      (std::filesystem::current_path() / "metrics.actual.txt").string();
  if (rendered == golden) {
    std::filesystem::remove(actual_path);
  } else {
    std::ofstream(actual_path) << rendered;
    FAIL_CHECK("the rendered metrics differ from the golden file\n  golden: "
               << golden_path << "\n  actual: " << actual_path << "\n  diff -u "
               << golden_path << " " << actual_path
               << "\n  (after checking every changed value by hand: cp the actual over "
                  "the golden)\n"
               << Difference(golden, rendered));
  }
}

TEST_CASE("Counters rise by what a figure grew and never go down") {
  SlaFigures scraped;  // what the next scrape sees
  SlaMetrics sla([&] { return scraped; });
  auto breaches = [&](const char* severity, const char* partner) {
    return Value(
        sla, "slamon_sla_breaches_total",
        {{"target", "resolution"}, {"ticket_severity", severity}, {"partner", partner}});
  };
  auto met = [&](const char* outcome) {
    return Value(
        sla, "slamon_sla_met_total",
        {{"target", "response"}, {"ticket_severity", "A"}, {"outcome", outcome}});
  };
  auto fees = [&] { return Value(sla, "slamon_ticket_fees_total", {{"partner", "p1"}}); };

  SlaFigures f;
  f.breaches[{kResolution, "A", "p1"}] = 1;
  f.breaches[{kResolution, "B", "p1"}] = 4;
  f.met[{kResponse, "A"}] = {.on_time = 5, .late = 1};
  f.partners["p1"].fees_total = 3;
  scraped = f;
  CHECK(breaches("A", "p1") == 1);
  CHECK(breaches("B", "p1") == 4);
  CHECK(met("on_time") == 5);
  CHECK(met("late") == 1);
  CHECK(fees() == 3);

  // Grown: +2 breaches, +1 fee. Shrunk: a late event undid two B breaches and
  // turned an on-time stop into a late one.
  f.breaches[{kResolution, "A", "p1"}] = 3;
  f.breaches[{kResolution, "B", "p1"}] = 2;
  f.met[{kResponse, "A"}] = {.on_time = 4, .late = 2};
  f.partners["p1"].fees_total = 4;
  scraped = f;
  CHECK(breaches("A", "p1") == 3);
  CHECK(breaches("B", "p1") == 4);  // kept, not 2
  CHECK(met("on_time") == 5);       // kept, not 4
  CHECK(met("late") == 2);
  CHECK(fees() == 4);

  // Finding 9 of issue 11: after the figure shrank, every later onset still
  // counts. B's figure 2 -> 3 is one more breach: 4 + 1 = 5 (raising the
  // counter to the figure would have kept it at 4); 3 -> 6 adds 3: 8.
  f.breaches[{kResolution, "B", "p1"}] = 3;
  scraped = f;
  CHECK(breaches("B", "p1") == 5);
  f.breaches[{kResolution, "B", "p1"}] = 6;
  scraped = f;
  CHECK(breaches("B", "p1") == 8);
  CHECK(breaches("B", "p1") == 8);  // a second scrape of the same figures adds nothing
  // The same for on-time stops: 4 -> 5 after the shrink is one more: 5 + 1 = 6.
  f.met[{kResponse, "A"}] = {.on_time = 5, .late = 2};
  scraped = f;
  CHECK(met("on_time") == 6);

  // A figure that vanishes does not take its counter with it.
  scraped = SlaFigures{};
  CHECK(breaches("B", "p1") == 8);
  CHECK(fees() == 4);
}

TEST_CASE("Labelled series exist at 0 for every known target, severity and partner") {
  SlaFigures scraped;  // what the next scrape sees
  SlaMetrics sla([&] { return scraped; }, {.severities = {"A"}});
  // Before any figures: 3 targets x 1 severity x 4 states, 2 outcomes; no partner yet.
  CHECK(SeriesCount(sla, "slamon_sla_clocks") == 12);
  CHECK(SeriesCount(sla, "slamon_sla_met_total") == 6);
  CHECK(SeriesCount(sla, "slamon_sla_breaches_total") == 0);
  CHECK(Value(sla, "slamon_open_tickets", {}) == 0);
  CHECK(Value(sla, "slamon_timers", {}) == 0);

  // A severity seen in the figures joins the known ones, and so does a partner.
  SlaFigures f;
  f.open_clocks[Clock{{kWorkaround, "Z"}, OpenClockState::kPaused}] = 2;
  f.partners["p1"] = PartnerFigures{};
  scraped = f;
  CHECK(SeriesCount(sla, "slamon_sla_clocks") == 24);
  CHECK(
      Value(sla, "slamon_sla_clocks",
            {{"target", "workaround"}, {"ticket_severity", "Z"}, {"state", "paused"}}) ==
      2);
  CHECK(Value(sla, "slamon_sla_clocks",
              {{"target", "resolution"},
               {"ticket_severity", "Z"},
               {"state", "breached"}}) == 0);
  CHECK(SeriesCount(sla, "slamon_sla_breaches_total") == 6);  // 3 targets x {A, Z}
  CHECK(Value(sla, "slamon_sla_breaches_total",
              {{"target", "response"}, {"ticket_severity", "A"}, {"partner", "p1"}}) ==
        0);
  CHECK(Value(sla, "slamon_ticket_fees_total", {{"partner", "p1"}}) == 0);

  // Known ones stay, at 0, when the figures no longer name them.
  scraped = SlaFigures{};
  CHECK(SeriesCount(sla, "slamon_sla_clocks") == 24);
  CHECK(
      Value(sla, "slamon_sla_clocks",
            {{"target", "workaround"}, {"ticket_severity", "Z"}, {"state", "paused"}}) ==
      0);
}

TEST_CASE("Deadlines, limits and certification expiry without a value") {
  SlaFigures scraped;  // what the next scrape sees
  SlaMetrics sla([&] { return scraped; }, {.severities = {"A"}});
  const prometheus::Labels response_a = {{"target", "response"},
                                         {"ticket_severity", "A"}};
  const prometheus::Labels p1 = {{"partner", "p1"}};

  SlaFigures f;
  f.next_deadline[{kResponse, "A"}] = At("2026-11-04T10:30:00Z");
  f.partners["p1"] =
      Figures({1, At("2026-02-09T00:00:00Z"), At("2027-01-10T00:00:00Z"), 20}, 7, 22, 2,
              2, At("2027-03-01T00:00:00Z"), 0);
  f.unsupported_open["backup"] = 1;
  scraped = f;
  CHECK(Value(sla, "slamon_sla_next_deadline_timestamp_seconds", response_a) ==
        1793788200);
  CHECK(Value(sla, "slamon_quota_incidents_limit", p1) == 22);
  CHECK(Value(sla, "slamon_quota_unlimited", p1) == 0);
  CHECK(Value(sla, "slamon_partner_certification_expiry_timestamp_seconds", p1) ==
        1803859200);

  // No running deadline: the series goes. Unlimited period: no limit series.
  // Not certified: expiry 0.
  f.next_deadline.clear();
  f.partners["p1"] =
      Figures({0, At("2026-10-20T00:00:00Z"), At("2026-11-19T00:00:00Z"), std::nullopt},
              1, std::nullopt, 0, 1, std::nullopt, 0);
  f.unsupported_open.clear();
  scraped = f;
  CHECK(Value(sla, "slamon_sla_next_deadline_timestamp_seconds", response_a) ==
        std::nullopt);
  CHECK(Value(sla, "slamon_quota_incidents_limit", p1) == std::nullopt);
  CHECK(Value(sla, "slamon_quota_unlimited", p1) == 1);
  CHECK(Value(sla, "slamon_quota_incidents_used", p1) == 1);
  CHECK(Value(sla, "slamon_partner_certification_expiry_timestamp_seconds", p1) == 0);
  // A product once seen stays at 0.
  CHECK(Value(sla, "slamon_tickets_unsupported_version", {{"product", "backup"}}) == 0);
  CHECK(Value(sla, "slamon_tickets_outdated_version", {{"product", "backup"}}) == 0);

  // A partner that leaves the figures loses its gauges, keeps its counters.
  scraped = SlaFigures{};
  CHECK(Value(sla, "slamon_quota_incidents_used", p1) == std::nullopt);
  CHECK(Value(sla, "slamon_quota_unlimited", p1) == std::nullopt);
  CHECK(Value(sla, "slamon_ticket_fees_total", p1) == 0);
}

TEST_CASE("Daemon health series start at 0 and count what they are told") {
  auto registry = std::make_shared<prometheus::Registry>();
  DaemonMetrics daemon(
      registry, {.build = {.version = "0.1.0", .revision = "abc"}, .receivers = {"am"}});
  CHECK(Value(*registry, "slamon_build_info",
              {{"version", "0.1.0"}, {"revision", "abc"}}) == 1);
  // The label values dashboards and docs/metrics-and-alerts.md name, written
  // out here so that renaming one in ToString(RejectReason) fails this test.
  const std::vector<std::string> reasons = {
      "unknown_kind",     "bad_field", "future",        "unknown_severity",
      "duplicate_opened", "no_opened", "bad_incidents", "before_opened"};
  CHECK(SeriesCount(*registry, "slamon_events_rejected_total") == reasons.size());
  CHECK(kAllRejectReasons.size() == reasons.size());
  for (const std::string& reason : reasons) {
    CHECK(Value(*registry, "slamon_events_rejected_total", {{"reason", reason}}) == 0);
  }
  CHECK(Value(*registry, "slamon_alerts_sent_total", {{"receiver", "am"}}) == 0);
  CHECK(Value(*registry, "slamon_alert_send_failures_total", {{"receiver", "am"}}) == 0);
  CHECK(Value(*registry, "slamon_db_up", {}) == 0);
  CHECK(Value(*registry, "slamon_ready", {}) == 0);
  CHECK(Value(*registry, "slamon_leader", {}) == 0);
  CHECK(Value(*registry, "slamon_last_poll_success_timestamp_seconds", {}) == 0);

  daemon.AddReceiver("webhook");
  CHECK(Value(*registry, "slamon_alerts_sent_total", {{"receiver", "webhook"}}) == 0);
  daemon.CountEventsRejected(RejectReason::kFuture);
  daemon.CountEventsRejected(RejectReason::kFuture);
  CHECK(Value(*registry, "slamon_events_rejected_total", {{"reason", "future"}}) == 2);
  daemon.CountAlertsDropped(3);
  CHECK(Value(*registry, "slamon_alerts_dropped_total", {}) == 3);
  daemon.SetDatabaseUp(true);
  daemon.SetDatabaseUp(false);
  CHECK(Value(*registry, "slamon_db_up", {}) == 0);
  // Sub-second poll timestamps survive.
  daemon.SetLastPollSuccess(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(1793786398250)));
  CHECK(Value(*registry, "slamon_last_poll_success_timestamp_seconds", {}) ==
        1793786398.25);

  const auto& buckets = DaemonMetrics::PollDurationBuckets();
  CHECK(buckets.front() == 0.001);
  CHECK(buckets.back() == 10);
  CHECK(std::is_sorted(buckets.begin(), buckets.end()));
}

TEST_CASE("The exposition is sorted by family name and labels") {
  auto registry = std::make_shared<prometheus::Registry>();
  auto& gauges = prometheus::BuildGauge().Name("b_gauge").Help("B.").Register(*registry);
  gauges.Add({{"x", "2"}}).Set(2);
  gauges.Add({{"x", "1"}}).Set(1);
  prometheus::BuildCounter()
      .Name("a_total")
      .Help("A.")
      .Register(*registry)
      .Add({})
      .Increment();
  CHECK(RenderMetrics(*registry) ==
        "# HELP a_total A.\n"
        "# TYPE a_total counter\n"
        "a_total 1\n"
        "# HELP b_gauge B.\n"
        "# TYPE b_gauge gauge\n"
        "b_gauge{x=\"1\"} 1\n"
        "b_gauge{x=\"2\"} 2\n");
}
