// EvaluationRun: `slamon evaluate` as a stream of lines in, report lines out.
//
// Feed it the input one line at a time; it writes one ticket line per ticket
// (as soon as the ticket's `closed` event is read, the rest at the end, in
// order of first appearance) and then one partner line per partner. Memory
// grows with the number of open tickets: a closed ticket is evaluated and
// reported at once; what stays is a hash of its id (to refuse later events)
// and its share in its partner's running quota totals.
// Events of a ticket after its `closed` line are therefore refused, and
// partner, certification and release records should come before the events
// they concern (a ticket closed before its partner's record is reported with
// the default policy in UTC). Each ticket's context comes from
// ReferenceBook::ContextFor, as in the daemon.
//
// Every problem becomes one line "SOURCE:LINE: why" on `errors`; the line is
// skipped and the rest is still evaluated. Not thread-safe; pure apart from
// writing to the two streams it is given.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/history.h"
#include "engine/reference_book.h"
#include "evaluate/record.h"
#include "policy/rules.h"
#include "quota/partner_quota.h"

namespace slamon {

class EvaluationRun {
 public:
  EvaluationRun(const Rules& rules, Instant at, std::string source, std::ostream& out,
                std::ostream& errors);

  void ReadLine(std::string_view line, int64_t line_number);
  // Reports the tickets still open and all partners. Call once, at the end.
  void Finish();

  int problems() const { return problems_; }

 private:
  struct OpenTicket {
    std::vector<TicketEvent> events;
  };

  void Accept(PartnerRecord partner, int64_t line);
  void Accept(EventRecord event, int64_t line);
  void Finalize(const std::string& ticket_id);
  void Problem(int64_t line, const std::string& why);

  const Rules& rules_;
  Instant at_;
  std::string source_;
  std::ostream& out_;
  std::ostream& errors_;
  int problems_ = 0;

  ReferenceBook book_;
  std::vector<std::string> partner_order_;
  std::map<std::string, int64_t> certification_lines_;  // partner -> first line naming it
  std::map<std::string, PeriodUsage>
      usage_;  // by partner, tickets of the period holding at_

  std::unordered_map<std::string, OpenTicket> open_;
  std::vector<std::string> open_order_;
  // Reported tickets: hash of the ticket id -> line of its closed event.
  std::unordered_map<size_t, int64_t> closed_;
};

}  // namespace slamon
