// HttpServer end to end: a real server on 127.0.0.1 (port 0) on a background
// io_context thread, spoken to by the real curl (and openssl for certificates),
// or by a raw socket where curl cannot say what the test needs. Missing tools
// fail the test with the package to install; nothing is skipped.
#include "http/http_server.h"

#include <sys/wait.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_certificate.h"
#include "test_process.h"

namespace slamon {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// ---- tools ----------------------------------------------------------------

using testing::CommandResult;
using testing::MakeCertificate;
using testing::RequireTool;
using testing::RunCommand;
using testing::TempDir;

struct CurlResult {
  int exit_code = -1;
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  // The header's value, "" when absent.
  std::string Header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// Runs `curl -sS -i <args>` and splits its output into status, headers, body.
CurlResult Curl(const std::string& args) {
  RequireTool("curl", "curl");
  const CommandResult run = RunCommand("curl -sS -i --max-time 10 " + args);
  CurlResult out;
  out.exit_code = run.exit_code;
  std::string output = run.output;
  // An interim "100 Continue" comes before the answer.
  while (output.rfind("HTTP/1.1 100 ", 0) == 0 &&
         output.find("\r\n\r\n") != std::string::npos)
    output.erase(0, output.find("\r\n\r\n") + 4);
  const auto end = output.find("\r\n\r\n");
  const std::string head = output.substr(0, end);
  if (end != std::string::npos) out.body = output.substr(end + 4);
  std::size_t line_start = 0;
  bool first = true;
  while (line_start < head.size()) {
    auto line_end = head.find("\r\n", line_start);
    if (line_end == std::string::npos) line_end = head.size();
    const std::string line = head.substr(line_start, line_end - line_start);
    line_start = line_end + 2;
    if (first) {
      first = false;
      const auto space = line.find(' ');
      if (line.rfind("HTTP/", 0) == 0 && space != std::string::npos) {
        out.status = std::atoi(line.c_str() + space + 1);
      }
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    out.headers[name] = value;
  }
  return out;
}

// ---- the server under test ------------------------------------------------

// Owns an io_context, the server on it and the thread that runs it; stops the
// server on that thread and joins at the end of the test.
class RunningServer {
 public:
  explicit RunningServer(HttpServerOptions options) : server(io, std::move(options)) {}
  ~RunningServer() { StopAndJoin(); }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  // Start() must succeed; then the io_context runs on a background thread.
  void Serve() {
    const Status started = server.Start();
    INFO(started.message());
    REQUIRE(started.ok());
    REQUIRE(server.port() != 0);
    thread_ = std::thread([this] { io.run(); });
  }

  void StopAndJoin() {
    if (!thread_.joinable()) return;
    net::post(io, [this] { server.Stop(); });
    thread_.join();
  }

  std::string Url(const std::string& path, const std::string& scheme = "http") const {
    return "'" + scheme + "://127.0.0.1:" + std::to_string(server.port()) + path + "'";
  }

  net::io_context io;
  HttpServer server;

 private:
  std::thread thread_;
};

HttpServerOptions Listen(const std::string& listen) {
  HttpServerOptions options;
  options.listen = listen;
  return options;
}

HttpResponse Text(std::string body) {
  HttpResponse response;
  response.body = std::move(body);
  return response;
}

// A raw client socket to the server, for what curl cannot do.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }
  void Send(const std::string& bytes) { net::write(socket_, net::buffer(bytes)); }
  http::response<http::string_body> ReadResponse() {
    http::response<http::string_body> response;
    http::read(socket_, buffer_, response);
    return response;
  }
  // Reads until the server closes; returns what came (and the error seen).
  std::string ReadToEnd(boost::system::error_code& ec) {
    std::string data;
    net::read(socket_, net::dynamic_buffer(data), ec);
    return data;
  }

 private:
  net::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

// ---- tests ----------------------------------------------------------------

TEST_CASE("a route answers 200 with its body; other paths 404", "[http]") {
  RunningServer s(Listen("127.0.0.1:0"));
  s.server.Route("/metrics", [](const HttpRequest&) {
    HttpResponse response = Text("slamon_up 1\n");
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.headers.emplace_back("X-Slamon", "yes");
    return response;
  });
  s.server.Route("/echo", [](const HttpRequest& request) {
    return Text("method=" + request.method + " path=" + request.path +
                " query=" + request.query + " target=" + request.target +
                " accept=" + request.accept);
  });
  s.Serve();

  const CurlResult metrics = Curl(s.Url("/metrics"));
  CHECK(metrics.exit_code == 0);
  CHECK(metrics.status == 200);
  CHECK(metrics.body == "slamon_up 1\n");
  CHECK(metrics.Header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(metrics.Header("content-length") == "12");
  CHECK(metrics.Header("x-slamon") == "yes");

  const CurlResult echo = Curl("-H 'Accept: text/plain' " + s.Url("/echo?a=1&b=2"));
  CHECK(echo.status == 200);
  CHECK(echo.body ==
        "method=GET path=/echo query=a=1&b=2 target=/echo?a=1&b=2 accept=text/plain");

  const CurlResult missing = Curl(s.Url("/nope"));
  CHECK(missing.status == 404);
  CHECK(missing.body == "Not Found\n");
  CHECK(Curl(s.Url("/metrics/")).status == 404);

  s.StopAndJoin();
  CHECK(s.server.requests_served() == 4);
  CHECK(s.server.errors() == 0);
}

TEST_CASE("only GET and HEAD: other methods get 405 with Allow", "[http]") {
  RunningServer s(Listen("127.0.0.1:0"));
  int calls = 0;
  s.server.Route("/metrics", [&calls](const HttpRequest&) {
    ++calls;
    return Text("x\n");
  });
  s.Serve();

  for (const std::string method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
    INFO(method);
    const CurlResult r = Curl("-X " + method + " -d 'a=b' " + s.Url("/metrics"));
    CHECK(r.status == 405);
    CHECK(r.Header("allow") == "GET, HEAD");
  }
  CHECK(Curl("-X POST " + s.Url("/nope")).status == 404);
  s.StopAndJoin();
  CHECK(calls == 0);
}

TEST_CASE("HEAD answers the headers GET would, without the body", "[http]") {
  RunningServer s(Listen("127.0.0.1:0"));
  std::string seen_method;
  s.server.Route("/-/healthy", [&seen_method](const HttpRequest& request) {
    seen_method = request.method;
    return Text("Healthy.\n");
  });
  s.Serve();

  const CurlResult head = Curl("-I " + s.Url("/-/healthy"));
  CHECK(head.exit_code == 0);
  CHECK(head.status == 200);
  CHECK(head.Header("content-length") == "9");
  CHECK(head.body.empty());
  s.StopAndJoin();
  CHECK(seen_method == "HEAD");
}

TEST_CASE("gzip when the client accepts it and the response is compressible", "[http]") {
  std::string metrics;
  for (int i = 0; i < 500; ++i) {
    metrics += "slamon_sla_clocks{target=\"response\",state=\"running\"} " +
               std::to_string(i) + "\n";
  }
  RunningServer s(Listen("127.0.0.1:0"));
  s.server.Route("/metrics", [&metrics](const HttpRequest&) {
    HttpResponse response = Text(metrics);
    response.compressible = true;
    return response;
  });
  s.server.Route("/plain", [&metrics](const HttpRequest&) { return Text(metrics); });
  s.Serve();

  SECTION("curl --compressed: gzip on the wire, the same text after") {
    const CurlResult r = Curl("--compressed " + s.Url("/metrics"));
    CHECK(r.status == 200);
    CHECK(r.Header("content-encoding") == "gzip");
    CHECK(r.Header("vary") == "Accept-Encoding");
    CHECK(std::stoul(r.Header("content-length")) < metrics.size() / 4);
    CHECK(r.body == metrics);
  }
  SECTION("the raw body is gzip and HEAD announces the compressed length") {
    const CurlResult raw = Curl("-H 'Accept-Encoding: gzip' " + s.Url("/metrics"));
    CHECK(raw.Header("content-encoding") == "gzip");
    REQUIRE(raw.body.size() > 2);
    CHECK(static_cast<unsigned char>(raw.body[0]) == 0x1f);
    CHECK(static_cast<unsigned char>(raw.body[1]) == 0x8b);
    CHECK(raw.Header("content-length") == std::to_string(raw.body.size()));
    const CurlResult head = Curl("-I -H 'Accept-Encoding: gzip' " + s.Url("/metrics"));
    CHECK(head.Header("content-encoding") == "gzip");
    CHECK(head.Header("content-length") == std::to_string(raw.body.size()));
  }
  SECTION("no gzip without Accept-Encoding, with q=0, or for other codings") {
    for (const std::string accept :
         {"", "-H 'Accept-Encoding: gzip;q=0'", "-H 'Accept-Encoding: br, deflate'",
          "-H 'Accept-Encoding: *;q=0.5, gzip;q=0.000'"}) {
      INFO(accept);
      const CurlResult r = Curl(accept + " " + s.Url("/metrics"));
      CHECK(r.status == 200);
      CHECK(r.headers.count("content-encoding") == 0);
      CHECK(r.Header("vary") == "Accept-Encoding");
      CHECK(r.body == metrics);
    }
  }
  SECTION("other spellings that allow gzip") {
    for (const std::string accept : {"GZIP", "deflate, gzip;q=0.8", "*", "x-gzip"}) {
      INFO(accept);
      const CurlResult r =
          Curl("--compressed -H 'Accept-Encoding: " + accept + "' " + s.Url("/metrics"));
      CHECK(r.Header("content-encoding") == "gzip");
    }
  }
  SECTION("a response not marked compressible is sent as is") {
    const CurlResult r = Curl("--compressed " + s.Url("/plain"));
    CHECK(r.headers.count("content-encoding") == 0);
    CHECK(r.headers.count("vary") == 0);
    CHECK(r.body == metrics);
  }
}

TEST_CASE("basic auth: 401 without or with wrong credentials, 200 with the right ones",
          "[http]") {
  HttpServerOptions options = Listen("127.0.0.1:0");
  options.basic_auth = HttpBasicAuthOptions{"prometheus", "s3cr:et"};
  RunningServer s(options);
  s.server.Route("/metrics", [](const HttpRequest&) { return Text("slamon_up 1\n"); });
  s.Serve();

  const CurlResult none = Curl(s.Url("/metrics"));
  CHECK(none.status == 401);
  CHECK(none.Header("www-authenticate") == "Basic realm=\"slamon\"");
  CHECK(none.body == "Unauthorized\n");

  const CurlResult wrong_password = Curl("-u prometheus:s3cr " + s.Url("/metrics"));
  CHECK(wrong_password.status == 401);
  CHECK(wrong_password.Header("www-authenticate") == "Basic realm=\"slamon\"");
  CHECK(Curl("-u prometheus:s3cr:etc " + s.Url("/metrics")).status == 401);
  CHECK(Curl("-u Prometheus:s3cr:et " + s.Url("/metrics")).status == 401);
  CHECK(Curl("-u prometheus: " + s.Url("/metrics")).status == 401);
  CHECK(Curl("-H 'Authorization: Basic !!notbase64' " + s.Url("/metrics")).status == 401);
  CHECK(Curl("-H 'Authorization: Bearer cHJvbWV0aGV1czpzM2NyOmV0' " + s.Url("/metrics"))
            .status == 401);
  // Every path is protected: no probing for routes without credentials.
  CHECK(Curl(s.Url("/nope")).status == 401);

  const CurlResult right = Curl("-u prometheus:s3cr:et " + s.Url("/metrics"));
  CHECK(right.status == 200);
  CHECK(right.body == "slamon_up 1\n");
  // The same credentials written by hand, scheme in other case.
  CHECK(Curl("-H 'Authorization: basic cHJvbWV0aGV1czpzM2NyOmV0' " + s.Url("/metrics"))
            .status == 200);
  CHECK(Curl("-u prometheus:s3cr:et " + s.Url("/nope")).status == 404);
}

TEST_CASE("TLS: https works, plain HTTP to the TLS port is refused, the server goes on",
          "[http]") {
  TempDir dir;
  HttpServerOptions options = Listen("127.0.0.1:0");
  options.tls = MakeCertificate(dir);
  RunningServer s(options);
  s.server.Route("/metrics", [](const HttpRequest&) { return Text("slamon_up 1\n"); });
  s.Serve();

  const CurlResult https = Curl("-k " + s.Url("/metrics", "https"));
  CHECK(https.exit_code == 0);
  CHECK(https.status == 200);
  CHECK(https.body == "slamon_up 1\n");
  // Verified against the certificate itself, TLS 1.2 and 1.3.
  CHECK(Curl("--cacert " + options.tls->cert_file + " --tlsv1.2 --tls-max 1.2 " +
             s.Url("/metrics", "https"))
            .status == 200);
  CHECK(Curl("--cacert " + options.tls->cert_file + " --tlsv1.3 " +
             s.Url("/metrics", "https"))
            .status == 200);

  const CurlResult plain = Curl(s.Url("/metrics"));
  CHECK(plain.status == 400);
  CHECK(plain.body == "Client sent an HTTP request to an HTTPS server.\n");

  // Bytes that are neither TLS nor HTTP: the connection just ends.
  RawClient garbage(s.server.port());
  garbage.Send(std::string("\x16\x03\x01\x00\x05hello", 10));
  boost::system::error_code ec;
  garbage.ReadToEnd(ec);
  CHECK(ec);

  const CurlResult after = Curl("-k " + s.Url("/metrics", "https"));
  CHECK(after.status == 200);
  CHECK(after.body == "slamon_up 1\n");
  s.StopAndJoin();
  CHECK(s.server.errors() == 2);
}

TEST_CASE("TLS with basic auth refuses a wrong password and serves the right one",
          "[http]") {
  TempDir dir;
  HttpServerOptions options = Listen("127.0.0.1:0");
  options.tls = MakeCertificate(dir);
  options.basic_auth = HttpBasicAuthOptions{"prometheus", "hunter2"};
  RunningServer s(options);
  s.server.Route("/metrics", [](const HttpRequest&) { return Text("slamon_up 1\n"); });
  s.Serve();

  CHECK(Curl("-k " + s.Url("/metrics", "https")).status == 401);
  CHECK(Curl("-k -u prometheus:hunter3 " + s.Url("/metrics", "https")).status == 401);
  const CurlResult right = Curl("-k -u prometheus:hunter2 " + s.Url("/metrics", "https"));
  CHECK(right.status == 200);
  CHECK(right.body == "slamon_up 1\n");
}

TEST_CASE("Start reports a port in use, naming the address", "[http]") {
  net::io_context io;
  HttpServer first(io, Listen("127.0.0.1:0"));
  const Status started = first.Start();
  REQUIRE(started.ok());
  const std::string listen = "127.0.0.1:" + std::to_string(first.port());

  HttpServer second(io, Listen(listen));
  const Status result = second.Start();
  CHECK_FALSE(result.ok());
  CHECK(result.message() == "listen " + listen + ": address already in use");
  CHECK(second.port() == 0);
}

TEST_CASE("Start reports bad listen addresses and unusable TLS files", "[http]") {
  net::io_context io;
  auto start_error = [&io](HttpServerOptions options) {
    HttpServer server(io, std::move(options));
    return server.Start().message();
  };
  CHECK(
      start_error(Listen("127.0.0.1")) ==
      "listen 127.0.0.1: expected host:port, e.g. \"127.0.0.1:9464\", \"[::1]:9464\" or "
      "\":9464\"");
  CHECK(start_error(Listen("127.0.0.1:65536")) ==
        "listen 127.0.0.1:65536: the port must be between 1 and 65535");
  CHECK(start_error(Listen("127.0.0.1:http")) ==
        "listen 127.0.0.1:http: expected host:port, e.g. \"127.0.0.1:9464\", "
        "\"[::1]:9464\" "
        "or \":9464\"");
  CHECK(start_error(Listen("::1:9464")) ==
        "listen ::1:9464: an IPv6 address goes in brackets, e.g. \"[::1]:9464\"");
  CHECK(
      start_error(Listen("[::1:9464")) ==
      "listen [::1:9464: expected host:port, e.g. \"127.0.0.1:9464\", \"[::1]:9464\" or "
      "\":9464\"");
  CHECK(start_error(Listen("192.0.2.1:0")) ==
        "listen 192.0.2.1:0: cannot assign requested address");
  CHECK_THAT(
      start_error(Listen("no-such-host.invalid:0")),
      Catch::StartsWith("listen no-such-host.invalid:0: resolve no-such-host.invalid: "));

  TempDir dir;
  HttpServerOptions tls = Listen("127.0.0.1:0");
  tls.tls = HttpTlsOptions{dir.File("missing-cert.pem"), dir.File("missing-key.pem")};
  CHECK(start_error(tls) == "tls cert_file " + dir.File("missing-cert.pem") +
                                ": cannot read the certificate chain: No such file or "
                                "directory");

  const HttpTlsOptions good = MakeCertificate(dir);
  tls.tls = HttpTlsOptions{good.cert_file, dir.File("missing-key.pem")};
  CHECK(start_error(tls) ==
        "tls key_file " + dir.File("missing-key.pem") +
            ": cannot read the private key: No such file or directory");

  tls.tls = HttpTlsOptions{good.key_file, good.key_file};  // a key is no certificate
  CHECK_THAT(start_error(tls),
             Catch::StartsWith("tls cert_file " + good.key_file +
                               ": cannot load a PEM certificate chain: "));

  tls.tls = HttpTlsOptions{good.cert_file, good.cert_file};  // a certificate is no key
  CHECK_THAT(start_error(tls), Catch::StartsWith("tls key_file " + good.cert_file +
                                                 ": cannot load a PEM private key: "));

  TempDir other_dir;
  const HttpTlsOptions other = MakeCertificate(other_dir);
  tls.tls = HttpTlsOptions{good.cert_file, other.key_file};
  CHECK(start_error(tls) == "tls key_file " + other.key_file +
                                ": does not match cert_file " + good.cert_file);

  HttpServer twice(io, Listen("127.0.0.1:0"));
  REQUIRE(twice.Start().ok());
  CHECK(twice.Start().message() == "listen 127.0.0.1:0: already started");

  HttpServer stopped(io, Listen("127.0.0.1:0"));
  stopped.Stop();
  CHECK(stopped.Start().message() == "listen 127.0.0.1:0: stopped");
}

TEST_CASE("listen accepts a host name, a bracketed IPv6 address and an empty host",
          "[http]") {
  for (const std::string listen : {"localhost:0", ":0", "[::1]:0", "[::]:0"}) {
    INFO(listen);
    RunningServer s(Listen(listen));
    s.server.Route("/-/ready", [](const HttpRequest&) { return Text("Ready.\n"); });
    s.Serve();
    const std::string port = std::to_string(s.server.port());
    const std::string url = listen.rfind("[::", 0) == 0
                                ? "-g 'http://[::1]:" + port + "/-/ready'"
                                : "'http://127.0.0.1:" + port + "/-/ready'";
    const CurlResult r = Curl(url);
    CHECK(r.status == 200);
    CHECK(r.body == "Ready.\n");
  }
}

TEST_CASE("keep-alive: requests share a connection, pipelined ones are answered in order",
          "[http]") {
  RunningServer s(Listen("127.0.0.1:0"));
  s.server.Route("/a", [](const HttpRequest&) { return Text("A\n"); });
  s.server.Route("/b", [](const HttpRequest&) { return Text("B\n"); });
  s.Serve();

  RequireTool("curl", "curl");
  const CommandResult verbose =
      RunCommand("curl -sS -v --max-time 10 -o /dev/null " + s.Url("/a") +
                 " -o /dev/null " + s.Url("/b") + " 2>&1");
  CHECK(verbose.exit_code == 0);
  CHECK(verbose.output.find("Re-using existing connection") != std::string::npos);

  RawClient client(s.server.port());
  client.Send(
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(client.ReadResponse().body() == "A\n");
  CHECK(client.ReadResponse().body() == "B\n");
  client.Send("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto last = client.ReadResponse();
  CHECK(last.body() == "A\n");
  CHECK_FALSE(last.keep_alive());
  boost::system::error_code ec;
  CHECK(client.ReadToEnd(ec).empty());
  CHECK(ec == net::error::eof);

  RawClient http10(s.server.port());
  http10.Send("GET /b HTTP/1.0\r\n\r\n");
  CHECK(http10.ReadResponse().body() == "B\n");
  CHECK(http10.ReadToEnd(ec).empty());
  CHECK(ec == net::error::eof);
}

TEST_CASE("limits: a timeout on every read, a cap on the request size", "[http]") {
  HttpServerOptions options = Listen("127.0.0.1:0");
  options.io_timeout = std::chrono::milliseconds(300);
  options.max_header_bytes = 1024;
  options.max_body_bytes = 64;
  RunningServer s(options);
  s.server.Route("/metrics", [](const HttpRequest&) { return Text("slamon_up 1\n"); });
  s.Serve();

  SECTION("an idle connection is closed after the timeout (not counted as an error)") {
    RawClient idle(s.server.port());
    const auto begin = std::chrono::steady_clock::now();
    boost::system::error_code ec;
    CHECK(idle.ReadToEnd(ec).empty());
    CHECK(ec);
    CHECK(std::chrono::steady_clock::now() - begin < std::chrono::seconds(5));
    s.StopAndJoin();
    CHECK(s.server.errors() == 0);
  }
  SECTION("a request that stalls half-way is closed after the timeout (an error)") {
    RawClient slow(s.server.port());
    slow.Send("GET /metrics HTTP/1.1\r\nHo");
    boost::system::error_code ec;
    CHECK(slow.ReadToEnd(ec).empty());
    s.StopAndJoin();
    CHECK(s.server.errors() == 1);
  }
  SECTION("too large a header: 431 and the connection closes") {
    const CurlResult r =
        Curl("-H 'X-Big: " + std::string(2000, 'x') + "' " + s.Url("/metrics"));
    CHECK(r.status == 431);
    CHECK(r.Header("connection") == "close");
  }
  SECTION("too large a body: 413") {
    const CurlResult r = Curl("-d '" + std::string(100, 'x') + "' " + s.Url("/metrics"));
    CHECK(r.status == 413);
  }
  SECTION("a malformed request: 400") {
    RawClient client(s.server.port());
    client.Send("NOT HTTP AT ALL\r\n\r\n");
    const auto response = client.ReadResponse();
    CHECK(response.result_int() == 400);
    CHECK_FALSE(response.keep_alive());
  }
}

TEST_CASE("connection cap: idle sockets cannot lock out a scraper", "[http]") {
  HttpServerOptions options = Listen("127.0.0.1:0");
  options.max_connections = 4;
  options.io_timeout = std::chrono::seconds(30);
  options.idle_timeout = std::chrono::seconds(30);
  RunningServer s(options);
  s.server.Route("/metrics", [](const HttpRequest&) { return Text("slamon_up 1\n"); });
  s.Serve();

  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 10; ++i)
    idle.push_back(std::make_unique<RawClient>(s.server.port()));
  // Each connection beyond the cap closed the oldest: the first six are gone
  // at once, not after the 30 s timeouts.
  for (int i = 0; i < 6; ++i) {
    boost::system::error_code ec;
    const auto begin = std::chrono::steady_clock::now();
    CHECK(idle[i]->ReadToEnd(ec).empty());
    CHECK(std::chrono::steady_clock::now() - begin < std::chrono::seconds(5));
  }
  const CurlResult r = Curl("--max-time 5 " + s.Url("/metrics"));
  CHECK(r.status == 200);
  CHECK(r.body == "slamon_up 1\n");
}

TEST_CASE("idle timeout: a keep-alive connection waits idle_timeout for a request",
          "[http]") {
  HttpServerOptions options = Listen("127.0.0.1:0");
  options.io_timeout = std::chrono::seconds(30);
  options.idle_timeout = std::chrono::milliseconds(300);
  RunningServer s(options);
  s.Serve();
  RawClient idle(s.server.port());
  const auto begin = std::chrono::steady_clock::now();
  boost::system::error_code ec;
  CHECK(idle.ReadToEnd(ec).empty());
  CHECK(std::chrono::steady_clock::now() - begin < std::chrono::seconds(5));
}

TEST_CASE("a handler that throws answers 500 and the server goes on", "[http]") {
  RunningServer s(Listen("127.0.0.1:0"));
  s.server.Route("/boom", [](const HttpRequest&) -> HttpResponse {
    throw std::runtime_error("boom");
  });
  s.server.Route("/bad-status", [](const HttpRequest&) {
    HttpResponse response;
    response.status = 1000;
    return response;
  });
  s.server.Route("/informational", [](const HttpRequest&) {
    HttpResponse response;
    response.status = 103;
    return response;
  });
  s.server.Route("/no-content-with-body", [](const HttpRequest&) {
    HttpResponse response = Text("not allowed on a 204\n");
    response.status = 204;
    return response;
  });
  s.server.Route("/teapot", [](const HttpRequest&) {
    HttpResponse response = Text("short and stout\n");
    response.status = 418;
    return response;
  });
  s.Serve();

  CHECK(Curl(s.Url("/boom")).status == 500);
  CHECK(Curl(s.Url("/bad-status")).status == 500);
  CHECK(Curl(s.Url("/informational")).status == 500);
  CHECK(Curl(s.Url("/no-content-with-body")).status == 500);
  CHECK(Curl(s.Url("/teapot")).status == 418);
  s.StopAndJoin();
  CHECK(s.server.errors() == 4);
  CHECK(s.server.requests_served() == 5);
}

// ---- POST routes ------------------------------------------------------------

TEST_CASE("a POST route gets the body and answers later from another thread", "[http]") {
  HttpServerOptions options = Listen("127.0.0.1:0");
  options.basic_auth = HttpBasicAuthOptions{"prometheus", "secret"};
  RunningServer s(options);
  std::vector<std::thread> workers;  // touched only on the server's thread
  s.server.Route("/metrics", [](const HttpRequest&) { return Text("slamon_up 1\n"); });
  s.server.RoutePost(
      "/api/v1/events", 1024, [&workers](HttpRequest request, HttpRespond respond) {
        workers.emplace_back(
            [request = std::move(request), respond = std::move(respond)] {
              std::this_thread::sleep_for(std::chrono::milliseconds(300));
              HttpResponse response =
                  Text("method=" + request.method + " type=" + request.content_type +
                       " auth=" + request.authorization + " body=" + request.body);
              response.status = 202;
              respond(std::move(response));
            });
      });
  s.Serve();

  SECTION("the handler sees method, headers and body; basic auth is the route's") {
    // No server credentials: the route checks its own (here: none).
    const CurlResult r = Curl(
        "-H 'Content-Type: application/json' -H 'Authorization: Bearer t0k' "
        "--data-binary '{\"a\":1}' " +
        s.Url("/api/v1/events"));
    CHECK(r.status == 202);
    CHECK(r.body == "method=POST type=application/json auth=Bearer t0k body={\"a\":1}");
  }
  SECTION("while a POST waits for its answer, /metrics is served") {
    const auto begin = std::chrono::steady_clock::now();
    RawClient post(s.server.port());
    post.Send("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
    const CurlResult metrics = Curl("-u prometheus:secret " + s.Url("/metrics"));
    CHECK(metrics.status == 200);
    // The POST's answer takes 300 ms; /metrics did not wait for it.
    CHECK(std::chrono::steady_clock::now() - begin < std::chrono::milliseconds(300));
    CHECK(post.ReadResponse().body() == "method=POST type= auth= body={}");
  }
  SECTION("Expect: 100-continue is answered at once") {
    const auto begin = std::chrono::steady_clock::now();
    const CurlResult r = Curl("-H 'Expect: 100-continue' --data-binary '[1,2]' " +
                              s.Url("/api/v1/events"));
    CHECK(r.status == 202);
    CHECK(r.body ==
          "method=POST type=application/x-www-form-urlencoded auth= body=[1,2]");
    // curl waits 1 s for a 100 that does not come; 300 ms are the handler's.
    CHECK(std::chrono::steady_clock::now() - begin < std::chrono::milliseconds(900));
  }
  net::post(s.io, [&workers, &s] {
    for (auto& worker : workers) worker.join();
    s.server.Stop();
  });
  s.StopAndJoin();
}

TEST_CASE(
    "a POST route over TLS: the body arrives, the limit holds, plain HTTP is refused",
    "[http]") {
  TempDir dir;
  HttpServerOptions options = Listen("127.0.0.1:0");
  options.tls = MakeCertificate(dir);
  RunningServer s(options);
  s.server.RoutePost("/api/v1/events", 64, [](HttpRequest request, HttpRespond respond) {
    respond(Text("body=" + request.body));
  });
  s.Serve();

  const std::string url = s.Url("/api/v1/events", "https");
  const CurlResult r =
      Curl("--cacert " + options.tls->cert_file +
           " -H 'Content-Type: application/json' --data-binary '[1,2]' " + url);
  CHECK(r.exit_code == 0);
  CHECK(r.status == 200);
  CHECK(r.body == "body=[1,2]");
  // 65 bytes against a limit of 64: refused before the handler.
  CHECK(Curl("-k --data-binary '" + std::string(65, 'x') + "' " + url).status == 413);
  CHECK(Curl("--data-binary '[1]' " + s.Url("/api/v1/events")).status == 400);
}

TEST_CASE("a POST route: its own body limit, POST only, 500 when the handler throws",
          "[http]") {
  HttpServerOptions options = Listen("127.0.0.1:0");
  options.max_body_bytes = 16;  // the GET routes' limit
  RunningServer s(options);
  int calls = 0;
  int too_large = 0;
  s.server.RoutePost(
      "/in", 100,
      [&calls](HttpRequest request, HttpRespond respond) {
        ++calls;
        respond(Text(std::to_string(request.body.size()) + "\n"));
      },
      [&too_large] { ++too_large; });
  s.server.RoutePost("/boom", 100,
                     [](HttpRequest, HttpRespond) { throw std::runtime_error("boom"); });
  s.Serve();

  // 100 bytes: at the limit, taken; 101: refused before the body is read.
  CHECK(Curl("--data-binary '" + std::string(100, 'x') + "' " + s.Url("/in")).body ==
        "100\n");
  const CurlResult over =
      Curl("--data-binary '" + std::string(101, 'x') + "' " + s.Url("/in"));
  CHECK(over.status == 413);
  CHECK(over.Header("connection") == "close");
  // Chunked, so without a Content-Length: refused when the body passes 100.
  const CurlResult chunked = Curl("-H 'Transfer-Encoding: chunked' --data-binary '" +
                                  std::string(150, 'x') + "' " + s.Url("/in"));
  CHECK(chunked.status == 413);
  // A Content-Length far over the limit, without the body ever sent.
  RawClient huge(s.server.port());
  huge.Send("POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n");
  CHECK(huge.ReadResponse().result_int() == 413);

  for (const std::string method : {"GET", "HEAD", "PUT"}) {
    INFO(method);
    const CurlResult r = Curl("-X " + method + " " + s.Url("/in"));
    CHECK(r.status == 405);
    CHECK(r.Header("allow") == "POST");
  }
  CHECK(Curl("-d x " + s.Url("/boom")).status == 500);
  CHECK(Curl("-d x " + s.Url("/in")).status == 200);  // the server goes on
  s.StopAndJoin();
  CHECK(calls == 2);
  CHECK(too_large == 3);  // Content-Length, chunked, the huge one
}

TEST_CASE("Stop closes the acceptor and open keep-alive connections", "[http]") {
  RunningServer s(Listen("127.0.0.1:0"));
  s.server.Route("/metrics", [](const HttpRequest&) { return Text("slamon_up 1\n"); });
  s.Serve();
  const std::uint16_t port = s.server.port();

  RawClient client(port);
  client.Send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(client.ReadResponse().body() == "slamon_up 1\n");

  // Joining returns only once no connection is left on the io_context.
  s.StopAndJoin();
  boost::system::error_code ec;
  CHECK(client.ReadToEnd(ec).empty());
  CHECK(ec);
  CHECK(Curl("'http://127.0.0.1:" + std::to_string(port) + "/metrics' 2>/dev/null")
            .exit_code == 7);
}

}  // namespace
}  // namespace slamon
