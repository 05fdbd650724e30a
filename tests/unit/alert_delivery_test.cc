// What goes on the wire and how it waits: fingerprints, the Alertmanager v2
// and webhook v4 bodies, receiver URLs and the per-destination queue.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "alerts/alert.h"
#include "alerts/alert_json.h"
#include "alerts/alert_queue.h"
#include "http/receiver_url.h"
#include "test_time.h"

namespace slamon {
namespace {

using nlohmann::json;
using testing::At;

Alert MakeAlert(std::string name, std::string ticket,
                AlertStatus status = AlertStatus::kFiring) {
  Alert alert;
  alert.labels = {{"alertname", std::move(name)},
                  {"severity", "critical"},
                  {"ticket", std::move(ticket)},
                  {"partner", "acme"}};
  alert.annotations = {{"summary", "s"}, {"runbook_url", "https://rb/x"}};
  alert.starts_at = At("2026-11-04T10:00:00Z");
  alert.ends_at = At("2026-11-04T10:04:00Z");
  alert.status = status;
  return alert;
}

TEST_CASE("fingerprints are Alertmanager's (prometheus/common's test vectors)",
          "[alert]") {
  CHECK(Fingerprint({}) == 14695981039346656037ULL);
  CHECK(Fingerprint({{"name", "garland, briggs"}, {"fear", "love is not enough"}}) ==
        5799056148416392346ULL);
  CHECK(FingerprintHex({{"name", "garland, briggs"}, {"fear", "love is not enough"}}) ==
        "507a62d79ee76c9a");
}

TEST_CASE("the Alertmanager v2 body is an array of postableAlerts", "[alert_json]") {
  Alert with_url = MakeAlert("SlaBreached", "T-1");
  with_url.generator_url = "http://slamon:9464/";
  Alert resolved = MakeAlert("SlaAtRisk", "T-2", AlertStatus::kResolved);
  const std::vector<Alert> alerts = {with_url, resolved};
  const json body = json::parse(AlertmanagerBody(alerts));
  CHECK(body == json::parse(R"([
    {"labels": {"alertname": "SlaBreached", "severity": "critical", "ticket": "T-1",
                "partner": "acme"},
     "annotations": {"summary": "s", "runbook_url": "https://rb/x"},
     "startsAt": "2026-11-04T10:00:00Z", "endsAt": "2026-11-04T10:04:00Z",
     "generatorURL": "http://slamon:9464/"},
    {"labels": {"alertname": "SlaAtRisk", "severity": "critical", "ticket": "T-2",
                "partner": "acme"},
     "annotations": {"summary": "s", "runbook_url": "https://rb/x"},
     "startsAt": "2026-11-04T10:00:00Z", "endsAt": "2026-11-04T10:04:00Z"}
  ])"));
  CHECK(AlertmanagerBody({}) == "[]");
}

TEST_CASE("the webhook body is Alertmanager's version 4", "[alert_json]") {
  Alert a = MakeAlert("SlaBreached", "T-1");
  a.annotations["description"] = "one";
  Alert b = MakeAlert("SlaBreached", "T-2", AlertStatus::kResolved);
  b.annotations["description"] = "two";
  const std::vector<Alert> alerts = {a, b};
  const json body =
      json::parse(WebhookBody(alerts, WebhookMessage{"slamon", "http://slamon:9464"}));
  CHECK(body.at("version") == "4");
  CHECK(body.at("groupKey") == "{}:{alertname=\"SlaBreached\"}");
  CHECK(body.at("truncatedAlerts") == 0);
  CHECK(body.at("status") == "firing");
  CHECK(body.at("receiver") == "slamon");
  CHECK(body.at("externalURL") == "http://slamon:9464");
  CHECK(body.at("groupLabels") == json{{"alertname", "SlaBreached"}});
  CHECK(body.at("commonLabels") == json{{"alertname", "SlaBreached"},
                                        {"severity", "critical"},
                                        {"partner", "acme"}});
  CHECK(body.at("commonAnnotations") ==
        json{{"summary", "s"}, {"runbook_url", "https://rb/x"}});
  REQUIRE(body.at("alerts").size() == 2);
  const json& first = body.at("alerts")[0];
  CHECK(first.at("status") == "firing");
  CHECK(first.at("endsAt") ==
        "0001-01-01T00:00:00Z");  // firing: as Alertmanager shows it
  CHECK(first.at("startsAt") == "2026-11-04T10:00:00Z");
  CHECK(first.at("generatorURL") == "");
  CHECK(first.at("fingerprint") == FingerprintHex(a.labels));
  CHECK(first.at("labels").at("ticket") == "T-1");
  CHECK(first.at("annotations").at("description") == "one");
  const json& second = body.at("alerts")[1];
  CHECK(second.at("status") == "resolved");
  CHECK(second.at("endsAt") == "2026-11-04T10:04:00Z");

  const std::vector<Alert> all_resolved = {b};
  CHECK(json::parse(WebhookBody(all_resolved, {})).at("status") == "resolved");

  const std::vector<Alert> mixed = {a, MakeAlert("SlaAtRisk", "T-3")};
  const json mixed_body = json::parse(WebhookBody(mixed, {}));
  CHECK(mixed_body.at("groupKey") == "{}:{}");
  CHECK(mixed_body.at("groupLabels") == json::object());
}

TEST_CASE("bodies never throw on text that is not UTF-8", "[alert_json]") {
  Alert alert = MakeAlert("SlaBreached", std::string("T-\xff"));
  const std::vector<Alert> alerts = {alert};
  const json body = json::parse(AlertmanagerBody(alerts));
  CHECK(body[0].at("labels").at("ticket") == "T-\xEF\xBF\xBD");
  CHECK_NOTHROW(json::parse(WebhookBody(alerts, {})));
}

TEST_CASE("receiver URLs", "[receiver_url]") {
  Result<ReceiverUrl> url = ParseReceiverUrl("http://127.0.0.1:9093");
  REQUIRE(url);
  CHECK_FALSE(url->tls);
  CHECK(url->host == "127.0.0.1");
  CHECK(url->port == "9093");
  CHECK(url->target == "/");
  CHECK(AlertmanagerAlertsUrl(*url).target == "/api/v2/alerts");
  CHECK(AlertmanagerAlertsUrl(*url).Name() == "http://127.0.0.1:9093");

  url = ParseReceiverUrl("https://am.example/prefix/");
  REQUIRE(url);
  CHECK(url->tls);
  CHECK(url->port == "443");
  CHECK(AlertmanagerAlertsUrl(*url).target == "/prefix/api/v2/alerts");

  url = ParseReceiverUrl("https://[::1]:8443/hook?token=secret");
  REQUIRE(url);
  CHECK(url->host == "::1");
  CHECK(url->port == "8443");
  CHECK(url->target == "/hook?token=secret");
  // A webhook's path and query may be its token: the name shows neither.
  CHECK(url->Name() == "https://[::1]:8443");

  url = ParseReceiverUrl("http://hooks.example?x=1");
  REQUIRE(url);
  CHECK(url->target == "/?x=1");

  CHECK(ParseReceiverUrl("ftp://x").error() ==
        "not an http(s) URL (expected it to start with http:// or https://)");
  CHECK(ParseReceiverUrl("http://user:pw@x/").error() ==
        "user info (user:password@) is not allowed in the URL");
  CHECK(ParseReceiverUrl("http:///path").error() == "no host");
  CHECK(ParseReceiverUrl("http://x:99999/").error() == "bad port");
  CHECK(ParseReceiverUrl("http://x:/").error() == "empty port");
  CHECK(ParseReceiverUrl("http://x/#frag").error() ==
        "a fragment (#) is not allowed in the URL");
  CHECK(ParseReceiverUrl("http://[::1/").error() == "bad IPv6 address");
}

std::vector<std::string> Tickets(const std::vector<QueuedAlert>& batch) {
  std::vector<std::string> tickets;
  for (const QueuedAlert& queued : batch)
    tickets.push_back(queued.alert.labels.at("ticket"));
  return tickets;
}

TEST_CASE("the queue drops the oldest when full and keeps one version per alert",
          "[alert_queue]") {
  AlertQueue queue(3);
  const std::vector<Alert> first = {MakeAlert("A", "1"), MakeAlert("A", "2")};
  CHECK(queue.Push(first) == 0);
  Alert newer = MakeAlert("A", "1");
  newer.annotations["summary"] = "newer";
  const std::vector<Alert> second = {newer, MakeAlert("A", "3"), MakeAlert("A", "4")};
  CHECK(queue.Push(second) == 1);  // "1" (replaced in place, still oldest) dropped
  CHECK(queue.size() == 3);
  CHECK(Tickets(queue.Take(10, Batching::kAny)) ==
        std::vector<std::string>{"2", "3", "4"});
  CHECK(queue.empty());
}

TEST_CASE("batches: any alerts for Alertmanager, one alertname for a webhook",
          "[alert_queue]") {
  AlertQueue queue(100);
  const std::vector<Alert> alerts = {MakeAlert("A", "1"), MakeAlert("A", "2"),
                                     MakeAlert("B", "3"), MakeAlert("A", "4")};
  queue.Push(alerts);
  CHECK(Tickets(queue.Take(10, Batching::kOneAlertname)) ==
        std::vector<std::string>{"1", "2"});
  CHECK(Tickets(queue.Take(1, Batching::kAny)) == std::vector<std::string>{"3"});
  CHECK(Tickets(queue.Take(0, Batching::kAny)) == std::vector<std::string>{"4"});
  CHECK(queue.Take(10, Batching::kAny).empty());
}

TEST_CASE("a failed batch goes back to the front until its attempts are used up",
          "[alert_queue]") {
  AlertQueue queue(100);
  const std::vector<Alert> alerts = {MakeAlert("A", "1"), MakeAlert("A", "2"),
                                     MakeAlert("A", "3")};
  queue.Push(alerts);
  std::vector<QueuedAlert> batch = queue.Take(2, Batching::kAny);

  // Meanwhile a newer version of "2" arrives: the failed old one is not put back.
  const std::vector<Alert> update = {MakeAlert("A", "2")};
  queue.Push(update);
  AlertQueue::RequeueResult result = queue.Requeue(std::move(batch), 2);
  CHECK(result.abandoned == 0);
  CHECK(result.dropped == 0);
  batch = queue.Take(10, Batching::kAny);
  CHECK(Tickets(batch) == std::vector<std::string>{"1", "3", "2"});
  CHECK(batch[0].failed_attempts == 1);
  CHECK(batch[2].failed_attempts == 0);

  result = queue.Requeue(std::move(batch), 2);
  CHECK(result.abandoned == 1);  // "1" failed twice
  CHECK(Tickets(queue.Take(10, Batching::kAny)) == std::vector<std::string>{"3", "2"});
}

TEST_CASE("a requeue into a full queue drops the oldest", "[alert_queue]") {
  AlertQueue queue(2);
  const std::vector<Alert> alerts = {MakeAlert("A", "1"), MakeAlert("A", "2")};
  queue.Push(alerts);
  std::vector<QueuedAlert> batch = queue.Take(2, Batching::kAny);
  const std::vector<Alert> more = {MakeAlert("A", "3")};
  queue.Push(more);
  const AlertQueue::RequeueResult result = queue.Requeue(std::move(batch), 5);
  CHECK(result.dropped == 1);
  CHECK(Tickets(queue.Take(10, Batching::kAny)) == std::vector<std::string>{"2", "3"});
}

}  // namespace
}  // namespace slamon
