#include "database_session.h"

#include <iostream>

#include "exit_code.h"
#include "store/connection_string.h"

namespace slamon {

DatabaseSession OpenDatabaseSession(const std::string& command, const Config& config) {
  DatabaseSession session;
  Result<std::string> connection = ConnectionString(config.database);
  if (!connection) {
    std::cerr << "slamon " << command << ": " << connection.error() << '\n';
    session.exit_code = kExitConfig;
    return session;
  }
  session.store = std::make_unique<EventStore>(*connection);
  Status status = session.store->Connect();
  if (status.ok()) status = session.store->LoadReference(&session.reference);
  if (!status.ok()) {
    std::cerr << "slamon " << command << ": " << status.message() << '\n';
    session.exit_code = kExitFailure;
    return session;
  }
  for (const auto& problem : session.reference.problems)
    std::cerr << "slamon " << command << ": warning: " << problem << '\n';
  return session;
}

}  // namespace slamon
