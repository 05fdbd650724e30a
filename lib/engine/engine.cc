#include "engine/engine.h"

#include <algorithm>
#include <cmath>

#include "engine/activity.h"

namespace slamon {
namespace {

Seconds Fraction(Seconds budget, double fraction) {
  return Seconds{std::llround(static_cast<double>(budget.count()) * fraction)};
}

// When the working time counted by `activity` reaches `amount`: within a
// counted stretch, in the stretch still counting, or (for a stopped clock) as
// projected from its stop. std::nullopt while paused short of it.
std::optional<Instant> Reaches(const Activity& activity, const Calendar& calendar,
                               Seconds amount) {
  Seconds counted{0};
  for (const auto& [begin, end] : activity.counted) {
    Seconds worked = calendar.WorkingTime(begin, end);
    if (counted + worked >= amount)
      return calendar.AddWorkingTime(begin, amount - counted);
    counted += worked;
  }
  if (activity.counting_since)
    return calendar.AddWorkingTime(*activity.counting_since, amount - counted);
  if (activity.met_at) return calendar.AddWorkingTime(*activity.met_at, amount - counted);
  return std::nullopt;
}

Seconds Elapsed(const Activity& activity, const Calendar& calendar, Instant t) {
  Seconds elapsed{0};
  for (const auto& [begin, end] : activity.counted)
    elapsed += calendar.WorkingTime(begin, end);
  if (activity.counting_since)
    elapsed += calendar.WorkingTime(*activity.counting_since, t);
  return elapsed;
}

ClockStatus StatusOf(const Activity& activity) {
  if (activity.Stopped()) return ClockStatus::kStopped;
  return activity.Running() ? ClockStatus::kRunning : ClockStatus::kPaused;
}

// Breach, at-risk and next change, once deadline and warnings are known.
//
// A paused clock has a deadline only when its budget was used up before the
// pause. That deadline can still lie ahead: a budget of days is due at a
// working instant, so one used up at Monday's closing time is due Tuesday at
// opening, and a pause that starts in between holds no working time and
// moves nothing. The clock then turns breached at that deadline by the
// passage of time alone, paused as it is, so that deadline is its next change
// although the deadline reads null until then (docs/time-model.md, "Pauses").
void Judge(Clock& clock, const Activity& activity, Instant t) {
  if (clock.deadline) {
    clock.breached =
        activity.Stopped() ? *clock.deadline < *activity.met_at : *clock.deadline <= t;
  }
  std::optional<Instant> due_while_paused;
  if (clock.breached) {
    clock.breached_at = clock.deadline;
  } else if (clock.status == ClockStatus::kPaused) {
    due_while_paused = clock.deadline;
    clock.deadline.reset();  // not shown until it is reached or the clock runs again
  }
  if (clock.status == ClockStatus::kStopped) return;
  clock.at_risk =
      !clock.breached && std::any_of(clock.warnings.begin(), clock.warnings.end(),
                                     [&](const auto& w) { return w && *w <= t; });
  auto consider = [&](const std::optional<Instant>& when) {
    if (when && *when > t && (!clock.next_change || *when < *clock.next_change)) {
      clock.next_change = when;
    }
  };
  if (clock.status == ClockStatus::kPaused) {
    consider(due_while_paused);
    return;
  }
  if (clock.status != ClockStatus::kRunning) return;
  for (const auto& w : clock.warnings) consider(w);
  consider(clock.deadline);
}

// A budget as the clock starting at `start` spends it: the working time it
// stands for, and for a budget with days, where it ends without pauses.
struct Spending {
  Seconds budget{0};
  std::optional<Instant> unpaused_end;  // budgets with days only
};

// An h/m/s budget is itself; a budget with days is the working time from
// `start` to where those working days end (Calendar::AddWorkingDays), so 15
// business days are 15 x 24 h, or one hour less across a spring-forward
// weekday. std::nullopt when the calendar has no working day left.
std::optional<Spending> SpendingOf(const TargetSpec& spec, const Calendar& calendar,
                                   Instant start) {
  if (spec.days <= 0) return Spending{spec.within, std::nullopt};
  std::optional<Instant> end = calendar.AddWorkingDays(start, spec.days);
  if (end && spec.within > Seconds{0}) end = calendar.AddWorkingTime(*end, spec.within);
  if (!end) return std::nullopt;
  return Spending{calendar.WorkingTime(start, *end), end};
}

// Whether the clock counted from `start` without a pause: running ever since,
// or stopped at the end of its one stretch.
bool NeverPaused(const Activity& activity, Instant start) {
  if (activity.counted.empty()) return activity.counting_since == start;
  return activity.counted.size() == 1 && activity.counted[0].first == start &&
         !activity.counting_since && activity.met_at == activity.counted[0].second;
}

// A clock counts working time; a budget of days is spent when the working
// time those days hold from the start is (so a pause moves its deadline by
// the working time paused), and its deadline then rolls forward to a working
// instant: the end of a Friday on `business-days` is due the next Monday at
// 00:00, the wall time the days end at (docs/design.md §2).
Clock BudgetClock(const TargetSpec& spec, TargetName target, Instant start,
                  std::span<const TicketEvent> history, const TicketContext& context,
                  Instant t) {
  Clock clock;
  const Calendar* calendar =
      context.calendars->Resolve(spec.calendar, context.partner_zone, context.holidays);
  if (calendar == nullptr) return clock;  // config validation keeps this from happening
  Activity activity = TraceActivity(target, spec.pausable, start, history);
  clock.status = StatusOf(activity);
  clock.stopped_at = activity.met_at;
  clock.elapsed = Elapsed(activity, *calendar, t);
  std::optional<Spending> spending = SpendingOf(spec, *calendar, start);
  if (spending) {
    clock.budget = spending->budget;
    if (spending->unpaused_end && NeverPaused(activity, start)) {
      clock.deadline = spending->unpaused_end;  // what Reaches would find, sooner
    } else {
      clock.deadline = Reaches(activity, *calendar, spending->budget);
      if (clock.deadline && spec.days > 0 && spec.within == Seconds{0})
        clock.deadline = calendar->NextWorkingInstant(*clock.deadline);
    }
    for (double fraction : context.policy->warn_at) {
      clock.warnings.push_back(
          Reaches(activity, *calendar, Fraction(spending->budget, fraction)));
    }
  }
  Judge(clock, activity, t);
  return clock;
}

Clock ReleaseClock(TargetName target, Instant start, std::span<const TicketEvent> history,
                   const TicketContext& context, Instant t) {
  Clock clock;
  Activity activity = TraceActivity(target, /*pausable=*/false, start, history);
  clock.status = StatusOf(activity);
  clock.stopped_at = activity.met_at;
  static const Calendar kWallClock = Calendar::AlwaysWorking();
  clock.elapsed = Elapsed(activity, kWallClock, t);
  std::optional<Instant> release = NextReleaseAfter(context.releases, start);
  if (!release) {
    if (!activity.Stopped()) clock.status = ClockStatus::kUnscheduled;
    return clock;
  }
  clock.deadline = release;
  clock.budget = *release - start;
  for (double fraction : context.policy->warn_at) {
    clock.warnings.push_back(start + Fraction(*clock.budget, fraction));
  }
  Judge(clock, activity, t);
  return clock;
}

Clock ComputeClock(const TargetSpec& spec, TargetName target, Instant start,
                   std::span<const TicketEvent> history, const TicketContext& context,
                   Instant t) {
  switch (spec.kind) {
    case TargetKind::kNone:
      return Clock{};
    case TargetKind::kBudget:
      return BudgetClock(spec, target, start, history, context, t);
    case TargetKind::kNextRelease:
      return ReleaseClock(target, start, history, context, t);
  }
  return Clock{};
}

// Where each target's clock starts and which severity's target it follows.
struct Segment {
  Instant start;
  std::string severity;
};

}  // namespace

std::string_view ToString(TicketState state) {
  switch (state) {
    case TicketState::kOpen:
      return "open";
    case TicketState::kResolved:
      return "resolved";
    case TicketState::kClosed:
      return "closed";
  }
  return "unknown";
}

std::string_view ToString(ClockStatus status) {
  switch (status) {
    case ClockStatus::kRunning:
      return "running";
    case ClockStatus::kPaused:
      return "paused";
    case ClockStatus::kStopped:
      return "stopped";
    case ClockStatus::kNotApplicable:
      return "not_applicable";
    case ClockStatus::kUnscheduled:
      return "unscheduled";
  }
  return "unknown";
}

namespace {

enum class Depth { kFacts, kClocks };

TicketEvaluation Evaluate(std::string_view ticket_id,
                          std::span<const TicketEvent> history,
                          const TicketContext& context, Instant t, Depth depth) {
  const Policy& policy = *context.policy;
  const TicketEvent& opened = history.front();
  // Only what had happened by t counts.
  auto known_end =
      std::upper_bound(history.begin(), history.end(), t,
                       [](Instant at, const TicketEvent& e) { return at < e.at; });
  history = history.first(static_cast<size_t>(known_end - history.begin()));

  TicketEvaluation result;
  result.ticket = std::string(ticket_id);
  result.partner = opened.partner;
  result.severity = opened.severity;
  result.product = opened.product;
  result.version = opened.version;
  result.opened_at = opened.at;
  result.incidents = opened.incidents;
  VersionSupport support = AssessVersion(context.releases, opened.version, opened.at,
                                         policy.versions, context.partner_zone);
  result.supported = support.supported;
  result.outdated = support.outdated;

  std::array<Segment, 3> segments;
  segments.fill(Segment{opened.at, opened.severity});
  for (size_t i = 0; i < history.size(); ++i) {
    const TicketEvent& event = history[i];
    switch (event.kind) {
      case EventKind::kSeverity:
        // Help desks repeat the field on every update: setting the severity
        // the ticket has changes nothing, in either mode (docs/design.md §1).
        if (event.severity == result.severity) break;
        for (TargetName target : kTargetNames) {
          if (depth == Depth::kFacts) break;  // segments only shape the clocks
          Segment& segment = segments[static_cast<int>(target)];
          if (policy.reclassification == Reclassification::kRestart) {
            // A clock already met or breached keeps its history; others restart.
            const TargetSpec& old_spec = (*policy.Find(segment.severity))[target];
            Clock before = ComputeClock(old_spec, target, segment.start, history.first(i),
                                        context, event.at);
            if (before.status != ClockStatus::kStopped && !before.breached) {
              segment = {event.at, event.severity};
            }
          } else {
            segment.severity = event.severity;
          }
        }
        result.severity = event.severity;
        break;
      case EventKind::kIncidents:
        result.incidents = event.incidents;
        break;
      case EventKind::kNewDefect:
        result.new_defect = true;
        result.defect_confirmed = true;
        break;
      case EventKind::kDefectConfirmed:
        result.defect_confirmed = true;
        break;
      case EventKind::kResolved:
        if (result.state == TicketState::kOpen) result.state = TicketState::kResolved;
        break;
      case EventKind::kClosed:
        result.state = TicketState::kClosed;
        break;
      case EventKind::kReopened:
        result.state = TicketState::kOpen;
        break;
      case EventKind::kWaiting:
        result.waiting = true;
        break;
      case EventKind::kResumed:
        result.waiting = false;
        break;
      default:
        break;
    }
  }
  result.fee = !result.defect_confirmed &&
               !IsCertified(context.certifications, opened.at, policy.certification,
                            context.partner_zone);

  if (depth == Depth::kFacts) return result;
  if (!result.supported && !policy.versions.clocks_when_unsupported) return result;
  for (TargetName target : kTargetNames) {
    const Segment& segment = segments[static_cast<int>(target)];
    const TargetSpec& spec = (*policy.Find(segment.severity))[target];
    result.clocks[static_cast<int>(target)] =
        ComputeClock(spec, target, segment.start, history, context, t);
  }
  return result;
}

}  // namespace

TicketEvaluation EvaluateTicket(std::string_view ticket_id,
                                std::span<const TicketEvent> history,
                                const TicketContext& context, Instant t) {
  return Evaluate(ticket_id, history, context, t, Depth::kClocks);
}

TicketEvaluation EvaluateTicketFacts(std::string_view ticket_id,
                                     std::span<const TicketEvent> history,
                                     const TicketContext& context, Instant t) {
  return Evaluate(ticket_id, history, context, t, Depth::kFacts);
}

}  // namespace slamon
