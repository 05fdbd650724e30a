#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

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

// Calls `each(line, number)` for every line of `in`, as std::getline splits
// them (a last line without its newline counts; a '\r' stays), reading in
// large blocks: line by line through iostreams was a noticeable share of a
// million-ticket run.
template <class Each>
void ReadLines(std::FILE* in, Each each) {
  std::vector<char> block(1 << 20);
  std::string carry;  // the start of a line split across blocks
  int64_t number = 0;
  size_t got;
  while ((got = std::fread(block.data(), 1, block.size(), in)) > 0) {
    std::string_view rest(block.data(), got);
    for (size_t end; (end = rest.find('\n')) != std::string_view::npos;) {
      if (carry.empty()) {
        each(rest.substr(0, end), ++number);
      } else {
        carry.append(rest.data(), end);
        each(std::string_view(carry), ++number);
        carry.clear();
      }
      rest.remove_prefix(end + 1);
    }
    carry.append(rest);
  }
  if (!carry.empty()) each(std::string_view(carry), ++number);
}

}  // namespace

int RunEvaluate(const std::vector<std::string>& args) {
  CommandLine cl = ParseCommandLine(args, {.with_value = {"config", "at"}, .flags = {}});
  if (auto exit = CheckCommandLine(cl, {"evaluate", kUsage, /*config_required=*/false})) {
    return *exit;
  }
  const auto at_option =
      AtOption(cl, std::chrono::floor<Seconds>(std::chrono::system_clock::now()));
  if (!at_option) {
    std::cerr << "slamon evaluate: --at: " << at_option.error() << '\n';
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
  ReadLines(stdin,
            [&](std::string_view line, int64_t number) { run.ReadLine(line, number); });
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
