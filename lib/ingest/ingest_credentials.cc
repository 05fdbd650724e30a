#include "ingest/ingest_credentials.h"

#include <algorithm>

#include "http/header_text.h"

namespace slamon {

Result<IngestCredentials> IngestCredentials::Parse(std::string_view line) {
  const auto [scheme, secret] = SplitAuthorization(line);
  const bool blank_inside = std::any_of(secret.begin(), secret.end(), IsHeaderBlank);
  if (SameToken(scheme, "bearer")) {
    if (secret.empty() || blank_inside) {
      return Status::Error("want \"bearer TOKEN\" with a token without blanks");
    }
    return IngestCredentials(false, DigestOf(secret));
  }
  if (SameToken(scheme, "basic")) {
    const auto colon = secret.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == secret.size() ||
        blank_inside) {
      return Status::Error(
          "want \"basic USER:PASSWORD\" (both not empty, without blanks)");
    }
    return IngestCredentials(true, DigestOf(EncodeBase64(secret)));
  }
  return Status::Error("want one line \"bearer TOKEN\" or \"basic USER:PASSWORD\"");
}

bool IngestCredentials::Admits(std::string_view authorization) const {
  const auto [scheme, credentials] = SplitAuthorization(authorization);
  const bool scheme_ok = SameToken(scheme, basic_ ? "basic" : "bearer");
  // The digest comparison runs whatever the scheme: no early exit.
  const bool same = SameSecret(credentials, digest_);
  return scheme_ok && same;
}

}  // namespace slamon
