// Partner: a service provider under contract, as the ticket database knows it
// (docs/design.md §3: the row of `slamon.partners`).
//
// Values from outside (a database row, an evaluate record) are checked with
// ParseCredit and CheckHolidaysName before they become a Partner. Pure.
#pragma once

#include <date/tz.h>

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "instant/instant.h"

namespace slamon {

// What a ticket that reports a new defect earns the partner (docs/design.md §1).
enum class CreditKind {
  kQuota,  // one more incident in the limit of the ticket's quota period
  kPaid,   // one billable incident of that period waived
};

struct Partner {
  std::string id;
  std::string name;
  Instant contract_signed_at;
  const date::time_zone* zone = nullptr;  // nullptr: UTC
  std::string policy = "default";         // the name of a configured policy
  // The name of a configured calendar whose holidays replace those of every
  // calendar of the partner's policy; empty: the calendars' own holidays.
  std::string holidays;
  CreditKind credit = CreditKind::kQuota;

  bool operator==(const Partner&) const = default;
};

// "quota" or "paid", exactly; std::nullopt for anything else.
std::optional<CreditKind> ParseCredit(std::string_view text);
std::string_view CreditName(CreditKind credit);

// Whether `name` can name a holiday calendar: at most 200 bytes of printable
// ASCII; the error says why not. Whether the config defines it is the rules'
// business, not this check's.
Status CheckHolidaysName(std::string_view name);

}  // namespace slamon
