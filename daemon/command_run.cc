// slamon run: the daemon. Reads top to bottom as the life of the process
// (DESIGN section 6): config, logging, HTTP up (not ready), database thread,
// full load, ready, incremental loop, drain on SIGTERM.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "alerts/alert_book.h"
#include "alerts/alert_sender.h"
#include "build_info.h"
#include "command_line.h"
#include "commands.h"
#include "config_file.h"
#include "exit_code.h"
#include "http/http_server.h"
#include "leader_loop.h"
#include "metrics/daemon_metrics.h"
#include "metrics/exposition.h"
#include "metrics/sla_metrics.h"
#include "runtime/database_loop.h"
#include "store/connection_string.h"
#include "store/event_store.h"
#include "tracker/tracker.h"

namespace slamon {
namespace {

constexpr const char* kUsage = R"(usage: slamon run --config FILE [--shard K/N]

Runs the daemon: reads the ticket database continuously, keeps every ticket's
SLA clocks, and serves Prometheus metrics on http.listen (/metrics,
/-/healthy, /-/ready). SIGHUP reloads policies and calendars from FILE (a bad
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

std::optional<std::string> ReadSecret(const std::string& path, std::string* error) {
  std::ifstream file(path);
  if (!file) {
    *error = path + ": cannot read password file";
    return std::nullopt;
  }
  std::stringstream text;
  text << file.rdbuf();
  std::string secret = text.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r'))
    secret.pop_back();
  return secret;
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

// Everything the event loop thread owns.
class Daemon {
 public:
  Daemon(std::string config_path, Config config, Shard shard, boost::asio::io_context& io)
      : config_path_(std::move(config_path)),
        shard_(shard),
        io_(io),
        registry_(std::make_shared<prometheus::Registry>()),
        daemon_metrics_(registry_, {.build = {kVersion, kRevision}, .receivers = {}}),
        sla_metrics_(registry_, {.severities = Severities(config)}),
        database_(config.database),
        http_options_(config.http),
        alerting_(config.alerting),
        alert_book_(AlertBookOptionsFrom(config.alerting)),
        tracker_(std::move(config.rules), WallNow()),
        wheel_timer_(io),
        housekeeping_(io),
        signals_(io, SIGTERM, SIGINT, SIGHUP) {}

  int Run() {
    // HTTP first, not ready yet.
    HttpServerOptions http;
    http.listen = http_options_.listen;
    if (http_options_.tls)
      http.tls =
          HttpTlsOptions{http_options_.tls->cert_file, http_options_.tls->key_file};
    if (http_options_.basic_auth) {
      std::string error;
      auto password = ReadSecret(http_options_.basic_auth->password_file, &error);
      if (!password) {
        spdlog::critical("http.basic_auth: {}", error);
        return kExitConfig;
      }
      http.basic_auth =
          HttpBasicAuthOptions{http_options_.basic_auth->username, *password};
    }
    server_ = std::make_unique<HttpServer>(io_, http);
    server_->Route("/metrics", [this](const HttpRequest&) {
      return HttpResponse{
          200, std::string(kMetricsContentType), RenderMetrics(*registry_), {}, true};
    });
    server_->Route("/-/healthy", [](const HttpRequest&) {
      return HttpResponse{
          200, "text/plain; charset=utf-8", "slamon is healthy.\n", {}, false};
    });
    server_->Route("/-/ready", [this](const HttpRequest&) {
      if (ready_)
        return HttpResponse{
            200, "text/plain; charset=utf-8", "slamon is ready.\n", {}, false};
      return HttpResponse{503,
                          "text/plain; charset=utf-8",
                          "slamon is loading the ticket database.\n",
                          {},
                          false};
    });
    HttpStartResult started = server_->Start();
    if (!started.ok()) {
      spdlog::critical("{}", started.error);
      return kExitFailure;
    }
    spdlog::info("serving metrics on {}{}", http_options_.tls ? "https://" : "http://",
                 http.listen);

    // Alerts: to every Alertmanager and webhook, sent only while leading.
    AlertSenderOptions alert_options;
    alert_options.alertmanagers = alerting_.alertmanagers;
    alert_options.webhooks = alerting_.webhooks;
    alert_options.on_report = [this](const DeliveryReport& report) {
      OnDelivery(report);
    };
    alert_sender_ = std::make_unique<AlertSender>(io_, alert_options);
    if (AlertSenderStartResult sender = alert_sender_->Start(); !sender.ok()) {
      spdlog::critical("alerting: {}", sender.error);
      return kExitConfig;
    }
    for (const auto& receiver : alert_sender_->receivers())
      daemon_metrics_.AddReceiver(receiver);

    // The database thread.
    std::string error;
    auto connection = ConnectionString(database_, &error);
    if (!connection) {
      spdlog::critical("{}", error);
      return kExitConfig;
    }
    DatabaseLoopOptions options{
        .poll_interval = std::chrono::duration_cast<std::chrono::milliseconds>(
            database_.poll_interval)};
    event_store_ = std::make_unique<EventStore>(*connection, shard_);
    database_loop_ = std::make_unique<DatabaseLoop>(*event_store_, options, Callbacks());
    database_loop_->Start();
    // Leader election: only the replica holding the lock sends alerts.
    leader_loop_ = std::make_unique<LeaderLoop>(
        *connection, LeaderLockKey(shard_), std::chrono::seconds{2},
        [this](bool leader, const std::string& why) {
          boost::asio::post(io_, [this, leader, why] { OnLeadership(leader, why); });
        });
    leader_loop_->Start();
    sd_notify(0, "STATUS=connecting to the database");

    WaitForSignals();
    Housekeeping();
    PublishMetrics();
    io_.run();
    return kExitOk;
  }

 private:
  // Callbacks run on the database thread: post the work to the event loop.
  DatabaseCallbacks Callbacks() {
    DatabaseCallbacks c;
    c.on_status = [this](bool up, const std::string& why) {
      boost::asio::post(io_, [this, up, why] { OnDatabaseStatus(up, why); });
    };
    c.on_reference = [this](ReferenceData&& data) {
      boost::asio::post(io_, [this, data = std::move(data)]() mutable {
        OnReference(std::move(data));
      });
    };
    c.on_events = [this](EventBatch&& batch) {
      boost::asio::post(io_, [this, batch = std::move(batch)]() mutable {
        OnEvents(std::move(batch));
      });
    };
    c.on_loaded = [this] { boost::asio::post(io_, [this] { OnLoaded(); }); };
    c.on_ticket = [this](const std::string& ticket, EventBatch&& batch) {
      boost::asio::post(io_, [this, ticket, batch = std::move(batch)]() mutable {
        OnTicket(ticket, std::move(batch));
      });
    };
    c.on_poll = [this](std::chrono::duration<double> took, bool ok) {
      daemon_metrics_.ObservePollDuration(took);
      if (ok) daemon_metrics_.SetLastPollSuccess(std::chrono::system_clock::now());
    };
    return c;
  }

  void OnDatabaseStatus(bool up, const std::string& why) {
    // Logged on the first answer too, so a database unreachable from the
    // start says why in the journal; each distinct failure once, not every
    // retry.
    if (up && db_up_ != true) spdlog::info("database connected");
    if (!up && (db_up_ != false || why != last_failure_)) {
      spdlog::error("database unavailable: {}", why);
    }
    if (!up) last_failure_ = why;
    db_up_ = up;
    daemon_metrics_.SetDatabaseUp(up);
  }

  void OnLeadership(bool leader, const std::string& why) {
    if (leader != leader_) {
      if (leader) {
        spdlog::info("this replica is now the leader (it sends alerts)");
      } else if (!why.empty()) {
        spdlog::warn("not the leader: {}", why);
      } else {
        spdlog::info("another replica is the leader");
      }
    }
    const bool became_leader = leader && !leader_;
    leader_ = leader;
    daemon_metrics_.SetLeader(leader);
    if (became_leader) {
      alert_book_.ResendAll();  // what is firing may never have reached Alertmanager
      SendDueAlerts();
    }
  }

  void OnDelivery(const DeliveryReport& report) {
    switch (report.outcome) {
      case DeliveryOutcome::kSent:
        daemon_metrics_.CountAlertsSent(report.receiver, report.alerts);
        break;
      case DeliveryOutcome::kFailed:
        daemon_metrics_.CountAlertSendFailures(report.receiver, report.alerts);
        spdlog::warn("alerts to {} failed: {}", report.receiver, report.error);
        break;
      case DeliveryOutcome::kDropped:
      case DeliveryOutcome::kAbandoned:
        daemon_metrics_.CountAlertsDropped(report.alerts);
        break;
    }
  }

  // Every replica keeps its book current; only the leader sends.
  void SendDueAlerts() {
    std::vector<Alert> due = alert_book_.Due(WallNow());
    if (leader_ && alert_sender_ && !due.empty()) alert_sender_->Send(due);
  }

  void OnReference(ReferenceData&& data) {
    for (const auto& problem : data.problems) LogOnce(problem);
    std::vector<Transition> transitions;
    // Replaced, not merged (DESIGN section 6): what changed is re-evaluated.
    tracker_.ReplaceReference(
        ReferenceBook(std::move(data.partners), std::move(data.certifications),
                      std::move(data.releases)),
        transitions);
    WarnReferenceProblems();
    AfterChange(transitions);
  }

  void OnEvents(EventBatch&& batch) {
    std::vector<Transition> transitions;
    tracker_.Advance(WallNow(), transitions);
    for (const auto& bad : batch.bad) {
      daemon_metrics_.CountEventsRejected(bad.reason);
      LogOnce(bad.message);
    }
    for (size_t i = 0; i < batch.events.size(); ++i) {
      if (i + Tracker::kPrefetchAhead < batch.events.size()) {
        tracker_.Prefetch(batch.events[i + Tracker::kPrefetchAhead].ticket);
      }
      EventRow& row = batch.events[i];
      Tracker::ApplyResult result = tracker_.Apply(row.ticket, row.event, transitions);
      if (result.needs_history) {
        database_loop_->RequestTicket(row.ticket);
        continue;
      }
      if (!result.duplicate) daemon_metrics_.CountEventsApplied();
      Rejected(result.rejected);
    }
    AfterChange(transitions);
    database_loop_->BatchApplied();
  }

  void OnTicket(const std::string& ticket, EventBatch&& batch) {
    std::vector<TicketEvent> events;
    for (auto& row : batch.events) events.push_back(std::move(row.event));
    std::vector<Transition> transitions;
    Tracker::ApplyResult result =
        tracker_.ReplaceHistory(ticket, std::move(events), transitions);
    Rejected(result.rejected);
    AfterChange(transitions);
  }

  void OnLoaded() {
    ready_ = true;
    daemon_metrics_.SetReady(true);
    SlaFigures figures = tracker_.Snapshot();
    spdlog::info("ticket database loaded: {} open tickets, {} in memory; ready",
                 figures.open_tickets, figures.tracked_tickets);
    sd_notify(0, "READY=1\nSTATUS=ready");
  }

  void Rejected(const std::vector<RejectedEvent>& rejected) {
    for (const auto& r : rejected) {
      daemon_metrics_.CountEventsRejected(ToString(r.reason));
      LogOnce("ticket_events seq " + std::to_string(r.event.sequence) + ": " + r.message);
    }
  }

  // A partner naming an undefined policy is evaluated with the default one.
  void WarnReferenceProblems() {
    for (const auto& problem : tracker_.ReferenceProblems()) {
      if (logged_.insert(problem).second) spdlog::warn("reference data: {}", problem);
    }
  }

  void LogOnce(const std::string& message) {
    if (logged_.insert(message).second) spdlog::warn("skipped: {}", message);
  }

  // After anything changed the tracker: log transitions, publish, re-arm.
  void AfterChange(const std::vector<Transition>& transitions) {
    for (const auto& t : transitions) {
      const char* what = t.state == AlertState::kBreached ? "SlaBreached" : "SlaAtRisk";
      spdlog::info("{} {} ticket={} partner={} target={} ticket_severity={} deadline={}",
                   what, t.kind == TransitionKind::kStarted ? "firing" : "resolved",
                   t.ticket, t.partner, ToString(t.target), t.severity,
                   FormatInstant(t.deadline));
    }
    alert_book_.Apply(transitions);
    PublishMetrics();
    SendDueAlerts();
    ArmWheelTimer();
  }

  void PublishMetrics() {
    SlaFigures figures = tracker_.Snapshot();
    sla_metrics_.Update(figures);
    alert_book_.Observe(figures, WallNow());
  }

  // One Asio timer for the wheel's next occupied tick: no timer per deadline.
  void ArmWheelTimer() {
    std::optional<Instant> wake = tracker_.NextWakeUp();
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
      std::vector<Transition> transitions;
      tracker_.Advance(WallNow(), transitions);
      AfterChange(transitions);
    });
  }

  // Once a second: time moves for the figures that depend on it (quota
  // periods), the watchdog is fed.
  void Housekeeping() {
    housekeeping_.expires_after(std::chrono::seconds{1});
    housekeeping_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      std::vector<Transition> transitions;
      tracker_.Advance(WallNow(), transitions);
      AfterChange(transitions);
      uint64_t watchdog_usec = 0;
      if (sd_watchdog_enabled(0, &watchdog_usec) > 0) sd_notify(0, "WATCHDOG=1");
      Housekeeping();
    });
  }

