// http/tls_context.h: a TLS 1.2+ server context from real PEM files made by
// openssl, and the error naming each way the files can be wrong.
#include "http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "test_certificate.h"
#include "test_process.h"

namespace slamon {
namespace {

using testing::MakeCertificate;
using testing::TempDir;

// The error LoadTlsServerContext gives for `tls` in a fresh context ("ok"
// when it gives none).
std::string LoadError(const HttpTlsOptions& tls) {
  boost::asio::ssl::context context(boost::asio::ssl::context::tls_server);
  return LoadTlsServerContext(tls, context).ToString();
}

TEST_CASE("A matching certificate and key make a TLS 1.2+ context") {
  TempDir dir;
  const HttpTlsOptions tls = MakeCertificate(dir);
  boost::asio::ssl::context context(boost::asio::ssl::context::tls_server);
  REQUIRE(LoadTlsServerContext(tls, context).ok());
  CHECK(SSL_CTX_get_min_proto_version(context.native_handle()) == TLS1_2_VERSION);
  CHECK(SSL_CTX_check_private_key(context.native_handle()) == 1);
  CHECK((SSL_CTX_get_options(context.native_handle()) & SSL_OP_NO_COMPRESSION) != 0);
  CHECK(ERR_peek_error() == 0);  // the error queue is left empty
}

TEST_CASE("Each bad TLS file is named with the key that names it") {
  TempDir dir;
  const HttpTlsOptions good = MakeCertificate(dir);

  CHECK(LoadError({dir.File("missing.pem"), good.key_file}) ==
        "tls cert_file " + dir.File("missing.pem") +
            ": cannot read the certificate chain: No such file or directory");
  CHECK(LoadError({good.cert_file, dir.File("missing.pem")}) ==
        "tls key_file " + dir.File("missing.pem") +
            ": cannot read the private key: No such file or directory");
  // lib/files refuses a directory rather than reading it as empty.
  CHECK(LoadError({dir.File(""), good.key_file}) ==
        "tls cert_file " + dir.File("") +
            ": cannot read the certificate chain: it is a directory");

  // A key is no certificate, a certificate no key.
  CHECK_THAT(LoadError({good.key_file, good.key_file}),
             Catch::StartsWith("tls cert_file " + good.key_file +
                               ": cannot load a PEM certificate chain: "));
  CHECK_THAT(LoadError({good.cert_file, good.cert_file}),
             Catch::StartsWith("tls key_file " + good.cert_file +
                               ": cannot load a PEM private key: "));

  TempDir other_dir;
  const HttpTlsOptions other = MakeCertificate(other_dir);
  CHECK(LoadError({good.cert_file, other.key_file}) == "tls key_file " + other.key_file +
                                                           ": does not match cert_file " +
                                                           good.cert_file);
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("A TLS file over the size limit is refused unread") {
  TempDir dir;
  const HttpTlsOptions good = MakeCertificate(dir);
  const std::string big = dir.File("big.pem");
  std::ofstream(big) << std::string(kMaxTlsFileBytes + 1, 'A');
  CHECK(LoadError({big, good.key_file}) ==
        "tls cert_file " + big + ": cannot read the certificate chain: larger than " +
            std::to_string(kMaxTlsFileBytes) + " bytes");
}

}  // namespace
}  // namespace slamon
