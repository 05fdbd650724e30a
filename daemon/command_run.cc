// slamon run: the daemon. Reads top to bottom as the life of the process
// (docs/design.md §6): config, logging, HTTP up (not ready), database thread,
// full load, ready, incremental loop, drain on SIGTERM.
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "alerts/alert_sender.h"
#include "build_info.h"
#include "command_line.h"
#include "commands.h"
#include "config_file.h"
#include "exit_code.h"
#include "files/text_file.h"
#include "http/http_client.h"
#include "http/http_server.h"
#include "ingest/ingest_credentials.h"
#include "ingest/ingest_endpoint.h"
#include "ingest/ingest_writer.h"
#include "leader_loop.h"
#include "log_format.h"
#include "metrics/daemon_metrics.h"
#include "metrics/exposition.h"
#include "metrics/sla_metrics.h"
#include "runtime/database_loop.h"
#include "runtime/figures_on_loop.h"
#include "runtime/monitor.h"
#include "store/connection_string.h"
#include "store/event_store.h"

namespace slamon {
namespace {

constexpr const char* kUsage = R"(usage: slamon run --config FILE [--shard K/N]

Runs the daemon: reads the ticket database continuously, keeps every ticket's
SLA clocks, and serves Prometheus metrics on http.listen (/metrics,
/-/healthy, /-/ready; POST /api/v1/events when ingest.enabled). SIGHUP reloads policies and calendars from FILE (a bad
file keeps the running config); SIGTERM or SIGINT stops. Under systemd it
reports readiness, status and watchdog keep-alives (Type=notify).

--shard K/N watches only the partners of shard K of N (1 <= K <= N): each
partner, with its certifications and tickets, belongs to exactly one shard.
Replicas with the same --shard elect one leader among themselves.

Exit status 0 after a clean stop, 1 on a runtime failure (e.g. the listen
address is taken), 2 on a bad command line, 78 on a bad config.
)";

Instant WallNow() {
  return std::chrono::floor<Seconds>(std::chrono::system_clock::now());
}

std::vector<std::string> Severities(const Config& config) {
  std::vector<std::string> severities;
  for (const auto& [name, policy] : config.rules.policies) {
    for (const auto& [severity, targets] : policy.severities) {
      if (std::find(severities.begin(), severities.end(), severity) == severities.end()) {
        severities.push_back(severity);
      }
    }
  }
  return severities;
}

Moment Now() { return {WallNow(), std::chrono::steady_clock::now()}; }

// How long a scrape waits for the event loop's snapshot of the figures before
// it shows the previous one (runtime/figures_on_loop.h): the loop answers
// between two handlers, so this is only reached behind long load batches.
constexpr std::chrono::milliseconds kScrapeWait{1000};

// How often a replica asks whether it holds the leader lock, and the lease a
// confirmation gives (README "High availability and sharding").
constexpr std::chrono::milliseconds kLeaderCheckInterval{2000};
constexpr std::chrono::milliseconds kLeaderLease = 2 * kLeaderCheckInterval;

// The wiring: threads, sockets, timers and signals around the Monitor, which
// decides everything. Everything here runs on the event loop thread except
// the callbacks that post to it and the HTTP server, which runs on a thread
// of its own: a scrape builds, serializes and compresses /metrics there, and
// holds the event loop only for the copy of the tracker's figures
// (FiguresOnLoop); /-/ready reads an atomic flag.
class Daemon {
 public:
  Daemon(std::string config_path, Config config, Shard shard, boost::asio::io_context& io)
      : config_path_(std::move(config_path)),
        shard_(shard),
        io_(io),
        registry_(std::make_shared<prometheus::Registry>()),
        daemon_metrics_(registry_, {.build = {kVersion, kRevision}, .receivers = {}}),
        sla_metrics_(FiguresOnLoop(
                         io_,
                         [this]() -> std::optional<SlaFigures> {
                           if (!monitor_) return std::nullopt;
                           return monitor_->tracker().Snapshot();
                         },
                         kScrapeWait),
                     {.severities = Severities(config)}),
        database_(config.database),
        http_options_(config.http),
        alerting_(config.alerting),
        ingest_(config.ingest),
        config_(std::move(config)),
        wheel_timer_(io),
        housekeeping_(io),
        signals_(io, SIGTERM, SIGINT, SIGHUP) {}

