// The database thread's callbacks (runtime/database_loop.h) as `slamon run`
// wires them: each hands its data to the event loop, where the monitor takes
// it with the time of that moment; the poll's duration and success go
// straight to the daemon's metrics (thread-safe).
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>

#include "metrics/daemon_metrics.h"
#include "runtime/database_loop.h"
#include "runtime/monitor.h"

namespace slamon {

// Runs a call on the monitor; on the event loop thread only.
using OnMonitor = std::function<void(const std::function<void(Monitor&)>&)>;

// Callbacks that post to `loop` and there call `on_monitor`; `metrics` must
// outlive the database thread.
DatabaseCallbacks CallbacksOnLoop(boost::asio::io_context& loop, OnMonitor on_monitor,
                                  DaemonMetrics& metrics);

}  // namespace slamon
