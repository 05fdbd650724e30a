// Exposition: a registry's metrics as Prometheus text format 0.0.4, the body
// of a `/metrics` answer.
//
// The families are sorted by name and the series of a family by their labels,
// so the same values always render to the same text (prometheus-cpp keeps a
// family's series in a hash map; a golden file needs a fixed order).
// Thread-safe as prometheus::Registry::Collect is: a scrape may run while
// other threads set values, and sees each value either before or after.
#pragma once

#include <string>
#include <string_view>

namespace prometheus {
class Registry;
}

namespace slamon {

// The Content-Type of RenderMetrics' text.
inline constexpr std::string_view kMetricsContentType =
    "text/plain; version=0.0.4; charset=utf-8";

std::string RenderMetrics(const prometheus::Registry& registry);

}  // namespace slamon
