// libFuzzer target: the checks on one raw row of slamon.ticket_events
// (CheckEventRow, lib/store/event_row). The input is decoded into a row with
// any of its fields NULL, any text and any instant PostgreSQL can hold; a row
// is either an event or a BadRow with a known reason, never a crash.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "store/event_row.h"

namespace {

// PostgreSQL's timestamptz range: 4713 BC to 294276 AD (the reader's
// `floor(extract(epoch FROM at))::bigint` cannot give more).
constexpr std::int64_t kMinPgSeconds = -210866803200;
constexpr std::int64_t kMaxPgSeconds = 9224318015999;

std::optional<std::string> Text(FuzzedDataProvider& in) {
  if (in.ConsumeBool()) return std::nullopt;
  return in.ConsumeRandomLengthString(64);
}

// Kinds that exist more often than not, so the per-kind checks are reached.
std::optional<std::string> Kind(FuzzedDataProvider& in) {
  static constexpr const char* kKinds[] = {
      "opened", "responded", "workaround", "resolved", "reopened",
      "closed", "waiting",   "resumed",    "severity", "incidents"};
  switch (in.ConsumeIntegralInRange(0, 2)) {
    case 0:
      return std::nullopt;
    case 1:
      return std::string(kKinds[in.ConsumeIntegralInRange<std::size_t>(
          0, sizeof(kKinds) / sizeof(kKinds[0]) - 1)]);
    default:
      return in.ConsumeRandomLengthString(16);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  slamon::RawEventRow row;
  row.seq = in.ConsumeIntegral<std::int64_t>();
  row.ticket = Text(in);
  row.at_infinite = in.ConsumeIntegralInRange(0, 15) == 0;
  if (!row.at_infinite && in.ConsumeIntegralInRange(0, 15) != 0) {
    row.at = slamon::Instant(
        slamon::Seconds(in.ConsumeIntegralInRange(kMinPgSeconds, kMaxPgSeconds)));
  }
  row.kind = Kind(in);
  row.partner = Text(in);
  row.severity = Text(in);
  if (in.ConsumeBool()) row.incidents = in.ConsumeIntegral<int>();
  row.product = Text(in);
  row.version = Text(in);
  const slamon::Instant now(slamon::Seconds(
      in.ConsumeIntegralInRange<std::int64_t>(0, 253402300799)));  // 1970 to 9999-12-31

  const auto checked = slamon::CheckEventRow(row, now);
  if (const auto* bad = std::get_if<slamon::BadRow>(&checked)) {
    if (bad->seq != row.seq || bad->message.empty() ||
        (bad->reason != slamon::RejectReason::kBadField &&
         bad->reason != slamon::RejectReason::kUnknownKind &&
         bad->reason != slamon::RejectReason::kFuture)) {
      std::fprintf(stderr, "BadRow without seq, message or a row reason: %s\n",
                   std::string(slamon::ToString(bad->reason)).c_str());
      std::abort();
    }
  } else {
    const auto& event = std::get<slamon::EventRow>(checked);
    if (event.ticket.empty() || event.event.sequence != row.seq || !row.at ||
        event.event.at != *row.at || event.event.at > now + slamon::kFarFuture) {
      std::fprintf(stderr, "accepted a row it should have refused\n");
      std::abort();
    }
  }
  return 0;
}
