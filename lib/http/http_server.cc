#include "http/http_server.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <exception>
#include <limits>
#include <map>
#include <string_view>

#include "http/basic_auth.h"
#include "http/error_text.h"
#include "http/gzip.h"
#include "http/header_text.h"
#include "http/listen_address.h"
#include "http/tls_context.h"

namespace slamon {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr const char* kAllow = "GET, HEAD";
constexpr const char* kAllowPost = "POST";
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr const char* kAuthenticate = "Basic realm=\"slamon\"";
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
constexpr auto kLingerTime = std::chrono::milliseconds(1000);

// Answer to a plain-HTTP request on a TLS port (what Go's net/http says).
constexpr std::string_view kPlainHttpOnTlsPort =
    "HTTP/1.0 400 Bad Request\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Connection: close\r\n"
    "Content-Length: 48\r\n"
    "\r\n"
    "Client sent an HTTP request to an HTTPS server.\n";
static_assert(
    std::string_view("Client sent an HTTP request to an HTTPS server.\n").size() == 48);

std::string ToString(beast::string_view s) { return std::string(s.data(), s.size()); }

// "Address already in use" -> "address already in use", as Go prints errors
// (an acronym such as "SSL" stays as it is).
std::string Describe(const error_code& ec) { return LowerFirst(ec.message()); }

// One open connection, as the server sees it (to close it on Stop).
class HttpConnection {
 public:
  virtual ~HttpConnection() = default;
  virtual void Close() = 0;
};

}  // namespace

// ---- shared state ---------------------------------------------------------

struct HttpServer::State {
  State(net::io_context& io_context, HttpServerOptions server_options)
      : io(io_context), options(std::move(server_options)), retry_timer(io_context) {
    if (options.basic_auth) {
      basic_auth.emplace(options.basic_auth->username, options.basic_auth->password);
    }
  }

  net::io_context& io;
  const HttpServerOptions options;
  std::map<std::string, HttpHandler, std::less<>> routes;
  struct PostRoute {
    std::size_t max_body_bytes = 0;
    HttpPostHandler handler;
    std::function<void()> on_too_large;
  };
  std::map<std::string, PostRoute, std::less<>> post_routes;
  std::optional<BasicAuth> basic_auth;

  std::optional<tcp::acceptor> acceptor;
  std::optional<net::ssl::context> tls;
  net::steady_timer retry_timer;
  bool started = false;
  bool stopped = false;
  std::uint64_t next_connection_id = 0;
  // Ordered by id, so the first is the oldest.
  std::map<std::uint64_t, std::weak_ptr<HttpConnection>> connections;

  std::atomic<std::uint16_t> port{0};
  std::atomic<std::uint64_t> requests_served{0};
  std::atomic<std::uint64_t> errors{0};

  void CountError() { errors.fetch_add(1, std::memory_order_relaxed); }
};

