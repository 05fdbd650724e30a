// Alert text: the words slamon's alert annotations are made of.
//
// Durations are spelled for people reading a page at night: at most two
// units, the largest first, truncated (never rounded up, so "due in 59m" is
// never said of something due in 59m59s): "2h 15m", "3h", "1d 4h", "45s".
// Pure functions of their arguments.
#pragma once

#include <string>
#include <string_view>

#include "instant/instant.h"

namespace slamon {

// A non-negative length of time in words: "2h 15m", "3h", "1d 4h", "2m 5s",
// "45s", "0s". A negative one is spelled as its absolute value.
std::string TimeInWords(Seconds length);

// Where `now` stands against `deadline`: "due in 2h 15m", "due now" (at the
// deadline's second) or "overdue by 3h".
std::string DeadlineInWords(Instant deadline, Instant now);

// The runbook link for an alert: `url_template` with every "{{alertname}}"
// (also spelled "{{ alertname }}") replaced by `alertname`. An empty template
// gives "" (no link).
std::string RunbookUrl(std::string_view url_template, std::string_view alertname);

}  // namespace slamon
