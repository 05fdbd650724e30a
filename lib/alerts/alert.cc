#include "alerts/alert.h"

#include <cstdio>

namespace slamon {

namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;
constexpr unsigned char kSeparator = 0xff;

uint64_t AddBytes(uint64_t hash, std::string_view bytes) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

uint64_t AddByte(uint64_t hash, unsigned char byte) {
  hash ^= byte;
  hash *= kFnvPrime;
  return hash;
}

}  // namespace

std::string_view ToString(AlertStatus status) {
  return status == AlertStatus::kFiring ? "firing" : "resolved";
}

uint64_t Fingerprint(const Labels& labels) {
  uint64_t hash = kFnvOffset;
  for (const auto& [name, value] : labels) {  // std::map: sorted by name
    hash = AddByte(AddBytes(hash, name), kSeparator);
    hash = AddByte(AddBytes(hash, value), kSeparator);
  }
  return hash;
}

std::string FingerprintHex(const Labels& labels) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx",
                static_cast<unsigned long long>(Fingerprint(labels)));
  return text;
}

}  // namespace slamon
