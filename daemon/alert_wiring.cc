#include "alert_wiring.h"

#include <spdlog/spdlog.h>

namespace slamon {

AlertSenderOptions AlertSenderOptionsFor(
    const AlertingConfig& alerting,
    std::function<void(const DeliveryReport&)> on_report) {
  AlertSenderOptions options;
  options.alertmanagers = alerting.alertmanagers;
  options.webhooks = alerting.webhooks;
  options.on_report = std::move(on_report);
  return options;
}

void RecordDelivery(DaemonMetrics& metrics, const DeliveryReport& report) {
  metrics.SetAlertQueueLength(report.receiver, report.queued);
  switch (report.outcome) {
    case DeliveryOutcome::kQueued:
      break;
    case DeliveryOutcome::kSent:
      metrics.CountAlertsSent(report.receiver, report.alerts);
      metrics.ObserveAlertDelivery(report.receiver, report.latency);
      break;
    case DeliveryOutcome::kFailed:
      metrics.CountAlertSendFailures(report.receiver, report.alerts);
      metrics.ObserveAlertDelivery(report.receiver, report.latency);
      spdlog::warn("alerts to {} failed: {}", report.receiver, report.error);
      break;
    case DeliveryOutcome::kDropped:
    case DeliveryOutcome::kAbandoned:
      metrics.CountAlertsDropped(report.alerts);
      break;
  }
}

}  // namespace slamon
