#include "report/report_html.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>

namespace slamon {
namespace {

// The page's only style; no fonts but the reader's own.
constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; margin: 2em auto; max-width: 80em; color: #1d2630;
       background: #ffffff; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 2px solid #d0d7de; }
h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #e3e8ee; text-align: right; }
th { background: #f0f3f6; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
tr.all td { font-weight: bold; background: #f7f9fb; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.2em; }
dl.facts dt { color: #57606a; }
dl.facts dd { margin: 0; }
.bad { color: #b42318; font-weight: bold; }
.good { color: #1a7f37; }
.none { color: #57606a; font-style: italic; }
svg text { font-family: sans-serif; font-size: 11px; fill: #1d2630; }
)";

std::string Number(double v, const char* format) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

std::string Int(int n) { return std::to_string(n); }

// A time in the partner's zone, for the eye: "2026-11-26 15:28 CET".
std::string LocalTime(Instant t, const date::time_zone* zone) {
  if (zone == nullptr) return date::format("%Y-%m-%d %H:%M UTC", t);
  return date::format("%Y-%m-%d %H:%M %Z", date::make_zoned(zone, t));
}

std::string TimeElement(Instant t, const date::time_zone* zone) {
  return "<time datetime=\"" + FormatInstant(t) + "\">" + HtmlEscape(LocalTime(t, zone)) +
         "</time>";
}

std::string TargetLabel(TargetName target) {
  switch (target) {
    case TargetName::kResponse:
      return "First response";
    case TargetName::kWorkaround:
      return "Workaround";
    case TargetName::kResolution:
      return "Resolution";
  }
  return "?";
}

std::string OutcomeLabel(ClockOutcome outcome) {
  switch (outcome) {
    case ClockOutcome::kLate:
      return "met late";
    case ClockOutcome::kBreachedOpen:
      return "breached, not met";
    case ClockOutcome::kOverdue:
      return "overdue since an earlier period";
    default:
      return std::string(ToString(outcome));
  }
}

// A table cell holding a JSON field: `shown` is HTML (already escaped),
// `value` the JSON value when it differs from the text shown.
std::string Cell(std::string_view field, const std::string& shown,
                 const std::optional<std::string>& value = std::nullopt,
                 std::string_view css_class = "") {
  std::string out = "<td data-field=\"";
  out += field;
  out += '"';
  if (value) out += " data-value=\"" + HtmlEscape(*value) + '"';
  if (!css_class.empty()) {
    out += " class=\"";
    out += css_class;
    out += '"';
  }
  out += '>' + shown + "</td>";
  return out;
}

std::string IntCell(std::string_view field, int n) { return Cell(field, Int(n)); }

std::string TextCell(std::string_view field, const std::string& text) {
  return Cell(field, HtmlEscape(text), std::nullopt, "text");
}

std::string TimeCell(std::string_view field, Instant t, const date::time_zone* zone) {
  return Cell(field, TimeElement(t, zone), FormatInstant(t), "text");
}

// A header row; its first `text_columns` are aligned as text, the others as
// numbers.
std::string Header(size_t text_columns, std::initializer_list<std::string_view> names) {
  std::string out = "<tr>";
  size_t column = 0;
  for (std::string_view name : names) {
    out += column++ < text_columns ? "<th class=\"text\">" : "<th>";
    out += name;
    out += "</th>";
  }
  return out + "</tr>\n";
}

std::string Nothing(std::string_view what) {
  return "<p class=\"none\">" + std::string(what) + "</p>\n";
}

// The compliance ratio as a bar and a percentage.
std::string ComplianceCell(const std::optional<double>& ratio) {
  if (!ratio)
    return Cell("compliance", "<span class=\"none\">nothing decided</span>", "");
  const double width = std::clamp(*ratio, 0.0, 1.0) * 100;
  const char* fill = *ratio >= 0.95 ? "#1a7f37" : *ratio >= 0.8 ? "#bf8700" : "#b42318";
  std::string bar =
      "<svg width=\"100\" height=\"10\" viewBox=\"0 0 100 10\" role=\"img\" "
      "aria-hidden=\"true\"><rect width=\"100\" height=\"10\" fill=\"#e3e8ee\"/>"
      "<rect width=\"" +
      Number(width, "%.1f") + "\" height=\"10\" fill=\"" + fill + "\"/></svg> ";
  return Cell("compliance", bar + Number(*ratio * 100, "%.1f") + "&#160;%",
              Number(*ratio, "%.17g"));
}

std::string Facts(const PartnerReport& r) {
  const date::time_zone* zone = r.partner.zone;
  const std::string zone_name = zone != nullptr ? std::string(zone->name()) : "UTC";
  auto fact = [](std::string_view label, std::string_view field, const std::string& html,
                 const std::optional<std::string>& value = std::nullopt) {
    std::string out = "<dt>";
    out += label;
    out += "</dt><dd data-field=\"";
    out += field;
    out += '"';
    if (value) out += " data-value=\"" + HtmlEscape(*value) + '"';
    return out + '>' + html + "</dd>\n";
  };
  std::string out = "<dl class=\"facts\" id=\"summary\">\n";
  out += fact("Partner", "partner.id", HtmlEscape(r.partner.id));
  out += fact("Policy", "partner.policy", HtmlEscape(r.policy));
  out += fact("Time zone", "partner.timezone", HtmlEscape(zone_name));
  out += fact("From", "period.from", TimeElement(r.period.from, zone),
              FormatInstant(r.period.from));
  out += fact("To (excluded)", "period.to", TimeElement(r.period.to, zone),
              FormatInstant(r.period.to));
  out += fact("Evaluated at", "period.evaluated_at", TimeElement(r.evaluated_at, zone),
              FormatInstant(r.evaluated_at));
  out += fact("Tickets opened", "tickets.opened", Int(r.tickets_opened));
  out += fact("Open at the end", "tickets.open_at_end", Int(r.tickets_open_at_end));
  out += fact("Incidents", "tickets.incidents", Int(r.incidents));
  out += fact(
      "Certified", "certification.certified",
      r.certified ? "<span class=\"good\">yes</span>" : "<span class=\"bad\">no</span>",
      r.certified ? "true" : "false");
  out += fact("Certified employees", "certification.certified_employees",
              Int(r.certified_employees));
  out += fact("Certified until", "certification.certified_until",
              r.certified_until ? TimeElement(*r.certified_until, zone) : "—",
              r.certified_until ? FormatInstant(*r.certified_until) : "");
  return out + "</dl>\n";
}

std::string Compliance(const PartnerReport& r) {
  std::string out = "<h2>Compliance per target and severity</h2>\n";
  out += "<table id=\"compliance\">\n";
  out += Header(2, {"Target", "Severity", "On time", "Late", "Breached, not met",
                    "Decided", "Compliance", "Overdue", "Running", "At risk", "Paused",
                    "Unscheduled", "No target"});
  for (const auto& row : r.compliance) {
    const ClockCounts& c = row.counts;
    const bool all = row.severity == "all";
    out += "<tr data-target=\"" + std::string(ToString(row.target)) +
           "\" data-severity=\"" + HtmlEscape(row.severity) + '"' +
           (all ? " class=\"all\"" : "") + '>';
    out += Cell("target", HtmlEscape(TargetLabel(row.target)),
                std::string(ToString(row.target)), "text");
    out += TextCell("severity", row.severity);
    out += IntCell("on_time", c.on_time);
    out += Cell("late", Int(c.late), std::nullopt, c.late > 0 ? "bad" : "");
    out += Cell("breached_open", Int(c.breached_open), std::nullopt,
                c.breached_open > 0 ? "bad" : "");
    out += IntCell("decided", c.decided());
    out += ComplianceCell(c.compliance());
    out += Cell("overdue", Int(c.overdue), std::nullopt, c.overdue > 0 ? "bad" : "");
    out += IntCell("running", c.running);
    out += IntCell("at_risk", c.at_risk);
    out += IntCell("paused", c.paused);
    out += IntCell("unscheduled", c.unscheduled);
    out += IntCell("not_applicable", c.not_applicable);
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

std::string Breaches(const PartnerReport& r) {
  const date::time_zone* zone = r.partner.zone;
  std::string out = "<h2>Breaches</h2>\n";
  if (r.breaches.empty()) return out + Nothing("No target was breached in the period.");
  out += "<table id=\"breaches\">\n";
  out += Header(6, {"Ticket", "Severity", "Target", "Deadline", "Met at", "Outcome"});
  for (const auto& b : r.breaches) {
    out += "<tr data-ticket=\"" + HtmlEscape(b.ticket) + "\">";
    out += TextCell("ticket", b.ticket);
    out += TextCell("severity", b.severity);
    out += Cell("target", HtmlEscape(TargetLabel(b.target)),
                std::string(ToString(b.target)), "text");
    out += TimeCell("deadline", b.deadline, zone);
    out += b.stopped_at ? TimeCell("stopped_at", *b.stopped_at, zone)
                        : Cell("stopped_at", "not met", "", "text bad");
    out += Cell("outcome", HtmlEscape(OutcomeLabel(b.outcome)),
                std::string(ToString(b.outcome)), "text");
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

// The burn-down of one quota period over the report's part of it: incidents
// used (a filled step line) against the limit (a dashed step line), with a
// circle per step carrying its figures.
std::string BurnDownChart(const QuotaRow& row, Instant end, const date::time_zone* zone) {
  constexpr double kWidth = 640, kHeight = 220;
  constexpr double kLeft = 44, kRight = 16, kTop = 30, kBottom = 34;
  constexpr double kPlotWidth = kWidth - kLeft - kRight;
  constexpr double kPlotHeight = kHeight - kTop - kBottom;
  if (row.usage.empty()) return "";
  const Instant start = row.usage.front().at;
  int top = 1;
  for (const auto& s : row.usage) {
    top = std::max(top, s.incidents_used);
    if (s.incidents_limit) top = std::max(top, *s.incidents_limit);
  }
  const double y_max = top + std::max(1, top / 10);
  const double span = std::max<double>(1, (end - start).count());
  auto x = [&](Instant t) { return kLeft + (t - start).count() / span * kPlotWidth; };
  auto y = [&](int v) { return kTop + kPlotHeight - v / y_max * kPlotHeight; };
  auto fmt = [](double v) { return Number(v, "%.1f"); };

  // Step lines: the value holds from a step's instant to the next one's.
  auto steps = [&](auto value) {
    std::string d = "M" + fmt(x(start)) + ',' + fmt(y(value(row.usage.front())));
    for (size_t i = 1; i < row.usage.size(); ++i) {
      d += " H" + fmt(x(row.usage[i].at)) + " V" + fmt(y(value(row.usage[i])));
    }
    return d + " H" + fmt(x(end));
  };
  const std::string used = steps([](const QuotaStep& s) { return s.incidents_used; });
  const bool limited = row.usage.front().incidents_limit.has_value();

  std::string out = "<svg class=\"burn-down\" width=\"" + fmt(kWidth) + "\" height=\"" +
                    fmt(kHeight) + "\" viewBox=\"0 0 " + fmt(kWidth) + ' ' +
                    fmt(kHeight) + "\" role=\"img\">";
  out += "<title>Incidents used against the limit</title>";
  out += "<rect x=\"" + fmt(kLeft) + "\" y=\"" + fmt(kTop) + "\" width=\"" +
         fmt(kPlotWidth) + "\" height=\"" + fmt(kPlotHeight) + "\" fill=\"#f7f9fb\"/>";
  // The area under the used line, then the line.
  out += "<path d=\"" + used + " V" + fmt(y(0)) + " H" + fmt(x(start)) +
         " Z\" fill=\"#8ab4f8\" fill-opacity=\"0.55\"/>";
  out += "<path class=\"used\" d=\"" + used +
         "\" fill=\"none\" stroke=\"#1a56b4\" stroke-width=\"2\"/>";
  bool over = false;
  if (limited) {
    // The incidents past the limit, shaded between the two lines.
    for (size_t i = 0; i < row.usage.size(); ++i) {
      const QuotaStep& s = row.usage[i];
      const int limit = s.incidents_limit.value_or(0);
      if (s.incidents_used <= limit) continue;
      over = true;
      const double x0 = x(s.at);
      const double x1 = i + 1 < row.usage.size() ? x(row.usage[i + 1].at) : x(end);
      out += "<rect class=\"over-quota\" x=\"" + fmt(x0) + "\" y=\"" +
             fmt(y(s.incidents_used)) + "\" width=\"" + fmt(std::max(x1 - x0, 1.0)) +
             "\" height=\"" + fmt(y(limit) - y(s.incidents_used)) +
             "\" fill=\"#f04438\" fill-opacity=\"0.6\"/>";
    }
    const std::string limit =
        steps([](const QuotaStep& s) { return s.incidents_limit.value_or(0); });
    out += "<path class=\"limit\" d=\"" + limit +
           "\" fill=\"none\" stroke=\"#b42318\" stroke-width=\"2\" "
           "stroke-dasharray=\"6 4\"/>";
    const int last_limit = row.usage.back().incidents_limit.value_or(0);
    out += "<text x=\"" + fmt(kLeft + kPlotWidth - 4) + "\" y=\"" +
           fmt(y(last_limit) - 5) + "\" text-anchor=\"end\" fill=\"#b42318\">limit " +
           Int(last_limit) + "</text>";
  }
  for (const auto& s : row.usage) {
    out += "<circle cx=\"" + fmt(x(s.at)) + "\" cy=\"" + fmt(y(s.incidents_used)) +
           "\" r=\"3\" fill=\"#1a56b4\" data-at=\"" + FormatInstant(s.at) +
           "\" data-incidents-used=\"" + Int(s.incidents_used) +
           "\" data-incidents-limit=\"" +
           (s.incidents_limit ? Int(*s.incidents_limit) : "") + "\"/>";
  }
  // Axes and labels.
  out += "<path d=\"M" + fmt(kLeft) + ',' + fmt(kTop) + " V" + fmt(y(0)) + " H" +
         fmt(kLeft + kPlotWidth) + "\" fill=\"none\" stroke=\"#57606a\"/>";
  out += "<text x=\"" + fmt(kLeft - 6) + "\" y=\"" + fmt(y(0) + 4) +
         "\" text-anchor=\"end\">0</text>";
  out += "<text x=\"" + fmt(kLeft - 6) + "\" y=\"" + fmt(y(top) + 4) +
         "\" text-anchor=\"end\">" + Int(top) + "</text>";
  out += "<text x=\"" + fmt(kLeft) + "\" y=\"" + fmt(kHeight - 12) + "\">" +
         HtmlEscape(LocalTime(start, zone)) + "</text>";
  out += "<text x=\"" + fmt(kLeft + kPlotWidth) + "\" y=\"" + fmt(kHeight - 12) +
         "\" text-anchor=\"end\">" + HtmlEscape(LocalTime(end, zone)) + "</text>";
  out +=
      "<text x=\"" + fmt(kLeft) + "\" y=\"14\" fill=\"#1a56b4\">— incidents used</text>";
  out += "<text x=\"" + fmt(kLeft + 140) + "\" y=\"14\" fill=\"#b42318\">" +
         (limited ? "- - limit" : "no limit (unlimited period)") + "</text>";
  if (over) {
    out += "<text x=\"" + fmt(kLeft + 230) +
           "\" y=\"14\" fill=\"#f04438\">"
           "■ over quota</text>";
  }
  return out + "</svg>\n";
}

std::string Quota(const PartnerReport& r) {
  const date::time_zone* zone = r.partner.zone;
  std::string out = "<h2>Incident quota</h2>\n";
  if (r.quota.empty()) return out + Nothing("No quota period overlaps the period.");
  for (size_t i = 0; i < r.quota.size(); ++i) {
    const QuotaRow& row = r.quota[i];
    const PartnerQuota& q = row.quota;
    // The chart ends where the report's part of the quota period does.
    const Instant end = std::min(q.period.end, r.evaluated_at);
    out += "<section class=\"quota\" data-period-start=\"" +
           FormatInstant(q.period.start) + "\">\n";
    out += "<h3>Quota period " + HtmlEscape(LocalTime(q.period.start, zone)) + " to " +
           HtmlEscape(LocalTime(q.period.end, zone)) + "</h3>\n";
    out += BurnDownChart(row, end, zone);
    out += "<table>\n";
    out += Header(2, {"Start", "End", "Incidents used", "Limit", "Remaining", "Credits",
                      "Over quota", "Billable", "Fees", "Incidents in the report",
                      "Billable in the report"});
    out += "<tr data-period-start=\"" + FormatInstant(q.period.start) + "\">";
    out += TimeCell("period_start", q.period.start, zone);
    out += TimeCell("period_end", q.period.end, zone);
    out += IntCell("incidents_used", q.incidents_used);
    out += q.incidents_limit ? IntCell("incidents_limit", *q.incidents_limit)
                             : Cell("incidents_limit", "unlimited", "");
    out +=
        q.incidents_limit
            ? Cell("remaining", Int(std::max(0, *q.incidents_limit - q.incidents_used)))
            : Cell("remaining", "—", "");
    out += IntCell("credits", q.credits);
    out += Cell("over_quota", Int(q.over_quota), std::nullopt,
                q.over_quota > 0 ? "bad" : "");
    out += Cell("billable_incidents", Int(q.billable_incidents), std::nullopt,
                q.billable_incidents > 0 ? "bad" : "");
    out += IntCell("fees", q.fees);
    out += IntCell("incidents_in_report", row.incidents_in_report);
    out += IntCell("billable_in_report", row.billable_in_report);
    out += "</tr>\n</table>\n</section>\n";
  }
  return out;
}

std::string Billing(const PartnerReport& r) {
  const date::time_zone* zone = r.partner.zone;
  std::string out = "<h2>Billable tickets</h2>\n";
  if (r.billing.empty()) return out + Nothing("No ticket of the period is billable.");
  out += "<table id=\"billing\">\n";
  out += Header(4, {"Ticket", "Severity", "Opened", "Quota period", "Incidents",
                    "Billable incidents"});
  for (const auto& b : r.billing) {
    out += "<tr data-ticket=\"" + HtmlEscape(b.ticket) + "\">";
    out += TextCell("ticket", b.ticket);
    out += TextCell("severity", b.severity);
    out += TimeCell("opened_at", b.opened_at, zone);
    out += TimeCell("quota_period_start", b.quota_period_start, zone);
    out += IntCell("incidents", b.incidents);
    out += IntCell("billable_incidents", b.billable_incidents);
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

std::string Tickets(const PartnerReport& r) {
  const date::time_zone* zone = r.partner.zone;
  std::string out = "<h2>Tickets carrying a fee</h2>\n";
  if (r.fees.empty()) {
    out += Nothing("No ticket of the period carries a fee.");
  } else {
    out += "<table id=\"fees\">\n";
    out += Header(4, {"Ticket", "Severity", "Opened", "Reason"});
    for (const auto& t : r.fees) {
      out += "<tr data-ticket=\"" + HtmlEscape(t.ticket) + "\">";
      out += TextCell("ticket", t.ticket) + TextCell("severity", t.severity);
      out += TimeCell("opened_at", t.opened_at, zone);
      out += Cell("reason", "partner not certified", "not_certified", "text");
      out += "</tr>\n";
    }
    out += "</table>\n";
  }
  out += "<h2>Tickets on unsupported versions</h2>\n";
  if (r.unsupported.empty()) {
    out += Nothing("No ticket of the period is on an unsupported version.");
  } else {
    out += "<table id=\"unsupported\">\n";
    out += Header(6, {"Ticket", "Severity", "Opened", "Product", "Version", "Status"});
    for (const auto& t : r.unsupported) {
      out += "<tr data-ticket=\"" + HtmlEscape(t.ticket) + "\">";
      out += TextCell("ticket", t.ticket) + TextCell("severity", t.severity);
      out += TimeCell("opened_at", t.opened_at, zone);
      out += TextCell("product", t.product) + TextCell("version", t.version);
      out += TextCell("status", t.outdated ? "outdated" : "unsupported");
      out += "</tr>\n";
    }
    out += "</table>\n";
  }
  return out;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
      case '\r':
        out += c;
        break;
      default:
        if (const auto byte = static_cast<unsigned char>(c);
            byte < 0x20 || byte == 0x7f) {
          out += "\xEF\xBF\xBD";  // U+FFFD
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string PartnerReportHtml(const PartnerReport& r) {
  const std::string name = HtmlEscape(r.partner.name);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"slamon report\">\n";
  out += "<title>SLA review: " + name + ", " + FormatInstant(r.period.from) + " to " +
         FormatInstant(r.period.to) + "</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n";
  out += "<h1>SLA review: <span id=\"partner-name\" data-field=\"partner.name\">" + name +
         "</span></h1>\n";
  out += Facts(r);
  out += Compliance(r);
  out += Breaches(r);
  out += Quota(r);
  out += Billing(r);
  out += Tickets(r);
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace slamon
