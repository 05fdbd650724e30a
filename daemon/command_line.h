// CommandLine: the options of one subcommand, parsed without surprises.
//
// Accepts "--name value", "--name=value", boolean "--flag", and positional
// arguments; "--help"/"-h" anywhere asks for help. Unknown options are usage
// errors, named in the message.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "instant/instant.h"

namespace slamon {

struct OptionSpec {
  std::set<std::string> with_value;  // e.g. {"config", "at"}
  std::set<std::string> flags;       // e.g. {"json"}
};

struct CommandLine {
  std::map<std::string, std::string> values;
  std::set<std::string> flags;
  std::vector<std::string> positional;
  bool help = false;
  Status status = Status::Ok();  // an error: a usage error, named in the message

  std::optional<std::string> Value(const std::string& name) const;
};

CommandLine ParseCommandLine(const std::vector<std::string>& args,
                             const OptionSpec& spec);

// The --at option (ISO 8601 with an offset), or `now` when it is not given.
Result<Instant> AtOption(const CommandLine& cl, Instant now);

struct CommandRules {
  const char* name;   // "migrate"
  const char* usage;  // the text --help prints
  bool config_required = true;
  size_t max_positional = 0;
};

// What every subcommand does first: --help prints the usage (exit 0); a parse
// error, a missing --config or an extra argument prints the problem and the
// usage to stderr (exit 2). std::nullopt: the command line is fine, go on.
std::optional<int> CheckCommandLine(const CommandLine& cl, const CommandRules& rules);

}  // namespace slamon
