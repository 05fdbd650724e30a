// ReferenceSlaMetrics: SlaMetrics as it was before its text was written
// directly (main at 1941e54): SlaFigures' string-keyed maps turned into
// prometheus-cpp metric families, rendered by prometheus::TextSerializer.
// Slow, but plainly what docs/design.md §5 and docs/metrics.md say; the
// comparison test holds SlaMetrics' text to it. Test code only.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "metrics/sla_metrics.h"
#include "tracker/sla_figures.h"

namespace slamon {

class ReferenceSlaMetrics final : public prometheus::Collectable {
 public:
  using Source = std::function<std::optional<SlaFigures>()>;

  explicit ReferenceSlaMetrics(Source source, const SlaMetricsOptions& options = {});
  ~ReferenceSlaMetrics() override;
  ReferenceSlaMetrics(const ReferenceSlaMetrics&) = delete;
  ReferenceSlaMetrics& operator=(const ReferenceSlaMetrics&) = delete;

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  struct Known;  // names and counter marks, under mutex_

  Source source_;
  mutable std::mutex mutex_;
  std::unique_ptr<Known> known_;
};

}  // namespace slamon
