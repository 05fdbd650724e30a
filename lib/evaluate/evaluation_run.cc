#include "evaluate/evaluation_run.h"

#include "engine/engine.h"
#include "evaluate/report_json.h"

namespace slamon {

EvaluationRun::EvaluationRun(const Rules& rules, Instant at, std::string source,
                             std::ostream& out, std::ostream& errors)
    : rules_(rules),
      at_(at),
      source_(std::move(source)),
      out_(out),
      errors_(errors) {}

void EvaluationRun::Problem(int64_t line, const std::string& why) {
  ++problems_;
  errors_ << source_ << ':' << line << ": " << why << '\n';
}

void EvaluationRun::ReadLine(std::string_view line, int64_t line_number) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;  // blank
  Parsed<Record> parsed = ParseRecord(line, line_number);
  if (!parsed) {
    Problem(line_number, parsed.error);
    return;
  }
  Record record = std::move(*parsed.value);
  if (auto* partner = std::get_if<PartnerRecord>(&record)) {
    Accept(std::move(*partner), line_number);
  } else if (auto* certification = std::get_if<Certification>(&record)) {
    certification_lines_.try_emplace(certification->partner, line_number);
    book_.AddCertification(std::move(*certification));
  } else if (auto* release = std::get_if<Release>(&record)) {
    book_.AddRelease(std::move(*release));
  } else {
    Accept(std::move(std::get<EventRecord>(record)), line_number);
  }
}

void EvaluationRun::Accept(PartnerRecord partner, int64_t line) {
  std::string id = partner.id;
  if (!book_.AddPartner(std::move(partner))) {
    Problem(line, "partner " + id + " is defined twice; the first definition is kept");
    return;
  }
  partner_order_.push_back(id);
  for (const auto& note : book_.RulesFor(id, rules_).notes) Problem(line, note);
}

void EvaluationRun::Accept(EventRecord record, int64_t line) {
  const size_t ticket_hash = std::hash<std::string>{}(record.ticket);
  if (auto closed = closed_.find(ticket_hash); closed != closed_.end()) {
    Problem(line, "ticket " + record.ticket + ": " +
                      std::string(ToString(record.event.kind)) +
                      " comes after the ticket's closed event (line " +
                      std::to_string(closed->second) + "), which was reported already");
    return;
  }
  auto [it, inserted] = open_.try_emplace(record.ticket);
  if (inserted) open_order_.push_back(record.ticket);
  bool closes = record.event.kind == EventKind::kClosed && record.event.at <= at_;
  it->second.events.push_back(std::move(record.event));
  if (closes && FindOpened(it->second.events) != nullptr) {
    closed_.emplace(ticket_hash, line);
    Finalize(record.ticket);
  }
}

void EvaluationRun::Finalize(const std::string& ticket_id) {
  auto node = open_.extract(ticket_id);
  std::vector<TicketEvent> events = std::move(node.mapped().events);

  TicketHistory history =
      SanitizeHistory(ticket_id, std::move(events), book_.PolicyLookup(rules_));
  bool reported_no_opened = false;
  for (const auto& rejected : history.rejected) {
    if (rejected.reason == RejectReason::kNoOpened) {
      if (reported_no_opened) continue;  // once per ticket
      reported_no_opened = true;
    }
    Problem(rejected.event.sequence, rejected.message);
  }
  if (history.events.empty()) return;
  const TicketEvent& opened = history.events.front();
  const ResolvedContext context = book_.ContextFor(opened, rules_);
  // Notes about the partner itself were reported with its record.
  if (context.partner == nullptr) {
    for (const auto& note : context.notes)
      Problem(opened.sequence, "ticket " + ticket_id + ": " + note);
  }
  if (opened.at > at_) return;

  TicketEvaluation evaluation =
      EvaluateTicket(ticket_id, history.events, context.context, at_);
  out_ << TicketJson(evaluation).dump() << '\n';
  if (context.partner != nullptr) {
    const QuotaRules& rules = context.context.policy->quota;
    Instant signed_at = context.partner->contract_signed_at;
    if (QuotaPeriodAt(signed_at, evaluation.opened_at, rules).index ==
        QuotaPeriodAt(signed_at, at_, rules).index) {
      usage_[evaluation.partner].Add({evaluation.opened_at, evaluation.incidents,
                                      evaluation.new_defect, evaluation.fee});
    }
  }
}

void EvaluationRun::Finish() {
  for (const auto& ticket_id : open_order_) {
    if (open_.count(ticket_id) != 0) Finalize(ticket_id);
  }
  for (const auto& [partner_id, line] : certification_lines_) {
    if (book_.FindPartner(partner_id) == nullptr) {
      Problem(line, "certification names unknown partner \"" + partner_id + "\"");
    }
  }
  for (const auto& partner_id : partner_order_) {
    const PartnerRules partner = book_.RulesFor(partner_id, rules_);
    PartnerQuota quota = AssessPartner(partner.partner->contract_signed_at,
                                       book_.CertificationsOf(partner_id),
                                       usage_[partner_id], *partner.policy, at_);
    out_ << PartnerJson(partner_id, quota).dump() << '\n';
  }
}

}  // namespace slamon
