// The `{"type":"ticket",...}` line of `slamon evaluate`, written straight into
// a string: byte for byte TicketJson(ticket, billing).dump() (report_json.h),
// without building the JSON value first — at a million tickets building and
// dumping the value took a quarter of `evaluate`'s time. report_json.h stays
// the definition of the shape; a unit test holds the two to the same bytes.
#pragma once

#include <optional>
#include <string>

#include "engine/engine.h"
#include "quota/billing.h"

namespace slamon {

// Appends the line, without its newline, to `out`.
void AppendTicketLine(std::string& out, const TicketEvaluation& ticket,
                      const std::optional<TicketBilling>& billing);

}  // namespace slamon
