#include "alerts/alert_book.h"

#include <algorithm>
#include <climits>
#include <functional>
#include <stdexcept>
#include <utility>

#include "alerts/alert_annotations.h"

namespace slamon {

namespace {

// An instant as records keep it: whole seconds since the epoch.
int64_t Raw(Instant t) { return t.time_since_epoch().count(); }
Instant FromRaw(int64_t raw) { return Instant{Seconds{raw}}; }

// What a record's start counts from when it has no deadline: 2000-01-01,
// so that 32 bits reach 2068.
constexpr Instant kStartsBase{Seconds{946684800}};

// Due at the next Due, whatever its time.
constexpr Instant kAtOnce = Instant::min();

const std::string kNoName;

bool IsPartnerAlert(AlertName name) {
  return name == AlertName::kQuotaExhausted || name == AlertName::kQuotaNearlyExhausted ||
         name == AlertName::kCertificationLapsing;
}

}  // namespace

std::string_view ToString(AlertName name) {
  switch (name) {
    case AlertName::kSlaAtRisk:
      return "SlaAtRisk";
    case AlertName::kSlaBreached:
      return "SlaBreached";
    case AlertName::kQuotaExhausted:
      return "QuotaExhausted";
    case AlertName::kQuotaNearlyExhausted:
      return "QuotaNearlyExhausted";
    case AlertName::kCertificationLapsing:
      return "CertificationLapsing";
    case AlertName::kSlaAlertsFolded:
      return "SlaAlertsFolded";
  }
  return "Unknown";
}

AlertBookOptions AlertBookOptionsFrom(const AlertingConfig& config) {
  AlertBookOptions options;
  options.resend_interval = config.resend_interval;
  options.runbook_url = config.runbook_url;
  options.quota_nearly_exhausted_share = config.quota_warning_share;
  options.certification_horizon = config.certification_warning;
  options.max_ticket_alerts = static_cast<std::size_t>(config.max_ticket_alerts);
  return options;
}

AlertBook::AlertBook(AlertBookOptions options, TicketIds ticket_ids)
    : options_(std::move(options)),
      ticket_ids_(std::move(ticket_ids)),
      tickets_([this](uint32_t group) -> std::string_view {
        return groups_[group].ticket.view();
      }) {
  options_.resend_interval = std::max(options_.resend_interval, Seconds(1));
  options_.resolved_retention = std::max(options_.resolved_retention, Seconds(0));
}

// ---- inputs -----------------------------------------------------------------

void AlertBook::Apply(std::span<const Transition> transitions) {
  Reserve(transitions);
  for (const Transition& t : transitions) {
    if (t.state == AlertState::kQuiet) continue;
    const AlertName name =
        t.state == AlertState::kAtRisk ? AlertName::kSlaAtRisk : AlertName::kSlaBreached;
    if (t.kind == TransitionKind::kEnded) {
      const uint32_t group = FindTicketGroup(t.ticket);
      const uint32_t firing =
          group == kNone ? kNone
                         : FindFiring({name, group, static_cast<uint8_t>(t.target)});
      if (firing != kNone) {
        End(firing, t.at);
        continue;
      }
      const uint32_t record =
          FindRecord(HandleOf(t, false), static_cast<uint8_t>(t.target), name);
      if (record != kNone) EndRecord(record);
      continue;
    }
    Facts facts;
    facts.partner = names_.Intern(t.partner);
    facts.ticket_severity = names_.Intern(t.severity);
    facts.deadline = t.deadline;
    // A breach begins at the deadline, however late it is noticed (a restart
    // or another replica then agrees on starts_at).
    const Instant starts_at = name == AlertName::kSlaBreached && t.deadline
                                  ? std::min(t.at, *t.deadline)
                                  : t.at;
    StartTicket(t, name, HandleOf(t, true), facts, starts_at);
  }
}

void AlertBook::Reserve(std::span<const Transition> transitions) {
  // A mass start (the load's CurrentAlerts: a million at once) takes the room
  // it needs in one step, rather than what doubling the vectors leaves
  // (up to twice as much, kept for the daemon's life). Small batches grow
  // the vectors as usual, so this never runs for a few alerts.
  constexpr std::size_t kMass = 4096;
  if (transitions.size() < kMass) return;
  std::size_t starts = 0;
  uint32_t handles = 0;  // the largest handle + 1
  for (const Transition& t : transitions) {
    if (t.kind != TransitionKind::kStarted || t.state == AlertState::kQuiet) continue;
    ++starts;
    if (ticket_ids_ && t.handle != kNoTicketHandle)
      handles = std::max(handles, t.handle + 1);
  }
  if (starts < kMass) return;
  if (waiting_.size() + starts > waiting_.capacity())
    waiting_.reserve(waiting_.size() + starts);
  const std::size_t places = std::size_t{handles} * kTargetNames.size();
  if (places > records_at_.capacity()) records_at_.reserve(places);
}

void AlertBook::ObserveSome(const std::map<std::string, PartnerFigures>& partners,
                            Instant now) {
  // Start what holds, end what no longer does.
  auto hold = [&](AlertName name, Id partner, bool holds, const Facts& facts) {
    if (holds) {
      Start({name, PartnerGroup(partner)}, facts, now, now);
      return;
    }
    const uint32_t group = FindPartnerGroup(partner);
    if (group == kNone) return;
    const uint32_t firing = FindFiring({name, group});
    if (firing != kNone) End(firing, now);
  };
  for (const auto& [partner_name, partner_figures] : partners) {
    const Id partner = names_.Intern(partner_name);
    const PartnerQuota& quota = partner_figures.quota;
    Facts facts;
    facts.partner = partner;
    bool exhausted = false;
    bool nearly = false;
    if (quota.incidents_limit) {
      facts.deadline = quota.period.end;
      facts.figure_a = quota.incidents_used;
      facts.figure_b = *quota.incidents_limit;
      exhausted = facts.figure_a >= facts.figure_b;
      nearly = !exhausted && facts.figure_b > 0 &&
               options_.quota_nearly_exhausted_share < 1.0 &&
               static_cast<double>(facts.figure_a) / facts.figure_b >=
                   options_.quota_nearly_exhausted_share;
    }
    hold(AlertName::kQuotaExhausted, partner, exhausted, facts);
    hold(AlertName::kQuotaNearlyExhausted, partner, nearly, facts);
    const bool lapsing = !quota.certified || !quota.certified_until ||
                         *quota.certified_until <= now + options_.certification_horizon;
    Facts certification;
    certification.partner = partner;
    certification.figure_a = quota.certified_employees;
    if (quota.certified) certification.deadline = quota.certified_until;
    hold(AlertName::kCertificationLapsing, partner, lapsing, certification);
  }
}

void AlertBook::Observe(const SlaFigures& figures, Instant now) {
  ObserveSome(figures.partners, now);
  // A partner missing from the figures has none of them.
  std::vector<uint32_t> ended;
  for (const auto& [partner, group] : partner_groups_) {
    if (figures.partners.contains(names_.Name(partner))) continue;
    for (uint32_t i = groups_[group].first; i != kNone; i = entries_[i].next) {
      const Entry& entry = entries_[i];
      if (!entry.ended && entry.name != AlertName::kSlaAlertsFolded) ended.push_back(i);
    }
  }
  for (uint32_t entry : ended) End(entry, now);
}

// ---- entries ----------------------------------------------------------------

uint32_t AlertBook::FindTicketGroup(std::string_view ticket) const {
  const std::optional<uint32_t> group = tickets_.Find(ticket);
  return group ? *group : kNone;
}

uint32_t AlertBook::TicketGroup(std::string_view ticket) {
  if (const std::optional<uint32_t> group = tickets_.Find(ticket)) return *group;
  uint32_t group;
  if (free_groups_.empty()) {
    group = static_cast<uint32_t>(groups_.size());
    groups_.emplace_back();
  } else {
    group = free_groups_.back();
    free_groups_.pop_back();
  }
  groups_[group].ticket.Assign(ticket);
  groups_[group].partner = kNone;
  tickets_.Insert(ticket, group);
  return group;
}

uint32_t AlertBook::PartnerGroup(Id partner) {
  const auto [it, inserted] = partner_groups_.try_emplace(partner, kNone);
  if (!inserted) return it->second;
  if (free_groups_.empty()) {
    it->second = static_cast<uint32_t>(groups_.size());
    groups_.emplace_back();
  } else {
    it->second = free_groups_.back();
    free_groups_.pop_back();
  }
  groups_[it->second].partner = partner;
  return it->second;
}

uint32_t AlertBook::FindPartnerGroup(Id partner) const {
  const auto it = partner_groups_.find(partner);
  return it == partner_groups_.end() ? kNone : it->second;
}

uint32_t AlertBook::FindFiring(const Identity& identity) const {
  for (uint32_t i = groups_[identity.group].first; i != kNone; i = entries_[i].next) {
    const Entry& entry = entries_[i];
    if (!entry.ended && entry.name == identity.name && entry.target == identity.target &&
        (identity.name != AlertName::kSlaAlertsFolded ||
         entry.ticket_severity == identity.ticket_severity)) {
      return i;
    }
  }
  return kNone;
}

void AlertBook::Start(const Identity& identity, const Facts& facts, Instant at,
                      Instant starts_at) {
  auto set_facts = [&](Entry& entry) {
    entry.has_deadline = facts.deadline.has_value();
    entry.deadline = facts.deadline.value_or(Instant{});
    entry.figure_a = facts.figure_a;
    entry.figure_b = facts.figure_b;
  };
  const uint32_t firing = FindFiring(identity);
  if (firing != kNone && entries_[firing].partner == facts.partner &&
      entries_[firing].ticket_severity == facts.ticket_severity) {
    // Still firing with the same labels: only the facts change.
    const bool waiting = entries_[firing].waiting_at != kNone;
    if (waiting) Unfold(firing);
    set_facts(entries_[firing]);
    if (waiting) Fold(firing);
    return;
  }
  // The entry with these labels, if one is resolved but still kept.
  uint32_t index = kNone;
  for (uint32_t i = groups_[identity.group].first; i != kNone; i = entries_[i].next) {
    const Entry& entry = entries_[i];
    if (entry.name == identity.name && entry.target == identity.target &&
        entry.partner == facts.partner &&
        entry.ticket_severity == facts.ticket_severity) {
      index = i;
      break;
    }
  }
  const bool inserted = index == kNone;
  if (inserted) {
    index = NewEntry();
    Entry& entry = entries_[index];
    entry.name = identity.name;
    entry.target = identity.target;
    entry.partner = facts.partner;
    entry.ticket_severity = facts.ticket_severity;
    entry.group = identity.group;
    entry.next = groups_[identity.group].first;
    groups_[identity.group].first = index;
  }
  // Same alert, new identity to Alertmanager (e.g. another ticket severity):
  // the old label set ends here, the new one starts. (Ended after the new
  // entry joined the group, so that the group outlives the old one.)
  if (firing != kNone) End(firing, at);
  Entry& entry = entries_[index];
  set_facts(entry);
  if (inserted || entry.sent) {
    // A new episode. (A resolution that never went out is taken back
    // instead: to the receivers the alert never stopped.)
    entry.starts_at = starts_at;
    entry.sent_firing = false;
  }
  entry.ended = false;
  entry.sent = false;
  entry.individual = false;
  ++firing_;
  if (IsTicketAlert(identity.name)) {
    // A ticket alert waits for a place (Fill, at the next Due).
    Unschedule(index);
    Fold(index);
  } else {
    Schedule(index, kAtOnce);
  }
}

uint32_t AlertBook::NewEntry() {
  uint32_t index;
  if (free_entries_.empty()) {
    index = static_cast<uint32_t>(entries_.size());
    entries_.emplace_back();
  } else {
    index = free_entries_.back();
    free_entries_.pop_back();
  }
  Entry& entry = entries_[index];
  const uint32_t generation = entry.generation;
  entry = Entry{};
  entry.generation = generation;  // keeps older wakeups stale
  entry.live = true;
  ++live_;
  return index;
}

void AlertBook::End(uint32_t index, Instant at) {
  Entry& entry = entries_[index];
  if (IsTicketAlert(entry.name)) {
    if (entry.individual) {
      --individual_;
      entry.individual = false;
    } else {
      Unfold(index);
    }
  }
  --firing_;
  if (!entry.sent_firing) {  // nobody was told it fired
    Forget(index);
    return;
  }
  entry.ended = true;
  entry.ended_at = std::max(at, entry.starts_at);
  entry.sent = false;
  Schedule(index, kAtOnce);
}

void AlertBook::Forget(uint32_t index) {
  Entry& entry = entries_[index];
  Group& group = groups_[entry.group];
  if (group.first == index) {
    group.first = entry.next;
  } else {
    uint32_t i = group.first;
    while (entries_[i].next != index) i = entries_[i].next;
    entries_[i].next = entry.next;
  }
  if (group.first == kNone) {
    if (group.partner != kNone) {
      partner_groups_.erase(group.partner);
    } else {
      tickets_.Erase(group.ticket.view());
      group.ticket.Clear();
    }
    group.partner = kNone;
    free_groups_.push_back(entry.group);
  }
  Unschedule(index);
  entry.live = false;
  entry.group = entry.next = kNone;
  free_entries_.push_back(index);
  --live_;
}

bool AlertBook::IsCritical(const Entry& entry) const {
  if (entry.name != AlertName::kSlaBreached && entry.name != AlertName::kSlaAlertsFolded)
    return false;
  return IsCriticalSeverity(entry.ticket_severity);
}

bool AlertBook::IsCriticalSeverity(Id ticket_severity) const {
  const auto& critical = options_.critical_ticket_severities;
  return std::find(critical.begin(), critical.end(), names_.Name(ticket_severity)) !=
         critical.end();
}

// ---- ticket alerts ----------------------------------------------------------

uint32_t AlertBook::HandleOf(const Transition& transition, bool make) {
  if (ticket_ids_) return transition.handle;  // kNoTicketHandle is kNone
  if (make) return own_tickets_.Intern(transition.ticket);
  Id handle;
  return own_tickets_.Find(transition.ticket, &handle) ? handle : kNone;
}

std::string_view AlertBook::TicketOf(uint32_t handle) const {
  return ticket_ids_ ? ticket_ids_(handle) : std::string_view(own_tickets_.Name(handle));
}

void AlertBook::StartTicket(const Transition& t, AlertName name, uint32_t handle,
                            const Facts& facts, Instant starts_at) {
  const auto target = static_cast<uint8_t>(t.target);
  const uint32_t group = FindTicketGroup(t.ticket);
  if (group != kNone && FindFiring({name, group, target}) != kNone) {
    // It fires as an entry (it has a place, or could not be a record).
    Start({name, group, target}, facts, t.at, starts_at);
    return;
  }
  auto make_record = [&](Instant started) {
    const Waiting w{Raw(facts.deadline.value_or(Instant::max())), handle, facts.partner,
                    facts.ticket_severity << 5 | uint32_t{target} << 3 |
                        (facts.deadline ? 0 : kNoDeadline) |
                        (name == AlertName::kSlaBreached ? kBreached : 0),
                    *StartsOffset(started, facts.deadline)};
    PutWaiting(w);
    CountFolded(FoldKeyOf(w), BreachedOf(w), +1);
    ++firing_;
    ++records_;
  };
  const uint32_t record = FindRecord(handle, target, name);
  if (record != kNone) {
    const Waiting w = waiting_[record];
    const Instant started = StartsOf(w);
    EndRecord(record);  // never sent: gone without a word
    if (w.partner == facts.partner && SeverityOf(w) == facts.ticket_severity) {
      // Still firing with the same labels: only the deadline changes (and so
      // its place in the heap); it began when it began.
      if (RecordFits(handle, target, facts, started)) {
        make_record(started);
      } else {
        Start({name, TicketGroup(t.ticket), target}, facts, t.at, started);
      }
      return;
    }
    // The same alert with new labels: a new one to Alertmanager (the old one
    // was never sent, so nothing ends to the receivers).
  }
  // A resolved entry with these labels still kept takes them up again.
  bool kept = false;
  if (group != kNone) {
    for (uint32_t i = groups_[group].first; i != kNone && !kept; i = entries_[i].next) {
      const Entry& entry = entries_[i];
      kept = entry.name == name && entry.target == target &&
             entry.partner == facts.partner &&
             entry.ticket_severity == facts.ticket_severity;
    }
  }
  if (!kept && RecordFits(handle, target, facts, starts_at)) {
    make_record(starts_at);
    return;
  }
  Start({name, TicketGroup(t.ticket), target}, facts, t.at, starts_at);
}

uint32_t AlertBook::FindRecord(uint32_t handle, uint8_t target, AlertName name) const {
  if (handle == kNone) return kNone;
  const std::size_t place = std::size_t{handle} * kTargetNames.size() + target;
  if (place >= records_at_.size()) return kNone;
  const uint32_t at = records_at_[place];
  if (at == kNone || BreachedOf(waiting_[at]) != (name == AlertName::kSlaBreached))
    return kNone;
  return at;
}

bool AlertBook::RecordFits(uint32_t handle, uint8_t target, const Facts& facts,
                           Instant starts_at) {
  if (handle == kNone || facts.ticket_severity > kMaxRecordSeverity ||
      !StartsOffset(starts_at, facts.deadline))
    return false;
  const std::size_t place = std::size_t{handle} * kTargetNames.size() + target;
  if (place >= records_at_.size()) {
    const std::size_t size = (std::size_t{handle} + 1) * kTargetNames.size();
    // New tickets' handles come one at a time: grow by an eighth, not double.
    if (size > records_at_.capacity()) records_at_.reserve(size + size / 8);
    records_at_.resize(size, kNone);
  }
  // One record per ticket handle and target: a second (the other state of
  // the same clock, which the tracker never fires at once) is an entry.
  return records_at_[place] == kNone;
}

void AlertBook::EndRecord(uint32_t at) {
  const Waiting w = TakeWaiting(at);
  CountFolded(FoldKeyOf(w), BreachedOf(w), -1);
  --firing_;
  --records_;
}

// ---- the resend schedule ----------------------------------------------------

void AlertBook::Schedule(uint32_t index, Instant at) {
  Entry& entry = entries_[index];
  ++entry.generation;
  wakeups_.push_back({at, index, entry.generation});
  std::push_heap(wakeups_.begin(), wakeups_.end(), std::greater<>());
  // Stale wakeups (of entries rescheduled or gone) are dropped when they come
  // up; should they outnumber the entries, they go at once.
  if (wakeups_.size() > 2 * live_ + 1024) {
    std::erase_if(wakeups_, [this](const Wakeup& w) {
      return !entries_[w.entry].live || entries_[w.entry].generation != w.generation;
    });
    std::make_heap(wakeups_.begin(), wakeups_.end(), std::greater<>());
  }
}

void AlertBook::ScheduleNext(uint32_t index) {
  const Entry& entry = entries_[index];
  Instant at = kAtOnce;
  if (entry.sent) {
    at = entry.last_sent + options_.resend_interval;
    if (entry.ended) at = std::min(at, entry.ended_at + options_.resolved_retention);
  }
  Schedule(index, at);
}

// ---- folding ----------------------------------------------------------------

AlertBook::Waiting AlertBook::WaitingOf(uint32_t index) const {
  const Entry& entry = entries_[index];
  if (entry.ticket_severity > kMaxRecordSeverity)
    throw std::length_error("AlertBook: too many names");
  // A paused clock without a deadline comes last.
  return {Raw(entry.has_deadline ? entry.deadline : Instant::max()), kNone, entry.partner,
          entry.ticket_severity << 5 | uint32_t{entry.target} << 3 |
              (entry.has_deadline ? 0 : kNoDeadline) |
              (entry.name == AlertName::kSlaBreached ? kBreached : 0) | kEntry,
          index};
}

std::optional<uint32_t> AlertBook::StartsOffset(Instant starts_at,
                                                std::optional<Instant> deadline) {
  const int64_t offset = (starts_at - deadline.value_or(kStartsBase)).count();
  if (offset < INT32_MIN || offset > INT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(static_cast<int32_t>(offset));
}

Instant AlertBook::StartsOf(const Waiting& record) {
  const Instant from =
      (record.bits & kNoDeadline) ? kStartsBase : FromRaw(record.deadline);
  return from + Seconds(static_cast<int32_t>(record.extra));
}

bool AlertBook::MoreUrgent(const Waiting& x, const Waiting& y) const {
  // Breached before at risk, then the earliest deadline (a paused clock
  // without one comes last).
  const bool x_breached = BreachedOf(x);
  if (x_breached != BreachedOf(y)) return x_breached;
  if (x.deadline != y.deadline) return x.deadline < y.deadline;
  // Then the label sets, compared as Alertmanager sorts them (by name:
  // partner, severity, target, ticket, ticket_severity); Fill compares the
  // tickets and ticket severities of the ties.
  if (x.partner != y.partner) return names_.Name(x.partner) < names_.Name(y.partner);
  const bool x_critical = x_breached && IsCriticalSeverity(SeverityOf(x));
  if (x_critical != (x_breached && IsCriticalSeverity(SeverityOf(y))))
    return x_critical;  // "critical" < "warning"
  if (TargetOf(x) != TargetOf(y)) {
    return ToString(static_cast<TargetName>(TargetOf(x))) <
           ToString(static_cast<TargetName>(TargetOf(y)));
  }
  return false;
}

std::string_view AlertBook::TicketOf(const Waiting& w) const {
  return IsEntry(w) ? groups_[entries_[w.extra].group].ticket.view() : TicketOf(w.handle);
}

void AlertBook::Locate(const Waiting& w, uint32_t at) {
  if (IsEntry(w)) {
    entries_[w.extra].waiting_at = at;
  } else {
    records_at_[std::size_t{w.handle} * kTargetNames.size() + TargetOf(w)] = at;
  }
}

void AlertBook::WaitingPlace(std::size_t at, const Waiting& w) {
  waiting_[at] = w;
  Locate(w, static_cast<uint32_t>(at));
}

void AlertBook::WaitingUp(std::size_t at) {
  const Waiting w = waiting_[at];
  while (at > 0) {
    const std::size_t parent = (at - 1) / 2;
    if (!MoreUrgent(w, waiting_[parent])) break;
    WaitingPlace(at, waiting_[parent]);
    at = parent;
  }
  WaitingPlace(at, w);
}

void AlertBook::WaitingDown(std::size_t at) {
  const Waiting w = waiting_[at];
  const std::size_t size = waiting_.size();
  for (;;) {
    std::size_t child = 2 * at + 1;
    if (child >= size) break;
    if (child + 1 < size && MoreUrgent(waiting_[child + 1], waiting_[child])) ++child;
    if (!MoreUrgent(waiting_[child], w)) break;
    WaitingPlace(at, waiting_[child]);
    at = child;
  }
  WaitingPlace(at, w);
}

void AlertBook::PutWaiting(const Waiting& w) {
  waiting_.push_back(w);
  WaitingUp(waiting_.size() - 1);
}

AlertBook::Waiting AlertBook::TakeWaiting(std::size_t at) {
  const Waiting w = waiting_[at];
  Locate(w, kNone);
  const Waiting last = waiting_.back();
  waiting_.pop_back();
  if (at < waiting_.size()) {
    WaitingPlace(at, last);
    if (at > 0 && MoreUrgent(last, waiting_[(at - 1) / 2])) {
      WaitingUp(at);
    } else {
      WaitingDown(at);
    }
  }
  return w;
}

AlertBook::FoldKey AlertBook::FoldKeyOf(const Entry& entry) const {
  return {entry.partner, entry.target, entry.ticket_severity};
}

void AlertBook::CountFolded(const FoldKey& key, bool breached, int delta) {
  FoldCount& count = fold_counts_[key];
  (breached ? count.breached : count.at_risk) += delta;
  if (!count.changed) {
    count.changed = true;
    fold_changed_.push_back(key);
  }
}

void AlertBook::Fold(uint32_t index) {
  const Waiting w = WaitingOf(index);
  PutWaiting(w);
  CountFolded(FoldKeyOf(w), BreachedOf(w), +1);
}

void AlertBook::Unfold(uint32_t index) {
  const uint32_t at = entries_[index].waiting_at;
  if (at == kNone) return;
  const Waiting w = TakeWaiting(at);
  CountFolded(FoldKeyOf(w), BreachedOf(w), -1);
}

void AlertBook::Promote(const Waiting& w) {
  CountFolded(FoldKeyOf(w), BreachedOf(w), -1);
  uint32_t index = w.extra;
  if (!IsEntry(w)) {
    // A record becomes an entry, with its ticket's id from the owner (within
    // Due, the owner's tickets and the book agree).
    --records_;
    const std::string_view ticket = TicketOf(w.handle);
    if (ticket.empty()) {  // the owner no longer knows it: not the owner's ticket
      --firing_;
      return;
    }
    const uint32_t group = TicketGroup(ticket);
    index = NewEntry();
    Entry& entry = entries_[index];
    entry.name = BreachedOf(w) ? AlertName::kSlaBreached : AlertName::kSlaAtRisk;
    entry.target = TargetOf(w);
    entry.partner = w.partner;
    entry.ticket_severity = SeverityOf(w);
    entry.group = group;
    entry.next = groups_[group].first;
    groups_[group].first = index;
    entry.has_deadline = (w.bits & kNoDeadline) == 0;
    entry.deadline = entry.has_deadline ? FromRaw(w.deadline) : Instant{};
    entry.starts_at = StartsOf(w);
  }
  entries_[index].individual = true;
  ++individual_;
  Schedule(index, kAtOnce);
}

void AlertBook::Fill() {
  while (individual_ < options_.max_ticket_alerts && !waiting_.empty()) {
    // The most urgent and those that tie with it but for the ticket (and its
    // severity): ordered by ticket id (then ticket severity) here.
    tie_.clear();
    tie_.push_back(TakeWaiting(0));
    while (!waiting_.empty() && !MoreUrgent(tie_.front(), waiting_.front()))
      tie_.push_back(TakeWaiting(0));
    if (tie_.size() > 1) {
      std::sort(tie_.begin(), tie_.end(), [this](const Waiting& x, const Waiting& y) {
        const std::string_view x_ticket = TicketOf(x);
        const std::string_view y_ticket = TicketOf(y);
        if (x_ticket != y_ticket) return x_ticket < y_ticket;
        return SeverityOf(x) != SeverityOf(y) &&
               names_.Name(SeverityOf(x)) < names_.Name(SeverityOf(y));
      });
    }
    std::size_t i = 0;
    for (; i < tie_.size() && individual_ < options_.max_ticket_alerts; ++i)
      Promote(tie_[i]);
    for (; i < tie_.size(); ++i) PutWaiting(tie_[i]);
  }
}

void AlertBook::UpdateFolded(Instant now) {
  for (const FoldKey& key : fold_changed_) {
    const auto count = fold_counts_.find(key);
    if (count == fold_counts_.end()) continue;
    count->second.changed = false;
    if (count->second.breached + count->second.at_risk == 0) {
      fold_counts_.erase(count);
      const uint32_t group = FindPartnerGroup(key.partner);
      if (group == kNone) continue;
      const uint32_t firing = FindFiring(
          {AlertName::kSlaAlertsFolded, group, key.target, key.ticket_severity});
      if (firing != kNone) End(firing, now);
      continue;
    }
    Facts facts;
    facts.partner = key.partner;
    facts.ticket_severity = key.ticket_severity;
    facts.figure_a = count->second.breached;
    facts.figure_b = count->second.at_risk;
    Start({AlertName::kSlaAlertsFolded, PartnerGroup(key.partner), key.target,
           key.ticket_severity},
          facts, now, now);
  }
  fold_changed_.clear();
}

// ---- output -----------------------------------------------------------------

namespace {

void SortByLabels(std::vector<Alert>& alerts) {
  std::sort(alerts.begin(), alerts.end(),
            [](const Alert& a, const Alert& b) { return a.labels < b.labels; });
}

}  // namespace

std::vector<Alert> AlertBook::Due(Instant now) {
  Fill();
  UpdateFolded(now);
  std::vector<Alert> out;
  std::vector<uint32_t> looked_at;
  while (!wakeups_.empty() && wakeups_.front().at <= now) {
    std::pop_heap(wakeups_.begin(), wakeups_.end(), std::greater<>());
    const Wakeup wakeup = wakeups_.back();
    wakeups_.pop_back();
    Entry& entry = entries_[wakeup.entry];
    if (!entry.live || entry.generation != wakeup.generation) continue;  // stale
    if (entry.ended && entry.sent &&
        now >= entry.ended_at + options_.resolved_retention) {
      Forget(wakeup.entry);
      continue;
    }
    if (!entry.sent || now - entry.last_sent >= options_.resend_interval) {
      out.push_back(Render(entry, now));
      entry.last_sent = now;
      entry.sent = true;
      if (!entry.ended) entry.sent_firing = true;
    }
    looked_at.push_back(wakeup.entry);
  }
  // Rescheduled after the loop: each entry is looked at once per Due.
  for (uint32_t index : looked_at) ScheduleNext(index);
  SortByLabels(out);
  return out;
}

std::vector<Alert> AlertBook::Firing(Instant now) const {
  std::vector<Alert> out;
  for (const Entry& entry : entries_) {
    if (!entry.live || entry.ended) continue;
    if (IsTicketAlert(entry.name) && !entry.individual) continue;  // folded
    out.push_back(Render(entry, now));
  }
  SortByLabels(out);
  return out;
}

void AlertBook::ResendAll() {
  for (uint32_t index = 0; index < entries_.size(); ++index) {
    Entry& entry = entries_[index];
    if (!entry.live) continue;
    if (entry.ended) {
      // A resolved alert keeps being one that was sent (so that it is still
      // forgotten after its retention); it only becomes due at once.
      entry.last_sent = entry.ended_at - options_.resend_interval;
      entry.sent = true;
      ScheduleNext(index);
    } else {
      entry.sent = false;
      if (!IsTicketAlert(entry.name) || entry.individual) Schedule(index, kAtOnce);
    }
  }
}

Labels AlertBook::LabelsOf(const Entry& entry) const {
  Labels labels;
  labels["alertname"] = std::string(ToString(entry.name));
  labels["partner"] = names_.Name(entry.partner);
  if (IsPartnerAlert(entry.name)) {
    labels["severity"] = "warning";
    return labels;
  }
  labels["severity"] = IsCritical(entry) ? "critical" : "warning";
  if (entry.name != AlertName::kSlaAlertsFolded)
    labels["ticket"] = std::string(groups_[entry.group].ticket.view());
  labels["target"] = std::string(ToString(static_cast<TargetName>(entry.target)));
  labels["ticket_severity"] = names_.Name(entry.ticket_severity);
  return labels;
}

Alert AlertBook::Render(const Entry& entry, Instant now) const {
  Alert alert;
  alert.labels = LabelsOf(entry);
  alert.starts_at = entry.starts_at;
  alert.generator_url = options_.generator_url;
  if (entry.ended) {
    alert.status = AlertStatus::kResolved;
    alert.ends_at = entry.ended_at;
    now = entry.ended_at;  // describe it as it was when it ended
  } else {
    alert.status = AlertStatus::kFiring;
    alert.ends_at = now + 4 * options_.resend_interval;
  }

  const AlertFacts facts{
      .name = entry.name,
      .ticket = groups_[entry.group].ticket.view(),
      .partner = names_.Name(entry.partner),
      .ticket_severity =
          entry.ticket_severity == kNone ? kNoName : names_.Name(entry.ticket_severity),
      .target = static_cast<TargetName>(entry.target),
      .deadline =
          entry.has_deadline ? std::optional<Instant>(entry.deadline) : std::nullopt,
      .incidents_used = entry.figure_a,
      .incidents_limit = entry.figure_b,
      .certified_employees = entry.figure_a,
      .folded_breached = entry.figure_a,
      .folded_at_risk = entry.figure_b};
  alert.annotations = AlertAnnotations(facts, now, options_.runbook_url);
  return alert;
}

}  // namespace slamon
