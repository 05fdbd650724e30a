// http/basic_auth.h: base64 (OpenSSL), secret digests compared in constant
// time, Authorization headers and the basic-auth check the server uses.
#include "http/basic_auth.h"

#include <catch2/catch.hpp>

namespace slamon {
namespace {

TEST_CASE("Base64 decodes with and without padding (RFC 4648 test vectors)") {
  // RFC 4648 §10: "" "f" "fo" "foo" "foob" "fooba" "foobar".
  CHECK(DecodeBase64("") == std::string());
  CHECK(DecodeBase64("Zg==") == "f");
  CHECK(DecodeBase64("Zm8=") == "fo");
  CHECK(DecodeBase64("Zm9v") == "foo");
  CHECK(DecodeBase64("Zm9vYg==") == "foob");
  CHECK(DecodeBase64("Zm9vYmE=") == "fooba");
  CHECK(DecodeBase64("Zm9vYmFy") == "foobar");
  // Padding is optional, as the hand-written decoder before took it.
  CHECK(DecodeBase64("Zg") == "f");
  CHECK(DecodeBase64("Zm8") == "fo");
  // "prometheus:s3cr:et" (the password holds a colon); by hand with base64(1).
  CHECK(DecodeBase64("cHJvbWV0aGV1czpzM2NyOmV0") == "prometheus:s3cr:et");
  // Bytes outside ASCII: 0xFF 0x00 0x80 is "/wCA".
  CHECK(DecodeBase64("/wCA") == std::string("\xFF\x00\x80", 3));
}

TEST_CASE("Base64 refuses what is not base64") {
  CHECK_FALSE(DecodeBase64("!!notbase64"));
  CHECK_FALSE(DecodeBase64("Z"));      // 4n+1 characters hold no whole byte
  CHECK_FALSE(DecodeBase64("Zm9vY"));  // likewise
  CHECK_FALSE(DecodeBase64("Zg=a"));   // '=' inside
  CHECK_FALSE(DecodeBase64("Zm 9v"));  // a blank inside
  CHECK_FALSE(DecodeBase64(" Zm9v"));  // EVP_DecodeBlock would skip it
  CHECK_FALSE(DecodeBase64("Zm9v\n"));
  CHECK_FALSE(DecodeBase64("Zm9-"));  // base64url is another alphabet
  CHECK_FALSE(DecodeBase64("Zm9\xC3\xA9"));
}

TEST_CASE("Base64 round trip through the encoder") {
  CHECK(EncodeBase64("user:pw") == "dXNlcjpwdw==");
  for (const std::string text : {"", "a", "ab", "abc", "abcd", "ingest:p@ss w"}) {
    INFO(text);
    CHECK(DecodeBase64(EncodeBase64(text)) == text);
  }
}

TEST_CASE("Secrets compare by digest") {
  const SecretDigest expected = DigestOf("hunter2");
  CHECK(SameSecret("hunter2", expected));
  CHECK_FALSE(SameSecret("hunter3", expected));
  CHECK_FALSE(SameSecret("hunter2 ", expected));
  CHECK_FALSE(SameSecret("", expected));
  // SHA-256("") starts e3b0c442 (FIPS 180-4 example, as sha256sum prints it).
  const SecretDigest empty = DigestOf("");
  CHECK(empty[0] == 0xe3);
  CHECK(empty[1] == 0xb0);
  CHECK(empty[2] == 0xc4);
  CHECK(empty[3] == 0x42);
}

TEST_CASE("An Authorization header splits at the first run of blanks") {
  const AuthorizationHeader basic = SplitAuthorization("  Basic \t dXNlcjpwdw== \r\n");
  CHECK(basic.scheme == "Basic");
  CHECK(basic.credentials == "dXNlcjpwdw==");
  const AuthorizationHeader bare = SplitAuthorization("Bearer");
  CHECK(bare.scheme == "Bearer");
  CHECK(bare.credentials.empty());
  const AuthorizationHeader inner = SplitAuthorization("Bearer a b");
  CHECK(inner.credentials == "a b");  // only the first run splits
}

TEST_CASE("BasicAuth admits exactly its user and password") {
  const BasicAuth auth("prometheus", "s3cr:et");
  // base64("prometheus:s3cr:et") = "cHJvbWV0aGV1czpzM2NyOmV0" (base64(1)).
  CHECK(auth.Admits("Basic cHJvbWV0aGV1czpzM2NyOmV0"));
  CHECK(auth.Admits("basic cHJvbWV0aGV1czpzM2NyOmV0"));  // the scheme in any case
  CHECK(auth.Admits("BASIC   cHJvbWV0aGV1czpzM2NyOmV0  "));
  // base64("prometheus:s3cr") = "cHJvbWV0aGV1czpzM2Ny": a wrong password.
  CHECK_FALSE(auth.Admits("Basic cHJvbWV0aGV1czpzM2Ny"));
  // base64("Prometheus:s3cr:et"): the user name is case-sensitive.
  CHECK_FALSE(auth.Admits("Basic " + EncodeBase64("Prometheus:s3cr:et")));
  // base64("prometheuss3cr") has no colon.
  CHECK_FALSE(auth.Admits("Basic " + EncodeBase64("prometheuss3cr")));
  CHECK_FALSE(auth.Admits("Bearer cHJvbWV0aGV1czpzM2NyOmV0"));
  CHECK_FALSE(auth.Admits("Basic !!notbase64"));
  CHECK_FALSE(auth.Admits("Basic"));
  CHECK_FALSE(auth.Admits(""));
}

TEST_CASE("BasicAuth with an empty password") {
  const BasicAuth auth("user", "");
  CHECK(auth.Admits("Basic " + EncodeBase64("user:")));
  CHECK_FALSE(auth.Admits("Basic " + EncodeBase64("user")));
}

}  // namespace
}  // namespace slamon
