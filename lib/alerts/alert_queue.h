// AlertQueue: the bounded queue of alerts waiting for one destination.
//
// Alerts wait in the order they were pushed. An alert whose label set is
// already waiting replaces the waiting version in place (only the newest
// version of an alert is worth sending), so a destination that is down for a
// while holds each alert once however often the AlertBook resends it. When the
// queue is full, the oldest alerts are dropped to make room.
//
// A request takes a batch from the front; if it fails, the batch is put back
// at the front with one more failed attempt on each alert, except the alerts
// that have a newer version waiting and those that have used up their
// attempts (abandoned).
//
// Pure: no I/O, no clock. Not thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <map>
#include <span>
#include <vector>

#include "alerts/alert.h"

namespace slamon {

struct QueuedAlert {
  Alert alert;
  int failed_attempts = 0;
};

enum class Batching : uint8_t {
  kAny,           // any alerts, in order (Alertmanager takes any mix)
  kOneAlertname,  // the run at the front that shares one alertname (a webhook group)
};

class AlertQueue {
 public:
  explicit AlertQueue(std::size_t capacity);  // a capacity of 0 counts as 1

  // Queues `alerts`; returns how many alerts were dropped to make room.
  std::size_t Push(std::span<const Alert> alerts);

  // Takes up to `max` alerts (at least 1 when not empty) from the front.
  std::vector<QueuedAlert> Take(std::size_t max, Batching batching);

  struct RequeueResult {
    std::size_t abandoned = 0;  // failed `max_attempts` times: given up
    std::size_t dropped = 0;    // no room left
  };
  // Puts a failed batch back at the front (see the header comment). An alert
  // that has now failed `max_attempts` times is abandoned.
  RequeueResult Requeue(std::vector<QueuedAlert> batch, int max_attempts);

  std::size_t size() const { return alerts_.size(); }
  bool empty() const { return alerts_.empty(); }
  std::size_t capacity() const { return capacity_; }

 private:
  std::size_t DropOverflow();

  std::size_t capacity_;
  std::list<QueuedAlert> alerts_;
  std::map<Labels, std::list<QueuedAlert>::iterator> index_;
};

}  // namespace slamon
