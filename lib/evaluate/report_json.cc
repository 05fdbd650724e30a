#include "evaluate/report_json.h"

#include "evaluate/json_value.h"

namespace slamon {
namespace {

using nlohmann::ordered_json;

ordered_json ClockJson(const Clock& clock) {
  ordered_json j;
  j["status"] = ToString(clock.status);
  j["deadline"] = TimeOrNull(clock.deadline);
  j["stopped_at"] = TimeOrNull(clock.stopped_at);
  j["breached"] = clock.breached;
  j["breached_at"] = TimeOrNull(clock.breached_at);
  j["elapsed_seconds"] = clock.elapsed.count();
  j["budget_seconds"] =
      ValueOrNull(clock.budget ? std::optional(clock.budget->count()) : std::nullopt);
  j["at_risk"] = clock.at_risk;
  return j;
}

}  // namespace

ordered_json TicketJson(const TicketEvaluation& t,
                        const std::optional<TicketBilling>& billing) {
  ordered_json j;
  j["type"] = "ticket";
  j["ticket"] = t.ticket;
  j["partner"] = t.partner;
  j["severity"] = t.severity;
  j["supported"] = t.supported;
  j["outdated"] = t.outdated;
  j["fee"] = t.fee;
  j["incidents"] = t.incidents;
  j["billable_incidents"] = billing ? billing->billable_incidents : 0;
  j["quota_period_start"] =
      TimeOrNull(billing ? std::optional(billing->period_start) : std::nullopt);
  ordered_json clocks;
  for (TargetName target : kTargetNames)
    clocks[std::string(ToString(target))] = ClockJson(t[target]);
  j["clocks"] = std::move(clocks);
  j["state"] = ToString(t.state);
  j["waiting"] = t.waiting;
  j["opened_at"] = FormatInstant(t.opened_at);
  j["product"] = t.product;
  j["version"] = t.version;
  j["defect_confirmed"] = t.defect_confirmed;
  j["new_defect"] = t.new_defect;
  return j;
}

ordered_json PartnerJson(const std::string& partner, const PartnerQuota& q) {
  ordered_json j;
  j["type"] = "partner";
  j["partner"] = partner;
  j["period_start"] = FormatInstant(q.period.start);
  j["period_end"] = FormatInstant(q.period.end);
  j["unlimited"] = !q.incidents_limit.has_value();
  j["incidents_used"] = q.incidents_used;
  j["incidents_limit"] = ValueOrNull(q.incidents_limit);
  j["credits"] = q.credits;
  j["over_quota"] = q.over_quota;
  j["billable_incidents"] = q.billable_incidents;
  j["fees"] = q.fees;
  j["certified"] = q.certified;
  j["certified_employees"] = q.certified_employees;
  j["certified_until"] = TimeOrNull(q.certified_until);
  return j;
}

}  // namespace slamon
