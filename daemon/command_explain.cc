#include <chrono>
#include <iostream>
#include <map>
#include <optional>

#include "command_line.h"
#include "commands.h"
#include "config_file.h"
#include "database_session.h"
#include "evaluate/report_json.h"
#include "evaluate/ticket_report.h"
#include "exit_code.h"
#include "store/event_store.h"

namespace slamon {
namespace {

constexpr const char* kUsage =
    R"(usage: slamon explain --config FILE [--json] [--at ISO8601] TICKET

Reads one ticket's events, and the partners, certifications and releases, from
the database named by the config's database.dsn, evaluates the ticket with
the daemon's engine and explains it: the ticket's facts, its events in order
(rejected ones with the reason, rows that are not events as skipped), and
each clock's status, deadline, time left or overdue, elapsed time and budget.

  --config FILE   the config file (policies, calendars, database)
  --json          print the ticket's line of `slamon evaluate` instead
  --at TIME       the evaluation instant (default: now); later events are
                  listed but not yet known

Exit status 0 when the ticket was evaluated, 1 on a database error or when the
ticket has no events (or no valid opened event at TIME), 2 on a bad command
line, 78 on a bad config.
)";

int Usage(const std::string& error) {
  std::cerr << "slamon explain: " << error << "\n\n" << kUsage;
  return kExitUsage;
}

// The ticket's billing, from every ticket of its partner evaluated at the
// same instant (quota/billing.h); std::nullopt after reporting a database
// error.
std::optional<TicketBilling> BillingOf(EventStore& store, const TicketExplanation& x,
                                       const ReferenceBook& reference, const Rules& rules,
                                       Instant now) {
  const Partner& partner = *x.partner;
  EventBatch batch;
  Status status = store.LoadPartnerTickets(partner.id, now, &batch);
  if (!status.ok()) {
    std::cerr << "slamon explain: " << status.message() << '\n';
    return std::nullopt;
  }
  std::map<std::string, std::vector<TicketEvent>> events;
  for (auto& row : batch.events) events[row.ticket].push_back(std::move(row.event));
  std::vector<TicketEvaluation> tickets;
  for (auto& [id, ticket_events] : events) {
    if (id == x.ticket) continue;  // evaluated already, from the same rows or newer
    TicketExplanation other =
        ExplainTicket(id, std::move(ticket_events), {}, reference, rules, x.at);
    if (other.evaluation && other.evaluation->partner == partner.id)
      tickets.push_back(std::move(*other.evaluation));
  }
  tickets.push_back(*x.evaluation);
  const Policy& policy = *reference.RulesFor(partner.id, rules).policy;
  return BillTickets(partner, policy, tickets, x.at).back();
}

}  // namespace

int RunExplain(const std::vector<std::string>& args) {
  CommandLine cl =
      ParseCommandLine(args, {.with_value = {"config", "at"}, .flags = {"json"}});
  if (cl.help) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (!cl.status.ok()) return Usage(cl.status.message());
  auto path = cl.Value("config");
  if (!path) return Usage("--config FILE is required");
  if (cl.positional.empty()) return Usage("TICKET is required");
  if (cl.positional.size() > 1) return Usage("unexpected argument " + cl.positional[1]);
  const std::string& ticket = cl.positional.front();
  const Instant now = std::chrono::floor<Seconds>(std::chrono::system_clock::now());
  const auto at_option = AtOption(cl, now);
  if (!at_option) return Usage("--at: " + at_option.error());
  const Instant at = *at_option;

  auto config = LoadConfigFile(*path);
  if (!config) return kExitConfig;
  DatabaseSession session = OpenDatabaseSession("explain", *config);
  if (session.exit_code != kExitOk) return session.exit_code;
  const ReferenceBook reference(std::move(session.reference.partners),
                                std::move(session.reference.certifications),
                                std::move(session.reference.releases));
  EventBatch batch;
  Status status = session.store->LoadTicket(ticket, now, &batch);
  if (!status.ok()) {
    std::cerr << "slamon explain: " << status.message() << '\n';
    return kExitFailure;
  }
  if (batch.events.empty() && batch.bad.empty()) {
    std::cerr << "slamon explain: ticket " << ticket
              << " has no events in slamon.ticket_events\n";
    return kExitFailure;
  }

  std::vector<TicketEvent> events;
  for (auto& row : batch.events) events.push_back(std::move(row.event));
  std::vector<SkippedRow> skipped;
  for (auto& bad : batch.bad)
    skipped.push_back({bad.seq, bad.reason, std::move(bad.message)});
  TicketExplanation explanation = ExplainTicket(
      ticket, std::move(events), std::move(skipped), reference, config->rules, at);
  if (explanation.evaluation && explanation.partner) {
    // Billing depends on the partner's other tickets: read and evaluate them.
    auto billing = BillingOf(*session.store, explanation, reference, config->rules, now);
    if (!billing) return kExitFailure;
    explanation.billing = *billing;
  }

  if (cl.flags.count("json") != 0) {
    // The report on stdout is evaluate's line; what it leaves out goes to stderr.
    for (const auto& s : explanation.skipped) std::cerr << s.message << '\n';
    for (const auto& r : explanation.history.rejected) std::cerr << r.message << '\n';
    for (const auto& note : explanation.notes) std::cerr << "note: " << note << '\n';
    if (explanation.evaluation)
      std::cout << TicketJson(*explanation.evaluation, explanation.billing).dump()
                << '\n';
  } else {
    std::cout << FormatTicketReport(explanation);
  }
  if (!explanation.evaluation) {
    std::cerr << "slamon explain: ticket " << ticket << ": " << explanation.not_evaluated
              << '\n';
    return kExitFailure;
  }
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "slamon explain: cannot write the output\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace slamon
