// `ingest:` — the push API, POST /api/v1/events (docs/configuration.md).
#include "config/config_sections.h"

namespace slamon::config_internal {

namespace {
constexpr int kMinBodyBytes = 1024;
constexpr int kMaxBodyBytes = 64 * 1024 * 1024;
}  // namespace

void ReadIngest(const Field& field, YamlReader& reader, IngestConfig* ingest) {
  IngestConfig read;
  if (!reader.Map(
          field,
          {
              {"enabled", [&](const Field& f) { reader.ReadBool(f, &read.enabled); }},
              {"credentials_file",
               [&](const Field& f) { reader.ReadString(f, &read.credentials_file); }},
              {"max_body_bytes",
               [&](const Field& f) {
                 reader.ReadInt(f, kMinBodyBytes, &read.max_body_bytes);
                 if (read.max_body_bytes > kMaxBodyBytes) {
                   reader.Error(f, "must be at most " + std::to_string(kMaxBodyBytes));
                   read.max_body_bytes = IngestConfig{}.max_body_bytes;
                 }
               }},
              {"database_user",
               [&](const Field& f) { reader.ReadString(f, &read.database_user); }},
              {"database_password_file",
               [&](const Field& f) {
                 reader.ReadString(f, &read.database_password_file);
               }},
          })) {
    return;
  }
  if (read.enabled && read.credentials_file.empty()) {
    reader.Error(field, "missing credentials_file (needed when enabled)");
  }
  if (read.database_user.empty()) reader.Error(field, "database_user must not be empty");
  *ingest = std::move(read);
}

}  // namespace slamon::config_internal
