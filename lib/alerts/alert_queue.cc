#include "alerts/alert_queue.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace slamon {

namespace {

std::string_view AlertnameOf(const Labels& labels) {
  const auto it = labels.find("alertname");
  return it == labels.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace

AlertQueue::AlertQueue(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)) {}

std::size_t AlertQueue::Push(std::span<const Alert> alerts) {
  for (const Alert& alert : alerts) {
    const auto waiting = index_.find(alert.labels);
    if (waiting != index_.end()) {
      *waiting->second = QueuedAlert{alert, 0};
      continue;
    }
    alerts_.push_back(QueuedAlert{alert, 0});
    index_.emplace(alert.labels, std::prev(alerts_.end()));
  }
  return DropOverflow();
}

std::vector<QueuedAlert> AlertQueue::Take(std::size_t max, Batching batching) {
  std::vector<QueuedAlert> batch;
  max = std::max<std::size_t>(max, 1);
  while (!alerts_.empty() && batch.size() < max) {
    const Labels& labels = alerts_.front().alert.labels;
    if (batching == Batching::kOneAlertname && !batch.empty() &&
        AlertnameOf(labels) != AlertnameOf(batch.front().alert.labels)) {
      break;
    }
    index_.erase(labels);
    batch.push_back(std::move(alerts_.front()));
    alerts_.pop_front();
  }
  return batch;
}

AlertQueue::RequeueResult AlertQueue::Requeue(std::vector<QueuedAlert> batch,
                                              int max_attempts) {
  RequeueResult result;
  // Back to front, so that the batch keeps its order at the front.
  for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
    if (index_.contains(it->alert.labels)) continue;  // a newer version waits
    if (++it->failed_attempts >= max_attempts) {
      ++result.abandoned;
      continue;
    }
    alerts_.push_front(std::move(*it));
    index_.emplace(alerts_.front().alert.labels, alerts_.begin());
  }
  result.dropped = DropOverflow();
  return result;
}

std::size_t AlertQueue::DropOverflow() {
  std::size_t dropped = 0;
  while (alerts_.size() > capacity_) {
    index_.erase(alerts_.front().alert.labels);
    alerts_.pop_front();
    ++dropped;
  }
  return dropped;
}

}  // namespace slamon
