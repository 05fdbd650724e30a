// Transition: a change in what people must be told about one SLA clock.
//
// An open clock is in one of three alert states: quiet, at risk (a warning
// point passed) or breached (its deadline passed and it is not stopped).
// Every change of that state is a Transition: the end of the old state and the
// start of the new one. A clock that stops (target met, ticket closed) or whose
// deadline moves away (re-classification, a late event) ends its state. These
// are the domain events the alert and metric layers consume.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "instant/instant.h"
#include "policy/policy.h"

namespace slamon {

enum class AlertState : uint8_t { kQuiet, kAtRisk, kBreached };

enum class TransitionKind : uint8_t { kStarted, kEnded };

// No ticket handle (see Transition::handle).
inline constexpr uint32_t kNoTicketHandle = UINT32_MAX;

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
  // The tracker's number for the ticket while it is in memory (its slot):
  // unique among the tickets in memory, and given to another ticket only
  // after the transitions that end all of this one's alert states. The
  // alert book keeps folded alerts by it instead of by the ticket's id.
  uint32_t handle = kNoTicketHandle;
};

}  // namespace slamon
