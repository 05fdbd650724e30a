// DatabaseLoop against an in-memory EventSource: retries keep what was asked,
// failures back off (connections briefly, queries exponentially), the load
// hands over a bounded number of batches, and Stop() is prompt.
#include "runtime/database_loop.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace slamon {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Scripted database. Tests set the fields under `mutex` (via Script) and read
// what happened under it.
class FakeSource final : public EventSource {
 public:
  struct Script {
    int connect_failures = 0;                    // Connect fails this many times
    int read_failures = 0;                       // ReadNewEvents fails this many times...
    bool read_failure_drops_connection = false;  // ...losing the connection
    bool history_lost = false;                   // the next read finds history lost
    int ticket_failures = 0;  // LoadTicket fails (losing the connection)
    int load_batches = 1;     // LoadAllEvents delivers this many batches
  };

  Status Connect() override {
    std::lock_guard lock(mutex);
    connect_times.push_back(Clock::now());
    if (script.connect_failures > 0) {
      --script.connect_failures;
      connected = false;
      return Status::Error("connection refused");
    }
    connected = true;
    return Status::Ok();
  }
  bool Connected() const override {
    std::lock_guard lock(mutex);
    return connected;
  }
  Status LoadReference(ReferenceData*) override {
    std::lock_guard lock(mutex);
    ++reference_loads;
    return Status::Ok();
  }
  Status LoadAllEvents(Instant, size_t,
                       const std::function<void(EventBatch&&)>& sink) override {
    int batches = 0;
    {
      std::lock_guard lock(mutex);
      batches = script.load_batches;
    }
    try {
      for (int i = 0; i < batches; ++i) {
        EventBatch batch;
        batch.events.push_back(EventRow{"T-" + std::to_string(i), TicketEvent{}});
        sink(std::move(batch));
      }
    } catch (const std::exception& e) {
      return Status::Error(e.what());
    }
    return Status::Ok();
  }
  Status ReadNewEvents(Instant, const std::function<void(EventBatch&&)>&) override {
    std::lock_guard lock(mutex);
    read_times.push_back(Clock::now());
    if (script.history_lost) {
      return Status::DataLost("the database lost 3 of the 40 events");
    }
    if (script.read_failures > 0) {
      --script.read_failures;
      if (script.read_failure_drops_connection) connected = false;
      return Status::Error("permission denied for table ticket_events");
    }
    return Status::Ok();
  }
  Status LoadTicket(const std::string& ticket, Instant, EventBatch* out) override {
    std::lock_guard lock(mutex);
    if (script.ticket_failures > 0) {
      --script.ticket_failures;
      connected = false;
      return Status::Error("server closed the connection unexpectedly");
    }
    out->events.push_back(EventRow{ticket, TicketEvent{}});
    return Status::Ok();
  }
  Status Wait(milliseconds timeout, Notifications*) override {
    std::this_thread::sleep_for(std::min(timeout, milliseconds{5}));
    return Status::Ok();
  }

  mutable std::mutex mutex;
  Script script;
  bool connected = false;
  int reference_loads = 0;
  std::vector<Clock::time_point> connect_times;
  std::vector<Clock::time_point> read_times;
};

// What the loop reported, collected from its thread.
struct Reports {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> statuses;  // "up" or the error
  std::vector<std::string> tickets;
  std::vector<std::string> lost;  // on_history_lost's reasons
  int batches = 0;
  int references = 0;
  bool loaded = false;

  DatabaseCallbacks Callbacks() {
    DatabaseCallbacks c;
    c.on_status = [this](bool up, const std::string& why) {
      Record([&] { statuses.push_back(up ? "up" : why); });
    };
    c.on_reference = [this](ReferenceData&&) { Record([&] { ++references; }); };
    c.on_events = [this](EventBatch&&) { Record([&] { ++batches; }); };
    c.on_loaded = [this] { Record([&] { loaded = true; }); };
    c.on_ticket = [this](const std::string& ticket, EventBatch&&) {
      Record([&] { tickets.push_back(ticket); });
    };
    c.on_poll = [](std::chrono::duration<double>, bool) {};
    c.on_history_lost = [this](const std::string& why) {
      Record([&] { lost.push_back(why); });
    };
    return c;
  }
  template <typename F>
  void Record(F f) {
    {
      std::lock_guard lock(mutex);
      f();
    }
    changed.notify_all();
  }
  // Waits up to `limit` for `done` (called under the mutex).
  template <typename F>
  bool WaitFor(F done, milliseconds limit = milliseconds{3000}) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, limit, done);
  }
};

