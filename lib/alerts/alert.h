// Alert: one alert as slamon asserts it to Alertmanager and webhooks.
//
// The model of Alertmanager's API v2 `postableAlert` plus the status a webhook
// needs: a label set that identifies the alert (two alerts with equal labels
// are the same alert to Alertmanager), annotations that describe it, when it
// started and when it ends. A firing alert's `ends_at` lies ahead (slamon
// resends it before then); a resolved alert's `ends_at` is the moment it ended.
//
// Plain values, no I/O, no clock reads.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "instant/instant.h"

namespace slamon {

// Label and annotation sets, sorted by name (as Alertmanager sorts them).
using Labels = std::map<std::string, std::string>;

enum class AlertStatus : uint8_t { kFiring, kResolved };
std::string_view ToString(AlertStatus status);  // "firing", "resolved"

struct Alert {
  Labels labels;  // always holds "alertname" and "severity"
  Labels annotations;
  Instant starts_at;
  Instant ends_at;
  AlertStatus status = AlertStatus::kFiring;
  std::string generator_url;  // "" when none

  bool operator==(const Alert&) const = default;
};

// Alertmanager's fingerprint of a label set (prometheus/common
// model.LabelSet.Fingerprint: 64-bit FNV-1a over the sorted names and values,
// each followed by the byte 0xff), as 16 lower-case hex digits — the
// `fingerprint` Alertmanager reports and puts in webhook payloads.
uint64_t Fingerprint(const Labels& labels);
std::string FingerprintHex(const Labels& labels);

}  // namespace slamon