namespace {

using State = HttpServer::State;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

Response TextResponse(http::status status, std::string_view text, unsigned version,
                      bool keep_alive) {
  Response response{status, version};
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.keep_alive(keep_alive);
  response.body() = std::string(text);
  response.prepare_payload();
  return response;
}

Response TextResponse(http::status status, std::string_view text,
                      const Request& request) {
  return TextResponse(status, text, request.version(), request.keep_alive());
}

bool Authorized(const State& state, beast::string_view header) {
  return state.basic_auth->Admits(std::string_view(header.data(), header.size()));
}

// The target up to '?'.
std::string_view RequestPath(const Request& request) {
  const std::string_view target(request.target().data(), request.target().size());
  return target.substr(0, target.find('?'));
}

// The POST route of the request's path, or null.
const State::PostRoute* FindPostRoute(const State& state, const Request& request) {
  const auto route = state.post_routes.find(RequestPath(request));
  return route == state.post_routes.end() ? nullptr : &route->second;
}

// The POST route a POST request goes to, or null.
const State::PostRoute* PostTarget(const State& state, const Request& request) {
  return request.method() == http::verb::post ? FindPostRoute(state, request) : nullptr;
}

// The most body bytes the request may have: its POST route's limit, else the
// server's.
std::size_t BodyLimit(const State& state, const Request& request) {
  const State::PostRoute* route = PostTarget(state, request);
  return route != nullptr ? route->max_body_bytes : state.options.max_body_bytes;
}

// Tells a POST route that its request was refused as too large.
void TellTooLarge(const State& state, const Request& request) {
  const State::PostRoute* route = PostTarget(state, request);
  if (route == nullptr || !route->on_too_large) return;
  try {
    route->on_too_large();
  } catch (...) {
    // A counter that failed; the 413 goes out anyway.
  }
}

HttpRequest ToHttpRequest(const Request& request) {
  HttpRequest in;
  in.method = ToString(request.method_string());
  in.target = ToString(request.target());
  const auto question = in.target.find('?');
  in.path = in.target.substr(0, question);
  if (question != std::string::npos) in.query = in.target.substr(question + 1);
  in.accept = ToString(request[http::field::accept]);
  in.accept_encoding = ToString(request[http::field::accept_encoding]);
  in.authorization = ToString(request[http::field::authorization]);
  in.content_type = ToString(request[http::field::content_type]);
  return in;
}

Response Finish(State& state, const Request& request, HttpResponse out, bool head);

// The answer to one request that is not a POST to a RoutePost() path: auth,
// routing, method, the handler, gzip, HEAD.
Response Answer(State& state, const Request& request) {
  const bool post_route = FindPostRoute(state, request) != nullptr;
  if (!post_route && state.options.basic_auth &&
      !Authorized(state, request[http::field::authorization])) {
    Response response =
        TextResponse(http::status::unauthorized, "Unauthorized\n", request);
    response.set(http::field::www_authenticate, kAuthenticate);
    return response;
  }
  if (post_route) {  // a POST there never comes here
    Response response =
        TextResponse(http::status::method_not_allowed, "Method Not Allowed\n", request);
    response.set(http::field::allow, kAllowPost);
    return response;
  }

  const HttpRequest in = ToHttpRequest(request);
  const auto route = state.routes.find(in.path);
  if (route == state.routes.end()) {
    return TextResponse(http::status::not_found, "Not Found\n", request);
  }
  const bool head = request.method() == http::verb::head;
  if (request.method() != http::verb::get && !head) {
    Response response =
        TextResponse(http::status::method_not_allowed, "Method Not Allowed\n", request);
    response.set(http::field::allow, kAllow);
    return response;
  }

  HttpResponse out;
  try {
    out = route->second(in);
  } catch (...) {
    state.CountError();
    return TextResponse(http::status::internal_server_error, "Internal Server Error\n",
                        request);
  }
  return Finish(state, request, std::move(out), head);
}

// The handler's answer as an HTTP response: status check, gzip, HEAD.
Response Finish(State& state, const Request& request, HttpResponse out, bool head) {
  if (out.status < 200 || out.status > 599) {  // 1xx is no final answer
    state.CountError();
    return TextResponse(http::status::internal_server_error, "Internal Server Error\n",
                        request);
  }

  Response response;
  response.version(request.version());
  response.result(static_cast<unsigned>(out.status));
  response.keep_alive(request.keep_alive());
  response.set(http::field::content_type, out.content_type);
  for (const auto& [name, value] : out.headers) response.set(name, value);
  if (out.compressible) {
    response.set(http::field::vary, "Accept-Encoding");
    if (AcceptsGzip(ToString(request[http::field::accept_encoding]))) {
      if (std::optional<std::string> gzipped = Gzip(out.body)) {
        out.body = std::move(*gzipped);
        response.set(http::field::content_encoding, "gzip");
      }
    }
  }
  if (head) {
    // The headers GET would send, without the body.
    response.content_length(out.body.size());
  } else {
    response.body() = std::move(out.body);
    response.prepare_payload();
  }
  return response;
}

bool IsPlainHttpOnTlsPort(const error_code& ec) {
  return ec.category() == net::error::get_ssl_category() &&
         ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_HTTP_REQUEST;
}

bool IsHttpParseError(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One connection: reads a request, answers it, reads the next (keep-alive)
// until the client closes, an error or a timeout. Owns itself: every pending
// operation holds a shared_ptr to it.
template <class Stream>
class Session : public HttpConnection,
                public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  template <class... StreamArgs>
  explicit Session(std::shared_ptr<State> state, StreamArgs&&... stream_args)
      : state_(std::move(state)),
        stream_(std::forward<StreamArgs>(stream_args)...),
        buffer_(state_->options.max_header_bytes + state_->options.max_body_bytes) {}

  ~Session() override { state_->connections.erase(id_); }

  void Run() {
    id_ = state_->next_connection_id++;
    CloseOldestBeyond(state_->options.max_connections - 1);
    state_->connections.emplace(id_, this->weak_from_this());
    if constexpr (kTls) {
      DoHandshake();
    } else {
      DoRead();
    }
  }

  void Close() override { beast::get_lowest_layer(stream_).close(); }

  // Closes the oldest connections until at most `keep` are open. A closed
  // connection leaves the map when its pending operation ends.
  void CloseOldestBeyond(std::size_t keep) {
    auto& connections = state_->connections;
    auto it = connections.begin();
    for (std::size_t open = connections.size(); open > keep && it != connections.end();
         ++it, --open) {
      if (auto connection = it->second.lock()) connection->Close();
    }
  }

 private:
  void ArmTimer() {
    beast::get_lowest_layer(stream_).expires_after(state_->options.io_timeout);
  }

  void DoHandshake() {
    ArmTimer();
    stream_.async_handshake(net::ssl::stream_base::server,
                            beast::bind_front_handler(&Session::OnHandshake, Self()));
  }

  void OnHandshake(error_code ec) {
    if (state_->stopped || ec == net::error::operation_aborted) return;
    if (ec) {
      state_->CountError();
      if (IsPlainHttpOnTlsPort(ec)) DoRejectPlainHttp();
      ERR_clear_error();
      return;
    }
    DoRead();
  }

  void DoRejectPlainHttp() {
    ArmTimer();
    net::async_write(beast::get_lowest_layer(stream_), net::buffer(kPlainHttpOnTlsPort),
                     [self = Self()](error_code ec, std::size_t) {
                       if (!ec && !self->state_->stopped) self->LingeringClose();
                     });
  }

  void DoRead() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(state_->options.max_header_bytes, UINT32_MAX)));
    // The limit depends on the route: OnHeader sets it.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    beast::get_lowest_layer(stream_).expires_after(
        std::min(state_->options.io_timeout, state_->options.idle_timeout));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, Self()));
  }

  // The header is in: refuse a body over the route's limit before reading it,
  // say 100 Continue when asked to, then read the body.
  void OnHeader(error_code ec, std::size_t bytes) {
    if (state_->stopped || ec == net::error::operation_aborted) return;
    if (ec) {
      OnRead(ec, bytes);
      return;
    }
    const Request& request = parser_->get();
    const std::size_t limit = BodyLimit(*state_, request);
    const boost::optional<std::uint64_t> length = parser_->content_length();
    if (length && *length > limit) {
      state_->CountError();
      TellTooLarge(*state_, request);
      DoWriteAndClose(http::status::payload_too_large, "Payload Too Large\n");
      return;
    }
    parser_->body_limit(limit);
    if (parser_->is_done()) {
      OnRead({}, 0);
      return;
    }
    const beast::string_view expect = request[http::field::expect];
    if (request.version() >= 11 &&
        SameToken(std::string_view(expect.data(), expect.size()), "100-continue")) {
      ArmTimer();
      net::async_write(
          stream_, net::buffer(kContinue),
          [self = Self()](error_code write_ec, std::size_t) {
            if (self->state_->stopped || write_ec == net::error::operation_aborted) {
              return;
            }
            if (write_ec) {
              self->state_->CountError();
              return;
            }
            self->DoReadBody();
          });
      return;
    }
    DoReadBody();
  }

  void DoReadBody() {
    ArmTimer();
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, Self()));
  }

  void OnRead(error_code ec, std::size_t /*bytes*/) {
    if (state_->stopped || ec == net::error::operation_aborted) return;
    const bool mid_request = buffer_.size() > 0 || parser_->got_some();
    if (ec == http::error::end_of_stream || (!mid_request && IsQuietEnd(ec))) {
      DoClose();  // the client is done, or went quiet between requests
      return;
    }
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      state_->CountError();
      DoWriteAndClose(http::status::request_header_fields_too_large,
                      "Request Header Fields Too Large\n");
      return;
    }
    if (ec == http::error::body_limit) {
      state_->CountError();
      TellTooLarge(*state_, parser_->get());
      DoWriteAndClose(http::status::payload_too_large, "Payload Too Large\n");
      return;
    }
    if (ec && IsHttpParseError(ec)) {
      state_->CountError();
      DoWriteAndClose(http::status::bad_request, "Bad Request\n");
      return;
    }
    if (ec) {
      state_->CountError();  // timeout mid-request, reset, TLS failure
      return;
    }
    if (const State::PostRoute* route = PostTarget(*state_, parser_->get())) {
      DoPost(route->handler);
      return;
    }
    try {
      response_ = Answer(*state_, parser_->get());
    } catch (const std::exception&) {
      // Beast refused what the handler returned (a body on a 204 or 304, a
      // header value too long) or memory ran out.
      state_->CountError();
      response_ = TextResponse(http::status::internal_server_error,
                               "Internal Server Error\n", parser_->get());
    }
    DoWrite();
  }

  // Hands the request to a POST handler; its answer comes back through
  // OnAnswer on this connection's executor. Exactly one answer is written:
  // the handler's, or 500 when it throws first.
  void DoPost(const HttpPostHandler& handler) {
    Request& request = parser_->get();
    HttpRequest in = ToHttpRequest(request);
    in.body = std::move(request.body());
    auto answered = std::make_shared<std::atomic<bool>>(false);
    HttpRespond respond = [self = Self(), answered,
                           executor = stream_.get_executor()](HttpResponse out) {
      if (answered->exchange(true)) return;
      net::post(executor, [self, out = std::move(out)]() mutable {
        self->OnAnswer(std::move(out));
      });
    };
    try {
      handler(std::move(in), std::move(respond));
    } catch (...) {
      if (answered->exchange(true)) return;
      state_->CountError();
      response_ = TextResponse(http::status::internal_server_error,
                               "Internal Server Error\n", parser_->get());
      DoWrite();
    }
  }

  void OnAnswer(HttpResponse out) {
    if (state_->stopped) return;
    try {
      response_ = Finish(*state_, parser_->get(), std::move(out), /*head=*/false);
    } catch (const std::exception&) {
      state_->CountError();
      response_ = TextResponse(http::status::internal_server_error,
                               "Internal Server Error\n", parser_->get());
    }
    DoWrite();
  }

  // Ends of a connection that are not failures when no request is under way:
  // the idle timeout of a keep-alive connection, a client that closed the TCP
  // connection without a TLS close_notify, or reset it.
  static bool IsQuietEnd(const error_code& ec) {
    return ec == beast::error::timeout || ec == net::ssl::error::stream_truncated ||
           ec == net::error::connection_reset || ec == net::error::eof;
  }

  void DoWriteAndClose(http::status status, std::string_view text) {
    response_ = TextResponse(status, text, 11, /*keep_alive=*/false);
    DoWrite();
  }

  void DoWrite() {
    ArmTimer();
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&Session::OnWrite, Self()));
  }

  void OnWrite(error_code ec, std::size_t /*bytes*/) {
    if (ec) {
      if (!state_->stopped && ec != net::error::operation_aborted) state_->CountError();
      return;
    }
    // Counted even when Stop() came in between: the client has its answer.
    state_->requests_served.fetch_add(1, std::memory_order_relaxed);
    if (state_->stopped) return;
    if (!response_.keep_alive()) {
      DoClose();
      return;
    }
    response_ = {};
    DoRead();
  }

  void DoClose() {
    if constexpr (kTls) {
      ArmTimer();
      stream_.async_shutdown([self = Self()](error_code) { ERR_clear_error(); });
    } else {
      LingeringClose();
    }
  }

  // After our FIN, read and drop what the client still sends (the rest of a
  // refused request) until it closes too or kLingerTime has passed. Closing
  // with unread input would send a reset, which can destroy our answer before
  // the client has read it.
  void LingeringClose() {
    auto& tcp_stream = beast::get_lowest_layer(stream_);
    error_code ignored;
    tcp_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    tcp_stream.expires_after(
        std::min<std::chrono::milliseconds>(state_->options.io_timeout, kLingerTime));
    DoDrain();
  }

  void DoDrain() {
    beast::get_lowest_layer(stream_).async_read_some(
        net::buffer(drain_), [self = Self()](error_code ec, std::size_t) {
          if (!ec && !self->state_->stopped) self->DoDrain();
        });
  }

  std::shared_ptr<Session> Self() { return this->shared_from_this(); }

  std::shared_ptr<State> state_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response response_;
  std::array<char, 1024> drain_{};
  std::uint64_t id_ = 0;
};

