// Monitor: what the daemon decides, without its threads, sockets or clock.
//
// The daemon (daemon/command_run.cc) wires it to the world: the database
// thread's callbacks become OnReference / OnEvents / OnTicket / OnLoaded /
// OnDatabaseStatus, leader checks become OnLeaderCheck, timers become Tick,
// SIGHUP becomes Reload. Everything runs on one thread (the event loop); time
// is always an argument (Moment). Its seams, passed in and faked in tests:
//
//   DatabaseRequests  ticket reloads, reference reloads, hand-over acks
//   AlertSink         where alerts go (AlertSender)
//   LeadershipSource  started once the load is done (LeaderLoop)
//
// Life: loading (the event log streams in; the alert book is left alone,
// nothing is sent, the leadership is not competed for) -> ready once the load is complete
// AND every ticket that needed its history reloaded (a reopened ticket) was reloaded: the
// alert book starts from the clocks at risk or breached now (Tracker::CurrentAlerts),
// /-/ready 200, on_ready, the leadership source starts. What fired and resolved within
// the history is never in the book, so a new leader sends only what is breached or at
// risk now.
//
// Sending: while the LeaderLease says so (see runtime/leadership.h), every
// change sends what the alert book says is due; a replica that becomes the
// sender resends everything firing. Followers keep the book current.
//
// Metrics: the SLA metrics are built when /metrics is scraped, from
// tracker().Snapshot() taken on this thread (metrics/sla_metrics.h); the
// monitor publishes nothing. After each change it hands the partners' figures
// to the alert book for the quota and certification alerts: all of them when
// time moved (a second) or the reference data or rules changed, otherwise
// only the partners whose figures changed (Tracker::PartnersChangedSince).
//
// Logging: a database failure once per distinct reason (not every retry);
// a skipped row once; at ready, the clocks at risk or breached; after the
// load, each change of alerts — one line per ticket for a few, a summary per
// target and severity for many at once (runtime/transition_log.h).
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "alerts/alert_book.h"
#include "alerts/alert_sink.h"
#include "config/config.h"
#include "metrics/daemon_metrics.h"
#include "runtime/database_requests.h"
#include "runtime/leadership.h"
#include "runtime/moment.h"
#include "store/event_source.h"
#include "tracker/tracker.h"

namespace slamon {

struct MonitorSeams {
  DatabaseRequests* database = nullptr;
  AlertSink* alerts = nullptr;             // may be null: nothing is sent
  LeadershipSource* leadership = nullptr;  // may be null: never leads
  DaemonMetrics* daemon_metrics = nullptr;
  std::function<void()> on_ready;  // once, when the monitor turns ready
};

struct MonitorOptions {
  // How long a confirmed leader check lets this replica send (and how long a
  // new leader waits before its first send).
  std::chrono::milliseconds leader_lease{4000};
};

class Monitor {
 public:
  // Every seam but `alerts`/`leadership`/`on_ready` must be set and outlive
  // the monitor.
  Monitor(Config&& config, MonitorSeams seams, MonitorOptions options, Moment now);
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  void OnDatabaseStatus(bool up, const std::string& why);
  void OnReference(ReferenceData&& data, Moment now);
  // Applies a batch and acknowledges it (DatabaseRequests::BatchApplied).
  void OnEvents(EventBatch&& batch, Moment now);
  void OnTicket(const std::string& ticket, EventBatch&& batch, Moment now);
  // The load's last batch was handed over. The tickets it brought are
  // evaluated now, once each (Tracker::DeferEvaluation), a slice a call so
  // the loop stays responsive: false while some are left — call it again
  // after what else is queued; true once done (ready, unless histories
  // asked for meanwhile are still on their way).
  [[nodiscard]] bool OnLoaded(Moment now);
  void OnLeaderCheck(const LeaderCheck& check, Moment now);
  // Time moved: clocks turn at risk or breached, quota periods change, the
  // lease may run out, resends fall due.
  void Tick(Moment now);
  // SIGHUP: `result` is the re-read config file. A bad one keeps the running
  // config (each error logged). Returns whether the new config is in use.
  bool Reload(ConfigResult result, const std::string& path, Moment now);

  bool ready() const { return ready_; }
  bool sending() const { return sending_; }  // as of the last call
  // When the tracker's next transition can happen (arm a timer for it).
  std::optional<Instant> NextWakeUp() const { return tracker_.NextWakeUp(); }
  const Tracker& tracker() const { return tracker_; }
  const AlertBook& alert_book() const { return alert_book_; }

 private:
  void Rejected(const std::vector<RejectedEvent>& rejected);
  void LogOnce(const std::string& message);
  void WarnReferenceProblems();
  void AfterChange(const std::vector<Transition>& transitions, Moment now);
  void ObservePartners(Moment now);
  void UpdateSending(Moment now);
  void SendDue(Moment now);
  void MaybeReady(Moment now);

  MonitorSeams seams_;
  MonitorOptions options_;
  AlertBook alert_book_;
  Tracker tracker_;
  LeaderLease lease_;
  bool loaded_ = false;
  bool ready_ = false;
  bool sending_ = false;
  bool lease_warned_ = false;        // "cannot confirm" logged for this outage
  std::string not_leading_why_;      // why a definite "not leading" was last logged
  std::optional<bool> db_up_;        // none until the database thread first reports
  std::string last_failure_;         // the last database failure logged
  std::set<std::string> reloading_;  // tickets whose history was requested
  std::set<std::string> logged_;
  // What ObservePartners last handed the alert book whole.
  std::optional<Instant> observed_at_;
  uint64_t observed_epoch_ = 0;
  uint64_t partners_seen_ = 0;  // Tracker::PartnersChangedSince's stamp
};

}  // namespace slamon
