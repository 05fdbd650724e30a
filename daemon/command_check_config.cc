#include <iostream>

#include "command_line.h"
#include "commands.h"
#include "config_file.h"
#include "exit_code.h"

namespace slamon {
namespace {

constexpr const char* kUsage = R"(usage: slamon check-config --config FILE

Validates the config file: YAML syntax, every key and value, calendars, time
zones and policies. Each error names file, line and key. Exit status 0 when
valid, 78 when not, 2 on a bad command line.
)";

}  // namespace

int RunCheckConfig(const std::vector<std::string>& args) {
  CommandLine cl = ParseCommandLine(args, {.with_value = {"config"}, .flags = {}});
  if (auto exit = CheckCommandLine(cl, {"check-config", kUsage})) return *exit;
  auto path = cl.Value("config");
  auto config = LoadConfigFile(*path);
  if (!config) return kExitConfig;
  std::cout << *path << ": ok (" << config->rules.policies.size() << " policies)\n";
  return kExitOk;
}

}  // namespace slamon
