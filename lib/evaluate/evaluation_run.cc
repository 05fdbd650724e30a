#include "evaluate/evaluation_run.h"

#include <algorithm>
#include <tuple>

#include "engine/engine.h"
#include "evaluate/report_json.h"
#include "evaluate/ticket_line.h"
#include "quota/billing.h"

namespace slamon {
namespace {

std::string_view ZoneName(const Partner& p) {
  return p.zone != nullptr ? p.zone->name() : std::string_view("UTC");
}

bool DefinitionLess(const Partner& a, const Partner& b) {
  return std::forward_as_tuple(a.contract_signed_at, ZoneName(a), a.policy, a.name,
                               a.holidays, a.credit) <
         std::forward_as_tuple(b.contract_signed_at, ZoneName(b), b.policy, b.name,
                               b.holidays, b.credit);
}

}  // namespace

EvaluationRun::EvaluationRun(const Rules& rules, Instant at, std::string source,
                             std::ostream& out, std::ostream& errors)
    : rules_(rules), at_(at), source_(std::move(source)), out_(out), errors_(errors) {}

void EvaluationRun::Problem(int64_t line, const std::string& why) {
  ++problems_;
  errors_ << source_ << ':' << line << ": " << why << '\n';
}

void EvaluationRun::ReadLine(std::string_view line, int64_t line_number) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;  // blank
  Result<Record> parsed = ParseRecord(line, line_number);
  if (!parsed) {
    Problem(line_number, parsed.error());
    return;
  }
  Record record = std::move(*parsed);
  if (auto* partner = std::get_if<PartnerRecord>(&record)) {
    std::string id = partner->id;
    partner_lines_[std::move(id)].push_back({std::move(*partner), line_number});
  } else if (auto* certification = std::get_if<Certification>(&record)) {
    certification_lines_.try_emplace(certification->partner, line_number);
    book_.AddCertification(std::move(*certification));
  } else if (auto* release = std::get_if<Release>(&record)) {
    book_.AddRelease(std::move(*release));
  } else {
    Store(std::move(std::get<EventRecord>(record)), line_number);
  }
}

void EvaluationRun::Store(EventRecord record, int64_t line) {
  LoggedEvent logged = InternEvent(record.event, names_);
  logged.sequence = line;
  EventLog& log = tickets_.FindOrAdd(record.ticket).log;
  log.Decode(scratch_);
  scratch_.push_back(logged);
  log.Encode(scratch_);
}

// A partner defined more than once: identical definitions are one; differing
// ones are settled by content, never by line order.
void EvaluationRun::SettlePartners() {
  for (auto& [id, definitions] : partner_lines_) {
    std::stable_sort(definitions.begin(), definitions.end(),
                     [](const PartnerDefinition& a, const PartnerDefinition& b) {
                       return DefinitionLess(a.partner, b.partner);
                     });
    const PartnerDefinition& chosen = definitions.front();
    for (const auto& other : definitions) {
      if (&other == &chosen || other.partner == chosen.partner) continue;
      Problem(other.line, "partner " + id + " is defined again, differently (line " +
                              std::to_string(chosen.line) +
                              " is used: the definitions are taken in order of "
                              "contract_signed_at, time zone, policy, name, holidays "
                              "and credit)");
    }
    book_.AddPartner(chosen.partner);
    for (const auto& note : book_.RulesFor(id, rules_).notes) Problem(chosen.line, note);
  }
}

std::optional<TicketEvaluation> EvaluationRun::EvaluateTicket(
    const std::string& ticket_id, const EventLog& log, Pass pass) {
  const bool report = pass == Pass::kGather;
  log.Decode(scratch_);
  // Events at the same instant in an order of their content, not of the lines.
  auto key = [&](const LoggedEvent& e) {
    return std::make_tuple(e.at, e.kind, std::cref(names_.Name(e.severity)), e.incidents,
                           std::cref(names_.Name(e.partner)),
                           std::cref(names_.Name(e.product)),
                           std::cref(names_.Name(e.version)), e.sequence);
  };
  std::sort(scratch_.begin(), scratch_.end(),
            [&](const LoggedEvent& a, const LoggedEvent& b) { return key(a) < key(b); });
  std::vector<int64_t> lines;
  std::vector<TicketEvent> events;
  lines.reserve(scratch_.size());
  events.reserve(scratch_.size());
  for (const auto& logged : scratch_) {
    TicketEvent e = NameEvent(logged, names_);
    e.sequence = static_cast<int64_t>(lines.size());  // the order settled above
    lines.push_back(logged.sequence);
    events.push_back(std::move(e));
  }

  TicketHistory history = SanitizeHistory(ticket_id, std::move(events), policy_lookup_);
  bool reported_no_opened = false;
  for (const auto& rejected : history.rejected) {
    if (!report) break;
    if (rejected.reason == RejectReason::kNoOpened) {
      if (reported_no_opened) continue;  // once per ticket
      reported_no_opened = true;
    }
    Problem(lines[static_cast<size_t>(rejected.event.sequence)], rejected.message);
  }
  if (history.events.empty()) return std::nullopt;
  const TicketEvent& opened = history.events.front();
  const ResolvedContext& context = ContextOf(opened);
  // Notes about a known partner were reported with its record.
  if (context.partner == nullptr && report) {
    for (const auto& note : context.notes) {
      Problem(lines[static_cast<size_t>(opened.sequence)],
              "ticket " + ticket_id + ": " + note);
    }
  }
  if (opened.at > at_) return std::nullopt;
  if (pass == Pass::kGather)
    return EvaluateTicketFacts(ticket_id, history.events, context.context, at_);
  return slamon::EvaluateTicket(ticket_id, history.events, context.context, at_);
}

