// Rules: what the config says a ticket is measured by — the policies and the
// calendars their targets count on (docs/design.md §1, §2 and §4).
//
// The config produces one Rules value; the tracker, `slamon evaluate`,
// `slamon explain` and `slamon report` take it instead of the whole Config,
// so none of them can depend on the database, HTTP or alerting settings.
// Which policy and calendars a given ticket gets is decided in one place,
// ReferenceBook::ContextFor (engine/reference_book.h).
//
// Invariant: `policies` holds "default" (a default-constructed Rules holds the
// built-in policy of docs/design.md §1 and the built-in calendars). A copy
// resolves its calendars afresh (CalendarSet); not thread-safe: one owner.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar_set.h"
#include "policy/policy.h"

namespace slamon {

struct Rules {
  Rules();

  CalendarSet calendars;                                // built-ins plus `calendars:`
  std::map<std::string, Policy, std::less<>> policies;  // always holds "default"

  const Policy& DefaultPolicy() const { return policies.at("default"); }
  // The policy of that name; nullptr when the config does not define it.
  const Policy* FindPolicy(std::string_view name) const;
  // Every ticket severity some policy names, each once, in the order the
  // policies (by name) first name them: the severities the SLA metrics show
  // at 0 before any ticket has one.
  std::vector<std::string> Severities() const;
};

}  // namespace slamon
