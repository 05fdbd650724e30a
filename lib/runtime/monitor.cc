#include "runtime/monitor.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "runtime/transition_log.h"

namespace slamon {

Monitor::Monitor(Config&& config, MonitorSeams seams, MonitorOptions options, Moment now)
    : seams_(std::move(seams)),
      options_(options),
      // Folded alerts are kept by the tracker's ticket handles; the ids come
      // from the tracker when one gets a place (AlertBook::Due, after every
      // transition so far is applied).
      alert_book_(AlertBookOptionsFrom(config.alerting),
                  [this](uint32_t handle) { return tracker_.TicketOf(handle); }),
      tracker_(std::move(config.rules), now.wall),
      lease_(options.leader_lease) {
  // The history's transitions are not news (see MaybeReady).
  tracker_.ReportTransitions(false);
  // Each ticket the load brings is evaluated once, at its end (OnLoaded),
  // not once an event.
  tracker_.DeferEvaluation(true);
}

void Monitor::OnDatabaseStatus(bool up, const std::string& why) {
  // Logged on the first answer too, so a database unreachable from the start
  // says why in the journal; each distinct failure once, not every retry.
  if (up && db_up_ != true) spdlog::info("database connected");
  if (!up && (db_up_ != false || why != last_failure_)) {
    spdlog::error("database unavailable: {}", why);
    last_failure_ = why;
  }
  db_up_ = up;
  seams_.daemon_metrics->SetDatabaseUp(up);
}

void Monitor::OnReference(ReferenceData&& data, Moment now) {
  for (const auto& problem : data.problems) LogOnce(problem);
  std::vector<Transition> transitions;
  // Replaced, not merged (docs/design.md §6): what changed is re-evaluated,
  // closed tickets included: their histories come back from the database.
  const std::vector<std::string> stale = tracker_.ReplaceReference(
      ReferenceBook(std::move(data.partners), std::move(data.certifications),
                    std::move(data.releases)),
      transitions);
  for (const auto& ticket : stale) {
    if (reloading_.insert(ticket).second) seams_.database->RequestTicket(ticket);
  }
  WarnReferenceProblems();
  AfterChange(transitions, now);
}

void Monitor::OnEvents(EventBatch&& batch, Moment now) {
  std::vector<Transition> transitions;
  tracker_.Advance(now.wall, transitions);
  for (const auto& bad : batch.bad) {
    seams_.daemon_metrics->CountEventsRejected(bad.reason);
    LogOnce(bad.message);
  }
  uint64_t applied = 0;
  uint64_t unknown_partner = 0;
  for (size_t i = 0; i < batch.events.size(); ++i) {
    if (i + Tracker::kPrefetchAhead < batch.events.size()) {
      tracker_.Prefetch(batch.events[i + Tracker::kPrefetchAhead].ticket);
    }
    EventRow& row = batch.events[i];
    Tracker::ApplyResult result = tracker_.Apply(row.ticket, row.event, transitions);
    if (result.needs_history) {
      // Reopened after it left memory: its whole history comes back from the
      // database (this event included); asked once while it is on its way.
      if (reloading_.insert(row.ticket).second)
        seams_.database->RequestTicket(row.ticket);
      continue;
    }
    if (!result.duplicate) {
      ++applied;
      if (row.event.kind == EventKind::kOpened &&
          !tracker_.KnowsPartner(row.event.partner))
        ++unknown_partner;
    }
    Rejected(result.rejected);
  }
  // Counted once a batch (a million atomic increments cost more than the
  // load's event decoding); a scrape sees the batch whole or not at all.
  if (applied > 0) seams_.daemon_metrics->CountEventsApplied(applied);
  if (unknown_partner > 0)
    seams_.daemon_metrics->CountUnknownPartnerEvents(unknown_partner);
  AfterChange(transitions, now);
  seams_.database->BatchApplied();
}

void Monitor::OnTicket(const std::string& ticket, EventBatch&& batch, Moment now) {
  std::vector<TicketEvent> events;
  events.reserve(batch.events.size());
  for (auto& row : batch.events) events.push_back(std::move(row.event));
  std::vector<Transition> transitions;
  Tracker::ApplyResult result =
      tracker_.ReplaceHistory(ticket, std::move(events), transitions);
  Rejected(result.rejected);
  reloading_.erase(ticket);
  AfterChange(transitions, now);
  MaybeReady(now);
}

bool Monitor::OnLoaded(Moment now) {
  // About 30 ms of work a slice on a 2-core machine of 2026.
  constexpr size_t kSlice = 20000;
  tracker_.DeferEvaluation(false);
  std::vector<Transition> transitions;
  std::vector<RejectedEvent> rejected;
  tracker_.Advance(now.wall, transitions);
  const bool done = tracker_.EvaluateDeferred(kSlice, transitions, rejected);
  Rejected(rejected);
  AfterChange(transitions, now);
  if (!done) return false;
  loaded_ = true;
  MaybeReady(now);
  return true;
}

void Monitor::MaybeReady(Moment now) {
  if (ready_ || !loaded_ || !reloading_.empty()) return;
  ready_ = true;
  tracker_.ReportTransitions(true);
  seams_.daemon_metrics->SetReady(true);
  // The history went into the tracker without the alert book (breaches that
  // started and ended in it are not news): the book starts from what is at
  // risk or breached now.
  {
    // Scoped: freed before on_ready (which may return freed memory to the
    // system); a million alerts' transitions are a few hundred MB.
    std::vector<Transition> current;
    tracker_.CurrentAlerts(current);
    alert_book_.Apply(current);
    ObservePartners(now);
    SlaFigures figures = tracker_.Snapshot();
    spdlog::info(
        "ticket database loaded: {} open tickets, {} in memory, {} alerts firing; ready",
        figures.open_tickets, figures.tracked_tickets, alert_book_.firing_count());
    for (const auto& line : TransitionLogLines(current, "at ready"))
      spdlog::info("{}", line);
  }
  if (seams_.on_ready) seams_.on_ready();
  // Only now: a loading replica must not take the lead from a loaded one.
  if (seams_.leadership) seams_.leadership->Start();
  Tick(now);
}

void Monitor::OnLeaderCheck(const LeaderCheck& check, Moment now) {
  lease_.Record(check);
  if (check.answer == LeaderCheck::Answer::kUnknown) {
    if (lease_.Unconfirmed(now.steady) || sending_) {
      if (!lease_warned_) {
        spdlog::warn("cannot confirm the leadership ({}): sending for at most {} ms more",
                     check.why, options_.leader_lease.count());
      }
      lease_warned_ = true;
    }
  } else {
    lease_warned_ = false;
  }
  if (check.answer == LeaderCheck::Answer::kOther && !check.why.empty()) {
    if (check.why != not_leading_why_) spdlog::warn("not leading: {}", check.why);
  } else if (check.answer == LeaderCheck::Answer::kOther && sending_) {
    spdlog::info("another replica is the leader");
  }
  if (check.answer != LeaderCheck::Answer::kUnknown) not_leading_why_ = check.why;
  UpdateSending(now);
}

void Monitor::Tick(Moment now) {
  std::vector<Transition> transitions;
  tracker_.Advance(now.wall, transitions);
  AfterChange(transitions, now);
}

bool Monitor::Reload(ConfigResult result, const std::string& path, Moment now) {
  if (!result.config) {
    for (const auto& e : result.errors) spdlog::error("reload: {}", e.ToString());
    spdlog::error("reload failed: keeping the running config");
    return false;
  }
  std::vector<Transition> transitions;
  // Every ticket in memory is re-evaluated at once; the closed tickets the
  // new rules concern come back from the database and are recomputed, as a
  // restart with this config would (docs/commands.md, "Signals").
  const std::vector<std::string> stale =
      tracker_.SetRules(std::move(result.config->rules), transitions);
  for (const auto& ticket : stale) {
    if (reloading_.insert(ticket).second) seams_.database->RequestTicket(ticket);
  }
  WarnReferenceProblems();
  if (stale.empty()) {
    spdlog::info("reloaded {}", path);
  } else {
    spdlog::info("reloaded {}: {} closed tickets are reloaded and recomputed", path,
                 stale.size());
  }
  AfterChange(transitions, now);
  return true;
}

void Monitor::Rejected(const std::vector<RejectedEvent>& rejected) {
  for (const auto& r : rejected) {
    seams_.daemon_metrics->CountEventsRejected(r.reason);
    LogOnce("ticket_events seq " + std::to_string(r.event.sequence) + ": " + r.message);
  }
}

// A partner naming an undefined policy is evaluated with the default one.
void Monitor::WarnReferenceProblems() {
  for (const auto& problem : tracker_.ReferenceProblems()) {
    if (logged_.insert(problem).second) spdlog::warn("reference data: {}", problem);
  }
}

void Monitor::LogOnce(const std::string& message) {
  if (logged_.insert(message).second) spdlog::warn("skipped: {}", message);
}

void Monitor::AfterChange(const std::vector<Transition>& transitions, Moment now) {
  // The history's transitions are not news: the load's summary counts them.
  // A few name their tickets; many at once are summarised (TransitionLog).
  if (ready_) {
    for (const auto& line : TransitionLogLines(transitions, "alerts changed"))
      spdlog::info("{}", line);
  }
  // Loading: the alert book waits for the end of the load (MaybeReady).
  if (!ready_) return;
  alert_book_.Apply(transitions);
  ObservePartners(now);
  UpdateSending(now);
  SendDue(now);
}

void Monitor::ObservePartners(Moment now) {
  // Whole when time moved (quota periods and certifications are judged
  // against it) or the partners did; otherwise only the partners whose
  // figures the change touched, so a batch costs what it changed.
  if (now.wall != observed_at_ || tracker_.partners_epoch() != observed_epoch_) {
    observed_at_ = now.wall;
    observed_epoch_ = tracker_.partners_epoch();
    SlaFigures figures;
    partners_seen_ = 0;
    figures.partners = tracker_.PartnersChangedSince(&partners_seen_);
    alert_book_.Observe(figures, now.wall);
    return;
  }
  alert_book_.ObserveSome(tracker_.PartnersChangedSince(&partners_seen_), now.wall);
}

void Monitor::UpdateSending(Moment now) {
  const bool sending = ready_ && seams_.alerts != nullptr && lease_.Sending(now.steady);
  if (sending == sending_) return;
  sending_ = sending;
  seams_.daemon_metrics->SetLeader(sending);
  if (sending) {
    spdlog::info("this replica is now the leader (it sends alerts)");
    alert_book_.ResendAll();  // what is firing may never have reached Alertmanager
  } else if (lease_.Unconfirmed(now.steady)) {
    spdlog::warn("leadership lease ran out without a confirmation: not sending alerts");
  }
}

void Monitor::SendDue(Moment now) {
  // While loading nothing is due: what starts and ends within the history
  // is forgotten unsent.
  if (!ready_) return;
  std::vector<Alert> due = alert_book_.Due(now.wall);
  seams_.daemon_metrics->SetAlertsFolded(alert_book_.folded_count());
  if (sending_ && lease_.Sending(now.steady) && !due.empty()) seams_.alerts->Send(due);
}

}  // namespace slamon
