// RejectReason: why an event was not applied, the one vocabulary of every
// place that turns an event away: the store's check of a ticket_events row
// (store/event_row.h), the ticket history's rules (engine/history.h), the
// `reason` label of slamon_events_rejected_total (metrics/daemon_metrics.h),
// the daemon's log lines and `slamon explain`.
//
// Adding a reason: a value here, its spelling in ToString (a metric label
// value: lower_snake_case, never renamed once released, dashboards use it),
// its place in kAllRejectReasons, and a line in docs/metrics-and-alerts.md.
// The compiler then points at every switch that must handle it.
#pragma once

#include <array>
#include <string_view>

namespace slamon {

enum class RejectReason {
  // A row of slamon.ticket_events that is not an event (store/event_row.h).
  kUnknownKind,  // `kind` is not one slamon knows
  kBadField,     // a field the kind needs is missing or unusable
  kFuture,       // stamped more than kFarFuture ahead of now
  // An event that breaks a rule of its ticket's history (engine/history.h).
  kUnknownSeverity,  // a severity the partner's policy does not know
  kBeforeOpened,     // before the ticket's `opened`
  kDuplicateOpened,  // a second `opened`
  kNoOpened,         // the ticket has no valid `opened`
  kBadIncidents,     // an incident count below 0 or above kMaxIncidents
};

// Every reason, in one list: the series of slamon_events_rejected_total
// that exist (at 0) from the start.
inline constexpr std::array<RejectReason, 8> kAllRejectReasons = {
    RejectReason::kUnknownKind,  RejectReason::kUnknownSeverity,
    RejectReason::kBeforeOpened, RejectReason::kDuplicateOpened,
    RejectReason::kNoOpened,     RejectReason::kBadIncidents,
    RejectReason::kBadField,     RejectReason::kFuture};

// "unknown_kind", "bad_field", "future", "unknown_severity", "before_opened",
// "duplicate_opened", "no_opened", "bad_incidents": the metric label and the
// word in log lines.
std::string_view ToString(RejectReason reason);

}  // namespace slamon
