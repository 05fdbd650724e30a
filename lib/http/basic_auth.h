// HTTP credentials (RFC 7617 basic auth, bearer tokens) and the comparison of
// secrets. Pure (OpenSSL's libcrypto only: SHA-256, base64).
//
// A secret is kept as its SHA-256 digest and a given one is compared by
// digest with CRYPTO_memcmp, so the time a comparison takes depends neither on
// where the inputs differ nor on their lengths. Used by the HTTP server's
// basic auth and by the push API's credentials (lib/ingest), so both check a
// header the same way.
//
// Thread safety: BasicAuth is immutable after construction; Admits() may be
// called from any thread.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace slamon {

using SecretDigest = std::array<unsigned char, 32>;

// SHA-256 of `secret`; all 0xFF if libcrypto fails (it cannot in practice),
// which no input hashes to, so a comparison then fails closed.
SecretDigest DigestOf(std::string_view secret);

// True when `given` hashes to `expected`, compared in constant time.
bool SameSecret(std::string_view given, const SecretDigest& expected);

// Standard base64 with '=' padding (EVP_EncodeBlock).
std::string EncodeBase64(std::string_view data);

// Standard base64 (RFC 4648 §4) decoded with EVP_DecodeBlock: padding '=' is
// optional, any other character outside the alphabet (a blank, '=' inside)
// refuses the whole input. std::nullopt when `text` is no base64.
std::optional<std::string> DecodeBase64(std::string_view text);

// An Authorization header value split into "scheme credentials" at the first
// run of blanks, both trimmed: "Basic dXNlcjpwdw==" -> {"Basic", "dXNlcjpwdw=="}.
struct AuthorizationHeader {
  std::string_view scheme;
  std::string_view credentials;
};
AuthorizationHeader SplitAuthorization(std::string_view value);

// One user name and password, checked against Authorization headers.
class BasicAuth {
 public:
  BasicAuth(std::string_view username, std::string_view password);

  // True when `authorization` is "Basic <base64 of USER:PASSWORD>" (the scheme
  // in any case) for this user and password. Both the user name and the
  // password are always compared: no early exit on a wrong user name.
  bool Admits(std::string_view authorization) const;

 private:
  SecretDigest username_;
  SecretDigest password_;
};

}  // namespace slamon