  int Run() {
    // HTTP first, not ready yet.
    HttpServerOptions http;
    http.listen = http_options_.listen;
    http.max_connections = static_cast<std::size_t>(http_options_.max_connections);
    if (http_options_.tls)
      http.tls =
          HttpTlsOptions{http_options_.tls->cert_file, http_options_.tls->key_file};
    if (http_options_.basic_auth) {
      Result<std::string> password = ReadSecretFile(
          http_options_.basic_auth->password_file, "basic auth password file");
      if (!password) {
        spdlog::critical("http.basic_auth: {}", password.error());
        return kExitConfig;
      }
      http.basic_auth =
          HttpBasicAuthOptions{http_options_.basic_auth->username, *password};
    }
    server_ = std::make_unique<HttpServer>(http_io_, http);
    server_->Route("/metrics", [this](const HttpRequest&) {
      return HttpResponse{200,
                          std::string(kMetricsContentType),
                          RenderMetrics({registry_.get(), &sla_metrics_}),
                          {},
                          true};
    });
    server_->Route("/-/healthy", [](const HttpRequest&) {
      return HttpResponse{
          200, "text/plain; charset=utf-8", "slamon is healthy.\n", {}, false};
    });
    server_->Route("/-/ready", [this](const HttpRequest&) {
      if (ready_.load())
        return HttpResponse{
            200, "text/plain; charset=utf-8", "slamon is ready.\n", {}, false};
      return HttpResponse{503,
                          "text/plain; charset=utf-8",
                          "slamon is loading the ticket database.\n",
                          {},
                          false};
    });
    if (ingest_.enabled) {
      if (int exit = RouteIngest(); exit != kExitOk) return exit;
    }
    Status started = server_->Start();
    if (!started.ok()) {
      spdlog::critical("{}", started.message());
      return kExitFailure;
    }
    http_thread_ = std::thread([this] { http_io_.run(); });
    spdlog::info("serving metrics on {}{}", http_options_.tls ? "https://" : "http://",
                 http.listen);

    // Alerts: to every Alertmanager and webhook, sent only while leading.
    AlertSenderOptions alert_options;
    alert_options.alertmanagers = alerting_.alertmanagers;
    alert_options.webhooks = alerting_.webhooks;
    alert_options.on_report = [this](const DeliveryReport& report) {
      OnDelivery(report);
    };
    alert_sender_ = std::make_unique<AlertSender>(
        io_, alert_options, std::make_shared<HttpPoster>(io_, alerting_.ca_file));
    if (Status sender = alert_sender_->Start(); !sender.ok()) {
      spdlog::critical("alerting: {}", sender.message());
      return kExitConfig;
    }
    for (const auto& receiver : alert_sender_->receivers())
      daemon_metrics_.AddReceiver(receiver);

    // The database thread, and the leader election (started by the monitor
    // once the load is done).
    Result<std::string> connection = ConnectionString(database_);
    if (!connection) {
      spdlog::critical("{}", connection.error());
      return kExitConfig;
    }
    DatabaseLoopOptions options{.poll_interval =
                                    std::chrono::duration_cast<std::chrono::milliseconds>(
                                        database_.poll_interval)};
    event_store_ = std::make_unique<EventStore>(*connection, shard_);
    database_loop_ = std::make_unique<DatabaseLoop>(*event_store_, options, Callbacks());
    leader_loop_ = std::make_unique<LeaderLoop>(
        *connection, LeaderLockKey(shard_), kLeaderCheckInterval,
        [this](const LeaderCheck& check) {
          boost::asio::post(
              io_, [this, check] { Do([&] { monitor_->OnLeaderCheck(check, Now()); }); });
        });
    MonitorSeams seams{.database = database_loop_.get(),
                       .alerts = alert_sender_.get(),
                       .leadership = leader_loop_.get(),
                       .daemon_metrics = &daemon_metrics_,
                       .on_ready = [this] {
                         ready_.store(true);
                         // The load's batches and strings are freed: give
                         // the arenas glibc keeps back to the system, so
                         // the memory that stays is what the tracker holds.
                         malloc_trim(0);
                         sd_notify(0, "READY=1\nSTATUS=ready");
                       }};
    monitor_ = std::make_unique<Monitor>(
        std::move(config_), seams, MonitorOptions{.leader_lease = kLeaderLease}, Now());
    database_loop_->Start();
    sd_notify(0, "STATUS=connecting to the database");

    WaitForSignals();
    Housekeeping();
    Do([] {});
    io_.run();
    return kExitOk;
  }

  ~Daemon() {
    // The server was stopped on its thread (SIGTERM); whatever is left ends here.
    http_io_.stop();
    if (http_thread_.joinable()) http_thread_.join();
  }

 private:
  // Runs `f` on the monitor, then re-arms the wheel timer for what it changed.
  template <typename F>
  void Do(F f) {
    f();
    ArmWheelTimer();
  }

