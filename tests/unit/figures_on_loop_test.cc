// A scrape on one thread, the tracker on another: FiguresOnLoop hands the
// snapshot over through the event loop, SlaMetrics renders it on the scraping
// thread. Run under ThreadSanitizer by scripts/sanitize.sh (label `threads`).
#include "runtime/figures_on_loop.h"

#include <prometheus/registry.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>
#include <future>
#include <string>
#include <thread>

#include "config/config.h"
#include "metrics/exposition.h"
#include "metrics/sla_metrics.h"
#include "test_time.h"
#include "tracker/tracker.h"

namespace slamon {
namespace {

using testing::At;

Rules DefaultRules() {
  ConfigResult result = ParseConfig("", "test.yml");
  REQUIRE(result.config);
  return std::move(result.config->rules);
}

TicketEvent Opened(int64_t sequence) {
  TicketEvent e;
  e.at = At("2026-11-04T10:00:00Z");
  e.kind = EventKind::kOpened;
  e.sequence = sequence;
  // Moved in, not assigned from literals: GCC 12 at -O3 warns a false
  // -Wrestrict inside basic_string::assign here (docs/testing.md).
  e.partner = std::string("p1");
  e.severity = std::string("A");
  e.product = std::string("backup");
  e.version = std::string("24.1");
  return e;
}

// The event loop: its own thread, kept running until the rig ends.
struct Loop {
  boost::asio::io_context io{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
      boost::asio::make_work_guard(io);
  std::thread thread{[this] { io.run(); }};
  ~Loop() {
    work.reset();
    thread.join();
  }
};

TEST_CASE("scrapes on another thread see the loop's figures as of their turn") {
  Tracker tracker(DefaultRules(), At("2026-11-04T10:00:00Z"));
  Loop loop;
  SlaMetrics metrics(FiguresOnLoop(
      loop.io, [&]() -> std::optional<SlaFigures> { return tracker.Snapshot(); },
      std::chrono::seconds{10}));
  // 2,000 tickets opened one handler at a time on the loop thread, while this
  // thread scrapes: every scrape sees a whole number of handlers, never fewer
  // tickets than the one before, and the last sees them all.
  constexpr int kTickets = 2000;
  // Made here: Opened asserts (Catch), and Catch is not thread-safe.
  std::vector<TicketEvent> events;
  for (int i = 1; i <= kTickets; ++i) events.push_back(Opened(i));
  std::thread feeder([&] {
    for (int i = 1; i <= kTickets; ++i) {
      boost::asio::post(loop.io, [&tracker, &events, i] {
        std::vector<Transition> transitions;
        tracker.Apply("T-" + std::to_string(i), events[i - 1], transitions);
      });
    }
  });
  auto open = [&] {
    for (const auto& family : metrics.Collect()) {
      if (family.name == "slamon_open_tickets") return family.metric.at(0).gauge.value;
    }
    return -1.0;
  };
  double last = 0;
  for (int scrape = 0; scrape < 50; ++scrape) {
    const double seen = open();
    CHECK(seen >= last);
    CHECK(seen <= kTickets);
    last = seen;
  }
  feeder.join();
  CHECK(open() == kTickets);  // posted after the last ticket: it sees it
  // Rendering runs here too, with a registry beside it.
  auto registry = std::make_shared<prometheus::Registry>();
  const std::string text = RenderMetrics({registry.get(), &metrics});
  CHECK(text.find("slamon_open_tickets 2000\n") != std::string::npos);
}

TEST_CASE("a loop that does not answer in time leaves the last figures shown") {
  SlaFigures figures;  // the loop's state: read and written on its thread
  figures.open_tickets = 7;
  std::atomic<int> asked{0};
  Loop loop;
  SlaMetrics metrics(FiguresOnLoop(
      loop.io,
      [&]() -> std::optional<SlaFigures> {
        ++asked;
        return figures;
      },
      std::chrono::milliseconds{50}));
  CHECK(RenderMetrics(metrics).find("slamon_open_tickets 7\n") != std::string::npos);
  CHECK(asked == 1);

  // The loop is busy: the scrape gives up after 50 ms and shows 7 again.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  boost::asio::post(loop.io, [released] { released.wait(); });
  CHECK(RenderMetrics(metrics).find("slamon_open_tickets 7\n") != std::string::npos);
  release.set_value();
  // The late snapshot still runs on the loop, and is dropped.
  boost::asio::post(loop.io, [&] { figures.open_tickets = 9; });
  CHECK(RenderMetrics(metrics).find("slamon_open_tickets 9\n") != std::string::npos);
}

TEST_CASE("a scrape on the loop's own thread takes the snapshot directly") {
  Loop loop;
  SlaMetrics metrics(FiguresOnLoop(
      loop.io,
      []() -> std::optional<SlaFigures> {
        SlaFigures f;
        f.timers = 3;
        return f;
      },
      std::chrono::seconds{10}));
  std::promise<std::string> rendered;
  // Posting and waiting from the loop itself would wait for itself.
  boost::asio::post(loop.io, [&] { rendered.set_value(RenderMetrics(metrics)); });
  auto answer = rendered.get_future();
  REQUIRE(answer.wait_for(std::chrono::seconds{5}) == std::future_status::ready);
  CHECK(answer.get().find("slamon_timers 3\n") != std::string::npos);
}

}  // namespace
}  // namespace slamon
