// FiguresOnLoop: the tracker's figures for a scrape served on another thread.
//
// The tracker belongs to the event loop thread (Tracker is not thread-safe),
// and /metrics is served on the HTTP thread. The source this returns (an
// SlaMetrics::Source) posts `snapshot` to the loop and waits for its answer:
// the loop is held only for the copy of the figures (in the daemon
// Tracker::ScrapeSnapshot: flat arrays of O(targets x severities x partners +
// products) numbers, well under a millisecond at 1,000 partners; see
// docs/benchmarks.md), never for writing the exposition text or compressing
// it, which the scraping thread does. Handlers
// the loop had queued before the request run first, so a scrape sees every
// batch handed over before it.
//
// After `timeout` without an answer (the loop busy with a long batch during
// the load, or stopping) the source returns std::nullopt, and SlaMetrics
// shows the last figures it had; the late answer is dropped. Called on the
// loop's own thread it takes the snapshot directly (posting would deadlock).
//
// Thread safety: the returned function may be called from any thread,
// concurrently; `snapshot` runs only on the loop thread. The loop must
// outlive the function; a posted snapshot that never runs (the loop stopped)
// is destroyed with the loop.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace slamon {

// `snapshot`: a callable returning std::optional<Figures> (ScrapeFigures in
// the daemon, SlaFigures in tests); the result has the same signature.
template <typename Snapshot>
auto FiguresOnLoop(boost::asio::io_context& loop, Snapshot snapshot,
                   std::chrono::milliseconds timeout)
    -> std::function<std::invoke_result_t<Snapshot&>()> {
  using Answer = std::invoke_result_t<Snapshot&>;
  auto shared = std::make_shared<Snapshot>(std::move(snapshot));
  return [&loop, shared, timeout]() -> Answer {
    if (loop.get_executor().running_in_this_thread()) return (*shared)();
    // Shared with the posted handler: whichever ends last frees it.
    auto answer = std::make_shared<std::promise<Answer>>();
    std::future<Answer> future = answer->get_future();
    boost::asio::post(loop, [answer, shared] {
      try {
        answer->set_value((*shared)());
      } catch (...) {
        answer->set_exception(std::current_exception());
      }
    });
    if (future.wait_for(timeout) != std::future_status::ready) return std::nullopt;
    try {
      return future.get();
    } catch (const std::exception&) {
      return std::nullopt;  // the snapshot failed: show the last figures
    }
  };
}

}  // namespace slamon
