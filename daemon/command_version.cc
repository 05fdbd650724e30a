#include <iostream>

#include "build_info.h"
#include "commands.h"
#include "exit_code.h"

namespace slamon {

int RunVersion(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cout << "usage: slamon version\n\nPrints the version and the revision it was "
                 "built from.\n";
    return args.size() == 1 && (args[0] == "--help" || args[0] == "-h") ? kExitOk
                                                                        : kExitUsage;
  }
  std::cout << "slamon " << kVersion << " (revision " << kRevision << ")\n";
  return kExitOk;
}

}  // namespace slamon
