// The signals `slamon run` answers, on the event loop: SIGHUP reloads (and
// the wait goes on), SIGTERM or SIGINT stops (once; the wait ends). The
// handlers run on the io_context's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <string_view>

namespace slamon {

class ProcessSignals {
 public:
  // `on_stop` is given "SIGTERM" or "SIGINT".
  ProcessSignals(boost::asio::io_context& io, std::function<void()> on_reload,
                 std::function<void(std::string_view signal)> on_stop);

  // Starts waiting; call once.
  void Wait();

 private:
  boost::asio::signal_set signals_;
  std::function<void()> on_reload_;
  std::function<void(std::string_view)> on_stop_;
};

}  // namespace slamon
