// TicketExplanation: one ticket as `slamon explain` shows it — what is
// recorded about it, how the engine sees it at one instant, and that as text.
//
// ExplainTicket does for one ticket what the daemon's tracker does: the
// ticket's context comes from ReferenceBook::ContextFor (its notes say how
// missing reference data was filled in), the events are sanitized with the
// partner's policy (SanitizeHistory) and evaluated at `at` (EvaluateTicket).
// FormatTicketReport renders the result for a human. Both are pure: the caller
// reads the database and the clock; nothing here does I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "engine/history.h"
#include "engine/reference_book.h"
#include "engine/release.h"
#include "policy/rules.h"
#include "quota/billing.h"
#include "quota/certification.h"
#include "quota/partner.h"

namespace slamon {

// A row of the ticket's event log that is not an event at all (lib/store's
// BadRow): shown as skipped, never evaluated.
struct SkippedRow {
  int64_t seq = 0;
  RejectReason reason = RejectReason::kBadField;  // kUnknownKind, kBadField, kFuture
  std::string message;                            // names the row and says why
};

struct TicketExplanation {
  std::string ticket;
  Instant at;                      // the evaluation instant
  std::optional<Partner> partner;  // the opened event's partner, when known
  std::string policy;              // the name of the policy applied
  std::vector<std::string> notes;  // how missing reference data was filled in
  TicketHistory history;           // accepted events, and rejected ones with why
  std::vector<SkippedRow> skipped;
  std::optional<TicketEvaluation> evaluation;  // std::nullopt: see not_evaluated
  std::string not_evaluated;                   // why there is no evaluation
  // Set by a caller that read the partner's other tickets (billing depends on
  // them, quota/billing.h); std::nullopt: not known.
  std::optional<TicketBilling> billing;
};

// `events` are the ticket's events in any order; `skipped` its bad rows.
TicketExplanation ExplainTicket(std::string_view ticket, std::vector<TicketEvent> events,
                                std::vector<SkippedRow> skipped,
                                const ReferenceBook& reference, const Rules& rules,
                                Instant at);

// The billing of each of a partner's evaluated tickets (quota/billing.h), in
// their order: `tickets` must be all the partner's tickets known at `at`.
std::vector<TicketBilling> BillTickets(const Partner& partner, const Policy& policy,
                                       std::span<const TicketEvaluation> tickets,
                                       Instant at);

// The human-readable report: the ticket's facts, its events in order (rejected
// ones with the reason, those after the evaluation instant marked), the
// skipped rows, then one block per clock. Times are UTC; each line ends in
// '\n'.
std::string FormatTicketReport(const TicketExplanation& explanation);

// Durations in words, units d h m s: exactly ("1d 3h 0m 5s" is written
// "1d 3h 5s"; zero is "0s"), and roughly, the largest unit and the next one
// when not zero, truncated ("1d 3h" for 1d 3h 59m; "2h 15m"; "45s").
std::string DurationInWords(Seconds d);
std::string RoughDurationInWords(Seconds d);

}  // namespace slamon