DatabaseLoopOptions Fast() {
  DatabaseLoopOptions o;
  o.poll_interval = milliseconds{20};
  o.initial_backoff = milliseconds{5};
  o.max_backoff = milliseconds{40};
  o.max_reconnect_backoff = milliseconds{20};
  o.wait_slice = milliseconds{5};
  return o;
}

// Acknowledges every batch as the event loop would.
void AckAll(DatabaseLoop& loop, Reports& reports, int& acked) {
  std::lock_guard lock(reports.mutex);
  for (; acked < reports.batches; ++acked) loop.BatchApplied();
}

TEST_CASE("a reopened ticket whose reload fails is reloaded in the next session") {
  FakeSource source;
  Reports reports;
  DatabaseLoop loop(source, Fast(), reports.Callbacks());
  loop.Start();
  REQUIRE(reports.WaitFor([&] { return reports.loaded; }));
  loop.BatchApplied();
  {
    std::lock_guard lock(source.mutex);
    source.script.ticket_failures = 1;  // the first reload loses the connection
  }
  loop.RequestTicket("B-9");
  loop.RequestTicket("B-10");
  REQUIRE(reports.WaitFor([&] { return reports.tickets.size() == 2; }));
  loop.Stop();
  CHECK(reports.tickets == std::vector<std::string>{"B-9", "B-10"});
}

TEST_CASE("a requested reference reload that fails is done in the next session") {
  FakeSource source;
  Reports reports;
  DatabaseLoop loop(source, Fast(), reports.Callbacks());
  loop.Start();
  REQUIRE(reports.WaitFor([&] { return reports.loaded; }));
  loop.BatchApplied();
  int before = 0;
  {
    std::lock_guard lock(reports.mutex);
    before = reports.references;
  }
  {
    std::lock_guard lock(source.mutex);
    source.script.ticket_failures = 1;
  }
  loop.RequestTicket("B-9");
  loop.RequestReference();
  CHECK(reports.WaitFor(
      [&] { return reports.references > before && !reports.tickets.empty(); }));
  loop.Stop();
}

TEST_CASE(
    "failing queries back off exponentially up to the cap, reported as one failure") {
  FakeSource source;
  source.script.read_failures = 1000;  // a revoked grant: the connection stays up
  Reports reports;
  DatabaseLoopOptions options = Fast();
  options.initial_backoff = milliseconds{10};
  options.max_backoff = milliseconds{80};
  DatabaseLoop loop(source, options, reports.Callbacks());
  loop.Start();
  auto reads = [&] {
    std::lock_guard lock(source.mutex);
    return source.read_times.size();
  };
  for (int i = 0; i < 400 && reads() < 8; ++i)
    std::this_thread::sleep_for(milliseconds{10});
  loop.Stop();
  std::vector<Clock::time_point> times;
  {
    std::lock_guard lock(source.mutex);
    times = source.read_times;
  }
  REQUIRE(times.size() >= 8);
  const milliseconds expected[] = {milliseconds{10}, milliseconds{20}, milliseconds{40},
                                   milliseconds{80}, milliseconds{80}, milliseconds{80},
                                   milliseconds{80}};
  for (size_t i = 0; i < 7; ++i) {
    INFO("gap " << i);
    CHECK(times[i + 1] - times[i] >= expected[i]);
  }
  CHECK(times[7] - times[6] < milliseconds{500});  // capped: not 640 ms
  // "up" once (the connection worked before the first read failed), then the
  // same failure: no up/down flapping on every retry.
  std::lock_guard lock(reports.mutex);
  REQUIRE(reports.statuses.size() >= 2);
  CHECK(reports.statuses.front() == "up");
  for (size_t i = 1; i < reports.statuses.size(); ++i)
    CHECK(reports.statuses[i] == "permission denied for table ticket_events");
}

TEST_CASE("reconnects after a long outage stay short, then the database is up at once") {
  FakeSource source;
  source.script.connect_failures = 12;
  Reports reports;
  DatabaseLoopOptions options = Fast();
  options.initial_backoff = milliseconds{10};
  options.max_backoff = milliseconds{5000};  // for queries, not connections
  options.max_reconnect_backoff = milliseconds{40};
  DatabaseLoop loop(source, options, reports.Callbacks());
  auto started = Clock::now();
  loop.Start();
  REQUIRE(reports.WaitFor([&] { return reports.loaded; }));
  loop.Stop();
  // 12 failures: 10 + 20 + 40 x 10 = 430 ms of back-off, not seconds.
  CHECK(Clock::now() - started < milliseconds{2000});
  std::lock_guard lock(source.mutex);
  REQUIRE(source.connect_times.size() >= 13);
  for (size_t i = 3; i < 12; ++i) {
    INFO("gap " << i);
    CHECK(source.connect_times[i + 1] - source.connect_times[i] >= milliseconds{40});
  }
}

