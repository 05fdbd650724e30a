#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>

#include "command_line.h"
#include "commands.h"
#include "config_file.h"
#include "database_session.h"
#include "exit_code.h"
#include "report/partner_report.h"
#include "report/report_format.h"
#include "report/report_html.h"
#include "store/event_store.h"

namespace slamon {
namespace {

constexpr const char* kUsage =
    R"(usage: slamon report --config FILE --partner ID --from DAY --to DAY
                     [--format json|csv|html] [--at ISO8601]

One partner's SLA compliance over a period, for a service review: per target
and ticket severity the clocks met on time, met late, breached and not met,
and the compliance ratio; the breaches with their tickets; the clocks still
running, paused or overdue at the period's end; the incident quota periods
overlapping the period; the tickets carrying a fee and the certification at
the period's end; tickets on unsupported or outdated versions. Reads the
database named by the config's database.dsn and evaluates with the daemon's
engine.

  --config FILE     the config file (policies, calendars, database)
  --partner ID      the partner (slamon.partners id)
  --from DAY        the first day, YYYY-MM-DD in the partner's time zone
                    (00:00), or an ISO 8601 time with offset
  --to DAY          the last day, included (the period ends at 00:00 of the
                    next day), or an ISO 8601 time with offset (excluded)
  --format FORMAT   json (default: one object), csv (sections with their
                    own header rows, RFC 4180) or html (one self-contained
                    page with charts, nothing fetched from outside)
  --at TIME         the evaluation instant (default: now); the report is
                    evaluated at the earlier of TIME and the period's end

Exit status 0 when the report was written, 1 on a database error or an
unknown partner, 2 on a bad command line (also an empty period, or one that
starts after TIME), 78 on a bad config.
)";

int Usage(const std::string& error) {
  std::cerr << "slamon report: " << error << "\n\n" << kUsage;
  return kExitUsage;
}

int Failure(const std::string& error) {
  std::cerr << "slamon report: " << error << '\n';
  return kExitFailure;
}

enum class Format { kJson, kCsv, kHtml };

// The events of the partner's tickets, by ticket; bad rows are warnings.
Status LoadPartnerEvents(EventStore& store, const std::string& partner, Instant now,
                         std::map<std::string, std::vector<TicketEvent>>* out) {
  EventBatch batch;
  Status status = store.LoadPartnerTickets(partner, now, &batch);
  for (auto& row : batch.events) (*out)[row.ticket].push_back(std::move(row.event));
  for (const auto& bad : batch.bad)
    std::cerr << "slamon report: warning: " << bad.message << '\n';
  return status;
}

}  // namespace

int RunReport(const std::vector<std::string>& args) {
  CommandLine cl = ParseCommandLine(
      args,
      {.with_value = {"config", "partner", "from", "to", "format", "at"}, .flags = {}});
  if (auto exit = CheckCommandLine(cl, {"report", kUsage})) return *exit;
  auto partner_id = cl.Value("partner");
  if (!partner_id || partner_id->empty()) return Usage("--partner ID is required");
  auto from_text = cl.Value("from");
  auto to_text = cl.Value("to");
  if (!from_text || !to_text) return Usage("--from and --to are required");
  auto from = ParsePeriodBound(*from_text);
  if (!from) return Usage("--from: " + from.error());
  auto to = ParsePeriodBound(*to_text);
  if (!to) return Usage("--to: " + to.error());
  Format format = Format::kJson;
  if (auto text = cl.Value("format")) {
    if (*text == "csv") {
      format = Format::kCsv;
    } else if (*text == "html") {
      format = Format::kHtml;
    } else if (*text != "json") {
      return Usage("--format: unknown format \"" + *text + "\" (json, csv or html)");
    }
  }
  const Instant now = std::chrono::floor<Seconds>(std::chrono::system_clock::now());
  const auto at_option = AtOption(cl, now);
  if (!at_option) return Usage("--at: " + at_option.error());
  const Instant at = *at_option;

  auto config = LoadConfigFile(*cl.Value("config"));
  if (!config) return kExitConfig;
  DatabaseSession session = OpenDatabaseSession("report", *config);
  if (session.exit_code != kExitOk) return session.exit_code;
  const ReferenceBook reference(std::move(session.reference.partners),
                                std::move(session.reference.certifications),
                                std::move(session.reference.releases));
  const PartnerRules partner_rules = reference.RulesFor(*partner_id, config->rules);
  const Partner* partner = partner_rules.partner;
  if (partner == nullptr)
    return Failure("unknown partner \"" + *partner_id + "\" (not in slamon.partners)");
  auto period = ResolvePeriod(*from, *to, partner->zone);
  if (!period) return Usage(period.error());
  const Instant evaluated_at = (*period).EvaluationInstant(at);
  if (evaluated_at <= (*period).from) {
    return Usage("the period starts at " + FormatInstant((*period).from) +
                 ", not before the evaluation instant " + FormatInstant(at) +
                 ": nothing to report yet");
  }

  std::map<std::string, std::vector<TicketEvent>> events;
  Status status = LoadPartnerEvents(*session.store, partner->id, now, &events);
  if (!status.ok()) return Failure(status.message());

  PartnerTickets tickets = EvaluatePartnerTickets(partner->id, std::move(events),
                                                  reference, config->rules, evaluated_at);
  for (const auto& problem : tickets.problems)
    std::cerr << "slamon report: warning: " << problem << '\n';

  for (const auto& note : partner_rules.notes)
    std::cerr << "slamon report: warning: " << note << '\n';
  PartnerReport report =
      BuildPartnerReport({.partner = *partner,
                          .policy = *partner_rules.policy,
                          .certifications = reference.CertificationsOf(partner->id),
                          .tickets = tickets.tickets,
                          .period = *period,
                          .at = evaluated_at});
  if (format == Format::kCsv) {
    std::cout << PartnerReportCsv(report);
  } else if (format == Format::kHtml) {
    std::cout << PartnerReportHtml(report);
  } else {
    std::cout << PartnerReportJson(report).dump(2) << '\n';
  }
  std::cout.flush();
  return std::cout ? kExitOk : Failure("cannot write the report");
}

}  // namespace slamon
