// Poster: one HTTP POST, as the alert sender needs it, behind an interface,
// so the sender's retry, back-off and drain are tested against a fake
// (tests/unit/alert_sender_test.cc) and the network code stays in lib/http
// (HttpPoster in http_client.h). Pure: types and the interface only.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "base/status.h"
#include "http/receiver_url.h"

namespace slamon {

struct PostResult {
  // A request that got no answer: `transport` says why ("cancelled", ...).
  static PostResult Failed(std::string why) {
    PostResult result;
    result.transport = Status::Error(std::move(why));
    return result;
  }

  int status = 0;  // the answer's status; 0 when there was none
  // Ok when an answer came; else what failed (connect, TLS, timeout, ...).
  Status transport = Status::Ok();
  // An answer with a 2xx status.
  bool ok() const { return transport.ok() && status >= 200 && status < 300; }
  // A one-line account: "HTTP 500: <start of body>", "timeout after 10s", ...
  std::string Describe() const;
  std::string body_start;  // the first 200 bytes of the answer's body
  // From the start of the request to its answer or failure.
  std::chrono::duration<double> elapsed{0};
};

struct PostRequest {
  ReceiverUrl url;
  std::string body;
  std::string content_type = "application/json";
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
};

// A request in flight. Cancel ends it at once: `done` is called from within
// Cancel with the error "cancelled".
class PostCall {
 public:
  virtual ~PostCall() = default;
  virtual void Cancel() = 0;
};

class Poster {
 public:
  virtual ~Poster() = default;
  // Readies https requests (loads the trust store); an error says why it
  // cannot. Called once, before the first https Post.
  virtual Status PrepareTls() = 0;
  // Starts `request`. `done` is called exactly once, on the caller's event
  // loop, never from within Post. The returned handle may be dropped, or kept
  // (as a weak_ptr) to Cancel the call; it may be null when the call failed
  // at once (`done` still comes).
  virtual std::shared_ptr<PostCall> Post(PostRequest request,
                                         std::function<void(PostResult)> done) = 0;
};

}  // namespace slamon
