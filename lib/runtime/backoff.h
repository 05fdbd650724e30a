// Backoff: how long to wait before the next attempt after consecutive
// failures — `initial`, doubling up to `max`, back to `initial` after Reset().
// Pure value type; time is the caller's.
#pragma once

#include <algorithm>
#include <chrono>

namespace slamon {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
      : initial_(std::max(initial, std::chrono::milliseconds{1})),
        max_(std::max(max, initial_)),
        next_(initial_) {}

  // The wait before the next attempt; the one after it is twice as long.
  std::chrono::milliseconds Next() {
    const std::chrono::milliseconds wait = next_;
    next_ = std::min(next_ * 2, max_);
    return wait;
  }
  void Reset() { next_ = initial_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds next_;
};

}  // namespace slamon
