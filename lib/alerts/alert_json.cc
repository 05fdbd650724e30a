#include "alerts/alert_json.h"

#include <nlohmann/json.hpp>

namespace slamon {

namespace {

using nlohmann::json;

constexpr const char* kZeroTime = "0001-01-01T00:00:00Z";

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json Object(const Labels& labels) {
  json out = json::object();
  for (const auto& [name, value] : labels) out[name] = value;
  return out;
}

// The pairs every label set has with the same value.
Labels Common(std::span<const Alert> alerts, Labels Alert::*field) {
  if (alerts.empty()) return {};
  Labels common = alerts.front().*field;
  for (const Alert& alert : alerts.subspan(1)) {
    for (auto it = common.begin(); it != common.end();) {
      const auto other = (alert.*field).find(it->first);
      if (other == (alert.*field).end() || other->second != it->second) {
        it = common.erase(it);
      } else {
        ++it;
      }
    }
  }
  return common;
}

// Go's model.LabelSet.String(): {a="x", b="y"}.
std::string LabelSetString(const Labels& labels) {
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ", ";
    out += name + "=\"";
    for (char c : value) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace

std::string AlertmanagerBody(std::span<const Alert> alerts) {
  json body = json::array();
  for (const Alert& alert : alerts) {
    json item = {{"labels", Object(alert.labels)},
                 {"annotations", Object(alert.annotations)},
                 {"startsAt", FormatInstant(alert.starts_at)},
                 {"endsAt", FormatInstant(alert.ends_at)}};
    if (!alert.generator_url.empty()) item["generatorURL"] = alert.generator_url;
    body.push_back(std::move(item));
  }
  return Dump(body);
}

std::string WebhookBody(std::span<const Alert> alerts, const WebhookMessage& message) {
  const Labels common_labels = Common(alerts, &Alert::labels);
  Labels group_labels;
  if (const auto name = common_labels.find("alertname"); name != common_labels.end()) {
    group_labels.insert(*name);
  }
  bool firing = false;
  json items = json::array();
  for (const Alert& alert : alerts) {
    firing = firing || alert.status == AlertStatus::kFiring;
    items.push_back(
        {{"status", std::string(ToString(alert.status))},
         {"labels", Object(alert.labels)},
         {"annotations", Object(alert.annotations)},
         {"startsAt", FormatInstant(alert.starts_at)},
         {"endsAt", alert.status == AlertStatus::kFiring ? std::string(kZeroTime)
                                                         : FormatInstant(alert.ends_at)},
         {"generatorURL", alert.generator_url},
         {"fingerprint", FingerprintHex(alert.labels)}});
  }
  const json body = {{"version", "4"},
                     {"groupKey", "{}:" + LabelSetString(group_labels)},
                     {"truncatedAlerts", 0},
                     {"status", firing ? "firing" : "resolved"},
                     {"receiver", message.receiver},
                     {"groupLabels", Object(group_labels)},
                     {"commonLabels", Object(common_labels)},
                     {"commonAnnotations", Object(Common(alerts, &Alert::annotations))},
                     {"externalURL", message.external_url},
                     {"alerts", std::move(items)}};
  return Dump(body);
}

}  // namespace slamon
