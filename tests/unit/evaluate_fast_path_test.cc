// The fast paths of `slamon evaluate` give what the slow, obvious ones give:
// the flat-object scanner of ParseRecord the same record or the same error as
// nlohmann::json's parser (ParseRecordWithDom) on every line, and
// AppendTicketLine the same bytes as TicketJson(...).dump(). Lines are the
// demo input, hand-picked edge cases, and the demo lines mutated at random
// (fixed seeds, so a failure repeats). And TicketTable finds what it holds.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "evaluate/record.h"
#include "evaluate/report_json.h"
#include "evaluate/ticket_line.h"
#include "evaluate/ticket_table.h"

using namespace slamon;

namespace {

std::vector<std::string> DemoLines() {
  std::ifstream in(std::string(SLAMON_SOURCE_DIR) + "/demo/tickets.jsonl");
  REQUIRE(in);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  REQUIRE(lines.size() > 30);
  return lines;
}

bool SameEvent(const EventRecord& a, const EventRecord& b) {
  const TicketEvent& x = a.event;
  const TicketEvent& y = b.event;
  return a.ticket == b.ticket && x.at == y.at && x.kind == y.kind &&
         x.sequence == y.sequence && x.severity == y.severity &&
         x.incidents == y.incidents && x.partner == y.partner && x.product == y.product &&
         x.version == y.version;
}

bool SameRecord(const Record& a, const Record& b) {
  if (a.index() != b.index()) return false;
  if (const auto* event = std::get_if<EventRecord>(&a))
    return SameEvent(*event, std::get<EventRecord>(b));
  if (const auto* partner = std::get_if<PartnerRecord>(&a))
    return *partner == std::get<PartnerRecord>(b);
  if (const auto* certification = std::get_if<Certification>(&a))
    return *certification == std::get<Certification>(b);
  return std::get<Release>(a) == std::get<Release>(b);
}

void CheckSameParse(const std::string& line) {
  INFO("line: " << line);
  const Result<Record> fast = ParseRecord(line, 42);
  const Result<Record> dom = ParseRecordWithDom(line, 42);
  REQUIRE(fast.error() == dom.error());
  REQUIRE(fast.ok() == dom.ok());
  if (fast) CHECK(SameRecord(*fast, *dom));
}

}  // namespace

TEST_CASE("The record scanner reads every demo line as the JSON parser does") {
  for (const auto& line : DemoLines()) {
    CheckSameParse(line);
    CHECK(ParseRecord(line, 1));  // the demo input is valid
  }
}

