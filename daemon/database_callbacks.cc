#include "database_callbacks.h"

#include <boost/asio/post.hpp>
#include <memory>

#include "daemon_clock.h"

namespace slamon {

DatabaseCallbacks CallbacksOnLoop(boost::asio::io_context& loop, OnMonitor on_monitor,
                                  DaemonMetrics& metrics) {
  auto call = std::make_shared<OnMonitor>(std::move(on_monitor));
  DatabaseCallbacks c;
  c.on_status = [&loop, call](bool up, const std::string& why) {
    boost::asio::post(loop, [call, up, why] {
      (*call)([&](Monitor& monitor) { monitor.OnDatabaseStatus(up, why); });
    });
  };
  c.on_reference = [&loop, call](ReferenceData&& data) {
    boost::asio::post(loop, [call, data = std::move(data)]() mutable {
      (*call)([&](Monitor& monitor) { monitor.OnReference(std::move(data), Now()); });
    });
  };
  c.on_events = [&loop, call](EventBatch&& batch) {
    boost::asio::post(loop, [call, batch = std::move(batch)]() mutable {
      (*call)([&](Monitor& monitor) { monitor.OnEvents(std::move(batch), Now()); });
    });
  };
  c.on_loaded = [&loop, call] {
    // A slice at a time, each posted behind what else is queued (scrapes,
    // signals, live events), until the load's tickets are all evaluated.
    auto slice = std::make_shared<std::function<void()>>();
    *slice = [&loop, call, weak = std::weak_ptr<std::function<void()>>(slice)] {
      bool done = true;
      (*call)([&](Monitor& monitor) { done = monitor.OnLoaded(Now()); });
      if (auto next = weak.lock(); next && !done)
        boost::asio::post(loop, [next] { (*next)(); });
    };
    boost::asio::post(loop, [slice] { (*slice)(); });
  };
  c.on_ticket = [&loop, call](const std::string& ticket, EventBatch&& batch) {
    boost::asio::post(loop, [call, ticket, batch = std::move(batch)]() mutable {
      (*call)(
          [&](Monitor& monitor) { monitor.OnTicket(ticket, std::move(batch), Now()); });
    });
  };
  c.on_poll = [&metrics](std::chrono::duration<double> took, bool ok) {
    metrics.ObservePollDuration(took);
    if (ok) metrics.SetLastPollSuccess(std::chrono::system_clock::now());
  };
  return c;
}

}  // namespace slamon
