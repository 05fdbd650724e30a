// libFuzzer target: what slamon does with an Alertmanager's (or webhook
// receiver's) answer to its POST.
//
// A fake receiver on loopback accepts the connection, sends the input as the
// raw bytes of its answer and half-closes; StartPost (lib/http/http_client)
// reads it with Beast's parser under slamon's limits. `done` must be called
// exactly once, and PostResult::Describe(), which reaches the log and
// /metrics' last error, must stay one line.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "http/http_client.h"

namespace {

namespace net = boost::asio;
using net::ip::tcp;

struct Receiver {
  net::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
};

Receiver& TheReceiver() {
  static auto* receiver = new Receiver;
  return *receiver;
}

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "%s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Receiver& receiver = TheReceiver();
  const std::string answer(reinterpret_cast<const char*>(data), size);

  // The receiver: answer at once, half-close, then read (and drop) the
  // request until slamon closes.
  tcp::socket peer(receiver.io);
  std::string request;
  bool peer_done = false;
  receiver.acceptor.async_accept(peer, [&](boost::system::error_code ec) {
    if (ec) Fail("accept", ec.message());
    net::async_write(
        peer, net::buffer(answer), [&](boost::system::error_code, std::size_t) {
          boost::system::error_code ignored;
          peer.shutdown(tcp::socket::shutdown_send, ignored);
          net::async_read(
              peer, net::dynamic_buffer(request),
              [&](boost::system::error_code, std::size_t) { peer_done = true; });
        });
  });

  slamon::PostRequest post;
  post.url.host = "127.0.0.1";
  post.url.port = std::to_string(receiver.acceptor.local_endpoint().port());
  post.url.target = "/api/v2/alerts";
  post.body = "[]";
  post.timeout = std::chrono::seconds(2);
  int calls = 0;
  slamon::PostResult result;
  auto call = slamon::StartPost(receiver.io, nullptr, post, [&](slamon::PostResult r) {
    ++calls;
    result = std::move(r);
  });

  receiver.io.restart();
  while (calls == 0 || !peer_done) receiver.io.run_one();
  receiver.io.poll();  // anything still queued must not call `done` again
  if (calls != 1) Fail("done called more than once", std::to_string(calls));

  const std::string line = result.Describe();
  if (line.empty() || line.find_first_of("\r\n") != std::string::npos) {
    Fail("Describe() is not one line", line);
  }
  if (result.ok() !=
      (result.transport.ok() && result.status >= 200 && result.status < 300)) {
    Fail("ok() disagrees with the status", line);
  }
  if (result.body_start.size() > 200) Fail("body_start over 200 bytes", line);
  return 0;
}
