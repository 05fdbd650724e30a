// libFuzzer target: one line of `slamon evaluate`'s input (ParseRecord,
// lib/evaluate/record). The input is the line. A line is either a record or
// an error that says what is wrong; it never crashes, hangs or throws.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "evaluate/record.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const slamon::Result<slamon::Record> parsed = slamon::ParseRecord(line, 7);
  if (!parsed && parsed.error().empty()) {
    std::fprintf(stderr, "rejected without a reason\n");
    std::abort();
  }
  if (parsed) {
    if (const auto* event = std::get_if<slamon::EventRecord>(&*parsed)) {
      if (event->ticket.empty() || event->event.sequence != 7) {
        std::fprintf(stderr,
                     "accepted an event without a ticket or with another sequence\n");
        std::abort();
      }
    }
  }
  return 0;
}
