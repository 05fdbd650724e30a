// libFuzzer target: the HTTP server's request path, end to end.
//
// The input's first byte picks a server (with basic auth or without); the
// rest is sent as the raw bytes of a client connection to it over loopback,
// then the client half-closes and reads until the server closes. That drives
// Beast's parser with slamon's limits, basic auth (base64, the constant-time
// compare), routing, methods, HEAD, gzip negotiation, a throwing handler and
// the error answers. The server must answer with HTTP or close, never crash;
// every answer must start with "HTTP/1.1 " or "HTTP/1.0 ".
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include "http/http_server.h"

namespace {

namespace net = boost::asio;
using net::ip::tcp;

struct Servers {
  net::io_context io;
  std::unique_ptr<slamon::HttpServer> open;
  std::unique_ptr<slamon::HttpServer> guarded;
};

std::unique_ptr<slamon::HttpServer> StartServer(net::io_context& io, bool with_auth) {
  slamon::HttpServerOptions options;
  options.listen = "127.0.0.1:0";
  options.io_timeout = std::chrono::milliseconds(500);
  options.idle_timeout = std::chrono::milliseconds(500);
  options.max_header_bytes = 1024;
  options.max_body_bytes = 512;
  if (with_auth) options.basic_auth = slamon::HttpBasicAuthOptions{"user", "pass"};
  auto server = std::make_unique<slamon::HttpServer>(io, options);
  server->Route("/metrics", [](const slamon::HttpRequest& request) {
    slamon::HttpResponse response;
    response.body = "# metrics for " + request.query + "\n" + std::string(2000, 'x');
    response.compressible = true;
    return response;
  });
  server->Route("/-/healthy", [](const slamon::HttpRequest&) {
    return slamon::HttpResponse{200, "text/plain", "ok\n", {{"X-Extra", "1"}}, false};
  });
  server->Route("/throw", [](const slamon::HttpRequest&) -> slamon::HttpResponse {
    throw std::runtime_error("handler failed");
  });
  server->Route("/no-status", [](const slamon::HttpRequest&) {
    slamon::HttpResponse response;
    response.status = 99;
    return response;
  });
  const slamon::Status started = server->Start();
  if (!started.ok()) {
    std::fprintf(stderr, "cannot start the server: %s\n", started.message().c_str());
    std::abort();
  }
  return server;
}

Servers& TheServers() {
  static Servers* servers = [] {
    auto* s = new Servers;
    s->open = StartServer(s->io, false);
    s->guarded = StartServer(s->io, true);
    return s;
  }();
  return *servers;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Servers& servers = TheServers();
  const slamon::HttpServer& server = (data[0] & 1) ? *servers.guarded : *servers.open;
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);

  // The client runs on the server's io_context: one thread, no races, and
  // the loop below turns it until the client has read the whole answer.
  tcp::socket client(servers.io);
  std::string answer;
  bool done = false;
  client.async_connect(
      tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()),
      [&](boost::system::error_code ec) {
        if (ec) {
          done = true;
          return;
        }
        net::async_write(
            client, net::buffer(input), [&](boost::system::error_code, std::size_t) {
              boost::system::error_code ignored;
              client.shutdown(tcp::socket::shutdown_send, ignored);
              net::async_read(
                  client, net::dynamic_buffer(answer),
                  [&](boost::system::error_code, std::size_t) { done = true; });
            });
      });
  servers.io.restart();
  while (!done) servers.io.run_one();
  boost::system::error_code ignored;
  client.close(ignored);
  // Let the server see the close before the next input.
  servers.io.poll();

  if (!answer.empty() && answer.rfind("HTTP/1.1 ", 0) != 0 &&
      answer.rfind("HTTP/1.0 ", 0) != 0) {
    std::fprintf(stderr, "answer is not HTTP: %.80s\n", answer.c_str());
    std::abort();
  }
  return 0;
}
