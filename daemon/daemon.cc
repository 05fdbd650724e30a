#include "daemon.h"

#include <malloc.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <boost/asio/post.hpp>

#include "alert_wiring.h"
#include "build_info.h"
#include "config_file.h"
#include "daemon_clock.h"
#include "database_callbacks.h"
#include "exit_code.h"
#include "http/http_client.h"
#include "http_routes.h"
#include "runtime/figures_on_loop.h"
#include "secrets.h"
#include "store/connection_string.h"

namespace slamon {
namespace {

// How long a scrape waits for the event loop's snapshot of the figures before
// it shows the previous one (runtime/figures_on_loop.h): the loop answers
// between two handlers, so this is only reached behind long load batches.
constexpr std::chrono::milliseconds kScrapeWait{1000};

// How often a replica asks whether it holds the leader lock, and the lease a
// confirmation gives (docs/operating.md "High availability and sharding").
constexpr std::chrono::milliseconds kLeaderCheckInterval{2000};
constexpr std::chrono::milliseconds kLeaderLease = 2 * kLeaderCheckInterval;

// How often one reason for a failed ingest write is logged at most.
constexpr std::chrono::minutes kIngestFailureQuiet{1};

}  // namespace

Daemon::Daemon(std::string config_path, Config config, Shard shard,
               boost::asio::io_context& io)
    : config_path_(std::move(config_path)),
      shard_(shard),
      io_(io),
      registry_(std::make_shared<prometheus::Registry>()),
      daemon_metrics_(registry_, {.build = {kVersion, kRevision}, .receivers = {}}),
      sla_metrics_(FiguresOnLoop(
                       io_,
                       [this]() -> std::optional<ScrapeFigures> {
                         if (!monitor_) return std::nullopt;
                         return monitor_->tracker().ScrapeSnapshot();
                       },
                       kScrapeWait),
                   {.severities = config.rules.Severities()}),
      database_(config.database),
      http_options_(config.http),
      alerting_(config.alerting),
      ingest_(config.ingest),
      config_(std::move(config)),
      wheel_timer_(io),
      housekeeping_(io),
      signals_(
          io, [this] { Reload(); }, [this](std::string_view signal) { Stop(signal); }),
      ingest_failures_(kIngestFailureQuiet) {}

Daemon::~Daemon() {
  // The server was stopped on its thread (SIGTERM); whatever is left ends here.
  http_io_.stop();
  if (http_thread_.joinable()) http_thread_.join();
}

int Daemon::ServeHttp() {
  std::optional<std::string> password;
  if (http_options_.basic_auth) {
    Result<std::string> read = ReadBasicAuthPassword(*http_options_.basic_auth);
    if (!read) {
      spdlog::critical("{}", read.error());
      return kExitConfig;
    }
    password = *std::move(read);
  }
  const HttpServerOptions options = ServerOptions(http_options_, password);
  server_ = std::make_unique<HttpServer>(http_io_, options);
  RouteStatus(*server_, *registry_, sla_metrics_, ready_);

  // POST /api/v1/events: the credentials, the writer on its own connections
  // as ingest.database_user, the route (docs/help-desks.md "Push API").
  if (ingest_.enabled) {
    Result<IngestCredentials> credentials = ReadIngestCredentials(ingest_);
    if (!credentials) {
      spdlog::critical("{}", credentials.error());
      return kExitConfig;
    }
    Result<std::string> connection = IngestConnectionString(database_, ingest_);
    if (!connection) {
      spdlog::critical("{}", connection.error());
      return kExitConfig;
    }
    ingest_writer_ = std::make_unique<IngestWriter>(
        IngestWriterOptions{.connection_string = *connection});
    ingest_writer_->Start();
    ingest_endpoint_ = std::make_unique<IngestEndpoint>(
        *credentials, *ingest_writer_, *registry_,
        [this](const std::string& why) { LogIngestFailure(why); });
    RouteIngest(*server_, *ingest_endpoint_,
                static_cast<std::size_t>(ingest_.max_body_bytes));
    spdlog::info("accepting events on POST /api/v1/events as database role {}",
                 ingest_.database_user);
  }

  Status started = server_->Start();
  if (!started.ok()) {
    spdlog::critical("{}", started.message());
    return kExitFailure;
  }
  http_thread_ = std::thread([this] { http_io_.run(); });
  spdlog::info("serving metrics on {}{}", http_options_.tls ? "https://" : "http://",
               options.listen);
  return kExitOk;
}

int Daemon::StartAlerts() {
  alert_sender_ = std::make_unique<AlertSender>(
      io_,
      AlertSenderOptionsFor(alerting_,
                            [this](const DeliveryReport& report) {
                              RecordDelivery(daemon_metrics_, report);
                            }),
      std::make_shared<HttpPoster>(io_, alerting_.ca_file));
  if (Status sender = alert_sender_->Start(); !sender.ok()) {
    spdlog::critical("alerting: {}", sender.message());
    return kExitConfig;
  }
  for (const auto& receiver : alert_sender_->receivers())
    daemon_metrics_.AddReceiver(receiver);
  return kExitOk;
}

int Daemon::StartDatabase() {
  Result<std::string> connection = ConnectionString(database_);
  if (!connection) {
    spdlog::critical("{}", connection.error());
    return kExitConfig;
  }
  DatabaseLoopOptions options{
      .poll_interval =
          std::chrono::duration_cast<std::chrono::milliseconds>(database_.poll_interval)};
  event_store_ = std::make_unique<EventStore>(*connection, shard_);
  DatabaseCallbacks callbacks = CallbacksOnLoop(
      io_,
      [this](const std::function<void(Monitor&)>& call) { Do([&] { call(*monitor_); }); },
      daemon_metrics_);
  // A failover lost events this replica applied: only a reload from scratch
  // undoes them, which a restart does (systemd's Restart=on-failure).
  callbacks.on_history_lost = [this](const std::string& why) {
    boost::asio::post(io_, [this, why] {
      spdlog::critical(
          "{}; exiting so that a restart reloads the ticket database as it is now "
          "(docs/operating.md, \"Failover of the ticket database\")",
          why);
      Shutdown(kExitFailure);
    });
  };
  database_loop_ =
      std::make_unique<DatabaseLoop>(*event_store_, options, std::move(callbacks));
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
                       // The load's batches and strings are freed: give the
                       // arenas glibc keeps back to the system, so the memory
                       // that stays is what the tracker holds.
                       malloc_trim(0);
                       sd_notify(0, "READY=1\nSTATUS=ready");
                     }};
  monitor_ = std::make_unique<Monitor>(
      std::move(config_), seams, MonitorOptions{.leader_lease = kLeaderLease}, Now());
  database_loop_->Start();
  sd_notify(0, "STATUS=connecting to the database");
  return kExitOk;
}

