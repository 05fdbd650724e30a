// RepeatFilter: whether a failure worth a log line is logged now or is a
// repeat of the one just logged. A reason is logged when it differs from the
// last one logged or when `quiet` has passed since then, so a database that
// is down (and fails every request) gives a line a minute, not one a request,
// and a new reason is never held back.
//
// Time is an argument (a steady clock's time point). Not thread-safe: the
// caller serializes (the daemon holds a mutex, callers are writer threads).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace slamon {

class RepeatFilter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit RepeatFilter(std::chrono::steady_clock::duration quiet) : quiet_(quiet) {}

  // True when `reason` at `now` is to be logged (and remembered as logged).
  bool ShouldLog(std::string_view reason, TimePoint now);

 private:
  std::chrono::steady_clock::duration quiet_;
  std::string last_reason_;
  std::optional<TimePoint> last_logged_;
};

}  // namespace slamon
