// Exposition: the metrics of one or more collectables (a registry, the
// scrape-time SlaMetrics) as Prometheus text format 0.0.4, the body of a
// `/metrics` answer.
//
// The families are sorted by name and the series of a family by their labels,
// so the same values always render to the same text (prometheus-cpp keeps a
// family's series in a hash map; a golden file needs a fixed order). A
// collectable that is also a MetricsText writes its own families' text.
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

// A collectable that also writes its families' exposition text itself, for
// RenderMetrics: at tens of thousands of series that is many times faster
// than building prometheus::MetricFamily objects and serializing them. The
// text must be what prometheus::TextSerializer writes for what Collect()
// returns, each family's series sorted by their labels (as RenderMetrics
// sorts them).
class MetricsText {
 public:
  virtual ~MetricsText() = default;
  // Where one family's text is in WriteText's `text`: [begin, end).
  struct Family {
    std::string_view name;  // static storage: the family's name
    size_t begin = 0;
    size_t end = 0;
  };
  // Appends the families (any order of families; none without series) to
  // `text` and says where each one is.
  virtual void WriteText(std::string& text, std::vector<Family>& families) const = 0;
};

// The Content-Type of RenderMetrics' text.
inline constexpr std::string_view kMetricsContentType =
    "text/plain; version=0.0.4; charset=utf-8";

std::string RenderMetrics(const prometheus::Collectable& collectable);
std::string RenderMetrics(
    const std::vector<const prometheus::Collectable*>& collectables);

}  // namespace slamon
