// The HTML rendering of a PartnerReport: one self-contained page for a
// service review, what `slamon report --format html` writes.
//
// The page needs nothing from outside: its style sheet is inline, its charts
// are inline SVG, it has no scripts, fonts or images to fetch, and its
// Content-Security-Policy forbids loading any. It shows the report's header
// and totals, the compliance per target and severity (with a bar per ratio),
// the breaches, each quota period's burn-down (incidents used against the
// limit over the period, an SVG step chart) with its figures, the billable
// tickets, the tickets carrying a fee and those on unsupported versions.
// Times are shown in the partner's time zone.
//
// Every figure is machine-readable, so a test or a scraper can compare the
// page with the JSON report: a table row carries the row's keys as data-
// attributes (data-target and data-severity for compliance, data-ticket for
// tickets, data-period-start for quota periods), a cell its JSON field name
// in data-field and, where the text shown differs from the JSON value (a
// ratio shown as a percentage, a time in local time, an outcome in words),
// that value in data-value (an ISO 8601 UTC time, a decimal number, the JSON
// name; empty for null). Each burn-down step is an SVG circle with data-at,
// data-incidents-used and data-incidents-limit.
//
// Every string from the data (names, ids, ticket ids, products, versions) is
// escaped with HtmlEscape. Pure.
#pragma once

#include <string>
#include <string_view>

#include "report/partner_report.h"

namespace slamon {

std::string PartnerReportHtml(const PartnerReport& report);

// `text` safe in HTML element content and in quoted attribute values:
// & < > " ' as character references; C0 control characters other than tab,
// line feed and carriage return, and DEL, as U+FFFD. Other bytes are kept.
std::string HtmlEscape(std::string_view text);

}  // namespace slamon
