// The alert sender as `slamon run` sets it up: its options from alerting.*,
// and what each delivery outcome does to the daemon's metrics and log
// (slamon_alert_queue_length, slamon_alerts_sent_total,
// slamon_alert_delivery_latency_seconds, ...; docs/metrics-and-alerts.md).
// Runs on the event loop thread, where the sender reports.
#pragma once

#include <functional>

#include "alerts/alert_sender.h"
#include "config/config.h"
#include "metrics/daemon_metrics.h"

namespace slamon {

// Every Alertmanager and webhook of alerting.*, reporting to `on_report`.
AlertSenderOptions AlertSenderOptionsFor(
    const AlertingConfig& alerting, std::function<void(const DeliveryReport&)> on_report);

// One delivery outcome into the metrics; a failed request is logged (the
// receiver by its name, never its URL).
void RecordDelivery(DaemonMetrics& metrics, const DeliveryReport& report);

}  // namespace slamon
