#include "http/gzip.h"

#include "http/header_text.h"

#define ZLIB_CONST
#include <zlib.h>

#include <algorithm>
#include <climits>

namespace slamon {

bool AcceptsGzip(std::string_view accept_encoding) {
  std::optional<bool> gzip;
  std::optional<bool> any;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view()
                                                      : accept_encoding.substr(comma + 1);
    const auto semicolon = item.find(';');
    const std::string_view coding = TrimHeaderSpace(item.substr(0, semicolon));
    bool allowed = true;
    if (semicolon != std::string_view::npos) {
      std::string_view params = item.substr(semicolon + 1);
      while (!params.empty()) {
        const auto next = params.find(';');
        const std::string_view param = TrimHeaderSpace(params.substr(0, next));
        params =
            next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
        if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') &&
            param[1] == '=') {
          const std::string_view q = TrimHeaderSpace(param.substr(2));
          allowed = !std::all_of(q.begin(), q.end(),
                                 [](char c) { return c == '0' || c == '.'; });
        }
      }
    }
    if (SameToken(coding, "gzip") || SameToken(coding, "x-gzip")) {
      gzip = allowed;
    } else if (coding == "*") {
      any = allowed;
    }
  }
  if (gzip) return *gzip;
  return any.value_or(false);
}

std::optional<std::string> Gzip(std::string_view body) {
  if (body.size() > UINT_MAX / 2) return std::nullopt;
  z_stream stream{};
  // zlib's fastest level: a million-ticket /metrics (1.7 MB, docs/benchmarks.md)
  // takes 4 ms to 91 kB instead of 12 ms to 74 kB at the default level 6.
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return std::nullopt;
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(body.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<const Bytef*>(body.data());
  stream.avail_in = static_cast<uInt>(body.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) return std::nullopt;
  return out;
}

}  // namespace slamon
