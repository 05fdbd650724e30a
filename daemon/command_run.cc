// slamon run: the daemon. RunDaemon reads top to bottom as the life of the
// process (docs/design.md §6): command line, config, logging, HTTP up (not
// ready), alert sender, database thread and full load, ready, the event loop,
// drain on SIGTERM. The wiring is Daemon's (daemon.h), in small files named
// for what they wire: http_routes, secrets, alert_wiring,
// database_callbacks, process_signals.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <iostream>

#include "build_info.h"
#include "command_line.h"
#include "commands.h"
#include "config_file.h"
#include "daemon.h"
#include "exit_code.h"
#include "log_format.h"

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
address is taken, or a failover lost events already applied: a restart
reloads), 2 on a bad command line, 78 on a bad config.
)";

// The configured daemon's life; a step that fails ends it with its status.
int Live(Daemon& daemon) {
  // Listeners first, not ready: /-/healthy answers while the data loads.
  if (int exit = daemon.ServeHttp(); exit != kExitOk) return exit;
  if (int exit = daemon.StartAlerts(); exit != kExitOk) return exit;
  // Data: the database thread's full load, then ready (/-/ready, READY=1).
  if (int exit = daemon.StartDatabase(); exit != kExitOk) return exit;
  // The loop, until SIGTERM or SIGINT and the drain of queued alerts (or
  // until the database lost events already applied: 1, to be restarted).
  return daemon.RunLoop();
}

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
  boost::asio::io_context io(1);  // the event loop
  Daemon daemon(*path, std::move(*config), shard, io);
  const int status = Live(daemon);
  spdlog::info("stopped");
  return status;
}

}  // namespace slamon
