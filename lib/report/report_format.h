// The renderings of a PartnerReport: one JSON object, or CSV sections.
//
// JSON: one object with stable field names, times ISO 8601 in UTC (see the
// README's "slamon report"). CSV (RFC 4180: CRLF line ends, fields with a
// comma, quote, CR or LF quoted, quotes doubled): one section after another,
// separated by an empty line; each section has its own header row, and the
// first column of every row, header included, names the section ("section"
// in the header), so a spreadsheet shows each table under its header and a
// script can filter rows by their first field. Empty and null values are
// empty fields; booleans are true/false. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "report/partner_report.h"

namespace slamon {

nlohmann::ordered_json PartnerReportJson(const PartnerReport& report);

std::string PartnerReportCsv(const PartnerReport& report);

// One CSV record (RFC 4180), CRLF included.
std::string CsvRecord(const std::vector<std::string>& fields);

}  // namespace slamon
