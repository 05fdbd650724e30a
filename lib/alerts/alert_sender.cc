#include "alerts/alert_sender.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <exception>
#include <optional>
#include <utility>

#include "alerts/alert_queue.h"
#include "http/receiver_url.h"

namespace slamon {

namespace net = boost::asio;
using boost::system::error_code;

namespace {

struct Destination {
  Destination(net::io_context& io, ReceiverKind receiver_kind,
              const ReceiverConfig& configured, std::size_t capacity)
      : kind(receiver_kind), queue(capacity), backoff(io) {
    Result<ReceiverUrl> parsed = ParseReceiverUrl(configured.url);
    if (parsed) {
      url =
          kind == ReceiverKind::kAlertmanager ? AlertmanagerAlertsUrl(*parsed) : *parsed;
      stats.receiver = configured.name.empty() ? url.Name() : configured.name;
    } else {
      url_error = parsed.error();
      stats.receiver = configured.name.empty() ? "unparsable URL" : configured.name;
      label = configured.name;
    }
    stats.kind = kind;
  }

  ReceiverKind kind;
  std::string label;  // the configured name, for errors; "" when none
  ReceiverUrl url;
  std::string url_error;  // "" when the URL is usable
  AlertQueue queue;
  std::vector<QueuedAlert> batch;  // the request in flight's alerts
  std::weak_ptr<PostCall> in_flight;
  bool busy = false;  // a request in flight or a backoff wait
  int failures_in_a_row = 0;
  net::steady_timer backoff;
  ReceiverStats stats;
};

std::string_view KindName(ReceiverKind kind) {
  return kind == ReceiverKind::kAlertmanager ? "alertmanager" : "webhook";
}

}  // namespace

struct AlertSender::State : std::enable_shared_from_this<AlertSender::State> {
  State(net::io_context& io_context, AlertSenderOptions sender_options,
        std::shared_ptr<Poster> the_poster)
      : io(io_context),
        options(std::move(sender_options)),
        poster(std::move(the_poster)),
        drain_timer(io_context) {
    options.max_batch = std::max<std::size_t>(options.max_batch, 1);
    options.max_retries = std::max(options.max_retries, 0);
    options.initial_backoff =
        std::max(options.initial_backoff, std::chrono::milliseconds(1));
    options.max_backoff = std::max(options.max_backoff, options.initial_backoff);
    for (const ReceiverConfig& url : options.alertmanagers) {
      destinations.push_back(std::make_unique<Destination>(
          io, ReceiverKind::kAlertmanager, url, options.queue_capacity));
    }
    for (const ReceiverConfig& url : options.webhooks) {
      destinations.push_back(std::make_unique<Destination>(io, ReceiverKind::kWebhook,
                                                           url, options.queue_capacity));
    }
  }

  net::io_context& io;
  AlertSenderOptions options;
  std::shared_ptr<Poster> poster;
  std::vector<std::unique_ptr<Destination>> destinations;
  bool started = false;
  bool stopped = false;
  std::function<void()> drain_done;
  net::steady_timer drain_timer;

  void Report(Destination& d, DeliveryOutcome outcome, std::size_t alerts,
              const PostResult* result = nullptr) {
    if (!options.on_report || alerts == 0) return;
    DeliveryReport report;
    report.receiver = d.stats.receiver;
    report.kind = d.kind;
    report.outcome = outcome;
    report.alerts = alerts;
    if (result != nullptr) {
      report.http_status = result->status;
      report.latency = result->elapsed;
      if (!result->ok()) report.error = result->Describe();
    }
    report.queued = d.queue.size();
    try {
      options.on_report(report);
    } catch (...) {  // the callback's own trouble; not ours to spread
    }
  }

  void Enqueue(Destination& d, std::span<const Alert> alerts) {
    const std::size_t dropped = d.queue.Push(alerts);
    d.stats.dropped += dropped;
    Report(d, DeliveryOutcome::kDropped, dropped);
    Pump(d);
    // After Pump, so that `queued` leaves out what went into a request.
    Report(d, DeliveryOutcome::kQueued, alerts.size() - std::min(dropped, alerts.size()));
  }

  // Starts the destination's next request when it has alerts and is free.
  void Pump(Destination& d) {
    if (stopped || d.busy || d.queue.empty()) return;
    d.batch = d.queue.Take(options.max_batch, d.kind == ReceiverKind::kAlertmanager
                                                  ? Batching::kAny
                                                  : Batching::kOneAlertname);
    std::vector<Alert> alerts;
    alerts.reserve(d.batch.size());
    for (const QueuedAlert& queued : d.batch) alerts.push_back(queued.alert);
    PostRequest request;
    request.url = d.url;
    request.timeout = options.request_timeout;
    request.body = d.kind == ReceiverKind::kAlertmanager
                       ? AlertmanagerBody(alerts)
                       : WebhookBody(alerts, options.webhook);
    d.busy = true;
    d.in_flight = poster->Post(std::move(request),
                               [self = shared_from_this(), &d](PostResult result) {
                                 self->OnPosted(d, std::move(result));
                               });
  }

