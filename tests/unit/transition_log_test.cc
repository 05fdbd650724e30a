#include "runtime/transition_log.h"

#include <catch2/catch.hpp>

namespace slamon {
namespace {

Transition Breach(std::string ticket, TargetName target, std::string severity) {
  return Transition{TransitionKind::kStarted,
                    AlertState::kBreached,
                    std::move(ticket),
                    "P-1",
                    std::move(severity),
                    target,
                    Instant{Seconds{1796299200}},  // 2026-12-03T12:00:00Z
                    Instant{Seconds{1796299200}}};
}

TEST_CASE("a few transitions log one line each, naming the ticket") {
  std::vector<Transition> few = {Breach("T-1", TargetName::kResponse, "A")};
  auto lines = TransitionLogLines(few, "alerts changed");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] ==
        "SlaBreached firing ticket=T-1 partner=P-1 target=response ticket_severity=A "
        "deadline=2026-12-03T12:00:00Z");
}

TEST_CASE("a paused clock without a deadline logs deadline=none, not a sentinel") {
  Transition paused = Breach("T-2", TargetName::kWorkaround, "C");
  paused.state = AlertState::kAtRisk;
  paused.deadline = std::nullopt;
  auto lines = TransitionLogLines(std::vector<Transition>{paused}, "alerts changed");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] ==
        "SlaAtRisk firing ticket=T-2 partner=P-1 target=workaround ticket_severity=C "
        "deadline=none");
}

TEST_CASE("many transitions log a summary per alert, change, target and severity") {
  // 25 response breaches of severity A (T-0..T-24), 5 resolution breaches of
  // severity B (R-0..R-4), and one at-risk clock resolved (W-0): 31 > 10, so
  // three summary lines, breached before at risk, response before
  // resolution, the first three tickets of each group as examples.
  std::vector<Transition> many;
  for (int i = 0; i < 25; ++i)
    many.push_back(Breach("T-" + std::to_string(i), TargetName::kResponse, "A"));
  for (int i = 0; i < 5; ++i)
    many.push_back(Breach("R-" + std::to_string(i), TargetName::kResolution, "B"));
  Transition resolved = Breach("W-0", TargetName::kWorkaround, "A");
  resolved.kind = TransitionKind::kEnded;
  resolved.state = AlertState::kAtRisk;
  many.insert(many.begin(), resolved);
  auto lines = TransitionLogLines(many, "at ready");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] ==
        "at ready: SlaBreached firing for 25 clocks target=response ticket_severity=A, "
        "e.g. ticket=T-0,T-1,T-2");
  CHECK(lines[1] ==
        "at ready: SlaBreached firing for 5 clocks target=resolution ticket_severity=B, "
        "e.g. ticket=R-0,R-1,R-2");
  CHECK(lines[2] ==
        "at ready: SlaAtRisk resolved for 1 clock target=workaround ticket_severity=A, "
        "e.g. ticket=W-0");
}

TEST_CASE("transitions no more than their summary's lines log one line each") {
  // 12 > 10 transitions, but in 12 groups (3 targets x severities A-D, one
  // each): a summary would have 12 lines too, so each names its ticket.
  std::vector<Transition> spread;
  for (TargetName target :
       {TargetName::kResponse, TargetName::kWorkaround, TargetName::kResolution}) {
    for (const char* severity : {"A", "B", "C", "D"})
      spread.push_back(Breach("T-" + std::string(severity), target, severity));
  }
  auto lines = TransitionLogLines(spread, "alerts changed");
  REQUIRE(lines.size() == 12);
  CHECK(lines[0].rfind("SlaBreached firing ticket=T-A partner=P-1 target=response", 0) ==
        0);
}

TEST_CASE("the summary is bounded by the groups, not by the count") {
  // 100,000 breaches in one group: one line.
  std::vector<Transition> mass(100000, Breach("T-9", TargetName::kWorkaround, "C"));
  CHECK(TransitionLogLines(mass, "alerts changed").size() == 1);
  CHECK(TransitionLogLines({}, "alerts changed").empty());
}

}  // namespace
}  // namespace slamon
