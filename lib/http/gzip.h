// Gzip content coding for responses: whether a client's Accept-Encoding
// allows gzip, and the gzip of a body (zlib). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace slamon {

// True when an Accept-Encoding value allows gzip (RFC 9110 §12.5.3): "gzip" or
// "x-gzip" (any case) with a non-zero q, else "*" with a non-zero q. A named
// gzip wins over "*"; the last mention of a coding counts; "" allows nothing.
bool AcceptsGzip(std::string_view accept_encoding);

// `body` in the gzip format (RFC 1952) at zlib's fastest level, or
// std::nullopt when zlib fails or the body is over 2 GiB.
std::optional<std::string> Gzip(std::string_view body);

}  // namespace slamon
