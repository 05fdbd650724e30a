// DaemonMetrics: the health of the slamon process itself (docs/design.md §5),
// measured where it happens: the store loop, the event intake, the alert
// sender and the HTTP side call the setters and counters here.
//
//   slamon_build_info{version,revision}            gauge, always 1
//   slamon_db_up                                   gauge, 1 while the database answers
//   slamon_poll_duration_seconds                   histogram, 1 ms to 10 s buckets
//   slamon_last_poll_success_timestamp_seconds     gauge, ms precision, 0 before the
//   first slamon_events_applied_total                    counter
//   slamon_events_rejected_total{reason}           counter, kAllRejectReasons at 0
//   slamon_events_unknown_partner_total            counter
//   slamon_alerts_folded                           gauge
//   slamon_alerts_sent_total{receiver}             counter, alerts accepted
//   slamon_alert_send_failures_total{receiver}     counter, alerts of failed requests
//   slamon_alerts_dropped_total                    counter, queue overflow
//   slamon_alert_queue_length{receiver}            gauge, alerts waiting to be sent
//   slamon_alert_delivery_latency_seconds{receiver}  histogram, one request each
//   slamon_leader                                  gauge, 1 while this replica leads
//   slamon_ready                                   gauge, 1 once loaded (/-/ready)
//
// Labelled series start at 0 (STYLE #8): every reason of kAllRejectReasons from
// the start, every receiver from the options or AddReceiver on. The gauges
// start at 0 (down, not leading, not ready).
//
// Thread-safe: every member may be called from any thread (prometheus-cpp
// metrics are atomic and its families lock).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/reject_reason.h"

namespace slamon {

struct BuildInfo {
  std::string version;
  std::string revision;
};

struct DaemonMetricsOptions {
  BuildInfo build;
  std::vector<std::string> receivers;  // configured alert receivers
};

class DaemonMetrics {
 public:
  // Registers the families in `registry`, which the caller may share with
  // other metrics (SlaMetrics). Throws on a null registry or a name clash
  // (start-up wiring).
  DaemonMetrics(std::shared_ptr<prometheus::Registry> registry,
                const DaemonMetricsOptions& options);
  DaemonMetrics(const DaemonMetrics&) = delete;
  DaemonMetrics& operator=(const DaemonMetrics&) = delete;

  void SetDatabaseUp(bool up);
  void ObservePollDuration(std::chrono::duration<double> duration);
  void SetLastPollSuccess(std::chrono::system_clock::time_point at);
  void CountEventsApplied(uint64_t count = 1);
  // The `reason` label is ToString(reason) (engine/reject_reason.h).
  void CountEventsRejected(RejectReason reason, uint64_t count = 1);
  // `opened` events applied for a partner the reference data does not know
  // (its figures are labelled partner="unknown").
  void CountUnknownPartnerEvents(uint64_t count = 1);
  // A receiver added after start-up (config reload): its series appear at 0.
  void AddReceiver(const std::string& receiver);
  // Alerts (not requests) a receiver accepted, or that a failed request carried.
  void CountAlertsSent(const std::string& receiver, uint64_t count = 1);
  void CountAlertSendFailures(const std::string& receiver, uint64_t count = 1);
  void CountAlertsDropped(uint64_t count = 1);
  // Alerts waiting in a receiver's queue (not counting a request in flight).
  void SetAlertQueueLength(const std::string& receiver, std::size_t alerts);
  // How long one request to a receiver took, answered or failed.
  void ObserveAlertDelivery(const std::string& receiver,
                            std::chrono::duration<double> latency);
  void SetLeader(bool leader);
  // Per-ticket alerts firing but folded into SlaAlertsFolded.
  void SetAlertsFolded(std::size_t folded);
  void SetReady(bool ready);

  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }

  // slamon_poll_duration_seconds' upper bounds.
  static const prometheus::Histogram::BucketBoundaries& PollDurationBuckets();
  // slamon_alert_delivery_latency_seconds' upper bounds (a request times out
  // after 10 s).
  static const prometheus::Histogram::BucketBoundaries& DeliveryLatencyBuckets();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Gauge& db_up_;
  prometheus::Histogram& poll_duration_;
  prometheus::Gauge& last_poll_success_;
  prometheus::Counter& events_applied_;
  prometheus::Family<prometheus::Counter>& events_rejected_;
  prometheus::Counter& events_unknown_partner_;
  prometheus::Family<prometheus::Counter>& alerts_sent_;
  prometheus::Family<prometheus::Counter>& alert_send_failures_;
  prometheus::Counter& alerts_dropped_;
  prometheus::Family<prometheus::Gauge>& alert_queue_length_;
  prometheus::Family<prometheus::Histogram>& alert_delivery_latency_;
  prometheus::Gauge& leader_;
  prometheus::Gauge& alerts_folded_;
  prometheus::Gauge& ready_;
};

}  // namespace slamon
