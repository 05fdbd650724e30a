#include "command_line.h"

#include <iostream>

#include "exit_code.h"

namespace slamon {

std::optional<std::string> CommandLine::Value(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

CommandLine ParseCommandLine(const std::vector<std::string>& args,
                             const OptionSpec& spec) {
  CommandLine result;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      result.help = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      result.positional.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (spec.flags.count(name) != 0 && !value) {
      result.flags.insert(name);
    } else if (spec.with_value.count(name) != 0) {
      if (!value) {
        if (i + 1 >= args.size()) {
          result.status = Status::Error("option --" + name + " needs a value");
          return result;
        }
        value = args[++i];
      }
      result.values[name] = *value;
    } else {
      result.status = Status::Error("unknown option --" + name);
      return result;
    }
  }
  return result;
}

std::optional<int> CheckCommandLine(const CommandLine& cl, const CommandRules& rules) {
  if (cl.help) {
    std::cout << rules.usage;
    return kExitOk;
  }
  std::string problem = cl.status.message();
  if (problem.empty() && rules.config_required && !cl.Value("config")) {
    problem = "--config FILE is required";
  }
  if (problem.empty() && cl.positional.size() > rules.max_positional) {
    problem = "unexpected argument " + cl.positional[rules.max_positional];
  }
  if (problem.empty()) return std::nullopt;
  std::cerr << "slamon " << rules.name << ": " << problem << "\n\n" << rules.usage;
  return kExitUsage;
}

Result<Instant> AtOption(const CommandLine& cl, Instant now) {
  if (auto text = cl.Value("at")) return ParseInstant(*text);
  return now;
}

}  // namespace slamon
