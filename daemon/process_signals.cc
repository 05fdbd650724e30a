#include "process_signals.h"

#include <csignal>

namespace slamon {

ProcessSignals::ProcessSignals(boost::asio::io_context& io,
                               std::function<void()> on_reload,
                               std::function<void(std::string_view signal)> on_stop)
    : signals_(io, SIGTERM, SIGINT, SIGHUP),
      on_reload_(std::move(on_reload)),
      on_stop_(std::move(on_stop)) {}

void ProcessSignals::Wait() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      on_reload_();
      Wait();
      return;
    }
    on_stop_(signal == SIGTERM ? "SIGTERM" : "SIGINT");
  });
}

}  // namespace slamon
