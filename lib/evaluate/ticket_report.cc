#include "evaluate/ticket_report.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <sstream>

namespace slamon {
namespace {

struct Unit {
  int64_t seconds;
  char name;
};
constexpr std::array<Unit, 4> kUnits = {{{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}};

// The parts of `d` in units d h m s, largest first.
std::array<int64_t, 4> Split(Seconds d) {
  std::array<int64_t, 4> parts{};
  int64_t rest = d.count() < 0 ? -d.count() : d.count();
  for (size_t i = 0; i < kUnits.size(); ++i) {
    parts[i] = rest / kUnits[i].seconds;
    rest %= kUnits[i].seconds;
  }
  return parts;
}

std::string Words(Seconds d, size_t max_units) {
  std::array<int64_t, 4> parts = Split(d);
  auto first = std::find_if(parts.begin(), parts.end(), [](int64_t p) { return p != 0; });
  if (first == parts.end()) return "0s";
  std::string out = d.count() < 0 ? "-" : "";
  const size_t start = static_cast<size_t>(first - parts.begin());
  for (size_t i = start; i < parts.size() && i < start + max_units; ++i) {
    if (parts[i] == 0) {
      if (max_units < parts.size()) break;  // rough: stop at the first zero
      continue;
    }
    if (i != start) out += ' ';
    out += std::to_string(parts[i]) + kUnits[i].name;
  }
  return out;
}

// "partner=p1 severity=A ..." for the kinds that carry fields.
std::string EventFields(const TicketEvent& e) {
  std::string out;
  auto add = [&](std::string_view name, const std::string& value) {
    if (value.empty()) return;
    out += ' ';
    out += name;
    out += '=';
    out += value;
  };
  switch (e.kind) {
    case EventKind::kOpened:
      add("partner", e.partner);
      add("severity", e.severity);
      add("incidents", std::to_string(e.incidents));
      add("product", e.product);
      add("version", e.version);
      break;
    case EventKind::kSeverity:
      add("severity", e.severity);
      break;
    case EventKind::kIncidents:
      add("incidents", std::to_string(e.incidents));
      break;
    default:
      break;
  }
  return out;
}

// The reason part of a RejectedEvent's message (it starts by naming the
// ticket and the event, which the report shows already).
std::string_view WhyRejected(const RejectedEvent& r, std::string_view ticket) {
  const std::string prefix = "ticket " + std::string(ticket) + ": " +
                             std::string(ToString(r.event.kind)) + " at " +
                             FormatInstant(r.event.at) + ": ";
  std::string_view message = r.message;
  if (message.substr(0, prefix.size()) == prefix) message.remove_prefix(prefix.size());
  return message;
}

void WriteFacts(std::ostream& out, const TicketExplanation& x) {
  const TicketEvaluation& t = *x.evaluation;
  out << "  partner     " << t.partner;
  if (x.partner) {
    if (!x.partner->name.empty()) out << " \"" << x.partner->name << '"';
    out << ", time zone "
        << (x.partner->zone != nullptr ? std::string(x.partner->zone->name()) : "UTC");
  }
  out << ", policy " << x.policy << '\n';
  out << "  severity    " << t.severity << '\n';
  out << "  product     " << (t.product.empty() ? "(none)" : t.product) << ' '
      << t.version << ", " << (t.supported ? "supported" : "not supported")
      << (t.outdated ? ", outdated (a newer release is past its upgrade grace)" : "")
      << '\n';
  out << "  fee         "
      << (t.fee ? "yes (the partner was not certified when the ticket was opened)" : "no")
      << '\n';
  out << "  incidents   " << t.incidents << '\n';
  if (x.billing) {
    out << "  billable    " << x.billing->billable_incidents << " of " << t.incidents
        << " incidents, quota period from " << FormatInstant(x.billing->period_start)
        << (x.billing->period_index == 0 ? " (unlimited)" : "") << '\n';
  }
  if (t.new_defect || t.defect_confirmed) {
    out << "  defect      "
        << (!t.new_defect ? "confirmed"
            : x.partner && x.partner->credit == CreditKind::kPaid
                ? "new defect (one paid-incident credit)"
                : "new defect (one quota credit)")
        << '\n';
  }
  out << "  state       " << ToString(t.state)
      << (t.waiting && t.state == TicketState::kOpen ? ", waiting on the partner" : "")
      << '\n';
  out << "  opened at   " << FormatInstant(t.opened_at) << '\n';
}

void WriteEvents(std::ostream& out, const TicketExplanation& x) {
  std::vector<const TicketEvent*> events;
  for (const auto& e : x.history.events) events.push_back(&e);
  for (const auto& r : x.history.rejected) events.push_back(&r.event);
  std::stable_sort(
      events.begin(), events.end(),
      [](const TicketEvent* a, const TicketEvent* b) { return HappensBefore(*a, *b); });
  out << "\nevents (" << events.size() << ")\n";
  for (const TicketEvent* e : events) {
    out << "  " << FormatInstant(e->at) << "  seq " << e->sequence << "  "
        << ToString(e->kind) << EventFields(*e);
    const RejectedEvent* rejected = nullptr;
    for (const auto& r : x.history.rejected) {
      if (&r.event == e) rejected = &r;
    }
    if (rejected != nullptr) {
      out << "\n      rejected (" << ToString(rejected->reason)
          << "): " << WhyRejected(*rejected, x.ticket);
    } else if (e->at > x.at) {
      out << "  (after " << FormatInstant(x.at) << ": not yet known)";
    }
    out << '\n';
  }
  if (x.skipped.empty()) return;
  out << "\nskipped rows (" << x.skipped.size() << ")\n";
  for (const auto& s : x.skipped) {
    out << "  seq " << s.seq << "  " << ToString(s.reason) << ": " << s.message << '\n';
  }
}

void WriteClock(std::ostream& out, TargetName target, const Clock& c, Instant at) {
  out << '\n' << ToString(target) << " clock\n";
  out << "  status      " << ToString(c.status);
  if (c.status == ClockStatus::kNotApplicable) {
    out << " (no target for this severity or version)\n";
    return;
  }
  if (c.status == ClockStatus::kUnscheduled) out << " (no next release planned yet)";
  out << '\n';
  out << "  deadline    ";
  if (!c.deadline) {
    out << "none";
    if (c.status == ClockStatus::kPaused && c.budget) {
      out << " while paused, " << RoughDurationInWords(*c.budget - c.elapsed)
          << " of the budget left";
    }
  } else {
    out << FormatInstant(*c.deadline);
    if (c.status == ClockStatus::kRunning || c.status == ClockStatus::kPaused) {
      out << ", "
          << (*c.deadline > at ? RoughDurationInWords(*c.deadline - at) + " left"
                               : "overdue by " + RoughDurationInWords(at - *c.deadline));
    }
  }
  out << '\n';
  if (c.stopped_at) {
    out << "  stopped at  " << FormatInstant(*c.stopped_at);
    if (c.deadline) {
      out << ", "
          << (*c.stopped_at <= *c.deadline
                  ? RoughDurationInWords(*c.deadline - *c.stopped_at) + " before"
                  : RoughDurationInWords(*c.stopped_at - *c.deadline) + " after")
          << " the deadline";
    }
    out << '\n';
  }
  out << "  elapsed     " << DurationInWords(c.elapsed) << '\n';
  if (c.budget) out << "  budget      " << DurationInWords(*c.budget) << '\n';
  out << "  breached    "
      << (c.breached && c.breached_at ? "yes, at " + FormatInstant(*c.breached_at)
          : c.breached                ? std::string("yes")
                                      : std::string("no"))
      << '\n';
  if (c.status == ClockStatus::kStopped) return;
  out << "  at risk     ";
  if (!c.at_risk) {
    out << "no\n";
    return;
  }
  std::optional<Instant> since;
  for (const auto& w : c.warnings) {
    if (w && *w <= at && (!since || *w > *since)) since = w;
  }
  out << "yes" << (since ? ", since " + FormatInstant(*since) : "") << '\n';
}

}  // namespace

std::string DurationInWords(Seconds d) { return Words(d, kUnits.size()); }
std::string RoughDurationInWords(Seconds d) { return Words(d, 2); }

TicketExplanation ExplainTicket(std::string_view ticket, std::vector<TicketEvent> events,
                                std::vector<SkippedRow> skipped,
                                const ReferenceBook& reference, const Rules& rules,
                                Instant at) {
  TicketExplanation x;
  x.ticket = std::string(ticket);
  x.at = at;
  x.skipped = std::move(skipped);
  x.history = SanitizeHistory(ticket, std::move(events), reference.PolicyLookup(rules));
  if (x.history.events.empty()) {
    x.not_evaluated = "the ticket has no valid opened event";
    return x;
  }
  const TicketEvent& opened = x.history.events.front();
  ResolvedContext context = reference.ContextFor(opened, rules);
  x.policy = context.context.policy->name;
  if (context.partner != nullptr) x.partner = *context.partner;
  x.notes = std::move(context.notes);
  if (opened.at > at) {
    x.not_evaluated = "the ticket was opened at " + FormatInstant(opened.at) +
                      ", after the evaluation instant " + FormatInstant(at);
    return x;
  }
  x.evaluation = EvaluateTicket(ticket, x.history.events, context.context, at);
  return x;
}

std::vector<TicketBilling> BillTickets(const Partner& partner, const Policy& policy,
                                       std::span<const TicketEvaluation> tickets,
                                       Instant at) {
  std::vector<BillingFacts> facts;
  facts.reserve(tickets.size());
  for (const TicketEvaluation& t : tickets) {
    facts.push_back({t.ticket, {t.opened_at, t.incidents, t.new_defect, t.fee}});
  }
  return AttributeBilling(partner, policy, facts, at);
}

std::string FormatTicketReport(const TicketExplanation& x) {
  std::ostringstream out;
  out << "ticket " << x.ticket << " at " << FormatInstant(x.at) << '\n';
  if (x.evaluation) {
    WriteFacts(out, x);
  } else {
    out << "  not evaluated: " << x.not_evaluated << '\n';
  }
  for (const auto& note : x.notes) out << "  note: " << note << '\n';
  WriteEvents(out, x);
  if (!x.evaluation) return out.str();
  for (TargetName target : kTargetNames)
    WriteClock(out, target, (*x.evaluation)[target], x.at);
  return out.str();
}

}  // namespace slamon