TEST_CASE("The record scanner agrees with the JSON parser on edge cases") {
  const std::string event =
      R"("type":"event","ticket":"T-1","at":"2026-11-26T09:00:00Z","kind":"opened","partner":"acme","severity":"A")";
  const std::vector<std::string> lines = {
      "{" + event + "}",
      " \t{ " + event + " }\r",
      "{" + event + ",\"incidents\":3}",
      "{" + event + ",\"incidents\":-0}",
      "{" + event + ",\"incidents\":0}",
      "{" + event + ",\"incidents\":01}",                   // leading zero: malformed
      "{" + event + ",\"incidents\":1.0}",                  // a float is no whole number
      "{" + event + ",\"incidents\":1e2}",                  // nor an exponent
      "{" + event + ",\"incidents\":14e4444}",              // out of range: malformed
      "{" + event + ",\"incidents\":1000001}",              // out of the accepted range
      "{" + event + ",\"incidents\":-1000001}",             //
      "{" + event + ",\"incidents\":999999999999999999}",   // 18 digits
      "{" + event + ",\"incidents\":9999999999999999999}",  // 19 digits, unsigned
      "{" + event + ",\"incidents\":18446744073709551615}",
      "{" + event + ",\"incidents\":18446744073709551616}",
      "{" + event + ",\"incidents\":-}",
      "{" + event + ",\"incidents\":null}",
      "{" + event + ",\"incidents\":true}",
      "{" + event + ",\"incidents\":\"3\"}",
      "{" + event + ",\"product\":null,\"version\":false}",
      "{" + event + ",\"product\":[\"a\"],\"version\":{}}",
      "{" + event + ",\"product\":\"b\\u00e4ckup\"}",  // escape: through the DOM
      "{" + event + ",\"product\":\"bäckup\"}",        // UTF-8: through the DOM
      "{" + event + ",\"product\":\"\xff\"}",          // invalid UTF-8
      "{" + event + ",\"product\":\"a\tb\"}",          // control character
      "{" + event + ",\"kind\":\"responded\"}",        // a key twice: the last wins
      "{\"kind\":\"responded\"," + event + "}",
      "{" + event + ",\"type\":\"partner\"}",
      "{" + event + ",\"ticket\":\"T-2\",\"ticket_id\":\"T-3\"}",
      "{\"type\":\"event\",\"ticket_id\":\"T-3\",\"at\":\"2026-11-26T09:00:00Z\","
      "\"kind\":\"closed\"}",
      "{" + event + "} x",
      "{" + event + "}}",
      "{" + event + ",}",
      "{" + event,
      "{" + event + ",\"at\":\"2026-11-26\"}",
      "{" + event + ",\"kind\":\"flew\"}",
      "{" + event + ",\"type\":\"ticket\"}",
      "{}",
      "{ }",
      "[]",
      "\"event\"",
      "3",
      "null",
      "",
      " ",
      "{\"type\":\"event\"",
      "{\"type\" \"event\"}",
      "{\"type\":\"event\" \"ticket\":\"T\"}",
      "{type:\"event\"}",
      "{\"type\":nul}",
      "{\"type\":tru}",
      R"({"type":"partner","id":"p","contract_signed_at":"2025-01-01T00:00:00Z","timezone":"Mars/Olympus"})",
      R"({"type":"partner","id":"p","contract_signed_at":"2025-01-01T00:00:00Z","credit":"paid","holidays":"x"})",
      R"({"type":"partner","partner":"p","contract_signed_at":"2025-01-01T00:00:00Z","credit":"free"})",
      R"({"type":"certification","partner_id":"p","employee":"e","passed_at":"2025-01-01T00:00:00+09:00"})",
      R"({"type":"release","product":"backup","version":24,"released_at":"2025-01-01T00:00:00Z"})",
  };
  for (const auto& line : lines) CheckSameParse(line);
  // Many members, more than the scanner keeps: the DOM reads them.
  std::string wide = "{" + event;
  for (int i = 0; i < 40; ++i)
    wide += ",\"extra" + std::to_string(i) + "\":" + std::to_string(i);
  CheckSameParse(wide + "}");
  CheckSameParse(wide + ",\"kind\":\"closed\"}");
}

TEST_CASE("The record scanner agrees with the JSON parser on mutated lines") {
  const std::vector<std::string> demo = DemoLines();
  std::mt19937 random(20261203);
  const std::string alphabet = "{}[]\",:0123456789-+.eE \\tnulrfasT\x01\xc3\xa4\xff";
  for (int round = 0; round < 20000; ++round) {
    std::string line = demo[random() % demo.size()];
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits && !line.empty(); ++e) {
      const size_t at = random() % line.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          line[at] = c;
          break;
        case 1:
          line.insert(line.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          line.erase(at, 1);
      }
    }
    CheckSameParse(line);
  }
}

