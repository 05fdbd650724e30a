#include "report/report_format.h"

#include <cstdio>

#include "evaluate/json_value.h"
#include "evaluate/report_json.h"

namespace slamon {
namespace {

using nlohmann::ordered_json;

std::string ZoneName(const Partner& p) {
  return p.zone != nullptr ? std::string(p.zone->name()) : "UTC";
}

ordered_json CountsJson(const ClockCounts& c) {
  ordered_json j;
  j["on_time"] = c.on_time;
  j["late"] = c.late;
  j["breached_open"] = c.breached_open;
  j["decided"] = c.decided();
  j["compliance"] = ValueOrNull(c.compliance());
  j["overdue"] = c.overdue;
  j["running"] = c.running;
  j["at_risk"] = c.at_risk;
  j["paused"] = c.paused;
  j["unscheduled"] = c.unscheduled;
  j["not_applicable"] = c.not_applicable;
  return j;
}

ordered_json TicketRowJson(const TicketRow& t, bool with_version) {
  ordered_json j;
  j["ticket"] = t.ticket;
  j["severity"] = t.severity;
  j["opened_at"] = FormatInstant(t.opened_at);
  if (with_version) {
    j["product"] = t.product;
    j["version"] = t.version;
    j["status"] = t.outdated ? "outdated" : "unsupported";
  } else {
    j["reason"] = "not_certified";
  }
  return j;
}

std::string Text(const std::optional<Instant>& t) { return t ? FormatInstant(*t) : ""; }
std::string Text(bool b) { return b ? "true" : "false"; }
std::string Text(int n) { return std::to_string(n); }
std::string Text(const std::optional<int>& n) { return n ? std::to_string(*n) : ""; }
std::string Ratio(const std::optional<double>& r) {
  if (!r) return "";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", *r);
  return buffer;
}

}  // namespace

ordered_json PartnerReportJson(const PartnerReport& r) {
  ordered_json j;
  j["partner"] = {{"id", r.partner.id},
                  {"name", r.partner.name},
                  {"timezone", ZoneName(r.partner)},
                  {"policy", r.policy}};
  j["period"] = {{"from", FormatInstant(r.period.from)},
                 {"to", FormatInstant(r.period.to)},
                 {"evaluated_at", FormatInstant(r.evaluated_at)}};
  j["tickets"] = {{"opened", r.tickets_opened},
                  {"open_at_end", r.tickets_open_at_end},
                  {"incidents", r.incidents}};
  ordered_json compliance = ordered_json::array();
  for (const auto& row : r.compliance) {
    ordered_json c;
    c["target"] = ToString(row.target);
    c["severity"] = row.severity;
    c.update(CountsJson(row.counts));
    compliance.push_back(std::move(c));
  }
  j["compliance"] = std::move(compliance);
  ordered_json breaches = ordered_json::array();
  for (const auto& b : r.breaches) {
    ordered_json e;
    e["ticket"] = b.ticket;
    e["severity"] = b.severity;
    e["target"] = ToString(b.target);
    e["deadline"] = FormatInstant(b.deadline);
    e["stopped_at"] = TimeOrNull(b.stopped_at);
    e["outcome"] = ToString(b.outcome);
    breaches.push_back(std::move(e));
  }
  j["breaches"] = std::move(breaches);
  ordered_json quota = ordered_json::array();
  for (const auto& row : r.quota) {
    // evaluate's partner line, without what the report says elsewhere.
    ordered_json e = PartnerJson(r.partner.id, row.quota);
    for (const char* key :
         {"type", "partner", "certified", "certified_employees", "certified_until"})
      e.erase(key);
    e["incidents_in_report"] = row.incidents_in_report;
    e["billable_in_report"] = row.billable_in_report;
    ordered_json usage = ordered_json::array();
    for (const auto& step : row.usage) {
      usage.push_back({{"at", FormatInstant(step.at)},
                       {"incidents_used", step.incidents_used},
                       {"incidents_limit", ValueOrNull(step.incidents_limit)}});
    }
    e["usage"] = std::move(usage);
    quota.push_back(std::move(e));
  }
  j["quota"] = std::move(quota);
  ordered_json billing = ordered_json::array();
  for (const auto& b : r.billing) {
    ordered_json e;
    e["ticket"] = b.ticket;
    e["severity"] = b.severity;
    e["opened_at"] = FormatInstant(b.opened_at);
    e["quota_period_start"] = FormatInstant(b.quota_period_start);
    e["incidents"] = b.incidents;
    e["billable_incidents"] = b.billable_incidents;
    billing.push_back(std::move(e));
  }
  j["billing"] = std::move(billing);
  j["certification"] = {{"certified", r.certified},
                        {"certified_employees", r.certified_employees},
                        {"certified_until", TimeOrNull(r.certified_until)}};
  ordered_json fees = ordered_json::array();
  for (const auto& t : r.fees) fees.push_back(TicketRowJson(t, false));
  j["fees"] = std::move(fees);
  ordered_json versions = ordered_json::array();
  for (const auto& t : r.unsupported) versions.push_back(TicketRowJson(t, true));
  j["unsupported"] = std::move(versions);
  return j;
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i != 0) out += ',';
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
  return out;
}

