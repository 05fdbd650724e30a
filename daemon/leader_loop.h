// LeaderLoop: a thread that keeps asking the database whether this replica
// leads (LeaderLock), every `interval`, and reports each change through a
// callback (which must post to the event loop and return). Stop() releases
// the lock so another replica takes over at once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "store/leader_lock.h"

namespace slamon {

class LeaderLoop {
 public:
  LeaderLoop(std::string connection, int64_t key, std::chrono::milliseconds interval,
             std::function<void(bool leader, const std::string& why)> on_change);
  ~LeaderLoop();  // stops and joins

  void Start();
  void Stop();

 private:
  void Run();

  LeaderLock lock_;
  std::chrono::milliseconds interval_;
  std::function<void(bool, const std::string&)> on_change_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
};

}  // namespace slamon
