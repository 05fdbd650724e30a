#include "engine/activity.h"

namespace slamon {
namespace {

enum class Effect { kNone, kMeet, kUnmeet, kPause, kResume };

Effect EffectOn(TargetName target, EventKind kind) {
  switch (kind) {
    case EventKind::kResponded:
      return target == TargetName::kResponse ? Effect::kMeet : Effect::kNone;
    case EventKind::kWorkaround:
      return target == TargetName::kResolution ? Effect::kNone : Effect::kMeet;
    case EventKind::kResolved:
    case EventKind::kClosed:
      return Effect::kMeet;
    case EventKind::kReopened:
      return target == TargetName::kResolution ? Effect::kUnmeet : Effect::kNone;
    case EventKind::kWaiting:
      return Effect::kPause;
    case EventKind::kResumed:
      return Effect::kResume;
    default:
      return Effect::kNone;
  }
}

}  // namespace

Activity TraceActivity(TargetName target, bool pausable, Instant start,
                       std::span<const TicketEvent> history) {
  Activity activity;
  bool waiting = false;
  std::optional<Instant> met_at;
  auto counts = [&] { return !met_at && !(pausable && waiting); };
  auto apply = [&](Effect effect, Instant at) {
    switch (effect) {
      case Effect::kMeet:
        if (!met_at) met_at = at;
        break;
      case Effect::kUnmeet:
        met_at.reset();
        break;
      case Effect::kPause:
        waiting = true;
        break;
      case Effect::kResume:
        waiting = false;
        break;
      case Effect::kNone:
        break;
    }
  };

  size_t i = 0;
  for (; i < history.size() && history[i].at < start; ++i) {
    apply(EffectOn(target, history[i].kind), history[i].at);
  }
  std::optional<Instant> since;
  if (counts()) since = start;
  for (; i < history.size(); ++i) {
    const TicketEvent& event = history[i];
    Effect effect = EffectOn(target, event.kind);
    if (effect == Effect::kNone) continue;
    bool before = counts();
    apply(effect, event.at);
    bool after = counts();
    if (before && !after) {
      if (event.at > *since) activity.counted.emplace_back(*since, event.at);
      since.reset();
    } else if (!before && after) {
      since = event.at;
    }
  }
  activity.counting_since = since;
  activity.met_at = met_at;
  return activity;
}

}  // namespace slamon
