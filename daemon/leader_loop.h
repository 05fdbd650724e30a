// LeaderLoop: a thread that asks the database whether this replica holds
// the leader lock (LeaderLock), every `interval` once started, and reports
// every answer as a LeaderCheck (which the callback must post to the event
// loop; the core's LeaderLease turns the answers into "sending"). Every
// answer is reported, not only changes: each one renews the lease. Stop()
// releases the lock so another replica takes over (after its hold-off).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/leadership.h"
#include "store/leader_lock.h"

namespace slamon {

class LeaderLoop final : public LeadershipSource {
 public:
  LeaderLoop(std::string connection, int64_t key, std::chrono::milliseconds interval,
             std::function<void(const LeaderCheck&)> on_check);
  ~LeaderLoop() override;  // stops and joins

  void Start() override;  // once; later calls do nothing
  void Stop();

 private:
  void Run();

  LeaderLock lock_;
  std::chrono::milliseconds interval_;
  std::function<void(const LeaderCheck&)> on_check_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // under mutex_
};

}  // namespace slamon
