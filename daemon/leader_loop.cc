#include "leader_loop.h"

namespace slamon {

LeaderLoop::LeaderLoop(std::string connection, int64_t key,
                       std::chrono::milliseconds interval,
                       std::function<void(const LeaderCheck&)> on_check)
    : lock_(std::move(connection), key),
      interval_(interval),
      on_check_(std::move(on_check)) {}

LeaderLoop::~LeaderLoop() { Stop(); }

void LeaderLoop::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void LeaderLoop::Stop() {
  {
    std::lock_guard guard(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LeaderLoop::Run() {
  for (;;) {
    LeaderCheck check;
    check.asked_at = std::chrono::steady_clock::now();
    const Result<Leadership> leadership = lock_.Check();
    check.why = leadership.error();
    check.answer = !leadership           ? LeaderCheck::Answer::kUnknown
                   : leadership->leading ? LeaderCheck::Answer::kHolds
                                         : LeaderCheck::Answer::kOther;
    if (leadership && leadership->standby) {
      check.answer = LeaderCheck::Answer::kOther;
      check.why =
          "the database is a standby (in recovery); only a primary elects a leader";
    }
    on_check_(check);
    std::unique_lock guard(mutex_);
    if (wake_.wait_for(guard, interval_, [this] { return stopping_; })) break;
  }
  lock_.Release();
}

}  // namespace slamon
