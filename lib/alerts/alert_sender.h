// AlertSender: delivers alerts to every configured Alertmanager and webhook.
//
// Send() hands the same alerts to every destination:
//   - an Alertmanager gets `POST {base}/api/v2/alerts` with a JSON array of
//     postableAlerts (AlertmanagerBody), up to `max_batch` alerts a request;
//   - a webhook gets `POST {url}` with Alertmanager's webhook JSON version 4
//     (WebhookBody), one request per run of alerts sharing an alertname (one
//     "group"), up to `max_batch` alerts.
// Each destination has its own bounded AlertQueue (a newer version of a
// waiting alert replaces it; when full the oldest are dropped) and sends one
// request at a time, so a slow or dead destination delays only itself. Every
// request has a timeout covering resolve, connect, TLS handshake, write and
// read. Only a 2xx answer counts as sent; anything else (an error, a timeout,
// another status) fails the request: its alerts are put back at the front of
// the queue and retried after a backoff that doubles from `initial_backoff` up
// to `max_backoff` while the destination keeps failing (it resets on a
// success); an alert that failed max_retries + 1 times is abandoned. One
// connection per request (Connection: close). The requests go through a
// Poster (http/poster.h): the daemon gives it HttpPoster (http/http_client.h,
// https verified against the system's trust store or `ca_file`, with the
// URL's host name); the unit tests give it a fake.
//
// What happens is reported per destination ("receiver", its URL without the
// query: ReceiverUrl::Name) through `on_report`, in alerts, not requests:
// kQueued (taken into the queue), kSent (accepted), kFailed (carried by a
// failed request; they are retried), kDropped (queue full), kAbandoned (out of
// retries); every report carries the queue's length after it, kSent and
// kFailed the request's latency. The daemon maps them to DaemonMetrics:
// kSent -> CountAlertsSent(receiver, n), kFailed -> CountAlertSendFailures
// (receiver, n), kDropped and kAbandoned -> CountAlertsDropped(n); the queue
// length and the latency of kSent/kFailed go to SetAlertQueueLength and
// ObserveAlertDelivery. stats() keeps the same totals.
//
// Errors are values: Start() reports bad URLs and an unusable trust store; a
// failed request is a report; no exception leaves this class (one thrown by
// `on_report` is swallowed).
//
// Threading: all work happens on the given io_context, run by one thread;
// Send, Drain, Stop, idle, stats and the callbacks run on that thread (or
// while the io_context is not running). Nothing blocks the io_context.
// Lifetime: requests in flight keep the sender's state alive; destroying the
// AlertSender stops it (in-flight requests are cancelled, nothing more is
// reported).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "alerts/alert_json.h"
#include "alerts/alert_sink.h"
#include "base/status.h"
#include "config/config.h"
#include "http/poster.h"

namespace slamon {

enum class ReceiverKind : uint8_t { kAlertmanager, kWebhook };

enum class DeliveryOutcome : uint8_t {
  kQueued,     // taken into the queue, to be sent
  kSent,       // a 2xx answer: the receiver accepted the alerts
  kFailed,     // a request failed (error, timeout, non-2xx); the alerts wait for a retry
  kDropped,    // the queue was full: the oldest alerts made room
  kAbandoned,  // failed max_retries + 1 times: given up
};

struct DeliveryReport {
  std::string receiver;  // ReceiverUrl::Name() of the destination
  ReceiverKind kind = ReceiverKind::kAlertmanager;
  DeliveryOutcome outcome = DeliveryOutcome::kSent;
  std::size_t alerts = 0;
  int http_status = 0;  // kSent and kFailed: the answer's status, 0 without one
  std::string error;    // kFailed: what went wrong ("timeout after 10s", ...)
  std::chrono::duration<double> latency{0};  // kSent and kFailed: the request's
  std::size_t queued = 0;  // alerts waiting after this (not counting a request in flight)
};

struct AlertSenderOptions {
  std::vector<ReceiverConfig> alertmanagers;  // base URLs, http:// or https://
  std::vector<ReceiverConfig> webhooks;       // full URLs, http:// or https://
  std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};
  std::size_t queue_capacity = 10000;  // alerts per destination
  std::size_t max_batch = 256;         // alerts per request
  int max_retries = 5;
  std::chrono::milliseconds initial_backoff{std::chrono::seconds(1)};
  std::chrono::milliseconds max_backoff{std::chrono::seconds(30)};
  WebhookMessage webhook;  // the webhook payload's receiver and externalURL
  // Called on the io_context thread for every outcome; may be empty.
  std::function<void(const DeliveryReport&)> on_report;
};

struct ReceiverStats {
  std::string receiver;
  ReceiverKind kind = ReceiverKind::kAlertmanager;
  // Alerts, totals since start.
  uint64_t sent = 0;
  uint64_t failed = 0;
  uint64_t dropped = 0;
  uint64_t abandoned = 0;
  uint64_t requests = 0;   // requests completed, of any outcome
  std::size_t queued = 0;  // waiting now (not counting a request in flight)
  std::string last_error;  // of the last failed request; "" when none
};

class AlertSender final : public AlertSink {
 public:
  // `io` runs the back-off and drain timers; `poster` makes the requests.
  AlertSender(boost::asio::io_context& io, AlertSenderOptions options,
              std::shared_ptr<Poster> poster);
  ~AlertSender() override;
  AlertSender(const AlertSender&) = delete;
  AlertSender& operator=(const AlertSender&) = delete;

  // Checks the URLs and, when one is https, readies the poster's TLS. Once; Send does
  // nothing before a successful Start. An error names the receiver, never its
  // URL (which may hold a secret).
  Status Start();

  // Queues `alerts` for every destination and starts sending. Returns at
  // once.
  void Send(std::span<const Alert> alerts) override;

  // Calls `done` once every queue is empty and no request is in flight, or
  // after `limit` (the sender is then stopped), whichever comes first; also
  // when Stop() comes first. For a SIGTERM: drain, then exit.
  void Drain(std::chrono::milliseconds limit, std::function<void()> done);

  // Cancels requests in flight and backoff waits; nothing more is sent or
  // reported. Idempotent.
  void Stop();

  // True when every queue is empty and no request is in flight or waiting.
  bool idle() const;

  // The destinations' names (for DaemonMetricsOptions::receivers), in the
  // order of the options: Alertmanagers first, then webhooks.
  std::vector<std::string> receivers() const;
  std::vector<ReceiverStats> stats() const;

  struct State;  // defined in alert_sender.cc

 private:
  std::shared_ptr<State> state_;
};

}  // namespace slamon