TEST_CASE("A ticket line is written byte for byte as TicketJson dumps it") {
  std::mt19937 random(12032026);
  const std::vector<std::string> strings = {
      "",          "T-1",      "acme", "A",      "24.2", "quote\"d",   "back\\slash",
      "tab\there", "\x01\x1f", "\x7f", "Müller", "日本", "line\nbreak"};
  auto pick = [&] { return strings[random() % strings.size()]; };
  const std::vector<int64_t> seconds = {0,
                                        -1,
                                        1,
                                        86399,
                                        1764547200,
                                        -62135596800,
                                        253402300799,
                                        253402300800,
                                        -62167219201,
                                        1798675199};
  auto instant = [&] { return Instant{Seconds{seconds[random() % seconds.size()]}}; };
  auto maybe = [&]() -> std::optional<Instant> {
    if (random() % 3 == 0) return std::nullopt;
    return instant();
  };
  for (int round = 0; round < 2000; ++round) {
    TicketEvaluation t;
    t.ticket = pick();
    t.partner = pick();
    t.severity = pick();
    t.product = pick();
    t.version = pick();
    t.opened_at = instant();
    t.state = static_cast<TicketState>(random() % 3);
    t.waiting = random() % 2;
    t.incidents = static_cast<int>(random() % 2000000) - 1000000;
    t.supported = random() % 2;
    t.outdated = random() % 2;
    t.defect_confirmed = random() % 2;
    t.new_defect = random() % 2;
    t.fee = random() % 2;
    for (auto& clock : t.clocks) {
      clock.status = static_cast<ClockStatus>(random() % 5);
      clock.deadline = maybe();
      clock.stopped_at = maybe();
      clock.breached = random() % 2;
      clock.breached_at = maybe();
      clock.elapsed = Seconds{static_cast<int64_t>(random()) - (1LL << 31)};
      if (random() % 2) clock.budget = Seconds{static_cast<int64_t>(random())};
      clock.at_risk = random() % 2;
    }
    std::optional<TicketBilling> billing;
    if (random() % 2)
      billing = TicketBilling{instant(), 1, static_cast<int>(random() % 9)};
    std::string line = "prefix ";
    AppendTicketLine(line, t, billing);
    REQUIRE(line == "prefix " + TicketJson(t, billing).dump());
  }
}

TEST_CASE(
    "The ticket table finds every ticket again as it grows, and orders them by id") {
  TicketTable table;
  std::mt19937 random(3122026);
  std::vector<std::string> ids;
  for (int i = 0; i < 5000; ++i) {
    // Ids of many lengths, some sharing long prefixes, in random order.
    ids.push_back((i % 3 == 0 ? "T-" : "a-much-longer-ticket-prefix-") +
                  std::to_string(random() % 100000) + "-" + std::to_string(i));
  }
  // Short ids, NUL and high bytes (ordered as unsigned bytes), ids that are
  // each other's prefix within and past the first 8 bytes.
  for (std::string id :
       {std::string(""), std::string("a"), std::string("ab"), std::string("ab\0", 3),
        std::string("ab\0c", 4), std::string("\xff"), std::string("\x7f-z"),
        std::string("\xc3\xa9-1"), std::string("T-123456"), std::string("T-1234567"),
        std::string("T-12345670"), std::string("T-12345678\xff")})
    ids.push_back(id);
  for (size_t i = 0; i < ids.size(); ++i) {
    TicketTable::Ticket& ticket = table.FindOrAdd(ids[i]);
    REQUIRE(ticket.id == ids[i]);
    REQUIRE(ticket.log.empty());
    ticket.log.Encode(std::vector<LoggedEvent>{{.at = static_cast<int64_t>(i)}});
  }
  REQUIRE(table.size() == ids.size());
  std::vector<LoggedEvent> events;
  for (size_t i = 0; i < ids.size(); ++i) {
    TicketTable::Ticket& again = table.FindOrAdd(ids[i]);  // found, not added
    again.log.Decode(events);
    REQUIRE(events.size() == 1);
    CHECK(events[0].at == static_cast<int64_t>(i));
  }
  CHECK(table.size() == ids.size());
  std::vector<uint32_t> order = table.OrderById();
  REQUIRE(order.size() == ids.size());
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < order.size(); ++i) CHECK(table[order[i]].id == sorted[i]);
  CHECK(&table.FindOrAdd("") == &table.FindOrAdd(""));  // the empty id is an id too
}
