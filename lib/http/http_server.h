// HttpServer: slamon's HTTP/1.1 endpoint (/metrics, /-/healthy, /-/ready,
// POST /api/v1/events) on Boost.Beast, with optional TLS and basic auth.
//
// The caller registers one handler per path with Route() (GET) or RoutePost(),
// then calls Start(),
// which binds the listen address and starts accepting; Stop() closes the
// acceptor and every open connection. A handler sees a small HttpRequest and
// returns an HttpResponse; everything HTTP itself is done here:
//   - only GET and HEAD on a Route() path (405 with `Allow: GET, HEAD`
//     otherwise), only POST on a RoutePost() path (405 with `Allow: POST`),
//     404 for a path without a handler, HEAD answers the GET headers without
//     the body;
//   - keep-alive (and pipelined requests, answered in order);
//   - a timeout on every read, write and TLS handshake (`io_timeout`, and
//     `idle_timeout` while waiting for a request), a limit on the size of a
//     request's header and body (431 / 413; a RoutePost() path has its own
//     body limit, and a Content-Length over it is refused before the body is
//     read; `Expect: 100-continue` is answered once the header passed), and
//     at most `max_connections`
//     open connections (a new one closes the oldest);
//   - basic auth on every Route() path when configured (a RoutePost() handler
//     checks HttpRequest::authorization against its own credentials): 401 with
//     `WWW-Authenticate: Basic realm="slamon"` when the credentials are missing
//     or wrong; user name and password are compared in constant time;
//   - gzip (Content-Encoding: gzip, Vary: Accept-Encoding) when the response is
//     marked compressible and the request's Accept-Encoding allows gzip;
//   - TLS 1.2 or later when configured; a plain-HTTP request to a TLS port gets
//     a plain 400 answer and the connection is closed.
// A handler that throws is answered with 500. The server logs nothing: the
// counters below tell the caller what happened.
//
// Errors are values: Start() reports a bad listen address, a bind failure or an
// unreadable certificate as a message naming what failed ("listen
// 127.0.0.1:9464: address already in use"); no exception leaves this class.
//
// Threading: all work happens on the given io_context, which must be run by
// exactly one thread; handlers run on that thread. A POST handler answers
// through its HttpRespond, from any thread and at any later time (the
// connection waits for it; other connections are served meanwhile). Route() and Start()
// are called before that thread runs the io_context or on it; Stop() and the destructor
// on that thread or when the io_context is not running. The counters may be read from any
// thread. Connections own themselves and share the handlers and TLS context with the
// server, so destroying the server while connections are still open is safe (the
// destructor stops it).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "http/tls_context.h"

namespace slamon {

struct HttpRequest {
  std::string method;           // "GET", "HEAD", or "POST" on a RoutePost() path
  std::string target;           // as sent, e.g. "/metrics?x=1"
  std::string path;             // target up to '?', e.g. "/metrics"
  std::string query;            // after '?', without it; "" when none
  std::string accept;           // the Accept header, "" when absent
  std::string accept_encoding;  // the Accept-Encoding header, "" when absent
  std::string authorization;    // the Authorization header, "" when absent
  std::string content_type;     // the Content-Type header, "" when absent
  std::string body;             // the request body (POST), within its limit
};

struct HttpResponse {
  int status = 200;  // 200-599, else the client gets 500
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // Gzip the body when the client accepts it (and always send Vary).
  bool compressible = false;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// Answers a POST request: call it exactly once, from any thread. A response
// that comes after Stop(), or for a client that has gone, is dropped.
using HttpRespond = std::function<void(HttpResponse)>;
// Takes the request and its HttpRespond; runs on the io_context's thread and
// must not block it (hand slow work to another thread, respond from there).
// A handler that throws is answered with 500 (and must not respond then).
using HttpPostHandler = std::function<void(HttpRequest, HttpRespond)>;

struct HttpBasicAuthOptions {
  std::string username;
  std::string password;  // the secret itself (the caller reads password_file)
};

struct HttpServerOptions {
  // "host:port": an IPv4 address, a host name, a bracketed IPv6 address
  // ("[::1]:9464") or an empty host (":9464": every interface). Port 0 binds
  // a free port (see HttpServer::port()).
  std::string listen = "127.0.0.1:9464";
  std::optional<HttpTlsOptions> tls;
  std::optional<HttpBasicAuthOptions> basic_auth;
  std::chrono::milliseconds io_timeout{std::chrono::seconds(30)};
  // A connection waits this long for its next request (keep-alive) or for
  // the rest of one, then is closed.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(15)};
  // Open connections at most; a new one beyond this closes the oldest, so
  // idle sockets can neither exhaust the file descriptors nor lock out a
  // scraper.
  std::size_t max_connections = 512;
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 16 * 1024;  // a RoutePost() path has its own
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Serves `path` (exact match, without query) with `handler`; a later Route
  // for the same path replaces the earlier one.
  void Route(std::string path, HttpHandler handler);

  // Serves POST on `path` with `handler`, whose request bodies may have up to
  // `max_body_bytes` (more: 413, and `on_too_large` is called on the server's
  // thread, e.g. to count it). The server's basic auth does not apply there:
  // the handler checks HttpRequest::authorization. A path is either a Route()
  // or a RoutePost() path; the later call wins.
  void RoutePost(std::string path, std::size_t max_body_bytes, HttpPostHandler handler,
                 std::function<void()> on_too_large = {});

  // Reads the TLS files, binds, listens and starts accepting. Once only, and
  // not after Stop(). An error names the listen address or the TLS file
  // ("listen 127.0.0.1:9464: address already in use").
  Status Start();

  // Closes the acceptor and every open connection. Idempotent.
  void Stop();

  // The bound port once Start() succeeded (the chosen one for port 0), else 0.
  std::uint16_t port() const;

  // Responses written, of any status.
  std::uint64_t requests_served() const;
  // Failures: a TLS handshake that failed, a malformed or too large request,
  // a timeout or I/O error in the middle of a request, a handler that threw
  // or returned a status outside 200-599, an accept that failed. A client
  // that closes, or a keep-alive connection idle until the timeout, is none.
  std::uint64_t errors() const;

  struct State;  // shared with the connections; defined in http_server.cc

 private:
  std::shared_ptr<State> state_;
};

}  // namespace slamon
