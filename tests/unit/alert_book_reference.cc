#include "alert_book_reference.h"

#include <algorithm>
#include <set>
#include <utility>

#include "alerts/alert_annotations.h"

namespace slamon::testing {

namespace {

bool IsPartnerAlert(AlertName name) {
  return name == AlertName::kQuotaExhausted || name == AlertName::kQuotaNearlyExhausted ||
         name == AlertName::kCertificationLapsing;
}

}  // namespace

ReferenceAlertBook::ReferenceAlertBook(AlertBookOptions options)
    : options_(std::move(options)) {
  options_.resend_interval = std::max(options_.resend_interval, Seconds(1));
  options_.resolved_retention = std::max(options_.resolved_retention, Seconds(0));
}

// ---- inputs -----------------------------------------------------------------

void ReferenceAlertBook::Apply(std::span<const Transition> transitions) {
  for (const Transition& t : transitions) {
    if (t.state == AlertState::kQuiet) continue;
    const AlertName name =
        t.state == AlertState::kAtRisk ? AlertName::kSlaAtRisk : AlertName::kSlaBreached;
    const Identity identity{name, t.ticket, t.target, {}};
    if (t.kind == TransitionKind::kEnded) {
      End(identity, t.at);
      continue;
    }
    Facts facts;
    facts.name = name;
    facts.ticket = t.ticket;
    facts.partner = t.partner;
    facts.ticket_severity = t.severity;
    facts.target = t.target;
    facts.deadline = t.deadline;
    // A breach begins at the deadline, however late it is noticed (a restart
    // or another replica then agrees on starts_at).
    const Instant starts_at = name == AlertName::kSlaBreached && t.deadline
                                  ? std::min(t.at, *t.deadline)
                                  : t.at;
    Start(identity, std::move(facts), t.at, starts_at);
  }
}

void ReferenceAlertBook::Observe(const SlaFigures& figures, Instant now) {
  std::set<Identity> holding;
  for (const auto& [partner, partner_figures] : figures.partners) {
    const PartnerQuota& quota = partner_figures.quota;
    if (quota.incidents_limit) {
      Facts facts;
      facts.partner = partner;
      facts.deadline = quota.period.end;
      facts.incidents_used = quota.incidents_used;
      facts.incidents_limit = *quota.incidents_limit;
      const bool exhausted = facts.incidents_used >= facts.incidents_limit;
      const bool nearly =
          !exhausted && facts.incidents_limit > 0 &&
          options_.quota_nearly_exhausted_share < 1.0 &&
          static_cast<double>(facts.incidents_used) / facts.incidents_limit >=
              options_.quota_nearly_exhausted_share;
      if (exhausted || nearly) {
        facts.name =
            exhausted ? AlertName::kQuotaExhausted : AlertName::kQuotaNearlyExhausted;
        const Identity identity{facts.name, partner, TargetName::kResponse, {}};
        holding.insert(identity);
        Start(identity, std::move(facts), now, now);
      }
    }
    const bool lapsing = !quota.certified || !quota.certified_until ||
                         *quota.certified_until <= now + options_.certification_horizon;
    if (lapsing) {
      Facts facts;
      facts.name = AlertName::kCertificationLapsing;
      facts.partner = partner;
      facts.certified_employees = quota.certified_employees;
      if (quota.certified) facts.deadline = quota.certified_until;
      const Identity identity{facts.name, partner, TargetName::kResponse, {}};
      holding.insert(identity);
      Start(identity, std::move(facts), now, now);
    }
  }
  std::vector<Identity> ended;
  for (const auto& [identity, labels] : firing_) {
    if (IsPartnerAlert(identity.name) && !holding.contains(identity)) {
      ended.push_back(identity);
    }
  }
  for (const Identity& identity : ended) End(identity, now);
}

void ReferenceAlertBook::Start(const Identity& identity, Facts facts, Instant at,
                               Instant starts_at) {
  const Labels labels = LabelsOf(facts);
  auto firing = firing_.find(identity);
  if (firing != firing_.end() && firing->second != labels) {
    // Same alert, new identity to Alertmanager (e.g. another ticket
    // severity): the old label set ends here, the new one starts.
    End(identity, at);
    firing = firing_.end();
  }
  auto [it, inserted] = alerts_.try_emplace(labels);
  Entry& entry = it->second;
  if (firing != firing_.end()) {  // still firing: only the facts change
    const bool waiting = IsTicketAlert(identity.name) && !entry.individual;
    if (waiting) Unfold(it->first, entry);
    entry.facts = std::move(facts);
    if (waiting) Fold(it->first, entry);
    return;
  }
  entry.facts = std::move(facts);
  if (inserted || entry.last_sent) {
    // A new episode. (A resolution that never went out is taken back
    // instead: to the receivers the alert never stopped.)
    entry.starts_at = starts_at;
    entry.sent_firing = false;
  }
  entry.ended_at.reset();
  entry.last_sent.reset();
  firing_.emplace(identity, labels);
  // A ticket alert waits for a place (Fill, at the next Due).
  entry.individual = false;
  if (IsTicketAlert(identity.name)) Fold(it->first, entry);
}

void ReferenceAlertBook::End(const Identity& identity, Instant at) {
  const auto firing = firing_.find(identity);
  if (firing == firing_.end()) return;
  const auto it = alerts_.find(firing->second);
  firing_.erase(firing);
  if (it == alerts_.end()) return;
  Entry& entry = it->second;
  if (IsTicketAlert(identity.name)) {
    if (entry.individual) {
      --individual_;
      entry.individual = false;
    } else {
      Unfold(it->first, entry);
    }
  }
  if (!entry.sent_firing) {  // nobody was told it fired
    alerts_.erase(it);
    return;
  }
  entry.ended_at = std::max(at, entry.starts_at);
  entry.last_sent.reset();
}

// ---- folding ----------------------------------------------------------------

ReferenceAlertBook::Waiting ReferenceAlertBook::WaitingOf(const Labels& labels,
                                                          const Entry& entry) {
  return {entry.facts.name == AlertName::kSlaAtRisk,
          entry.facts.deadline.value_or(Instant::max()), &labels};
}

ReferenceAlertBook::FoldKey ReferenceAlertBook::FoldKeyOf(const Facts& facts) {
  return {facts.partner, facts.target, facts.ticket_severity};
}

void ReferenceAlertBook::Fold(const Labels& labels, const Entry& entry) {
  folded_.insert(WaitingOf(labels, entry));
  const FoldKey key = FoldKeyOf(entry.facts);
  auto& [breached, at_risk] = fold_counts_[key];
  (entry.facts.name == AlertName::kSlaAtRisk ? at_risk : breached) += 1;
  fold_changed_.insert(key);
}

void ReferenceAlertBook::Unfold(const Labels& labels, const Entry& entry) {
  if (folded_.erase(WaitingOf(labels, entry)) == 0) return;
  const FoldKey key = FoldKeyOf(entry.facts);
  auto& [breached, at_risk] = fold_counts_[key];
  (entry.facts.name == AlertName::kSlaAtRisk ? at_risk : breached) -= 1;
  fold_changed_.insert(key);
}

void ReferenceAlertBook::Fill() {
  while (individual_ < options_.max_ticket_alerts && !folded_.empty()) {
    const Labels& labels = *folded_.begin()->labels;
    Entry& entry = alerts_.at(labels);
    Unfold(labels, entry);
    entry.individual = true;
    ++individual_;
  }
}

void ReferenceAlertBook::UpdateFolded(Instant now) {
  for (const FoldKey& key : fold_changed_) {
    const Identity identity{AlertName::kSlaAlertsFolded, key.partner, key.target,
                            key.ticket_severity};
    const auto counts = fold_counts_.find(key);
    if (counts == fold_counts_.end() ||
        counts->second.first + counts->second.second == 0) {
      if (counts != fold_counts_.end()) fold_counts_.erase(counts);
      End(identity, now);
      continue;
    }
    Facts facts;
    facts.name = AlertName::kSlaAlertsFolded;
    facts.partner = key.partner;
    facts.target = key.target;
    facts.ticket_severity = key.ticket_severity;
    facts.folded_breached = counts->second.first;
    facts.folded_at_risk = counts->second.second;
    Start(identity, std::move(facts), now, now);
  }
  fold_changed_.clear();
}

// ---- output -----------------------------------------------------------------

std::vector<Alert> ReferenceAlertBook::Due(Instant now) {
  Fill();
  UpdateFolded(now);
  std::vector<Alert> out;
  for (auto it = alerts_.begin(); it != alerts_.end();) {
    Entry& entry = it->second;
    if (!entry.ended_at && IsTicketAlert(entry.facts.name) && !entry.individual) {
      ++it;  // folded: SlaAlertsFolded carries it
      continue;
    }
    const bool cadence =
        !entry.last_sent || now - *entry.last_sent >= options_.resend_interval;
    if (entry.ended_at && entry.last_sent &&
        now >= *entry.ended_at + options_.resolved_retention) {
      it = alerts_.erase(it);
      continue;
    }
    if (cadence) {
      out.push_back(Render(it->first, entry, now));
      entry.last_sent = now;
      if (!entry.ended_at) entry.sent_firing = true;
    }
    ++it;
  }
  return out;
}

std::vector<Alert> ReferenceAlertBook::Firing(Instant now) const {
  std::vector<Alert> out;
  out.reserve(firing_.size());
  for (const auto& [labels, entry] : alerts_) {
    if (entry.ended_at) continue;
    if (IsTicketAlert(entry.facts.name) && !entry.individual) continue;  // folded
    out.push_back(Render(labels, entry, now));
  }
  return out;
}

void ReferenceAlertBook::ResendAll() {
  for (auto& [labels, entry] : alerts_) {
    // A resolved alert keeps being one that was sent (so that it is still
    // forgotten after its retention); it only becomes due at once.
    if (entry.ended_at) {
      entry.last_sent = *entry.ended_at - options_.resend_interval;
    } else {
      entry.last_sent.reset();
    }
  }
}

Labels ReferenceAlertBook::LabelsOf(const Facts& facts) const {
  Labels labels;
  labels["alertname"] = std::string(ToString(facts.name));
  if (IsPartnerAlert(facts.name)) {
    labels["severity"] = "warning";
    labels["partner"] = facts.partner;
    return labels;
  }
  const auto& critical = options_.critical_ticket_severities;
  const bool is_critical = (facts.name == AlertName::kSlaBreached ||
                            facts.name == AlertName::kSlaAlertsFolded) &&
                           std::find(critical.begin(), critical.end(),
                                     facts.ticket_severity) != critical.end();
  labels["severity"] = is_critical ? "critical" : "warning";
  if (facts.name != AlertName::kSlaAlertsFolded) labels["ticket"] = facts.ticket;
  labels["partner"] = facts.partner;
  labels["target"] = std::string(ToString(facts.target));
  labels["ticket_severity"] = facts.ticket_severity;
  return labels;
}

Alert ReferenceAlertBook::Render(const Labels& labels, const Entry& entry,
                                 Instant now) const {
  Alert alert;
  alert.labels = labels;
  alert.starts_at = entry.starts_at;
  alert.generator_url = options_.generator_url;
  if (entry.ended_at) {
    alert.status = AlertStatus::kResolved;
    alert.ends_at = *entry.ended_at;
    now = *entry.ended_at;  // describe it as it was when it ended
  } else {
    alert.status = AlertStatus::kFiring;
    alert.ends_at = now + 4 * options_.resend_interval;
  }

  // The wording is the book's own (alerts/alert_annotations.h): what this
  // reference checks is which alerts exist and when, not their words.
  const Facts& f = entry.facts;
  alert.annotations = AlertAnnotations({.name = f.name,
                                        .ticket = f.ticket,
                                        .partner = f.partner,
                                        .ticket_severity = f.ticket_severity,
                                        .target = f.target,
                                        .deadline = f.deadline,
                                        .incidents_used = f.incidents_used,
                                        .incidents_limit = f.incidents_limit,
                                        .certified_employees = f.certified_employees,
                                        .folded_breached = f.folded_breached,
                                        .folded_at_risk = f.folded_at_risk},
                                       now, options_.runbook_url);
  return alert;
}

}  // namespace slamon::testing
