#include "http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/error.hpp>
#include <optional>

#include "files/text_file.h"

namespace slamon {
namespace {

namespace ssl = boost::asio::ssl;
using boost::system::error_code;

// The first OpenSSL error in the queue as text (and the queue emptied).
std::string OpenSslError(const error_code& ec) {
  std::string message = ec.message();
  ERR_clear_error();
  return message;
}

bool IsKeyMismatch(const error_code& ec) {
  return ec.category() == boost::asio::error::get_ssl_category() &&
         ERR_GET_REASON(static_cast<unsigned long>(ec.value())) ==
             X509_R_KEY_VALUES_MISMATCH;
}

}  // namespace

Status LoadTlsServerContext(const HttpTlsOptions& tls, ssl::context& context) {
  const Result<std::string> cert =
      ReadTextFile(tls.cert_file, "the certificate chain", kMaxTlsFileBytes);
  if (!cert) return Status::Error("tls cert_file " + cert.error());
  const Result<std::string> key =
      ReadTextFile(tls.key_file, "the private key", kMaxTlsFileBytes);
  if (!key) return Status::Error("tls key_file " + key.error());

  error_code ec;
  context.set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                          ssl::context::single_dh_use,
                      ec);
  if (!ec &&
      SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION) != 1) {
    ec = error_code(static_cast<int>(ERR_get_error()),
                    boost::asio::error::get_ssl_category());
  }
  if (ec) return Status::Error("tls: " + OpenSslError(ec));
  context.use_certificate_chain(boost::asio::buffer(*cert), ec);
  if (ec) {
    return Status::Error("tls cert_file " + tls.cert_file +
                         ": cannot load a PEM certificate chain: " + OpenSslError(ec));
  }
  context.use_private_key(boost::asio::buffer(*key), ssl::context::pem, ec);
  if (IsKeyMismatch(ec) ||
      (!ec && SSL_CTX_check_private_key(context.native_handle()) != 1)) {
    ERR_clear_error();
    return Status::Error("tls key_file " + tls.key_file + ": does not match cert_file " +
                         tls.cert_file);
  }
  if (ec) {
    return Status::Error("tls key_file " + tls.key_file +
                         ": cannot load a PEM private key: " + OpenSslError(ec));
  }
  return Status::Ok();
}

}  // namespace slamon
