// `slamon evaluate` does not depend on the order of its input lines (docs/design.md
// §4, issue 11 finding 4): the demo input and random inputs, shuffled,
// give byte-identical output. SLAMON_ORDER_RUNS sets the number of random
// inputs (default 60); the failing seed is printed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "evaluate/evaluation_run.h"
#include "test_time.h"

using namespace slamon;
using slamon::testing::At;

namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  INFO("reading " << path);
  REQUIRE(in);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Rules RulesFrom(const std::string& yaml) {
  ConfigResult result = ParseConfig(yaml, "order.yml");
  for (const auto& e : result.errors) FAIL_CHECK(e.ToString());
  REQUIRE(result.config);
  return std::move(result.config->rules);
}

struct Run {
  std::string out;
  int problems = 0;
};

Run Evaluate(const Rules& rules, const std::vector<std::string>& lines, Instant at) {
  std::ostringstream out, errors;
  EvaluationRun run(rules, at, "stdin", out, errors);
  int64_t n = 0;
  for (const auto& line : lines) run.ReadLine(line, ++n);
  run.Finish();
  return {out.str(), run.problems()};
}

// A random input: partners (some defined twice, one with an undefined
// policy), certifications, releases (some of an unknown product) and events of
// a few tickets, with ties in time, reopen after close, bad lines.
std::vector<std::string> RandomInput(std::mt19937_64& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  auto chance = [&](int percent) { return pick(100) < percent; };
  const char* zones[] = {"Europe/Berlin", "Asia/Tokyo", "Australia/Sydney",
                         "America/Sao_Paulo", "UTC"};
  const char* policies[] = {"default", "restart", "gold"};
  auto instant = [&](int day_from, int days) {
    char text[32];
    std::snprintf(text, sizeof text, "2026-%02d-%02dT%02d:%02d:00Z",
                  1 + (day_from + pick(days)) / 28 % 12, 1 + (day_from + pick(days)) % 28,
                  pick(24), 15 * pick(4));
    return std::string(text);
  };
  std::vector<std::string> lines;
  for (int p = 0; p < 3; ++p) {
    int definitions = chance(20) ? 2 : 1;
    for (int d = 0; d < definitions; ++d) {
      lines.push_back(R"({"type":"partner","id":"p)" + std::to_string(p) +
                      R"(","contract_signed_at":")" + instant(0, 60) +
                      R"(","timezone":")" + zones[pick(5)] + R"(","policy":")" +
                      policies[pick(3)] + R"("})");
    }
  }
  for (int c = 0; c < 5; ++c) {
    lines.push_back(R"({"type":"certification","partner":"p)" + std::to_string(pick(4)) +
                    R"(","employee":"e)" + std::to_string(pick(3)) +
                    R"(","passed_at":")" + instant(0, 200) + R"("})");
  }
  for (int r = 0; r < 4; ++r) {
    lines.push_back(R"({"type":"release","product":")" +
                    std::string(chance(80) ? "backup" : "mail") + R"(","version":"24.)" +
                    std::to_string(r) + R"(","released_at":")" + instant(28 * r, 300) +
                    R"("})");
  }
  const char* kinds[] = {"responded", "workaround",       "resolved",  "reopened",
                         "closed",    "waiting",          "resumed",   "severity",
                         "incidents", "defect_confirmed", "new_defect"};
  const char* severities[] = {"A", "B", "C", "D"};
  for (int t = 0; t < 8; ++t) {
    const std::string ticket = "T-" + std::to_string(pick(20));
    const std::string opened_at = instant(250, 20);
    lines.push_back(R"({"type":"event","ticket":")" + ticket + R"(","at":")" + opened_at +
                    R"(","kind":"opened","partner":"p)" + std::to_string(pick(4)) +
                    R"(","severity":")" + severities[pick(4)] + R"(","incidents":)" +
                    std::to_string(pick(3)) + R"(,"product":"backup","version":"24.)" +
                    std::to_string(pick(4)) + (chance(30) ? ".1234" : "") + R"("})");
    for (int e = pick(8); e > 0; --e) {
      const char* kind = kinds[pick(11)];
      std::string at = chance(25) ? opened_at : instant(250, 40);  // ties on purpose
      std::string line = R"({"type":"event","ticket":")" + ticket + R"(","at":")" + at +
                         R"(","kind":")" + kind + '"';
      if (std::string(kind) == "severity")
        line += R"(,"severity":")" + std::string(severities[pick(4)]) + '"';
      if (std::string(kind) == "incidents")
        line += R"(,"incidents":)" + std::to_string(pick(4));
      lines.push_back(line + "}");
    }
  }
  if (chance(30)) lines.push_back(R"({"type":"event","ticket":"T-1","at":"nonsense"})");
  if (chance(30)) lines.push_back("");
  return lines;
}

constexpr const char* kRandomConfig = R"(
policies:
  restart:
    reclassification: restart
)";

}  // namespace

TEST_CASE("evaluate: the demo input in any order gives the same bytes") {
  const std::string source = SLAMON_SOURCE_DIR;
  const Rules rules = RulesFrom(ReadAll(source + "/demo/slamon.yml"));
  std::vector<std::string> lines = ReadLines(source + "/demo/tickets.jsonl");
  const Instant at = At("2026-11-26T12:00:00Z");  // scripts/evaluate-demo.sh's
  const Run expected = Evaluate(rules, lines, at);
  CHECK(expected.out == ReadAll(source + "/demo/expected-output.jsonl"));
  std::mt19937_64 rng(20261202);
  for (int round = 0; round < 50; ++round) {
    std::shuffle(lines.begin(), lines.end(), rng);
    INFO("round " << round);
    const Run shuffled = Evaluate(rules, lines, at);
    REQUIRE(shuffled.out == expected.out);
    REQUIRE(shuffled.problems == expected.problems);
  }
  std::reverse(lines.begin(), lines.end());
  CHECK(Evaluate(rules, lines, at).out == expected.out);
}

TEST_CASE("evaluate: random inputs in any order give the same bytes") {
  const Rules rules = RulesFrom(kRandomConfig);
  const char* runs_text = std::getenv("SLAMON_ORDER_RUNS");
  const int runs = runs_text != nullptr ? std::atoi(runs_text) : 60;
  for (int run = 0; run < runs; ++run) {
    const uint64_t seed = 1000 + static_cast<uint64_t>(run);
    INFO("seed " << seed);
    std::mt19937_64 rng(seed);
    std::vector<std::string> lines = RandomInput(rng);
    const Instant at = At("2026-10-20T00:00:00Z") + Seconds{(rng() % 90) * 86400};
    const Run expected = Evaluate(rules, lines, at);
    REQUIRE_FALSE(expected.out.empty());
    for (int round = 0; round < 8; ++round) {
      std::shuffle(lines.begin(), lines.end(), rng);
      INFO("round " << round);
      const Run shuffled = Evaluate(rules, lines, at);
      REQUIRE(shuffled.out == expected.out);
      REQUIRE(shuffled.problems == expected.problems);
    }
  }
}
