// Moment: "now" as the daemon's core takes it, as an argument (it never
// reads a clock). `wall` is the instant of SLA deadlines and alerts (whole
// seconds); `steady` measures leases and never jumps with the wall clock.
#pragma once

#include <chrono>

#include "instant/instant.h"

namespace slamon {

struct Moment {
  Instant wall;
  std::chrono::steady_clock::time_point steady;
};

}  // namespace slamon
