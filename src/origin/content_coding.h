#pragma once
// The gzip content coding (RFC 9110 8.4.1.3) of the reference origin's /strong
// variant, and whether a request's Accept-Encoding selects it (12.5.3).

#include <optional>
#include <string>
#include <string_view>

namespace condspec {

// The gzip coding of `content`. zlib writes no file name and a zero
// modification time, so the bytes, and the tag built from them, are the same
// on every request. Empty if zlib fails.
std::string gzip_coded(std::string_view content);

// Whether an Accept-Encoding value accepts gzip: "gzip" or its alias "x-gzip"
// with a qvalue above 0, or else "*" with one.
bool accepts_gzip(const std::optional<std::string>& accept_encoding);

}  // namespace condspec
