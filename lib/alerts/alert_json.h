// The JSON bodies slamon posts: Alertmanager's API v2 and its webhook format.
//
//   AlertmanagerBody: the body of `POST /api/v2/alerts`, an array of
//   postableAlert: {"labels", "annotations", "startsAt", "endsAt",
//   "generatorURL" (only when set)}, times in RFC 3339 UTC.
//
//   WebhookBody: one notification in Alertmanager's webhook format version 4
//   (Prometheus docs, `webhook_config`), as if the alerts were one group of
//   a route grouping by alertname: "version": "4", "groupKey" ("{}:{alertname=
//   \"SlaBreached\"}"), "truncatedAlerts": 0, "status" (firing when any alert
//   fires, else resolved), "receiver", "groupLabels" ({alertname} when all
//   alerts share it, else {}), "commonLabels", "commonAnnotations" (the pairs
//   every alert has), "externalURL", and "alerts" with "status", "labels",
//   "annotations", "startsAt", "endsAt" (the zero time
//   "0001-01-01T00:00:00Z" while firing, as Alertmanager shows it),
//   "generatorURL", "fingerprint".
//
// Pure. Text that is not valid UTF-8 is replaced (U+FFFD), never an error.
#pragma once

#include <span>
#include <string>

#include "alerts/alert.h"

namespace slamon {

std::string AlertmanagerBody(std::span<const Alert> alerts);

struct WebhookMessage {
  std::string receiver = "slamon";  // the "receiver" field
  std::string external_url;         // the "externalURL" field (slamon's address)
};

std::string WebhookBody(std::span<const Alert> alerts, const WebhookMessage& message);

}  // namespace slamon
