#include "leader_loop.h"

namespace slamon {

LeaderLoop::LeaderLoop(std::string connection, int64_t key,
                       std::chrono::milliseconds interval,
                       std::function<void(bool, const std::string&)> on_change)
    : lock_(std::move(connection), key),
      interval_(interval),
      on_change_(std::move(on_change)) {}

LeaderLoop::~LeaderLoop() { Stop(); }

void LeaderLoop::Start() {
  thread_ = std::thread([this] { Run(); });
}

void LeaderLoop::Stop() {
  {
    // Under the mutex: the thread cannot miss the wake-up between its
    // predicate check and its wait.
    std::lock_guard guard(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LeaderLoop::Run() {
  bool leading = false;
  bool first = true;
  while (!stopping_) {
    std::string error;
    bool now_leading = lock_.Check(&error);
    if (first || now_leading != leading) on_change_(now_leading, error);
    leading = now_leading;
    first = false;
    std::unique_lock guard(mutex_);
    wake_.wait_for(guard, interval_, [this] { return stopping_.load(); });
  }
  lock_.Release();
}

}  // namespace slamon