  // POST /api/v1/events: the credentials, the writer on its own connections
  // as ingest.database_user, the route (docs/help-desks.md "Push API").
  int RouteIngest() {
    Result<std::string> line =
        ReadSecretFile(ingest_.credentials_file, "ingest credentials file");
    if (!line) {
      spdlog::critical("ingest: {}", line.error());
      return kExitConfig;
    }
    Result<IngestCredentials> credentials = IngestCredentials::Parse(*line);
    if (!credentials) {
      spdlog::critical("ingest: {}: {}", ingest_.credentials_file, credentials.error());
      return kExitConfig;
    }
    DatabaseConfig as_ingest = database_;
    as_ingest.password_file = ingest_.database_password_file;
    Result<std::string> connection = ConnectionString(as_ingest);
    if (connection) {
      connection = WithSettings(*connection, {{"user", ingest_.database_user}});
    }
    if (!connection) {
      spdlog::critical("ingest: {}", connection.error());
      return kExitConfig;
    }
    ingest_writer_ = std::make_unique<IngestWriter>(
        IngestWriterOptions{.connection_string = *connection});
    ingest_writer_->Start();
    ingest_endpoint_ = std::make_unique<IngestEndpoint>(
        *credentials, *ingest_writer_, *registry_,
        [this](const std::string& why) { LogIngestFailure(why); });
    server_->RoutePost(
        "/api/v1/events", static_cast<std::size_t>(ingest_.max_body_bytes),
        [this](HttpRequest request, HttpRespond respond) {
          ingest_endpoint_->Handle(std::move(request), std::move(respond));
        },
        [this] { ingest_endpoint_->CountTooLarge(); });
    spdlog::info("accepting events on POST /api/v1/events as database role {}",
                 ingest_.database_user);
    return kExitOk;
  }

  // A failed ingest write, from a writer thread: each distinct reason once a
  // minute at most (a database that is down fails every request).
  void LogIngestFailure(const std::string& why) {
    std::lock_guard lock(ingest_log_mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (why == ingest_last_failure_ &&
        now - ingest_last_logged_ < std::chrono::minutes(1))
      return;
    ingest_last_failure_ = why;
    ingest_last_logged_ = now;
    spdlog::warn("ingest: the database did not take a batch (answered 503): {}", why);
  }

  // Callbacks run on the database thread: post the work to the event loop.
  DatabaseCallbacks Callbacks() {
    DatabaseCallbacks c;
    c.on_status = [this](bool up, const std::string& why) {
      boost::asio::post(io_, [this, up, why] { monitor_->OnDatabaseStatus(up, why); });
    };
    c.on_reference = [this](ReferenceData&& data) {
      boost::asio::post(io_, [this, data = std::move(data)]() mutable {
        Do([&] { monitor_->OnReference(std::move(data), Now()); });
      });
    };
    c.on_events = [this](EventBatch&& batch) {
      boost::asio::post(io_, [this, batch = std::move(batch)]() mutable {
        Do([&] { monitor_->OnEvents(std::move(batch), Now()); });
      });
    };
    c.on_loaded = [this] {
      boost::asio::post(io_, [this] { Do([&] { monitor_->OnLoaded(Now()); }); });
    };
    c.on_ticket = [this](const std::string& ticket, EventBatch&& batch) {
      boost::asio::post(io_, [this, ticket, batch = std::move(batch)]() mutable {
        Do([&] { monitor_->OnTicket(ticket, std::move(batch), Now()); });
      });
    };
    c.on_poll = [this](std::chrono::duration<double> took, bool ok) {
      daemon_metrics_.ObservePollDuration(took);
      if (ok) daemon_metrics_.SetLastPollSuccess(std::chrono::system_clock::now());
    };
    return c;
  }

  void OnDelivery(const DeliveryReport& report) {
    daemon_metrics_.SetAlertQueueLength(report.receiver, report.queued);
    switch (report.outcome) {
      case DeliveryOutcome::kQueued:
        break;
      case DeliveryOutcome::kSent:
        daemon_metrics_.CountAlertsSent(report.receiver, report.alerts);
        daemon_metrics_.ObserveAlertDelivery(report.receiver, report.latency);
        break;
      case DeliveryOutcome::kFailed:
        daemon_metrics_.CountAlertSendFailures(report.receiver, report.alerts);
        daemon_metrics_.ObserveAlertDelivery(report.receiver, report.latency);
        spdlog::warn("alerts to {} failed: {}", report.receiver, report.error);
        break;
      case DeliveryOutcome::kDropped:
      case DeliveryOutcome::kAbandoned:
        daemon_metrics_.CountAlertsDropped(report.alerts);
        break;
    }
  }

  // One Asio timer for the wheel's next occupied tick: no timer per deadline.
  void ArmWheelTimer() {
    std::optional<Instant> wake = monitor_->NextWakeUp();
    if (!wake) {
      wheel_timer_.cancel();
      return;
    }
    auto delay = *wake - std::chrono::system_clock::now();
    if (delay < std::chrono::milliseconds{0}) delay = std::chrono::milliseconds{0};
    wheel_timer_.expires_after(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(delay));
    wheel_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;  // re-armed or stopping
      Do([&] { monitor_->Tick(Now()); });
    });
  }

