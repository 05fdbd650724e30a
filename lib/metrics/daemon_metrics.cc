#include "metrics/daemon_metrics.h"

#include <stdexcept>
#include <utility>

namespace slamon {
namespace {

std::shared_ptr<prometheus::Registry> Required(
    std::shared_ptr<prometheus::Registry> registry) {
  if (!registry) throw std::invalid_argument("DaemonMetrics: no registry");
  return registry;
}

prometheus::Gauge& Gauge(prometheus::Registry& registry, const std::string& name,
                         const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add({});
}

prometheus::Family<prometheus::Counter>& Counters(prometheus::Registry& registry,
                                                  const std::string& name,
                                                  const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

}  // namespace

const prometheus::Histogram::BucketBoundaries& DaemonMetrics::PollDurationBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return kBuckets;
}

const prometheus::Histogram::BucketBoundaries& DaemonMetrics::DeliveryLatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return kBuckets;
}

DaemonMetrics::DaemonMetrics(std::shared_ptr<prometheus::Registry> registry,
                             const DaemonMetricsOptions& options)
    : registry_(Required(std::move(registry))),
      db_up_(Gauge(*registry_, "slamon_db_up",
                   "1 while the ticket database answers, 0 while it does not.")),
      poll_duration_(prometheus::BuildHistogram()
                         .Name("slamon_poll_duration_seconds")
                         .Help("Time one read of new events from the database took.")
                         .Register(*registry_)
                         .Add({}, PollDurationBuckets())),
      last_poll_success_(Gauge(*registry_, "slamon_last_poll_success_timestamp_seconds",
                               "When a read of new events last succeeded; 0 before the "
                               "first success.")),
      events_applied_(Counters(*registry_, "slamon_events_applied_total",
                               "Ticket events applied to the tracker.")
                          .Add({})),
      events_rejected_(Counters(*registry_, "slamon_events_rejected_total",
                                "Ticket events skipped for breaking a rule, by reason.")),
      events_unknown_partner_(
          Counters(*registry_, "slamon_events_unknown_partner_total",
                   "Tickets opened for a partner not in slamon.partners; their figures "
                   "carry partner=\"unknown\".")
              .Add({})),
      alerts_sent_(Counters(*registry_, "slamon_alerts_sent_total",
                            "Alerts a receiver accepted, by receiver.")),
      alert_send_failures_(Counters(*registry_, "slamon_alert_send_failures_total",
                                    "Alerts in requests to a receiver that failed, by "
                                    "receiver.")),
      alerts_dropped_(Counters(*registry_, "slamon_alerts_dropped_total",
                               "Alerts dropped because the send queue was full.")
                          .Add({})),
      alert_queue_length_(
          prometheus::BuildGauge()
              .Name("slamon_alert_queue_length")
              .Help("Alerts waiting to be sent to a receiver, by receiver.")
              .Register(*registry_)),
      alert_delivery_latency_(
          prometheus::BuildHistogram()
              .Name("slamon_alert_delivery_latency_seconds")
              .Help("Time one request to a receiver took, answered or failed, by "
                    "receiver.")
              .Register(*registry_)),
      leader_(Gauge(
          *registry_, "slamon_leader",
          "1 while this replica holds the leader lock and sends the alerts, else 0.")),
      alerts_folded_(Gauge(*registry_, "slamon_alerts_folded",
                           "Per-ticket alerts firing but folded into SlaAlertsFolded "
                           "(past alerting.max_ticket_alerts).")),
      ready_(Gauge(*registry_, "slamon_ready",
                   "1 once the database has been loaded in full (what /-/ready answers), "
                   "else 0.")) {
  prometheus::BuildGauge()
      .Name("slamon_build_info")
      .Help("Always 1; the labels tell the slamon version and source revision.")
      .Register(*registry_)
      .Add({{"version", options.build.version}, {"revision", options.build.revision}})
      .Set(1);
  for (RejectReason reason : kAllRejectReasons) {
    events_rejected_.Add({{"reason", std::string(ToString(reason))}});
  }
  for (const std::string& receiver : options.receivers) AddReceiver(receiver);
}

void DaemonMetrics::SetDatabaseUp(bool up) { db_up_.Set(up ? 1 : 0); }

void DaemonMetrics::ObservePollDuration(std::chrono::duration<double> duration) {
  poll_duration_.Observe(duration.count());
}

void DaemonMetrics::SetLastPollSuccess(std::chrono::system_clock::time_point at) {
  // Milliseconds first: a double holds them exactly, nanoseconds since 1970 it does not.
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch());
  last_poll_success_.Set(std::chrono::duration<double>(ms).count());
}

void DaemonMetrics::CountEventsApplied(uint64_t count) {
  events_applied_.Increment(static_cast<double>(count));
}

void DaemonMetrics::CountEventsRejected(RejectReason reason, uint64_t count) {
  events_rejected_.Add({{"reason", std::string(ToString(reason))}})
      .Increment(static_cast<double>(count));
}

void DaemonMetrics::CountUnknownPartnerEvents(uint64_t count) {
  events_unknown_partner_.Increment(static_cast<double>(count));
}

void DaemonMetrics::AddReceiver(const std::string& receiver) {
  alerts_sent_.Add({{"receiver", receiver}});
  alert_send_failures_.Add({{"receiver", receiver}});
  alert_queue_length_.Add({{"receiver", receiver}});
  alert_delivery_latency_.Add({{"receiver", receiver}}, DeliveryLatencyBuckets());
}

void DaemonMetrics::CountAlertsSent(const std::string& receiver, uint64_t count) {
  AddReceiver(receiver);
  alerts_sent_.Add({{"receiver", receiver}}).Increment(static_cast<double>(count));
}

void DaemonMetrics::CountAlertSendFailures(const std::string& receiver, uint64_t count) {
  AddReceiver(receiver);
  alert_send_failures_.Add({{"receiver", receiver}})
      .Increment(static_cast<double>(count));
}

void DaemonMetrics::CountAlertsDropped(uint64_t count) {
  alerts_dropped_.Increment(static_cast<double>(count));
}

void DaemonMetrics::SetAlertQueueLength(const std::string& receiver, std::size_t alerts) {
  AddReceiver(receiver);
  alert_queue_length_.Add({{"receiver", receiver}}).Set(static_cast<double>(alerts));
}

void DaemonMetrics::ObserveAlertDelivery(const std::string& receiver,
                                         std::chrono::duration<double> latency) {
  AddReceiver(receiver);
  alert_delivery_latency_.Add({{"receiver", receiver}}, DeliveryLatencyBuckets())
      .Observe(latency.count());
}

void DaemonMetrics::SetLeader(bool leader) { leader_.Set(leader ? 1 : 0); }

void DaemonMetrics::SetAlertsFolded(std::size_t folded) {
  alerts_folded_.Set(static_cast<double>(folded));
}

void DaemonMetrics::SetReady(bool ready) { ready_.Set(ready ? 1 : 0); }

}  // namespace slamon
