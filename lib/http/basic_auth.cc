#include "http/basic_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <vector>

#include "http/header_text.h"

namespace slamon {

SecretDigest DigestOf(std::string_view secret) {
  SecretDigest digest{};
  unsigned int size = 0;
  if (EVP_Digest(secret.data(), secret.size(), digest.data(), &size, EVP_sha256(),
                 nullptr) != 1) {
    digest.fill(0xFF);
  }
  return digest;
}

bool SameSecret(std::string_view given, const SecretDigest& expected) {
  const SecretDigest digest = DigestOf(given);
  return CRYPTO_memcmp(digest.data(), expected.data(), digest.size()) == 0;
}

std::string EncodeBase64(std::string_view data) {
  if (data.size() > INT_MAX / 4 * 3 - 3) return {};  // far beyond any header
  std::vector<unsigned char> out(4 * ((data.size() + 2) / 3) + 1);
  const int n =
      EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(data.data()),
                      static_cast<int>(data.size()));
  return std::string(reinterpret_cast<const char*>(out.data()),
                     static_cast<std::size_t>(std::max(n, 0)));
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  // EVP_DecodeBlock would skip leading and trailing blanks and read an '='
  // inside as a zero: refuse both here. A size of 4n+1 is no base64.
  if (text.size() % 4 == 1 || text.size() > INT_MAX - 4) return std::nullopt;
  if (std::any_of(text.begin(), text.end(), [](char c) {
        return c == '=' || IsHeaderBlank(c) || c == '\r' || c == '\n';
      })) {
    return std::nullopt;
  }
  // EVP_DecodeBlock wants whole quanta: pad, then drop the padding's bytes.
  const std::size_t padding = (4 - text.size() % 4) % 4;
  std::string padded(text);
  padded.append(padding, '=');
  std::string out(padded.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(padded.data()),
                                static_cast<int>(padded.size()));
  if (n < 0 || static_cast<std::size_t>(n) != out.size()) return std::nullopt;
  out.resize(out.size() - padding);
  return out;
}

AuthorizationHeader SplitAuthorization(std::string_view value) {
  value = TrimHeaderSpace(value);
  const auto blank = std::find_if(value.begin(), value.end(), IsHeaderBlank);
  const auto scheme_size = static_cast<std::size_t>(blank - value.begin());
  return {value.substr(0, scheme_size), TrimHeaderSpace(value.substr(scheme_size))};
}

BasicAuth::BasicAuth(std::string_view username, std::string_view password)
    : username_(DigestOf(username)), password_(DigestOf(password)) {}

bool BasicAuth::Admits(std::string_view authorization) const {
  const AuthorizationHeader header = SplitAuthorization(authorization);
  if (!SameToken(header.scheme, "basic")) return false;
  const std::optional<std::string> decoded = DecodeBase64(header.credentials);
  if (!decoded) return false;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  const std::string_view credentials(*decoded);
  // Both comparisons always run: no early exit on a wrong user name.
  const bool user_ok = SameSecret(credentials.substr(0, colon), username_);
  const bool password_ok = SameSecret(credentials.substr(colon + 1), password_);
  return user_ok && password_ok;
}

}  // namespace slamon
