// AlertSender's queueing, retry, back-off, abandon and drain, against a fake
// Poster (http/poster.h) that answers when the test says so: no network. The
// end-to-end runs against a real Alertmanager are in tests/e2e.
#include "alerts/alert_sender.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/poster.h"
#include "test_time.h"

namespace slamon {
namespace {

namespace net = boost::asio;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// A Poster whose calls wait until the test answers them.
class FakePoster final : public Poster {
 public:
  struct Call : PostCall {
    PostRequest request;
    std::function<void(PostResult)> done;
    Clock::time_point at;
    bool cancelled = false;
    void Cancel() override {
      cancelled = true;
      Finish(PostResult::Failed("cancelled"));
    }
    void Finish(PostResult result) {
      auto callback = std::move(done);
      done = nullptr;
      if (callback) callback(std::move(result));
    }
    bool open() const { return done != nullptr; }
  };

  explicit FakePoster(net::io_context& io) : io_(io) {}

  Status PrepareTls() override {
    ++tls_prepared;
    return tls_error.empty() ? Status::Ok() : Status::Error(tls_error);
  }

  std::shared_ptr<PostCall> Post(PostRequest request,
                                 std::function<void(PostResult)> done) override {
    auto call = std::make_shared<Call>();
    call->request = std::move(request);
    call->done = std::move(done);
    call->at = Clock::now();
    calls.push_back(call);
    if (auto_status != 0) Answer(*call, auto_status);
    return call;
  }

  // Answers `call` from the event loop, as a real client does.
  void Answer(Call& call, int status, milliseconds took = milliseconds(7)) {
    PostResult result;
    result.status = status;
    result.elapsed = took;
    net::post(io_, [&call, result] { call.Finish(result); });
  }

  std::vector<std::shared_ptr<Call>> calls;
  int auto_status = 0;  // answer every call with this status at once; 0: wait
  int tls_prepared = 0;
  std::string tls_error;  // "" : PrepareTls succeeds

 private:
  net::io_context& io_;
};

struct Fixture {
  net::io_context io;
  std::shared_ptr<FakePoster> poster = std::make_shared<FakePoster>(io);
  std::vector<DeliveryReport> reports;

  std::unique_ptr<AlertSender> Sender(AlertSenderOptions options) {
    options.on_report = [this](const DeliveryReport& r) { reports.push_back(r); };
    auto sender = std::make_unique<AlertSender>(io, std::move(options), poster);
    REQUIRE(sender->Start().ok());
    return sender;
  }

  // Runs the loop until `done` or 2 s.
  bool RunUntil(const std::function<bool()>& done) {
    const auto end = Clock::now() + milliseconds(2000);
    while (!done() && Clock::now() < end) {
      io.restart();
      io.run_for(milliseconds(1));
    }
    return done();
  }

