// EvaluationRun: `slamon evaluate` — lines in, report lines out, and the
// same report whatever the order of the lines (docs/design.md §4).
//
// Feed it the input one line at a time, then call Finish once. Reference
// records (partner, certification, release) may come before, between or
// after the events they concern, and a ticket's events in any order (a
// `reopened` after `closed` reopens it, as in the daemon). So nothing is
// evaluated before the end of input: ReadLine parses and stores; Finish
// evaluates and writes one ticket line per ticket, in order of ticket id
// (byte order), then one partner line per partner, in order of partner id.
// A ticket line says how many of its incidents are billable, which depends
// on all of its partner's tickets (quota/billing.h): Finish evaluates every
// ticket twice, once to gather the partner's quota facts, once to write it,
// rather than hold every evaluation until the end.
// Each ticket's context comes from ReferenceBook::ContextFor, as in the
// daemon.
//
// Order independence also decides ties the input order used to decide: a
// ticket's events at the same instant are applied in a fixed order of their
// content (kind in the order of docs/design.md §3 — opened, responded,
// workaround, resolved, reopened, closed, waiting, resumed, severity,
// incidents, defect_confirmed, new_defect — then severity, incidents,
// partner, product, version), and a partner defined twice differently is
// taken from the definition that sorts first by (contract_signed_at, time
// zone, policy, name, holidays, credit with quota before paid), with a
// problem reported.
//
// Memory: what order independence needs and no more — every event is held
// until the end of input, packed (EventLog: about 8 bytes an event, 15 for an
// opened one, names interned once) under its ticket's id; no JSON, no
// strings per event (TicketTable). See docs/benchmarks.md.
//
// Time: lines are read by a scanner of flat JSON objects (record.h), ticket
// lines written without a JSON value (ticket_line.h), and a partner's policy,
// quota period at the evaluation instant and ticket context looked up once,
// not per ticket. tests/bench/evaluate_bench.sh measures it.
//
// Every problem becomes one line "SOURCE:LINE: why" on `errors`; the line is
// skipped and the rest is still evaluated. Not thread-safe; pure apart from
// writing to the two streams it is given.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/history.h"
#include "engine/reference_book.h"
#include "evaluate/record.h"
#include "evaluate/ticket_table.h"
#include "policy/rules.h"
#include "quota/billing.h"
#include "quota/partner_quota.h"
#include "tracker/event_log.h"
#include "tracker/name_table.h"

namespace slamon {

class EvaluationRun {
 public:
  EvaluationRun(const Rules& rules, Instant at, std::string source, std::ostream& out,
                std::ostream& errors);

  void ReadLine(std::string_view line, int64_t line_number);
  // Evaluates and writes everything. Call once, at the end.
  void Finish();

  int problems() const { return problems_; }

 private:
  struct PartnerDefinition {
    Partner partner;
    int64_t line = 0;
  };

  // Finish's two passes over the tickets. kGather: the quota and billing
  // facts without the clocks (EvaluateTicketFacts), and the ticket's
  // problems reported (once a run). kWrite: everything a ticket line shows,
  // silently (the problems were reported by kGather).
  enum class Pass { kGather, kWrite };

  void Store(EventRecord record, int64_t line);
  void SettlePartners();
  // The ticket evaluated at `at_` for `pass`; std::nullopt when it has no
  // valid opened event or opens later.
  std::optional<TicketEvaluation> EvaluateTicket(const std::string& ticket_id,
                                                 const EventLog& log, Pass pass);
  void Problem(int64_t line, const std::string& why);

  const Rules& rules_;
  Instant at_;
  std::string source_;
  std::ostream& out_;
  std::ostream& errors_;
  int problems_ = 0;

  std::map<std::string, std::vector<PartnerDefinition>> partner_lines_;
  ReferenceBook book_;
  std::map<std::string, int64_t> certification_lines_;  // partner -> first line naming it

  // Finish's look-ups, once per partner (and product) rather than per ticket.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  template <class T>
  using ById = std::unordered_map<std::string, T, Hash, std::equal_to<>>;
  struct PartnerState {
    const Partner* partner = nullptr;  // nullptr: not in the book
    const Policy* policy = nullptr;
    int period_now = 0;  // index of the quota period that holds at_
    PeriodUsage usage;   // tickets of that period
    std::vector<BillingFacts> facts;
    std::vector<TicketBilling> billing;  // in ticket id order
    size_t next = 0;                     // the next ticket's billing
  };
  // nullptr for a partner the book does not know.
  PartnerState* StateOf(const std::string& partner_id);
  // ReferenceBook::ContextFor, which depends on the opened event's partner
  // and product only, remembered per partner and product.
  const ResolvedContext& ContextOf(const TicketEvent& opened);
  ById<PartnerState> partner_states_;
  ById<ById<ResolvedContext>> contexts_;
  ById<const Policy*> policies_;
  PolicyOfPartner policy_lookup_;

  NameTable names_;
  TicketTable tickets_;  // events, sequence = line
  std::vector<LoggedEvent> scratch_;
};

}  // namespace slamon
