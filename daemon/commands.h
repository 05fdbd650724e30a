// The subcommands of the slamon binary. Each takes the arguments after its
// name and returns an ExitCode; `--help` on each prints its usage to stdout.
#pragma once

#include <string>
#include <vector>

namespace slamon {

int RunVersion(const std::vector<std::string>& args);
int RunCheckConfig(const std::vector<std::string>& args);
int RunEvaluate(const std::vector<std::string>& args);
int RunMigrate(const std::vector<std::string>& args);
int RunExplain(const std::vector<std::string>& args);
int RunReport(const std::vector<std::string>& args);
int RunDaemon(const std::vector<std::string>& args);

}  // namespace slamon