std::string PartnerReportCsv(const PartnerReport& r) {
  std::string out;
  out += CsvRecord({"section", "partner", "name", "timezone", "policy", "from", "to",
                    "evaluated_at", "tickets_opened", "tickets_open_at_end", "incidents",
                    "certified", "certified_employees", "certified_until"});
  out += CsvRecord({"report", r.partner.id, r.partner.name, ZoneName(r.partner), r.policy,
                    FormatInstant(r.period.from), FormatInstant(r.period.to),
                    FormatInstant(r.evaluated_at), Text(r.tickets_opened),
                    Text(r.tickets_open_at_end), Text(r.incidents), Text(r.certified),
                    Text(r.certified_employees), Text(r.certified_until)});

  out += "\r\n";
  out += CsvRecord({"section", "target", "severity", "on_time", "late", "breached_open",
                    "decided", "compliance", "overdue", "running", "at_risk", "paused",
                    "unscheduled", "not_applicable"});
  for (const auto& row : r.compliance) {
    const ClockCounts& c = row.counts;
    out += CsvRecord({"compliance", std::string(ToString(row.target)), row.severity,
                      Text(c.on_time), Text(c.late), Text(c.breached_open),
                      Text(c.decided()), Ratio(c.compliance()), Text(c.overdue),
                      Text(c.running), Text(c.at_risk), Text(c.paused),
                      Text(c.unscheduled), Text(c.not_applicable)});
  }

  out += "\r\n";
  out += CsvRecord(
      {"section", "ticket", "severity", "target", "deadline", "stopped_at", "outcome"});
  for (const auto& b : r.breaches) {
    out += CsvRecord({"breach", b.ticket, b.severity, std::string(ToString(b.target)),
                      FormatInstant(b.deadline), Text(b.stopped_at),
                      std::string(ToString(b.outcome))});
  }

  out += "\r\n";
  out +=
      CsvRecord({"section", "period_start", "period_end", "unlimited", "incidents_used",
                 "incidents_limit", "credits", "over_quota", "billable_incidents", "fees",
                 "incidents_in_report", "billable_in_report"});
  for (const auto& row : r.quota) {
    const PartnerQuota& q = row.quota;
    out += CsvRecord({"quota", FormatInstant(q.period.start), FormatInstant(q.period.end),
                      Text(!q.incidents_limit.has_value()), Text(q.incidents_used),
                      Text(q.incidents_limit), Text(q.credits), Text(q.over_quota),
                      Text(q.billable_incidents), Text(q.fees),
                      Text(row.incidents_in_report), Text(row.billable_in_report)});
  }

  out += "\r\n";
  out += CsvRecord({"section", "ticket", "severity", "opened_at", "quota_period_start",
                    "incidents", "billable_incidents"});
  for (const auto& b : r.billing) {
    out += CsvRecord({"billing", b.ticket, b.severity, FormatInstant(b.opened_at),
                      FormatInstant(b.quota_period_start), Text(b.incidents),
                      Text(b.billable_incidents)});
  }

  out += "\r\n";
  out += CsvRecord({"section", "ticket", "severity", "opened_at", "reason"});
  for (const auto& t : r.fees) {
    out += CsvRecord(
        {"fee", t.ticket, t.severity, FormatInstant(t.opened_at), "not_certified"});
  }

  out += "\r\n";
  out += CsvRecord(
      {"section", "ticket", "severity", "opened_at", "product", "version", "status"});
  for (const auto& t : r.unsupported) {
    out += CsvRecord({"unsupported", t.ticket, t.severity, FormatInstant(t.opened_at),
                      t.product, t.version, t.outdated ? "outdated" : "unsupported"});
  }
  return out;
}

}  // namespace slamon
