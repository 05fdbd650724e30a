// Daemon: the wiring of `slamon run` — threads, sockets, timers and signals
// around the Monitor (runtime/monitor.h), which decides everything. Its
// steps are called in the order of the process's life (command_run.cc):
// ServeHttp (listening, not ready), StartAlerts, StartDatabase (the load
// begins; ready when it ends), RunLoop (until SIGTERM or SIGINT, then drain).
// A step that fails returns its exit status and the process ends.
//
// Threads: everything here runs on the event loop thread (`io`) except the
// callbacks that post to it (database_callbacks.h) and the HTTP server, which
// runs on a thread of its own: a scrape builds, serializes and compresses
// /metrics there and holds the loop only for the copy of the tracker's
// figures (FiguresOnLoop); /-/ready reads an atomic flag.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "alerts/alert_sender.h"
#include "config/config.h"
#include "http/http_server.h"
#include "ingest/ingest_endpoint.h"
#include "ingest/ingest_writer.h"
#include "leader_loop.h"
#include "metrics/daemon_metrics.h"
#include "metrics/sla_metrics.h"
#include "process_signals.h"
#include "runtime/database_loop.h"
#include "runtime/monitor.h"
#include "runtime/repeat_filter.h"
#include "store/event_store.h"
#include "store/shard.h"

namespace slamon {

class Daemon {
 public:
  Daemon(std::string config_path, Config config, Shard shard,
         boost::asio::io_context& io);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // HTTP up on its thread, /-/ready answering 503; the push API when enabled.
  [[nodiscard]] int ServeHttp();
  // The alert sender, to every Alertmanager and webhook (sent only while
  // leading).
  [[nodiscard]] int StartAlerts();
  // The database thread and the monitor; the leader election starts once the
  // load is done.
  [[nodiscard]] int StartDatabase();
  // The event loop, until a stop signal and the drain of queued alerts.
  void RunLoop();

 private:
  // Runs `f` on the monitor, then re-arms the wheel timer for what it changed.
  template <typename F>
  void Do(F f) {
    f();
    ArmWheelTimer();
  }
  void ArmWheelTimer();
  void Housekeeping();
  void Reload();
  void Stop(std::string_view signal);
  void LogIngestFailure(const std::string& why);

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
  ProcessSignals signals_;
  boost::asio::io_context http_io_{1};
  std::atomic<bool> ready_{false};  // set on the loop, read by /-/ready
  std::unique_ptr<HttpServer> server_;
  std::thread http_thread_;  // runs http_io_ once the server is started
  // The endpoint before the writer: the writer (whose threads call the
  // endpoint) is stopped and destroyed first.
  std::unique_ptr<IngestEndpoint> ingest_endpoint_;
  std::unique_ptr<IngestWriter> ingest_writer_;
  std::mutex ingest_log_mutex_;
  RepeatFilter ingest_failures_;  // under ingest_log_mutex_
  std::unique_ptr<AlertSender> alert_sender_;
  std::unique_ptr<EventStore> event_store_;
  std::unique_ptr<DatabaseLoop> database_loop_;
  std::unique_ptr<LeaderLoop> leader_loop_;
  std::unique_ptr<Monitor> monitor_;
};

}  // namespace slamon
