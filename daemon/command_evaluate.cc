#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <string>

#include "command_line.h"
#include "commands.h"
#include "config_file.h"
#include "evaluate/evaluation_run.h"
#include "exit_code.h"

namespace slamon {
namespace {

constexpr const char* kUsage =
    R"(usage: slamon evaluate [--config FILE] [--at ISO8601] < input.jsonl > output.jsonl

Evaluates SLA clocks and partner quotas offline with the daemon's engine.
Input: one JSON object a line with "type" partner, certification, release or
event (times ISO 8601 with offset). Output: one {"type":"ticket"} line per
ticket, then one {"type":"partner"} line per partner.

  --config FILE   policies and calendars (default: the built-in policy)
  --at TIME       the evaluation instant (default: now); later events are ignored

A line that does not parse or breaks a rule is reported on stderr as
stdin:LINE: why and skipped; the rest is still evaluated and the exit status
is then 1. Exit status 2 on a bad command line, 78 on a bad config.
)";

}  // namespace

int RunEvaluate(const std::vector<std::string>& args) {
  CommandLine cl = ParseCommandLine(args, {.with_value = {"config", "at"}, .flags = {}});
  if (auto exit = CheckCommandLine(cl, {"evaluate", kUsage, /*config_required=*/false})) {
    return *exit;
  }
  const auto at_option =
      AtOption(cl, std::chrono::floor<Seconds>(std::chrono::system_clock::now()));
  if (!at_option) {
    std::cerr << "slamon evaluate: --at: " << at_option.error << '\n';
    return kExitUsage;
  }
  const Instant at = *at_option;
  std::optional<Config> config;
  if (auto path = cl.Value("config")) {
    config = LoadConfigFile(*path);
    if (!config) return kExitConfig;
  } else {
    config = std::move(ParseConfig("", "(built-in)").config);
  }

  std::ios::sync_with_stdio(false);
  EvaluationRun run(config->rules, at, "stdin", std::cout, std::cerr);
  std::string line;
  int64_t line_number = 0;
  while (std::getline(std::cin, line)) run.ReadLine(line, ++line_number);
  run.Finish();
  std::cout.flush();
  if (!std::cout) {
    // A full disk or a closed pipe: the figures did not all reach their reader.
    std::cerr << "slamon evaluate: cannot write the output: " << std::strerror(errno)
              << '\n';
    return kExitFailure;
  }
  return run.problems() == 0 ? kExitOk : kExitFailure;
}

}  // namespace slamon