int Daemon::RunLoop() {
  signals_.Wait();
  Housekeeping();
  Do([] {});
  io_.run();
  return exit_status_;
}

// One Asio timer for the wheel's next occupied tick: no timer per deadline.
void Daemon::ArmWheelTimer() {
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
void Daemon::Housekeeping() {
  housekeeping_.expires_after(std::chrono::seconds{1});
  housekeeping_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    Do([&] { monitor_->Tick(Now()); });
    uint64_t watchdog_usec = 0;
    if (sd_watchdog_enabled(0, &watchdog_usec) > 0) sd_notify(0, "WATCHDOG=1");
    Housekeeping();
  });
}

// SIGHUP: policies and calendars from the file again (a bad file keeps the
// running config).
void Daemon::Reload() {
  sd_notify(0, "RELOADING=1");
  Do([&] { monitor_->Reload(ReadConfigFile(config_path_), config_path_, Now()); });
  sd_notify(0, monitor_->ready() ? "READY=1" : "STATUS=loading");
}

// SIGTERM or SIGINT: stop taking work, give queued alerts a few seconds to
// reach Alertmanager, then end the loop.
void Daemon::Stop(std::string_view signal) {
  if (stopping_) return;
  spdlog::info("received {}, stopping", signal);
  Shutdown(kExitOk);
}

void Daemon::Shutdown(int status) {
  if (stopping_) return;
  stopping_ = true;
  exit_status_ = status;
  sd_notify(0, "STOPPING=1");
  wheel_timer_.cancel();
  housekeeping_.cancel();
  if (server_) boost::asio::post(http_io_, [this] { server_->Stop(); });
  if (ingest_writer_) ingest_writer_->Stop();
  if (database_loop_) database_loop_->Stop();
  alert_sender_->Drain(std::chrono::seconds{5}, [this] {
    if (leader_loop_) leader_loop_->Stop();
    io_.stop();
  });
}

// A failed ingest write, from a writer thread: each distinct reason once a
// minute at most (a database that is down fails every request).
void Daemon::LogIngestFailure(const std::string& why) {
  std::lock_guard lock(ingest_log_mutex_);
  if (!ingest_failures_.ShouldLog(why, std::chrono::steady_clock::now())) return;
  spdlog::warn("ingest: the database did not take a batch (answered 503): {}", why);
}

}  // namespace slamon
