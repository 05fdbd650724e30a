#include "ingest/ingest_credentials.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace slamon {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

bool IsSpace(char c) { return IsBlank(c) || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::array<unsigned char, 32> Sha256(std::string_view data) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) !=
      1) {
    digest.fill(0xFF);  // cannot happen; fails closed in practice
  }
  return digest;
}

std::string Base64(std::string_view data) {
  std::vector<unsigned char> out(4 * ((data.size() + 2) / 3) + 1);
  const int n =
      EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(data.data()),
                      static_cast<int>(data.size()));
  return std::string(reinterpret_cast<const char*>(out.data()),
                     static_cast<std::size_t>(std::max(n, 0)));
}

// "scheme rest" split at the first blank run.
std::pair<std::string_view, std::string_view> SplitScheme(std::string_view text) {
  text = Trim(text);
  const auto blank = std::find_if(text.begin(), text.end(), IsBlank);
  const auto scheme_size = static_cast<std::size_t>(blank - text.begin());
  return {text.substr(0, scheme_size), Trim(text.substr(scheme_size))};
}

}  // namespace

Result<IngestCredentials> IngestCredentials::Parse(std::string_view line) {
  const auto [scheme, secret] = SplitScheme(line);
  const bool blank_inside = std::any_of(secret.begin(), secret.end(), IsBlank);
  if (IEquals(scheme, "bearer")) {
    if (secret.empty() || blank_inside) {
      return Status::Error("want \"bearer TOKEN\" with a token without blanks");
    }
    return IngestCredentials(false, Sha256(secret));
  }
  if (IEquals(scheme, "basic")) {
    const auto colon = secret.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == secret.size() ||
        blank_inside) {
      return Status::Error(
          "want \"basic USER:PASSWORD\" (both not empty, without blanks)");
    }
    return IngestCredentials(true, Sha256(Base64(secret)));
  }
  return Status::Error("want one line \"bearer TOKEN\" or \"basic USER:PASSWORD\"");
}

bool IngestCredentials::Admits(std::string_view authorization) const {
  const auto [scheme, credentials] = SplitScheme(authorization);
  const bool scheme_ok = IEquals(scheme, basic_ ? "basic" : "bearer");
  // The digest comparison runs whatever the scheme: no early exit.
  const std::array<unsigned char, 32> digest = Sha256(credentials);
  const bool same = CRYPTO_memcmp(digest.data(), digest_.data(), digest.size()) == 0;
  return scheme_ok && same;
}

}  // namespace slamon
