// slamon: SLA monitoring for support tickets. `main` only dispatches to the
// subcommand; each subcommand reads top to bottom as the life of its process
// (the daemon's: RunDaemon in command_run.cc — config, logging, listeners,
// data, ready, loop, drain).
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "exit_code.h"

namespace {

constexpr const char* kUsage = R"(usage: slamon COMMAND [OPTIONS]

Commands:
  run            the daemon: watch the ticket database, serve /metrics
  evaluate       evaluate SLA clocks and quotas offline (JSON lines in and out)
  explain        explain one ticket from the database: events and clocks
  report         one partner's SLA compliance over a period (JSON or CSV)
  check-config   validate a config file
  migrate        create or upgrade the schema in PostgreSQL
  version        print the version

Run "slamon COMMAND --help" for the options of a command.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return slamon::kExitUsage;
  }
  std::string command = args.front();
  args.erase(args.begin());
  if (command == "run") return slamon::RunDaemon(args);
  if (command == "evaluate") return slamon::RunEvaluate(args);
  if (command == "check-config") return slamon::RunCheckConfig(args);
  if (command == "migrate") return slamon::RunMigrate(args);
  if (command == "explain") return slamon::RunExplain(args);
  if (command == "report") return slamon::RunReport(args);
  if (command == "version" || command == "--version") return slamon::RunVersion(args);
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage;
    return slamon::kExitOk;
  }
  std::cerr << "slamon: unknown command \"" << command << "\"\n\n" << kUsage;
  return slamon::kExitUsage;
}
