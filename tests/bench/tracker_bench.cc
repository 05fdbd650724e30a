// tracker_bench: how fast the tracker applies events and how much memory an
// open ticket costs, at a million open tickets.
//
//   ./build/tests/bench/tracker_bench [tickets]   (default 1000000)
//
// Tickets: four partners (Berlin, New York, Tokyo, UTC), severities A-D in
// turn, the built-in policy (business-day resolution for A and B, next-release
// for D), opened over the last 30 days. Phases:
//   opened     one `opened` event per ticket
//   responded  one `responded` event per ticket (each ticket is recomputed)
//   advance    the tracker's time moves 2 days in 1-minute steps, firing the
//              warning and deadline timers that fall due
// Memory: resident set size growth over the opened phase divided by tickets
// (read from /proc/self/statm), which includes the timer wheel and all indexes.
// Transitions are handed on after each event, as the daemon hands them to the
// alert layer, so the caller's buffer does not count as the tracker's memory.
// Events are applied one by one with Tracker::Prefetch a few events ahead, as
// the daemon applies a batch read from the database.
// Plain std::chrono::steady_clock timing; not a ctest test.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "config/config.h"
#include "tracker/tracker.h"

namespace {

using namespace slamon;

long ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

double SecondsOf(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// What the daemon does while applying a batch of events read from the
// database: ask for the memory of the event a few places ahead.
void Ahead(const Tracker& tracker, const std::vector<std::string>& ids, int i) {
  const size_t ahead = static_cast<size_t>(i) + Tracker::kPrefetchAhead;
  if (ahead < ids.size()) tracker.Prefetch(ids[ahead]);
}

}  // namespace

int main(int argc, char** argv) {
  const int tickets = argc > 1 ? std::atoi(argv[1]) : 1000000;
  Instant now = date::sys_days{date::year{2026} / 11 / 26} + std::chrono::hours{12};
  ConfigResult config = ParseConfig("", "bench.yml");
  Tracker tracker(std::move(config.config->rules), now);
  std::vector<Transition> transitions;
  const char* zones[] = {"Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"};
  for (int p = 0; p < 4; ++p) {
    tracker.SetPartner({"p" + std::to_string(p), "", now - std::chrono::hours{24 * 400},
                        date::locate_zone(zones[p]), "default", "", CreditKind::kQuota},
                       transitions);
  }
  tracker.AddRelease({"backup", "24.1", now - std::chrono::hours{24 * 90}}, transitions);
  tracker.AddRelease({"backup", "25.1", now + std::chrono::hours{24 * 20}}, transitions);
  const char* severities[] = {"A", "B", "C", "D"};

  std::vector<std::string> ids;
  ids.reserve(static_cast<size_t>(tickets));
  for (int i = 0; i < tickets; ++i) ids.push_back("TCK-" + std::to_string(1000000 + i));

  long before = ResidentBytes();
  auto start = std::chrono::steady_clock::now();
  int64_t sequence = 0;
  size_t opened_transitions = 0;
  for (int i = 0; i < tickets; ++i) {
    Ahead(tracker, ids, i);
    TicketEvent e;
    e.at = now - slamon::Seconds{(static_cast<int64_t>(i) * 2591) % (30 * 86400)};
    e.kind = EventKind::kOpened;
    e.sequence = ++sequence;
    e.partner = std::string("p").append(std::to_string(i % 4));
    e.severity = severities[(i / 4) % 4];
    e.product = "backup";
    e.version = "24.1";
    tracker.Apply(ids[static_cast<size_t>(i)], std::move(e), transitions);
    opened_transitions += transitions.size();
    transitions.clear();
  }
  double opened_s = SecondsOf(std::chrono::steady_clock::now() - start);
  long after = ResidentBytes();

  start = std::chrono::steady_clock::now();
  size_t responded_transitions = 0;
  for (int i = 0; i < tickets; ++i) {
    Ahead(tracker, ids, i);
    TicketEvent e;
    e.at = now;
    e.kind = EventKind::kResponded;
    e.sequence = ++sequence;
    tracker.Apply(ids[static_cast<size_t>(i)], std::move(e), transitions);
    responded_transitions += transitions.size();
    transitions.clear();
  }
  double responded_s = SecondsOf(std::chrono::steady_clock::now() - start);

  start = std::chrono::steady_clock::now();
  size_t fired = 0;
  for (int minute = 1; minute <= 2 * 24 * 60; ++minute) {
    tracker.Advance(now + std::chrono::minutes{minute}, transitions);
    fired += transitions.size();
    transitions.clear();
  }
  double advance_s = SecondsOf(std::chrono::steady_clock::now() - start);
  SlaFigures figures = tracker.Snapshot();

  std::printf("tickets              %d open (%lld tracked, %zu timers)\n", tickets,
              static_cast<long long>(figures.tracked_tickets), figures.timers);
  std::printf("opened               %.0f events/s (%.2f us/event), %zu transitions\n",
              tickets / opened_s, opened_s * 1e6 / tickets, opened_transitions);
  std::printf("responded            %.0f events/s (%.2f us/event), %zu transitions\n",
              tickets / responded_s, responded_s * 1e6 / tickets, responded_transitions);
  std::printf("advance 2 days       %.2f s, %zu transitions\n", advance_s, fired);
  std::printf("memory               %.0f bytes per open ticket (RSS growth %.1f MiB)\n",
              static_cast<double>(after - before) / tickets,
              (after - before) / 1048576.0);
  auto snapshot_start = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) figures = tracker.Snapshot();
  std::printf("snapshot             %.1f us\n",
              SecondsOf(std::chrono::steady_clock::now() - snapshot_start) * 1e3);
  return 0;
}
