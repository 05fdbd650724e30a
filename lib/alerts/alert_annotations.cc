#include "alerts/alert_annotations.h"

#include <string>

#include "alerts/alert_text.h"

namespace slamon {
namespace {

std::string Plural(int count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

// "ends in 4d 3h (2027-01-01T00:00:00Z)" or "ended (...)".
std::string EndInWords(std::string_view verb, Instant end, Instant now) {
  const std::string when = " (" + FormatInstant(end) + ")";
  if (end > now) return std::string(verb) + " in " + TimeInWords(end - now) + when;
  return "has ended" + when;
}

}  // namespace

Labels AlertAnnotations(const AlertFacts& f, Instant now, std::string_view runbook_url) {
  const std::string target(ToString(f.target));
  const std::string ticket(f.ticket);
  const std::string partner(f.partner);
  const std::string ticket_severity(f.ticket_severity);
  Labels a;
  switch (f.name) {
    case AlertName::kSlaAtRisk:
    case AlertName::kSlaBreached:
      a["summary"] =
          f.name == AlertName::kSlaAtRisk
              ? "Ticket " + ticket + " is at risk of missing its " + target + " target"
              : "Ticket " + ticket + " missed its " + target + " target";
      a["description"] = "Ticket " + ticket + " of partner " + partner + " (severity " +
                         ticket_severity + "): the " + target + " target is ";
      // A paused clock whose deadline depends on when it resumes has none.
      a["description"] += f.deadline ? DeadlineInWords(*f.deadline, now) + " (deadline " +
                                           FormatInstant(*f.deadline) + ")."
                                     : "paused; its deadline is set when it resumes.";
      break;
    case AlertName::kQuotaExhausted:
    case AlertName::kQuotaNearlyExhausted: {
      const int percent =
          f.incidents_limit > 0 ? f.incidents_used * 100 / f.incidents_limit : 100;
      a["summary"] = f.name == AlertName::kQuotaExhausted
                         ? "Partner " + partner + " has used up its incident quota"
                         : "Partner " + partner + " has used " + std::to_string(percent) +
                               "% of its incident quota";
      a["description"] =
          "Partner " + partner + " has used " + std::to_string(f.incidents_used) +
          " of " + Plural(f.incidents_limit, "incident", "incidents") +
          " in its quota period, which " + EndInWords("ends", *f.deadline, now) + ".";
      break;
    }
    case AlertName::kSlaAlertsFolded: {
      const int64_t count = f.folded_breached + f.folded_at_risk;
      a["summary"] = std::to_string(count) + " more tickets of partner " + partner +
                     " (severity " + ticket_severity + ") missed or are near their " +
                     target + " target";
      a["description"] =
          "Past the per-ticket alert limit (alerting.max_ticket_alerts), these are "
          "counted here instead of alerting one by one: " +
          std::to_string(f.folded_breached) + " breached, " +
          std::to_string(f.folded_at_risk) +
          " at risk. They alert one by one as places free up; `slamon explain` or "
          "the dashboards list them.";
      a["count"] = std::to_string(count);
      break;
    }
    case AlertName::kCertificationLapsing:
      if (f.deadline) {
        a["summary"] = "Partner " + partner + "'s certification is lapsing";
        a["description"] =
            "Partner " + partner + " has " +
            Plural(f.certified_employees, "certified employee", "certified employees") +
            "; its certification " + EndInWords("lapses", *f.deadline, now) +
            " unless more employees pass the exam.";
      } else {
        a["summary"] = "Partner " + partner + " is not certified";
        a["description"] =
            "Partner " + partner + " has " +
            Plural(f.certified_employees, "certified employee", "certified employees") +
            ", too few to be certified.";
      }
      break;
  }
  if (f.deadline) a["deadline"] = FormatInstant(*f.deadline);
  if (!runbook_url.empty()) a["runbook_url"] = RunbookUrl(runbook_url, ToString(f.name));
  return a;
}

}  // namespace slamon
