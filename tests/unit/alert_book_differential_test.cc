// AlertBook against ReferenceAlertBook (the map-based book it replaced, issue
// 13): random sequences of transitions, partner figures, Due, ResendAll and
// Firing over a few tickets and partners, so that equal label sets, severity
// changes, folding, resolution and retention all recur. Every answer must be
// the same alert for alert, and the counts the same after every step. Run
// twice: the book numbering the tickets itself, and with the ticket handles
// of the transitions and a TicketIds as the tracker gives them.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "alert_book_reference.h"
#include "alerts/alert_book.h"
#include "test_time.h"

namespace slamon {
namespace {

using testing::At;

struct Random {
  std::mt19937 engine;
  int Int(int low, int high) {  // [low, high]
    return std::uniform_int_distribution<int>(low, high)(engine);
  }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
};

// Ticket T-n has the handle n.
std::string_view TicketOfHandle(uint32_t handle) {
  static const std::vector<std::string> tickets = [] {
    std::vector<std::string> names;
    for (int i = 0; i < 25; ++i) names.push_back("T-" + std::to_string(i));
    return names;
  }();
  return handle < tickets.size() ? std::string_view(tickets[handle]) : std::string_view();
}

Transition RandomTransition(Random& random, Instant now) {
  static const char* const kPartners[] = {"acme", "beta", "gamma"};
  static const char* const kSeverities[] = {"A", "B", "C", "D"};
  const int ticket = random.Int(0, 24);
  // A ticket keeps its partner but now and then (a re-classification).
  const int partner = random.Chance(95) ? ticket % 3 : random.Int(0, 2);
  // Mostly its own severity; sometimes another (the label set changes).
  const int severity = random.Chance(85) ? ticket % 4 : random.Int(0, 3);
  return {random.Chance(55) ? TransitionKind::kStarted : TransitionKind::kEnded,
          random.Chance(50) ? AlertState::kAtRisk : AlertState::kBreached,
          "T-" + std::to_string(ticket), kPartners[partner], kSeverities[severity],
          static_cast<TargetName>(random.Int(0, 2)),
          // Ties are frequent; now and then a paused clock has no deadline.
          random.Chance(10)
              ? std::nullopt
              : std::optional<Instant>(now + Seconds(random.Int(-2, 2) * 600)),
          now - Seconds(random.Chance(80) ? 0 : random.Int(1, 30)),
          static_cast<uint32_t>(ticket)};
}

// An alert in full, one line, so that a difference shows in the test's output.
std::vector<std::string> Show(const std::vector<Alert>& alerts) {
  std::vector<std::string> lines;
  for (const Alert& alert : alerts) {
    std::string line = std::string(ToString(alert.status)) + " " +
                       FormatInstant(alert.starts_at) + ".." +
                       FormatInstant(alert.ends_at);
    for (const auto& [name, value] : alert.labels) line += " " + name + "=" + value;
    for (const auto& [name, value] : alert.annotations) line += " @" + name + "=" + value;
    lines.push_back(line + " " + alert.generator_url);
  }
  return lines;
}

SlaFigures RandomFigures(Random& random, Instant now) {
  SlaFigures figures;
  for (const char* partner : {"acme", "beta", "gamma", "delta"}) {
    if (random.Chance(20)) continue;  // missing: its alerts resolve
    PartnerQuota& quota = figures.partners[partner].quota;
    quota.period.end = now + Seconds(random.Int(1, 40) * 86400);
    if (random.Chance(80)) quota.incidents_limit = random.Int(0, 10);
    quota.incidents_used = random.Int(0, 12);
    quota.certified = random.Chance(70);
    if (quota.certified && random.Chance(90))
      quota.certified_until = now + Seconds(random.Int(0, 60) * 86400);
    quota.certified_employees = random.Int(0, 4);
  }
  return figures;
}

void Run(uint32_t seed, bool handles) {
  Random random{std::mt19937(seed)};
  AlertBookOptions options;
  options.max_ticket_alerts = static_cast<std::size_t>(random.Int(0, 6));
  options.resend_interval = Seconds(random.Chance(50) ? 30 : 60);
  options.resolved_retention = Seconds(random.Chance(50) ? 120 : 900);
  options.runbook_url = "https://rb.example/{{alertname}}";
  AlertBook book(options,
                 handles ? AlertBook::TicketIds(TicketOfHandle) : AlertBook::TicketIds());
  testing::ReferenceAlertBook reference(options);
  Instant now = At("2026-11-04T10:00:00Z");
  for (int step = 0; step < 400; ++step) {
    INFO("seed " << seed << " step " << step << (handles ? " with handles" : ""));
    const int what = random.Int(1, 100);
    if (what <= 45) {
      std::vector<Transition> batch;
      for (int i = random.Int(1, 4); i > 0; --i)
        batch.push_back(RandomTransition(random, now));
      book.Apply(batch);
      reference.Apply(batch);
    } else if (what <= 55) {
      const SlaFigures figures = RandomFigures(random, now);
      book.Observe(figures, now);
      reference.Observe(figures, now);
    } else if (what <= 57) {
      book.ResendAll();
      reference.ResendAll();
    } else if (what <= 62) {
      REQUIRE(Show(book.Firing(now)) == Show(reference.Firing(now)));
    } else {
      now += Seconds(random.Chance(20) ? 0 : random.Int(1, 90));
      REQUIRE(Show(book.Due(now)) == Show(reference.Due(now)));
      REQUIRE(book.folded_count() == reference.folded_count());
    }
    REQUIRE(book.firing_count() == reference.firing_count());
    REQUIRE(book.size() == reference.size());
  }
}

TEST_CASE("the alert book answers as the reference book does", "[alert_book]") {
  for (uint32_t seed = 1; seed <= 100; ++seed) {
    Run(seed, false);
    Run(seed, true);
  }
}

}  // namespace
}  // namespace slamon
