// The annotations of slamon's alerts (docs/metrics-and-alerts.md): summary
// and description in words, `count` for SlaAlertsFolded, `deadline`, and
// `runbook_url`. The one wording of every alert, used by the AlertBook (and by
// the reference book its differential test holds it to). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "alerts/alert.h"
#include "alerts/alert_book.h"
#include "instant/instant.h"

namespace slamon {

// What an alert's text is made of; the views must outlive the call.
struct AlertFacts {
  AlertName name = AlertName::kSlaAtRisk;
  std::string_view ticket = {};  // per-ticket alerts
  std::string_view partner = {};
  std::string_view ticket_severity = {};  // per-ticket alerts and SlaAlertsFolded
  TargetName target = TargetName::kResponse;
  // SLA alerts: the clock's deadline; quota: the period's end; certification:
  // when it lapses (none: not certified now).
  std::optional<Instant> deadline = {};
  int incidents_used = 0;
  int incidents_limit = 0;
  int certified_employees = 0;
  int64_t folded_breached = 0;  // SlaAlertsFolded
  int64_t folded_at_risk = 0;
};

// The annotations as they read at `now` (for a resolved alert: when it
// ended); `runbook_url` is alerting.runbook_url ("" for no link).
Labels AlertAnnotations(const AlertFacts& facts, Instant now,
                        std::string_view runbook_url);

}  // namespace slamon