void DoAccept(const std::shared_ptr<State>& state);

void OnAccept(const std::shared_ptr<State>& state, error_code ec, tcp::socket socket) {
  if (state->stopped || ec == net::error::operation_aborted) return;
  if (ec) {
    // Out of file descriptors and the like: try again a little later.
    state->CountError();
    state->retry_timer.expires_after(kAcceptRetryDelay);
    state->retry_timer.async_wait([state](error_code timer_ec) {
      if (!timer_ec && !state->stopped) DoAccept(state);
    });
    return;
  }
  try {
    if (state->tls) {
      std::make_shared<Session<TlsStream>>(state, std::move(socket), *state->tls)->Run();
    } else {
      std::make_shared<Session<PlainStream>>(state, std::move(socket))->Run();
    }
  } catch (const std::exception&) {
    state->CountError();  // out of memory for one connection; keep accepting
  }
  DoAccept(state);
}

void DoAccept(const std::shared_ptr<State>& state) {
  state->acceptor->async_accept([state](error_code ec, tcp::socket socket) {
    OnAccept(state, ec, std::move(socket));
  });
}

// Opens, binds and listens on `endpoint`.
Status Listen(tcp::acceptor& acceptor, const tcp::endpoint& endpoint, bool dual_stack) {
  error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec && dual_stack) acceptor.set_option(net::ip::v6_only(false), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (!ec) return Status::Ok();
  error_code ignored;
  acceptor.close(ignored);
  return Status::Error(Describe(ec));
}

