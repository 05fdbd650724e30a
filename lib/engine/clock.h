// Clock: the state of one SLA target of one ticket at one instant.
//
// A clock runs from its start while its calendar is working and it is not
// paused; its deadline is the earliest instant at which the working time
// elapsed equals the budget. Breach is decided on exact instants: a running or
// paused clock is breached once its deadline is at or before the evaluation
// instant; a stopped clock is breached when it was met after its deadline
// ("met late"). Met exactly at the deadline is on time.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "instant/instant.h"

namespace slamon {

enum class ClockStatus {
  kRunning,        // counting (possibly outside working hours, where it does not advance)
  kPaused,         // waiting on the partner
  kStopped,        // target met (or the ticket was closed)
  kNotApplicable,  // no target for this severity, or an unsupported version
  kUnscheduled,    // "next release" and no release is planned yet
};

std::string_view ToString(ClockStatus status);

struct Clock {
  ClockStatus status = ClockStatus::kNotApplicable;
  // Running: when it will be (or was) breached. Stopped: the deadline it had
  // when it stopped. Paused: the breach instant if breached, else unknown.
  std::optional<Instant> deadline;
  std::optional<Instant> stopped_at;
  bool breached = false;
  std::optional<Instant> breached_at;  // == deadline when breached
  Seconds elapsed{0};  // working time counted up to the evaluation instant
  // Working time allowed: an h/m/s budget itself; a budget of days, the
  // working time those days hold from the clock's start (docs/design.md §2);
  // for a release date, the wall time from start to release.
  std::optional<Seconds> budget;
  // One entry per policy warn_at fraction: when the elapsed time reaches it
  // (std::nullopt when that is not known yet, e.g. while paused).
  std::vector<std::optional<Instant>> warnings;
  bool at_risk = false;  // a warning point passed, not breached, not stopped
  // The next instant after the evaluation instant at which this clock changes
  // by the passage of time alone (a warning point or the deadline).
  std::optional<Instant> next_change;

  bool operator==(const Clock&) const = default;
};

}  // namespace slamon
