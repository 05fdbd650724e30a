// scrape_bench: what a scrape of /metrics costs at a million open tickets over
// 1,000 partners, and what applying events costs with and without the
// per-batch publish the scrape-time collection replaced.
//
//   ./build/tests/bench/scrape_bench [tickets] [partners] [runs]
//        (defaults 1000000, 1000, 7)
//
// Tickets: `partners` partners (zones in turn), severities A-D in turn, the
// built-in policy, opened over the last 23 days; every other ticket is then
// answered (a `responded` event), so the clocks are spread over running, at
// risk, breached and stopped. Every partner has breaches in every target and
// severity, so the breaches counter has its full 3 x 4 x partners series.
//
// Scrape (best and median of `runs`):
//   snapshot   Tracker::ScrapeSnapshot(): the event loop's share of a scrape,
//              the only time a scrape holds event application (FiguresOnLoop);
//              beside it Tracker::Snapshot() (string-keyed maps), which a
//              scrape took before
//   render     RenderMetrics of SlaMetrics and the daemon's registry: the
//              whole /metrics body, on the HTTP thread; beside it the same
//              through ReferenceSlaMetrics (tests/unit: the prometheus-cpp
//              families a scrape built before) on Snapshot()'s figures
//   gzip       the body compressed at zlib levels 1 and 6 (the HTTP server
//              compresses when the scraper accepts gzip, as Prometheus does)
//   scrape     ScrapeSnapshot through FiguresOnLoop from another thread, the
//              loop idle, and the render: what a scraper waits for, before
//              gzip and the network
// Events (best of `runs`): batches of `batch` events applied to the
// million-ticket tracker (2,000 batches: tickets in turn wait on the partner, then
// resume: each event pauses or resumes a clock), per event:
//   apply      Tracker::Apply alone, and with Tracker::Partners() per batch
//              (the monitor's hand-over to the alert book: the cost now)
//   + snapshot with Tracker::Snapshot() per batch as well: the lower bound of
//              the per-batch publish removed here (it also rebuilt the
//              registry's series from the snapshot)
// Plain std::chrono::steady_clock timing; not a ctest test.
#include <prometheus/registry.h>
#include <zlib.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "metrics/daemon_metrics.h"
#include "metrics/exposition.h"
#include "metrics/sla_metrics.h"
#include "runtime/figures_on_loop.h"
#include "sla_metrics_reference.h"
#include "tracker/tracker.h"

