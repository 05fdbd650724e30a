// Exposition: the metrics of one or more collectables (a registry, the
// scrape-time SlaMetrics) as Prometheus text format 0.0.4, the body of a
// `/metrics` answer.
//
// The families are sorted by name and the series of a family by their labels,
// so the same values always render to the same text (prometheus-cpp keeps a
// family's series in a hash map; a golden file needs a fixed order).
// Thread-safe as the collectables' Collect() are: prometheus::Registry's may
// run while other threads set values, and sees each value either before or
// after; SlaMetrics' asks its source for the figures (see sla_metrics.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace prometheus {
class Collectable;
}

namespace slamon {

// The Content-Type of RenderMetrics' text.
inline constexpr std::string_view kMetricsContentType =
    "text/plain; version=0.0.4; charset=utf-8";

std::string RenderMetrics(const prometheus::Collectable& collectable);
std::string RenderMetrics(
    const std::vector<const prometheus::Collectable*>& collectables);

}  // namespace slamon