  void OnPosted(Destination& d, PostResult result) {
    d.in_flight.reset();
    if (stopped) return;
    ++d.stats.requests;
    const std::size_t count = d.batch.size();
    if (result.ok()) {
      d.batch.clear();
      d.busy = false;
      d.failures_in_a_row = 0;
      d.stats.sent += count;
      Report(d, DeliveryOutcome::kSent, count, &result);
      Pump(d);
      CheckDrained();
      return;
    }
    d.stats.failed += count;
    d.stats.last_error = result.Describe();
    Report(d, DeliveryOutcome::kFailed, count, &result);
    const AlertQueue::RequeueResult requeue =
        d.queue.Requeue(std::move(d.batch), options.max_retries + 1);
    d.batch.clear();
    d.stats.abandoned += requeue.abandoned;
    d.stats.dropped += requeue.dropped;
    Report(d, DeliveryOutcome::kAbandoned, requeue.abandoned);
    Report(d, DeliveryOutcome::kDropped, requeue.dropped);
    ++d.failures_in_a_row;
    d.backoff.expires_after(Backoff(d.failures_in_a_row));
    d.backoff.async_wait([self = shared_from_this(), &d](const error_code& ec) {
      if (ec || self->stopped) return;
      d.busy = false;
      self->Pump(d);
      self->CheckDrained();
    });
  }

  // initial_backoff doubled per failure in a row after the first, at most
  // max_backoff.
  std::chrono::milliseconds Backoff(int failures_in_a_row) const {
    std::chrono::milliseconds delay = options.initial_backoff;
    for (int i = 1; i < failures_in_a_row && delay < options.max_backoff; ++i) delay *= 2;
    return std::min(delay, options.max_backoff);
  }

  bool Idle() const {
    return std::all_of(destinations.begin(), destinations.end(),
                       [](const auto& d) { return !d->busy && d->queue.empty(); });
  }

  void CheckDrained() {
    if (drain_done && Idle()) {
      drain_timer.cancel();
      FinishDrain();
    }
  }

  void FinishDrain() {
    auto done = std::move(drain_done);
    drain_done = nullptr;
    if (!done) return;
    try {
      done();
    } catch (...) {  // the caller's own trouble
    }
  }

  void Stop() {
    if (stopped) return;
    stopped = true;
    drain_timer.cancel();
    for (auto& d : destinations) {
      d->backoff.cancel();
      if (auto call = d->in_flight.lock()) call->Cancel();
      d->busy = false;
    }
    FinishDrain();
  }
};

AlertSender::AlertSender(net::io_context& io, AlertSenderOptions options,
                         std::shared_ptr<Poster> poster)
    : state_(std::make_shared<State>(io, std::move(options), std::move(poster))) {}

AlertSender::~AlertSender() { Stop(); }

Status AlertSender::Start() {
  State& s = *state_;
  if (s.started || s.stopped)
    return Status::Error("the alert sender was started or stopped already");
  std::string errors;
  bool https = false;
  for (const auto& d : s.destinations) {
    if (!d->url_error.empty()) {
      if (!errors.empty()) errors += "; ";
      // Not the URL itself: it may hold a secret.
      errors += std::string(KindName(d->kind)) +
                (d->label.empty() ? "" : " " + d->label) + ": " + d->url_error;
    }
    https = https || (d->url_error.empty() && d->url.tls);
  }
  if (!errors.empty()) return Status::Error(errors);
  if (!s.poster) return Status::Error("no poster");
  if (https) {
    if (Status prepared = s.poster->PrepareTls(); !prepared.ok()) return prepared;
  }
  s.started = true;
  return Status::Ok();
}

void AlertSender::Send(std::span<const Alert> alerts) {
  State& s = *state_;
  if (!s.started || s.stopped || alerts.empty()) return;
  for (auto& d : s.destinations) s.Enqueue(*d, alerts);
}

void AlertSender::Drain(std::chrono::milliseconds limit, std::function<void()> done) {
  State& s = *state_;
  s.drain_done = std::move(done);
  if (s.stopped || s.Idle()) {
    net::post(s.io, [state = state_] { state->FinishDrain(); });
    return;
  }
  s.drain_timer.expires_after(limit);
  s.drain_timer.async_wait([state = state_](const error_code& ec) {
    if (ec) return;
    state->Stop();  // calls drain_done
  });
}

void AlertSender::Stop() { state_->Stop(); }

bool AlertSender::idle() const { return state_->Idle(); }

std::vector<std::string> AlertSender::receivers() const {
  std::vector<std::string> out;
  for (const auto& d : state_->destinations) out.push_back(d->stats.receiver);
  return out;
}

std::vector<ReceiverStats> AlertSender::stats() const {
  std::vector<ReceiverStats> out;
  for (const auto& d : state_->destinations) {
    ReceiverStats stats = d->stats;
    stats.queued = d->queue.size();
    out.push_back(std::move(stats));
  }
  return out;
}

}  // namespace slamon