  std::size_t Count(DeliveryOutcome outcome) const {
    std::size_t alerts = 0;
    for (const auto& r : reports)
      if (r.outcome == outcome) alerts += r.alerts;
    return alerts;
  }
};

Alert MakeAlert(const std::string& ticket) {
  Alert alert;
  alert.labels = {
      {"alertname", "SlaBreached"}, {"severity", "critical"}, {"ticket", ticket}};
  alert.starts_at = testing::At("2026-11-04T10:00:00Z");
  alert.ends_at = testing::At("2026-11-04T10:04:00Z");
  return alert;
}

AlertSenderOptions OneAlertmanager() {
  AlertSenderOptions options;
  options.alertmanagers = {{"http://am:9093"}};
  options.initial_backoff = milliseconds(20);
  options.max_backoff = milliseconds(40);
  return options;
}

TEST_CASE("A 2xx answer: queued, then sent, with the request's latency") {
  Fixture f;
  auto sender = f.Sender(OneAlertmanager());
  sender->Send(std::vector<Alert>{MakeAlert("T-1"), MakeAlert("T-2")});
  REQUIRE(f.poster->calls.size() == 1);  // one request for both
  CHECK(f.poster->calls[0]->request.url.target == "/api/v2/alerts");
  REQUIRE(f.reports.size() == 1);
  CHECK(f.reports[0].outcome == DeliveryOutcome::kQueued);
  CHECK(f.reports[0].alerts == 2);
  CHECK(f.reports[0].queued == 0);  // both taken into the request at once
  CHECK_FALSE(sender->idle());

  f.poster->Answer(*f.poster->calls[0], 200, milliseconds(7));
  REQUIRE(f.RunUntil([&] { return sender->idle(); }));
  REQUIRE(f.reports.size() == 2);
  CHECK(f.reports[1].outcome == DeliveryOutcome::kSent);
  CHECK(f.reports[1].alerts == 2);
  CHECK(f.reports[1].http_status == 200);
  CHECK(f.reports[1].latency == milliseconds(7));
  CHECK(sender->stats()[0].sent == 2);
  CHECK(sender->stats()[0].requests == 1);
}

TEST_CASE("A failing receiver: retried after a doubling back-off, then sent") {
  Fixture f;
  auto sender = f.Sender(OneAlertmanager());
  sender->Send(std::vector<Alert>{MakeAlert("T-1")});
  // Three failures in a row: waits of 20 ms, 40 ms, then 40 ms (the cap).
  for (std::size_t i = 0; i < 3; ++i) {
    REQUIRE(f.RunUntil([&] { return f.poster->calls.size() == i + 1; }));
    f.poster->Answer(*f.poster->calls[i], 503);
  }
  REQUIRE(f.RunUntil([&] { return f.poster->calls.size() == 4; }));
  f.poster->Answer(*f.poster->calls[3], 200);
  REQUIRE(f.RunUntil([&] { return sender->idle(); }));

  const auto& calls = f.poster->calls;
  const auto gap = [&](std::size_t i) { return calls[i]->at - calls[i - 1]->at; };
  CHECK(gap(1) >= milliseconds(20));
  CHECK(gap(2) >= milliseconds(40));
  CHECK(gap(3) >= milliseconds(40));
  CHECK(gap(3) < milliseconds(80));  // capped, not doubled again
  CHECK(f.Count(DeliveryOutcome::kFailed) == 3);
  CHECK(f.Count(DeliveryOutcome::kSent) == 1);
  const ReceiverStats stats = sender->stats()[0];
  CHECK(stats.failed == 3);
  CHECK(stats.sent == 1);
  CHECK(stats.last_error == "HTTP 503");
  for (const auto& r : f.reports) {
    if (r.outcome == DeliveryOutcome::kFailed) CHECK(r.error == "HTTP 503");
  }
}

TEST_CASE("An alert that failed max_retries + 1 times is abandoned") {
  Fixture f;
  AlertSenderOptions options = OneAlertmanager();
  options.max_retries = 1;
  options.initial_backoff = options.max_backoff = milliseconds(1);
  auto sender = f.Sender(options);
  f.poster->auto_status = 500;
  sender->Send(std::vector<Alert>{MakeAlert("T-1")});
  REQUIRE(f.RunUntil([&] { return sender->idle(); }));
  CHECK(f.poster->calls.size() == 2);  // the first try and one retry
  CHECK(f.Count(DeliveryOutcome::kFailed) == 2);
  CHECK(f.Count(DeliveryOutcome::kAbandoned) == 1);
  CHECK(sender->stats()[0].abandoned == 1);
}

TEST_CASE("A full queue drops the oldest waiting alerts, and says how many wait") {
  Fixture f;
  AlertSenderOptions options = OneAlertmanager();
  options.queue_capacity = 2;
  options.max_batch = 1;
  auto sender = f.Sender(options);
  sender->Send(std::vector<Alert>{MakeAlert("T-1")});  // in flight
  sender->Send(std::vector<Alert>{MakeAlert("T-2"), MakeAlert("T-3"), MakeAlert("T-4")});
  CHECK(f.Count(DeliveryOutcome::kDropped) == 1);  // T-2 made room
  CHECK(f.reports.back().queued == 2);
  CHECK(sender->stats()[0].queued == 2);

  f.poster->auto_status = 200;
  f.poster->Answer(*f.poster->calls[0], 200);
  REQUIRE(f.RunUntil([&] { return sender->idle(); }));
  REQUIRE(f.poster->calls.size() == 3);
  CHECK(f.poster->calls[1]->request.body.find("T-3") != std::string::npos);
  CHECK(f.poster->calls[2]->request.body.find("T-4") != std::string::npos);
  CHECK(f.reports.back().queued == 0);
}

TEST_CASE("Drain: done once idle, or at the limit with the request cancelled") {
  Fixture f;
  auto sender = f.Sender(OneAlertmanager());
  sender->Send(std::vector<Alert>{MakeAlert("T-1")});
  bool drained = false;
  sender->Drain(milliseconds(1000), [&] { drained = true; });
  f.poster->Answer(*f.poster->calls[0], 200);
  REQUIRE(f.RunUntil([&] { return drained; }));
  CHECK(f.Count(DeliveryOutcome::kSent) == 1);

  Fixture stuck;
  auto slow = stuck.Sender(OneAlertmanager());
  slow->Send(std::vector<Alert>{MakeAlert("T-2")});
  bool gave_up = false;
  const auto start = Clock::now();
  slow->Drain(milliseconds(30), [&] { gave_up = true; });
  REQUIRE(stuck.RunUntil([&] { return gave_up; }));
  CHECK(Clock::now() - start >= milliseconds(30));
  CHECK(stuck.poster->calls[0]->cancelled);
  CHECK(stuck.Count(DeliveryOutcome::kSent) == 0);
  slow->Send(std::vector<Alert>{MakeAlert("T-3")});  // stopped: nothing more
  CHECK(stuck.poster->calls.size() == 1);
}

TEST_CASE("Start readies TLS only for an https receiver, and reports its error") {
  Fixture plain;
  plain.Sender(OneAlertmanager());
  CHECK(plain.poster->tls_prepared == 0);

  Fixture tls;
  AlertSenderOptions options = OneAlertmanager();
  options.webhooks = {{"https://hooks.example/x", "chat"}};
  tls.Sender(options);
  CHECK(tls.poster->tls_prepared == 1);

  Fixture broken;
  broken.poster->tls_error = "tls: ca_file /nonexistent: no such file";
  AlertSender sender(broken.io, options, broken.poster);
  CHECK(sender.Start().message() == "tls: ca_file /nonexistent: no such file");
}

}  // namespace
}  // namespace slamon
