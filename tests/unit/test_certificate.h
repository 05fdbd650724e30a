// A self-signed certificate made with the real openssl for tests that serve
// or load TLS (missing openssl fails the test with the package to install).
#pragma once

#include "http/tls_context.h"
#include "test_process.h"

namespace slamon::testing {

// A certificate for localhost/127.0.0.1 and its key, written into `dir`.
inline HttpTlsOptions MakeCertificate(const TempDir& dir) {
  RequireTool("openssl", "openssl");
  HttpTlsOptions tls{dir.File("cert.pem"), dir.File("key.pem")};
  const CommandResult run = RunCommand(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 "
      "-keyout " +
      tls.key_file + " -out " + tls.cert_file + " 2>&1");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  return tls;
}

}  // namespace slamon::testing
