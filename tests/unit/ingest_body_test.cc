// The push API's pure parts: the body of POST /api/v1/events and the
// credentials file. Expectations are worked out from docs/help-desks.md and
// docs/commands.md (the record shapes), not copied from slamon's output.
#include "ingest/ingest_body.h"

#include <catch2/catch.hpp>
#include <string>
#include <variant>

#include "ingest/ingest_credentials.h"

namespace slamon {
namespace {

IngestBatch Good(const std::string& body) {
  auto parsed = ParseIngestBody(body);
  if (auto* error = std::get_if<IngestError>(&parsed)) FAIL(error->Message());
  return std::get<IngestBatch>(std::move(parsed));
}

IngestError Bad(const std::string& body) {
  auto parsed = ParseIngestBody(body);
  REQUIRE(std::holds_alternative<IngestError>(parsed));
  return std::get<IngestError>(parsed);
}

TEST_CASE("one event object is a batch of one", "[ingest]") {
  const IngestBatch batch = Good(
      R"({"type":"event","event_id":"zendesk:77:1","ticket":"ZD-77","kind":"opened",)"
      R"("at":"2026-12-03T09:00:00+01:00","partner":"acme","severity":"A"})");
  REQUIRE(batch.events.size() == 1);
  CHECK(batch.size() == 1);
  const IngestEvent& e = batch.events[0];
  CHECK(e.event_id == "zendesk:77:1");
  CHECK(e.ticket == "ZD-77");
  CHECK(e.event.kind == EventKind::kOpened);
  // 09:00 at +01:00 is 08:00 UTC.
  CHECK(FormatInstant(e.event.at) == "2026-12-03T08:00:00Z");
  CHECK(e.event.partner == "acme");
  CHECK(e.event.severity == "A");
  CHECK(e.event.incidents == 1);  // evaluate's default
}

TEST_CASE("a batch mixes reference records and events, each kind in order", "[ingest]") {
  const IngestBatch batch = Good(R"([
    {"type":"partner","id":"acme","contract_signed_at":"2026-01-01T00:00:00Z",
     "timezone":"Europe/Berlin","credit":"paid"},
    {"type":"event","event_id":"e1","ticket":"T-1","kind":"responded","at":"2026-12-03T08:05:00Z"},
    {"type":"certification","partner":"acme","employee":"e7","passed_at":"2026-02-01T00:00:00Z"},
    {"type":"release","product":"backup","version":"25.1","released_at":"2026-06-01T00:00:00Z"},
    {"type":"event","event_id":"e2","ticket_id":"T-1","kind":"severity","severity":"B",
     "at":"2026-12-03T08:06:00Z"}
  ])");
  REQUIRE(batch.partners.size() == 1);
  CHECK(batch.partners[0].id == "acme");
  CHECK(batch.partners[0].credit == CreditKind::kPaid);
  REQUIRE(batch.partners[0].zone != nullptr);
  CHECK(batch.partners[0].zone->name() == "Europe/Berlin");
  REQUIRE(batch.certifications.size() == 1);
  CHECK(batch.certifications[0].employee == "e7");
  REQUIRE(batch.releases.size() == 1);
  CHECK(batch.releases[0].version == "25.1");
  REQUIRE(batch.events.size() == 2);
  CHECK(batch.events[0].event_id == "e1");
  CHECK(batch.events[1].event_id == "e2");
  CHECK(batch.events[1].event.severity == "B");
  CHECK(batch.size() == 5);
}

TEST_CASE("the first bad record rejects the body, named by place and reason",
          "[ingest]") {
  SECTION("evaluate's own rule and words: a missing field") {
    const IngestError e = Bad(R"([
      {"type":"event","event_id":"e1","ticket":"T-1","kind":"responded","at":"2026-12-03T08:05:00Z"},
      {"type":"event","event_id":"e2","ticket":"T-1","kind":"closed"}])");
    CHECK(e.index == 1);
    CHECK(e.Message() == "record 2 (index 1): ticket T-1: missing field \"at\"");
  }
  SECTION("a time without offset") {
    const IngestError e = Bad(
        R"({"type":"event","event_id":"e1","ticket":"T-1","kind":"closed","at":"2026-12-03T08:05:00"})");
    CHECK(e.index == 0);
    CHECK(e.reason.rfind("ticket T-1: field \"at\": ", 0) == 0);
  }
  SECTION("an unknown kind, an unknown record type, an unknown zone") {
    CHECK(
        Bad(R"({"type":"event","event_id":"x","ticket":"T-1","kind":"escalated","at":"2026-12-03T08:05:00Z"})")
            .reason == "ticket T-1: unknown event kind \"escalated\"");
    CHECK(Bad(R"([{"type":"customer"}])")
              .reason.rfind("unknown record type \"customer\"", 0) == 0);
    CHECK(
        Bad(R"({"type":"partner","id":"p","contract_signed_at":"2026-01-01T00:00:00Z","timezone":"Mars/Olympus"})")
            .reason == "unknown time zone \"Mars/Olympus\"");
  }
  SECTION("an event without, or with a bad, event_id") {
    const std::string event =
        R"("type":"event","ticket":"T-9","kind":"closed","at":"2026-12-03T08:05:00Z")";
    CHECK(Bad("{" + event + "}").reason == "ticket T-9: missing field \"event_id\"");
    CHECK(Bad("{" + event + R"(,"event_id":7})").reason ==
          "ticket T-9: field \"event_id\" must be a string");
    CHECK(Bad("{" + event + R"(,"event_id":""})").reason ==
          "ticket T-9: field \"event_id\" must have 1 to 200 bytes");
    // 200 bytes is the most.
    CHECK(Good("{" + event + R"(,"event_id":")" + std::string(200, 'x') + "\"}")
              .events.size() == 1);
    CHECK(Bad("{" + event + R"(,"event_id":")" + std::string(201, 'x') + "\"}").index ==
          0);
  }
  SECTION("what evaluate takes but the daemon could not use: empty ids") {
    const std::string at = R"("at":"2026-12-03T08:05:00Z","event_id":"e")";
    CHECK(Bad(R"({"type":"event","ticket":"","kind":"closed",)" + at + "}").reason ==
          "field \"ticket\" must not be empty");
    // A Jira rule whose {{issue.Partner}} is not set yet renders "".
    CHECK(
        Bad(R"({"type":"event","ticket":"SD-1","kind":"opened","partner":"","severity":"A",)" +
            at + "}")
            .reason == "ticket SD-1: field \"partner\" must not be empty");
    CHECK(
        Bad(R"({"type":"event","ticket":"SD-1","kind":"opened","partner":"p","severity":"",)" +
            at + "}")
            .reason == "ticket SD-1: field \"severity\" must not be empty");
    CHECK(Bad(R"({"type":"event","ticket":"SD-1","kind":"severity","severity":"",)" + at +
              "}")
              .reason == "ticket SD-1: field \"severity\" must not be empty");
    // Product and version may be empty: the daemon reads them as unknown.
    CHECK(
        Good(
            R"({"type":"event","ticket":"SD-1","kind":"opened","partner":"p","severity":"A","product":"",)" +
            at + "}")
            .events.size() == 1);
  }
  SECTION("the body as a whole") {
    CHECK(Bad("").index == -1);
    CHECK(Bad("{\"type\":").reason.rfind("malformed JSON: ", 0) == 0);
    CHECK(Bad("[]").Message() == "empty batch: no records");
    CHECK(Bad("42").Message() ==
          "expected a JSON object (one record) or an array of them");
    CHECK(
        Bad(R"([{"type":"release","product":"p","version":"1","released_at":"2026-06-01T00:00:00Z"}, 3])")
            .Message() == "record 2 (index 1): expected a JSON object");
  }
}

