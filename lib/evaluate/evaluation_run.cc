#include "evaluate/evaluation_run.h"

#include "engine/engine.h"
#include "evaluate/report_json.h"

namespace slamon {

EvaluationRun::EvaluationRun(const Config& config, Instant at, std::string source,
                             std::ostream& out, std::ostream& errors)
    : config_(config),
      default_policy_(config.policies.at("default")),
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
    certifications_[certification->partner].push_back(std::move(*certification));
  } else if (auto* release = std::get_if<Release>(&record)) {
    releases_[release->product].push_back(std::move(*release));
  } else {
    Accept(std::move(std::get<EventRecord>(record)), line_number);
  }
}

void EvaluationRun::Accept(PartnerRecord partner, int64_t line) {
  auto policy = config_.policies.find(partner.policy);
  if (policy == config_.policies.end()) {
    Problem(line,
            "partner " + partner.id + ": unknown policy \"" + partner.policy + "\"");
    return;
  }
  if (partners_.count(partner.id) != 0) {
    Problem(line,
            "partner " + partner.id + " is defined twice; the first definition is kept");
    return;
  }
  partner_order_.push_back(partner.id);
  std::string id = partner.id;
  partners_.emplace(std::move(id), PartnerEntry{std::move(partner), &policy->second});
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

  auto policy_of = [&](const std::string& partner_id) -> const Policy& {
    auto found = partners_.find(partner_id);
    return found != partners_.end() ? *found->second.policy : default_policy_;
  };
  TicketHistory history = SanitizeHistory(ticket_id, std::move(events), policy_of);
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
  const PartnerEntry* partner = nullptr;
  if (auto found = partners_.find(opened.partner); found != partners_.end()) {
    partner = &found->second;
  } else {
    Problem(opened.sequence,
            "ticket " + ticket_id + ": unknown partner \"" + opened.partner +
                "\" (no partner record before this point); evaluated with "
                "the default policy in UTC");
  }
  const Policy& policy = policy_of(opened.partner);
  if (history.events.empty() || history.events.front().at > at_) return;

  const TicketEvent& first = history.events.front();
  static const std::vector<Release> kNoReleases;
  static const std::vector<Certification> kNoCertifications;
  auto releases = releases_.find(first.product);
  auto certifications = certifications_.find(first.partner);
  TicketContext context{
      .policy = &policy,
      .calendars = &config_.calendars,
      .partner_zone = partner != nullptr ? partner->record.zone : nullptr,
      .releases = releases != releases_.end() ? releases->second : kNoReleases,
      .certifications = certifications != certifications_.end() ? certifications->second
                                                                : kNoCertifications,
  };
  TicketEvaluation evaluation = EvaluateTicket(ticket_id, history.events, context, at_);
  out_ << TicketJson(evaluation).dump() << '\n';
  if (partner != nullptr) {
    const QuotaRules& rules = partner->policy->quota;
    Instant signed_at = partner->record.contract_signed_at;
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
    if (partners_.count(partner_id) == 0) {
      Problem(line, "certification names unknown partner \"" + partner_id + "\"");
    }
  }
  for (const auto& partner_id : partner_order_) {
    const PartnerEntry& partner = partners_.at(partner_id);
    static const std::vector<Certification> kNone;
    auto certifications = certifications_.find(partner_id);
    PartnerQuota quota = AssessPartner(
        partner.record.contract_signed_at,
        certifications != certifications_.end() ? certifications->second : kNone,
        usage_[partner_id], *partner.policy, at_);
    out_ << PartnerJson(partner_id, quota).dump() << '\n';
  }
}

}  // namespace slamon
