// AlertSink: where the daemon's core hands the alerts it decided to send.
// AlertSender implements it (every Alertmanager and webhook); unit tests
// record what was sent. Send returns at once and never throws.
#pragma once

#include <span>

#include "alerts/alert.h"

namespace slamon {

class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual void Send(std::span<const Alert> alerts) = 0;
};

}  // namespace slamon
