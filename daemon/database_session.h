// DatabaseSession: how the one-shot database commands (explain, report)
// start: the connection string from the config (with its password file), a
// connection, and the reference data, whose skipped rows are printed as
// warnings. A failure is printed as "slamon COMMAND: why".
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "store/event_store.h"

namespace slamon {

struct DatabaseSession {
  std::unique_ptr<EventStore> store;
  ReferenceData reference;
  int exit_code = 0;  // not 0: the session could not start; the reason is printed
};

DatabaseSession OpenDatabaseSession(const std::string& command, const Config& config);

}  // namespace slamon
