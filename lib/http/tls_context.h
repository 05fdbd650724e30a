// The HTTP server's TLS: a server context for TLS 1.2 or later from a PEM
// certificate chain and its private key, read with lib/files (regular files
// only, at most kMaxTlsFileBytes each).
//
// Errors are values naming the config key and the file ("tls key_file F:
// does not match cert_file C"); the key's content never reaches a message.
// The OpenSSL error queue is left empty.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <cstddef>
#include <string>

#include "base/status.h"

namespace slamon {

struct HttpTlsOptions {
  std::string cert_file;  // PEM certificate chain, read by Start()
  std::string key_file;   // PEM private key, read by Start()
};

// A certificate chain or key file is read whole; real ones are a few KB.
inline constexpr std::size_t kMaxTlsFileBytes = 1024 * 1024;

// Reads both files and loads them into `context` (a tls_server context the
// caller made), restricted to TLS 1.2 or later without TLS compression.
// An error says what failed: an unreadable file, a file that is no PEM chain
// or key, a key that does not match the certificate. On failure `context` is
// half set up and must not be used.
Status LoadTlsServerContext(const HttpTlsOptions& tls,
                            boost::asio::ssl::context& context);

}  // namespace slamon
