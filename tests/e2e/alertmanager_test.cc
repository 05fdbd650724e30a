// The alert path end to end: AlertBook -> AlertSender -> the real Alertmanager
// (Debian's prometheus-alertmanager, started by the test on a loopback port
// with a null receiver, no clustering, temporary storage) and webhook
// receivers inside the test. Alertmanager is read back with curl. Nothing
// leaves 127.0.0.1. Missing tools fail the test with the package to install.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "alerts/alert_book.h"
#include "alerts/alert_sender.h"
#include "http/http_client.h"

extern char** environ;

#include "../unit/test_process.h"

namespace slamon {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;
using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr const char* kAlertmanager = "/usr/bin/prometheus-alertmanager";

// ---- tools ------------------------------------------------------------------

using testing::CommandResult;
using testing::RequireTool;
using testing::RunCommand;
using testing::TempDir;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// A port nothing listens on right now.
std::uint16_t FreePort() {
  net::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

// A self-signed certificate for 127.0.0.1.
void MakeCertificate(const std::string& cert, const std::string& key) {
  RequireTool("openssl", "openssl");
  const CommandResult run = RunCommand(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " 2>&1");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
}

// ---- a real Alertmanager ------------------------------------------------------

class Alertmanager {
 public:
  // `cert`/`key`: serve https with them (Alertmanager's --web.config.file).
  Alertmanager(const TempDir& dir, std::string name, std::string cert = {},
               std::string key = {})
      : dir_(dir), name_(std::move(name)), port_(FreePort()), cert_(std::move(cert)) {
    if (std::system((std::string("test -x ") + kAlertmanager).c_str()) != 0) {
      FAIL(std::string(kAlertmanager) +
           " not found: install the Debian package prometheus-alertmanager "
           "(scripts/install-deps.sh)");
    }
    RequireTool("curl", "curl");
    WriteFile(dir_.File(name_ + ".yml"),
              "route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n");
    if (!cert_.empty()) {
      WriteFile(dir_.File(name_ + "-web.yml"), "tls_server_config:\n  cert_file: " +
                                                   cert_ + "\n  key_file: " + key + "\n");
    }
    Start();
  }
  ~Alertmanager() { Stop(); }
  Alertmanager(const Alertmanager&) = delete;
  Alertmanager& operator=(const Alertmanager&) = delete;

  void Start() {
    std::vector<std::string> args = {
        kAlertmanager,
        "--config.file=" + dir_.File(name_ + ".yml"),
        "--storage.path=" + dir_.File(name_ + "-data"),
        "--web.listen-address=127.0.0.1:" + std::to_string(port_),
        "--cluster.listen-address=",
        "--log.level=warn"};
    if (!cert_.empty())
      args.push_back("--web.config.file=" + dir_.File(name_ + "-web.yml"));
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = dir_.File(name_ + ".log");
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int spawned =
        posix_spawn(&pid_, kAlertmanager, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(spawned == 0);
    for (int i = 0; i < 100; ++i) {
      if (Curl("-o /dev/null -w '%{http_code}' " + Url() + "/-/ready").output == "200") {
        return;
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
    FAIL("Alertmanager not ready within 10 s; its log: " + dir_.File(name_ + ".log"));
  }

  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  std::string Url() const {
    return std::string(cert_.empty() ? "http" : "https") +
           "://127.0.0.1:" + std::to_string(port_);
  }

  // GET /api/v2/alerts: the active (not resolved) alerts.
  json Alerts() const {
    const CommandResult run = Curl("-f " + Url() + "/api/v2/alerts");
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    return json::parse(run.output);
  }

  // The active alerts named `alertname`.
  std::vector<json> Named(const std::string& alertname) const {
    std::vector<json> out;
    for (const json& alert : Alerts()) {
      if (alert.at("labels").at("alertname") == alertname) out.push_back(alert);
    }
    return out;
  }

 private:
  CommandResult Curl(const std::string& args) const {
    const std::string tls = cert_.empty() ? "" : "--cacert " + cert_ + " ";
    return RunCommand("curl -sS --max-time 5 " + tls + args + " 2>/dev/null");
  }

  const TempDir& dir_;
  std::string name_;
  std::uint16_t port_;
  std::string cert_;
  pid_t pid_ = -1;
};

// ---- a webhook receiver -------------------------------------------------------

struct Received {
  std::string target;
  std::string content_type;
  std::string body;
  Clock::time_point at;
};

// An HTTP listener on 127.0.0.1 with its own io_context thread. It answers
// each request with the next status of `statuses` (200 once they are used
// up), or never answers when `answer` is false (the connection stays open).
class TestReceiver {
 public:
  explicit TestReceiver(std::vector<int> statuses = {}, bool answer = true)
      : acceptor_(io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)),
        port_(acceptor_.local_endpoint().port()),
        statuses_(std::move(statuses)),
        answer_(answer) {
    Accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestReceiver() {
    io_.stop();
    thread_.join();
  }
  TestReceiver(const TestReceiver&) = delete;
  TestReceiver& operator=(const TestReceiver&) = delete;

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  std::vector<Received> Requests() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  struct Connection {
    explicit Connection(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
  };

  void Accept() {
    acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) {
      if (ec) return;
      auto connection = std::make_shared<Connection>(std::move(socket));
      http::async_read(connection->socket, connection->buffer, connection->request,
                       [this, connection](const error_code& error, std::size_t) {
                         if (!error) Answer(connection);
                       });
      Accept();
    });
  }

  void Answer(const std::shared_ptr<Connection>& connection) {
    int status = 200;
    {
      std::lock_guard lock(mutex_);
      const http::request<http::string_body>& request = connection->request;
      received_.push_back({std::string(request.target()),
                           std::string(request[http::field::content_type]),
                           request.body(), Clock::now()});
      if (next_status_ < statuses_.size()) status = statuses_[next_status_++];
    }
    if (!answer_) {
      held_.push_back(connection);
      return;
    }
    connection->response.result(static_cast<unsigned>(status));
    connection->response.version(11);
    connection->response.keep_alive(false);
    connection->response.body() = status / 100 == 2 ? "" : "boom\n";
    connection->response.prepare_payload();
    http::async_write(connection->socket, connection->response,
                      [connection](const error_code&, std::size_t) {
                        error_code ignored;
                        connection->socket.shutdown(tcp::socket::shutdown_both, ignored);
                      });
  }

  net::io_context io_;
  tcp::acceptor acceptor_;
  std::uint16_t port_;
  std::vector<int> statuses_;
  bool answer_;
  std::size_t next_status_ = 0;
  std::vector<std::shared_ptr<Connection>> held_;  // the io thread's only
  mutable std::mutex mutex_;
  std::vector<Received> received_;
  std::thread thread_;
};

// ---- the sender under test ------------------------------------------------------

// The sender's io_context, run on the test thread in slices.
struct Loop {
  net::io_context io;
  net::executor_work_guard<net::io_context::executor_type> work =
      net::make_work_guard(io);

  // Runs the io_context until `done` holds; false after `limit`.
  bool RunUntil(const std::function<bool()>& done, milliseconds limit) {
    const auto end = Clock::now() + limit;
    while (!done()) {
      if (Clock::now() >= end) return false;
      io.run_for(milliseconds(10));
    }
    return true;
  }
  void RunFor(milliseconds length) {
    const auto end = Clock::now() + length;
    while (Clock::now() < end) io.run_for(milliseconds(10));
  }
};

// A sender on `loop`, posting with the daemon's HttpPoster (https verified
// against `ca_file`, else the system's trust store), whose reports of what
// became of the alerts (all but kQueued) land in `reports`; started.
std::unique_ptr<AlertSender> MakeSender(Loop& loop, AlertSenderOptions options,
                                        std::vector<DeliveryReport>& reports,
                                        std::string ca_file = "") {
  options.on_report = [&reports](const DeliveryReport& report) {
    if (report.outcome != DeliveryOutcome::kQueued) reports.push_back(report);
  };
  auto sender = std::make_unique<AlertSender>(
      loop.io, std::move(options),
      std::make_shared<HttpPoster>(loop.io, std::move(ca_file)));
  const Status started = sender->Start();
  INFO(started.message());
  REQUIRE(started.ok());
  return sender;
}

uint64_t Sent(const AlertSender& sender, std::size_t destination) {
  return sender.stats().at(destination).sent;
}

Instant Now() { return std::chrono::floor<Seconds>(std::chrono::system_clock::now()); }

Transition Make(TransitionKind kind, AlertState state, Instant deadline, Instant at) {
  return {kind, state, "T-100", "acme", "A", TargetName::kResponse, deadline, at};
}

AlertBookOptions BookOptions() {
  AlertBookOptions options;
  options.runbook_url = "https://runbooks.example/slamon/{{alertname}}";
  return options;
}

// A firing SlaBreached alert for `ticket`, as the book renders it now.
std::vector<Alert> Breach(const std::string& ticket) {
  AlertBook book(BookOptions());
  const Instant now = Now();
  book.Apply({{{TransitionKind::kStarted, AlertState::kBreached, ticket, "acme", "B",
                TargetName::kResolution, now - Seconds(60), now}}});
  return book.Due(now);
}

// ---- tests ------------------------------------------------------------------

TEST_CASE("at risk, breached, answered: every Alertmanager and the webhook follow",
          "[e2e][alertmanager]") {
  TempDir dir;
  Alertmanager first(dir, "am1");
  Alertmanager second(dir, "am2");
  TestReceiver hook;
  Loop loop;
  std::vector<DeliveryReport> reports;
  AlertSenderOptions options;
  options.alertmanagers = {first.Url(), second.Url() + "/"};
  options.webhooks = {hook.Url("/hook")};
  auto sender = MakeSender(loop, options, reports);
  CHECK(sender->receivers() ==
        std::vector<std::string>{first.Url(), second.Url(), hook.Url("")});

  AlertBook book(BookOptions());
  auto deliver = [&](Instant now, uint64_t expected_each) {
    sender->Send(book.Due(now));
    REQUIRE(loop.RunUntil(
        [&] {
          return Sent(*sender, 0) == expected_each && Sent(*sender, 1) == expected_each &&
                 Sent(*sender, 2) == expected_each;
        },
        milliseconds(10000)));
  };

  const Instant t0 = Now();
  const Instant deadline = t0 + Seconds(3);
  book.Apply({{Make(TransitionKind::kStarted, AlertState::kAtRisk, deadline, t0)}});
  deliver(t0, 1);
  for (const Alertmanager* am : {&first, &second}) {
    const std::vector<json> at_risk = am->Named("SlaAtRisk");
    REQUIRE(at_risk.size() == 1);
    CHECK(at_risk[0].at("labels") == json{{"alertname", "SlaAtRisk"},
                                          {"severity", "warning"},
                                          {"ticket", "T-100"},
                                          {"partner", "acme"},
                                          {"target", "response"},
                                          {"ticket_severity", "A"}});
    CHECK(at_risk[0].at("status").at("state") == "active");
  }

  // The deadline passes (on the wall clock: Alertmanager compares endsAt with
  // its own time).
  REQUIRE(loop.RunUntil([&] { return Now() >= deadline; }, milliseconds(5000)));
  book.Apply(
      {{Make(TransitionKind::kEnded, AlertState::kAtRisk, deadline, deadline),
        Make(TransitionKind::kStarted, AlertState::kBreached, deadline, deadline)}});
  deliver(deadline, 3);  // resolved SlaAtRisk + firing SlaBreached (2 for the AMs)
  for (const Alertmanager* am : {&first, &second}) {
    CHECK(am->Named("SlaAtRisk").empty());
    const std::vector<json> breached = am->Named("SlaBreached");
    REQUIRE(breached.size() == 1);
    const json& alert = breached[0];
    const Labels labels = {{"alertname", "SlaBreached"}, {"severity", "critical"},
                           {"ticket", "T-100"},          {"partner", "acme"},
                           {"target", "response"},       {"ticket_severity", "A"}};
    CHECK(alert.at("labels") == json(labels));
    CHECK(alert.at("fingerprint") == FingerprintHex(labels));
    CHECK(alert.at("annotations").at("deadline") == FormatInstant(deadline));
    CHECK(alert.at("annotations").at("runbook_url") ==
          "https://runbooks.example/slamon/SlaBreached");
    CHECK(alert.at("annotations").at("summary") ==
          "Ticket T-100 missed its response target");
    CHECK(alert.at("status").at("state") == "active");
  }

  // A `responded` event stops the clock: the breach is resolved.
  const Instant answered = Now();
  book.Apply({{Make(TransitionKind::kEnded, AlertState::kBreached, deadline, answered)}});
  deliver(answered, 4);
  CHECK(first.Alerts().empty());
  CHECK(second.Alerts().empty());

  // The webhook saw the same story, in version-4 groups of one alertname.
  const std::vector<Received> requests = hook.Requests();
  REQUIRE(requests.size() == 4);
  std::vector<std::string> seen;
  for (const Received& request : requests) {
    const json body = json::parse(request.body);
    CHECK(body.at("version") == "4");
    for (const json& alert : body.at("alerts")) {
      seen.push_back(alert.at("labels").at("alertname").get<std::string>() + ":" +
                     alert.at("status").get<std::string>());
    }
  }
  CHECK(seen == std::vector<std::string>{"SlaAtRisk:firing", "SlaAtRisk:resolved",
                                         "SlaBreached:firing", "SlaBreached:resolved"});
  for (const DeliveryReport& report : reports) {
    CHECK(report.outcome == DeliveryOutcome::kSent);
  }
}

TEST_CASE("Alertmanager down: failures are counted and retried; back, the alert arrives",
          "[e2e][alertmanager]") {
  TempDir dir;
  Alertmanager am(dir, "am");
  Loop loop;
  std::vector<DeliveryReport> reports;
  AlertSenderOptions options;
  options.alertmanagers = {am.Url()};
  options.initial_backoff = milliseconds(100);
  options.max_backoff = milliseconds(400);
  options.max_retries = 1000;
  auto sender = MakeSender(loop, options, reports);

  am.Stop();
  sender->Send(Breach("T-200"));
  REQUIRE(loop.RunUntil([&] { return sender->stats()[0].requests >= 4; },
                        milliseconds(10000)));
  const ReceiverStats down = sender->stats()[0];
  CHECK(down.sent == 0);
  CHECK(down.failed == down.requests);  // one alert per failed request
  CHECK(down.queued == 1);
  CHECK(down.last_error == "connect: connection refused");
  REQUIRE_FALSE(reports.empty());
  CHECK(reports.front().outcome == DeliveryOutcome::kFailed);
  CHECK(reports.front().receiver == am.Url());

  am.Start();
  REQUIRE(loop.RunUntil([&] { return Sent(*sender, 0) == 1; }, milliseconds(10000)));
  const std::vector<json> breached = am.Named("SlaBreached");
  REQUIRE(breached.size() == 1);
  CHECK(breached[0].at("labels").at("ticket") == "T-200");
  CHECK(breached[0].at("labels").at("severity") == "critical");
  CHECK(sender->idle());
}

TEST_CASE("https: an Alertmanager behind TLS, verified against ca_file",
          "[e2e][alertmanager]") {
  TempDir dir;
  const std::string cert = dir.File("cert.pem");
  MakeCertificate(cert, dir.File("key.pem"));
  Alertmanager am(dir, "am-tls", cert, dir.File("key.pem"));
  REQUIRE(am.Url().rfind("https://", 0) == 0);
  Loop loop;
  std::vector<DeliveryReport> reports;

  AlertSenderOptions trusting;
  trusting.alertmanagers = {am.Url()};
  auto sender = MakeSender(loop, trusting, reports, cert);
  sender->Send(Breach("T-300"));
  REQUIRE(loop.RunUntil([&] { return sender->stats()[0].requests == 1; },
                        milliseconds(10000)));
  CHECK(sender->stats()[0].last_error.empty());
  CHECK(Sent(*sender, 0) == 1);
  REQUIRE(am.Named("SlaBreached").size() == 1);

  // The system's trust store does not know the self-signed certificate.
  AlertSenderOptions system_trust;
  system_trust.alertmanagers = {am.Url()};
  system_trust.initial_backoff = milliseconds(60000);
  auto doubting = MakeSender(loop, system_trust, reports);
  doubting->Send(Breach("T-301"));
  REQUIRE(loop.RunUntil([&] { return doubting->stats()[0].requests == 1; },
                        milliseconds(10000)));
  CHECK(Sent(*doubting, 0) == 0);
  CHECK_THAT(
      doubting->stats()[0].last_error,
      Catch::Contains("tls handshake") && Catch::Contains("certificate verify failed"));
}

TEST_CASE("a webhook gets Alertmanager's version-4 JSON", "[e2e][webhook]") {
  TestReceiver hook;
  Loop loop;
  std::vector<DeliveryReport> reports;
  AlertSenderOptions options;
  options.webhooks = {hook.Url("/slamon/hook?token=s3cret")};
  options.webhook = WebhookMessage{"slamon-pager", "http://slamon.example:9464"};
  auto sender = MakeSender(loop, options, reports);
  // Named by scheme://host:port: the path and query (a token) stay out.
  CHECK(sender->receivers() == std::vector<std::string>{hook.Url("")});

  AlertBook book(BookOptions());
  const Instant t0 = Now();
  book.Apply(
      {{Make(TransitionKind::kStarted, AlertState::kBreached, t0 - Seconds(3600), t0)}});
  const std::vector<Alert> alerts = book.Due(t0);
  sender->Send(alerts);
  REQUIRE(loop.RunUntil([&] { return Sent(*sender, 0) == 1; }, milliseconds(10000)));

  const std::vector<Received> requests = hook.Requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target == "/slamon/hook?token=s3cret");
  CHECK(requests[0].content_type == "application/json");
  const json body = json::parse(requests[0].body);
  CHECK(body.at("version") == "4");
  CHECK(body.at("groupKey") == "{}:{alertname=\"SlaBreached\"}");
  CHECK(body.at("truncatedAlerts") == 0);
  CHECK(body.at("status") == "firing");
  CHECK(body.at("receiver") == "slamon-pager");
  CHECK(body.at("externalURL") == "http://slamon.example:9464");
  CHECK(body.at("groupLabels") == json{{"alertname", "SlaBreached"}});
  CHECK(body.at("commonLabels") == json(alerts[0].labels));
  CHECK(body.at("commonAnnotations") == json(alerts[0].annotations));
  REQUIRE(body.at("alerts").size() == 1);
  const json& alert = body.at("alerts")[0];
  CHECK(alert.at("status") == "firing");
  CHECK(alert.at("labels") == json(alerts[0].labels));
  CHECK(alert.at("annotations").at("description") ==
        "Ticket T-100 of partner acme (severity A): the response target is overdue by 1h "
        "(deadline " +
            FormatInstant(t0 - Seconds(3600)) + ").");
  CHECK(alert.at("startsAt") == FormatInstant(t0 - Seconds(3600)));
  CHECK(alert.at("endsAt") == "0001-01-01T00:00:00Z");
  CHECK(alert.at("generatorURL") == "");
  CHECK(alert.at("fingerprint") == FingerprintHex(alerts[0].labels));
}

TEST_CASE("a destination that never answers times out and blocks nothing",
          "[e2e][webhook]") {
  TestReceiver silent({}, /*answer=*/false);
  TestReceiver prompt;
  Loop loop;
  std::vector<DeliveryReport> reports;
  AlertSenderOptions options;
  options.webhooks = {silent.Url("/"), prompt.Url("/")};
  options.request_timeout = milliseconds(1000);
  options.initial_backoff = milliseconds(60000);
  auto sender = MakeSender(loop, options, reports);

  // A timer on the same io_context keeps ticking meanwhile.
  int ticks = 0;
  net::steady_timer timer(loop.io);
  std::function<void()> tick = [&] {
    timer.expires_after(milliseconds(50));
    timer.async_wait([&](const error_code& ec) {
      if (ec) return;
      ++ticks;
      tick();
    });
  };
  tick();

  const auto start = Clock::now();
  sender->Send(Breach("T-400"));
  REQUIRE(loop.RunUntil([&] { return Sent(*sender, 1) == 1; }, milliseconds(5000)));
  CHECK(Clock::now() - start < milliseconds(900));  // not behind the silent one
  REQUIRE(
      loop.RunUntil([&] { return sender->stats()[0].failed == 1; }, milliseconds(5000)));
  const auto waited = Clock::now() - start;
  CHECK(waited >= milliseconds(950));
  CHECK(waited < milliseconds(3000));
  CHECK(ticks >= 10);  // about 20 at 50 ms; fewer only on a crowded machine
  CHECK(sender->stats()[0].last_error == "timeout after 1s");
  CHECK(silent.Requests().size() == 1);
  CHECK(sender->stats()[0].queued == 1);  // waiting for its retry
  timer.cancel();
}

TEST_CASE("only 2xx counts; retries back off; out of retries an alert is abandoned",
          "[e2e][webhook]") {
  TestReceiver flaky({500, 503, 500, 200});
  TestReceiver broken({500, 500, 500, 500, 500});
  Loop loop;
  std::vector<DeliveryReport> reports;
  AlertSenderOptions options;
  options.webhooks = {flaky.Url("/"), broken.Url("/")};
  options.initial_backoff = milliseconds(100);
  options.max_backoff = milliseconds(200);
  options.max_retries = 3;
  auto sender = MakeSender(loop, options, reports);
  sender->Send(Breach("T-500"));
  REQUIRE(loop.RunUntil([&] { return sender->idle(); }, milliseconds(10000)));

  const std::vector<ReceiverStats> stats = sender->stats();
  CHECK(stats[0].sent == 1);
  CHECK(stats[0].failed == 3);
  CHECK(stats[0].abandoned == 0);
  CHECK(stats[1].sent == 0);
  CHECK(stats[1].failed == 4);  // 1 try + 3 retries
  CHECK(stats[1].abandoned == 1);
  CHECK(stats[1].last_error == "HTTP 500: boom");

  // Waits of 100, 200, 200 ms between the attempts.
  const std::vector<Received> attempts = flaky.Requests();
  REQUIRE(attempts.size() == 4);
  CHECK(attempts[1].at - attempts[0].at >= milliseconds(100));
  CHECK(attempts[2].at - attempts[1].at >= milliseconds(200));
  CHECK(attempts[3].at - attempts[2].at >= milliseconds(200));

  std::vector<DeliveryOutcome> broken_outcomes;
  for (const DeliveryReport& report : reports) {
    if (report.receiver != broken.Url("")) continue;
    broken_outcomes.push_back(report.outcome);
    if (report.outcome == DeliveryOutcome::kFailed) CHECK(report.http_status == 500);
  }
  CHECK(broken_outcomes ==
        std::vector<DeliveryOutcome>{DeliveryOutcome::kFailed, DeliveryOutcome::kFailed,
                                     DeliveryOutcome::kFailed, DeliveryOutcome::kFailed,
                                     DeliveryOutcome::kAbandoned});
}

TEST_CASE("a full queue drops the oldest alerts and says so", "[e2e][webhook]") {
  TestReceiver silent({}, /*answer=*/false);
  Loop loop;
  std::vector<DeliveryReport> reports;
  AlertSenderOptions options;
  options.webhooks = {silent.Url("/")};
  options.queue_capacity = 2;
  auto sender = MakeSender(loop, options, reports);

  sender->Send(Breach("T-1"));  // in flight, not queued
  REQUIRE(
      loop.RunUntil([&] { return silent.Requests().size() == 1; }, milliseconds(5000)));
  std::vector<Alert> more = Breach("T-2");
  for (const char* ticket : {"T-3", "T-4"}) {
    const std::vector<Alert> one = Breach(ticket);
    more.insert(more.end(), one.begin(), one.end());
  }
  sender->Send(more);
  const ReceiverStats stats = sender->stats()[0];
  CHECK(stats.dropped == 1);
  CHECK(stats.queued == 2);
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].outcome == DeliveryOutcome::kDropped);
  CHECK(reports[0].alerts == 1);
  CHECK_FALSE(sender->idle());
}

TEST_CASE("Drain ends when the queues are empty, or at its limit", "[e2e][webhook]") {
  TestReceiver prompt;
  TestReceiver silent({}, /*answer=*/false);
  Loop loop;
  std::vector<DeliveryReport> reports;

  AlertSenderOptions quick;
  quick.webhooks = {prompt.Url("/")};
  auto drained = MakeSender(loop, quick, reports);
  drained->Send(Breach("T-600"));
  bool done = false;
  drained->Drain(milliseconds(5000), [&] { done = true; });
  REQUIRE(loop.RunUntil([&] { return done; }, milliseconds(5000)));
  CHECK(Sent(*drained, 0) == 1);

  AlertSenderOptions stuck;
  stuck.webhooks = {silent.Url("/")};
  auto cut = MakeSender(loop, stuck, reports);
  cut->Send(Breach("T-601"));
  done = false;
  const auto start = Clock::now();
  cut->Drain(milliseconds(300), [&] { done = true; });
  REQUIRE(loop.RunUntil([&] { return done; }, milliseconds(5000)));
  CHECK(Clock::now() - start >= milliseconds(300));
  CHECK(Sent(*cut, 0) == 0);
  loop.RunFor(milliseconds(50));
  CHECK(cut->stats()[0].requests == 0);  // stopped: the cancelled request is not counted
}

TEST_CASE("Start reports bad URLs and an unreadable ca_file", "[e2e][alert_sender]") {
  Loop loop;
  AlertSenderOptions bad_urls;
  bad_urls.alertmanagers = {"ftp://am:9093"};
  bad_urls.webhooks = {"http://user:pw@hooks/x"};
  AlertSender sender(loop.io, bad_urls, std::make_shared<HttpPoster>(loop.io, ""));
  // The URLs are not repeated: they may hold a secret.
  CHECK(sender.Start().message() ==
        "alertmanager: not an http(s) URL (expected it to start with http:// or "
        "https://); webhook: user info (user:password@) is not allowed in the URL");
  sender.Send(Breach("T-700"));  // not started: nothing happens
  CHECK(sender.idle());

  AlertSenderOptions bad_ca;
  bad_ca.alertmanagers = {"https://127.0.0.1:1"};
  AlertSender tls(loop.io, bad_ca,
                  std::make_shared<HttpPoster>(loop.io, "/nonexistent/ca.pem"));
  CHECK_THAT(tls.Start().message(),
             Catch::StartsWith("tls: ca_file /nonexistent/ca.pem: "));
}

}  // namespace
}  // namespace slamon
