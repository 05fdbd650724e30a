// alert_book_bench: what the alert book costs with many firing alerts, as at
// a daemon's start-up with half a million breached tickets (issue 13).
//
//   ./build/tests/bench/alert_book_bench [--reference] [alerts] [updates]
//   (defaults 500000 and 200)
//
// --reference measures the book as it was before issue 13 (a map keyed by
// label sets, walked on every Due; kept as tests/unit/alert_book_reference.*
// to check the new one against), so before and after can be run side by side.
//
// Alerts: `alerts` tickets over 1,000 partners, severities A-D in turn, one
// clock each, breached (every third one at risk instead), deadlines spread
// over the last 23 days; the default options (max_ticket_alerts 1,000,
// resend_interval 60s), so all but 1,000 are folded. Phases, each timed:
//   seed       Apply of one Started transition per alert, as Monitor does at
//              ready with Tracker::CurrentAlerts
//   first Due  the first send: 1,000 ticket alerts and the folded aggregates
//   idle Due   Due one second later, nothing changed (nothing to send), the
//              call the daemon makes after every batch and tick
//   update     one Ended and one Started transition (a ticket alerted one
//              by one is answered, another ticket breaches) and a Due, as
//              after a batch of events: `updates` times, within one second
//   resend Due Due a resend_interval after the first send: every alert sent
//              one by one goes out again (and the resolved ones)
// Memory: resident set size growth over the seed phase divided by alerts
// (read from /proc/self/statm); the transitions themselves are built first.
// Each figure is the best of three rounds (a fresh book each), since the
// machine is shared. Plain std::chrono::steady_clock timing; not a ctest test.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <type_traits>
#include <vector>

#include "alert_book_reference.h"
#include "alerts/alert_book.h"

namespace {

using namespace slamon;
using Clock = std::chrono::steady_clock;

long ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

Transition Breach(int i, Instant now, TransitionKind kind) {
  static const char* const kSeverities[] = {"A", "B", "C", "D"};
  const AlertState state = i % 3 == 2 ? AlertState::kAtRisk : AlertState::kBreached;
  // Deadlines a few seconds apart over the last 23 days (ties are rare).
  const Instant deadline = now - Seconds(1 + (static_cast<int64_t>(i) * 7919) % 1987200);
  return {kind,
          state,
          "TCK-" + std::to_string(1000000 + i),
          "partner-" + std::to_string(i % 1000),
          kSeverities[i % 4],
          TargetName::kResolution,
          state == AlertState::kAtRisk ? now + Seconds(3600) : deadline,
          now,
          static_cast<uint32_t>(i)};  // its handle, as the tracker's slot
}

// The tickets' ids by handle, as the tracker answers them (TicketOf).
const std::vector<std::string>& TicketIds(int count) {
  static std::vector<std::string> ids;
  while (ids.size() < static_cast<std::size_t>(count))
    ids.push_back("TCK-" + std::to_string(1000000 + ids.size()));
  return ids;
}

struct Round {
  double seed = 0, first_due = 0, idle_due = 0, update = 0, resend_due = 0;
  double bytes_per_alert = 0;
  std::size_t first_sent = 0, resent = 0, folded = 0, update_sent = 0;
};

template <class Book>
Round Run(int alerts, int updates) {
  const Instant t0 = *ParseInstant("2026-11-26T12:00:00Z");
  std::vector<Transition> seed;
  seed.reserve(static_cast<std::size_t>(alerts));
  for (int i = 0; i < alerts; ++i)
    seed.push_back(Breach(i, t0, TransitionKind::kStarted));

  Round round;
  const std::vector<std::string>& ids = TicketIds(alerts + updates);
  const long rss_before = ResidentBytes();
  const AlertBookOptions options;  // the defaults
  Book book = [&] {
    if constexpr (std::is_same_v<Book, AlertBook>) {
      return AlertBook(options, [&ids](uint32_t handle) -> std::string_view {
        return handle < ids.size() ? std::string_view(ids[handle]) : std::string_view();
      });
    } else {
      return Book(options);
    }
  }();
  auto start = Clock::now();
  book.Apply(seed);
  round.seed = SecondsSince(start);
  round.bytes_per_alert = static_cast<double>(ResidentBytes() - rss_before) / alerts;

  start = Clock::now();
  const std::vector<Alert> first = book.Due(t0);
  round.first_due = SecondsSince(start);
  round.first_sent = first.size();
  round.folded = book.folded_count();
  // The tickets sent one by one, to end in the update phase.
  std::vector<std::size_t> sent;
  for (const Alert& alert : first) {
    const auto ticket = alert.labels.find("ticket");
    if (ticket != alert.labels.end())
      sent.push_back(std::stoul(ticket->second.substr(4)) - 1000000);
  }

  constexpr int kIdle = 20;
  start = Clock::now();
  for (int i = 0; i < kIdle; ++i) {
    if (!book.Due(t0 + Seconds(1)).empty()) std::fprintf(stderr, "idle Due sent\n");
  }
  round.idle_due = SecondsSince(start) / kIdle;

  // Each update ends an alert sent one by one and starts a new one (folded,
  // as every place is taken); the Due sends the resolved alert and the one
  // that gets the freed place. All within one second, before any resend.
  const Instant at = t0 + Seconds(2);
  start = Clock::now();
  for (int u = 0; u < updates; ++u) {
    Transition ended = seed[sent[static_cast<std::size_t>(u) % sent.size()]];
    ended.kind = TransitionKind::kEnded;
    ended.at = at;
    const Transition started = Breach(alerts + u, at, TransitionKind::kStarted);
    book.Apply({{ended, started}});
    round.update_sent += book.Due(at).size();
  }
  round.update = SecondsSince(start) / updates;

  start = Clock::now();
  round.resent = book.Due(t0 + Seconds(60)).size();
  round.resend_due = SecondsSince(start);
  return round;
}

}  // namespace