  void WaitForSignals() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        Reload();
        WaitForSignals();
        return;
      }
      spdlog::info("received {}, stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
      sd_notify(0, "STOPPING=1");
      wheel_timer_.cancel();
      housekeeping_.cancel();
      if (server_) server_->Stop();
      if (database_loop_) database_loop_->Stop();
      // Give queued alerts a few seconds to reach Alertmanager, then stop.
      alert_sender_->Drain(std::chrono::seconds{5}, [this] {
        if (leader_loop_) leader_loop_->Stop();
        io_.stop();
      });
    });
  }

  void Reload() {
    sd_notify(0, "RELOADING=1");
    ConfigResult result = ReadConfigFile(config_path_);
    if (!result.config) {
      for (const auto& e : result.errors) spdlog::error("reload: {}", e.ToString());
      spdlog::error("reload failed: keeping the running config");
    } else {
      std::vector<Transition> transitions;
      tracker_.SetRules(std::move(result.config->rules), transitions);
      WarnReferenceProblems();
      spdlog::info("reloaded {}", config_path_);
      AfterChange(transitions);
    }
    sd_notify(0, ready_ ? "READY=1" : "STATUS=loading");
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
  AlertBook alert_book_;
  Tracker tracker_;
  boost::asio::steady_timer wheel_timer_;
  boost::asio::steady_timer housekeeping_;
  boost::asio::signal_set signals_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<EventStore> event_store_;
  std::unique_ptr<DatabaseLoop> database_loop_;
  std::unique_ptr<LeaderLoop> leader_loop_;
  std::unique_ptr<AlertSender> alert_sender_;
  bool leader_ = false;
  bool ready_ = false;
  std::optional<bool> db_up_;  // none until the database thread first reports
  std::string last_failure_;   // the last database failure logged
  std::set<std::string> logged_;
};

}  // namespace

int RunDaemon(const std::vector<std::string>& args) {
  CommandLine cl =
      ParseCommandLine(args, {.with_value = {"config", "shard"}, .flags = {}});
  if (auto exit = CheckCommandLine(cl, {"run", kUsage})) return *exit;
  Shard shard;
  if (auto text = cl.Value("shard")) {
    std::string error;
    auto parsed = ParseShard(*text, &error);
    if (!parsed) {
      std::cerr << "slamon run: " << error << "\n\n" << kUsage;
      return kExitUsage;
    }
    shard = *parsed;
  }
  auto path = cl.Value("config");
  auto config = LoadConfigFile(*path);
  if (!config) return kExitConfig;
  // Logs go to stderr (the journal under systemd); stdout carries nothing.
  spdlog::set_default_logger(spdlog::stderr_color_mt("slamon"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  spdlog::info("slamon {} (revision {}) starting with {}{}", kVersion, kRevision, *path,
               shard.all() ? "" : ", shard " + shard.ToString());
  boost::asio::io_context io(1);
  Daemon daemon(*path, std::move(*config), shard, io);
  int status = daemon.Run();
  spdlog::info("stopped");
  return status;
}

}  // namespace slamon