const ResolvedContext& EvaluationRun::ContextOf(const TicketEvent& opened) {
  auto by_partner = contexts_.find(opened.partner);
  if (by_partner == contexts_.end())
    by_partner = contexts_.try_emplace(opened.partner).first;
  auto& by_product = by_partner->second;
  auto context = by_product.find(opened.product);
  if (context == by_product.end())
    context =
        by_product.try_emplace(opened.product, book_.ContextFor(opened, rules_)).first;
  return context->second;
}

EvaluationRun::PartnerState* EvaluationRun::StateOf(const std::string& partner_id) {
  auto it = partner_states_.find(partner_id);
  if (it == partner_states_.end()) {
    PartnerState state;
    state.partner = book_.FindPartner(partner_id);
    if (state.partner != nullptr) {
      state.policy = book_.RulesFor(partner_id, rules_).policy;
      state.period_now = QuotaPeriodAt(state.partner->contract_signed_at,
                                       state.partner->zone, at_, state.policy->quota)
                             .index;
    }
    it = partner_states_.try_emplace(partner_id, std::move(state)).first;
  }
  return it->second.partner != nullptr ? &it->second : nullptr;
}

void EvaluationRun::Finish() {
  SettlePartners();
  // SanitizeHistory asks for a partner's policy once per ticket: the book's
  // answer, remembered per partner.
  policy_lookup_ = [this, book = book_.PolicyLookup(rules_)](
                       const std::string& partner) -> const Policy& {
    auto it = policies_.find(partner);
    if (it == policies_.end()) it = policies_.try_emplace(partner, &book(partner)).first;
    return *it->second;
  };
  const std::vector<uint32_t> order = tickets_.OrderById();

  // Pass 1: evaluate every ticket's facts (not its clocks), report its
  // problems, and keep what the quota and billing need of the tickets of
  // known partners (the ids are views of the ids in tickets_).
  for (const uint32_t position : order) {
    const TicketTable::Ticket& ticket = tickets_[position];
    auto evaluation = EvaluateTicket(ticket.id, ticket.log, Pass::kGather);
    if (!evaluation) continue;
    PartnerState* state = StateOf(evaluation->partner);
    if (state == nullptr) continue;
    const Partner& partner = *state->partner;
    const TicketQuotaFacts quota{evaluation->opened_at, evaluation->incidents,
                                 evaluation->new_defect, evaluation->fee};
    state->usage.Add(quota,
                     QuotaPeriodAt(partner.contract_signed_at, partner.zone,
                                   quota.opened_at, state->policy->quota)
                         .index,
                     state->period_now);
    state->facts.push_back({ticket.id, quota});
  }

  // Billing needs every ticket of a partner before it can name any.
  for (auto& [partner_id, state] : partner_states_) {
    if (state.partner == nullptr) continue;
    state.billing = AttributeBilling(*state.partner, *state.policy, state.facts, at_);
    std::vector<BillingFacts>().swap(state.facts);  // done with them
  }

  // Pass 2: the same evaluations (pure, so equal, and in the same order),
  // now with their clocks, written with their billing.
  constexpr size_t kFlushBytes = 1 << 16;
  std::string buffer;
  buffer.reserve(kFlushBytes + 4096);
  for (const uint32_t position : order) {
    const TicketTable::Ticket& ticket = tickets_[position];
    auto evaluation = EvaluateTicket(ticket.id, ticket.log, Pass::kWrite);
    if (!evaluation) continue;
    std::optional<TicketBilling> ticket_billing;
    if (PartnerState* state = StateOf(evaluation->partner))
      ticket_billing = state->billing[state->next++];
    AppendTicketLine(buffer, *evaluation, ticket_billing);
    buffer += '\n';
    if (buffer.size() >= kFlushBytes) {
      out_.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out_.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));

  for (const auto& [partner_id, line] : certification_lines_) {
    if (book_.FindPartner(partner_id) == nullptr) {
      Problem(line, "certification names unknown partner \"" + partner_id + "\"");
    }
  }
  for (const auto& [partner_id, partner] : book_.partners()) {
    const PartnerState* state = StateOf(partner_id);
    PartnerQuota quota = AssessPartner(partner, book_.CertificationsOf(partner_id),
                                       state != nullptr ? state->usage : PeriodUsage{},
                                       *book_.RulesFor(partner_id, rules_).policy, at_);
    out_ << PartnerJson(partner_id, quota).dump() << '\n';
  }
}

}  // namespace slamon