TEST_CASE("a lost connection during reads reconnects on the short back-off") {
  FakeSource source;
  source.script.read_failures = 6;
  source.script.read_failure_drops_connection = true;
  Reports reports;
  DatabaseLoopOptions options = Fast();
  options.initial_backoff = milliseconds{10};
  options.max_backoff = milliseconds{10000};
  options.max_reconnect_backoff = milliseconds{20};
  DatabaseLoop loop(source, options, reports.Callbacks());
  loop.Start();
  auto started = Clock::now();
  // Six failed reads, then one that works: well under a query back-off.
  for (int i = 0; i < 300; ++i) {
    {
      std::lock_guard lock(source.mutex);
      if (source.read_times.size() >= 7) break;
    }
    std::this_thread::sleep_for(milliseconds{5});
  }
  loop.Stop();
  CHECK(Clock::now() - started < milliseconds{1500});
  std::lock_guard lock(source.mutex);
  CHECK(source.read_times.size() >= 7);
}

TEST_CASE("a source that lost delivered history stops the loop and says why, once") {
  // After a failover with asynchronous replication (EventStore's check):
  // retrying cannot take back what was applied, so the loop stops reading
  // and reports it instead of "database unavailable".
  FakeSource source;
  Reports reports;
  DatabaseLoop loop(source, Fast(), reports.Callbacks());
  loop.Start();
  REQUIRE(reports.WaitFor([&] { return reports.loaded; }));
  {
    std::lock_guard lock(source.mutex);
    source.script.history_lost = true;
  }
  REQUIRE(reports.WaitFor([&] { return !reports.lost.empty(); }));
  size_t reads = 0;
  {
    std::lock_guard lock(source.mutex);
    reads = source.read_times.size();
  }
  std::this_thread::sleep_for(milliseconds{100});  // five poll intervals
  {
    std::lock_guard lock(source.mutex);
    CHECK(source.read_times.size() == reads);  // no read after the report
  }
  loop.Stop();
  std::lock_guard lock(reports.mutex);
  CHECK(reports.lost == std::vector<std::string>{"the database lost 3 of the 40 events"});
  for (const auto& status : reports.statuses) CHECK(status == "up");
}

TEST_CASE("the load hands over a bounded number of batches and waits for the loop") {
  FakeSource source;
  source.script.load_batches = 50;
  Reports reports;
  DatabaseLoopOptions options = Fast();
  options.max_batches_in_flight = 3;
  DatabaseLoop loop(source, options, reports.Callbacks());
  loop.Start();
  REQUIRE(reports.WaitFor([&] { return reports.batches == 3; }));
  std::this_thread::sleep_for(milliseconds{100});
  {
    std::lock_guard lock(reports.mutex);
    CHECK(reports.batches == 3);  // blocked, not 50 posted at once
    CHECK_FALSE(reports.loaded);
  }
  int acked = 0;
  for (int i = 0; i < 500; ++i) {
    AckAll(loop, reports, acked);
    {
      std::lock_guard lock(reports.mutex);
      if (reports.loaded) break;
    }
    std::this_thread::sleep_for(milliseconds{2});
  }
  loop.Stop();
  std::lock_guard lock(reports.mutex);
  CHECK(reports.loaded);
  CHECK(reports.batches == 50);
}

TEST_CASE("Stop ends a load blocked on the hand-over") {
  FakeSource source;
  source.script.load_batches = 50;
  Reports reports;
  DatabaseLoopOptions options = Fast();
  options.max_batches_in_flight = 2;
  DatabaseLoop loop(source, options, reports.Callbacks());
  loop.Start();
  REQUIRE(reports.WaitFor([&] { return reports.batches == 2; }));
  auto started = Clock::now();
  loop.Stop();
  CHECK(Clock::now() - started < milliseconds{500});
  std::lock_guard lock(reports.mutex);
  CHECK_FALSE(reports.loaded);
}

TEST_CASE("Stop during a long back-off returns at once") {
  for (int round = 0; round < 20; ++round) {
    FakeSource source;
    source.script.connect_failures = 1000;
    Reports reports;
    DatabaseLoopOptions options = Fast();
    options.initial_backoff = milliseconds{10000};
    options.max_reconnect_backoff = milliseconds{10000};
    DatabaseLoop loop(source, options, reports.Callbacks());
    loop.Start();
    REQUIRE(reports.WaitFor([&] { return !reports.statuses.empty(); }));
    auto started = Clock::now();
    loop.Stop();
    INFO("round " << round);
    CHECK(Clock::now() - started < milliseconds{1000});
  }
}

}  // namespace
}  // namespace slamon
