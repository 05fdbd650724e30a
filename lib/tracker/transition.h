// Transition: a change in what people must be told about one SLA clock.
//
// An open clock is in one of three alert states: quiet, at risk (a warning
// point passed) or breached (its deadline passed and it is not stopped).
// Every change of that state is a Transition: the end of the old state and the
// start of the new one. A clock that stops (target met, ticket closed) or whose
// deadline moves away (re-classification, a late event) ends its state. These
// are the domain events the alert and metric layers consume.
#pragma once

#include <optional>
#include <string>

#include "instant/instant.h"
#include "policy/policy.h"

namespace slamon {

enum class AlertState : uint8_t { kQuiet, kAtRisk, kBreached };

enum class TransitionKind : uint8_t { kStarted, kEnded };

struct Transition {
  TransitionKind kind;
  AlertState state;  // kAtRisk or kBreached: the state that started or ended
  std::string ticket;
  std::string partner;
  std::string severity;  // the ticket's severity when it happened
  TargetName target;
  // The clock's deadline (for kEnded: its deadline when it ended); none while
  // a clock whose deadline depends on when it resumes is paused.
  std::optional<Instant> deadline;
  Instant at;  // the tracker's time when it was noticed
};

}  // namespace slamon
