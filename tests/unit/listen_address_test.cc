// http/listen_address.h: the one parser of `http.listen`, shared by the config
// (check-config) and HttpServer::Start.
#include "http/listen_address.h"

#include <catch2/catch.hpp>

namespace slamon {
namespace {

constexpr const char* kForms =
    "expected host:port, e.g. \"127.0.0.1:9464\", \"[::1]:9464\" or \":9464\"";

TEST_CASE("Listen addresses: the accepted forms") {
  Result<ListenAddress> v4 = ParseListenAddress("127.0.0.1:9464");
  REQUIRE(v4);
  CHECK(v4->host == "127.0.0.1");
  CHECK(v4->port == 9464);

  Result<ListenAddress> v6 = ParseListenAddress("[::1]:443");
  REQUIRE(v6);
  CHECK(v6->host == "::1");  // brackets dropped
  CHECK(v6->port == 443);

  Result<ListenAddress> any = ParseListenAddress(":9464");
  REQUIRE(any);
  CHECK(any->host.empty());  // every interface

  Result<ListenAddress> name = ParseListenAddress("localhost:65535");
  REQUIRE(name);
  CHECK(name->host == "localhost");
  CHECK(name->port == 65535);

  // Port 0 parses (a free port, for tests); the config refuses it.
  Result<ListenAddress> zero = ParseListenAddress("127.0.0.1:0");
  REQUIRE(zero);
  CHECK(zero->port == 0);
}

TEST_CASE("Listen addresses: each refusal says why without repeating the text") {
  CHECK(ParseListenAddress("9464").error() == kForms);  // no colon
  CHECK(ParseListenAddress("127.0.0.1").error() == kForms);
  CHECK(ParseListenAddress("127.0.0.1:").error() == kForms);
  CHECK(ParseListenAddress("127.0.0.1:http").error() == kForms);
  CHECK(ParseListenAddress("127.0.0.1:-1").error() == kForms);
  CHECK(ParseListenAddress("127.0.0.1:94 64").error() == kForms);
  CHECK(ParseListenAddress("local host:9464").error() == kForms);
  CHECK(ParseListenAddress("[::1:9464").error() == kForms);
  CHECK(ParseListenAddress("[]:9464").error() == kForms);
  CHECK(ParseListenAddress("[[::1]]:9464").error() == kForms);
  CHECK(ParseListenAddress("::1:9464").error() ==
        "an IPv6 address goes in brackets, e.g. \"[::1]:9464\"");
  CHECK(ParseListenAddress("127.0.0.1:65536").error() ==
        "the port must be between 1 and 65535");
  CHECK(ParseListenAddress("127.0.0.1:99999999999999999999").error() ==
        "the port must be between 1 and 65535");
}

}  // namespace
}  // namespace slamon
