// The daemon's clock reads, the only ones in `slamon run`: the wall instant
// (whole seconds, for deadlines and alerts) and the steady time (for leases),
// taken together as the Moment the monitor is given.
#pragma once

#include <chrono>

#include "instant/instant.h"
#include "runtime/moment.h"

namespace slamon {

inline Instant WallNow() {
  return std::chrono::floor<Seconds>(std::chrono::system_clock::now());
}

inline Moment Now() { return {WallNow(), std::chrono::steady_clock::now()}; }

}  // namespace slamon
