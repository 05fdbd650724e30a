// FiguresOnLoop: the tracker's figures for a scrape served on another thread.
//
// The tracker belongs to the event loop thread (Tracker is not thread-safe),
// and /metrics is served on the HTTP thread. The source this returns (an
// SlaMetrics::Source) posts `snapshot` to the loop and waits for its answer:
// the loop is held only for the copy of the figures (Tracker::Snapshot,
// O(targets x severities x partners + products), a few milliseconds at 1,000
// partners; see docs/benchmarks.md), never for building the metric families,
// serializing or compressing them, which the scraping thread does. Handlers
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
#include <chrono>
#include <functional>
#include <optional>

#include "tracker/sla_figures.h"

namespace slamon {

using FiguresSource = std::function<std::optional<SlaFigures>()>;

FiguresSource FiguresOnLoop(boost::asio::io_context& loop, FiguresSource snapshot,
                            std::chrono::milliseconds timeout);

}  // namespace slamon