int main(int argc, char** argv) {
  const bool reference = argc > 1 && std::string(argv[1]) == "--reference";
  if (reference) {
    --argc;
    ++argv;
  }
  const int alerts = argc > 1 ? std::atoi(argv[1]) : 500000;
  const int updates = argc > 2 ? std::atoi(argv[2]) : 200;
  if (alerts < 1 || updates < 1) {
    std::fprintf(stderr, "usage: alert_book_bench [--reference] [alerts] [updates]\n");
    return 2;
  }
  Round best;
  best.seed = best.first_due = best.idle_due = best.update = best.resend_due = 1e18;
  best.bytes_per_alert = 1e18;
  for (int r = 0; r < 3; ++r) {
    const Round round = reference ? Run<testing::ReferenceAlertBook>(alerts, updates)
                                  : Run<AlertBook>(alerts, updates);
    best.seed = std::min(best.seed, round.seed);
    best.first_due = std::min(best.first_due, round.first_due);
    best.idle_due = std::min(best.idle_due, round.idle_due);
    best.update = std::min(best.update, round.update);
    best.resend_due = std::min(best.resend_due, round.resend_due);
    if (r == 0)
      best.bytes_per_alert = round.bytes_per_alert;  // later rounds reuse freed memory
    best.first_sent = round.first_sent;
    best.resent = round.resent;
    best.folded = round.folded;
    best.update_sent = round.update_sent;
  }
  std::printf("alert_book_bench: %s, %d firing alerts, best of 3 rounds\n",
              reference ? "the reference (map) book" : "AlertBook", alerts);
  std::printf("  seed (Apply)            %10.1f ms  (%.0f ns per alert)\n",
              best.seed * 1e3, best.seed * 1e9 / alerts);
  std::printf("  memory                  %10.0f bytes per alert (RSS growth, round 1)\n",
              best.bytes_per_alert);
  std::printf("  first Due               %10.2f ms  (%zu alerts sent, %zu folded)\n",
              best.first_due * 1e3, best.first_sent, best.folded);
  std::printf("  idle Due                %10.2f us\n", best.idle_due * 1e6);
  std::printf("  update (Apply 2 + Due)  %10.2f us  (mean of %d, %zu alerts sent)\n",
              best.update * 1e6, updates, best.update_sent);
  std::printf("  resend Due              %10.2f ms  (%zu alerts sent)\n",
              best.resend_due * 1e3, best.resent);
  return 0;
}
