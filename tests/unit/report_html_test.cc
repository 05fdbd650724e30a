// slamon report --format html: escaping of everything that comes from the
// data, the page's self-containment and its machine-readable figures.
#include "report/report_html.h"

#include <catch2/catch.hpp>

#include "config/config.h"
#include "report/partner_report.h"
#include "test_time.h"

using namespace slamon;
using slamon::testing::At;

namespace {

size_t Count(const std::string& text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

TicketEvaluation Ticket(const char* id, const char* severity, const char* opened,
                        int incidents) {
  TicketEvaluation t;
  t.ticket = id;
  t.partner = "p1";
  t.severity = severity;
  t.product = "backup";
  t.version = "24.1";
  t.opened_at = At(opened);
  t.incidents = incidents;
  for (Clock& c : t.clocks) c.status = ClockStatus::kPaused;
  return t;
}

}  // namespace

TEST_CASE("HtmlEscape makes data safe in content and attributes") {
  CHECK(HtmlEscape("<script>alert('x')</script> & \"q\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  CHECK(HtmlEscape("&amp;") == "&amp;amp;");  // escaped again, shown as typed
  CHECK(HtmlEscape("Müller GmbH") == "Müller GmbH");
  CHECK(HtmlEscape("tab\tline\nreturn\r") == "tab\tline\nreturn\r");
  CHECK(HtmlEscape(std::string("nul\0bell\adel\x7f", 13)) ==
        "nul\xEF\xBF\xBD"
        "bell\xEF\xBF\xBD"
        "del\xEF\xBF\xBD");
  CHECK(HtmlEscape("") == "");
}

TEST_CASE("the HTML page escapes the data and carries the report's figures") {
  // p1 signed 2026-01-10T00:00Z: quota period 0 [01-10, 02-09) unlimited,
  // period 1 [02-09, 2027-01-10) with 20 incidents. February in Berlin is
  // [2026-01-31T23:00Z, 2026-02-28T23:00Z).
  const date::time_zone* berlin = date::locate_zone("Europe/Berlin");
  const Partner partner = {.id = "p<1>",
                           .name = "<script>alert(\"x\")</script> & Co's",
                           .contract_signed_at = At("2026-01-10T00:00:00Z"),
                           .zone = berlin,
                           .policy = "default",
                           .holidays = "",
                           .credit = CreditKind::kQuota};
  std::vector<TicketEvaluation> tickets = {
      Ticket("T-<1>", "A", "2026-02-03T08:00:00Z", 1),
      Ticket("\"><img src=x>", "B", "2026-02-15T00:00:00Z", 25),
  };
  // T-<1>: response due at 12:00 and not met (breached, open).
  Clock& breached = tickets[0].clocks[0];
  breached.status = ClockStatus::kRunning;
  breached.deadline = At("2026-02-03T12:00:00Z");
  breached.breached = true;
  breached.breached_at = breached.deadline;
  tickets[0].fee = true;
  // The other: response met on time.
  Clock& met = tickets[1].clocks[0];
  met.status = ClockStatus::kStopped;
  met.deadline = At("2026-02-15T04:00:00Z");
  met.stopped_at = At("2026-02-15T01:00:00Z");
  auto from = ParsePeriodBound("2026-02-01");
  auto to = ParsePeriodBound("2026-02-28");
  const PartnerReport r =
      BuildPartnerReport({.partner = partner,
                          .policy = BuiltinPolicy(),
                          .certifications = {},
                          .tickets = tickets,
                          .period = *ResolvePeriod(*from, *to, berlin),
                          .at = At("2026-04-01T00:00:00Z")});
  const std::string html = PartnerReportHtml(r);
  INFO(html);

  // One self-contained document: nothing to run and nothing to fetch.
  CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK_THAT(html, Catch::EndsWith("</body>\n</html>\n"));
  CHECK_THAT(
      html, Catch::Contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""));
  for (const char* outside : {"<script", "<img", "<link", "<iframe",
                              "http:", "https:", "url(", "@import", "@font-face"}) {
    INFO(outside);
    CHECK(Count(html, outside) == 0);
  }
  for (const char* tag : {"table", "tr", "svg", "section", "dl", "h2", "time"}) {
    INFO(tag);
    // Appended: GCC 12 at -O3 warns a false -Wrestrict in "<" + std::string.
    CHECK(Count(html, std::string("<").append(tag) + ">") +
              Count(html, std::string("<").append(tag) + " ") ==
          Count(html, "</" + std::string(tag) + ">"));
  }

  // Data is escaped wherever it appears: title, heading, rows, attributes.
  const std::string name =
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#39;s";
  CHECK(Count(html, name) == 2);  // <title> and <h1>
  CHECK_THAT(html, Catch::Contains("<dd data-field=\"partner.id\">p&lt;1&gt;</dd>"));
  CHECK_THAT(html, Catch::Contains("<tr data-ticket=\"T-&lt;1&gt;\">"));
  CHECK_THAT(html, Catch::Contains("<tr data-ticket=\"&quot;&gt;&lt;img src=x&gt;\">"));

  // Compliance: response, all severities: 1 on time, 1 breached, 0.5.
  CHECK_THAT(html, Catch::Contains("<tr data-target=\"response\" data-severity=\"all\" "
                                   "class=\"all\">"));
  CHECK_THAT(html, Catch::Contains("<td data-field=\"breached_open\" class=\"bad\">1</td>"
                                   "<td data-field=\"decided\">2</td>"
                                   "<td data-field=\"compliance\" data-value=\"0.5\">"));
  CHECK_THAT(html, Catch::Contains("50.0&#160;%"));
  // workaround: nothing decided, null.
  CHECK_THAT(html, Catch::Contains("<td data-field=\"compliance\" data-value=\"\">"));

  // The breach, its deadline 12:00 UTC shown as 13:00 in Berlin (CET).
  CHECK_THAT(html, Catch::Contains(
                       "<td data-field=\"deadline\" data-value=\"2026-02-03T12:00:00Z\" "
                       "class=\"text\"><time datetime=\"2026-02-03T12:00:00Z\">"
                       "2026-02-03 13:00 CET</time></td>"));
  CHECK_THAT(html,
             Catch::Contains("<td data-field=\"outcome\" data-value=\"breached_open\""));

  // Burn-down: period 0 from the report's start (0, unlimited) and T-<1>
  // (1); period 1 from its start (0 of 20) and the other ticket (25 of 20).
  CHECK(Count(html, "<svg class=\"burn-down\"") == 2);
  CHECK(Count(html, "<circle ") == 4);
  CHECK_THAT(html,
             Catch::Contains("data-at=\"2026-01-31T23:00:00Z\" "
                             "data-incidents-used=\"0\" data-incidents-limit=\"\""));
  CHECK_THAT(html,
             Catch::Contains("data-at=\"2026-02-03T08:00:00Z\" "
                             "data-incidents-used=\"1\" data-incidents-limit=\"\""));
  CHECK_THAT(html,
             Catch::Contains("data-at=\"2026-02-09T00:00:00Z\" "
                             "data-incidents-used=\"0\" data-incidents-limit=\"20\""));
  CHECK_THAT(html,
             Catch::Contains("data-at=\"2026-02-15T00:00:00Z\" "
                             "data-incidents-used=\"25\" data-incidents-limit=\"20\""));
  CHECK(Count(html, "class=\"limit\"") == 1);  // the unlimited period has none
  // From 02-15 to the end, 25 used of 20: one shaded step, 5 incidents high.
  CHECK(Count(html, "class=\"over-quota\"") == 1);
  CHECK(Count(html, "over quota</text>") == 1);
  CHECK_THAT(html, Catch::Contains(">limit 20</text>"));
  CHECK(Count(html, "no limit (unlimited period)") == 1);
  CHECK_THAT(html, Catch::Contains("<td data-field=\"incidents_used\">25</td>"
                                   "<td data-field=\"incidents_limit\">20</td>"
                                   "<td data-field=\"remaining\">0</td>"));

  // Billing: 25 incidents, the 21st to 25th billable.
  CHECK_THAT(html, Catch::Contains("<td data-field=\"incidents\">25</td>"
                                   "<td data-field=\"billable_incidents\">5</td>"));
  // The fee of T-<1>'s (the partner is not certified).
  CHECK_THAT(html, Catch::Contains("<table id=\"fees\">"));
}
