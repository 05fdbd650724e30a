// HttpPost: one HTTP/1.1 POST on Boost.Beast, http or https, with a deadline.
//
// StartPost resolves the host, connects, does the TLS handshake (https:
// SNI for host names, the peer verified against `tls`'s trust store and the
// URL's host), writes the request (Connection: close) and reads the answer
// (at most 1 MiB), all before `timeout` from the start; then it closes the
// connection and calls `done` exactly once with the status or the error.
// The call owns itself; the returned handle may be dropped, or kept (as a
// weak_ptr) to Cancel it, which ends it at once: `done` is called from
// within Cancel with the error "cancelled".
//
// Errors are values; no exception leaves here. Runs on `io`'s one thread;
// `done` is called there (from a handler or Cancel, never from StartPost).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "http/receiver_url.h"

namespace slamon {

struct PostResult {
  int status = 0;     // the answer's status; 0 when there was none
  std::string error;  // "" when an answer came; else what failed
  // An answer with a 2xx status.
  bool ok() const { return error.empty() && status >= 200 && status < 300; }
  // A one-line account: "HTTP 500: <start of body>", "timeout after 10s", ...
  std::string Describe() const;
  std::string body_start;  // the first 200 bytes of the answer's body
};

struct PostRequest {
  ReceiverUrl url;
  std::string body;
  std::string content_type = "application/json";
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
};

class PostCall {
 public:
  virtual ~PostCall() = default;
  virtual void Cancel() = 0;
};

// `tls` must be set for an https URL (else the call fails with an error); the
// call shares it.
std::shared_ptr<PostCall> StartPost(boost::asio::io_context& io,
                                    std::shared_ptr<boost::asio::ssl::context> tls,
                                    PostRequest request,
                                    std::function<void(PostResult)> done);

}  // namespace slamon
