// Golden /metrics for the demo data set at a fixed instant: demo/tickets.jsonl
// (the data behind demo/expected-output.jsonl) fed through the live tracker
// at 2026-11-26T12:00:00Z, rendered as a scrape would, compared with the
// reviewed tests/unit/golden/demo_metrics.txt. On a mismatch the rendering is
// written to demo_metrics.actual.txt in the working directory.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config.h"
#include "evaluate/record.h"
#include "metrics/exposition.h"
#include "metrics/sla_metrics.h"
#include "test_time.h"
#include "tracker/tracker.h"

using namespace slamon;
using slamon::testing::At;

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  INFO("reading " << path);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("The demo data set renders the reviewed /metrics") {
  const std::string source = SLAMON_SOURCE_DIR;
  ConfigResult config =
      ParseConfig(ReadFile(source + "/demo/slamon.yml"), "demo/slamon.yml");
  REQUIRE(config.config);
  Tracker tracker(std::move(config.config->rules), At("2026-11-26T12:00:00Z"));
  std::vector<Transition> transitions;
  std::istringstream lines(ReadFile(source + "/demo/tickets.jsonl"));
  std::string line;
  int64_t n = 0;
  while (std::getline(lines, line)) {
    Result<Record> parsed = ParseRecord(line, ++n);
    INFO("demo/tickets.jsonl:" << n << ": " << parsed.error());
    REQUIRE(parsed);
    Record record = *parsed;
    if (auto* partner = std::get_if<PartnerRecord>(&record)) {
      tracker.SetPartner(*partner, transitions);
    } else if (auto* certification = std::get_if<Certification>(&record)) {
      tracker.AddCertification(*certification, transitions);
    } else if (auto* release = std::get_if<Release>(&record)) {
      tracker.AddRelease(*release, transitions);
    } else {
      const auto& event = std::get<EventRecord>(record);
      Tracker::ApplyResult result = tracker.Apply(event.ticket, event.event, transitions);
      CHECK(result.rejected.empty());
    }
  }
  SlaMetrics metrics([&] { return tracker.Snapshot(); },
                     {.severities = {"A", "B", "C", "D"}});
  const std::string rendered = RenderMetrics(metrics);

  const std::string golden_path = source + "/tests/unit/golden/demo_metrics.txt";
  const std::string actual_path =
      (std::filesystem::current_path() / "demo_metrics.actual.txt").string();
  std::filesystem::remove(actual_path);
  const std::string golden = ReadFile(golden_path);
  if (rendered != golden) std::ofstream(actual_path) << rendered;
  INFO("golden: " << golden_path << "\nactual: " << actual_path << "\ndiff -u "
                  << golden_path << " " << actual_path);
  CHECK(rendered == golden);
}