// Binds the listen address: an IP literal, every interface (IPv6 dual-stack,
// else IPv4), or the first address a host name resolves to that binds.
Status Bind(State& state, const ListenAddress& address) {
  tcp::acceptor& acceptor = state.acceptor.emplace(state.io);
  const std::uint16_t port = address.port;
  if (address.host.empty()) {
    if (Listen(acceptor, tcp::endpoint(tcp::v6(), port), /*dual_stack=*/true).ok())
      return Status::Ok();
    return Listen(acceptor, tcp::endpoint(tcp::v4(), port), /*dual_stack=*/false);
  }
  error_code ec;
  const net::ip::address ip = net::ip::make_address(address.host, ec);
  if (!ec) return Listen(acceptor, tcp::endpoint(ip, port), /*dual_stack=*/false);

  tcp::resolver resolver(state.io);
  const auto endpoints =
      resolver.resolve(address.host, std::to_string(port), tcp::resolver::passive, ec);
  if (ec) return Status::Error("resolve " + address.host + ": " + Describe(ec));
  Status status = Status::Error("resolve " + address.host + ": no address");
  for (const auto& entry : endpoints) {
    status = Listen(acceptor, entry.endpoint(), /*dual_stack=*/false);
    if (status.ok()) return status;
  }
  return status;
}

}  // namespace

