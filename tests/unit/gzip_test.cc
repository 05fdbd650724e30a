// http/gzip.h: Accept-Encoding negotiation (RFC 9110 §12.5.3) and the gzip
// body, checked by inflating it with zlib.
#include "http/gzip.h"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <string>

namespace slamon {
namespace {

// `gz` inflated (gzip wrapper only), or "<error>".
std::string Gunzip(const std::string& gz) {
  z_stream stream{};
  if (inflateInit2(&stream, 16 + 15) != Z_OK) return "<error>";
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  stream.avail_in = static_cast<uInt>(gz.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return status == Z_STREAM_END ? out : "<error>";
}

TEST_CASE("Accept-Encoding values that allow gzip") {
  CHECK(AcceptsGzip("gzip"));
  CHECK(AcceptsGzip("GZIP"));
  CHECK(AcceptsGzip("x-gzip"));
  CHECK(AcceptsGzip("deflate, gzip;q=0.8"));
  CHECK(AcceptsGzip("gzip; Q=1"));
  CHECK(AcceptsGzip("*"));
  CHECK(AcceptsGzip(" br ,\tgzip ; q=0.001 "));
  CHECK(AcceptsGzip("*;q=0, gzip"));  // a named gzip wins over "*"
}

TEST_CASE("Accept-Encoding values that do not allow gzip") {
  CHECK_FALSE(AcceptsGzip(""));
  CHECK_FALSE(AcceptsGzip("gzip;q=0"));
  CHECK_FALSE(AcceptsGzip("gzip;q=0.000"));
  CHECK_FALSE(AcceptsGzip("br, deflate"));
  CHECK_FALSE(AcceptsGzip("identity"));
  CHECK_FALSE(AcceptsGzip("*;q=0.5, gzip;q=0.000"));  // gzip named, refused
  CHECK_FALSE(AcceptsGzip("*;q=0"));
  CHECK_FALSE(AcceptsGzip("gzipx"));
}

TEST_CASE("Gzip writes the gzip format and inflates to the same text") {
  const std::string text = "slamon_sla_open_clocks{target=\"response\"} 3\n";
  std::string body;
  for (int i = 0; i < 1000; ++i) body += text;
  const std::optional<std::string> gz = Gzip(body);
  REQUIRE(gz);
  // RFC 1952 §2.3.1: ID1 0x1f, ID2 0x8b, CM 8 (deflate).
  REQUIRE(gz->size() >= 18);
  CHECK(static_cast<unsigned char>((*gz)[0]) == 0x1f);
  CHECK(static_cast<unsigned char>((*gz)[1]) == 0x8b);
  CHECK((*gz)[2] == 8);
  CHECK(gz->size() < body.size() / 10);  // 1000 equal lines compress well
  CHECK(Gunzip(*gz) == body);

  const std::optional<std::string> empty = Gzip("");
  REQUIRE(empty);
  CHECK(Gunzip(*empty).empty());
}

}  // namespace
}  // namespace slamon
