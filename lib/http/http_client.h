// The HTTP client: one HTTP/1.1 POST on Boost.Beast, http or https, with a
// deadline; HttpPoster offers it as the Poster the alert sender takes.
//
// StartPost resolves the host, connects, does the TLS handshake (https:
// SNI for host names, the peer verified against `tls`'s trust store and the
// URL's host), writes the request (Connection: close) and reads the answer
// (at most 1 MiB), all before `timeout` from the start; then it closes the
// connection and calls `done` exactly once with the status or the error and
// the time it took. The call owns itself; the returned handle may be
// dropped, or kept (as a weak_ptr) to Cancel it, which ends it at once:
// `done` is called from within Cancel with the error "cancelled".
//
// Errors are values; no exception leaves here. Runs on `io`'s one thread;
// `done` is called there (from a handler or Cancel, never from StartPost).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "http/poster.h"

namespace slamon {

// `tls` must be set for an https URL (else the call fails with an error); the
// call shares it.
std::shared_ptr<PostCall> StartPost(boost::asio::io_context& io,
                                    std::shared_ptr<boost::asio::ssl::context> tls,
                                    PostRequest request,
                                    std::function<void(PostResult)> done);

// A Poster on `io`. https is verified against the system's trust store, or
// against `ca_file` (a PEM bundle) when it is not "".
class HttpPoster final : public Poster {
 public:
  HttpPoster(boost::asio::io_context& io, std::string ca_file);
  Status PrepareTls() override;
  std::shared_ptr<PostCall> Post(PostRequest request,
                                 std::function<void(PostResult)> done) override;

 private:
  boost::asio::io_context& io_;
  std::string ca_file_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
};

}  // namespace slamon
