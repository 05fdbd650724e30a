// Tracker: the API (tracker_records.h names the other parts).
#include "tracker/tracker.h"

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "tracker/tracker_records.h"

namespace slamon {

using tracker_records::FromRaw;
Tracker::Tracker(Rules rules, Instant now)
    : rules_(std::make_unique<Rules>(std::move(rules))),
      now_(now),
      wheel_(now),
      index_([this](uint32_t slot) { return SlotAt(slot).ticket.view(); }),
      figures_(std::make_unique<Figures>()),
      scrape_labels_(std::make_unique<ScrapeLabelCache>()) {
  // What an open ticket costs (see the bench): keep an eye on these.
  static_assert(sizeof(Contribution) <= 64);
  static_assert(sizeof(Slot) <= 120);
}

Tracker::~Tracker() = default;

bool Tracker::KnowsPartner(std::string_view partner) const {
  NameTable::Id id;
  return names_.Find(partner, &id) && partners_.contains(id);
}

const Policy& Tracker::PolicyOf(NameTable::Id partner) const {
  auto entry = partners_.find(partner);
  return entry != partners_.end() ? *entry->second.policy : rules_->DefaultPolicy();
}

void Tracker::RebuildPartners() {
  ++partners_epoch_;
  contexts_.clear();
  partners_.clear();
  for (const auto& [id, partner] : book_.partners()) {
    partners_[names_.Intern(id)] =
        PartnerEntry(partner, book_.RulesFor(id, *rules_).policy);
  }
}

Tracker::ApplyResult Tracker::Apply(const std::string& ticket, const TicketEvent& event,
                                    std::vector<Transition>& transitions) {
  ApplyResult result;
  uint32_t index;
  if (std::optional<uint32_t> found = index_.Find(ticket)) {
    index = *found;
  } else if (released_.count(ticket) != 0) {
    result.needs_history = true;
    return result;
  } else {
    index = SlotFor(ticket);
  }
  Slot& slot = SlotAt(index);
  if (!Insert(slot, event)) {
    result.duplicate = true;
    return result;
  }
  if (defer_evaluation_ && event.kind != EventKind::kClosed) {
    if (!slot.deferred) {
      slot.deferred = true;
      deferred_.push_back(index);
    }
    return result;
  }
  Recompute(index, transitions, &result.rejected);
  return result;
}

bool Tracker::EvaluateDeferred(size_t max, std::vector<Transition>& transitions,
                               std::vector<RejectedEvent>& rejected) {
  size_t evaluated = 0;
  while (deferred_done_ < deferred_.size() && evaluated < max) {
    const uint32_t index = deferred_[deferred_done_++];
    // Evaluated since (a timer, a reference change, a later event), or
    // closed and gone: nothing to do.
    if (!SlotAt(index).deferred) continue;
    Recompute(index, transitions, &rejected);
    ++evaluated;
  }
  if (deferred_done_ < deferred_.size()) return false;
  std::vector<uint32_t>().swap(deferred_);
  deferred_done_ = 0;
  return true;
}

Tracker::ApplyResult Tracker::ReplaceHistory(const std::string& ticket,
                                             std::vector<TicketEvent> events,
                                             std::vector<Transition>& transitions) {
  std::optional<Contribution> released;
  if (auto it = released_.find(ticket); it != released_.end()) {
    released = it->second;
    released_.erase(it);
  }
  std::optional<uint32_t> existing = index_.Find(ticket);
  uint32_t index = existing ? *existing : SlotFor(ticket);
  Slot& slot = SlotAt(index);
  // Recompute takes the released figures back out as the ticket's previous state.
  if (released) slot.contribution = *released;
  slot.events.Clear();
  for (const auto& event : events) Insert(slot, event);
  ApplyResult result;
  Recompute(index, transitions, &result.rejected);
  return result;
}

void Tracker::RecomputeWhere(const std::function<bool(const Contribution&)>& affected,
                             std::vector<Transition>& transitions) {
  for (uint32_t i = 0; i < slot_count_; ++i) {
    const Slot& slot = SlotAt(i);
    if (slot.in_use && affected(slot.contribution)) Recompute(i, transitions, nullptr);
  }
}

namespace {

// Whether a partner record's change can change its tickets' clocks, fee or
// support (its contract date and credit kind count in the quota figures
// only, which RebuildUsage recounts without the history).
bool JudgedDifferently(const Partner* before, const Partner* after) {
  if (before == nullptr || after == nullptr) return before != after;
  return before->zone != after->zone || before->policy != after->policy ||
         before->holidays != after->holidays;
}

// Whether the calendar `name` counts differently under `after` than under
// `before` (defined in one only, or defined otherwise).
bool CalendarChanged(std::string_view name, const Rules& before, const Rules& after) {
  const CalendarDefinition* was = before.calendars.Find(name);
  const CalendarDefinition* is = after.calendars.Find(name);
  if (was == nullptr || is == nullptr) return was != is;
  return !(*was == *is);
}

// Whether new rules can change the clocks, fee or support of a ticket of
// `partner` (known to `book` or not): its policy as RulesFor resolves it
// (a partner naming an undefined policy gets the default one), a calendar
// that policy counts on, or its own holiday calendar.
bool JudgedDifferently(const ReferenceBook& book, std::string_view partner,
                       const Rules& before, const Rules& after) {
  const PartnerRules was = book.RulesFor(partner, before);
  const PartnerRules is = book.RulesFor(partner, after);
  if (!(*was.policy == *is.policy) || was.holidays != is.holidays) return true;
  if (!is.holidays.empty() && CalendarChanged(is.holidays, before, after)) return true;
  for (const auto& [severity, targets] : is.policy->severities) {
    for (const TargetSpec& spec : targets.targets) {
      if (spec.kind == TargetKind::kBudget &&
          CalendarChanged(spec.calendar, before, after))
        return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> Tracker::ReleasedWhere(
    const std::function<bool(const Contribution&)>& affected) const {
  std::vector<std::string> tickets;
  for (const auto& [ticket, contribution] : released_) {
    if (affected(contribution)) tickets.push_back(ticket);
  }
  std::sort(tickets.begin(), tickets.end());
  return tickets;
}

std::vector<std::string> Tracker::ReplaceReference(ReferenceBook book,
                                                   std::vector<Transition>& transitions) {
  const std::map<std::string, Partner, std::less<>> before = book_.partners();
  const ReferenceChanges changes = book_.Replace(std::move(book));
  contexts_.clear();  // it points into the book replaced, changed or not
  if (changes.empty()) return {};
  RebuildPartners();
  std::unordered_set<NameTable::Id> partners;
  std::unordered_set<NameTable::Id> products;
  std::unordered_set<NameTable::Id> judged;  // partners whose tickets' clocks may change
  for (const auto& id : changes.partners) {
    partners.insert(names_.Intern(id));
    auto old = before.find(id);
    if (changes.certifications.contains(id) ||
        JudgedDifferently(old != before.end() ? &old->second : nullptr,
                          book_.FindPartner(id)))
      judged.insert(names_.Intern(id));
  }
  for (const auto& product : changes.products) products.insert(names_.Intern(product));
  // Tickets waiting for their partner (not counted yet) are re-evaluated too.
  RecomputeWhere(
      [&](const Contribution& c) {
        return !c.counted || partners.contains(c.partner) || products.contains(c.product);
      },
      transitions);
  for (NameTable::Id id : partners) RebuildUsage(id);
  return ReleasedWhere([&](const Contribution& c) {
    return judged.contains(c.partner) || products.contains(c.product);
  });
}

std::vector<std::string> Tracker::SetPartner(Partner partner,
                                             std::vector<Transition>& transitions) {
  NameTable::Id id = names_.Intern(partner.id);
  const Partner* old = book_.FindPartner(partner.id);
  const bool judged = JudgedDifferently(old, &partner);
  book_.SetPartner(partner);
  contexts_.clear();
  const Policy* policy = book_.RulesFor(partner.id, *rules_).policy;
  partners_[id] = PartnerEntry(std::move(partner), policy);
  ++partners_epoch_;
  // Tickets waiting for their partner (not counted yet) are re-evaluated too.
  RecomputeWhere([&](const Contribution& c) { return !c.counted || c.partner == id; },
                 transitions);
  RebuildUsage(id);
  if (!judged) return {};
  return ReleasedWhere([&](const Contribution& c) { return c.partner == id; });
}

std::vector<std::string> Tracker::AddCertification(Certification certification,
                                                   std::vector<Transition>& transitions) {
  NameTable::Id id = names_.Intern(certification.partner);
  book_.AddCertification(std::move(certification));
  contexts_.clear();
  PartnerChanged(id);
  ++partners_epoch_;
  RecomputeWhere([&](const Contribution& c) { return c.partner == id; }, transitions);
  return ReleasedWhere([&](const Contribution& c) { return c.partner == id; });
}

std::vector<std::string> Tracker::AddRelease(Release release,
                                             std::vector<Transition>& transitions) {
  NameTable::Id product = names_.Intern(release.product);
  book_.AddRelease(std::move(release));
  contexts_.clear();
  RecomputeWhere([&](const Contribution& c) { return c.product == product; },
                 transitions);
  return ReleasedWhere([&](const Contribution& c) { return c.product == product; });
}

std::vector<std::string> Tracker::SetRules(Rules rules,
                                           std::vector<Transition>& transitions) {
  std::unique_ptr<Rules> before = std::move(rules_);
  rules_ = std::make_unique<Rules>(std::move(rules));
  RebuildPartners();
  RecomputeWhere([](const Contribution&) { return true; }, transitions);
  for (const auto& [id, entry] : partners_) RebuildUsage(id);
  // Whether each partner of a released ticket is judged differently now,
  // decided once per partner.
  std::unordered_map<NameTable::Id, bool> judged;
  return ReleasedWhere([&](const Contribution& c) {
    auto [it, added] = judged.try_emplace(c.partner, false);
    if (added) {
      it->second = JudgedDifferently(book_, names_.Name(c.partner), *before, *rules_);
    }
    return it->second;
  });
}

void Tracker::Advance(Instant now, std::vector<Transition>& transitions) {
  if (now <= now_) return;
  now_ = now;
  expired_.clear();
  wheel_.Advance(now_, expired_);
  for (const auto& expired : expired_) {
    uint32_t index = static_cast<uint32_t>(expired.payload & 0xffffffffu);
    uint32_t generation = static_cast<uint32_t>(expired.payload >> 32);
    if (index >= slot_count_) continue;
    Slot& slot = SlotAt(index);
    if (!slot.in_use || slot.generation != generation) continue;
    slot.timer = TimerWheel::kNoTimer;  // it fired
    Recompute(index, transitions, nullptr);
  }
}

std::optional<Instant> Tracker::NextWakeUp() const { return wheel_.NextExpiry(); }

TicketView Tracker::View(const Contribution& c) const {
  TicketView view;
  view.partner = names_.Name(c.partner);
  view.severity = names_.Name(c.severity);
  view.product = names_.Name(c.product);
  view.state = c.State();
  view.supported = !c.unsupported;
  view.outdated = c.outdated;
  view.fee = c.fee;
  view.incidents = c.incidents;
  for (TargetName target : kTargetNames) {
    const ClockFacts f = c.Clock(target);
    view.clocks[static_cast<size_t>(target)] = {
        f.status,
        f.deadline == kNoInstant ? std::nullopt : std::optional(FromRaw(f.deadline)),
        f.breached, f.at_risk};
  }
  return view;
}

std::optional<TicketView> Tracker::Find(const std::string& ticket) const {
  if (std::optional<uint32_t> found = index_.Find(ticket)) {
    const Contribution& c = SlotAt(*found).contribution;
    if (!c.counted) return std::nullopt;
    return View(c);
  }
  if (auto it = released_.find(ticket); it != released_.end()) return View(it->second);
  return std::nullopt;
}

}  // namespace slamon