TEST_CASE("credentials: bearer or basic from one line, checked whole", "[ingest]") {
  SECTION("bearer") {
    Result<IngestCredentials> c = IngestCredentials::Parse("bearer s3cret-T0ken\n");
    INFO(c.error());
    REQUIRE(c);
    CHECK(std::string(c->scheme()) == "Bearer");
    CHECK(c->Admits("Bearer s3cret-T0ken"));
    CHECK(c->Admits("bearer   s3cret-T0ken "));  // the scheme in any case (RFC 9110)
    CHECK_FALSE(c->Admits("Bearer s3cret-T0ke"));
    CHECK_FALSE(c->Admits("Bearer s3cret-T0kenX"));
    CHECK_FALSE(c->Admits("Basic s3cret-T0ken"));
    CHECK_FALSE(c->Admits(""));
  }
  SECTION("basic: the header carries base64 of USER:PASSWORD") {
    Result<IngestCredentials> c = IngestCredentials::Parse("Basic zendesk:pa:ss");
    INFO(c.error());
    REQUIRE(c);
    CHECK(std::string(c->scheme()) == "Basic");
    // base64("zendesk:pa:ss") = "emVuZGVzazpwYTpzcw==" (by hand: "zen" -> emVu,
    // "des" -> ZGVz, "k:p" -> azpw, "a:s" -> YTpz, "s" -> cw==).
    CHECK(c->Admits("Basic emVuZGVzazpwYTpzcw=="));
    CHECK_FALSE(c->Admits("Bearer emVuZGVzazpwYTpzcw=="));
    CHECK_FALSE(c->Admits("Basic emVuZGVzazpwYTpzcQ=="));  // "zendesk:pa:sq"
  }
  SECTION("malformed files are refused without echoing the secret") {
    for (const std::string line :
         {"", "token-only", "bearer", "bearer two words", "basic nocolon",
          "basic :password", "basic user:", "digest a:b"}) {
      INFO(line);
      Result<IngestCredentials> refused = IngestCredentials::Parse(line);
      CHECK_FALSE(refused);
      const std::string& error = refused.error();
      CHECK_FALSE(error.empty());
      if (line.size() > 7) CHECK(error.find(line.substr(7)) == std::string::npos);
    }
  }
}

}  // namespace
}  // namespace slamon