namespace {

using namespace slamon;
using Steady = std::chrono::steady_clock;

double MillisecondsOf(Steady::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

struct Timing {
  double best = 0;
  double median = 0;
};

// `f` run `runs` times; milliseconds.
template <typename F>
Timing Time(int runs, F f) {
  std::vector<double> took;
  for (int i = 0; i < runs; ++i) {
    const auto start = Steady::now();
    f();
    took.push_back(MillisecondsOf(Steady::now() - start));
  }
  std::sort(took.begin(), took.end());
  return {took.front(), took[took.size() / 2]};
}

void Print(const char* what, Timing t) {
  std::printf("%-34s best %8.2f ms   median %8.2f ms\n", what, t.best, t.median);
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures as they come
  const int tickets = argc > 1 ? std::atoi(argv[1]) : 1000000;
  const int partners = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int runs = argc > 3 ? std::atoi(argv[3]) : 7;
  if (tickets < 1 || partners < 1 || runs < 1) {
    std::fprintf(stderr, "usage: scrape_bench [tickets] [partners] [runs]\n");
    return 2;
  }
  const Instant now = date::sys_days{date::year{2026} / 11 / 26} + std::chrono::hours{12};
  ConfigResult config = ParseConfig("", "bench.yml");
  Tracker tracker(std::move(config.config->rules), now);
  std::vector<Transition> transitions;
  const char* zones[] = {"Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"};
  std::vector<std::string> partner_ids;
  for (int p = 0; p < partners; ++p) {
    partner_ids.push_back("partner-" + std::to_string(10000 + p));
    tracker.SetPartner(
        {partner_ids.back(), "", now - std::chrono::hours{24 * 400},
         date::locate_zone(zones[p % 4]), "default", "", CreditKind::kQuota},
        transitions);
  }
  tracker.AddRelease({"backup", "24.1", now - std::chrono::hours{24 * 90}}, transitions);
  const char* severities[] = {"A", "B", "C", "D"};

  std::vector<std::string> ids;
  ids.reserve(static_cast<size_t>(tickets));
  for (int i = 0; i < tickets; ++i) ids.push_back("TCK-" + std::to_string(1000000 + i));
  int64_t sequence = 0;
  const auto load_start = Steady::now();
  for (int i = 0; i < tickets; ++i) {
    TicketEvent e;
    e.at = now - slamon::Seconds{(static_cast<int64_t>(i) * 2591) % (23 * 86400)};
    e.kind = EventKind::kOpened;
    e.sequence = ++sequence;
    e.partner = partner_ids[static_cast<size_t>(i % partners)];
    e.severity = severities[(i / partners) % 4];
    e.product = "backup";
    e.version = "24.1";
    tracker.Apply(ids[static_cast<size_t>(i)], std::move(e), transitions);
    transitions.clear();
  }
  for (int i = 0; i < tickets; i += 2) {
    TicketEvent e;
    e.at = now;
    e.kind = EventKind::kResponded;
    e.sequence = ++sequence;
    tracker.Apply(ids[static_cast<size_t>(i)], std::move(e), transitions);
    transitions.clear();
  }
  const double load_s = MillisecondsOf(Steady::now() - load_start) / 1000;

  // The daemon's metrics: the registry beside SlaMetrics, as /metrics has it.
  auto registry = std::make_shared<prometheus::Registry>();
  DaemonMetrics daemon(registry, {.build = {"bench", "bench"}, .receivers = {"am"}});
  const SlaMetricsOptions options{.severities = {"A", "B", "C", "D"}};
  ScrapeFigures flat = tracker.ScrapeSnapshot();
  SlaMetrics direct([&]() -> std::optional<ScrapeFigures> { return flat; }, options);
  SlaFigures figures = tracker.Snapshot();
  ReferenceSlaMetrics before([&]() -> std::optional<SlaFigures> { return figures; },
                             options);
  std::string body = RenderMetrics({registry.get(), &direct});
  const std::string body_before = RenderMetrics({registry.get(), &before});
  size_t series = 0;
  for (const auto& family : direct.Collect()) series += family.metric.size();
  std::printf("tickets %d open over %d partners, loaded in %.1f s\n",
              static_cast<int>(flat.open_tickets), partners, load_s);
  std::printf("/metrics: %zu SLA series, %zu bytes (%s the prometheus-cpp text)\n",
              series, body.size(), body == body_before ? "same as" : "DIFFERENT FROM");

  Print("snapshot, flat (loop thread)",
        Time(runs, [&] { flat = tracker.ScrapeSnapshot(); }));
  Print("snapshot, maps (before)", Time(runs, [&] { figures = tracker.Snapshot(); }));
  Print("render (whole body)", Time(runs, [&] {
          body = RenderMetrics({registry.get(), &direct});
        }));
  Print("render, prometheus-cpp (before)", Time(runs, [&] {
          (void)RenderMetrics({registry.get(), &before});
        }));
  for (int level : {1, 6}) {
    uLongf size = 0;
    std::vector<Bytef> out(compressBound(static_cast<uLong>(body.size())));
    const Timing t = Time(runs, [&] {
      size = static_cast<uLongf>(out.size());
      compress2(out.data(), &size, reinterpret_cast<const Bytef*>(body.data()),
                static_cast<uLong>(body.size()), level);
    });
    char what[64];
    std::snprintf(what, sizeof what, "gzip level %d (%lu bytes)", level,
                  static_cast<unsigned long>(size));
    Print(what, t);
  }

  {
    // The loop on a thread of its own, as in the daemon; scrapes from here.
    boost::asio::io_context loop(1);
    auto work = boost::asio::make_work_guard(loop);
    std::thread loop_thread([&] { loop.run(); });
    SlaMetrics posted(
        FiguresOnLoop(
            loop,
            [&]() -> std::optional<ScrapeFigures> { return tracker.ScrapeSnapshot(); },
            std::chrono::seconds{10}),
        options);
    Print("scrape via FiguresOnLoop", Time(runs, [&] {
            body = RenderMetrics({registry.get(), &posted});
          }));
    work.reset();
    loop_thread.join();
  }

  // Event application: waiting and resumed in turn, in batches.
  int pass = 0;
  for (int batch : {1, 10, 100}) {
    const int events = 2000 * batch;  // 2,000 batches a run
    auto apply = [&](bool partners_after, bool snapshot_after) {
      return Time(runs, [&] {
        const EventKind kind =
            pass++ % 2 == 0 ? EventKind::kWaiting : EventKind::kResumed;
        for (int i = 0; i < events; ++i) {
          TicketEvent e;
          e.at = now;
          e.kind = kind;
          e.sequence = ++sequence;
          tracker.Apply(ids[static_cast<size_t>((i * 7919) % tickets)], std::move(e),
                        transitions);
          transitions.clear();
          if ((i + 1) % batch != 0) continue;
          if (partners_after) (void)tracker.Partners();
          if (snapshot_after) figures = tracker.Snapshot();
        }
      });
    };
    const Timing alone = apply(false, false);
    const Timing with_partners = apply(true, false);
    const Timing with_snapshot = apply(true, true);
    std::printf(
        "batch %3d: apply %.2f us/event, + Partners %.2f us/event, + Snapshot %.2f "
        "us/event (best)\n",
        batch, alone.best * 1000 / events, with_partners.best * 1000 / events,
        with_snapshot.best * 1000 / events);
  }
  return 0;
}
