// AlertBook: which alerts slamon asserts and when it (re)sends them, driven
// by transitions and partner figures with explicit instants.
#include "alerts/alert_book.h"

#include <catch2/catch.hpp>

#include "alerts/alert_annotations.h"
#include "alerts/alert_text.h"
#include "test_time.h"

namespace slamon {
namespace {

using testing::At;

constexpr Seconds kMinute{60};

Transition Started(AlertState state, std::string ticket, std::string severity,
                   TargetName target, Instant deadline, Instant at) {
  return {TransitionKind::kStarted, state,  std::move(ticket), "acme",
          std::move(severity),      target, deadline,          at};
}

Transition Ended(AlertState state, std::string ticket, std::string severity,
                 TargetName target, Instant deadline, Instant at) {
  return {TransitionKind::kEnded, state,  std::move(ticket), "acme",
          std::move(severity),    target, deadline,          at};
}

AlertBookOptions Options() {
  AlertBookOptions options;
  options.runbook_url = "https://runbooks.example/slamon/{{alertname}}";
  options.generator_url = "http://slamon.example:9464/";
  return options;
}

PartnerFigures Quota(int used, std::optional<int> limit, Instant period_end,
                     bool certified = true,
                     std::optional<Instant> certified_until = At("2030-01-01T00:00:00Z"),
                     int certified_employees = 3) {
  PartnerFigures figures;
  figures.quota.period.index = 2;
  figures.quota.period.start = At("2026-01-01T00:00:00Z");
  figures.quota.period.end = period_end;
  figures.quota.period.base_limit = limit;
  figures.quota.incidents_used = used;
  figures.quota.incidents_limit = limit;
  figures.quota.certified = certified;
  figures.quota.certified_until = certified ? certified_until : std::nullopt;
  figures.quota.certified_employees = certified_employees;
  return figures;
}

SlaFigures Partners(std::map<std::string, PartnerFigures> partners) {
  SlaFigures figures;
  figures.partners = std::move(partners);
  return figures;
}

std::vector<std::string> Names(const std::vector<Alert>& alerts) {
  std::vector<std::string> names;
  for (const Alert& alert : alerts) {
    names.push_back(alert.labels.at("alertname") + ":" +
                    std::string(ToString(alert.status)));
  }
  return names;
}

TEST_CASE("a ticket goes at risk, breaches and is answered", "[alert_book]") {
  AlertBook book(Options());
  const Instant t0 = At("2026-11-04T10:00:00Z");
  const Instant deadline = At("2026-11-04T12:15:00Z");

  book.Apply(
      {{Started(AlertState::kAtRisk, "T-1", "A", TargetName::kResponse, deadline, t0)}});
  std::vector<Alert> due = book.Due(t0);
  REQUIRE(due.size() == 1);
  const Alert& at_risk = due[0];
  CHECK(at_risk.labels == Labels{{"alertname", "SlaAtRisk"},
                                 {"severity", "warning"},
                                 {"ticket", "T-1"},
                                 {"partner", "acme"},
                                 {"target", "response"},
                                 {"ticket_severity", "A"}});
  CHECK(at_risk.status == AlertStatus::kFiring);
  CHECK(at_risk.starts_at == t0);
  CHECK(at_risk.ends_at == t0 + 4 * kMinute);
  CHECK(at_risk.generator_url == "http://slamon.example:9464/");
  CHECK(at_risk.annotations ==
        Labels{{"summary", "Ticket T-1 is at risk of missing its response target"},
               {"description",
                "Ticket T-1 of partner acme (severity A): the response target is due in "
                "2h 15m (deadline 2026-11-04T12:15:00Z)."},
               {"deadline", "2026-11-04T12:15:00Z"},
               {"runbook_url", "https://runbooks.example/slamon/SlaAtRisk"}});

  // The deadline passes: at risk ends, breached starts, both sent at once.
  book.Apply(
      {{Ended(AlertState::kAtRisk, "T-1", "A", TargetName::kResponse, deadline, deadline),
        Started(AlertState::kBreached, "T-1", "A", TargetName::kResponse, deadline,
                deadline)}});
  due = book.Due(deadline);
  REQUIRE(Names(due) ==
          std::vector<std::string>{"SlaAtRisk:resolved", "SlaBreached:firing"});
  CHECK(due[0].ends_at == deadline);
  CHECK(due[0].starts_at == t0);
  const Alert& breached = due[1];
  CHECK(breached.labels.at("severity") == "critical");
  CHECK(breached.starts_at == deadline);
  CHECK(breached.ends_at == deadline + 4 * kMinute);
  CHECK(breached.annotations.at("summary") == "Ticket T-1 missed its response target");
  CHECK(breached.annotations.at("description") ==
        "Ticket T-1 of partner acme (severity A): the response target is due now "
        "(deadline 2026-11-04T12:15:00Z).");
  CHECK(breached.annotations.at("runbook_url") ==
        "https://runbooks.example/slamon/SlaBreached");

  // Three hours later the resend says how late it is.
  const Instant later = deadline + Seconds(3 * 3600);
  due = book.Due(later);
  REQUIRE(Names(due) == std::vector<std::string>{"SlaBreached:firing"});
  CHECK(due[0].annotations.at("description") ==
        "Ticket T-1 of partner acme (severity A): the response target is overdue by 3h "
        "(deadline 2026-11-04T12:15:00Z).");
  CHECK(due[0].ends_at == later + 4 * kMinute);

  // The ticket is answered: the breach is resolved as of that moment; the
  // at-risk alert, resolved hours ago, is forgotten.
  const Instant answered = later + Seconds(30);
  book.Apply({{Ended(AlertState::kBreached, "T-1", "A", TargetName::kResponse, deadline,
                     answered)}});
  due = book.Due(answered + Seconds(5));
  REQUIRE(Names(due) == std::vector<std::string>{"SlaBreached:resolved"});
  CHECK(due[0].ends_at == answered);
  CHECK(due[0].starts_at == deadline);
  CHECK(due[0].annotations.at("description") ==
        "Ticket T-1 of partner acme (severity A): the response target is overdue by 3h "
        "(deadline 2026-11-04T12:15:00Z).");
  CHECK(book.firing_count() == 0);
  CHECK(book.size() == 1);
}

TEST_CASE(
    "a paused clock at risk without a deadline says so, with no deadline annotation",
    "[alert_book]") {
  // After a restart, a paused clock whose deadline depends on when it resumes
  // comes with none (it was once a sentinel instant of year -10484).
  AlertBook book(Options());
  const Instant t0 = At("2026-11-17T12:00:00Z");
  Transition paused = Started(AlertState::kAtRisk, "T-7", "C", TargetName::kWorkaround,
                              At("2026-11-17T13:00:00Z"), t0);
  paused.deadline = std::nullopt;
  book.Apply({{paused}});
  std::vector<Alert> due = book.Due(t0);
  REQUIRE(due.size() == 1);
  CHECK(due[0].starts_at == t0);
  CHECK(due[0].annotations ==
        Labels{{"summary", "Ticket T-7 is at risk of missing its workaround target"},
               {"description",
                "Ticket T-7 of partner acme (severity C): the workaround target is "
                "paused; its deadline is set when it resumes."},
               {"runbook_url", "https://runbooks.example/slamon/SlaAtRisk"}});
}

TEST_CASE("firing alerts are resent every resend_interval with ends_at ahead",
          "[alert_book]") {
  AlertBookOptions options = Options();
  options.resend_interval = Seconds(30);
  AlertBook book(options);
  const Instant t0 = At("2026-11-04T10:00:00Z");
  book.Apply({{Started(AlertState::kAtRisk, "T-1", "C", TargetName::kResolution,
                       t0 + Seconds(86400), t0)}});

  std::vector<Instant> sent;
  std::vector<Instant> ends;
  for (Instant now = t0; now < t0 + Seconds(100); now += Seconds(5)) {
    for (const Alert& alert : book.Due(now)) {
      sent.push_back(now);
      ends.push_back(alert.ends_at);
    }
  }
  CHECK(sent ==
        std::vector<Instant>{t0, t0 + Seconds(30), t0 + Seconds(60), t0 + Seconds(90)});
  CHECK(ends == std::vector<Instant>{t0 + Seconds(120), t0 + Seconds(150),
                                     t0 + Seconds(180), t0 + Seconds(210)});
}

TEST_CASE("a resolved alert is resent at the cadence for 15 minutes, then forgotten",
          "[alert_book]") {
  AlertBook book(Options());
  const Instant t0 = At("2026-11-04T10:00:00Z");
  const Instant deadline = t0 - Seconds(600);
  book.Apply({{Started(AlertState::kBreached, "T-9", "B", TargetName::kWorkaround,
                       deadline, t0)}});
  REQUIRE(Names(book.Due(t0)) == std::vector<std::string>{"SlaBreached:firing"});

  const Instant stopped = t0 + Seconds(10);
  book.Apply({{Ended(AlertState::kBreached, "T-9", "B", TargetName::kWorkaround, deadline,
                     stopped)}});
  std::vector<Instant> resolved_sends;
  for (Instant now = stopped; now <= stopped + Seconds(20 * 60); now += Seconds(10)) {
    for (const Alert& alert : book.Due(now)) {
      CHECK(alert.status == AlertStatus::kResolved);
      CHECK(alert.ends_at == stopped);
      CHECK(alert.starts_at == deadline);  // a breach starts at its deadline
      resolved_sends.push_back(now);
    }
  }
  // At once (not a minute after the last firing send), then every minute
  // while younger than 15 minutes.
  REQUIRE(resolved_sends.size() == 15);
  CHECK(resolved_sends.front() == stopped);
  CHECK(resolved_sends.back() == stopped + 14 * kMinute);
  CHECK(book.size() == 0);
}

TEST_CASE("an alert that ends before it was ever sent is forgotten silently",
          "[alert_book]") {
  AlertBook book(Options());
  const Instant t0 = At("2026-11-04T10:00:00Z");
  book.Apply({{Started(AlertState::kAtRisk, "T-2", "A", TargetName::kResponse,
                       t0 + Seconds(60), t0),
               Ended(AlertState::kAtRisk, "T-2", "A", TargetName::kResponse,
                     t0 + Seconds(60), t0 + Seconds(1))}});
  CHECK(book.Due(t0 + Seconds(2)).empty());
  CHECK(book.size() == 0);
}

TEST_CASE("firing, resolved, firing again: a new episode sent at once", "[alert_book]") {
  AlertBook book(Options());
  const Instant t0 = At("2026-11-04T10:00:00Z");
  const Instant deadline = t0 + Seconds(3600);
  auto start = [&](Instant at) {
    book.Apply({{Started(AlertState::kAtRisk, "T-3", "D", TargetName::kResponse, deadline,
                         at)}});
  };
  auto end = [&](Instant at) {
    book.Apply(
        {{Ended(AlertState::kAtRisk, "T-3", "D", TargetName::kResponse, deadline, at)}});
  };

  start(t0);
  REQUIRE(book.Due(t0).size() == 1);
  end(t0 + Seconds(5));
  std::vector<Alert> due = book.Due(t0 + Seconds(5));
  REQUIRE(Names(due) == std::vector<std::string>{"SlaAtRisk:resolved"});

  start(t0 + Seconds(7));
  due = book.Due(t0 + Seconds(7));
  REQUIRE(Names(due) == std::vector<std::string>{"SlaAtRisk:firing"});
  CHECK(due[0].starts_at == t0 + Seconds(7));
  CHECK(due[0].ends_at == t0 + Seconds(7) + 4 * kMinute);
  CHECK(book.size() == 1);

  SECTION("a resolution taken back before it was sent keeps the episode") {
    end(t0 + Seconds(20));
    start(t0 + Seconds(21));
    CHECK(book.Due(t0 + Seconds(22)).size() == 1);  // a change: sent at once
    const std::vector<Alert> firing = book.Firing(t0 + Seconds(22));
    REQUIRE(firing.size() == 1);
    CHECK(firing[0].starts_at == t0 + Seconds(7));
  }
}

TEST_CASE("SlaBreached is critical for ticket severities A and B, else a warning",
          "[alert_book]") {
  const Instant t0 = At("2026-11-04T10:00:00Z");
  auto severity_of = [&](const AlertBookOptions& options, AlertState state,
                         const std::string& ticket_severity) {
    AlertBook book(options);
    book.Apply({{Started(state, "T", ticket_severity, TargetName::kResponse, t0, t0)}});
    const std::vector<Alert> due = book.Due(t0);
    REQUIRE(due.size() == 1);
    CHECK(due[0].labels.at("ticket_severity") == ticket_severity);
    return due[0].labels.at("severity");
  };
  const AlertBookOptions options = Options();
  CHECK(severity_of(options, AlertState::kBreached, "A") == "critical");
  CHECK(severity_of(options, AlertState::kBreached, "B") == "critical");
  CHECK(severity_of(options, AlertState::kBreached, "C") == "warning");
  CHECK(severity_of(options, AlertState::kBreached, "D") == "warning");
  CHECK(severity_of(options, AlertState::kAtRisk, "A") == "warning");

  AlertBookOptions custom = Options();
  custom.critical_ticket_severities = {"P1"};
  CHECK(severity_of(custom, AlertState::kBreached, "P1") == "critical");
  CHECK(severity_of(custom, AlertState::kBreached, "A") == "warning");
}

TEST_CASE("a ticket severity change while firing resolves the old label set",
          "[alert_book]") {
  AlertBook book(Options());
  const Instant t0 = At("2026-11-04T10:00:00Z");
  book.Apply(
      {{Started(AlertState::kBreached, "T-4", "C", TargetName::kResolution, t0, t0)}});
  REQUIRE(book.Due(t0).size() == 1);
  book.Apply({{Started(AlertState::kBreached, "T-4", "A", TargetName::kResolution, t0,
                       t0 + Seconds(10))}});
  const std::vector<Alert> due = book.Due(t0 + Seconds(10));
  REQUIRE(due.size() == 2);
  CHECK(due[0].labels.at("ticket_severity") == "A");
  CHECK(due[0].labels.at("severity") == "critical");
  CHECK(due[0].status == AlertStatus::kFiring);
  CHECK(due[1].labels.at("ticket_severity") == "C");
  CHECK(due[1].status == AlertStatus::kResolved);
  CHECK(due[1].ends_at == t0 + Seconds(10));

  // An Ended naming the new severity (or the old one) ends the alert.
  book.Apply({{Ended(AlertState::kBreached, "T-4", "C", TargetName::kResolution, t0,
                     t0 + Seconds(20))}});
  CHECK(book.firing_count() == 0);
}

TEST_CASE("quota: nearly exhausted at the share, exhausted at the limit, resolved below",
          "[alert_book]") {
  AlertBook book(Options());
  const Instant t0 = At("2026-11-04T10:00:00Z");
  const Instant period_end = At("2026-11-08T13:00:00Z");

  book.Observe(Partners({{"acme", Quota(15, 20, period_end)}}), t0);
  CHECK(book.Due(t0).empty());

  book.Observe(Partners({{"acme", Quota(16, 20, period_end)}}), t0 + Seconds(1));
  std::vector<Alert> due = book.Due(t0 + Seconds(1));
  REQUIRE(due.size() == 1);
  CHECK(due[0].labels == Labels{{"alertname", "QuotaNearlyExhausted"},
                                {"severity", "warning"},
                                {"partner", "acme"}});
  CHECK(due[0].annotations ==
        Labels{{"summary", "Partner acme has used 80% of its incident quota"},
               {"description",
                "Partner acme has used 16 of 20 incidents in its quota period, which "
                "ends in 4d 2h (2026-11-08T13:00:00Z)."},
               {"deadline", "2026-11-08T13:00:00Z"},
               {"runbook_url", "https://runbooks.example/slamon/QuotaNearlyExhausted"}});

  // Exhausted: the nearly-exhausted alert gives way (they never fire together).
  const Instant t1 = t0 + Seconds(120);
  book.Observe(Partners({{"acme", Quota(20, 20, period_end)}}), t1);
  due = book.Due(t1);
  REQUIRE(Names(due) == std::vector<std::string>{"QuotaExhausted:firing",
                                                 "QuotaNearlyExhausted:resolved"});
  CHECK(due[0].labels.at("severity") == "warning");
  CHECK(due[0].annotations.at("summary") ==
        "Partner acme has used up its incident quota");
  CHECK(due[0].starts_at == t1);
  CHECK(due[1].ends_at == t1);

  // A new period: back below the share, the exhausted alert is resolved (the
  // nearly-exhausted one, resolved days ago, is forgotten).
  const Instant t2 = period_end;
  book.Observe(Partners({{"acme", Quota(0, 20, At("2027-11-08T13:00:00Z"))}}), t2);
  due = book.Due(t2);
  REQUIRE(Names(due) == std::vector<std::string>{"QuotaExhausted:resolved"});
  CHECK(due[0].ends_at == t2);
  CHECK(book.size() == 1);
}

TEST_CASE("quota: an unlimited period never alerts; the share is configurable",
          "[alert_book]") {
  const Instant t0 = At("2026-11-04T10:00:00Z");
  AlertBook book(Options());
  book.Observe(Partners({{"acme", Quota(500, std::nullopt, t0 + Seconds(3600))}}), t0);
  CHECK(book.Due(t0).empty());

  AlertBookOptions options = Options();
  options.quota_nearly_exhausted_share = 0.5;
  AlertBook half(options);
  half.Observe(Partners({{"acme", Quota(10, 20, t0 + Seconds(3600))}}), t0);
  CHECK(Names(half.Due(t0)) == std::vector<std::string>{"QuotaNearlyExhausted:firing"});
}

TEST_CASE("certification lapsing within the horizon, or not certified at all",
          "[alert_book]") {
  AlertBook book(Options());
  const Instant t0 = At("2026-11-04T10:00:00Z");
  const Instant far = At("2027-06-01T00:00:00Z");
  const Instant soon = t0 + Seconds(12 * 86400 + 3 * 3600);

  book.Observe(Partners({{"acme", Quota(0, 20, far, true, t0 + Seconds(31 * 86400))}}),
               t0);
  CHECK(book.Due(t0).empty());

  book.Observe(Partners({{"acme", Quota(0, 20, far, true, soon, 2)}}), t0);
  std::vector<Alert> due = book.Due(t0);
  REQUIRE(due.size() == 1);
  CHECK(due[0].labels == Labels{{"alertname", "CertificationLapsing"},
                                {"severity", "warning"},
                                {"partner", "acme"}});
  CHECK(due[0].annotations.at("summary") == "Partner acme's certification is lapsing");
  CHECK(due[0].annotations.at("description") ==
        "Partner acme has 2 certified employees; its certification lapses in 12d 3h "
        "(2026-11-16T13:00:00Z) unless more employees pass the exam.");
  CHECK(due[0].annotations.at("deadline") == "2026-11-16T13:00:00Z");

  // Not certified: the same alert, no deadline.
  const Instant t1 = t0 + Seconds(120);
  book.Observe(Partners({{"beta", Quota(0, 20, far, false, std::nullopt, 1)},
                         {"acme", Quota(0, 20, far, true, soon, 2)}}),
               t1);
  due = book.Due(t1);
  REQUIRE(due.size() == 2);  // acme's resend and beta's start
  CHECK(due[1].labels.at("partner") == "beta");
  CHECK(due[1].annotations.at("summary") == "Partner beta is not certified");
  CHECK(due[1].annotations.at("description") ==
        "Partner beta has 1 certified employee, too few to be certified.");
  CHECK_FALSE(due[1].annotations.contains("deadline"));

  // acme recertified, beta gone from the figures: both resolved.
  const Instant t2 = t1 + Seconds(5);
  book.Observe(Partners({{"acme", Quota(0, 20, far)}}), t2);
  due = book.Due(t2);
  CHECK(Names(due) == std::vector<std::string>{"CertificationLapsing:resolved",
                                               "CertificationLapsing:resolved"});
  CHECK(book.firing_count() == 0);
}

TEST_CASE("Firing lists what fires; ResendAll makes everything due at once",
          "[alert_book]") {
  AlertBook book(Options());
  const Instant t0 = At("2026-11-04T10:00:00Z");
  book.Apply({{Started(AlertState::kBreached, "T-1", "A", TargetName::kResponse, t0, t0),
               Started(AlertState::kAtRisk, "T-2", "B", TargetName::kResponse,
                       t0 + Seconds(600), t0),
               Started(AlertState::kAtRisk, "T-3", "B", TargetName::kResponse,
                       t0 + Seconds(600), t0)}});
  REQUIRE(book.Due(t0).size() == 3);
  book.Apply({{Ended(AlertState::kAtRisk, "T-3", "B", TargetName::kResponse,
                     t0 + Seconds(600), t0 + Seconds(5))}});
  REQUIRE(book.Due(t0 + Seconds(5)).size() == 1);
  CHECK(book.Due(t0 + Seconds(10)).empty());

  const std::vector<Alert> firing = book.Firing(t0 + Seconds(10));
  REQUIRE(firing.size() == 2);
  CHECK(firing[0].ends_at == t0 + Seconds(10) + 4 * kMinute);
  CHECK(book.Due(t0 + Seconds(10)).empty());  // Firing changed nothing

  book.ResendAll();
  CHECK(Names(book.Due(t0 + Seconds(11))) ==
        std::vector<std::string>{"SlaAtRisk:firing", "SlaAtRisk:resolved",
                                 "SlaBreached:firing"});
  CHECK(book.Due(t0 + Seconds(12)).empty());
}

TEST_CASE("the options the config sets", "[alert_book]") {
  AlertingConfig config;
  config.resend_interval = Seconds(90);
  config.runbook_url = "https://wiki.example/{{ alertname }}";
  const AlertBookOptions options = AlertBookOptionsFrom(config);
  CHECK(options.resend_interval == Seconds(90));
  CHECK(options.quota_nearly_exhausted_share == 0.8);
  CHECK(options.certification_horizon == Seconds(30 * 86400));
  CHECK(options.resolved_retention == Seconds(15 * 60));
  config.quota_warning_share = 0.9;
  config.certification_warning = Seconds(14 * 86400);
  const AlertBookOptions configured = AlertBookOptionsFrom(config);
  CHECK(configured.quota_nearly_exhausted_share == 0.9);
  CHECK(configured.certification_horizon == Seconds(14 * 86400));

  AlertBook book(options);
  const Instant t0 = At("2026-11-04T10:00:00Z");
  book.Apply({{Started(AlertState::kAtRisk, "T", "A", TargetName::kResponse,
                       t0 + Seconds(60), t0)}});
  const std::vector<Alert> due = book.Due(t0);
  REQUIRE(due.size() == 1);
  CHECK(due[0].annotations.at("runbook_url") == "https://wiki.example/SlaAtRisk");
  CHECK(due[0].ends_at == t0 + Seconds(360));
  CHECK(due[0].generator_url.empty());

  AlertBookOptions no_runbook = options;
  no_runbook.runbook_url = "";
  AlertBook plain(no_runbook);
  plain.Apply({{Started(AlertState::kAtRisk, "T", "A", TargetName::kResponse,
                        t0 + Seconds(60), t0)}});
  CHECK_FALSE(plain.Due(t0).at(0).annotations.contains("runbook_url"));
}

TEST_CASE("runbook URL templates", "[alert_text]") {
  CHECK(RunbookUrl("https://rb.example/{{alertname}}", "SlaBreached") ==
        "https://rb.example/SlaBreached");
  CHECK(RunbookUrl("https://rb.example/{{ alertname }}?a={{alertname}}", "X") ==
        "https://rb.example/X?a=X");
  CHECK(RunbookUrl("https://rb.example/all", "X") == "https://rb.example/all");
  CHECK(RunbookUrl("https://rb.example/{{other}}", "X") ==
        "https://rb.example/{{other}}");
  CHECK(RunbookUrl("", "X").empty());
}

TEST_CASE("time in words: two units at most, truncated", "[alert_text]") {
  CHECK(TimeInWords(Seconds(0)) == "0s");
  CHECK(TimeInWords(Seconds(45)) == "45s");
  CHECK(TimeInWords(Seconds(125)) == "2m 5s");
  CHECK(TimeInWords(Seconds(3600)) == "1h");
  CHECK(TimeInWords(Seconds(3 * 3600 + 59)) == "3h");
  CHECK(TimeInWords(Seconds(2 * 3600 + 15 * 60 + 59)) == "2h 15m");
  CHECK(TimeInWords(Seconds(86400 + 4 * 3600 + 5 * 60)) == "1d 4h");
  CHECK(TimeInWords(Seconds(40 * 86400 + 1800)) == "40d");
  CHECK(TimeInWords(Seconds(-90)) == "1m 30s");

  const Instant deadline = At("2026-11-04T12:00:00Z");
  CHECK(DeadlineInWords(deadline, At("2026-11-04T09:45:00Z")) == "due in 2h 15m");
  CHECK(DeadlineInWords(deadline, deadline) == "due now");
  CHECK(DeadlineInWords(deadline, At("2026-11-04T15:00:00Z")) == "overdue by 3h");
  CHECK(DeadlineInWords(deadline, At("2026-11-04T11:59:59Z")) == "due in 1s");
}

}  // namespace
TEST_CASE(
    "past max_ticket_alerts ticket alerts fold into one per partner, target and "
    "severity, and unfold as places free up",
    "[alert_book]") {
  AlertBookOptions options = Options();
  options.max_ticket_alerts = 2;
  AlertBook book(options);
  const Instant t0 = At("2026-11-04T10:00:00Z");
  // Five breached A response clocks, deadlines 1..5 hours before t0: T-1 is
  // the most overdue. The two most urgent (earliest deadlines) get places.
  std::vector<Transition> started;
  for (int i = 1; i <= 5; ++i) {
    started.push_back(Started(AlertState::kBreached, "T-" + std::to_string(i), "A",
                              TargetName::kResponse, t0 - std::chrono::hours(i), t0));
  }
  book.Apply(started);
  std::vector<Alert> due = book.Due(t0);
  std::vector<std::string> tickets;
  const Alert* folded = nullptr;
  for (const Alert& a : due) {
    if (a.labels.at("alertname") == "SlaBreached")
      tickets.push_back(a.labels.at("ticket"));
    if (a.labels.at("alertname") == "SlaAlertsFolded") folded = &a;
  }
  // T-5 and T-4 have the earliest deadlines (5 and 4 hours ago).
  CHECK(tickets == std::vector<std::string>{"T-4", "T-5"});
  REQUIRE(folded != nullptr);
  CHECK(folded->labels == Labels{{"alertname", "SlaAlertsFolded"},
                                 {"severity", "critical"},
                                 {"partner", "acme"},
                                 {"target", "response"},
                                 {"ticket_severity", "A"}});
  CHECK(folded->annotations.at("count") == "3");
  CHECK(book.folded_count() == 3);
  CHECK(book.Firing(t0).size() == 3);  // two tickets and the aggregate

  // T-5 is answered: its place goes to T-3, the most urgent waiting one.
  const Instant t1 = t0 + kMinute;
  book.Apply({{Ended(AlertState::kBreached, "T-5", "A", TargetName::kResponse,
                     t0 - std::chrono::hours(5), t1)}});
  due = book.Due(t1);
  CHECK(Names(due) == std::vector<std::string>{"SlaAlertsFolded:firing",
                                               "SlaBreached:firing", "SlaBreached:firing",
                                               "SlaBreached:resolved"});
  CHECK(book.folded_count() == 2);

  // All answered: the aggregate resolves with them.
  const Instant t2 = t1 + kMinute;
  std::vector<Transition> ended;
  for (int i = 1; i <= 4; ++i) {
    ended.push_back(Ended(AlertState::kBreached, "T-" + std::to_string(i), "A",
                          TargetName::kResponse, t0 - std::chrono::hours(i), t2));
  }
  book.Apply(ended);
  due = book.Due(t2);
  CHECK(book.folded_count() == 0);
  int resolved_aggregates = 0;
  for (const Alert& a : due) {
    if (a.labels.at("alertname") == "SlaAlertsFolded") {
      CHECK(a.status == AlertStatus::kResolved);
      ++resolved_aggregates;
    }
  }
  CHECK(resolved_aggregates == 1);
  CHECK(book.Firing(t2).empty());
}

// The book's cost follows what changed (issue 13): Due hands back only the
// alerts whose status changed or whose resend time came, however many fire.
TEST_CASE("among many firing alerts, Due returns just the one that changed",
          "[alert_book]") {
  AlertBookOptions options = Options();
  options.max_ticket_alerts = 10000;  // none folded
  AlertBook book(options);
  const Instant t0 = At("2026-11-04T10:00:00Z");
  std::vector<Transition> started;
  for (int i = 0; i < 5000; ++i) {
    started.push_back(Started(AlertState::kBreached, "T-" + std::to_string(i), "C",
                              TargetName::kResolution, t0 - Seconds(i), t0));
  }
  book.Apply(started);
  REQUIRE(book.Due(t0).size() == 5000);
  CHECK(book.Due(t0 + Seconds(1)).empty());

  // T-1234 is answered 10s later: its resolution, and nothing else, is due.
  const Instant t1 = t0 + Seconds(10);
  book.Apply({{Ended(AlertState::kBreached, "T-1234", "C", TargetName::kResolution,
                     t0 - Seconds(1234), t1)}});
  std::vector<Alert> due = book.Due(t1);
  REQUIRE(due.size() == 1);
  CHECK(due[0].labels.at("ticket") == "T-1234");
  CHECK(due[0].status == AlertStatus::kResolved);
  CHECK(due[0].ends_at == t1);

  // A new breach 5s after that: just it.
  const Instant t2 = t1 + Seconds(5);
  book.Apply({{Started(AlertState::kAtRisk, "T-new", "A", TargetName::kResponse,
                       t2 + Seconds(600), t2)}});
  due = book.Due(t2);
  REQUIRE(due.size() == 1);
  CHECK(due[0].labels.at("ticket") == "T-new");
  CHECK(book.Due(t2 + Seconds(1)).empty());
  CHECK(book.firing_count() == 5000);

  // A minute after the first send the 4,999 still firing go out again (each
  // a minute after its last send); T-1234's resolution and T-new follow a
  // minute after theirs.
  due = book.Due(t0 + kMinute);
  CHECK(due.size() == 4999);
  due = book.Due(t1 + kMinute);
  REQUIRE(Names(due) == std::vector<std::string>{"SlaBreached:resolved"});
  due = book.Due(t2 + kMinute);
  REQUIRE(due.size() == 1);
  CHECK(due[0].labels.at("ticket") == "T-new");
}

TEST_CASE("each alert keeps its own resend time, counted from its last send",
          "[alert_book]") {
  AlertBook book(Options());  // resend_interval 60s
  const Instant t0 = At("2026-11-04T10:00:00Z");
  auto start = [&](const std::string& ticket, Instant at) {
    book.Apply({{Started(AlertState::kAtRisk, ticket, "C", TargetName::kResponse,
                         t0 + Seconds(86400), at)}});
  };
  std::vector<std::string> sends;
  auto due_at = [&](Instant now) {
    for (const Alert& alert : book.Due(now))
      sends.push_back(alert.labels.at("ticket") + "@" +
                      std::to_string((now - t0).count()));
  };
  // T-a starts at 0s, T-b at 20s; Due every 5s, but skipped from 50s to 90s
  // (a busy loop): T-a, due at 60s, goes at 90s, and then at 150s, not 120s.
  start("T-a", t0);
  for (int s = 0; s <= 200; s += 5) {
    if (s == 20) start("T-b", t0 + Seconds(20));
    if (s > 50 && s < 90) continue;
    due_at(t0 + Seconds(s));
  }
  // By hand: T-a at 0, 90 (late), 150; T-b at 20, 90 (due at 80, Due next
  // runs at 90), 150.
  CHECK(sends == std::vector<std::string>{"T-a@0", "T-b@20", "T-a@90", "T-b@90",
                                          "T-a@150", "T-b@150"});
}

TEST_CASE("a folded alert that ends changes the aggregate's count at its next resend",
          "[alert_book]") {
  AlertBookOptions options = Options();
  options.max_ticket_alerts = 1;
  AlertBook book(options);
  const Instant t0 = At("2026-11-04T10:00:00Z");
  std::vector<Transition> started;
  for (int i = 1; i <= 1000; ++i) {
    started.push_back(Started(AlertState::kBreached, "T-" + std::to_string(i), "D",
                              TargetName::kResponse, t0 - Seconds(i), t0));
  }
  book.Apply(started);
  // T-1000 (the earliest deadline) alerts; 999 are folded into one aggregate.
  std::vector<Alert> due = book.Due(t0);
  REQUIRE(due.size() == 2);
  CHECK(due[0].labels.at("alertname") == "SlaAlertsFolded");
  CHECK(due[0].labels.at("severity") == "warning");  // D is not critical
  CHECK(due[0].annotations.at("count") == "999");
  CHECK(due[1].labels.at("ticket") == "T-1000");
  CHECK(book.folded_count() == 999);

  // T-500, folded, is answered: nothing to send now (nobody was told of it).
  book.Apply({{Ended(AlertState::kBreached, "T-500", "D", TargetName::kResponse,
                     t0 - Seconds(500), t0 + Seconds(10))}});
  CHECK(book.Due(t0 + Seconds(10)).empty());
  CHECK(book.folded_count() == 998);
  // At the resend both go out, the aggregate counting 998.
  due = book.Due(t0 + kMinute);
  REQUIRE(due.size() == 2);
  CHECK(due[0].annotations.at("count") == "998");
  CHECK(due[0].annotations.at("description").find("998 breached, 0 at risk") !=
        std::string::npos);
}

TEST_CASE("waiting alerts with equal urgency get places in label order", "[alert_book]") {
  AlertBookOptions options = Options();
  options.max_ticket_alerts = 2;
  AlertBook book(options);
  const Instant t0 = At("2026-11-04T10:00:00Z");
  const Instant deadline = t0 - Seconds(60);
  // All breached at the same deadline. Label sets compare by partner first
  // ("acme" for all), then severity ("critical" before "warning": ticket
  // severity A before C), then target ("resolution" before "response"), then
  // the ticket as text ("T-10" before "T-9").
  book.Apply(
      {{Started(AlertState::kBreached, "T-9", "C", TargetName::kResponse, deadline, t0),
        Started(AlertState::kBreached, "T-10", "C", TargetName::kResponse, deadline, t0),
        Started(AlertState::kBreached, "T-11", "C", TargetName::kResolution, deadline,
                t0),
        Started(AlertState::kBreached, "T-12", "A", TargetName::kResponse, deadline, t0),
        Started(AlertState::kAtRisk, "T-0", "A", TargetName::kResponse,
                deadline - Seconds(3600), t0)}});
  std::vector<std::string> tickets;
  for (const Alert& alert : book.Due(t0)) {
    if (alert.labels.contains("ticket")) tickets.push_back(alert.labels.at("ticket"));
  }
  // T-12 and T-11 get the places (listed in label order: T-12's severity
  // label is "critical").
  CHECK(tickets == std::vector<std::string>{"T-12", "T-11"});

  // Each answered in turn: the next in that order takes the place.
  auto end = [&](const std::string& ticket, const std::string& severity,
                 TargetName target, Instant at) {
    book.Apply({{Ended(AlertState::kBreached, ticket, severity, target, deadline, at)}});
    std::vector<std::string> started_now;
    for (const Alert& alert : book.Due(at)) {
      if (alert.status == AlertStatus::kFiring && alert.labels.contains("ticket"))
        started_now.push_back(alert.labels.at("ticket"));
    }
    return started_now;
  };
  CHECK(end("T-12", "A", TargetName::kResponse, t0 + Seconds(1)) ==
        std::vector<std::string>{"T-10"});
  CHECK(end("T-11", "C", TargetName::kResolution, t0 + Seconds(2)) ==
        std::vector<std::string>{"T-9"});
  // At risk comes after every breach, whatever its deadline.
  CHECK(end("T-10", "C", TargetName::kResponse, t0 + Seconds(3)) ==
        std::vector<std::string>{"T-0"});
}

TEST_CASE(
    "a ticket severity changed back within the retention keeps one alert per label set",
    "[alert_book]") {
  AlertBook book(Options());
  const Instant t0 = At("2026-11-04T10:00:00Z");
  auto breach = [&](const std::string& severity, Instant at) {
    book.Apply({{Started(AlertState::kBreached, "T-5", severity, TargetName::kResponse,
                         t0, at)}});
  };
  breach("C", t0);
  REQUIRE(book.Due(t0).size() == 1);
  breach("A", t0 + Seconds(10));
  REQUIRE(Names(book.Due(t0 + Seconds(10))) ==
          std::vector<std::string>{"SlaBreached:firing", "SlaBreached:resolved"});
  // Back to C: the A alert resolves, the C alert (resolved and sent) fires
  // again as a new episode, the same label set as before — one alert for it.
  breach("C", t0 + Seconds(20));
  const std::vector<Alert> due = book.Due(t0 + Seconds(20));
  REQUIRE(due.size() == 2);
  CHECK(due[0].labels.at("ticket_severity") == "A");
  CHECK(due[0].status == AlertStatus::kResolved);
  CHECK(due[1].labels.at("ticket_severity") == "C");
  CHECK(due[1].status == AlertStatus::kFiring);
  // A breach starts at its deadline (t0), however late it is noticed.
  CHECK(due[1].starts_at == t0);
  CHECK(book.size() == 2);
  CHECK(book.firing_count() == 1);
}

// Folded alerts kept by the tracker's ticket handles (Transition::handle),
// their ids asked of the owner only when one gets a place (issue 13).
Transition WithHandle(Transition transition, uint32_t handle) {
  transition.handle = handle;
  return transition;
}

TEST_CASE(
    "with ticket handles, a handle given to another ticket within one batch "
    "names that ticket when its alert gets a place",
    "[alert_book]") {
  AlertBookOptions options = Options();
  options.max_ticket_alerts = 1;
  // The owner's tickets by handle, as Tracker::TicketOf answers.
  std::vector<std::string> tickets = {"T-1", "T-2", "T-3"};
  AlertBook book(options, [&tickets](uint32_t handle) -> std::string_view {
    return handle < tickets.size() ? std::string_view(tickets[handle]) : "";
  });
  const Instant t0 = At("2026-11-04T10:00:00Z");
  const auto ago = [&](int hours) { return t0 - std::chrono::hours(hours); };
  book.Apply({{WithHandle(Started(AlertState::kBreached, "T-1", "A",
                                  TargetName::kResponse, ago(3), t0),
                          0),
               WithHandle(Started(AlertState::kBreached, "T-2", "A",
                                  TargetName::kResponse, ago(2), t0),
                          1),
               WithHandle(Started(AlertState::kBreached, "T-3", "A",
                                  TargetName::kResponse, ago(1), t0),
                          2)}});
  // T-1, due 3 hours ago, gets the one place; T-2 and T-3 are folded.
  std::vector<Alert> due = book.Due(t0);
  REQUIRE(Names(due) ==
          std::vector<std::string>{"SlaAlertsFolded:firing", "SlaBreached:firing"});
  CHECK(due[0].annotations.at("count") == "2");
  CHECK(due[1].labels.at("ticket") == "T-1");
  CHECK(book.folded_count() == 2);

  // One batch: T-2 (folded) closes and leaves the owner's memory, and its
  // handle 1 goes to T-7, breached 4 hours ago; then T-1 is answered. The
  // owner has moved on before the book sees the batch.
  tickets[1] = "T-7";
  const Instant t1 = t0 + Seconds(30);
  book.Apply({{WithHandle(Ended(AlertState::kBreached, "T-2", "A", TargetName::kResponse,
                                ago(2), t1),
                          1),
               WithHandle(Started(AlertState::kBreached, "T-7", "A",
                                  TargetName::kResponse, ago(4), t1),
                          1),
               WithHandle(Ended(AlertState::kBreached, "T-1", "A", TargetName::kResponse,
                                ago(3), t1),
                          0)}});
  // T-1's place goes to the most urgent waiting alert, T-7 (due 4 hours ago,
  // before T-3's 1 hour); label order puts T-1 before T-7. The aggregate's
  // new count waits for its resend (t0 + 1 minute).
  due = book.Due(t1);
  REQUIRE(Names(due) ==
          std::vector<std::string>{"SlaBreached:resolved", "SlaBreached:firing"});
  CHECK(due[0].labels.at("ticket") == "T-1");
  CHECK(due[1].labels.at("ticket") == "T-7");
  CHECK(due[1].starts_at == ago(4));  // a breach starts at its deadline
  CHECK(book.folded_count() == 1);
  CHECK(book.firing_count() == 3);  // T-7, T-3 (folded) and the aggregate
  CHECK(book.size() == 4);          // and T-1, resolved

  // At the aggregate's resend it counts T-3 alone; T-7 and T-1 went out at
  // t1, so their resend is at t1 + 1 minute.
  due = book.Due(t0 + kMinute);
  REQUIRE(Names(due) == std::vector<std::string>{"SlaAlertsFolded:firing"});
  CHECK(due[0].annotations.at("count") == "1");
}

TEST_CASE("with ticket handles, folded alerts that tie get places by ticket id",
          "[alert_book]") {
  AlertBookOptions options = Options();
  options.max_ticket_alerts = 1;
  // Handle order is the opposite of the ids' order.
  const std::vector<std::string> tickets = {"T-b", "T-a"};
  AlertBook book(options, [&tickets](uint32_t handle) -> std::string_view {
    return handle < tickets.size() ? std::string_view(tickets[handle]) : "";
  });
  const Instant t0 = At("2026-11-04T10:00:00Z");
  const Instant deadline = t0 - Seconds(60);
  book.Apply({{WithHandle(Started(AlertState::kBreached, "T-b", "C",
                                  TargetName::kResponse, deadline, t0),
                          0),
               WithHandle(Started(AlertState::kBreached, "T-a", "C",
                                  TargetName::kResponse, deadline, t0),
                          1)}});
  // Same partner, severity, target and deadline: "T-a" < "T-b".
  const std::vector<Alert> due = book.Due(t0);
  REQUIRE(due.size() == 2);
  CHECK(due[1].labels.at("ticket") == "T-a");
  CHECK(due[0].annotations.at("count") == "1");
}

TEST_CASE("a folded alert whose deadline moves keeps when it started", "[alert_book]") {
  AlertBookOptions options = Options();
  options.max_ticket_alerts = 1;
  AlertBook book(options);
  const Instant t0 = At("2026-11-04T10:00:00Z");
  book.Apply({{Started(AlertState::kBreached, "T-1", "A", TargetName::kResponse,
                       t0 - std::chrono::hours(1), t0),
               Started(AlertState::kAtRisk, "T-2", "A", TargetName::kResponse,
                       t0 + std::chrono::hours(2), t0)}});
  REQUIRE(book.Due(t0).size() == 2);  // T-1 and the aggregate; T-2 is folded
  // T-2's deadline moves an hour later (still at risk, the same labels).
  const Instant t1 = t0 + Seconds(10);
  book.Apply({{Started(AlertState::kAtRisk, "T-2", "A", TargetName::kResponse,
                       t0 + std::chrono::hours(3), t1)}});
  CHECK(book.Due(t1).empty());
  CHECK(book.folded_count() == 1);
  // T-1 is answered: T-2 takes the place, at risk since t0, due at 13:00.
  const Instant t2 = t0 + Seconds(20);
  book.Apply({{Ended(AlertState::kBreached, "T-1", "A", TargetName::kResponse,
                     t0 - std::chrono::hours(1), t2)}});
  const std::vector<Alert> due = book.Due(t2);
  // Nothing is folded any more: the aggregate resolves at once.
  REQUIRE(Names(due) == std::vector<std::string>{"SlaAlertsFolded:resolved",
                                                 "SlaAtRisk:firing",
                                                 "SlaBreached:resolved"});
  CHECK(due[1].labels.at("ticket") == "T-2");
  CHECK(due[1].starts_at == t0);
  CHECK(due[1].annotations.at("deadline") == "2026-11-04T13:00:00Z");
}

TEST_CASE(
    "an alert noticed more than 68 years before its deadline waits and unfolds alike",
    "[alert_book]") {
  // Such an alert cannot be a 24-byte record (its start is kept as seconds
  // before the deadline in 32 bits): it waits as an entry instead.
  AlertBookOptions options = Options();
  options.max_ticket_alerts = 1;
  AlertBook book(options);
  const Instant t0 = At("2026-11-04T10:00:00Z");
  const Instant far = At("2126-11-04T10:00:00Z");  // 100 years on
  book.Apply(
      {{Started(AlertState::kBreached, "T-1", "A", TargetName::kResponse,
                t0 - std::chrono::hours(1), t0),
        Started(AlertState::kAtRisk, "T-2", "A", TargetName::kResponse, far, t0)}});
  REQUIRE(book.Due(t0).size() == 2);  // T-1 and the aggregate
  CHECK(book.folded_count() == 1);
  CHECK(book.size() == 3);
  const Instant t1 = t0 + Seconds(20);
  book.Apply({{Ended(AlertState::kBreached, "T-1", "A", TargetName::kResponse,
                     t0 - std::chrono::hours(1), t1)}});
  const std::vector<Alert> due = book.Due(t1);
  // Nothing is folded any more: the aggregate resolves at once.
  REQUIRE(Names(due) == std::vector<std::string>{"SlaAlertsFolded:resolved",
                                                 "SlaAtRisk:firing",
                                                 "SlaBreached:resolved"});
  CHECK(due[1].labels.at("ticket") == "T-2");
  CHECK(due[1].starts_at == t0);
  CHECK(due[1].annotations.at("deadline") == "2126-11-04T10:00:00Z");
  CHECK(book.folded_count() == 0);
}

TEST_CASE("AlertAnnotations words each kind of alert") {
  const Instant now = At("2026-03-02T10:00:00Z");
  // Certification lapsed already: no deadline, so no `deadline` annotation.
  const Labels none = AlertAnnotations({.name = AlertName::kCertificationLapsing,
                                        .partner = "acme",
                                        .certified_employees = 1},
                                       now, "");
  CHECK(none ==
        Labels{{"summary", "Partner acme is not certified"},
               {"description",
                "Partner acme has 1 certified employee, too few to be certified."}});

  // Folded: 3 + 2 = 5, with `count`; the runbook link names the alert.
  const Labels folded = AlertAnnotations({.name = AlertName::kSlaAlertsFolded,
                                          .partner = "acme",
                                          .ticket_severity = "A",
                                          .target = TargetName::kResolution,
                                          .folded_breached = 3,
                                          .folded_at_risk = 2},
                                         now, "https://runbooks.example/{{alertname}}");
  CHECK(folded.at("summary") ==
        "5 more tickets of partner acme (severity A) missed or are near their resolution "
        "target");
  CHECK(folded.at("count") == "5");
  CHECK(folded.at("runbook_url") == "https://runbooks.example/SlaAlertsFolded");
  CHECK(folded.count("deadline") == 0);

  // Quota: 9 of 10 is 90%; the period ends 2026-03-03T00:00Z, 14h after now.
  const Labels quota = AlertAnnotations({.name = AlertName::kQuotaNearlyExhausted,
                                         .partner = "acme",
                                         .deadline = At("2026-03-03T00:00:00Z"),
                                         .incidents_used = 9,
                                         .incidents_limit = 10},
                                        now, "");
  CHECK(quota.at("summary") == "Partner acme has used 90% of its incident quota");
  CHECK(quota.at("description") ==
        "Partner acme has used 9 of 10 incidents in its quota period, which ends in 14h "
        "(2026-03-03T00:00:00Z).");
  CHECK(quota.at("deadline") == "2026-03-03T00:00:00Z");
  CHECK(quota.count("runbook_url") == 0);
}

}  // namespace slamon
