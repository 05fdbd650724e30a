// TransitionLog: the log lines for a set of alert transitions. Pure: the
// monitor hands the lines to spdlog.
//
// A few transitions (at most `per_ticket_up_to`, or no more than the summary
// would have lines) log one line each, naming the ticket — what a
// steady-state breach looks like. More (the clocks at
// risk or breached when the load ends, a reference reload or a business day
// starting that turns thousands at once) log a summary instead: one line per
// alert, change, target and ticket severity with the count and the first
// `examples` tickets, so the journal stays readable and bounded (at most
// 2 alerts x 2 changes x 3 targets x the severities, whatever the count).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tracker/transition.h"

namespace slamon {

struct TransitionLogOptions {
  size_t per_ticket_up_to = 10;
  size_t examples = 3;
};

// `context` starts each summary line (e.g. "at ready"); per-ticket lines
// have none.
std::vector<std::string> TransitionLogLines(const std::vector<Transition>& transitions,
                                            std::string_view context,
                                            const TransitionLogOptions& options = {});

}  // namespace slamon