  // Once a second: time moves for the figures that depend on it (quota
  // periods, the leader lease), the watchdog is fed.
  void Housekeeping() {
    housekeeping_.expires_after(std::chrono::seconds{1});
    housekeeping_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      Do([&] { monitor_->Tick(Now()); });
      uint64_t watchdog_usec = 0;
      if (sd_watchdog_enabled(0, &watchdog_usec) > 0) sd_notify(0, "WATCHDOG=1");
      Housekeeping();
    });
  }

  void WaitForSignals() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        sd_notify(0, "RELOADING=1");
        Do([&] { monitor_->Reload(ReadConfigFile(config_path_), config_path_, Now()); });
        sd_notify(0, monitor_->ready() ? "READY=1" : "STATUS=loading");
        WaitForSignals();
        return;
      }
      spdlog::info("received {}, stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
      sd_notify(0, "STOPPING=1");
      wheel_timer_.cancel();
      housekeeping_.cancel();
      if (server_) boost::asio::post(http_io_, [this] { server_->Stop(); });
      if (ingest_writer_) ingest_writer_->Stop();
      if (database_loop_) database_loop_->Stop();
      // Give queued alerts a few seconds to reach Alertmanager, then stop.
      alert_sender_->Drain(std::chrono::seconds{5}, [this] {
        if (leader_loop_) leader_loop_->Stop();
        io_.stop();
      });
    });
  }

  std::string config_path_;
  Shard shard_;
  boost::asio::io_context& io_;
  std::shared_ptr<prometheus::Registry> registry_;
  DaemonMetrics daemon_metrics_;
  SlaMetrics sla_metrics_;
  DatabaseConfig database_;
  HttpConfig http_options_;
  AlertingConfig alerting_;
  IngestConfig ingest_;
  Config config_;  // until the monitor takes it
  boost::asio::steady_timer wheel_timer_;
  boost::asio::steady_timer housekeeping_;
  boost::asio::signal_set signals_;
  boost::asio::io_context http_io_{1};
  std::atomic<bool> ready_{false};  // set on the loop, read by /-/ready
  std::unique_ptr<HttpServer> server_;
  std::thread http_thread_;  // runs http_io_ once the server is started
  // The endpoint before the writer: the writer (whose threads call the
  // endpoint) is stopped and destroyed first.
  std::unique_ptr<IngestEndpoint> ingest_endpoint_;
  std::unique_ptr<IngestWriter> ingest_writer_;
  std::mutex ingest_log_mutex_;
  std::string ingest_last_failure_;
  std::chrono::steady_clock::time_point ingest_last_logged_;
  std::unique_ptr<AlertSender> alert_sender_;
  std::unique_ptr<EventStore> event_store_;
  std::unique_ptr<DatabaseLoop> database_loop_;
  std::unique_ptr<LeaderLoop> leader_loop_;
  std::unique_ptr<Monitor> monitor_;
};

}  // namespace

int RunDaemon(const std::vector<std::string>& args) {
  CommandLine cl =
      ParseCommandLine(args, {.with_value = {"config", "shard"}, .flags = {}});
  if (auto exit = CheckCommandLine(cl, {"run", kUsage})) return *exit;
  Shard shard;
  if (auto text = cl.Value("shard")) {
    Result<Shard> parsed = ParseShard(*text);
    if (!parsed) {
      std::cerr << "slamon run: " << parsed.error() << "\n\n" << kUsage;
      return kExitUsage;
    }
    shard = *parsed;
  }
  auto path = cl.Value("config");
  auto config = LoadConfigFile(*path);
  if (!config) return kExitConfig;
  // Logs go to stderr (the journal under systemd); stdout carries nothing.
  SetUpDaemonLog();
  spdlog::info("slamon {} (revision {}) starting with {}{}", kVersion, kRevision, *path,
               shard.all() ? "" : ", shard " + shard.ToString());
  boost::asio::io_context io(1);
  Daemon daemon(*path, std::move(*config), shard, io);
  int status = daemon.Run();
  spdlog::info("stopped");
  return status;
}

}  // namespace slamon
