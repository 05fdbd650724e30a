// IngestCredentials: who may POST /api/v1/events (docs/help-desks.md).
//
// The credentials file holds one line, either
//   bearer TOKEN            -> requests send `Authorization: Bearer TOKEN`
//   basic USER:PASSWORD     -> requests send HTTP basic auth for USER:PASSWORD
// (the scheme word in any case; TOKEN and USER:PASSWORD without blanks). Only
// a digest of the expected Authorization value is kept, and a request's is
// compared in constant time (http/basic_auth.h). Errors never contain the secret.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "http/basic_auth.h"

namespace slamon {

class IngestCredentials {
 public:
  // The credentials from the file's first line, or an error saying what is
  // wrong with it (not what it holds).
  static Result<IngestCredentials> Parse(std::string_view line);

  // True when the Authorization header carries these credentials.
  bool Admits(std::string_view authorization) const;

  // "Bearer" or "Basic", for WWW-Authenticate.
  const char* scheme() const { return basic_ ? "Basic" : "Bearer"; }

 private:
  IngestCredentials(bool basic, const SecretDigest& digest)
      : basic_(basic), digest_(digest) {}

  bool basic_ = false;
  SecretDigest digest_{};  // SHA-256 of the credentials part of the header
};

}  // namespace slamon
