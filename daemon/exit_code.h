// Exit statuses of every slamon subcommand (docs/design.md §4).
#pragma once

namespace slamon {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,  // runtime failure, or input lines that were skipped
  kExitUsage = 2,    // bad command line
  kExitConfig = 78,  // EX_CONFIG: the config file is unreadable or invalid
};

}  // namespace slamon