HttpServer::HttpServer(boost::asio::io_context& io, HttpServerOptions options)
    : state_(std::make_shared<State>(io, std::move(options))) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Route(std::string path, HttpHandler handler) {
  state_->post_routes.erase(path);
  state_->routes.insert_or_assign(std::move(path), std::move(handler));
}

void HttpServer::RoutePost(std::string path, std::size_t max_body_bytes,
                           HttpPostHandler handler, std::function<void()> on_too_large) {
  state_->routes.erase(path);
  state_->post_routes.insert_or_assign(
      std::move(path),
      State::PostRoute{max_body_bytes, std::move(handler), std::move(on_too_large)});
}

Status HttpServer::Start() {
  State& state = *state_;
  const std::string& listen = state.options.listen;
  if (state.started) return Status::Error("listen " + listen + ": already started");
  if (state.stopped) return Status::Error("listen " + listen + ": stopped");
  state.started = true;
  try {
    const Result<ListenAddress> address = ParseListenAddress(listen);
    if (!address) return Status::Error("listen " + listen + ": " + address.error());
    if (state.options.tls) {
      state.tls.emplace(net::ssl::context::tls_server);
      if (Status loaded = LoadTlsServerContext(*state.options.tls, *state.tls);
          !loaded.ok()) {
        state.tls.reset();
        return loaded;
      }
    }
    if (Status bound = Bind(state, *address); !bound.ok()) {
      state.acceptor.reset();
      return Status::Error("listen " + listen + ": " + bound.message());
    }
    error_code ec;
    const tcp::endpoint local = state.acceptor->local_endpoint(ec);
    if (ec) return Status::Error("listen " + listen + ": " + Describe(ec));
    state.port = local.port();
    DoAccept(state_);
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Error("listen " + listen + ": " + e.what());
  }
}

void HttpServer::Stop() {
  State& state = *state_;
  if (state.stopped) return;
  state.stopped = true;
  error_code ignored;
  if (state.acceptor) state.acceptor->close(ignored);
  try {
    state.retry_timer.cancel();
  } catch (const std::exception&) {
    // Cannot fail on Linux; the timer's handler checks `stopped` anyway.
  }
  std::vector<std::shared_ptr<HttpConnection>> open;
  for (const auto& [id, weak] : state.connections) {
    if (auto connection = weak.lock()) open.push_back(std::move(connection));
  }
  for (const auto& connection : open) connection->Close();
}

std::uint16_t HttpServer::port() const { return state_->port.load(); }

std::uint64_t HttpServer::requests_served() const {
  return state_->requests_served.load(std::memory_order_relaxed);
}

std::uint64_t HttpServer::errors() const {
  return state_->errors.load(std::memory_order_relaxed);
}

}  // namespace slamon
